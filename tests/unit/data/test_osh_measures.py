"""The osh_measures contract: loaded through the same validator as every table, each rule rejecting with row,
column and reason; the demo generates it with zero rejects and plants the desk checks' truth."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from data.demo import generate
from data.demo.conceal import CONCEAL_KINDS, MIN_HARMFUL
from data.loader import load_file, load_frame
from data.schemas import SCHEMAS
from data.store import DuckDBStore
from tests.unit.data.test_loader import BINS, enterprises_frame

HEADER = ("bin;year;workers;funding_per_worker;guarantee_workers;additional_leave_workers;reduced_hours_workers;"
          "wage_supplement_workers;nutrition_workers;milk_workers;ppe_provision_pct;sanitary_facilities;medical_exam_pct\n")


def test_contract_is_appended_with_its_key_and_reference() -> None:
    schema = SCHEMAS["osh_measures"]
    assert list(SCHEMAS)[-1] == "osh_measures"
    assert schema.key == ("bin", "year")
    assert schema.references == {"bin": "enterprises.bin"}


def test_each_rule_rejects_with_row_column_and_reason(tmp_store: DuckDBStore, tmp_path: Path) -> None:
    load_frame(tmp_store, "enterprises", enterprises_frame(3), source="test")
    unknown = BINS[5]
    text = HEADER + "".join([
        f"{BINS[0]};2024;100;25 000,5;40;30;10;35;5;20;92,5;да;88\n",     # row 2: fine
        f"{BINS[1]};2024;10;1000;11;0;0;0;0;0;90;1;90\n",                  # row 3: guarantees > workers
        f"{BINS[2]};2024;10;1000;5;6;0;0;0;0;90;1;90\n",                   # row 4: leave > guarantees
        f"{BINS[0]};2023;10;1000;5;0;0;0;0;0;120;1;90\n",                  # row 5: PPE above 100
        f"{unknown};2024;10;1000;0;0;0;0;0;0;90;1;90\n",                   # row 6: unknown BIN
        f"{BINS[1]};2023;10;-5;0;0;0;0;0;12;90;maybe;90\n",                # row 7: three problems
    ])
    path = tmp_path / "measures.csv"
    path.write_text(text, encoding="utf-8")
    report = load_file(tmp_store, "osh_measures", path)
    assert (report.read, report.loaded, report.rejected) == (6, 1, 5)
    got = {(int(r.row), r.column, r.reason) for r in report.rejects.itertuples()}
    assert got == {
        (3, "guarantee_workers", "guarantee_workers exceeds workers"),
        (4, "additional_leave_workers", "additional_leave_workers exceeds guarantee_workers"),
        (5, "ppe_provision_pct", "must be between 0 and 100"),
        (6, "bin", "bin not found in enterprises"),
        (7, "funding_per_worker", "must be between 0 and inf"),
        (7, "milk_workers", "milk_workers exceeds workers"),
        (7, "sanitary_facilities", "not true/false (1/0, yes/no, да/нет, иә/жоқ)"),
    }
    stored = tmp_store.read("osh_measures")
    assert stored.iloc[0]["funding_per_worker"] == pytest.approx(25000.5)
    assert bool(stored.iloc[0]["sanitary_facilities"]) is True


@pytest.fixture(scope="module")
def country():
    return generate(seed=11, scale=0.02)


def test_demo_measures_follow_the_contract_and_the_assessments(country) -> None:
    m = country.osh_measures
    assert tuple(m.columns) == SCHEMAS["osh_measures"].names
    assert sorted(m["year"].unique()) == [2022, 2023, 2024]
    assert not m.duplicated(["bin", "year"]).any()
    assert (m["guarantee_workers"] <= m["workers"]).all()
    # guarantees rest on an assessment: an unassessed reporter grants none, unless it is a planted look-alike
    # (old attestation) or a concealer (assessed, records withheld)
    truth = country.truth.set_index("bin")
    assessed = set(country.workplace_assessments["bin"])
    granting = m[(m["year"] == 2024) & (m["guarantee_workers"] > 0)]["bin"]
    unexplained = [b for b in granting if b not in assessed
                   and truth.loc[b, "desk_truth"] != "missing_assessment" and truth.loc[b, "desk_lookalike"] == ""]
    assert unexplained == []


def test_demo_plants_each_kind_with_the_traces_its_rules_look_for(country) -> None:
    truth = country.truth
    counts = truth["desk_truth"].value_counts()
    assert {k: int(counts[k]) for k in CONCEAL_KINDS} == dict.fromkeys(CONCEAL_KINDS, 16)
    ent = country.enterprises.set_index("bin")
    wa_bins = set(country.workplace_assessments["bin"])
    missing = truth.loc[truth["desk_truth"] == "missing_assessment", "bin"]
    assert not (set(missing) & wa_bins)
    assert (ent.loc[missing, "harmful_workers"] >= MIN_HARMFUL).all()
    under = truth.loc[truth["desk_truth"] == "understated_assessment", "bin"]
    low = country.workplace_assessments[country.workplace_assessments["bin"].isin(under)]
    assert set(low["harmfulness_class"]) <= {"1", "2"}
    assert set(low["danger_class"]) == {1}
    lapsed = truth.loc[truth["desk_truth"] == "lapsed_insurance", "bin"]
    ins = country.insurance.set_index(["bin", "year"])["covered"]
    assert not any(ins.get((b, 2024), False) for b in lapsed)
    assert all(ins.get((b, 2023), False) for b in lapsed)
    look = truth.loc[truth["desk_lookalike"] != "", "bin"]
    assert len(look) == 16
    assert not (set(look) & wa_bins)
    assert np.intersect1d(look, truth.loc[truth["desk_truth"] != "", "bin"]).size == 0
