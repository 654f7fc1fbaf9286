"""Demo self-assessments: eligible firms only, scored by the real questionnaire, weaker signal than accredited ones."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from data.demo import self_checks
from data.demo.country import generate
from osh.selfcheck.content import TOOLS
from osh.selfcheck.scoring import assess


@pytest.fixture(scope="module")
def country():
    return generate(seed=7, scale=0.05)


def test_only_small_firms_of_the_tools_activities_from_2024(country) -> None:
    rows = self_checks.generate(seed=7, enterprises=country.enterprises, truth=country.truth, years=(2022, 2023, 2024))
    assert len(rows) > 20
    assert {d.year for d in rows["submitted_on"]} == {2024}
    firms = country.enterprises.set_index("bin").loc[rows["bin"]]
    assert (firms["employees"] <= 100).all()
    for oked, tool in zip(firms["oked"], rows["tool"], strict=True):
        assert any(str(oked).startswith(p) for p in TOOLS[tool].oked), (oked, tool)
    assert (rows["region"] == firms["kato"].str[:2].to_numpy()).all()
    assert rows["submission_id"].is_unique
    assert rows["code_id"].is_unique
    # the same seed gives the same rows
    again = self_checks.generate(seed=7, enterprises=country.enterprises, truth=country.truth, years=(2024,))
    pd.testing.assert_frame_equal(rows.reset_index(drop=True), again.reset_index(drop=True))


def test_every_row_is_the_questionnaires_own_score(country) -> None:
    rows = self_checks.generate(seed=7, enterprises=country.enterprises, truth=country.truth, years=(2024,))
    for row in rows.head(25).itertuples(index=False):
        result = assess(tool_id=row.tool, answers=json.loads(row.answers), employees=row.employees, assessed_on=row.submitted_on)
        record = result.record()
        assert record == {k: getattr(row, k) for k in record}


def test_riskier_firms_report_more_gaps_but_optimistically(country) -> None:
    rows = self_checks.generate(seed=7, enterprises=country.enterprises, truth=country.truth, years=(2024,))
    merged = rows.merge(country.truth, on="bin")
    gaps = merged["measures"].to_numpy(dtype=float)
    assert np.corrcoef(gaps, np.log(merged["latent_risk"]))[0, 1] > 0.1
    # optimism: fewer than half of the answers are "no" even for the riskiest tenth
    riskiest = merged[merged["latent_risk"] >= merged["latent_risk"].quantile(0.9)]
    share_no = riskiest["answers"].map(lambda a: sum(v == "no" for v in json.loads(a).values()) / len(json.loads(a)))
    assert share_no.mean() < 0.5
