"""The integral risk model: credibility, parts and explanation, configuration, scope-checked access."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from data.scope import Scope, ScopeError
from osh import enterprises as ents
from osh import risk
from osh.reasons import render
from tests.unit.osh.conftest import bins, put, tiny_country

YEARS = (2020, 2021, 2022, 2023, 2024)


def _plants_and_shops(store) -> dict[str, str]:
    """Manufacturing: 300 micro firms of 5 and 20 plants of 5 000 at 1 injury per 1000 workers a year.
    One micro firm had 1 accident; one plant had 60 injuries in 5 years where 25 are expected."""
    b = bins(321)
    n_micro, n_plant = 300, 20
    employees = [5] * n_micro + [5000] * n_plant + [5000]
    regions = ["35"] * 160 + ["71"] * 161
    frame = pd.DataFrame(
        {
            "bin": b,
            "name": [f"E{i}" for i in range(321)],
            "kato": [f"{r}0000000" for r in regions],
            "oked": "24.10",
            "employees": employees,
            "lat": 50.0,
            "lon": 70.0,
        }
    )
    put(store, "enterprises", frame)
    rows = []
    micro_bad, plant_bad = b[0], b[n_micro]
    # ordinary plants: exactly the expected 25 over 5 years (5 a year)
    for i in range(n_micro + 1, n_micro + n_plant + 1):
        for y in YEARS:
            rows += [(b[i], y)] * 5
    rows += [(micro_bad, 2023)]
    for y in YEARS:
        rows += [(plant_bad, y)] * 12
    acc = pd.DataFrame(rows, columns=["bin", "year"])
    acc["accident_id"] = [f"A{i}" for i in range(len(acc))]
    acc["date"] = acc["year"].astype(str) + "-05-01"
    acc = acc.merge(frame[["bin", "kato", "oked"]], on="bin")
    acc["injured"] = 1
    acc["fatal"] = 0
    put(store, "accidents", acc.drop(columns="year"))
    put(store, "insurance", pd.DataFrame({"bin": b, "year": 2024, "covered": True}))
    return {"micro": micro_bad, "plant": plant_bad, "quiet_plant": b[n_micro + 1]}


def test_small_firm_with_one_accident_does_not_top_the_list(tmp_store):
    who = _plants_and_shops(tmp_store)
    table = risk.enterprise_risk(tmp_store, year=2024).set_index("bin")
    micro, plant = table.loc[who["micro"]], table.loc[who["plant"]]
    # raw ratio of the micro firm: 1 observed / 0.025 expected = 40x its peers; shrinkage keeps it near 1
    assert micro["injuries_5y"] == 1
    assert micro["expected_injuries"] < 0.1
    assert micro["relative_risk"] < 2.0
    # the plant: 60 observed vs about 27 expected is a credible excess
    assert plant["relative_risk"] > 1.5  # shrunk (the section looks homogeneous otherwise) but clear
    assert plant["excess_injuries"] > 20 * micro["excess_injuries"]
    assert table["score"].idxmax() == who["plant"]
    risk.compute_and_store_risk(tmp_store, year=2024)
    listing = ents.inspection_list(tmp_store, scope=Scope.country())
    assert listing.iloc[0]["bin"] == who["plant"]
    assert listing.iloc[0]["rank"] == 1
    main = listing.iloc[0]["reason"][0]
    assert (main.key, main.params["injured"], main.params["window"]) == ("list.injuries", 60, 5)
    assert render(main, "en").startswith("60 injured (0 fatal) in 5 years vs ")
    assert render(main, "ru").startswith("60 пострадавших (0 погибших) за 5 лет при ")
    micro_rank = listing.index[listing["bin"] == who["micro"]]
    assert len(micro_rank) == 0 or int(listing.loc[micro_rank[0], "rank"]) > 1


def test_shrinkage_follows_exposure():
    # same observed ratio (2x expected), more exposure -> closer to the raw ratio
    expected = np.array([0.5, 5.0, 50.0])
    theta = risk.credibility(2 * expected, expected, np.full(3, 2.0))
    assert np.all(np.diff(theta) > 0)
    assert theta[-1] == pytest.approx(102 / 52)
    assert 1.0 < theta[0] < theta[-1] < 2.0


def test_moment_alpha_detects_heterogeneity():
    rng = np.random.default_rng(3)
    mu = np.full(20_000, 3.0)
    groups = np.zeros(20_000, dtype=np.int64)
    homogeneous = rng.poisson(mu).astype(float)
    alpha_h = risk.moment_alpha(homogeneous, mu, groups, 1, lo=0.3, hi=50.0)[0]
    theta = rng.gamma(2.0, 0.5, 20_000)  # variance 1/alpha = 0.5
    mixed = rng.poisson(mu * theta).astype(float)
    alpha_m = risk.moment_alpha(mixed, mu, groups, 1, lo=0.3, hi=50.0)[0]
    assert alpha_h > 20  # no heterogeneity: (nearly) no individual signal
    assert alpha_m == pytest.approx(2.0, rel=0.15)


def _two_sections() -> risk.PeerGroups:
    # enterprises 0, 1: section 0 micro; 2: section 0 small; 3: section 1 micro
    return risk.PeerGroups.of(section_id=np.array([0, 0, 0, 1]), size_id=np.array([0, 0, 1, 0]))


def test_peer_groups_pool_by_group_then_section_then_nation():
    peers = _two_sections()
    assert peers.group.tolist() == [0, 0, 1, 4]
    # enterprise 3's group and section have no weight: it gets the national value
    pooled = peers.pooled(value=np.array([4.0, 0.0, 3.0, 0.0]), weight=np.array([10.0, 10.0, 20.0, 0.0]), national=0.175)
    assert pooled.tolist() == pytest.approx([0.2, 0.2, 0.15, 0.175])
    # a group without weight falls back to its section (0: 7 / 20), not to the nation
    pooled = peers.pooled(value=np.array([4.0, 0.0, 3.0, 0.0]), weight=np.array([10.0, 10.0, 0.0, 0.0]), national=9.0)
    assert pooled.tolist() == pytest.approx([0.2, 0.2, 0.35, 9.0])


def test_poisson_gamma_by_hand():
    count = np.array([4.0, 0.0, 3.0, 0.0])
    est = risk.poisson_gamma(
        count=count, exposure=np.array([10.0, 10.0, 20.0, 0.0]), peers=_two_sections(), alpha_min=0.3, alpha_max=50.0
    )
    assert est.national_rate == pytest.approx(7 / 40)
    assert est.baseline.tolist() == pytest.approx([0.2, 0.2, 0.15, 7 / 40])
    assert est.expected.tolist() == pytest.approx([2.0, 2.0, 3.0, 0.0])
    assert est.section_rate[:2].tolist() == pytest.approx([7 / 40, np.nan], nan_ok=True)
    # section 0: 1/alpha = ((4-2)^2 - 2 + (0-2)^2 - 2 + (3-3)^2 - 3) / (2^2 + 2^2 + 3^2) = 1/17;
    # section 1 has no expected count: no heterogeneity can be seen, alpha = alpha_max
    assert est.alpha.tolist() == pytest.approx([17.0, 17.0, 17.0, 50.0])
    assert est.relative_risk.tolist() == pytest.approx([21 / 19, 17 / 19, 1.0, 1.0])
    r = np.array([21 / 19 * 0.2, 17 / 19 * 0.2, 0.15, 7 / 40]) / (7 / 40)
    assert est.index(without_events=0.5).tolist() == pytest.approx((r / (1 + r)).tolist())


def test_poisson_gamma_without_events_uses_the_given_index():
    est = risk.poisson_gamma(
        count=np.zeros(4), exposure=np.array([10.0, 10.0, 20.0, 0.0]), peers=_two_sections(), alpha_min=0.3, alpha_max=50.0
    )
    assert est.national_rate == 0
    assert est.relative_risk.tolist() == [1.0, 1.0, 1.0, 1.0]
    assert est.index(without_events=0.5).tolist() == [0.5] * 4
    assert est.index(without_events=0.0).tolist() == [0.0] * 4


def test_diseases_are_scored_by_the_same_model_as_injuries(tmp_store):
    """With one disease case wherever there was one injury, the two parts agree (they share one estimator)."""
    _plants_and_shops(tmp_store)
    acc = tmp_store.sql("SELECT bin, CAST(EXTRACT(YEAR FROM date) AS BIGINT) AS year, CAST(sum(injured) AS BIGINT) AS cases "
                        "FROM accidents GROUP BY bin, CAST(EXTRACT(YEAR FROM date) AS BIGINT)")
    put(tmp_store, "occupational_diseases", acc.assign(cause_group="physical"))
    cfg = risk.load_config()
    table = risk.enterprise_risk(tmp_store, year=2024)
    assert (table["disease_cases_5y"] == table["injuries_5y"]).all()
    assert table["disease_relative_risk"].to_numpy() == pytest.approx(table["relative_risk"].to_numpy())
    assert table["expected_diseases"].to_numpy() == pytest.approx(table["expected_injuries"].to_numpy())
    assert (table["part_disease"] / cfg.weights["disease"]).to_numpy() == pytest.approx(
        (table["part_injury"] / cfg.weights["injury"]).to_numpy()
    )


def test_parts_sum_to_score_and_explain(country):
    store, _ent = country
    cfg = risk.load_config()
    table = risk.enterprise_risk(store)
    parts = table[[f"part_{p}" for p in risk.PARTS]].sum(axis=1)
    assert np.allclose(parts, table["score"])
    assert table["score"].between(0, 100).all()
    for part, weight in cfg.weights.items():
        assert table[f"part_{part}"].between(0, weight + 1e-9).all()
    expected_degree = np.where(table["score"] >= cfg.high, "high", np.where(table["score"] >= cfg.medium, "medium", "low"))
    assert (table["degree"] == expected_degree).all()
    row = table.iloc[0]
    why = risk.explain(row)
    assert [p for p, _, _ in why] == sorted(risk.PARTS, key=lambda p: -row[f"part_{p}"])
    assert sum(points for _, points, _ in why) == pytest.approx(row["score"])
    uninsured = table[~table["insured"]].iloc[0]
    assert ("insurance", cfg.weights["insurance"]) in [(p, pts) for p, pts, _ in risk.explain(uninsured)]


def test_unassessed_get_the_sector_prior(country):
    store, _ent = country
    table = risk.enterprise_risk(store)
    assessed = table[table["assessed"]]
    assert len(assessed) == 100
    assert not table["assessed"].all()
    # the tiny country's assessments are identical, so every prior equals that one workplace score
    assert table.loc[~table["assessed"], "assessment_index"].to_numpy() == pytest.approx(assessed["assessment_index"].iloc[0])
    reason = risk.explain(table[~table["assessed"]].iloc[0])
    prior = next(r for _, _, r in reason if r.key == "part.assessment.prior")
    assert render(prior, "en").startswith("not assessed: prior of ")
    assert render(prior, "kk").startswith("бағаланбаған: ")


def test_tariff_is_class_factor_times_bonus_malus(country):
    store, _ent = country
    cfg = risk.load_config()
    table = risk.enterprise_risk(store)
    factor = np.asarray(cfg.class_factor)[table["sector_class"] - 1] * table["degree"].astype(str).map(cfg.bonus_malus).to_numpy()
    assert np.allclose(table["tariff_factor"], factor)
    classes = risk.sector_risk_classes(table)
    # mining has the highest baseline rate in the tiny country, trade the lowest
    assert classes.set_index("section").loc["B", "sector_class"] >= classes.set_index("section").loc["G", "sector_class"]


def test_peer_percentiles_bracket_the_point():
    score = np.array([10.0, 20.0, 30.0, 40.0, 50.0])
    groups = np.zeros(5, dtype=np.int64)
    rank, count, pct, lo, hi = risk.peer_percentiles(score, score - 15, score + 15, groups)
    assert rank.tolist() == [5, 4, 3, 2, 1]
    assert count.tolist() == [5] * 5
    assert pct.tolist() == [0, 25, 50, 75, 100]
    assert np.all(lo <= pct)
    assert np.all(pct <= hi)
    assert lo[2] == 25
    assert hi[2] == 75


def test_bad_config_is_named(tmp_path: Path):
    text = Path(risk.__file__).with_name("risk_model.toml").read_text(encoding="utf-8")
    bad = tmp_path / "bad.toml"
    bad.write_text(text.replace("insurance = 10", "insurance = 20"), encoding="utf-8")
    with pytest.raises(risk.RiskConfigError, match=r"bad.toml: \[weights\] must sum to 100, they sum to 110"):
        risk.load_config(path=bad)
    bad.write_text(text.replace("high = 50.0", "high = 20.0"), encoding="utf-8")
    with pytest.raises(risk.RiskConfigError, match=r"needs 0 < medium < high < 100, got medium=35 high=20"):
        risk.load_config(path=bad)
    with pytest.raises(risk.RiskConfigError, match="not found"):
        risk.load_config(path=tmp_path / "missing.toml")


def test_empty_register_is_refused(tmp_store):
    with pytest.raises(risk.RiskDataError, match=r"enterprise register \(table enterprises\) is empty"):
        risk.enterprise_risk(tmp_store)


def test_contract_columns(country):
    store, _ent = country
    table = risk.compute_and_store_risk(store)
    contract = [
        "bin", "name", "region", "kato", "oked", "section", "size_class", "employees", "lat", "lon", "located",
        "assessed", "insured", "score", "degree", "part_assessment", "part_injury", "part_disease",
        "part_compliance", "part_insurance", "injuries_5y", "fatal_5y", "disease_cases_5y", "expected_injuries",
        "credible_rate_1000", "excess_injuries", "harmful_workers", "sector_class", "tariff_factor", "peer_rank",
        "peer_count", "peer_pct", "peer_pct_lo", "peer_pct_hi"
    ]
    stored = store.read("enterprise_risk")
    assert set(contract) <= set(stored.columns)
    assert len(stored) == len(table) == 300
    assert set(stored["degree"]) <= {"low", "medium", "high"}
    assert stored["degree"].dtype == "str"
    assert stored["region"].dtype == "str"
    assert store.get_meta("risk_year") == "2022"


# --- scope-checked access ---------------------------------------------------------------------------


def test_query_filters_in_store_and_respects_scope(country):
    store, _ent = country
    full = risk.compute_and_store_risk(store)
    scope = Scope.of_regions(["35", "62"])
    f = ents.EnterpriseFilter(sections=frozenset({"B", "C"}), insured=False)
    got = ents.query(store, scope=scope, filters=f)
    want = full[full["region"].isin(["35", "62"]) & full["section"].isin(["B", "C"]) & ~full["insured"]]
    assert sorted(got["bin"]) == sorted(want["bin"])
    assert len(got) > 0
    with pytest.raises(ScopeError, match="regions 71 are outside this user's scope"):
        ents.query(store, scope=scope, filters=ents.EnterpriseFilter(regions=frozenset({"71"})))
    with pytest.raises(ents.FilterError, match="unknown degrees extreme"):
        ents.EnterpriseFilter(degrees=frozenset({"extreme"}))


def test_card_and_inspection_list_enforce_scope(country):
    store, ent = country
    risk.compute_and_store_risk(store)
    outside = ent[ent["region"] == "71"]["bin"].iloc[0]
    inside = ent[ent["region"] == "35"]["bin"].iloc[0]
    scope = Scope.of_regions(["35"])
    with pytest.raises(ScopeError, match=f"enterprise {outside} is in region 71, outside this user's scope"):
        ents.card(store, scope=scope, bin=outside)
    c = ents.card(store, scope=scope, bin=inside)
    assert c.bin == inside
    assert c.region == "35"
    assert len(c.parts) == 5
    assert c.peer_pct_lo <= c.peer_pct <= c.peer_pct_hi
    with pytest.raises(ents.EnterpriseNotFound, match="no enterprise with BIN 000000000000"):
        ents.card(store, scope=scope, bin="000000000000")
    with pytest.raises(ScopeError, match="regions 71 are outside"):
        ents.inspection_list(store, scope=scope, region="71")
    listing = ents.inspection_list(store, scope=scope, limit=5)
    assert len(listing) <= 5
    assert set(listing["region"]) <= {"35"}
    assert listing["excess_injuries"].is_monotonic_decreasing


def test_missing_risk_table_is_explained(tmp_store):
    tiny_country(tmp_store, n=30)
    with pytest.raises(ents.RiskTableMissing, match="run 'enbek score'"):
        ents.query(tmp_store, scope=Scope.country())
