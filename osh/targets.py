"""Target tracking: the Concept's seven target indicators and two 2030 results, actual vs plan with a status.

Status rule (per indicator, year and region):
- "not_yet"   the year is after the latest year with data;
- "no_data"   no actual value (the store has no source for it, or the cell is confidential);
- "on_track"  the actual meets or beats the plan in the indicator's direction (down: actual <= plan;
              up: actual >= plan);
- "at_risk"   it misses the plan by at most 10 % of the plan, or (for rates) the plan lies inside the
              actual's exact 95 % Poisson interval, so the miss is not statistically clear;
- "off_track" it misses by more, outside the interval.
Plans: the seven indicators use the Concept's yearly values (2022 fact and 2023 estimate included as the
reference of those years). The two 2030 results give only 2022 and 2030: the years between follow the
straight line between them. Regions are compared with the national plan (the Concept sets no regional ones).
Target 1 (coverage by occupational risk assessment) is judged on accredited assessments only (assessed_share);
the enterprises whose only assessment is the employer's express self-check are reported beside it, as a separate
number in `actual_self` (self_assessed_share, same unit), never added to `actual` (docs/self-check.md says why).
Which indicator column measures a target, and in what unit, is the registry's (osh/registry.py TARGETS). The
Concept's targets were set on the statistics bureau's figures: they are tracked on series `bns` only
(registry.TARGET_SERIES, docs/series.md); osh.public gives `track` the rows of that series.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from osh.indicators import ALL, NATIONAL
from osh.registry import TARGETS

TOLERANCE = 0.10

# target id -> (column of the indicator table, factor to the target's unit, CI columns or None): from the registry
SOURCES: dict[str, tuple[str | None, float, tuple[str, str] | None]] = {
    t.id: (t.column, t.factor, t.interval) for t in TARGETS.values()
}
# target id -> (indicator column, factor) of the figure shown beside the actual and not counted towards it
SEPARATE: dict[str, tuple[str, float]] = {"risk_assessment_coverage": ("self_assessed_share", 100.0)}
COLUMNS: tuple[str, ...] = (
    "indicator", "year", "region", "plan", "actual", "gap", "status", "direction", "unit", "actual_self",
)


def plans(official: pd.DataFrame | None = None) -> pd.DataFrame:
    """indicator, year, plan, direction, unit for every year 2022-2030 that has (or interpolates) a plan."""
    if official is None:
        from data.official import targets as official_targets

        official = official_targets()
    frames = []
    for indicator, sub in official.groupby("indicator", sort=False):
        sub = sub.sort_values("year")
        if len(sub) == 2 and int(sub["year"].iloc[1]) - int(sub["year"].iloc[0]) > 1:
            years = np.arange(int(sub["year"].iloc[0]), int(sub["year"].iloc[1]) + 1)
            values = np.interp(years, sub["year"].to_numpy(dtype=float), sub["plan"].to_numpy(dtype=float))
            sub = pd.DataFrame({"year": years, "plan": values}).assign(
                indicator=indicator, direction=sub["direction"].iloc[0], unit=sub["unit"].iloc[0]
            )
        frames.append(sub[["indicator", "year", "plan", "direction", "unit"]])
    out = pd.concat(frames, ignore_index=True)
    out["year"] = out["year"].astype(int)
    return out


def status(
    actual: np.ndarray, plan: np.ndarray, direction: np.ndarray, *, lo: np.ndarray | None = None, hi: np.ndarray | None = None,
    future: np.ndarray | None = None, tolerance: float = TOLERANCE,
) -> np.ndarray:
    """The status rule of the module docstring, vectorised."""
    a = np.asarray(actual, dtype=float)
    p = np.asarray(plan, dtype=float)
    up = np.asarray(direction) == "up"
    shortfall = np.where(up, p - a, a - p)
    with np.errstate(divide="ignore", invalid="ignore"):
        rel = np.where(np.abs(p) > 0, shortfall / np.abs(p), np.where(shortfall > 0, np.inf, 0.0))
    inside = np.zeros(a.shape, dtype=bool)
    if lo is not None and hi is not None:
        with np.errstate(invalid="ignore"):
            inside = (np.asarray(lo, dtype=float) <= p) & (p <= np.asarray(hi, dtype=float))
    out = np.where(shortfall <= 0, "on_track", np.where((rel <= tolerance) | inside, "at_risk", "off_track"))
    out = np.where(np.isnan(a), "no_data", out)
    if future is not None:
        out = np.where(np.asarray(future, dtype=bool), "not_yet", out)
    return out.astype(object)


def track(indicators: pd.DataFrame, *, official: pd.DataFrame | None = None, regional: bool = True) -> pd.DataFrame:
    """Actual vs plan for the nation (region KZ) and, with `regional`, each region, from an indicator table
    with national and region rows (section ALL) on one basis."""
    table = indicators[indicators["section"] == ALL]
    if "basis" in table.columns:
        table = table[table["basis"] == "current"] if (table["basis"] == "current").any() else table
    if not regional:
        table = table[table["region"] == NATIONAL]
    last_year = int(table["year"].max()) if len(table) else 0
    p = plans(official)
    regions = sorted(set(table["region"]), key=lambda r: (r != NATIONAL, r)) or [NATIONAL]
    grid = p.merge(pd.DataFrame({"region": regions}), how="cross")
    # years with data but before the first plan year are not tracked; all plan years are listed
    merged = grid.merge(table, on=["year", "region"], how="left")
    actual = np.full(len(merged), np.nan)
    lo = np.full(len(merged), np.nan)
    hi = np.full(len(merged), np.nan)
    for indicator, (column, factor, ci) in SOURCES.items():
        mask = (merged["indicator"] == indicator).to_numpy()
        if column is None or column not in merged.columns or not mask.any():
            continue
        actual[mask] = merged.loc[mask, column].to_numpy(dtype=float) * factor
        if ci is not None:
            lo[mask] = merged.loc[mask, ci[0]].to_numpy(dtype=float) * factor
            hi[mask] = merged.loc[mask, ci[1]].to_numpy(dtype=float) * factor
    separate = np.full(len(merged), np.nan)
    for indicator, (column, factor) in SEPARATE.items():
        mask = (merged["indicator"] == indicator).to_numpy()
        if column in merged.columns and mask.any():
            separate[mask] = merged.loc[mask, column].to_numpy(dtype=float) * factor
    if "status" in merged.columns:  # a confidential cell has no usable actual
        ok = merged["status"].fillna("ok").to_numpy() == "ok"
        actual = np.where(ok, actual, np.nan)
        separate = np.where(ok, separate, np.nan)
    future = (merged["year"] > last_year).to_numpy()
    out = pd.DataFrame(
        {
            "indicator": merged["indicator"].astype(str),
            "year": merged["year"].astype(int),
            "region": merged["region"].astype(str),
            "plan": merged["plan"].astype(float),
            "actual": np.where(future, np.nan, actual),
            "direction": merged["direction"].astype(str),
            "unit": merged["unit"].astype(str),
            "actual_self": np.where(future, np.nan, separate),
        }
    )
    out["gap"] = out["actual"] - out["plan"]
    out["status"] = status(out["actual"].to_numpy(), out["plan"].to_numpy(), out["direction"].to_numpy(), lo=lo, hi=hi, future=future)
    return out[list(COLUMNS)].sort_values(["indicator", "region", "year"]).reset_index(drop=True)
