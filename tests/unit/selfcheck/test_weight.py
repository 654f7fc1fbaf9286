"""The documented weight of a self-assessment in the risk model: blend with the peer prior, latest valid per BIN."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import pytest

from data.store import DuckDBStore
from osh.selfcheck import weight
from osh.selfcheck.weight import (
    SELF_ASSESSMENT_WEIGHT,
    SOURCE_ACCREDITED,
    SOURCE_PRIOR,
    SOURCE_SELF,
    blend_assessment_index,
    latest_self_assessment_sql,
)
from tests.unit.osh.conftest import put


def test_the_documented_weight_and_validity() -> None:
    assert SELF_ASSESSMENT_WEIGHT == 0.5
    assert weight.VALID_YEARS == 3
    assert "w = SELF_ASSESSMENT_WEIGHT = 0.5" in (weight.__doc__ or "")


def test_accredited_wins_self_is_blended_with_the_prior_else_the_prior() -> None:
    nan = np.nan
    index, source = blend_assessment_index(
        accredited=np.array([0.8, nan, nan, 0.1]),
        self_index=np.array([0.0, 0.2, nan, 0.9]),
        prior=np.array([0.5, 0.6, 0.4, 0.5]),
    )
    np.testing.assert_allclose(index, [0.8, 0.5 * 0.2 + 0.5 * 0.6, 0.4, 0.1])
    assert source.tolist() == [SOURCE_ACCREDITED, SOURCE_SELF, SOURCE_PRIOR, SOURCE_ACCREDITED]
    full, _ = blend_assessment_index(accredited=np.array([nan]), self_index=np.array([0.2]), prior=np.array([0.6]), weight=1.0)
    assert full.tolist() == [0.2]


def test_blend_refuses_bad_weight_and_shapes() -> None:
    one = np.array([0.1])
    with pytest.raises(ValueError, match=r"self-assessment weight must be between 0 and 1, got 1.5"):
        blend_assessment_index(accredited=one, self_index=one, prior=one, weight=1.5)
    with pytest.raises(ValueError, match=r"shapes differ"):
        blend_assessment_index(accredited=one, self_index=np.array([0.1, 0.2]), prior=one)


def test_latest_valid_self_assessment_per_bin(tmp_store: DuckDBStore) -> None:
    rows = pd.DataFrame({
        "submission_id": ["a1", "a2", "b1", "c1"],
        "submitted_on": [date(2022, 5, 1), date(2024, 2, 1), date(2021, 6, 1), date(2025, 1, 10)],
        "bin": ["A", "A", "B", "C"], "region": ["35"] * 4, "code_id": ["k1", "k2", "k3", "k4"], "tool": ["office"] * 4,
        "lang": ["kk"] * 4, "employees": [5] * 4, "harmfulness_class": ["2"] * 4, "danger_class": [4, 2, 3, 1],
        "equipment_class": [1] * 4, "ppe_provision_pct": [100.0] * 4, "morbidity_class": [1] * 4,
        "compliance_pct": [90.0] * 4, "measures": [1] * 4, "answers": ["{}"] * 4,
    })
    put(tmp_store, "self_assessments", rows)
    got = tmp_store.sql(latest_self_assessment_sql(score_expr="(danger_class - 1) / 3.0", year=2024) + " ORDER BY bin")
    # A: the 2024 one wins over 2022; B: 2021 is outside 2022-2024; C: 2025 is after the scored year
    assert got["bin"].tolist() == ["A"]
    assert got["s"].tolist() == pytest.approx([1 / 3])


def test_the_risk_models_own_workplace_formula_scores_self_assessments(tmp_store: DuckDBStore) -> None:
    from osh import risk

    formula = risk._workplace_sql
    cfg = risk.load_config()
    rows = pd.DataFrame({
        "submission_id": ["s"], "submitted_on": [date(2024, 3, 1)], "bin": ["A"], "region": ["35"], "code_id": ["k"],
        "tool": ["car"], "lang": ["ru"], "employees": [3], "harmfulness_class": ["3.1"], "danger_class": [4],
        "equipment_class": [1], "ppe_provision_pct": [50.0], "morbidity_class": [1], "compliance_pct": [60.0],
        "measures": [4], "answers": ["{}"],
    })
    put(tmp_store, "self_assessments", rows)
    got = tmp_store.sql(latest_self_assessment_sql(score_expr=formula(cfg), year=2024))
    w = cfg.workplace_weights
    expected = w["harmfulness"] * cfg.harmfulness_points["3.1"] + w["danger"] * 1.0 + w["ppe"] * 0.5
    assert got["s"].iloc[0] == pytest.approx(expected)


def test_the_risk_model_blends_a_self_assessment_with_the_peer_prior(tmp_store: DuckDBStore) -> None:
    from osh import risk
    from tests.unit.osh.conftest import tiny_country

    ent = tiny_country(tmp_store)  # the first 100 enterprises have an accredited assessment in 2022
    before = risk.enterprise_risk(tmp_store, year=2022).set_index("bin")
    unassessed = ent["bin"].iloc[150]
    accredited = ent["bin"].iloc[0]
    assert not before.loc[unassessed, "assessed"]
    rows = pd.DataFrame({
        "submission_id": ["s1", "s2"], "submitted_on": [date(2022, 3, 1)] * 2, "bin": [unassessed, accredited],
        "region": ["35"] * 2, "code_id": ["k1", "k2"], "tool": ["office"] * 2, "lang": ["kk"] * 2, "employees": [3] * 2,
        "harmfulness_class": ["3.2"] * 2, "danger_class": [4] * 2, "equipment_class": [4] * 2,
        "ppe_provision_pct": [0.0] * 2, "morbidity_class": [4] * 2, "compliance_pct": [10.0] * 2,
        "measures": [9] * 2, "answers": ["{}"] * 2,
    })
    put(tmp_store, "self_assessments", rows)
    after = risk.enterprise_risk(tmp_store, year=2022).set_index("bin")
    cfg = risk.load_config()
    own = tmp_store.sql(latest_self_assessment_sql(score_expr=risk._workplace_sql(cfg), year=2022)).set_index("bin")["s"]
    prior = before.loc[unassessed, "assessment_index"]
    assert after.loc[unassessed, "assessment_index"] == pytest.approx(0.5 * own[unassessed] + 0.5 * prior)
    assert bool(after.loc[unassessed, "self_assessed"])
    assert not bool(after.loc[unassessed, "assessed"])  # coverage (target 1) counts accredited assessments only
    assert after.loc[unassessed, "score"] > before.loc[unassessed, "score"]
    # an accredited assessment wins: the self-assessment changes nothing there
    assert after.loc[accredited, "assessment_index"] == pytest.approx(before.loc[accredited, "assessment_index"])
    assert not bool(after.loc[accredited, "self_assessed"])
    # everyone else keeps the score they had
    others = after.index.difference([unassessed])
    np.testing.assert_allclose(after.loc[others, "score"], before.loc[others, "score"])
