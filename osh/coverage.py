"""Which figure a cell gets within one series: a published row first, then records, then a sum of finer published
rows that covers the whole level, else no data with the coverage (docs/series.md). Also the 2022 boundary change.

Everything here works on a long frame: year, region (code or KZ), section (letter or ALL), measure, value.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from data.codes import SECTION_CODES
from geo.regions import REGION_CODES, SPLIT_YEAR, SPLITS, Basis, children, harmonised_codes

NATIONAL = "KZ"
ALL = "ALL"
LONG_COLUMNS: tuple[str, ...] = ("year", "region", "section", "measure", "value")
RESOLVED_COLUMNS: tuple[str, ...] = (*LONG_COLUMNS, "covered", "cover_of", "origin")
# Sections a sector breakdown must list for its sum to be a total: households as employers (T) and extraterritorial
# organisations (U) are outside the enterprise statistics, so a release that omits them is still complete.
REQUIRED_SECTIONS: tuple[str, ...] = tuple(s for s in SECTION_CODES if s not in ("T", "U"))
PUBLISHED, RECORDS, DERIVED, PARTIAL = "published", "records", "derived", "partial"


def units(year: int, basis: Basis) -> tuple[str, ...]:
    """The regions that existed in `year` on `basis`: 17 before the June 2022 split (and always on the harmonised
    basis), 20 from 2022 on the current basis."""
    if basis == "harmonised" or year < SPLIT_YEAR:
        return harmonised_codes()
    return REGION_CODES


def not_existing(region: pd.Series, year: pd.Series, *, basis: str) -> np.ndarray:
    """True for the three regions created in 2022, in the years before, on the current basis."""
    if basis != "current":
        return np.zeros(len(region), dtype=bool)
    return (region.isin(list(SPLITS)) & (year.astype(int) < SPLIT_YEAR)).to_numpy()


def includes(region: pd.Series, year: pd.Series, *, basis: str) -> pd.Series:
    """Child regions a row also covers: a parent before 2022 (current basis), a parent unit always (harmonised)."""
    kids = region.map(lambda r: ",".join(children(str(r))) if str(r) != NATIONAL else "")
    covers = (year.astype(int) < SPLIT_YEAR) | (basis == "harmonised")
    return kids.where(covers, "").fillna("").astype(str)


def empty_long() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype=float if c in ("value", "covered", "cover_of") else object) for c in RESOLVED_COLUMNS})


def fold_children(frame: pd.DataFrame, *, keys: Sequence[str]) -> pd.DataFrame:
    """Rows coded with a new region for a year before 2022 describe part of the parent's territory: counted in the
    parent when the parent has no row of its own for the same keys, dropped otherwise (never counted twice)."""
    region = frame["region"].astype(str)
    early = frame["year"].astype(int) < SPLIT_YEAR
    child = region.isin(list(SPLITS)) & early
    if not child.any():
        return frame
    others = [k for k in keys if k != "region"]
    own = frame.loc[~child, [*others, "region"]].drop_duplicates()
    moved = frame[child].assign(region=region[child].map(SPLITS))
    shadowed = moved.merge(own, on=[*others, "region"], how="left", indicator=True)["_merge"].eq("both").to_numpy()
    return pd.concat([frame[~child], moved[~shadowed]], ignore_index=True)


def onto_basis(long: pd.DataFrame, *, basis: Basis) -> pd.DataFrame:
    """Published long rows (current codes) on a basis. On the harmonised basis a unit from 2022 on is its parent plus
    its child: with either part missing the unit has no value and its coverage says so (1 of 2)."""
    if long.empty:
        return empty_long().drop(columns="origin")
    frame = fold_children(long, keys=("year", "region", "section", "measure"))
    frame = frame.assign(covered=np.nan, cover_of=np.nan)
    if basis == "current":
        return frame
    region = frame["region"].astype(str)
    frame = frame.assign(region=region.map(lambda r: SPLITS.get(r, r)))
    grouped = frame.groupby(["year", "region", "section", "measure"], as_index=False)
    out = grouped.agg(value=("value", "sum"), covered=("value", "count"))
    need = out["region"].map(lambda r: 1 + len(children(str(r))) if r != NATIONAL else 1).astype(int)
    need = need.where(out["year"].astype(int) >= SPLIT_YEAR, 1)
    complete = out["covered"] >= need
    out["value"] = out["value"].where(complete)
    out["cover_of"] = need.where(~complete).astype(float)
    out["covered"] = out["covered"].where(~complete).astype(float)
    return out


def _total(part: pd.DataFrame, *, key: str, need: Sequence[str] | None) -> tuple[float, float, float]:
    """(value, covered, cover_of) of the sum of `part` over `key`: a value only when every needed unit has one."""
    have = part.dropna(subset=["value"])
    present = set(have[key].astype(str))
    if need is None:
        return (float(have["value"].sum()), np.nan, np.nan) if present else (np.nan, np.nan, np.nan)
    needed = set(need)
    if needed <= present:
        return float(have["value"].sum()), np.nan, np.nan
    return np.nan, float(len(present & needed)), float(len(needed))


def derive_levels(exact: pd.DataFrame, *, basis: Basis, region_needs_sections: bool = True) -> pd.DataFrame:
    """Exact rows plus every total that finer rows cover completely; incomplete totals are kept as `partial` rows
    (no value, with covered / cover_of). Regions from their sections, sectors and the nation from all regions that
    existed that year, the nation from all sections when the regions do not cover it."""
    if exact.empty:
        return empty_long()
    frame = exact.copy()
    if "covered" not in frame.columns:
        frame = frame.assign(covered=np.nan, cover_of=np.nan)
    frame["origin"] = np.where(frame["value"].notna(), PUBLISHED, PARTIAL)
    made: list[dict[str, object]] = []
    for (year, measure), g in frame.groupby(["year", "measure"], sort=False):
        us = units(int(str(year)), basis)
        is_nat = g["region"] == NATIONAL
        is_all = g["section"] == ALL
        cross, reg, sec, nat = g[~is_nat & ~is_all], g[~is_nat & is_all], g[is_nat & ~is_all], g[is_nat & is_all]

        def add(region: str, section: str, total: tuple[float, float, float], y: object = year, m: object = measure) -> None:
            value, covered, cover_of = total
            made.append({"year": y, "region": region, "section": section, "measure": m, "value": value,
                         "covered": covered, "cover_of": cover_of, "origin": DERIVED if not np.isnan(value) else PARTIAL})

        region_values = {str(r): float(v) for r, v in reg.dropna(subset=["value"])[["region", "value"]].itertuples(index=False)}
        for region, part in cross.groupby("region"):
            if str(region) in set(reg["region"].astype(str)):
                continue
            total = _total(part, key="section", need=REQUIRED_SECTIONS if region_needs_sections else None)
            add(str(region), ALL, total)
            if not np.isnan(total[0]):
                region_values[str(region)] = total[0]
        sector_values = {str(s): float(v) for s, v in sec.dropna(subset=["value"])[["section", "value"]].itertuples(index=False)}
        for section, part in cross.groupby("section"):
            if str(section) in set(sec["section"].astype(str)):
                continue
            total = _total(part, key="region", need=us)
            add(NATIONAL, str(section), total)
            if not np.isnan(total[0]):
                sector_values[str(section)] = total[0]
        if nat["value"].notna().any():
            continue
        by_region = _total(pd.DataFrame({"region": list(region_values), "value": list(region_values.values())}),
                           key="region", need=us)
        by_sector = _total(pd.DataFrame({"section": list(sector_values), "value": list(sector_values.values())}),
                           key="section", need=REQUIRED_SECTIONS)
        if not np.isnan(by_region[0]):
            add(NATIONAL, ALL, by_region)
        elif not np.isnan(by_sector[0]):
            add(NATIONAL, ALL, by_sector)
        elif region_values:
            add(NATIONAL, ALL, by_region)
        elif sector_values:
            add(NATIONAL, ALL, by_sector)
    derived = pd.DataFrame(made, columns=list(RESOLVED_COLUMNS))
    out = pd.concat([frame[list(RESOLVED_COLUMNS)], derived], ignore_index=True) if len(derived) else frame[list(RESOLVED_COLUMNS)]
    out["year"] = out["year"].astype(int)
    return out


def at_level(resolved: pd.DataFrame, *, region: bool, section: bool) -> pd.DataFrame:
    """The rows of one breakdown level (region and/or section given, or their totals)."""
    r = resolved["region"] != NATIONAL
    s = resolved["section"] != ALL
    return resolved[(r == region) & (s == section)]
