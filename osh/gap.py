"""The gap between high- and low-risk places: is it narrowing? (the Concept asks monitoring to show it).

For one year, series and breakdown (regions or sectors), the units with a published rate are ranked by it; the
fifth of the workers in the worst units and the fifth in the best (the unit at the boundary counts with the part of
its workers inside) are pooled — injured and workers summed — and the gap is the ratio of the pooled rates, worst
over best. Fifths of workers, not of units, so that a tiny section cannot be a fifth on its own. Its 95 % interval
is exact: given the two counts a and b, a is binomial with n = a + b and p = RR Ea / (RR Ea + Eb), so a
Clopper-Pearson interval on p gives one on RR.

Caveat (docs/methodology): the fifths are chosen by the same year's rates, so the gap of a single year leans high
(chance places some units at the ends); its trend over years, computed the same way each year, is the measure. The
gap is computed from the disclosure-controlled indicator table, so it reveals nothing that table hides.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from scipy.stats import beta

from osh.indicators import ALL, NATIONAL

# measure -> (count column, per workers). Deaths are too few for fifths of regions to give a stable ratio (the
# best fifth often has none), so the gap follows the injury rate, the measure of the Concept's 2030 result.
MEASURES: dict[str, tuple[str, float]] = {"injury_rate_1000": ("injured", 1000.0)}
DIMENSIONS: tuple[str, ...] = ("region", "sector")
COLUMNS: tuple[str, ...] = (
    "year", "series", "dimension", "measure", "units", "worst", "best", "worst_rate", "best_rate",
    "ratio", "ratio_lo", "ratio_hi", "status",
)
TREND_COLUMNS: tuple[str, ...] = ("series", "dimension", "measure", "first_year", "last_year", "avg_change", "projected_2030")
MIN_UNITS = 5  # fewer units with a rate than this: no gap (a fifth would be less than one unit)
MIN_COUNT = 5.0  # a fifth with fewer injured than this gives no usable ratio
MIN_YEARS = 3  # years with a gap needed for a trend


def rate_ratio_ci(a: float, ea: float, b: float, eb: float, *, level: float = 0.95) -> tuple[float, float]:
    """Exact interval of the ratio of two Poisson rates (a / ea) / (b / eb), conditional on a + b."""
    n = a + b
    if n <= 0 or ea <= 0 or eb <= 0:
        return math.nan, math.nan
    alpha = 1.0 - level
    p_lo = 0.0 if a == 0 else float(beta.ppf(alpha / 2, a, b + 1))
    p_hi = 1.0 if b == 0 else float(beta.ppf(1 - alpha / 2, a + 1, b))
    lo = p_lo / (1 - p_lo) * eb / ea if p_lo < 1 else math.inf
    hi = p_hi / (1 - p_hi) * eb / ea if p_hi < 1 else math.inf
    return lo, hi


def _fifth(order: pd.DataFrame, *, count: str, share: float = 0.2) -> tuple[float, float, list[str]]:
    """Pooled count and workers of the first fifth of the workers in `order` (the unit at the boundary counts with
    the part of its workers that falls inside), and the units that contribute."""
    workers = order["workers"].to_numpy(dtype=float)
    target = workers.sum() * share
    before = np.concatenate([[0.0], np.cumsum(workers)[:-1]])
    inside = np.clip((target - before) / np.where(workers > 0, workers, 1.0), 0.0, 1.0)
    units = order["_unit"].to_numpy()[inside > 0].astype(str).tolist()
    return float((order[count].to_numpy(dtype=float) * inside).sum()), float((workers * inside).sum()), units


def _one(frame: pd.DataFrame, *, key: str, count: str, per: float) -> dict[str, object]:
    usable = frame[(frame["status"] == "ok") & (frame["workers"] > 0) & frame[count].notna()]
    if len(usable) < MIN_UNITS:
        return {"units": len(usable), "status": "no_data"}
    rates = usable[count] / usable["workers"] * per
    order = usable.assign(_rate=rates, _unit=usable[key]).sort_values(["_rate", key], ascending=[False, True])
    a, ea, worst = _fifth(order, count=count)
    b, eb, best = _fifth(order.iloc[::-1], count=count)
    worst_rate, best_rate = a / ea * per, b / eb * per
    usable_pair = min(a, b) >= MIN_COUNT
    ratio = worst_rate / best_rate if usable_pair else math.nan
    lo, hi = rate_ratio_ci(a, ea, b, eb) if usable_pair else (math.nan, math.nan)
    return {
        "units": len(order), "worst": ",".join(worst), "best": ",".join(best),
        "worst_rate": worst_rate, "best_rate": best_rate, "ratio": ratio, "ratio_lo": lo, "ratio_hi": hi,
        "status": "ok" if np.isfinite(ratio) else "no_data",
    }


def gap_table(indicators: pd.DataFrame) -> pd.DataFrame:
    """The gap per year, series, breakdown and measure from a (protected) public indicator table, current basis."""
    table = indicators[indicators["basis"] == "current"] if "basis" in indicators.columns else indicators
    rows: list[dict[str, object]] = []
    for (year, series_id), part in table.groupby(["year", "series"], sort=True):
        pieces = {
            "region": (part[(part["region"] != NATIONAL) & (part["section"] == ALL)], "region"),
            "sector": (part[(part["region"] == NATIONAL) & (part["section"] != ALL)], "section"),
        }
        for dimension, (frame, key) in pieces.items():
            for measure, (count, per) in MEASURES.items():
                rows.append({"year": int(str(year)), "series": series_id, "dimension": dimension, "measure": measure}
                            | _one(frame, key=key, count=count, per=per))
    out = pd.DataFrame(rows)
    for col in COLUMNS:
        if col not in out.columns:
            out[col] = np.nan
    return out[list(COLUMNS)].astype({"worst": "object", "best": "object"})


def trend(gaps: pd.DataFrame, *, horizon: int = 2030) -> pd.DataFrame:
    """Average yearly change of each gap (log-linear least squares over the years with a value) and where that
    trend would put it in `horizon`."""
    rows: list[dict[str, object]] = []
    for (series_id, dimension, measure), part in gaps.groupby(["series", "dimension", "measure"], sort=True):
        ok = part[(part["status"] == "ok") & (part["ratio"] > 0)]
        if len(ok) < MIN_YEARS:
            continue
        years = ok["year"].to_numpy(dtype=float)
        slope, intercept = np.polyfit(years, np.log(ok["ratio"].to_numpy(dtype=float)), 1)
        rows.append({
            "series": series_id, "dimension": dimension, "measure": measure,
            "first_year": int(years.min()), "last_year": int(years.max()),
            "avg_change": float(np.exp(slope) - 1.0), "projected_2030": float(np.exp(intercept + slope * horizon)),
        })
    return pd.DataFrame(rows, columns=list(TREND_COLUMNS))

