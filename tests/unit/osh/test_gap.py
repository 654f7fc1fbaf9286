"""The gap between high- and low-risk places: fifths of workers, exact interval, trend."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from osh import gap


def _table(rates: dict[str, float], *, workers: float = 100_000.0, year: int = 2023, series: str = "bns") -> pd.DataFrame:
    rows = [
        {"year": year, "basis": "current", "series": series, "region": r, "section": "ALL", "status": "ok",
         "workers": workers, "injured": rate * workers / 1000}
        for r, rate in rates.items()
    ]
    rows.append({"year": year, "basis": "current", "series": series, "region": "KZ", "section": "ALL", "status": "ok",
                 "workers": workers * len(rates), "injured": np.nan})
    return pd.DataFrame(rows)


def test_ratio_of_the_worst_and_best_fifth_of_workers():
    # ten equal regions: the worst fifth of workers is the two worst regions, the best fifth the two best
    rates = {f"{10 + i}": r for i, r in enumerate([2.0, 1.6, 1.0, 0.9, 0.8, 0.7, 0.6, 0.5, 0.25, 0.15])}
    out = gap.gap_table(_table(rates)).set_index("dimension").loc["region"]
    assert out["worst"] == "10,11"
    assert out["best"] == "19,18"
    assert out["worst_rate"] == pytest.approx(1.8)
    assert out["best_rate"] == pytest.approx(0.2)
    assert out["ratio"] == pytest.approx(9.0)
    assert out["ratio_lo"] < 9.0 < out["ratio_hi"]
    assert out["status"] == "ok"


def test_boundary_unit_counts_with_its_share_of_workers():
    frame = _table({"10": 3.0, "11": 1.0, "12": 1.0, "13": 1.0, "14": 0.5})
    frame.loc[frame["region"] == "10", ["workers", "injured"]] = [50_000.0, 150.0]  # 50 000 of 450 000 workers
    out = gap.gap_table(frame).set_index("dimension").loc["region"]
    # the worst fifth is 90 000 workers: all of region 10 (3.0) and 40 000 of region 11 (1.0)
    assert out["worst_rate"] == pytest.approx((150 + 40) / 90_000 * 1000)
    assert out["worst"] == "10,11"


def test_confidential_and_too_few_units_give_no_gap():
    frame = _table({"10": 2.0, "11": 1.0, "12": 0.5, "13": 0.4, "14": 0.3})
    frame.loc[frame["region"] == "14", "status"] = "confidential"
    out = gap.gap_table(frame).set_index("dimension").loc["region"]
    assert out["status"] == "no_data"
    assert out["units"] == 4
    assert math.isnan(out["ratio"])


def test_exact_interval_matches_the_binomial_definition():
    lo, hi = gap.rate_ratio_ci(30, 10_000, 10, 10_000)
    # conditional on 40 events the share of the first group is binomial: Clopper-Pearson bounds
    from scipy.stats import beta

    p_lo, p_hi = beta.ppf(0.025, 30, 11), beta.ppf(0.975, 31, 10)
    assert lo == pytest.approx(p_lo / (1 - p_lo))
    assert hi == pytest.approx(p_hi / (1 - p_hi))
    assert lo < 3.0 < hi
    assert all(math.isnan(v) for v in gap.rate_ratio_ci(0, 1, 0, 1))


def test_trend_says_whether_the_gap_narrows():
    frames = [
        _table({f"{10 + i}": r * f for i, r in enumerate([2.0, 1.6, 1.0, 0.9, 0.8, 0.7, 0.6, 0.5, 0.25, 0.15])} | {}, year=y)
        for y, f in ((2021, 1.0), (2022, 1.0), (2023, 1.0))
    ]
    table = pd.concat(frames, ignore_index=True)
    # make the worst regions improve each year: the gap falls
    for k, y in enumerate((2021, 2022, 2023)):
        mask = (table["year"] == y) & table["region"].isin(["10", "11"])
        table.loc[mask, "injured"] = table.loc[mask, "injured"] * (1 - 0.2 * k)
    gaps = gap.gap_table(table)
    tr = gap.trend(gaps).set_index("dimension").loc["region"]
    assert tr["avg_change"] < 0
    assert tr["projected_2030"] < gaps.loc[gaps["year"] == 2023, "ratio"].iloc[0]
    assert (tr["first_year"], tr["last_year"]) == (2021, 2023)
