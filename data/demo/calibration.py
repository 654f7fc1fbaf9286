"""The calibration table: each official figure next to the same figure computed from the generated records."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from data.codes import DISEASE_CAUSES, DIVISION_TO_SECTION
from data.demo import params as P  # noqa: N812 - the parameter sheet, read as P.NAME
from data.demo.country import DemoCountry
from data.official import figure as official

NATIONAL_TOLERANCE = 0.02
DETAIL_TOLERANCE = 0.10
COLUMNS = ("figure", "scope", "level", "official", "generated", "rel_diff", "tolerance", "ok", "checked", "note")


@dataclass(frozen=True)
class _Row:
    figure: str
    scope: str
    official: float
    generated: float
    tolerance: float
    smallest_count: float  # expected size of the smallest whole count behind the figure at this scale
    lower_bound: bool = False  # the official value is a lower bound ("over 90 %")
    note: str = ""
    conflict: bool = False  # shown, not checked: the document contradicts itself, or the figure is not calibrated


def calibration(country: DemoCountry) -> pd.DataFrame:
    """Official vs generated figures. Counts are compared with the official count x scale. A row's
    tolerance is 2 % (national) or 10 % (sector/region), widened to one unit of its smallest whole
    count when the scale makes that count small (one case of 4 is 25 %). Rows the document
    contradicts, or whose counts round to nothing at this scale, are shown with checked=False."""
    s = country.scale
    acc = _accidents(country)
    emp = country.employment
    rows: list[_Row] = []

    def count_row(name: str, value: float, generated: float, tol: float = NATIONAL_TOLERANCE, note: str = "") -> None:
        rows.append(_Row(name, "KZ", value * s, generated, tol, value * s, note=note))

    ent = country.enterprises
    count_row("active legal entities", P.ENTERPRISES, len(ent), note="issue: about 400 000")
    count_row("large enterprises", official("large_enterprises"), float((ent["size_class"] == "large").sum()))
    workers22 = float(emp.loc[emp["year"] == 2022, "employees"].sum())
    count_row("workers 2022 (employment table)", 5_550_000, workers22, note="implied by 2 449 / 0.44 and 205 / 0.037")

    inj = acc.groupby("year")[["injured", "fatal"]].sum()
    inj.index = inj.index.astype(str)
    wy = emp.groupby("year")["employees"].sum()
    for year in (2020, 2022):
        i, f = _get(inj, str(year))
        w = float(wy.get(year, np.nan))
        o_rate = official("injury_rate", year=year) / 100
        o_fatal = official("fatal_rate", year=year) / 100
        rows.append(_Row(f"injury rate per 1000, {year}", "KZ", o_rate, i / w * 1000, NATIONAL_TOLERANCE, o_rate * w / 1000))
        rows.append(_Row(f"fatal rate per 1000, {year}", "KZ", o_fatal, f / w * 1000, NATIONAL_TOLERANCE, o_fatal * w / 1000))
    i22, f22 = _get(inj, "2022")
    i20, _ = _get(inj, "2020")
    # every year of the statistics bureau's published national series (2022 is also the Concept's figure)
    for column, years in (("injured", P.PUBLISHED_YEARS["injured"]), ("fatal", P.PUBLISHED_YEARS["fatal"])):
        for year in years:
            value = official(column) if year == 2022 else (P.INJURED if column == "injured" else P.FATAL)[year]
            got = _get(inj, str(year))[0 if column == "injured" else 1]
            count_row(f"{column} {year}", value, got, note="" if year == 2022 else "published BNS series")
    growth = official("injured_growth_vs_2020") / 100 + 1
    rows.append(_Row("injured 2022 / 2020", "KZ", growth, i22 / i20 if i20 else np.nan, NATIONAL_TOLERANCE,
                     official("injured") * s / growth, note="+20 %"))
    rows.append(_Row("hidden-injury ratio 2022", "KZ", official("hidden_ratio"), _ratio(i22, f22), NATIONAL_TOLERANCE,
                     official("fatal") * s, note="printed 11:1; 2 244 / 205 = 10.9"))

    dis = country.occupational_diseases
    by_year = dis.groupby("year")["cases"].sum()
    for year in P.PUBLISHED_YEARS["disease_cases"]:
        value = official("disease_cases", year=year) if year in (2020, 2022) else P.DISEASES[year]
        count_row(f"occupational disease cases {year}", value, float(by_year.get(year, 0)),
                  note="" if year in (2020, 2022) else "published BNS series")
    d22 = dis[dis["year"] == 2022]
    total22 = float(d22["cases"].sum())
    for cause in DISEASE_CAUSES:
        share = official(f"disease_share_{cause}") / 100
        got = float(d22.loc[d22["cause_group"] == cause, "cases"].sum()) / total22 if total22 else np.nan
        rows.append(_Row(f"disease share: {cause}", "KZ", share, got, NATIONAL_TOLERANCE,
                         share * official("disease_cases") * s, note="printed shares add up to 99.2 %"))
    kar_east = float(d22.loc[d22["region"].isin(["35", "63"]), "cases"].sum()) / total22 if total22 else np.nan
    rows.append(_Row("disease share Karaganda + East Kazakhstan", "35+63", official("disease_share_karaganda_east") / 100,
                     kar_east, NATIONAL_TOLERANCE, official("disease_cases") * s * 0.9, lower_bound=True,
                     note="over 90 %; current-basis regions (Ulytau and Abai not included)"))

    e22 = emp[emp["year"] == 2022]
    harmful = float(e22["harmful_conditions"].sum())
    count_row("workers in harmful conditions 2022", official("harmful_workers") * 1000, harmful)
    ins = country.insurance
    ins22 = ins[ins["year"] == 2022]
    share_ins = official("insured_share") / 100
    # a contract is a covered row; enterprises without a row had none (as osh.indicators counts)
    insured = ins22.loc[ins22["covered"].astype(bool), "bin"].nunique()
    rows.append(_Row("insured legal entities 2022", "KZ", share_ins, insured / len(ent), NATIONAL_TOLERANCE,
                     share_ins * len(ent)))
    insp = country.inspections
    insp22 = insp[insp["date"].str[:4] == "2022"]
    osh_share = official("osh_violation_share") / 100
    viol = float(insp22["violations"].sum())
    rows.append(_Row("OSH share of violations 2022", "KZ", osh_share, float(insp22["osh_violations"].sum()) / viol if viol else np.nan,
                     NATIONAL_TOLERANCE, osh_share * viol))

    # --- sectors -------------------------------------------------------------------------------------
    a22 = acc[acc["year"] == 2022]
    w_sec = e22.groupby("oked_section")["employees"].sum()
    i_sec = a22.groupby("section")[["injured", "fatal"]].sum()
    for sec, name in (("B", "mining"), ("C", "manufacturing")):
        w = float(w_sec.get(sec, 0))
        i, f = _get(i_sec, sec)
        o_i, o_f = official("injury_rate_1000", scope=sec), official("fatal_rate_1000", scope=sec)
        rows.append(_Row(f"injury rate per 1000, {name}", sec, o_i, i / w * 1000 if w else np.nan, DETAIL_TOLERANCE, o_i * w / 1000))
        # the printed fatal rate and the 21:1 ratio cannot share the injured rate's denominator: the ratio is
        # matched (the bureau's published sector counts confirm it) and the fatal rate is shown
        rows.append(_Row(f"fatal rate per 1000, {name}", sec, o_f, f / w * 1000 if w else np.nan, DETAIL_TOLERANCE, o_f * w / 1000,
                         note=f"another denominator: on the injured rate's it would imply {(o_i - o_f) / o_f:.1f}:1, "
                              f"not the printed {official('hidden_ratio', scope=sec):g}:1", conflict=True))
        for column, got in (("injured", i), ("fatal", f)):
            published = P.PUBLISHED_SECTORS_2022[sec][column]
            rows.append(_Row(f"{column} 2022, {name}", sec, published * s, got, DETAIL_TOLERANCE, published * s,
                             note="published BNS sector count"))
    for sec, name in (("F", "construction"), ("A", "agriculture"), ("B", "mining"), ("C", "manufacturing")):
        i, f = _get(i_sec, sec)
        ratio = official("hidden_ratio", scope=sec)
        rows.append(_Row(f"hidden-injury ratio, {name}", sec, ratio, _ratio(i, f), DETAIL_TOLERANCE, f if f else i / (ratio + 1)))
    orecoal = a22[a22["division"].isin(P.ORECOAL_DIVISIONS)]
    for col, fig in (("injured", "orecoal_share_of_injured"), ("fatal", "orecoal_share_of_fatal")):
        share = official(fig, scope="B") / 100
        total = float(a22[col].sum())
        rows.append(_Row(f"ore & coal mining share of {col}", "05+07", share, float(orecoal[col].sum()) / total if total else np.nan,
                         DETAIL_TOLERANCE, share * total))

    groups = a22[a22["injured"] >= 2]
    n_groups = float(len(groups))
    victims = official("group_accident_victims_avg")
    rows.append(_Row("victims per group accident", "KZ", victims, float(groups["injured"].mean()) if n_groups else np.nan,
                     DETAIL_TOLERANCE, n_groups, note="shown, not calibrated: a few dozen events a year",
                     conflict=True))
    kar_share = official("group_accidents_share", scope="35") / 100
    rows.append(_Row("Karaganda share of group accidents", "35", kar_share,
                     float((groups["region"] == "35").mean()) if n_groups else np.nan, DETAIL_TOLERANCE, kar_share * n_groups,
                     note="shown, not calibrated: a few dozen events a year", conflict=True))

    # --- regions --------------------------------------------------------------------------------------
    w_reg = e22.groupby("region")["employees"].sum()
    i_reg = a22.groupby("region")[["injured", "fatal"]].sum()
    for reg, name in (("35", "Karaganda"), ("62", "Ulytau"), ("63", "East Kazakhstan")):
        w = float(w_reg.get(reg, 0))
        i, f = _get(i_reg, reg)
        o_i, o_f = official("injury_rate_1000", scope=reg), official("fatal_rate_1000", scope=reg)
        rows.append(_Row(f"injury rate per 1000, {name}", reg, o_i, i / w * 1000 if w else np.nan, DETAIL_TOLERANCE, o_i * w / 1000,
                         note="as printed" if reg == "62" else ""))
        rows.append(_Row(f"fatal rate per 1000, {name}", reg, o_f, f / w * 1000 if w else np.nan, DETAIL_TOLERANCE, o_f * w / 1000))
    for reg, name in (("33", "Zhetisu"), ("27", "West Kazakhstan"), ("59", "North Kazakhstan"), ("43", "Kyzylorda"), ("71", "Astana")):
        i, f = _get(i_reg, reg)
        ratio = official("hidden_ratio", scope=reg)
        rows.append(_Row(f"hidden-injury ratio, {name}", reg, ratio, _ratio(i, f), DETAIL_TOLERANCE, f if f else i / (ratio + 1)))

    h_sec = e22.groupby("oked_section")["harmful_conditions"].sum()
    h_reg = e22.groupby("region")["harmful_conditions"].sum()
    for key, name, grouped in (("C", "manufacturing", h_sec), ("B", "mining", h_sec), ("H", "transport", h_sec),
                               ("35", "Karaganda", h_reg), ("55", "Pavlodar", h_reg), ("47", "Mangystau", h_reg)):
        share = official("harmful_workers_share", scope=key) / 100
        rows.append(_Row(f"harmful-conditions share, {name}", key, share, float(grouped.get(key, 0)) / harmful if harmful else np.nan,
                         DETAIL_TOLERANCE, share * harmful))
    return _frame(rows)


def _get(frame: pd.DataFrame, key: str) -> tuple[float, float]:
    """(injured, fatal) of one index entry of a frame with those two columns; zeros when absent."""
    if key not in frame.index:
        return 0.0, 0.0
    row = frame.loc[key].to_numpy(dtype=float)
    return float(row[0]), float(row[1])


def _ratio(injured: float, fatal: float) -> float:
    return (injured - fatal) / fatal if fatal else np.nan


def _accidents(country: DemoCountry) -> pd.DataFrame:
    acc = country.accidents
    division = acc["oked"].str[:2]
    return pd.DataFrame(
        {
            "year": acc["date"].str[:4].astype(int),
            "region": acc["kato"].str[:2],
            "division": division,
            "section": division.map(DIVISION_TO_SECTION),
            "injured": acc["injured"],
            "fatal": acc["fatal"],
        }
    )


def _frame(rows: list[_Row]) -> pd.DataFrame:
    out = []
    for r in rows:
        if r.lower_bound:
            rel = max(0.0, (r.official - r.generated) / r.official)
        else:
            rel = abs(r.generated - r.official) / abs(r.official)
        reachable = r.smallest_count >= 1
        tolerance = max(r.tolerance, 1 / r.smallest_count) if reachable else np.nan
        checked = reachable and not r.conflict
        note = r.note if reachable else ((r.note + "; ") if r.note else "") + "count below one at this scale"
        ok = bool(checked and np.isfinite(rel) and rel <= tolerance + 1e-12)
        level = "national" if r.tolerance <= NATIONAL_TOLERANCE else "detail"
        out.append((r.figure, r.scope, level, r.official, r.generated, rel, tolerance, ok, checked, note))
    return pd.DataFrame(out, columns=list(COLUMNS))


def format_table(table: pd.DataFrame) -> str:
    """The calibration table as aligned text for the terminal."""
    lines = [f"{'figure':<46} {'scope':>6} {'official':>12} {'generated':>12} {'rel.diff':>8} {'tol':>6}  ok"]
    for row in table.to_dict("records"):
        mark = "yes" if row["ok"] else ("-" if not row["checked"] else "NO")
        rel = float(row["rel_diff"])
        lines.append(
            f"{row['figure']!s:<46} {row['scope']!s:>6} {_num(float(row['official'])):>12} "
            f"{_num(float(row['generated'])):>12} {rel * 100:>7.2f}% {_pct(float(row['tolerance'])):>6}  {mark}"
            + (f"  ({row['note']})" if row["note"] else "")
        )
    return "\n".join(lines)


def _num(value: float) -> str:
    if not np.isfinite(value):
        return "n/a"
    if abs(value) >= 1000:
        return f"{value:,.0f}".replace(",", " ")
    if abs(value) >= 10:
        return f"{value:.2f}"
    return f"{value:.4f}"


def _pct(value: float) -> str:
    return "n/a" if not np.isfinite(value) else f"{value * 100:.0f}%"
