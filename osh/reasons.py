"""Why an enterprise scores as it does, as translation keys with parameters, and their texts in kk, ru, en.

osh/risk.py (explain) and osh/enterprises.py (the inspection plan) return Reason objects, never sentences; the
dashboard, the downloads and the PDF briefing render them with `render` in the reader's language, so the same
sentence reaches every surface. The texts live here (not in dashboard/locales) because layers/ may not read
dashboard/ and both must say the same thing.
"""

from __future__ import annotations

import math
import string
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

LANGS: tuple[str, ...] = ("kk", "ru", "en")
THOUSANDS = "\u202f"  # layers/numbers.py's conventions (osh may not import layers): a decimal comma in kk and ru
DECIMAL: dict[str, str] = {"kk": ",", "ru": ",", "en": "."}

# Decimals of each numeric parameter, so "3.5" reads "3,5" in kk/ru and never "3.4999999".
DECIMALS: dict[str, int] = {
    "injured": 0, "fatal": 0, "window": 0, "expected": 1, "rr": 1, "excess": 2, "rate": 2, "index": 2,
    "workplaces": 0, "harmful": 0, "cases": 0, "violations": 0, "inspections": 0, "points": 0, "weight": 1,
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
        "{injured} {injured:пострадавший|пострадавших|пострадавших} ({fatal} {fatal:погибший|погибших|погибших}) "
        "за {window} {window:год|года|лет} при {expected} ожидаемых для аналогов {section}/{size}; достоверный уровень "
        "в {rr} раза выше аналогов; около {excess} "
        "{excess:предотвратимой травмы|предотвратимых травм|предотвратимых травм|предотвратимой травмы} в год",
        "{injured} injured ({fatal} fatal) in {window} {window:year|years} vs {expected} expected for {section}/{size} "
        "peers; credible rate {rr}x peers; about {excess} {excess:preventable injury|preventable injuries} a year",
    ),
    "list.no_excess": (
        "{window} жылда {injured} жарақат алған, {section}/{size} салаластары деңгейінде күтілетіні {expected}; "
        "орны интегралдық тәуекел бағасымен анықталады",
        "{injured} {injured:пострадавший|пострадавших|пострадавших} за {window} {window:год|года|лет} при {expected} "
        "ожидаемых для аналогов {section}/{size}; место определяется интегральной оценкой риска",
        "{injured} injured in {window} {window:year|years} vs {expected} expected for {section}/{size} peers; "
        "placed by the integral risk score",
    ),
    "flag.uninsured": ("сақтандырылмаған", "нет договора страхования", "not insured"),
    "flag.unassessed": ("тәуекел бағаланбаған", "нет оценки рисков", "no risk assessment"),
    "flag.self_assessed": (
        "тек жұмыс берушінің өзін-өзі бағалауы бар (салмағы {weight})",
        "есть только самооценка работодателя (вес {weight})",
        "only the employer's own self-assessment (weight {weight})",
    ),
    "flag.violations": ("ЕҚЕҚ бойынша {violations} бұзушылық анықталған", "выявлено нарушений по охране труда: {violations}",
                        "{violations} OSH {violations:violation|violations} found"),
    # the five parts of the integral score (explain)
    "part.assessment.assessed": (
        "жұмыс орындарын бағалау индексі {index} (1-ден); {workplaces} жұмыс орны, қызметкерлер бойынша өлшенген; "
        "зиянды жағдайда {harmful} қызметкер",
        "индекс оценки рабочих мест {index} из 1; рабочих мест: {workplaces}, взвешено по работникам; "
        "во вредных условиях: {harmful}",
        "workplace risk assessment index {index} of 1 ({workplaces} workplaces, worker-weighted; "
        "{harmful} workers in harmful conditions)",
    ),
    # an employer's express self-check (osh/selfcheck/weight.py): partial credibility, blended with the peer prior
    "part.assessment.self": (
        "жұмыс орындарын бағалау — жұмыс берушінің өз экспресс-бағалауы ({weight} салмақпен {section}/{size} "
        "салаластарының орташасымен біріктірілген): индекс {index} (1-ден)",
        "оценка рабочих мест — собственная экспресс-самооценка работодателя (учтена с весом {weight} вместе "
        "со средним аналогов {section}/{size}): индекс {index} из 1",
        "the workplace assessment is the employer's own express self-check (counted at weight {weight} with the "
        "{section}/{size} peer prior): index {index} of 1",
    ),
    "part.assessment.prior": (
        "бағаланбаған: {section}/{size} салаластарының орташасы, индекс {index} (1-ден)",
        "оценки нет: принято среднее аналогов {section}/{size}, индекс {index} из 1",
        "not assessed: prior of {section}/{size} peers, index {index} of 1",
    ),
    "part.injury": (
        "{window} жылда {injured} жарақат ({fatal} қаза), салаластар деңгейінде күтілетіні {expected}; "
        "сенімді деңгей 1000 қызметкерге {rate} (салаластардан {rr} есе)",
        "{injured} {injured:пострадавший|пострадавших|пострадавших} ({fatal} {fatal:погибший|погибших|погибших}) "
        "за {window} {window:год|года|лет} при {expected} ожидаемых по уровню аналогов; "
        "достоверный уровень {rate} на 1000 работников (в {rr} раза выше аналогов)",
        "{injured} injured ({fatal} fatal) in {window} {window:year|years} vs {expected} expected at the peer rate; "
        "credible rate {rate} per 1000 workers ({rr}x peers after shrinkage)",
    ),
    "part.disease": (
        "{window} жылда кәсіптік аурудың {cases} жағдайы, күтілетіні {expected} (салаластардан {rr} есе)",
        "{cases} {cases:случай|случая|случаев} профзаболеваний за {window} {window:год|года|лет} при {expected} "
        "ожидаемых (в {rr} раза выше аналогов)",
        "{cases} occupational-disease {cases:case|cases} in {window} {window:year|years} vs {expected} expected "
        "({rr}x peers after shrinkage)",
    ),
    "part.compliance.inspected": (
        "{inspections} тексерісте ЕҚЕҚ бойынша {violations} бұзушылық",
        "нарушений по охране труда: {violations} за {inspections} {inspections:проверку|проверки|проверок}",
        "{violations} OSH {violations:violation|violations} in {inspections} {inspections:inspection|inspections}",
    ),
    "part.compliance.none": (
        "кезеңде тексерілмеген: сала орташасы алынды",
        "в периоде не проверялось: принято среднее по отрасли",
        "not inspected in the window: section average assumed",
    ),
    "part.insurance.insured": ("сақтандырылған (міндетті сақтандыру шарты бар)", "застраховано (договор ОСНС есть)",
                               "insured (employer's liability contract)"),
    "part.insurance.uninsured": ("сақтандыру шарты жоқ: +{points} балл", "нет договора страхования: +{points} {points:балл|балла|баллов}",
                                 "no employer's liability contract: +{points} {points:point|points}"),
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


# -- plural forms -------------------------------------------------------------------------------------------------
# A count in a sentence takes the noun form the language wants after it. Templates (here and in dashboard/locales)
# write the choice as a format spec holding "|": "{n} {n:предприятие|предприятия|предприятий}". Kazakh nouns after a
# numeral stay singular (5 кәсіпорын), so kk takes one form; English one|other; Russian one|few|many and optionally
# a fourth form for fractions (CLDR "other"; without it the few form, "2,5 предприятия", is used).
PLURAL_FORMS: dict[str, tuple[int, ...]] = {"kk": (1,), "ru": (3, 4), "en": (2,)}


class PluralError(ValueError):
    """A plural choice with the wrong number of forms for its language, or a count that is not a number."""


def _count(value: Any) -> tuple[float, bool]:
    """The number a count shows and whether it shows a fraction ("2,50" does, 2 does not). Accepts numbers and the
    texts `number` / layers.numbers.fmt_number write (narrow spaces, decimal comma, typographic minus)."""
    if isinstance(value, bool):
        raise PluralError(f"a plural choice needs a count, got {value!r}")
    if isinstance(value, int | float):
        n = float(value)
        return n, not (isinstance(value, int) or n.is_integer())
    text = str(value).strip().replace(THOUSANDS, "").replace("\u00a0", "").replace(" ", "").replace("\u2212", "-")
    fraction = "," in text or "." in text
    try:
        return float(text.replace(",", ".")), fraction
    except ValueError:
        raise PluralError(f"a plural choice needs a count, got {value!r}") from None


def plural(n: Any, forms: Sequence[str], lang: str) -> str:
    """The form of a noun after the count `n` in `lang`: ru 1 предприятие, 2 предприятия, 5 предприятий,
    21 предприятие, 12 предприятий, 2,5 предприятия; en 1 enterprise, 2 enterprises, 1.0 enterprises; kk one form.
    `n` may be a number or its formatted text."""
    if lang not in PLURAL_FORMS:
        raise PluralError(f"language {lang!r}: expected one of {', '.join(PLURAL_FORMS)}")
    if len(forms) not in PLURAL_FORMS[lang]:
        expected = " or ".join(str(k) for k in PLURAL_FORMS[lang])
        raise PluralError(f"{lang}: a plural choice needs {expected} forms, got {len(forms)} ({'|'.join(forms)})")
    value, fraction = _count(n)
    if lang == "kk":
        return forms[0]
    if lang == "en":
        return forms[0] if value == 1 and not fraction else forms[1]
    if fraction or not value.is_integer():
        return forms[3] if len(forms) == 4 else forms[1]
    i = abs(int(value))
    if i % 10 == 1 and i % 100 != 11:
        return forms[0]
    if 2 <= i % 10 <= 4 and not 12 <= i % 100 <= 14:
        return forms[1]
    return forms[2]


class _Formatter(string.Formatter):
    def __init__(self, lang: str) -> None:
        self.lang = lang

    def format_field(self, value: Any, format_spec: str) -> str:
        if "|" in format_spec:  # no format mini-language spec holds "|": it is a plural choice
            return plural(value, format_spec.split("|"), self.lang)
        return str(super().format_field(value, format_spec))


def fill(template: str, lang: str, values: Mapping[str, Any]) -> str:
    """`template.format(**values)` that also resolves plural choices ("{n:год|года|лет}") in `lang`; the one
    place every translated text (dashboard.i18n.t, these reasons) is filled."""
    return _Formatter(lang).vformat(template, (), values)


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
    return fill(template, lang, {k: _value(k, v, lang) for k, v in reason.params.items()})


def render_all(reasons: Iterable[Reason], lang: str, *, sep: str = "; ") -> str:
    return sep.join(render(r, lang) for r in reasons)
