"""Official figures of the Safe Labour Concept 2024-2030 as tidy tables, each row with its source line."""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

DOCUMENT = "seed/000_0a7c0a798492aed5.txt"
FIGURE_COLUMNS: tuple[str, ...] = ("figure", "year", "scope", "value", "unit", "source", "note")
TARGET_COLUMNS: tuple[str, ...] = (
    "indicator", "name_en", "name_ru", "name_kk", "year", "plan", "kind", "direction", "unit", "source", "note",
)

# Units. Percentages stay in percent as printed (32 means 32 %); ratios are "N:1" stored as N.
PERSONS = "persons"
THOUSAND = "thousand persons"
PER_1000 = "per 1000 workers"
PER_100K = "per 100 000 workers"
RATIO = "non-fatal : fatal (N:1)"
PCT = "%"
BN_KZT = "bn tenge"
M_KZT = "m tenge"
TIMES = "times"
COUNT = "count"


def src(line: int | str) -> str:
    """Source reference: the document and the line (or line range) in it."""
    return f"{DOCUMENT}:{line}"


# The Concept's sections as a reader finds them in the printed text: (first line in DOCUMENT, section number).
# Section 7 stands for the annex (the action plan), which has no number of its own. The text repeats the heading
# "4-бөлім" at line 853 for the 4th direction inside section 5; that is not a section boundary.
CONCEPT_SECTIONS: tuple[tuple[int, int], ...] = ((1, 1), (76, 2), (421, 3), (628, 4), (660, 5), (912, 6), (1151, 7))
ANNEX = 7


def concept_section(source: str) -> int:
    """The section of the Concept a source reference ('seed/…txt:137' or '…:85-86') points into; 7 is the annex.
    Raises ValueError naming the reference when it is no line of the Concept's text."""
    line_text = source.rsplit(":", 1)[-1].split("-", 1)[0] if source.startswith(f"{DOCUMENT}:") else ""
    if not line_text.isdigit() or int(line_text) < 1:
        raise ValueError(f"not a line of the Concept ({DOCUMENT}): {source!r}")
    line = int(line_text)
    return max(number for first, number in CONCEPT_SECTIONS if first <= line)


@dataclass(frozen=True)
class _Fig:
    figure: str
    year: int | None
    scope: str
    value: float
    unit: str
    line: int | str
    note: str = ""


_F = _Fig

_FIGURES: tuple[_Fig, ...] = (
    # --- workforce -------------------------------------------------------------------------
    _F("employed_population", 2022, "KZ", 8965.5, THOUSAND, 85, "as of 1 January 2023"),
    _F("hired_employees", 2022, "KZ", 6830.9, THOUSAND, "85-86", "as of 1 January 2023"),
    _F("hired_employees_share", 2022, "KZ", 76.2, PCT, 86),
    _F("harmful_employment_growth_3y", 2022, "KZ", 5.7, PCT, 87, "growth of employment in enterprises with harmful conditions over three years"),
    _F("harmful_workers", 2022, "KZ", 491.1, THOUSAND, 88),
    _F("harmful_workers_sanitary", 2022, "KZ", 386.3, THOUSAND, 93, "noise, vibration, gas, dust, temperature"),
    _F("harmful_workers_heavy_labour", 2022, "KZ", 102.7, THOUSAND, 94),
    _F("harmful_workers_unsafe_equipment", 2022, "KZ", 2.1, THOUSAND, 95),
    _F("harmful_share_of_inspected", 2022, "KZ", 29.4, PCT, 96, "share of the workforce of inspected enterprises"),
    _F("inspected_enterprises_workforce", 2022, "KZ", 1671.1, THOUSAND, 96),
    _F("compensated_workers", 2022, "KZ", 680.1, THOUSAND, 110, "workers with at least one compensation for harmful work"),
    _F("compensated_workers", 2020, "KZ", 672.3, THOUSAND, 111),
    _F("compensated_workers_growth", 2022, "KZ", 11.0, PCT, "109-110",
       "as printed: 672.3 k -> 680.1 k is +1.2 %, not +11 %"),
    _F("harmful_workers_share", 2022, "C", 26.9, PCT, 113, "share of harmful-condition workers by sector"),
    _F("harmful_workers_share", 2022, "B", 24.5, PCT, 114, "share of harmful-condition workers by sector"),
    _F("harmful_workers_share", 2022, "H", 14.1, PCT, 114, "share of harmful-condition workers by sector"),
    _F("harmful_workers_share", 2022, "35", 15.4, PCT, 116, "share of harmful-condition workers by region"),
    _F("harmful_workers_share", 2022, "55", 10.5, PCT, 117, "share of harmful-condition workers by region"),
    _F("harmful_workers_share", 2022, "47", 10.0, PCT, 117, "share of harmful-condition workers by region"),
    # --- occupational injuries -------------------------------------------------------------
    _F("injured", 2022, "KZ", 2449, PERSONS, 123, "people injured in work accidents, including the fatally injured"),
    _F("injured_growth_vs_2020", 2022, "KZ", 20.0, PCT, 123, "implies about 2 041 injured in 2020"),
    _F("fatal", 2022, "KZ", 205, PERSONS, 124),
    _F("injury_rate", 2022, "KZ", 44, PER_100K, 135, "= 0.44 per 1000"),
    _F("injury_rate", 2020, "KZ", 39, PER_100K, 135),
    _F("injury_rate_1000", 2022, "KZ", 0.44, PER_1000, 1140),
    _F("fatal_rate", 2022, "KZ", 3.7, PER_100K, 141, "= 0.037 per 1000"),
    _F("fatal_rate", 2020, "KZ", 3.9, PER_100K, 141),
    _F("fatal_rate_1000", 2022, "KZ", 0.037, PER_1000, 1004),
    _F("hidden_ratio", 2022, "KZ", 11, RATIO, 147, "2 244 non-fatal / 205 fatal = 10.9"),
    _F("injury_rate_1000", 2022, "B", 1.9, PER_1000, 157),
    _F("fatal_rate_1000", 2022, "B", 0.12, PER_1000, 157,
       "another denominator than the sector counts behind the 21:1 hidden ratio (line 167): on the injured "
       "rate's denominator it would imply 14.8:1"),
    _F("injury_rate_1000", 2022, "C", 1.2, PER_1000, 157),
    _F("fatal_rate_1000", 2022, "C", 0.07, PER_1000, 157,
       "another denominator than the sector counts behind the 21:1 hidden ratio (line 167): on the injured "
       "rate's denominator it would imply 16.1:1"),
    _F("orecoal_share_of_fatal", 2022, "B", 11.0, PCT, 160, "ore and coal mining (OKED 05, 07); scope B is the nearest section"),
    _F("orecoal_share_of_injured", 2022, "B", 15.0, PCT, 160, "ore and coal mining (OKED 05, 07); scope B is the nearest section"),
    _F("group_accidents_share", 2022, "35", 13.0, PCT, 162, "share of all group accidents"),
    _F("group_accident_victims_avg", 2022, "KZ", 4, PERSONS, 163, "average victims per group accident"),
    _F("hidden_ratio", 2022, "F", 4, RATIO, "164-165"),
    _F("hidden_ratio", 2022, "A", 4, RATIO, 165),
    _F("hidden_ratio", 2022, "B", 21, RATIO, 167,
       "as the statistics bureau's published sector counts give (2022: 586 injured, 27 dead = 20.7:1); the printed "
       "mining rates 1.9 / 0.12 (line 157) use another denominator (on one denominator they would imply 14.8:1)"),
    _F("hidden_ratio", 2022, "C", 21, RATIO, 167,
       "as the statistics bureau's published sector counts give (2022: 731 injured, 33 dead = 21.2:1); the printed "
       "manufacturing rates 1.2 / 0.07 (line 157) use another denominator (on one denominator they would imply 16.1:1)"),
    _F("injury_rate_1000", 2022, "35", 1.2, PER_1000, 171),
    _F("fatal_rate_1000", 2022, "35", 0.09, PER_1000, 171),
    _F("injury_rate_1000", 2022, "62", 4.3, PER_1000, 171,
       "as printed (line 171); four times the next region, implies a hidden ratio of about 142:1"),
    _F("fatal_rate_1000", 2022, "62", 0.03, PER_1000, 171),
    _F("injury_rate_1000", 2022, "63", 1.0, PER_1000, 171),
    _F("fatal_rate_1000", 2022, "63", 0.04, PER_1000, 175),
    _F("hidden_ratio", 2022, "33", 2, RATIO, 176, "worst hidden-injury ratio among regions"),
    _F("hidden_ratio", 2022, "27", 4, RATIO, 176),
    _F("hidden_ratio", 2022, "59", 4, RATIO, 176),
    _F("hidden_ratio", 2022, "43", 5, RATIO, 177),
    _F("hidden_ratio", 2022, "71", 5, RATIO, 177),
    # --- occupational diseases -------------------------------------------------------------
    _F("disease_cases", 2020, "KZ", 237, PERSONS, 183),
    _F("disease_cases", 2022, "KZ", 657, PERSONS, 183),
    _F("disease_growth", 2022, "KZ", 2.8, TIMES, 183, "2022 vs 2020"),
    _F("pathology_register", 2022, "KZ", 8000, PERSONS, 184, "over 8 000 on the register, 1 January 2023 (lower bound)"),
    _F("disease_share_industrial_aerosols", 2022, "KZ", 40.4, PCT, 185,
       "the five cause shares add up to 99.2 % as printed"),
    _F("disease_share_functional_overload", 2022, "KZ", 30.0, PCT, 187),
    _F("disease_share_physical", 2022, "KZ", 23.8, PCT, 188),
    _F("disease_share_chemical", 2022, "KZ", 4.2, PCT, 189),
    _F("disease_share_biological", 2022, "KZ", 0.8, PCT, 190),
    _F("disease_share_karaganda_east", 2022, "KZ", 90.0, PCT, 191,
       "over 90 % (lower bound) in Karaganda and East Kazakhstan; whether Ulytau and Abai are included is not stated"),
    # --- insurance and costs -----------------------------------------------------------------
    _F("insurance_premiums", 2022, "KZ", 66.6, BN_KZT, 268),
    _F("insurance_premiums_growth", 2022, "KZ", 1.8, TIMES, 268, "2022 vs 2020"),
    _F("insurance_loss_ratio", 2020, "KZ", 13.6, PCT, 269, "payouts / premiums"),
    _F("insurance_loss_ratio", 2022, "KZ", 9.3, PCT, 269, "payouts / premiums"),
    _F("injury_material_losses", 2022, "KZ", 4.1, BN_KZT, 271),
    _F("injury_losses_per_victim", 2022, "KZ", 1.7, M_KZT, 272),
    _F("insured_share", 2022, "KZ", 32.0, PCT, 276, "legal entities with a ЖОМС contract"),
    _F("social_guarantees_cost", 2022, "KZ", 207.6, BN_KZT, 291, "over 207.6 bn (lower bound)"),
    _F("social_guarantees_cost", 2020, "KZ", 141.5, BN_KZT, 293),
    _F("occupational_pension_contributions", 2020, "KZ", 42.7, BN_KZT, 294),
    _F("occupational_pension_contributions", 2022, "KZ", 69.8, BN_KZT, 294),
    # --- training and OSH services -------------------------------------------------------------
    _F("accidents_linked_to_training_share", None, "KZ", 12.5, PCT, 308, "every 8th accident, yearly"),
    _F("injured_lack_of_training", 2022, "KZ", 266, PERSONS, 310),
    _F("training_violations", 2022, "KZ", 306, COUNT, 314),
    _F("training_violations", 2020, "KZ", 255, COUNT, 315),
    _F("missing_osh_services", 2020, "KZ", 31, COUNT, 335),
    _F("missing_osh_services", 2022, "KZ", 71, COUNT, 336),
    _F("large_enterprises", 2022, "KZ", 3638, COUNT, 337),
    _F("osh_specialists_needed", 2022, "KZ", 18000, PERSONS, 339, "about 18 000"),
    _F("osh_specialists_employed", 2022, "KZ", 2431, PERSONS, 345),
    _F("osh_violation_share", 2022, "KZ", 28.0, PCT, 1142, "OSH violations among all labour-law violations found"),
    # --- international comparison (per 100 000 workers, as printed) ------------------------------
    _F("injury_rate", None, "USA", 900, PER_100K, 137),
    _F("injury_rate", None, "Italy", 1413, PER_100K, 137),
    _F("injury_rate", None, "Germany", 1505, PER_100K, 138),
    _F("injury_rate", None, "Spain", 2347, PER_100K, 138),
    _F("injury_rate", None, "France", 2931, PER_100K, 138),
    _F("injury_rate", None, "Finland", 4025, PER_100K, 138),
    _F("fatal_rate", None, "USA", 5.3, PER_100K, 139),
    _F("fatal_rate", None, "Italy", 3.4, PER_100K, 139),
    _F("fatal_rate", None, "France", 2.5, PER_100K, 142),
    _F("fatal_rate", None, "Spain", 1.9, PER_100K, 142),
    _F("fatal_rate", None, "Germany", 0.7, PER_100K, 142),
    _F("fatal_rate", None, "Finland", 0.7, PER_100K, 142),
    _F("hidden_ratio", None, "Finland", 5750, RATIO, 149),
    _F("hidden_ratio", None, "Germany", 1811, RATIO, 149),
    _F("hidden_ratio", None, "Italy", 548, RATIO, "149-150"),
    _F("injury_rate_yearly_fall", None, "EU", 4.8, PCT, 452, "average yearly fall of the injury frequency"),
    _F("injury_rate_yearly_fall", None, "Spain", 8.2, PCT, 453),
    _F("injury_rate_yearly_fall", None, "Germany", 5.3, PCT, 453),
    _F("injury_rate_yearly_fall", None, "Austria", 3.7, PCT, 453),
)


def official_figures() -> pd.DataFrame:
    """Every figure of the Concept as one tidy frame: figure, year (Int64, NA = undated), scope
    (KZ, region code, OKED section or country), value, unit, source (document:line), note."""
    frame = pd.DataFrame(
        {
            "figure": [f.figure for f in _FIGURES],
            "year": pd.array([f.year for f in _FIGURES], dtype="Int64"),
            "scope": [f.scope for f in _FIGURES],
            "value": [float(f.value) for f in _FIGURES],
            "unit": [f.unit for f in _FIGURES],
            "source": [src(f.line) for f in _FIGURES],
            "note": [f.note for f in _FIGURES],
        }
    )
    return frame.astype({"figure": "str", "scope": "str", "unit": "str", "source": "str", "note": "str"})


class OfficialFigureError(KeyError):
    """No official figure matches what was asked for."""

    def __str__(self) -> str:
        return str(self.args[0])


_BY_KEY: dict[tuple[str, int | None, str], float] = {(f.figure, f.year, f.scope): float(f.value) for f in _FIGURES}


def figure(name: str, *, year: int | None = 2022, scope: str = "KZ") -> float:
    """One official value, e.g. figure("injured", year=2022) -> 2449.0."""
    try:
        return _BY_KEY[(name, year, scope)]
    except KeyError:
        known = ", ".join(sorted({f.figure for f in _FIGURES}))
        raise OfficialFigureError(
            f"no official figure {name!r} for year={year} scope={scope!r}; known figures: {known}"
        ) from None


# --- target indicators (section 6, lines 911-1142) -----------------------------------------

TARGET_YEARS: tuple[int, ...] = tuple(range(2022, 2031))
_HEADER_NOTE = "2023 estimate: the column header misprints it as '2025 forecast' (line 925)"


@dataclass(frozen=True)
class _Target:
    indicator: str
    name_en: str
    name_ru: str
    name_kk: str
    direction: str
    unit: str
    line: int | str
    values: tuple[float | None, ...]  # 2022 fact, 2023 estimate, 2024..2030 plans


_TARGETS: tuple[_Target, ...] = (
    _Target(
        "risk_assessment_coverage",
        "Active legal entities covered by occupational risk assessment",
        "Охват действующих юридических лиц оценкой профессиональных рисков",
        "Жұмыс істеп тұрған белсенді заңды тұлғаларды кәсіптік тәуекелді бағалаумен қамту",
        "up", PCT, 977, (None, None, None, 30, 40, 50, 60, 70, 80),
    ),
    _Target(
        "fatal_rate_1000",
        "Fatal work accidents per 1000 workers",
        "Коэффициент частоты несчастных случаев со смертельным исходом на 1000 работников",
        "Адам өлімімен аяқталған жазатайым оқиғалардың 1000 жұмыскерге шаққандағы жиілік коэффициенті",
        "down", PER_1000, "1004-1008", (0.037, 0.036, 0.035, 0.033, 0.031, 0.029, 0.027, 0.025, 0.023),
    ),
    _Target(
        "hidden_injury_ratio",
        "Hidden-injury ratio (non-fatal : fatal)",
        "Уровень сокрытия производственного травматизма (нелетальные : летальные)",
        "Өндірістік жарақаттану мен кәсіптік ауруларды жасырып қалу деңгейі",
        "up", RATIO, 1023, (11, 11, 12, 13, 14, 15, 16, 17, 18),
    ),
    _Target(
        "insurance_coverage",
        "Active private legal entities covered by compulsory accident insurance",
        "Охват действующих частных юридических лиц обязательным страхованием от несчастных случаев",
        "Жеке меншік нысанындағы белсенді заңды тұлғаларды ЖОМС жүйесімен қамту",
        "up", PCT, 1059, (32, 55, 60, 65, 70, 75, 80, 85, 90),
    ),
    _Target(
        "osh_knowledge_check",
        "Persons responsible for OSH who passed the knowledge check",
        "Доля лиц, ответственных за безопасность и охрану труда, успешно прошедших проверку знаний",
        "Еңбекті қорғау мәселелері бойынша білімін тексеруден ойдағыдай өткен жауапты тұлғалардың үлесі",
        "up", PCT, 1088, (None, None, None, 40, 50, 60, 70, 80, 90),
    ),
    _Target(
        "science_programmes",
        "Scientific and technical programmes and projects",
        "Количество реализуемых научно-технических программ и проектов",
        "Іске асырылатын ғылыми-техникалық бағдарламалар мен жобалар саны",
        "up", COUNT, 1104, (3, 3, 3, 4, 4, 5, 5, 6, 6),
    ),
    _Target(
        "state_monitoring_coverage",
        "Active legal entities covered by state OSH monitoring",
        "Охват действующих юридических лиц государственным мониторингом состояния охраны труда",
        "Белсенді заңды тұлғаларда еңбек қауіпсіздігі және еңбекті қорғау жай-күйін мемлекеттік мониторингпен қамту",
        "up", PCT, 1134, (None, None, None, 30, 40, 50, 60, 70, 80),
    ),
)

# The two expected results for 2030 (lines 1138-1142): a 2022 fact and a 2030 value.
_EXPECTED: tuple[tuple[_Target, int | str, int | str], ...] = (
    (
        _Target(
            "injury_rate_1000_2030",
            "Work injuries per 1000 workers (expected result 2030)",
            "Коэффициент частоты производственного травматизма на 1000 работников (ожидаемый результат 2030)",
            "Өндірістік жарақаттанудың 1000 жұмыскерге шаққандағы жиілік коэффициенті (2030 жылғы күтілетін нәтиже)",
            "down", PER_1000, 1140, (0.44, 0.30),
        ),
        1140, 1140,
    ),
    (
        _Target(
            "osh_violation_share_2030",
            "OSH violations among all labour-law violations found (expected result 2030)",
            "Доля нарушений в сфере охраны труда среди выявленных нарушений трудового законодательства (ожидаемый результат 2030)",
            "Еңбекті қорғау саласындағы бұзушылықтар үлесі (2030 жылғы күтілетін нәтиже)",
            "down", PCT, 1142, (28, 23),
        ),
        "1142-1143", 1142,
    ),
)


def targets() -> pd.DataFrame:
    """The seven target indicators (2022 fact, 2023 estimate, 2024-2030 plans; years without a
    value are left out) and the two 2030 expected results (2022 fact and 2030 value).
    Columns: indicator, name_en, name_ru, name_kk, year, plan, kind ("fact"|"estimate"|"plan"),
    direction ("up"|"down"), unit, source, note."""
    rows: list[dict[str, object]] = []
    for t in _TARGETS:
        for year, value in zip(TARGET_YEARS, t.values, strict=True):
            if value is None:
                continue
            kind = "fact" if year == 2022 else "estimate" if year == 2023 else "plan"
            rows.append(_target_row(t, year, float(value), kind, t.line, _HEADER_NOTE if year == 2023 else ""))
    for t, fact_line, plan_line in _EXPECTED:
        fact, plan = (float(v) for v in t.values if v is not None)
        rows.append(_target_row(t, 2022, fact, "fact", fact_line, ""))
        rows.append(_target_row(t, 2030, plan, "plan", plan_line, ""))
    frame = pd.DataFrame(rows, columns=list(TARGET_COLUMNS))
    frame["year"] = frame["year"].astype("int64")
    frame["plan"] = frame["plan"].astype("float64")
    return frame


def _target_row(t: _Target, year: int, value: float, kind: str, line: int | str, note: str) -> dict[str, object]:
    if math.isnan(value):  # pragma: no cover - the tables above hold no NaN
        raise ValueError(f"target {t.indicator} {year} has no value")
    return {
        "indicator": t.indicator, "name_en": t.name_en, "name_ru": t.name_ru, "name_kk": t.name_kk,
        "year": year, "plan": value, "kind": kind, "direction": t.direction, "unit": t.unit,
        "source": src(line), "note": note,
    }


TARGET_IDS: tuple[str, ...] = tuple(t.indicator for t in _TARGETS) + tuple(t.indicator for t, _, _ in _EXPECTED)
