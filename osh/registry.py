"""The indicator registry: every fact about an indicator lives here once, and so does the change rule.

An indicator has an id (its column in the public indicator table), a kind, a unit, the decimals it is shown
with, its direction ("is higher worse?"), the columns of its 95 % interval, the Concept target that tracks it,
whether it is a headline figure, and its names and unit in kk / ru / en. The dashboard cards, the briefing
pack and `enbek publish` read these facts from here; none keeps a copy.

The change rule (`change`), one for every page and the PDF:
- counts and rates: the relative change against the previous year, in per cent ((v / p - 1) x 100); no
  change when the previous value is 0;
- shares and ratios: the absolute difference, in points: percentage points for shares (stored 0..1, shown
  in %), points of the ratio for the hidden-injury ratio (10.9:1 -> 11.9:1 is "+1.0");
- it is an improvement when the value moved against its "higher is worse" direction; an indicator without a
  direction (workers) is never called better or worse.
Both values must belong to one series (data/series.py): figures of two series are never compared.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
import pandas as pd

Kind = Literal["count", "rate", "share", "ratio"]
ChangeMode = Literal["relative", "points"]
LANGS: tuple[str, ...] = ("kk", "ru", "en")


class RegistryError(KeyError):
    """An indicator or target id the registry does not know."""

    def __str__(self) -> str:
        return str(self.args[0])


# Units of the indicators: key -> kk, ru, en. The dashboard's "unit.*" texts for these keys come from here.
UNITS: dict[str, dict[str, str]] = {
    "per_1000": {"kk": "1000 жұмыскерге", "ru": "на 1000 работников", "en": "per 1 000 workers"},
    "per_100k": {"kk": "100 000 жұмыскерге", "ru": "на 100 000 работников", "en": "per 100 000 workers"},
    "ratio": {
        "kk": "жазатайым емес : өлім (N:1)",
        "ru": "нелетальные : смертельные (N:1)",
        "en": "non-fatal : fatal (N:1)",
    },
    "percent_workers": {"kk": "жұмыскерлердің %-ы", "ru": "% работников", "en": "% of workers"},
    "percent_enterprises": {"kk": "кәсіпорындардың %-ы", "ru": "% предприятий", "en": "% of enterprises"},
    "percent_violations": {
        "kk": "анықталған бұзушылықтардың %-ы",
        "ru": "% выявленных нарушений",
        "en": "% of violations found",
    },
    "persons": {"kk": "адам", "ru": "чел.", "en": "persons"},
    "cases": {"kk": "жағдай", "ru": "случаев", "en": "cases"},
    # the OSH-measure aggregates (MEASURE_INDICATORS)
    "enterprises": {"kk": "кәсіпорын", "ru": "предприятий", "en": "enterprises"},
    "tenge_per_worker": {"kk": "бір жұмыскерге теңге", "ru": "тенге на работника", "en": "tenge per worker"},
    "percent_norm": {"kk": "норманың %-ы", "ru": "% от нормы", "en": "% of the norm"},
    "percent_workers_due": {
        "kk": "тексеруге тиіс жұмыскерлердің %-ы",
        "ru": "% работников, подлежащих осмотру",
        "en": "% of workers due",
    },
}


@dataclass(frozen=True)
class Indicator:
    id: str  # the column of the public indicator table
    kind: Kind
    unit: str  # a key of UNITS
    decimals: int
    higher_is_worse: bool | None  # None: neither (e.g. the number of workers)
    names: Mapping[str, str]  # kk, ru, en
    interval: tuple[str, str] | None = None  # columns of the 95 % interval (lo, hi)
    target: str | None = None  # the Concept target (TARGETS) that tracks this indicator
    headline: bool = False  # shown on the overview cards and the briefing's first page

    def name(self, lang: str) -> str:
        return self.names[lang if lang in self.names else "en"]

    def unit_text(self, lang: str) -> str:
        return UNITS[self.unit][lang if lang in LANGS else "en"]

    def scale(self) -> float:
        """Factor from the stored value to the shown one (shares are stored 0..1 and shown in %)."""
        return 100.0 if self.kind == "share" else 1.0

    def change_mode(self) -> ChangeMode:
        return "points" if self.kind in ("share", "ratio") else "relative"


def _n(kk: str, ru: str, en: str) -> dict[str, str]:
    return {"kk": kk, "ru": ru, "en": en}


_INDICATORS: tuple[Indicator, ...] = (
    Indicator("injured", "count", "persons", 0, True, _n("Зардап шеккендер", "Пострадавшие", "Injured"), headline=True),
    Indicator("fatal", "count", "persons", 0, True, _n("Қаза тапқандар", "Погибшие", "Fatal"), headline=True),
    Indicator(
        "injury_rate_1000",
        "rate",
        "per_1000",
        2,
        True,
        _n("Жарақаттану жиілігі", "Частота травматизма", "Injury rate"),
        interval=("injury_rate_1000_lo", "injury_rate_1000_hi"),
        target="injury_rate_1000_2030",
        headline=True,
    ),
    Indicator(
        "fatal_rate_1000",
        "rate",
        "per_1000",
        3,
        True,
        _n("Өліммен аяқталған жарақаттану жиілігі", "Частота смертельного травматизма", "Fatal injury rate"),
        interval=("fatal_rate_1000_lo", "fatal_rate_1000_hi"),
        target="fatal_rate_1000",
        headline=True,
    ),
    Indicator(
        "hidden_ratio",
        "ratio",
        "ratio",
        1,
        False,
        _n("Жасырын жарақаттану коэффициенті", "Коэффициент скрытого травматизма", "Hidden-injury ratio"),
        target="hidden_injury_ratio",
        headline=True,
    ),
    Indicator(
        "disease_cases",
        "count",
        "cases",
        0,
        True,
        _n("Кәсіптік ауру жағдайлары", "Случаи профзаболеваний", "Occupational disease cases"),
        headline=True,
    ),
    Indicator(
        "disease_rate_100k",
        "rate",
        "per_100k",
        1,
        True,
        _n("Кәсіптік аурушаңдық", "Профессиональная заболеваемость", "Occupational disease rate"),
        headline=True,
    ),
    Indicator(
        "insured_share",
        "share",
        "percent_enterprises",
        1,
        False,
        _n(
            "ЖОМС сақтандыруымен қамту", "Охват страхованием ОСНС", "Insurance coverage (compulsory accident insurance)"
        ),
        target="insurance_coverage",
        headline=True,
    ),
    Indicator(
        "assessed_share",
        "share",
        "percent_enterprises",
        1,
        False,
        _n(
            "Кәсіптік тәуекелдерді бағалаумен қамту",
            "Охват оценкой профессиональных рисков",
            "Risk-assessment coverage",
        ),
        target="risk_assessment_coverage",
        headline=True,
    ),
    # Counted apart: the employer's own express self-check (osh/selfcheck), not an accredited assessment, so it
    # is not part of assessed_share nor of target 1 (docs/self-check.md).
    Indicator(
        "self_assessed_share",
        "share",
        "percent_enterprises",
        1,
        False,
        _n(
            "Тек өзін-өзі бағалау жүргізген кәсіпорындар",
            "Предприятия только с самооценкой рисков",
            "Enterprises with a self-assessment only",
        ),
    ),
    Indicator(
        "harmful_share",
        "share",
        "percent_workers",
        1,
        True,
        _n(
            "Зиянды жағдайдағы жұмыскерлер үлесі",
            "Доля работников во вредных условиях",
            "Share of workers in harmful conditions",
        ),
        headline=True,
    ),
    Indicator(
        "osh_violation_share",
        "share",
        "percent_violations",
        1,
        True,
        _n("ЕҚ бұзушылықтарының үлесі", "Доля нарушений охраны труда", "Share of OSH violations"),
        target="osh_violation_share_2030",
    ),
    Indicator(
        "harmful_workers",
        "count",
        "persons",
        0,
        True,
        _n("Зиянды жағдайдағы жұмыскерлер", "Работники во вредных условиях", "Workers in harmful conditions"),
    ),
    Indicator("workers", "count", "persons", 0, None, _n("Жұмыскерлер", "Работники", "Workers")),
)
INDICATORS: dict[str, Indicator] = {i.id: i for i in _INDICATORS}
HEADLINE: tuple[str, ...] = tuple(i.id for i in _INDICATORS if i.headline)

# The OSH-measure aggregates of the public measure table (osh.public.protect_measures, from the employers' yearly
# osh_measures reports): an id is a column of that table. Direction: more funding, PPE, examinations and sanitary
# facilities is better; guarantees, nutrition and milk are owed for harmful work, so more of them says as much about
# the harm as about the care, and they are called neither better nor worse.
_MEASURE_INDICATORS: tuple[Indicator, ...] = (
    Indicator("funding_per_worker", "rate", "tenge_per_worker", 0, False,
              _n("Еңбекті қорғау іс-шараларын бір жұмыскерге қаржыландыру",
                 "Финансирование мероприятий по охране труда на работника",
                 "OSH-measure funding per worker")),
    Indicator("ppe_share", "share", "percent_norm", 1, False,
              _n("Сертификатталған ЖҚҚ-мен қамтамасыз етілу", "Обеспеченность сертифицированными СИЗ",
                 "Provision with certified PPE")),
    Indicator("medical_exam_share", "share", "percent_workers_due", 1, False,
              _n("Мерзімдік медициналық тексеруден өткендер", "Прошедшие периодический медосмотр",
                 "Periodic medical examinations done")),
    Indicator("guarantee_share", "share", "percent_workers", 1, None,
              _n("Зиянды еңбек үшін кепілдіктер мен өтемақы алғандар",
                 "Получившие гарантии и компенсации за вредный труд",
                 "Workers given guarantees or compensation for harmful work")),
    Indicator("nutrition_share", "share", "percent_workers", 1, None,
              _n("Емдік-профилактикалық тамақпен қамтамасыз етілгендер",
                 "Обеспеченные лечебно-профилактическим питанием",
                 "Workers given therapeutic and preventive nutrition")),
    Indicator("milk_share", "share", "percent_workers", 1, None,
              _n("Сүтпен немесе тең бағалы өнімдермен қамтамасыз етілгендер",
                 "Обеспеченные молоком или равноценными продуктами",
                 "Workers given milk or equivalent food")),
    Indicator("sanitary_share", "share", "percent_enterprises", 1, False,
              _n("Санитарлық-тұрмыстық үй-жайлары нормаға сай кәсіпорындар",
                 "Предприятия с санитарно-бытовыми помещениями по нормам",
                 "Enterprises with sanitary facilities up to the norms")),
    Indicator("reporting_enterprises", "count", "enterprises", 0, None,
              _n("Есеп берген кәсіпорындар", "Отчитавшиеся предприятия", "Reporting enterprises")),
    Indicator("reporting_workers", "count", "persons", 0, None,
              _n("Есеп берген кәсіпорындардың жұмыскерлері", "Работники отчитавшихся предприятий",
                 "Workers of reporting enterprises")),
)
MEASURE_INDICATORS: dict[str, Indicator] = {i.id: i for i in _MEASURE_INDICATORS}


@dataclass(frozen=True)
class Target:
    """A Concept target indicator (data.official ids): how its plan and actual are shown and what tracks it."""

    id: str
    kind: Literal["rate", "ratio", "percent", "count"]  # of the plan / actual values (percent: 0..100)
    decimals: int
    column: str | None = None  # the indicator column that measures it (None: not in the store)
    factor: float = 1.0  # indicator value x factor = the target's unit
    series: str = field(default="bns")  # the Concept's basis: targets are tracked on the statistics bureau's figures

    @property
    def interval(self) -> tuple[str, str] | None:
        return INDICATORS[self.column].interval if self.column in INDICATORS else None


_TARGETS: tuple[Target, ...] = (
    Target("fatal_rate_1000", "rate", 3, "fatal_rate_1000"),
    Target("hidden_injury_ratio", "ratio", 1, "hidden_ratio"),
    Target("insurance_coverage", "percent", 1, "insured_share", 100.0),
    Target("risk_assessment_coverage", "percent", 1, "assessed_share", 100.0),
    Target("injury_rate_1000_2030", "rate", 2, "injury_rate_1000"),
    Target("osh_violation_share_2030", "percent", 1, "osh_violation_share", 100.0),
    Target("osh_knowledge_check", "percent", 1),  # knowledge checks are not recorded in the store
    Target("state_monitoring_coverage", "percent", 1),  # state monitoring is not recorded in the store
    Target("science_programmes", "count", 0),  # a programme count, not in the store
)
TARGETS: dict[str, Target] = {t.id: t for t in _TARGETS}
TARGET_SERIES = "bns"  # the series the Concept's targets were set on (docs/series.md)


def indicator(indicator_id: str) -> Indicator:
    """An indicator of the public indicator table or of the measure table (their ids never collide)."""
    found = INDICATORS.get(indicator_id) or MEASURE_INDICATORS.get(indicator_id)
    if found is None:
        known = ", ".join([*INDICATORS, *MEASURE_INDICATORS])
        raise RegistryError(f"unknown indicator {indicator_id!r}; known: {known}")
    return found


def target(target_id: str) -> Target:
    try:
        return TARGETS[target_id]
    except KeyError:
        raise RegistryError(f"unknown target {target_id!r}; known: {', '.join(TARGETS)}") from None


def target_of(indicator_id: str) -> Target | None:
    """The target that tracks an indicator column, or None (the measures track none)."""
    tid = indicator(indicator_id).target
    return TARGETS[tid] if tid else None


# --- the change rule -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Change:
    """The change of an indicator against the previous year, in shown units (see the module docstring)."""

    indicator: str
    delta: float  # per cent (mode "relative"), percentage points (shares) or ratio points (mode "points")
    mode: ChangeMode
    better: bool | None  # True: improved; False: worsened; None: no change or no direction


def _number(value: object) -> float | None:
    if value is None or isinstance(value, str):
        return None
    try:
        v = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return v if np.isfinite(v) else None


def change(indicator_id: str, *, value: object, previous: object) -> Change | None:
    """The change from `previous` to `value` by the one rule; None when either is missing (or, for a relative
    change, the previous value is 0)."""
    ind = indicator(indicator_id)
    v, p = _number(value), _number(previous)
    if v is None or p is None:
        return None
    if ind.change_mode() == "points":
        delta = (v - p) * ind.scale()
    elif p == 0:
        return None
    else:
        delta = (v / p - 1.0) * 100.0
    better = None if ind.higher_is_worse is None or v == p else (v < p) == ind.higher_is_worse
    return Change(ind.id, float(delta), ind.change_mode(), better)


def change_values(indicator_id: str, *, value: pd.Series, previous: pd.Series) -> pd.Series:
    """`change(...).delta` for aligned series (a map of changes); NaN where there is no change."""
    ind = indicator(indicator_id)
    v, p = value.astype(float), previous.astype(float)
    if ind.change_mode() == "points":
        return (v - p) * ind.scale()
    return ((v / p.where(p != 0)) - 1.0) * 100.0


# --- one series of the public indicator table ------------------------------------------------------------------


def in_series(frame: pd.DataFrame, series: str) -> pd.DataFrame:
    """The rows of one series (docs/series.md). A table written before series existed (no `series` column)
    holds one series: it is returned whole."""
    if "series" not in frame.columns:
        return frame
    return frame[frame["series"].astype(str) == series]
