"""The official series of work-injury and occupational-disease counts: which system counted what.

Kazakhstan publishes two national counts of people injured at work that count different things (see
docs/series.md). A count or denominator always belongs to one series; figures of two series are never added,
compared or joined into one line. The `source` column of `injury_counts` / `disease_counts` holds a series id
(aliases as the releases write them are normalised on load); record-level tables (`accidents`,
`occupational_diseases`) belong to the store's *records series* (`records_series()`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from data import settings


@dataclass(frozen=True)
class Series:
    id: str
    label: dict[str, str]  # short name, kk / ru / en
    definition: dict[str, str]  # one line: who counts what
    aliases: tuple[str, ...] = ()

    def name(self, lang: str) -> str:
        return self.label.get(lang, self.label["en"])

    def describe(self, lang: str) -> str:
        return self.definition.get(lang, self.definition["en"])


BNS = Series(
    "bns",
    {
        "kk": "ҰСБ (Ұлттық статистика бюросы)",
        "ru": "БНС (Бюро национальной статистики)",
        "en": "BNS (Bureau of National Statistics)",
    },
    {
        "kk": "Кемінде бір күн еңбекке жарамсыздығы бар зардап шеккендер, кәсіптік аурулар мен улану жағдайларын қоса алғанда "
        "(ҰСБ-ның еңбекпен байланысты жарақаттану туралы жыл сайынғы есебі).",
        "ru": "Пострадавшие с утратой трудоспособности на 1 день и более, включая случаи профессиональных заболеваний и "
        "отравлений (ежегодный отчёт БНС о травматизме, связанном с трудовой деятельностью).",
        "en": "Victims with at least one day of incapacity, including occupational-disease and poisoning cases (the "
        "Bureau of National Statistics' annual report on work-related injuries).",
    },
    aliases=(
        "bns", "stat", "stat.gov.kz", "statistics bureau", "bureau of national statistics", "бнс", "бюро национальной статистики",
        "комитет по статистике", "ұсб", "ұлттық статистика бюросы",
    ),
)

MLSP = Series(
    "mlsp",
    {
        "kk": "ЕХӘҚМ (Еңбек инспекциясы)",
        "ru": "МТСЗН (трудовая инспекция)",
        "en": "MLSP (labour inspectorate)",
    },
    {
        "kk": "Еңбек инспекциясы тергеп-тексерген кәсіпорындардағы жазатайым оқиғаларда зардап шеккендер (Еңбек және халықты "
        "әлеуметтік қорғау министрлігі).",
        "ru": "Пострадавшие при несчастных случаях на предприятиях, расследованных трудовой инспекцией (Министерство труда и "
        "социальной защиты населения).",
        "en": "People injured in accidents at enterprises that the labour inspectorate investigated (Ministry of Labour "
        "and Social Protection).",
    },
    aliases=(
        "mlsp", "mtszn", "labour ministry", "ministry of labour", "labour inspectorate", "state labour inspection committee",
        "мтсзн", "минтруда", "министерство труда", "комитет государственной инспекции труда", "ехәқм", "еңбекмині",
        "еңбек министрлігі",
    ),
)

KNOWN: dict[str, Series] = {s.id: s for s in (BNS, MLSP)}
_ALIASES: dict[str, str] = {a: s.id for s in KNOWN.values() for a in s.aliases}


def _fold(text: str) -> str:
    return re.sub(r"\s+", " ", str(text).strip().lower())


def normalise(source: str) -> str:
    """A source name as releases write it -> the series id; an unknown name is kept (folded) as its own series."""
    folded = _fold(source)
    return _ALIASES.get(folded, folded)


def get(series_id: str) -> Series:
    """The series with this id; an unknown id (a source system we have no description of) gets a plain label."""
    known = KNOWN.get(series_id)
    if known is not None:
        return known
    text = {"kk": series_id, "ru": series_id, "en": series_id}
    return Series(series_id, text, {"kk": "", "ru": "", "en": ""})


def label(series_id: str, lang: str) -> str:
    return get(series_id).name(lang)


def definition(series_id: str, lang: str) -> str:
    return get(series_id).describe(lang)


def default_series() -> str:
    """The series shown when the user has not picked one (setting ENBEK_SERIES)."""
    return normalise(settings.get("ENBEK_SERIES"))


def records_series(stored: str | None = None) -> str:
    """The series the store's record-level tables belong to: what the store says (the demo build writes it),
    else the setting ENBEK_RECORDS_SERIES."""
    return normalise(stored or settings.get("ENBEK_RECORDS_SERIES"))
