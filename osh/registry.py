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


# --- per-indicator methodology -----------------------------------------------------------------------------------
# What a reader needs one click from every chart and map: the definition (with its formula), where the numerator
# comes from, the denominator, and the caveats. The methodology page and every chart's "about" panel read these
# texts; none keeps a copy. Sources name the input tables of docs/loading.md and the series rule of docs/series.md.


@dataclass(frozen=True)
class Method:
    definition: Mapping[str, str]  # what is measured, with the formula
    source: Mapping[str, str]  # where the numerator (or the count) comes from
    denominator: Mapping[str, str] | None  # None: a count, nothing is divided
    caveats: Mapping[str, str]

    def text(self, part: Literal["definition", "source", "denominator", "caveats"], lang: str) -> str:
        texts = getattr(self, part)
        if texts is None:
            return ""
        return str(texts[lang if lang in texts else "en"])


_COUNTS_SOURCE = _n(
    "Таңдалған қатардың жарияланған сандары (injury_counts); жазбалар қатары үшін — жазатайым оқиғалар актілері (Н-1). "
    "Толық емес деңгей ұсақ бірліктерден тек олар деңгейді толық қамтыса ғана қосылады.",
    "Опубликованные числа выбранного ряда (injury_counts); для ряда записей — акты о несчастных случаях (Н-1). "
    "Уровень суммируется из более мелких единиц, только если они покрывают его целиком.",
    "The chosen series' published counts (injury_counts); for the records series, the accident acts (N-1). A level "
    "is summed from finer units only when they cover it entirely.",
)
_DISEASE_SOURCE = _n(
    "Таңдалған қатардың жарияланған сандары (disease_counts); жазбалар қатары үшін — кәсіптік ауру жағдайларының жазбалары.",
    "Опубликованные числа выбранного ряда (disease_counts); для ряда записей — записи о случаях профзаболеваний.",
    "The chosen series' published counts (disease_counts); for the records series, the occupational-disease case records.",
)
_WORKERS = _n(
    "Сол қатар мен ұяшықтың жұмыскерлері: сандармен бірге жарияланғандары, болмаса жұмыспен қамту кестесі (employment), "
    "болмаса (жазбалар қатары) тізілімдегі қызметкерлер.",
    "Работники того же ряда и ячейки: опубликованные вместе с числами, иначе таблица занятости (employment), иначе "
    "(ряд записей) работники по регистру.",
    "Workers of the same series and cell: published with the counts, else the employment table, else (records series) "
    "the register's employees.",
)
_ENTERPRISES = _n(
    "Жылдағы белсенді кәсіпорындар (кәсіпорындар тізілімі).",
    "Действующие предприятия года (регистр предприятий).",
    "Active enterprises of the year (the enterprise register).",
)
_RATE_CAVEAT = _n(
    "95 % аралығы — дәл Пуассон (Гарвуд) аралығы; шағын өңірлер мен салаларда ол кең. Екі қатардың сандары "
    "ешқашан қосылмайды және салыстырылмайды.",
    "95 % интервал — точный пуассоновский (Гарвуда); в малых регионах и отраслях он широк. Числа двух рядов "
    "никогда не складываются и не сравниваются.",
    "The 95 % interval is the exact (Garwood) Poisson interval; it is wide for small regions and sectors. Figures of "
    "two series are never added or compared.",
)
_SUPPRESSION = _n(
    "3 кәсіпорыннан аз немесе бір кәсіпорын жұмыскерлердің 85 %-дан астамын ұстайтын ұяшық «құпия» болып жарияланбайды.",
    "Ячейка, где меньше 3 предприятий или одно предприятие держит более 85 % работников, «конфиденциальна» и не публикуется.",
    "A cell with fewer than 3 enterprises, or where one enterprise holds more than 85 % of the workers, is "
    "'confidential' and not published.",
)


def _join(*parts: Mapping[str, str]) -> dict[str, str]:
    return {lang: " ".join(p[lang] for p in parts) for lang in LANGS}


_METHODS: dict[str, Method] = {
    "injured": Method(
        _n("Жылдағы өндірістегі жазатайым оқиғалардан зардап шеккендер саны (қаза тапқандарды қоса).",
           "Число пострадавших при несчастных случаях на производстве за год (включая погибших).",
           "People injured in work accidents in the year (fatalities included)."),
        _COUNTS_SOURCE, None,
        _join(_n("ҰСБ қатары кәсіптік ауру мен улану жағдайларын да қамтиды; ЕХӘҚМ қатары тек тексерілген оқиғаларды.",
                 "Ряд БНС включает и случаи профзаболеваний и отравлений; ряд МТСЗН — только расследованные случаи.",
                 "The BNS series also counts occupational-disease and poisoning cases; the MLSP series only investigated "
                 "accidents."), _SUPPRESSION),
    ),
    "fatal": Method(
        _n("Жылдағы өндірістегі жазатайым оқиғалардан қаза тапқандар саны.",
           "Число погибших при несчастных случаях на производстве за год.",
           "People killed in work accidents in the year."),
        _COUNTS_SOURCE, None, _SUPPRESSION,
    ),
    "injury_rate_1000": Method(
        _n("Жарақаттану жиілігі = зардап шеккендер ÷ жұмыскерлер × 1000.",
           "Частота травматизма = пострадавшие ÷ работники × 1000.",
           "Injury rate = injured ÷ workers × 1000."),
        _COUNTS_SOURCE, _WORKERS, _join(_RATE_CAVEAT, _SUPPRESSION),
    ),
    "fatal_rate_1000": Method(
        _n("Өліммен аяқталған жарақаттану жиілігі = қаза тапқандар ÷ жұмыскерлер × 1000.",
           "Частота смертельного травматизма = погибшие ÷ работники × 1000.",
           "Fatal injury rate = fatal ÷ workers × 1000."),
        _COUNTS_SOURCE, _WORKERS,
        _join(_RATE_CAVEAT, _n("Өлім сирек: бір жылдағы бір оқиға шағын өңірдің жиілігін бірнеше есе өзгертеді.",
                               "Гибель редка: один случай за год меняет частоту малого региона в разы.",
                               "Deaths are rare: one case in a year changes a small region's rate several-fold.")),
    ),
    "hidden_ratio": Method(
        _n("Жасырын жарақаттану коэффициенті = өліммен аяқталмаған ÷ өліммен аяқталған жағдайлар (ХЕҰ көрсеткіші, N:1).",
           "Коэффициент скрытого травматизма = нелетальные ÷ смертельные случаи (показатель МОТ, N:1).",
           "Hidden-injury ratio = non-fatal ÷ fatal cases (the ILO's indicator, N:1)."),
        _COUNTS_SOURCE,
        _n("Қаза тапқандар саны (сол қатар мен ұяшық).", "Число погибших (тот же ряд и ячейка).",
           "The number of fatalities (same series and cell)."),
        _n("Жоғары мән — толығырақ есеп беру. Қаза болмаған жылы коэффициент жоқ («коэффициент жоқ»), ешқашан ∞ немесе 0.",
           "Выше — значит полнее учёт. В году без гибели коэффициента нет («нет коэффициента»), никогда не ∞ и не 0.",
           "Higher means fuller reporting. A year without a death has no ratio ('no ratio'), never ∞ or 0."),
    ),
    "disease_cases": Method(
        _n("Жылда алғаш анықталған кәсіптік ауру жағдайлары.",
           "Случаи профессиональных заболеваний, впервые выявленные за год.",
           "Occupational disease cases first diagnosed in the year."),
        _DISEASE_SOURCE, None,
        _join(_n("Себеп топтары бойынша құпия топтар графикте сұр «құпия» қалдық болып көрсетіледі.",
                 "Конфиденциальные группы причин показаны на графике серым остатком «конфиденциально».",
                 "Confidential cause groups are drawn as a grey 'confidential' remainder in the chart."), _SUPPRESSION),
    ),
    "disease_rate_100k": Method(
        _n("Кәсіптік аурушаңдық = кәсіптік ауру жағдайлары ÷ жұмыскерлер × 100 000.",
           "Профессиональная заболеваемость = случаи профзаболеваний ÷ работники × 100 000.",
           "Occupational disease rate = occupational disease cases ÷ workers × 100 000."),
        _DISEASE_SOURCE, _WORKERS,
        _join(_n("Ауру жылдар өткен соң анықталады: көрсеткіш бүгінгі емес, бұрынғы жағдайды көрсетеді.",
                 "Болезнь выявляется через годы: показатель отражает прошлые, а не нынешние условия.",
                 "A disease is diagnosed years after the exposure: the rate reflects past, not present, conditions."),
              _SUPPRESSION),
    ),
    "insured_share": Method(
        _n("ЖОМС қамтуы = жазатайым оқиғадан сақтандыру шарты бар кәсіпорындар ÷ белсенді кәсіпорындар.",
           "Охват ОСНС = предприятия с договором страхования от несчастных случаев ÷ действующие предприятия.",
           "Insurance coverage = enterprises with an accident-insurance contract ÷ active enterprises."),
        _n("Сақтандыру шарттары кестесі (insurance), кәсіпорындар тізіліміне БСН бойынша байланыстырылған.",
           "Таблица договоров страхования (insurance), связанная с регистром предприятий по БИН.",
           "The insurance contracts table (insurance), linked to the enterprise register by BIN."),
        _ENTERPRISES,
        _n("Кәсіпорындар бойынша үлес, жұмыскерлер бойынша емес: шағын кәсіпорындар салмағы үлкен.",
           "Доля по предприятиям, а не по работникам: малые предприятия весят столько же, сколько крупные.",
           "A share of enterprises, not of workers: a small enterprise weighs as much as a large one."),
    ),
    "assessed_share": Method(
        _n("Кәсіптік тәуекелдерді бағалаумен қамту = тәуекелі бағаланған кәсіпорындар ÷ белсенді кәсіпорындар.",
           "Охват оценкой профрисков = предприятия с оценкой профессиональных рисков ÷ действующие предприятия.",
           "Risk-assessment coverage = enterprises with an occupational risk assessment ÷ active enterprises."),
        _n("Жұмыс орындарын бағалау тізілімі (workplace_assessments): кәсіпорын алғашқы бағалау жылынан бастап есептеледі.",
           "Регистр оценок рабочих мест (workplace_assessments): предприятие учитывается с года первой оценки.",
           "The workplace-assessment register (workplace_assessments): an enterprise counts from the year of its first "
           "assessment on."),
        _ENTERPRISES,
        _n("Бағалаудың ескіргені ескерілмейді.", "Давность оценки не учитывается.", "How old the assessment is is not considered."),
    ),
    "self_assessed_share": Method(
        _n("Аккредиттелген бағалауы жоқ, бірақ соңғы 3 жылда жұмыс берушінің өзін-өзі бағалауы бар кәсіпорындар ÷ белсенді "
           "кәсіпорындар.",
           "Предприятия без аккредитованной оценки, но с самооценкой работодателя за последние 3 года ÷ действующие "
           "предприятия.",
           "Enterprises with no accredited assessment but an employer's self-assessment in the last 3 years ÷ active "
           "enterprises."),
        _n("Жұмыс берушілердің экспресс өзін-өзі бағалау нәтижелері (тізілімге жіберілгендері).",
           "Результаты экспресс-самооценки работодателей (отправленные в регистр).",
           "The employers' express self-check results sent to the register."),
        _ENTERPRISES,
        _n("Аккредиттелген бағалау емес: тәуекелдерді бағалаумен қамтуға және 1-нысаналы көрсеткішке қосылмайды.",
           "Не аккредитованная оценка: не входит в охват оценкой рисков и в целевой индикатор 1.",
           "Not an accredited assessment: not part of risk-assessment coverage nor of target 1."),
    ),
    "harmful_share": Method(
        _n("Зиянды және/немесе қауіпті жағдайдағы жұмыскерлер ÷ жұмыскерлер.",
           "Работники во вредных и/или опасных условиях ÷ работники.",
           "Workers in harmful and/or hazardous conditions ÷ workers."),
        _n("Жұмыспен қамту кестесі (employment), болмаса кәсіпорындар тізілімі.",
           "Таблица занятости (employment), иначе регистр предприятий.",
           "The employment table, else the enterprise register."),
        _WORKERS,
        _n("Жұмыс орындарын аттестаттау жүргізілгенде ғана белгілі: бағаланбаған кәсіпорындарда төмен көрінеді.",
           "Известно только там, где проведена аттестация рабочих мест: у неоценённых предприятий занижено.",
           "Known only where workplaces were assessed: it reads low for enterprises never assessed."),
    ),
    "osh_violation_share": Method(
        _n("ЕҚ бұзушылықтарының үлесі = еңбек қауіпсіздігі бұзушылықтары ÷ анықталған барлық еңбек заңнамасы бұзушылықтары.",
           "Доля нарушений охраны труда = нарушения по безопасности и охране труда ÷ все выявленные нарушения трудового "
           "законодательства.",
           "Share of OSH violations = OSH violations ÷ all labour-law violations found."),
        _n("Тексерулер кестесі (inspections).", "Таблица проверок (inspections).", "The inspections table (inspections)."),
        _n("Сол тексерулерде анықталған барлық бұзушылықтар.", "Все нарушения, выявленные теми же проверками.",
           "All violations found by the same inspections."),
        _n("Тексерулер кездейсоқ таңдалмайды: үлес тексерілген кәсіпорындарды сипаттайды, бүкіл экономиканы емес.",
           "Проверки не случайны: доля описывает проверенные предприятия, а не всю экономику.",
           "Inspections are not a random sample: the share describes the enterprises inspected, not the whole economy."),
    ),
    "harmful_workers": Method(
        _n("Зиянды және/немесе қауіпті жағдайдағы жұмыскерлер саны.",
           "Число работников во вредных и/или опасных условиях.",
           "Number of workers in harmful and/or hazardous conditions."),
        _n("Жұмыспен қамту кестесі (employment), болмаса кәсіпорындар тізілімі.",
           "Таблица занятости (employment), иначе регистр предприятий.",
           "The employment table, else the enterprise register."),
        None,
        _n("Жұмыс орындарын аттестаттау жүргізілгенде ғана белгілі.", "Известно только там, где проведена аттестация.",
           "Known only where workplaces were assessed."),
    ),
    "workers": Method(
        _n("Жұмыскерлер саны — жиіліктер мен үлестердің бөлгіші.", "Число работников — знаменатель частот и долей.",
           "Number of workers: the denominator of the rates and shares."),
        _WORKERS, None,
        _n("Бөлгіш алымнан аз ұяшықты қамтыса, ол қолданылмайды (көрсеткіш «деректер жоқ»).",
           "Знаменатель, покрывающий меньше ячеек, чем числитель, не используется (показатель «нет данных»).",
           "A denominator covering fewer cells than its numerator is never used (the indicator is 'no data')."),
    ),
}


# The OSH-measure aggregates (docs/methodology.md, "OSH measures in aggregate"): every figure is a ratio of sums over
# the enterprises that reported, taken after disclosure control.
_MEASURE_SOURCE = _n(
    "Кәсіпорындардың жылдық еңбекті қорғау іс-шаралары туралы есептері (osh_measures), кәсіпорынның тіркелген "
    "өңірі (ҚАТО) мен ЭҚЖЖ бөлімі бойынша қосылған.",
    "Годовые отчёты предприятий о мероприятиях по охране труда (osh_measures), сложенные по зарегистрированному "
    "региону предприятия (КАТО) и разделу ОКЭД.",
    "The enterprises' yearly reports of OSH measures (osh_measures), summed by the enterprise's registered region "
    "(KATO) and OKED section.",
)
_MEASURE_WORKERS = _n(
    "Есеп берген кәсіпорындардың жұмыскерлері (тек есеп бергендер, бүкіл экономика емес).",
    "Работники отчитавшихся предприятий (только отчитавшиеся, не вся экономика).",
    "Workers of the reporting enterprises (the reporters only, not the whole economy).",
)
_MEASURE_CAVEAT = _n(
    "Көрсеткіш тек есеп берген кәсіпорындарды сипаттайды, олардың құрамы жылдан жылға өзгеруі мүмкін. 5-тен аз кәсіпорын "
    "есеп берген немесе бір кәсіпорын жұмыскерлердің 85 %-дан астамын ұстайтын ұяшық «құпия»; өңір × сала ұяшықтары "
    "жарияланбайды.",
    "Показатель описывает только отчитавшиеся предприятия, их состав может меняться год от года. Ячейка, где "
    "отчиталось меньше 5 предприятий или одно держит более 85 % работников, «конфиденциальна»; ячейки регион × "
    "отрасль не публикуются.",
    "The figure describes the reporting enterprises only, and which enterprises report can change between years. A "
    "cell with fewer than 5 reporters, or where one holds more than 85 % of the workers, is 'confidential'; region × "
    "sector cells are never published.",
)
_OWED_CAVEAT = _n(
    "Бұл зиянды еңбек үшін міндетті: көп үлес зиянның да, қамқорлықтың да белгісі, сондықтан ол «жақсы» не «нашар» "
    "деп бағаланбайды.",
    "Это положено за вредный труд: большая доля говорит и о вредности, и о заботе, поэтому она не оценивается как "
    "«лучше» или «хуже».",
    "This is owed for harmful work: a larger share says as much about the harm as about the care, so it is called "
    "neither better nor worse.",
)


def _share_method(definition: Mapping[str, str], *, owed: bool = False,
                  denominator: Mapping[str, str] = _MEASURE_WORKERS) -> Method:
    caveats = _join(_MEASURE_CAVEAT, _OWED_CAVEAT) if owed else dict(_MEASURE_CAVEAT)
    return Method(definition, _MEASURE_SOURCE, denominator, caveats)


_METHODS.update({
    "funding_per_worker": _share_method(_n(
        "Бір жұмыскерге еңбекті қорғауға жұмсалған қаражат = Σ(бір жұмыскерге шығын × жұмыскерлер) ÷ Σ жұмыскерлер, теңге.",
        "Расходы на охрану труда на работника = Σ(расходы на работника × работники) ÷ Σ работники, тенге.",
        "OSH spending per worker = Σ(spending per worker × workers) ÷ Σ workers, in tenge.")),
    "ppe_share": _share_method(_n(
        "Сертификатталған ЖҚҚ-мен қамтамасыз етілу = Σ(норманың %-ы × жұмыскерлер) ÷ Σ жұмыскерлер.",
        "Обеспеченность сертифицированными СИЗ = Σ(% от нормы × работники) ÷ Σ работники.",
        "Provision with certified PPE = Σ(% of the norm × workers) ÷ Σ workers.")),
    "medical_exam_share": _share_method(_n(
        "Мерзімдік медициналық тексеру = Σ(тексерілуге тиістілердің тексерілген %-ы × жұмыскерлер) ÷ Σ жұмыскерлер.",
        "Периодический медосмотр = Σ(% прошедших из подлежащих × работники) ÷ Σ работники.",
        "Periodic medical examinations = Σ(% of the workers due who were examined × workers) ÷ Σ workers.")),
    "guarantee_share": _share_method(_n(
        "Кемінде бір кепілдік не өтемақы алған жұмыскерлер ÷ жұмыскерлер × 100.",
        "Работники, получившие хотя бы одну гарантию или компенсацию ÷ работники × 100.",
        "Workers given at least one guarantee or compensation ÷ workers × 100."), owed=True),
    "nutrition_share": _share_method(_n(
        "Емдік-профилактикалық тамақ алған жұмыскерлер ÷ жұмыскерлер × 100.",
        "Работники, получившие лечебно-профилактическое питание ÷ работники × 100.",
        "Workers given therapeutic and preventive nutrition ÷ workers × 100."), owed=True),
    "milk_share": _share_method(_n(
        "Сүт не тең бағалы өнім алған жұмыскерлер ÷ жұмыскерлер × 100.",
        "Работники, получившие молоко или равноценные продукты ÷ работники × 100.",
        "Workers given milk or equivalent food ÷ workers × 100."), owed=True),
    "sanitary_share": _share_method(_n(
        "Санитарлық-тұрмыстық үй-жайлары нормаға сай кәсіпорындар ÷ есеп берген кәсіпорындар × 100.",
        "Предприятия с санитарно-бытовыми помещениями по нормам ÷ отчитавшиеся предприятия × 100.",
        "Enterprises with sanitary facilities up to the norms ÷ reporting enterprises × 100."),
        denominator=_n("Есеп берген кәсіпорындар.", "Отчитавшиеся предприятия.", "The reporting enterprises.")),
    "reporting_enterprises": Method(
        _n("Жылға еңбекті қорғау іс-шаралары туралы есеп берген кәсіпорындар саны.",
           "Число предприятий, отчитавшихся о мероприятиях по охране труда за год.",
           "Enterprises that reported their OSH measures for the year."),
        _MEASURE_SOURCE, None, _MEASURE_CAVEAT),
    "reporting_workers": Method(
        _n("Есеп берген кәсіпорындардың жұмыскерлері саны.", "Число работников отчитавшихся предприятий.",
           "Workers of the enterprises that reported."),
        _MEASURE_SOURCE, None, _MEASURE_CAVEAT),
})


def has_method(indicator_id: str) -> bool:
    """Whether the registry holds the reader's methodology of an indicator (every indicator of the public
    indicator table and of the OSH-measure table does)."""
    return indicator_id in _METHODS


def method(indicator_id: str) -> Method:
    """The methodology of an indicator (definition, source, denominator, caveats in kk / ru / en)."""
    indicator(indicator_id)  # an unknown id raises RegistryError naming the known ones
    try:
        return _METHODS[indicator_id]
    except KeyError:
        raise RegistryError(f"no reader's methodology for indicator {indicator_id!r} yet; "
                            f"written for: {', '.join(_METHODS)}") from None
