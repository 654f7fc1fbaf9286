"""Desk checks on a hand-built store: each rule fires exactly where its two sources disagree, with its facts as
evidence, within the scope; the configuration is checked with messages naming file, rule and key."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd
import pytest

from data.scope import Scope, ScopeError
from osh import desk_checks as dc
from osh import enterprises as ent
from tests.unit.osh.conftest import bins, put

CONFIG = Path(dc.__file__).with_name("desk_checks.toml")
YEAR = 2024
B = bins(10)


def _risk(rows: list[dict]) -> pd.DataFrame:
    base = {"name": "Firm", "kato": "351010000", "section": "C", "size_class": "small", "employees": 20,
            "degree": "low", "score": 10.0, "lat": 49.8, "lon": 73.1, "harmful_workers": 0, "assessed": False,
            "insured": True, "region": "35", "year": YEAR}
    return pd.DataFrame([{**base, **r} for r in rows])


@pytest.fixture
def store(tmp_store):
    risk = _risk([
        {"bin": B[0], "name": "Harmful, unassessed", "harmful_workers": 10},
        {"bin": B[1], "name": "Few harmful, unassessed", "harmful_workers": 3},
        {"bin": B[2], "name": "Disease, class 2", "assessed": True, "harmful_workers": 4},
        {"bin": B[3], "name": "Disease, class 3.1", "assessed": True, "harmful_workers": 4},
        {"bin": B[4], "name": "Accident uninsured", "insured": False},
        {"bin": B[5], "name": "Accident insured"},
        {"bin": B[6], "name": "Astana harmful", "harmful_workers": 20, "region": "71", "kato": "711010000"},
        {"bin": B[7], "name": "Big uninsured", "employees": 150, "insured": False},
        {"bin": B[8], "name": "Many injuries, danger 1", "assessed": True, "employees": 50},
        {"bin": B[9], "name": "Few injuries, danger 1", "assessed": True, "employees": 2000},
    ])
    tmp_store.write_table(ent.RISK_TABLE, risk)
    tmp_store.set_meta("risk_year", str(YEAR))
    put(tmp_store, "enterprises", risk.assign(oked="24.10", active=True)[
        ["bin", "name", "kato", "oked", "employees", "lat", "lon", "size_class", "active", "harmful_workers"]])
    wa = pd.DataFrame({
        "assessment_id": ["W2", "W3", "W8", "W9"], "bin": [B[2], B[3], B[8], B[9]], "workplace": "main",
        "assessment_date": "2023-03-01", "workers": [5, 5, 50, 2000], "harmfulness_class": ["2", "3.1", "2", "2"],
        "danger_class": [2, 2, 1, 1], "equipment_class": 1, "ppe_provision_pct": 90.0, "morbidity_class": 1,
        "assessor": "X"})
    put(tmp_store, "workplace_assessments", wa)
    put(tmp_store, "occupational_diseases", pd.DataFrame({
        "year": [2023, 2024], "bin": [B[2], B[3]], "region": "35", "cause_group": "physical", "cases": [2, 1]}))
    acc = [(f"A{i}", f"{YEAR}-05-0{1 + i % 8}", b, "351010000", "24.10", 1, 0)
           for i, b in enumerate([B[4], B[5]] + [B[8]] * 6 + [B[9]] * 2)]
    put(tmp_store, "accidents", pd.DataFrame(acc, columns=["accident_id", "date", "bin", "kato", "oked", "injured", "fatal"]))
    put(tmp_store, "insurance", pd.DataFrame({"bin": [B[5], B[8], B[9]], "year": YEAR, "covered": True}))
    put(tmp_store, "osh_measures", pd.DataFrame({
        "bin": [B[0], B[1]], "year": YEAR, "workers": 20, "funding_per_worker": 1000.0, "guarantee_workers": [4, 0],
        "additional_leave_workers": 0, "reduced_hours_workers": 0, "wage_supplement_workers": 0,
        "nutrition_workers": 0, "milk_workers": 0, "ppe_provision_pct": 80.0, "sanitary_facilities": True,
        "medical_exam_pct": 90.0}))
    return tmp_store


def _without_stale(tmp_path: Path) -> dc.DeskCheckConfig:
    text = CONFIG.read_text(encoding="utf-8")
    start = text.index("[rules.stale_inspection_rising_degree]")
    path = tmp_path / "rules.toml"
    path.write_text(text[:start] + text[start:].replace("enabled = true", "enabled = false", 1), encoding="utf-8")
    return dc.load_config(path=path)


def _fired(frame: pd.DataFrame) -> set[tuple[str, str]]:
    return {(b, r) for b, r in zip(frame["bin"], frame["rule"], strict=True)}


def test_each_rule_fires_where_its_sources_disagree(store, tmp_path: Path) -> None:
    found = dc.flags(store, scope=Scope.country(), config=_without_stale(tmp_path))
    assert _fired(found) == {
        (B[0], "harmful_without_assessment"), (B[0], "guarantees_without_assessment"),
        (B[6], "harmful_without_assessment"),
        (B[2], "disease_with_low_classes"),
        (B[4], "accidents_without_insurance"),
        (B[7], "employees_without_insurance"),
        (B[8], "injuries_above_assessment"),
    }
    facts = {(b, r): json.loads(f) for b, r, f in zip(found["bin"], found["rule"], found["facts"], strict=True)}
    assert facts[(B[0], "harmful_without_assessment")] == {"harmful_workers": 10}
    assert facts[(B[0], "guarantees_without_assessment")] == {"year": YEAR, "guarantee_workers": 4}
    assert facts[(B[2], "disease_with_low_classes")] == {"cases": 2, "workplaces": 1, "max_class": "2", "window": 5}
    assert facts[(B[4], "accidents_without_insurance")] == {"years": "2024", "accidents": 1, "injured": 1}
    # danger class 1: 8 injured over 2 050 workers x 5 years; B[8] expects 50 x 5 x 8 / 10 250 = 0.2 and had 6
    assert facts[(B[8], "injuries_above_assessment")] == {
        "injuries": 6, "expected": 0.2, "ratio": 30.8, "danger_class": 1, "window": 5}
    assert set(found["detects"][found["rule"] == "employees_without_insurance"]) == {""}


def test_region_and_scope(store, tmp_path: Path) -> None:
    cfg = _without_stale(tmp_path)
    astana = dc.flags(store, scope=Scope.of_regions(["71"]), config=cfg)
    assert set(astana["bin"]) == {B[6]}
    karaganda = dc.flags(store, scope=Scope.country(), region="35", config=cfg)
    assert B[6] not in set(karaganda["bin"])
    with pytest.raises(ScopeError, match="regions 35 are outside this user's scope"):
        dc.flags(store, scope=Scope.of_regions(["71"]), region="35", config=cfg)
    with pytest.raises(ScopeError, match="region 35 is outside"):
        dc.enterprise_flags(store, scope=Scope.of_regions(["71"]), bin=B[0], config=cfg)


def test_desk_list_ranks_by_priority_with_evidence_in_each_language(store, tmp_path: Path) -> None:
    cfg = _without_stale(tmp_path)
    listed = dc.desk_list(store, scope=Scope.country(), region="35", lang="ru", config=cfg)
    assert listed["bin"].iloc[0] == B[0]  # two rules, weights 3 + 4
    assert listed["priority"].iloc[0] == 7.0
    assert listed["evidence"].iloc[0] == (
        "Есть работники во вредных условиях, нет оценки рисков: в регистре 10 работников во вредных условиях; "
        "оцененных рабочих мест нет; Гарантии за вредный труд предоставляются, оценки нет: в 2024 г. гарантии "
        "получили 4 работников; оценка не зарегистрирована")
    assert listed["rank"].tolist() == list(range(1, len(listed) + 1))
    kk = dc.desk_list(store, scope=Scope.country(), region="35", lang="kk", config=cfg)
    assert "тіркелімде зиянды жағдайда 10 қызметкер" in kk["evidence"].iloc[0]
    assert tuple(listed.columns) == dc.LIST_COLUMNS


def test_stale_inspection_compares_with_the_previous_year(store, monkeypatch: pytest.MonkeyPatch) -> None:
    store.write_table(ent.RISK_TABLE, store.read(ent.RISK_TABLE).assign(
        degree=lambda f: f["bin"].map({B[0]: "high", B[1]: "medium", B[2]: "high"}).fillna("low")))
    put(store, "inspections", pd.DataFrame({"inspection_id": ["I1", "I2"], "bin": [B[0], B[2]],
                                            "date": ["2020-02-01", "2023-06-01"], "violations": 1, "osh_violations": 0}))
    before = pd.DataFrame({"bin": [B[0], B[1], B[2]], "degree": ["low", "medium", "low"]})
    asked: list[int | None] = []

    def fake_risk(_store, *, year=None, config=None):
        asked.append(year)
        return before

    monkeypatch.setattr(dc, "enterprise_risk", fake_risk)
    cfg = dc.load_config()
    found = dc.flags(store, scope=Scope.country(), config=cfg)
    stale = found[found["rule"] == "stale_inspection_rising_degree"]
    assert asked == [YEAR - 1]
    # B[0] rose and was last inspected in 2020; B[1] did not rise; B[2] rose but was inspected in 2023
    assert stale["bin"].tolist() == [B[0]]
    facts = json.loads(stale["facts"].iloc[0])
    assert facts == {"before": "low", "now": "high", "last_inspection": "2020-02-01"}
    assert dc.evidence_text(cfg.rule("stale_inspection_rising_degree"), facts, lang="kk") == (
        "дәреже: төмен → жоғары; соңғы тексеру: 2020-02-01")
    assert dc.evidence_text(cfg.rule("stale_inspection_rising_degree"), {**facts, "last_inspection": ""},
                            lang="en") == "degree: low → high; last inspection: never"


def test_without_risk_table_the_error_says_what_to_run(tmp_store) -> None:
    with pytest.raises(ent.RiskTableMissing, match="run 'enbek score'"):
        dc.flags(tmp_store, scope=Scope.country())


# -- configuration ------------------------------------------------------------------------------------------------


def test_shipped_config_has_every_rule_in_three_languages() -> None:
    cfg = dc.load_config(path=CONFIG)
    assert tuple(r.id for r in cfg.rules) == dc.RULE_IDS
    for rule in cfg.rules:
        for kind in dc.TEXTS:
            assert {lang: bool(rule.text(kind, lang).strip()) for lang in dc.LANGS} == {"kk": True, "ru": True, "en": True}
        assert not re.search(r"[A-Za-z]{4,}", rule.text("name", "kk") + rule.text("explain", "ru")), rule.id


def _broken(tmp_path: Path, old: str, new: str) -> Path:
    text = CONFIG.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "broken.toml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


@pytest.mark.parametrize(("old", "new", "message"), [
    ("min_harmful_workers = 5", "min_harmful_workers = \"5\"",
     r"\[rules.harmful_without_assessment\] min_harmful_workers must be int, got '5'"),
    ("min_ratio = 3.0", "min_ratio = -1.0", r"\[rules.injuries_above_assessment\] min_ratio must be >= 0, got -1.0"),
    ('name.ru = "Есть работники, нет договора ОСНС"\n', "",
     r"\[rules.employees_without_insurance\] lacks the text name.ru"),
    ("window_years = 5", "window_years = 0", r"\[settings\] window_years must be >= 1, got 0"),
    ("[rules.harmful_without_assessment]", "[rules.harmful_without_asessment]",
     r"unknown rule\(s\) harmful_without_asessment"),
    ('low_classes = ["1", "2"]', 'low_classes = ["1", "5"]', r"low_classes must be some of 1, 2, 3.1"),
    ("weight = 3\ndetects = \"missing_assessment\"\nmin_harmful", "weight = -3\ndetects = \"missing_assessment\"\nmin_harmful",
     r"weight must be >= 0, got -3"),
])
def test_config_errors_name_file_rule_and_key(tmp_path: Path, old: str, new: str, message: str) -> None:
    path = _broken(tmp_path, old, new)
    with pytest.raises(dc.DeskCheckConfigError, match=re.escape(str(path)) + ".*" + message):
        dc.load_config(path=path)


def test_missing_config_names_the_setting(tmp_path: Path) -> None:
    with pytest.raises(dc.DeskCheckConfigError, match="not found \\(setting ENBEK_DESK_CHECKS\\)"):
        dc.load_config(path=tmp_path / "nope.toml")


def test_evidence_placeholder_the_facts_lack_is_named() -> None:
    rule = dc.load_config(path=CONFIG).rule("harmful_without_assessment")
    with pytest.raises(dc.DeskCheckConfigError, match=r"evidence.en names \{harmful_workers\}.*facts: year"):
        dc.evidence_text(rule, {"year": 2024}, lang="en")


def test_measure_counts_flags_against_the_planted_truth(store, tmp_path: Path) -> None:
    store.write_table("demo_truth", pd.DataFrame({
        "bin": B, "desk_truth": ["missing_assessment", "", "understated_assessment", "", "", "", "", "", "",
                                 "understated_assessment"]}))
    found = dc.flags(store, scope=Scope.country(), config=_without_stale(tmp_path))
    m = dc.measure(store, flagged=found)
    # enterprises flagged by concealment rules: B0 (true), B2 (true), B4 (false), B6 (false), B8 (false)
    assert (m.flagged, m.true_flagged) == (5, 2)
    assert m.precision == pytest.approx(0.4)
    assert (m.planted, m.recall) == (3, pytest.approx(2 / 3))
    per_rule = m.per_rule.set_index("rule")
    assert per_rule.loc["harmful_without_assessment", "precision"] == pytest.approx(0.5)
    assert per_rule.loc["disease_with_low_classes", "precision"] == 1.0
    assert pd.isna(per_rule.loc["employees_without_insurance", "precision"])
    kinds = m.per_kind.set_index("kind")
    assert kinds.loc["understated_assessment", "found"] == 1


def test_stale_rule_is_silent_when_the_year_before_cannot_be_scored(store, monkeypatch: pytest.MonkeyPatch) -> None:
    from osh.risk import RiskDataError

    def no_register(_store, *, year=None, config=None):
        raise RiskDataError("the enterprise register (table enterprises) is empty")

    monkeypatch.setattr(dc, "enterprise_risk", no_register)
    found = dc.flags(store, scope=Scope.country(), config=dc.load_config())
    assert "stale_inspection_rising_degree" not in set(found["rule"])
    assert "harmful_without_assessment" in set(found["rule"])
