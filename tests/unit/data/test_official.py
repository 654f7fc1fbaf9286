"""The official figures and targets match docs/facts.md and cite lines of data/seed/ that print them."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest

from data.official import (
    DOCUMENT,
    FIGURE_COLUMNS,
    OfficialFigureError,
    figure,
    official_figures,
    targets,
)

# The cited document is kept in the repository (data/seed/SOURCE.md says where it came from).
SEED = Path(__file__).resolve().parents[3] / "data" / DOCUMENT
SEED_LINES = 2152


def test_figures_frame_has_the_contract_columns_and_types() -> None:
    frame = official_figures()
    assert tuple(frame.columns) == FIGURE_COLUMNS
    assert str(frame["year"].dtype) == "Int64"
    assert frame["value"].dtype == "float64"
    assert frame["source"].str.fullmatch(re.escape(DOCUMENT) + r":\d+(-\d+)?").all()
    lines = frame["source"].str.extract(r":(\d+)")[0].astype(int)
    assert lines.between(1, SEED_LINES).all()
    assert not frame.duplicated(["figure", "year", "scope"]).any()


@pytest.mark.parametrize(
    ("name", "year", "scope", "value"),
    [
        # national, 2022 unless noted (docs/facts.md "Indicator definitions" and "National context")
        ("injured", 2022, "KZ", 2449),
        ("fatal", 2022, "KZ", 205),
        ("injury_rate", 2022, "KZ", 44),
        ("injury_rate", 2020, "KZ", 39),
        ("fatal_rate", 2022, "KZ", 3.7),
        ("fatal_rate", 2020, "KZ", 3.9),
        ("injury_rate_1000", 2022, "KZ", 0.44),
        ("fatal_rate_1000", 2022, "KZ", 0.037),
        ("hidden_ratio", 2022, "KZ", 11),
        ("employed_population", 2022, "KZ", 8965.5),
        ("hired_employees", 2022, "KZ", 6830.9),
        ("harmful_workers", 2022, "KZ", 491.1),
        ("harmful_workers_sanitary", 2022, "KZ", 386.3),
        ("harmful_workers_heavy_labour", 2022, "KZ", 102.7),
        ("inspected_enterprises_workforce", 2022, "KZ", 1671.1),
        ("compensated_workers", 2022, "KZ", 680.1),
        ("compensated_workers", 2020, "KZ", 672.3),
        ("harmful_workers_share", 2022, "C", 26.9),
        ("harmful_workers_share", 2022, "B", 24.5),
        ("harmful_workers_share", 2022, "H", 14.1),
        ("harmful_workers_share", 2022, "35", 15.4),
        ("harmful_workers_share", 2022, "55", 10.5),
        ("harmful_workers_share", 2022, "47", 10.0),
        # sectors and regions
        ("injury_rate_1000", 2022, "B", 1.9),
        ("fatal_rate_1000", 2022, "B", 0.12),
        ("injury_rate_1000", 2022, "C", 1.2),
        ("fatal_rate_1000", 2022, "C", 0.07),
        ("hidden_ratio", 2022, "F", 4),
        ("hidden_ratio", 2022, "A", 4),
        ("hidden_ratio", 2022, "B", 21),
        ("hidden_ratio", 2022, "C", 21),
        ("injury_rate_1000", 2022, "35", 1.2),
        ("fatal_rate_1000", 2022, "35", 0.09),
        ("injury_rate_1000", 2022, "62", 4.3),
        ("fatal_rate_1000", 2022, "62", 0.03),
        ("injury_rate_1000", 2022, "63", 1.0),
        ("fatal_rate_1000", 2022, "63", 0.04),
        ("hidden_ratio", 2022, "33", 2),
        ("hidden_ratio", 2022, "27", 4),
        ("hidden_ratio", 2022, "59", 4),
        ("hidden_ratio", 2022, "43", 5),
        ("hidden_ratio", 2022, "71", 5),
        # diseases, insurance, training
        ("disease_cases", 2020, "KZ", 237),
        ("disease_cases", 2022, "KZ", 657),
        ("disease_share_industrial_aerosols", 2022, "KZ", 40.4),
        ("disease_share_functional_overload", 2022, "KZ", 30.0),
        ("disease_share_physical", 2022, "KZ", 23.8),
        ("disease_share_chemical", 2022, "KZ", 4.2),
        ("disease_share_biological", 2022, "KZ", 0.8),
        ("insured_share", 2022, "KZ", 32),
        ("insurance_premiums", 2022, "KZ", 66.6),
        ("insurance_loss_ratio", 2020, "KZ", 13.6),
        ("insurance_loss_ratio", 2022, "KZ", 9.3),
        ("large_enterprises", 2022, "KZ", 3638),
        ("osh_specialists_employed", 2022, "KZ", 2431),
        ("training_violations", 2020, "KZ", 255),
        ("missing_osh_services", 2022, "KZ", 71),
        # international comparison (per 100 000)
        ("injury_rate", None, "Finland", 4025),
        ("injury_rate", None, "USA", 900),
        ("fatal_rate", None, "Germany", 0.7),
        ("fatal_rate", None, "USA", 5.3),
        ("hidden_ratio", None, "Germany", 1811),
        ("hidden_ratio", None, "Finland", 5750),
        ("injury_rate_yearly_fall", None, "EU", 4.8),
    ],
)
def test_figure_values_match_facts(name: str, year: int | None, scope: str, value: float) -> None:
    assert figure(name, year=year, scope=scope) == pytest.approx(value)


def test_international_table_is_complete() -> None:
    frame = official_figures()
    countries = {"USA", "Italy", "Germany", "Spain", "France", "Finland"}
    for fig in ("injury_rate", "fatal_rate"):
        got = set(frame.loc[(frame["figure"] == fig) & frame["year"].isna(), "scope"])
        assert got == countries, fig
    ratios = frame[(frame["figure"] == "hidden_ratio") & frame["year"].isna()]
    assert set(ratios["scope"]) == {"Italy", "Germany", "Finland"}


def test_oddities_carry_a_note() -> None:
    frame = official_figures().set_index(["figure", "scope", "year"])
    assert "as printed" in frame.loc[("injury_rate_1000", "62", 2022), "note"]
    assert "+1.2 %" in frame.loc[("compensated_workers_growth", "KZ", 2022), "note"]
    # the sector ratios are not a conflict: the bureau's sector counts give 21:1, the printed rates another denominator
    for sector, implied in (("B", "14.8:1"), ("C", "16.1:1")):
        ratio_note = frame.loc[("hidden_ratio", sector, 2022), "note"]
        assert "published sector counts" in ratio_note
        assert "another denominator" in ratio_note
        assert "inconsistent" not in ratio_note
        assert {"B": "20.7:1", "C": "21.2:1"}[sector] in ratio_note  # the published 2022 counts
        assert implied in frame.loc[("fatal_rate_1000", sector, 2022), "note"]
    assert "99.2 %" in frame.loc[("disease_share_industrial_aerosols", "KZ", 2022), "note"]


def test_unknown_figure_is_a_specific_error() -> None:
    with pytest.raises(OfficialFigureError, match=r"no official figure 'injured' for year=1999 scope='KZ'"):
        figure("injured", year=1999)


def _printed_forms(value: float) -> set[str]:
    forms = set()
    if value == int(value):
        forms.add(str(int(value)))
        forms.add(f"{int(value):,}".replace(",", " "))
    for decimals in (1, 2, 3):
        text = f"{value:.{decimals}f}"
        forms.add(text.replace(".", ","))
        whole, frac = text.split(".")
        forms.add(f"{int(whole):,}".replace(",", " ") + "," + frac)
    return forms


# Figures that are derived from the words around them rather than printed as a number.
_DERIVED = {"accidents_linked_to_training_share", "pathology_register", "osh_specialists_needed"}


def test_every_cited_line_prints_the_value() -> None:
    lines = SEED.read_text(encoding="utf-8").splitlines()
    frame = official_figures()
    missing = []
    for row in frame.itertuples(index=False):
        if row.figure in _DERIVED:
            continue
        span = row.source.rsplit(":", 1)[1].split("-")
        first, last = int(span[0]), int(span[-1])
        text = " ".join(lines[first - 1:last]).replace("\u00a0", " ")
        if not any(form in text for form in _printed_forms(row.value)):
            missing.append((row.figure, row.scope, row.value, row.source))
    assert not missing, missing


TARGET_IDS = {
    "risk_assessment_coverage", "fatal_rate_1000", "hidden_injury_ratio", "insurance_coverage", "osh_knowledge_check",
    "science_programmes", "state_monitoring_coverage", "injury_rate_1000_2030", "osh_violation_share_2030",
}

# docs/facts.md "Target indicators 2024-2030": 2022 fact, 2023 estimate, 2024..2030 plans (None = "–").
TARGET_TABLE = {
    "risk_assessment_coverage": (None, None, None, 30, 40, 50, 60, 70, 80),
    "fatal_rate_1000": (0.037, 0.036, 0.035, 0.033, 0.031, 0.029, 0.027, 0.025, 0.023),
    "hidden_injury_ratio": (11, 11, 12, 13, 14, 15, 16, 17, 18),
    "insurance_coverage": (32, 55, 60, 65, 70, 75, 80, 85, 90),
    "osh_knowledge_check": (None, None, None, 40, 50, 60, 70, 80, 90),
    "science_programmes": (3, 3, 3, 4, 4, 5, 5, 6, 6),
    "state_monitoring_coverage": (None, None, None, 30, 40, 50, 60, 70, 80),
}


def test_targets_have_all_indicators_and_columns() -> None:
    t = targets()
    assert set(t["indicator"]) == TARGET_IDS
    for col in ("indicator", "name_en", "name_ru", "name_kk", "year", "plan", "direction", "unit", "source"):
        assert col in t.columns
    assert t[["name_en", "name_ru", "name_kk"]].apply(lambda s: s.str.len() > 10).all().all()
    assert set(t["direction"]) == {"up", "down"}
    assert t["source"].str.startswith(DOCUMENT + ":").all()


@pytest.mark.parametrize("indicator", sorted(TARGET_TABLE))
def test_target_plans_match_facts(indicator: str) -> None:
    t = targets()
    got = t[t["indicator"] == indicator].set_index("year")["plan"]
    expected = {y: v for y, v in zip(range(2022, 2031), TARGET_TABLE[indicator], strict=True) if v is not None}
    assert got.to_dict() == pytest.approx(expected)


def test_target_directions_and_2023_misprint_note() -> None:
    t = targets()
    direction = t.drop_duplicates("indicator").set_index("indicator")["direction"]
    assert direction["fatal_rate_1000"] == "down"
    assert direction["hidden_injury_ratio"] == "up"  # a higher ratio means better reporting
    assert direction["injury_rate_1000_2030"] == "down"
    assert direction["osh_violation_share_2030"] == "down"
    row_2023 = t[(t["indicator"] == "insurance_coverage") & (t["year"] == 2023)].iloc[0]
    assert row_2023["kind"] == "estimate"
    assert "misprint" in row_2023["note"]


def test_expected_results_2030() -> None:
    t = targets().set_index(["indicator", "year"])["plan"]
    assert t[("injury_rate_1000_2030", 2022)] == 0.44
    assert t[("injury_rate_1000_2030", 2030)] == 0.30
    assert t[("osh_violation_share_2030", 2022)] == 28
    assert t[("osh_violation_share_2030", 2030)] == 23


def test_targets_frame_types() -> None:
    t = targets()
    assert pd.api.types.is_integer_dtype(t["year"])
    assert t["plan"].dtype == "float64"
