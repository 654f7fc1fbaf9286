"""Why an enterprise scores as it does, as translation keys with parameters, and their texts in kk, ru, en.

osh/risk.py (explain) and osh/enterprises.py (the inspection plan) return Reason objects, never sentences; the
dashboard, the downloads and the PDF briefing render them with `render` in the reader's language, so the same
sentence reaches every surface. The texts live here (not in dashboard/locales) because layers/ may not read
dashboard/ and both must say the same thing.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

LANGS: tuple[str, ...] = ("kk", "ru", "en")
THOUSANDS = "\u202f"  # layers/numbers.py's conventions (osh may not import layers): a decimal comma in kk and ru
DECIMAL: dict[str, str] = {"kk": ",", "ru": ",", "en": "."}

# Decimals of each numeric parameter, so "3.5" reads "3,5" in kk/ru and never "3.4999999".
DECIMALS: dict[str, int] = {
    "injured": 0, "fatal": 0, "window": 0, "expected": 1, "rr": 1, "excess": 2, "rate": 2, "index": 2,
    "workplaces": 0, "harmful": 0, "cases": 0, "violations": 0, "inspections": 0, "points": 0,
}

SIZE_WORDS: dict[str, tuple[str, str, str]] = {
    "micro": ("микро", "микро", "micro"),
    "small": ("шағын", "малые", "small"),
    "medium": ("орта", "средние", "medium"),
    "large": ("ірі", "крупные", "large"),
}

TEXTS: dict[str, tuple[str, str, str]] = {
    # the inspection plan: one main sentence and flags
    "list.injuries": (
        "{window} жылда {injured} жарақат алған ({fatal} қаза тапқан), ал {section}/{size} салаластары деңгейінде "
        "күтілетіні {expected}; сенімді деңгей салаластарынан {rr} есе жоғары; жылына шамамен {excess} алдын алуға "
        "болатын жарақат",
        "{injured} пострадавших ({fatal} погибших) за {window} лет при {expected} ожидаемых для аналогов "
        "{section}/{size}; достоверный уровень в {rr} раза выше аналогов; около {excess} предотвратимых травм в год",
        "{injured} injured ({fatal} fatal) in {window} years vs {expected} expected for {section}/{size} peers; "
        "credible rate {rr}x peers; about {excess} preventable injuries a year",
    ),
    "list.no_excess": (
        "{window} жылда {injured} жарақат алған, {section}/{size} салаластары деңгейінде күтілетіні {expected}; "
        "орны интегралдық тәуекел бағасымен анықталады",
        "{injured} пострадавших за {window} лет при {expected} ожидаемых для аналогов {section}/{size}; "
        "место определяется интегральной оценкой риска",
        "{injured} injured in {window} years vs {expected} expected for {section}/{size} peers; "
        "placed by the integral risk score",
    ),
    "flag.uninsured": ("сақтандырылмаған", "нет договора страхования", "not insured"),
    "flag.unassessed": ("тәуекел бағаланбаған", "нет оценки рисков", "no risk assessment"),
    "flag.violations": ("ЕҚЕҚ бойынша {violations} бұзушылық анықталған", "выявлено нарушений по охране труда: {violations}",
                        "{violations} OSH violations found"),
    # the five parts of the integral score (explain)
    "part.assessment.assessed": (
        "жұмыс орындарын бағалау индексі {index} (1-ден); {workplaces} жұмыс орны, қызметкерлер бойынша өлшенген; "
        "зиянды жағдайда {harmful} қызметкер",
        "индекс оценки рабочих мест {index} из 1; рабочих мест: {workplaces}, взвешено по работникам; "
        "во вредных условиях: {harmful}",
        "workplace risk assessment index {index} of 1 ({workplaces} workplaces, worker-weighted; "
        "{harmful} workers in harmful conditions)",
    ),
    "part.assessment.prior": (
        "бағаланбаған: {section}/{size} салаластарының орташасы, индекс {index} (1-ден)",
        "оценки нет: принято среднее аналогов {section}/{size}, индекс {index} из 1",
        "not assessed: prior of {section}/{size} peers, index {index} of 1",
    ),
    "part.injury": (
        "{window} жылда {injured} жарақат ({fatal} қаза), салаластар деңгейінде күтілетіні {expected}; "
        "сенімді деңгей 1000 қызметкерге {rate} (салаластардан {rr} есе)",
        "{injured} пострадавших ({fatal} погибших) за {window} лет при {expected} ожидаемых по уровню аналогов; "
        "достоверный уровень {rate} на 1000 работников (в {rr} раза выше аналогов)",
        "{injured} injured ({fatal} fatal) in {window} years vs {expected} expected at the peer rate; "
        "credible rate {rate} per 1000 workers ({rr}x peers after shrinkage)",
    ),
    "part.disease": (
        "{window} жылда кәсіптік аурудың {cases} жағдайы, күтілетіні {expected} (салаластардан {rr} есе)",
        "{cases} случаев профзаболеваний за {window} лет при {expected} ожидаемых (в {rr} раза выше аналогов)",
        "{cases} occupational-disease cases in {window} years vs {expected} expected ({rr}x peers after shrinkage)",
    ),
    "part.compliance.inspected": (
        "{inspections} тексерісте ЕҚЕҚ бойынша {violations} бұзушылық",
        "нарушений по охране труда: {violations} за {inspections} проверок",
        "{violations} OSH violations in {inspections} inspections",
    ),
    "part.compliance.none": (
        "кезеңде тексерілмеген: сала орташасы алынды",
        "в периоде не проверялось: принято среднее по отрасли",
        "not inspected in the window: section average assumed",
    ),
    "part.insurance.insured": ("сақтандырылған (міндетті сақтандыру шарты бар)", "застраховано (договор ОСНС есть)",
                               "insured (employer's liability contract)"),
    "part.insurance.uninsured": ("сақтандыру шарты жоқ: +{points} балл", "нет договора страхования: +{points} баллов",
                                 "no employer's liability contract: +{points} points"),
    "missing": ("деректер жоқ", "нет данных", "no data"),
}


class ReasonError(KeyError):
    """A reason key or language without a text."""

    def __str__(self) -> str:
        return str(self.args[0])


@dataclass(frozen=True)
class Reason:
    """A sentence to be written in the reader's language: a key of TEXTS and its parameters."""

    key: str
    params: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.key not in TEXTS:
            raise ReasonError(f"unknown reason key {self.key!r}; expected one of {', '.join(sorted(TEXTS))}")

    def __hash__(self) -> int:
        return hash((self.key, tuple(sorted(self.params.items()))))


def number(value: float, lang: str, *, decimals: int = 0) -> str:
    """2449.5 -> '2 449,5' (kk, ru) or '2 449.5' (en): the same format as layers.numbers.fmt_number (a test
    compares them)."""
    if value is None or not math.isfinite(float(value)):
        return TEXTS["missing"][LANGS.index(lang)]
    text = f"{float(value):,.{decimals}f}"
    if text.lstrip("-").strip("0.,") == "":
        text = text.lstrip("-")
    return text.replace(",", THOUSANDS).replace(".", DECIMAL[lang]).replace("-", "\u2212")


def _value(name: str, value: Any, lang: str) -> str:
    if name == "size":
        words = SIZE_WORDS.get(str(value))
        return words[LANGS.index(lang)] if words else str(value)
    if name in DECIMALS:
        return number(float(value), lang, decimals=DECIMALS[name])
    return str(value)


def render(reason: Reason, lang: str) -> str:
    """The sentence of `reason` in `lang` (kk, ru or en), numbers in that language's format."""
    if lang not in LANGS:
        raise ReasonError(f"language {lang!r}: expected one of {', '.join(LANGS)}")
    template = TEXTS[reason.key][LANGS.index(lang)]
    return template.format(**{k: _value(k, v, lang) for k, v in reason.params.items()})


def render_all(reasons: Iterable[Reason], lang: str, *, sep: str = "; ") -> str:
    return sep.join(render(r, lang) for r in reasons)
