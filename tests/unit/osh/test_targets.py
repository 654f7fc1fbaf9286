"""Target tracking: the status rule in both directions, plans of the 2030 results, not_yet and no_data."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from osh import targets


def test_status_rule_direction_matters():
    actual = np.array([0.030, 0.0345, 0.040, 13.0, 12.5, 10.0, np.nan])
    plan = np.array([0.033, 0.033, 0.033, 13.0, 13.0, 13.0, 13.0])
    direction = np.array(["down", "down", "down", "up", "up", "up", "up"])
    got = targets.status(actual, plan, direction)
    # down: below plan on track; 4.5 % above is within the 10 % tolerance; 21 % above is off track
    # up (hidden-injury ratio rises): meeting 13 on track; 12.5 at risk; 10 off track; NaN no data
    assert got.tolist() == ["on_track", "at_risk", "off_track", "on_track", "at_risk", "off_track", "no_data"]


def test_plan_inside_the_interval_is_only_at_risk():
    got = targets.status(
        np.array([0.045]), np.array([0.033]), np.array(["down"]), lo=np.array([0.030]), hi=np.array([0.060])
    )
    assert got.tolist() == ["at_risk"]
    got = targets.status(
        np.array([0.045]), np.array([0.033]), np.array(["down"]), lo=np.array([0.040]), hi=np.array([0.050])
    )
    assert got.tolist() == ["off_track"]


def test_2030_results_are_interpolated():
    p = targets.plans().set_index(["indicator", "year"])["plan"]
    assert p[("injury_rate_1000_2030", 2022)] == 0.44
    assert p[("injury_rate_1000_2030", 2030)] == 0.30
    assert p[("injury_rate_1000_2030", 2026)] == pytest.approx(0.37)
    assert p[("osh_violation_share_2030", 2024)] == pytest.approx(26.75)
    assert p[("hidden_injury_ratio", 2027)] == 15


def _indicator_rows(year: int, region: str, **values: float) -> dict[str, object]:
    base: dict[str, object] = {"year": year, "basis": "current", "region": region, "section": "ALL", "status": "ok"}
    cols = (
        "assessed_share", "fatal_rate_1000", "fatal_rate_1000_lo", "fatal_rate_1000_hi", "hidden_ratio", "insured_share",
        "injury_rate_1000", "injury_rate_1000_lo", "injury_rate_1000_hi", "osh_violation_share",
    )
    return base | {c: values.get(c, np.nan) for c in cols}


def test_track_national_and_regional():
    table = pd.DataFrame(
        [
            _indicator_rows(2024, "KZ", fatal_rate_1000=0.030, fatal_rate_1000_lo=0.028, fatal_rate_1000_hi=0.032,
                            hidden_ratio=9.0, insured_share=0.61, assessed_share=0.1),
            _indicator_rows(2024, "35", fatal_rate_1000=0.090, fatal_rate_1000_lo=0.07, fatal_rate_1000_hi=0.11, hidden_ratio=20.0),
            {**_indicator_rows(2024, "62"), "status": "confidential"},
        ]
    )
    out = targets.track(table).set_index(["indicator", "region", "year"])
    assert set(targets.COLUMNS) == set(out.reset_index().columns)
    assert out.loc[("fatal_rate_1000", "KZ", 2024), "status"] == "on_track"
    assert out.loc[("fatal_rate_1000", "KZ", 2024), "gap"] == pytest.approx(0.030 - 0.035)
    assert out.loc[("fatal_rate_1000", "35", 2024), "status"] == "off_track"
    assert out.loc[("hidden_injury_ratio", "KZ", 2024), "status"] == "off_track"  # 9 < 12 and the ratio should rise
    assert out.loc[("hidden_injury_ratio", "35", 2024), "status"] == "on_track"
    assert out.loc[("insurance_coverage", "KZ", 2024), "actual"] == pytest.approx(61.0)
    assert out.loc[("insurance_coverage", "KZ", 2024), "status"] == "on_track"
    assert out.loc[("fatal_rate_1000", "62", 2024), "status"] == "no_data"  # confidential is not a value
    assert out.loc[("fatal_rate_1000", "KZ", 2025), "status"] == "not_yet"
    assert out.loc[("osh_knowledge_check", "KZ", 2025), "status"] == "not_yet"
    assert out.loc[("science_programmes", "KZ", 2024), "status"] == "no_data"
