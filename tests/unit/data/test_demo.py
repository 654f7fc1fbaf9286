"""The demo country: valid codes, realistic structure, exact calibration, determinism, the build path."""

from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from data import codes
from data.demo import BuildSummary, DemoBuildError, DemoCountry, DemoError, build_demo, calibration, generate
from data.demo import params as P  # noqa: N812
from data.demo.build import write_files
from data.demo.country import controlled_round, round_to_total
from data.schemas import SCHEMAS
from geo.regions import REGION_CODES, SPLITS

SCALE = 0.02  # the smallest scale at which every checked figure is reachable (see docs/demo-data.md)
SEED = 11


@pytest.fixture(scope="module")
def country() -> DemoCountry:
    return generate(seed=SEED, scale=SCALE)


def _digest(country: DemoCountry) -> str:
    h = hashlib.sha256()
    for name, frame in {**country.tables(), "truth": country.truth}.items():
        h.update(name.encode())
        h.update(pd.util.hash_pandas_object(frame, index=False).to_numpy().tobytes())
    return h.hexdigest()


# --- shape of the tables ------------------------------------------------------------------------


def test_tables_have_exactly_the_schema_columns(country: DemoCountry) -> None:
    for table, frame in country.tables().items():
        assert tuple(frame.columns) == SCHEMAS[table].names, table
        assert len(frame) > 0, table


def test_codes_are_valid(country: DemoCountry) -> None:
    ent = country.enterprises
    assert codes.valid_bins(ent["bin"]).all()
    assert ent["bin"].is_unique
    # the vectorised generator agrees with the reference implementation of the check digit
    for b in ent["bin"].head(50):
        assert codes.make_bin(b[:11]) == b
    assert codes.valid_katos(ent["kato"]).all()
    assert ent["kato"].str.fullmatch(r"\d{9}").all()
    assert codes.valid_okeds(ent["oked"]).all()
    assert ent["oked"].str.fullmatch(r"\d{2}\.\d{2}").all()
    assert codes.valid_katos(country.accidents["kato"]).all()
    assert codes.valid_okeds(country.accidents["oked"]).all()


def test_enterprises_cover_all_regions_and_sections(country: DemoCountry) -> None:
    ent = country.enterprises
    assert set(ent["kato"].str[:2]) == set(REGION_CODES)
    sections = set(codes.section_of_oked(ent["oked"]))
    assert {"A", "B", "C", "F", "G", "H", "O", "P", "Q"} <= sections


def test_size_mix_is_realistic(country: DemoCountry) -> None:
    ent = country.enterprises
    assert len(ent) == round(P.ENTERPRISES * SCALE)
    counts = ent["size_class"].value_counts()
    assert counts["large"] == round(3638 * SCALE)
    assert counts["micro"] / len(ent) > 0.8
    assert counts["micro"] > counts["small"] > counts["medium"] > counts["large"]
    assert (codes.size_class_of(ent["employees"]) == ent["size_class"]).all()
    # about 5.55 million employees at scale 1 (large firms have a floor of 251, so a tiny
    # country overshoots a little); the employment table, the denominator, is scaled exactly
    assert ent["employees"].sum() == pytest.approx(P.WORKERS[P.REGISTER_YEAR] * SCALE, rel=0.05)
    workers = country.employment.groupby("year")["employees"].sum()
    for year, total in P.WORKERS.items():
        assert workers[year] == pytest.approx(total * SCALE, rel=0.005)


def test_locations_are_in_kazakhstan_and_some_are_missing(country: DemoCountry) -> None:
    ent = country.enterprises
    located = ent.dropna(subset=["lat", "lon"])
    assert located["lat"].between(40.0, 56.0).all()
    assert located["lon"].between(46.0, 88.0).all()
    assert 0.03 < ent["lat"].isna().mean() < 0.07
    # most enterprises sit in the three cities and regional centres: the top 20 places hold over half
    top = located.groupby(located["kato"].str[:4]).size().sort_values(ascending=False)
    assert top.head(20).sum() / len(located) > 0.5


def test_mining_sits_in_mining_regions(country: DemoCountry) -> None:
    ent = country.enterprises
    orecoal = ent[ent["oked"].str[:2].isin(["05", "07"])]
    mining_regions = {"35", "62", "63", "10", "55", "15", "39"}
    assert orecoal["kato"].str[:2].isin(mining_regions).mean() > 0.85


def test_pre_2022_data_uses_parent_regions(country: DemoCountry) -> None:
    children = set(SPLITS)
    emp = country.employment
    early, late = emp[emp["year"] < 2022], emp[emp["year"] >= 2022]
    assert not early["region"].isin(children).any()
    assert set(late["region"]) == set(REGION_CODES)
    acc_year = country.accidents["date"].str[:4].astype(int)
    assert not country.accidents.loc[acc_year < 2022, "kato"].str[:2].isin(children).any()
    assert country.accidents.loc[acc_year >= 2022, "kato"].str[:2].isin(children).any()
    dis = country.occupational_diseases
    assert not dis.loc[dis["year"] < 2022, "region"].isin(children).any()


def test_references_resolve(country: DemoCountry) -> None:
    bins = set(country.enterprises["bin"])
    for table in ("accidents", "occupational_diseases", "inspections", "insurance", "workplace_assessments"):
        assert set(country.tables()[table]["bin"]) <= bins, table
    assert set(country.truth["bin"]) == bins


def test_row_rules_hold(country: DemoCountry) -> None:
    acc = country.accidents
    assert (acc["fatal"] <= acc["injured"]).all()
    assert (acc["group_accident"] == (acc["injured"] >= 2)).all()
    emp = country.employment
    assert (emp["harmful_conditions"] <= emp["employees"]).all()
    ent = country.enterprises
    assert (ent["harmful_workers"] <= ent["employees"]).all()
    insp = country.inspections
    assert (insp["osh_violations"] <= insp["violations"]).all()
    wa = country.workplace_assessments
    assert wa["ppe_provision_pct"].between(0, 100).all()
    assert set(wa["harmfulness_class"]) <= set(codes.HARMFULNESS_CLASSES)


# --- calibration ------------------------------------------------------------------------------------


# The statistics bureau's published national series (data/published/, each figure cited): injured, fatal, disease
# cases; None = no published figure for that year.
PUBLISHED_BNS = {
    2020: (2033, 203, 237),
    2021: (2133, 176, 351),
    2022: (2449, 205, 657),
    2023: (2670, None, None),
    2024: (2471, None, 529),
}


def test_national_counts_hit_the_official_figures(country: DemoCountry) -> None:
    """Recomputed here from the records, independently of data.demo.calibration."""
    acc = country.accidents.assign(year=country.accidents["date"].str[:4].astype(int))
    by_year = acc.groupby("year")[["injured", "fatal"]].sum()
    assert by_year.loc[2022, "injured"] == round(2449 * SCALE)
    assert by_year.loc[2022, "fatal"] == round(205 * SCALE)
    assert by_year.loc[2022, "injured"] / by_year.loc[2020, "injured"] == pytest.approx(1.2, rel=0.02)
    workers = country.employment.groupby("year")["employees"].sum()
    assert by_year.loc[2022, "injured"] / workers[2022] * 1000 == pytest.approx(0.44, rel=0.02)
    assert by_year.loc[2020, "injured"] / workers[2020] * 1000 == pytest.approx(0.39, rel=0.02)
    dis = country.occupational_diseases.groupby("year")["cases"].sum()
    assert dis[2020] == round(237 * SCALE)
    assert dis[2022] == round(657 * SCALE)
    e22 = country.employment[country.employment["year"] == 2022]
    assert e22["harmful_conditions"].sum() == pytest.approx(491_100 * SCALE, rel=0.02)
    ins = country.insurance
    covered22 = ins[(ins["year"] == 2022) & ins["covered"]]["bin"].nunique()
    assert covered22 / len(country.enterprises) == pytest.approx(0.32, abs=0.001)


@pytest.mark.parametrize("scale", [SCALE, 0.1])
def test_every_year_follows_the_published_bns_series(scale: float) -> None:
    demo = generate(seed=SEED, scale=scale)
    acc = demo.accidents.assign(year=demo.accidents["date"].str[:4].astype(int))
    by_year = acc.groupby("year")[["injured", "fatal"]].sum()
    dis = demo.occupational_diseases.groupby("year")["cases"].sum()
    for year, (injured, fatal, cases) in PUBLISHED_BNS.items():
        assert by_year.loc[year, "injured"] == round(injured * scale), year
        if fatal is not None:
            assert by_year.loc[year, "fatal"] == round(fatal * scale), year
        if cases is not None:
            assert dis[year] == round(cases * scale), year
    # the direction of every published change: 2023 rose about 9 %, 2024 fell 7.5 %; disease cases fell after 2022
    assert by_year.loc[2023, "injured"] / by_year.loc[2022, "injured"] - 1 == pytest.approx(2670 / 2449 - 1, abs=0.03)
    assert by_year.loc[2024, "injured"] < by_year.loc[2023, "injured"]
    assert dis[2024] < dis[2022]
    assert dis[2022] >= dis[2023] >= dis[2024]
    # deaths: no count was published for 2023-2024; 2024 follows the bureau's published change (-24.8 %)
    assert by_year.loc[2024, "fatal"] / by_year.loc[2023, "fatal"] - 1 == pytest.approx(-0.248, abs=0.03 + 1 / (225 * scale))


def test_params_take_the_published_figures() -> None:
    assert P.INJURED == {2020: 2033, 2021: 2133, 2022: 2449, 2023: 2670, 2024: 2471}
    assert {y: P.FATAL[y] for y in (2020, 2021, 2022)} == {2020: 203, 2021: 176, 2022: 205}
    assert P.PUBLISHED_YEARS == {"injured": (2020, 2021, 2022, 2023, 2024), "fatal": (2020, 2021, 2022),
                                 "disease_cases": (2020, 2021, 2022, 2024)}


def test_pre_2022_employment_has_no_double_counted_children(country: DemoCountry) -> None:
    """Before the split the parents' rows cover the children's territory, and the children have no rows of their
    own: the 2020 national denominator is the national workforce, not the workforce plus the three new regions."""
    emp = country.employment
    for year in (2020, 2021):
        rows = emp[emp["year"] == year]
        assert not rows["region"].isin(list(SPLITS)).any()
        assert set(rows["region"]) == set(REGION_CODES) - set(SPLITS)
        assert rows["employees"].sum() == pytest.approx(P.WORKERS[year] * SCALE, rel=0.001)
    e21, e22 = (emp[emp["year"] == y].groupby("region")["employees"].sum() for y in (2021, 2022))
    for child, parent in SPLITS.items():
        # the 2021 parent holds about what parent and child hold together in 2022
        assert e21[parent] == pytest.approx(e22[parent] + e22[child], rel=0.06), parent


def test_calibration_table_is_within_tolerance(country: DemoCountry) -> None:
    table = calibration(country)
    assert {"figure", "official", "generated", "rel_diff", "tolerance", "ok"} <= set(table.columns)
    checked = table[table["checked"]]
    assert len(checked) >= 30  # at this scale some regional counts round to nothing (shown, unchecked)
    failing = checked.loc[~checked["ok"], ["figure", "official", "generated", "rel_diff", "tolerance"]]
    assert failing.empty, failing.to_string()
    for name in ("injured 2022", "fatal 2022", "injury rate per 1000, 2022", "occupational disease cases 2022",
                 "workers in harmful conditions 2022", "insured legal entities 2022", "injury rate per 1000, Karaganda",
                 "injury rate per 1000, mining", "harmful-conditions share, Karaganda"):
        assert name in set(checked["figure"]), name
    assert (checked["tolerance"] <= 0.02).sum() >= 5


def test_sector_fatal_rates_are_shown_and_the_21_to_1_ratios_checked() -> None:
    """The printed sector fatal rates use another denominator than the counts behind the 21:1 ratios (which the
    bureau's published sector counts confirm): the ratios are calibrated, the fatal rates shown only."""
    big = generate(seed=SEED, scale=0.2)  # large enough for mining's deaths to be a few units
    table = calibration(big).set_index("figure")
    for name, implied in (("fatal rate per 1000, mining", "14.8:1"), ("fatal rate per 1000, manufacturing", "16.1:1")):
        assert not table.loc[name, "checked"]
        assert table.loc[name, "note"].startswith(f"another denominator: on the injured rate's it would imply {implied}")
    for name in ("hidden-injury ratio, mining", "hidden-injury ratio, manufacturing",
                 "injured 2022, mining", "injured 2022, manufacturing", "fatal 2022, mining", "fatal 2022, manufacturing"):
        assert table.loc[name, "checked"], name
        assert table.loc[name, "ok"], table.loc[name].to_dict()
    acc = big.accidents.assign(year=big.accidents["date"].str[:4].astype(int), section=big.accidents["oked"].str[:2])
    a22 = acc[acc["year"] == 2022]
    # the bureau's published 2022 counts: mining 586 injured / 27 dead, manufacturing 731 / 33
    for divisions, injured_pub, fatal_pub in ((["05", "06", "07", "08", "09"], 586, 27), ([f"{d}" for d in range(10, 34)], 731, 33)):
        rows = a22[a22["section"].isin(divisions)]
        injured, fatal = int(rows["injured"].sum()), int(rows["fatal"].sum())
        assert (injured - fatal) / fatal == pytest.approx(21, rel=0.25)  # a few deaths at this scale
        assert injured == pytest.approx(injured_pub * 0.2, rel=0.10)
        assert abs(fatal - fatal_pub * 0.2) <= 1


def test_another_seed_is_another_country_with_the_same_calibration(country: DemoCountry) -> None:
    other = generate(seed=SEED + 1, scale=SCALE)
    assert set(other.enterprises["bin"]).isdisjoint(set(country.enterprises["bin"])) or \
        len(set(other.enterprises["bin"]) & set(country.enterprises["bin"])) < 0.01 * len(country.enterprises)
    assert _digest(other) != _digest(country)
    table = calibration(other)
    checked = table[table["checked"]]
    assert checked["ok"].all(), checked.loc[~checked["ok"]].to_string()


def test_same_seed_gives_identical_frames_and_files(country: DemoCountry, tmp_path: Path) -> None:
    again = generate(seed=SEED, scale=SCALE)
    assert _digest(again) == _digest(country)
    first = write_files(country, tmp_path / "a")
    second = write_files(again, tmp_path / "b")
    for table in first:
        assert first[table].read_bytes() == second[table].read_bytes(), table


def test_latent_risk_gives_the_risk_model_signal(country: DemoCountry) -> None:
    ent = country.enterprises.merge(country.truth, on="bin")
    injured = country.accidents.groupby("bin")["injured"].sum()
    ent = ent.assign(injured=ent["bin"].map(injured).fillna(0), q=pd.qcut(ent["latent_risk"], 4, labels=False))
    by_q = ent.groupby("q")[["injured", "employees"]].sum()
    rate = by_q["injured"] / by_q["employees"]
    assert rate[3] > 1.5 * rate[0]
    # the assessments' five indicators are worse where the latent risk is higher
    wa = country.workplace_assessments.merge(country.truth, on="bin")
    high = wa["latent_risk"] > wa["latent_risk"].quantile(0.75)
    assert wa.loc[high, "danger_class"].mean() > wa.loc[~high, "danger_class"].mean()
    assert wa.loc[high, "ppe_provision_pct"].mean() < wa.loc[~high, "ppe_provision_pct"].mean()


def test_coverage_paths(country: DemoCountry) -> None:
    ins = country.insurance
    share = ins[ins["covered"]].groupby("year")["bin"].nunique() / len(country.enterprises)
    assert share.to_dict() == pytest.approx(P.INSURED_SHARE, abs=0.001)
    # uncovered rows record lapsed contracts: covered the year before, not this year
    lapsed = ins[~ins["covered"]]
    assert len(lapsed) > 0
    prior = set(zip(ins.loc[ins["covered"], "bin"], ins.loc[ins["covered"], "year"] + 1, strict=True))
    assert all((b, y) in prior for b, y in zip(lapsed["bin"], lapsed["year"], strict=True))
    wa = country.workplace_assessments
    first_year = wa.groupby("bin")["assessment_date"].min().str[:4].astype(int)
    cumulative = first_year.value_counts().sort_index().cumsum() / len(country.enterprises)
    assert cumulative[2024] == pytest.approx(P.ASSESSED_SHARE[2024], abs=0.005)
    assert cumulative.is_monotonic_increasing
    assert cumulative[2024] < 0.30  # the 2025 target is not reached yet


def test_scale_out_of_range_is_refused() -> None:
    with pytest.raises(DemoError, match=r"scale must be between 0.001 and 2.0, got 0"):
        generate(seed=1, scale=0)


# --- integer helpers ------------------------------------------------------------------------------


def test_round_to_total_keeps_the_total_and_proportions() -> None:
    out = round_to_total(np.array([40.4, 30.0, 23.8, 4.2, 0.8]), 657)
    assert out.sum() == 657
    assert out.tolist() == [268, 199, 158, 28, 5] or abs(out[0] - 657 * 40.4 / 99.2) < 1


def test_controlled_round_keeps_both_margins() -> None:
    rng = np.random.default_rng(0)
    m = rng.random((6, 7)) * 10
    m[0, :3] = 0  # structural zeros stay empty when they can
    rows = round_to_total(m.sum(axis=1), 200)
    cols = round_to_total(m.sum(axis=0), 200)
    out = controlled_round(m / m.sum() * 200, rows, cols)
    assert (out >= 0).all()
    assert out.sum(axis=1).tolist() == rows.tolist()
    assert out.sum(axis=0).tolist() == cols.tolist()
    assert out[0, :3].sum() == 0


# --- the build path ---------------------------------------------------------------------------------


def test_build_loads_through_the_loader_with_zero_rejects(tmp_store, tmp_path: Path) -> None:
    messages: list[str] = []
    summary = build_demo(tmp_store, seed=SEED, scale=SCALE, workdir=tmp_path / "files", progress=messages.append)
    assert isinstance(summary, BuildSummary)
    assert summary.calibrated
    assert summary.seconds > 0
    country = generate(seed=SEED, scale=SCALE)
    for table, frame in country.tables().items():
        assert tmp_store.count(table) == len(frame) == summary.rows[table], table
        assert summary.files[table].exists()
    assert tmp_store.count("demo_truth") == len(country.enterprises)
    assert tmp_store.get_meta("dataset") == "demo"
    assert tmp_store.get_meta("demo_seed") == str(SEED)
    assert tmp_store.get_meta("data_as_of") == "2024-12-31"
    assert tmp_store.get_meta("years") == "2020-2024"
    assert tmp_store.get_meta("records_series") == "bns"  # the records are calibrated to the bureau's series
    assert tmp_store.count("injury_counts") == 0  # below national scale no published series is loaded
    assert any(m.startswith("loaded enterprises") for m in messages)
    # the loaded figures are the generated ones (read back from the store)
    back = tmp_store.sql("SELECT sum(injured) AS i FROM accidents WHERE EXTRACT(YEAR FROM date) = 2022")
    assert int(back["i"].iloc[0]) == round(2449 * SCALE)
    # a rebuild replaces, it does not add
    build_demo(tmp_store, seed=SEED, scale=0.005)
    assert tmp_store.count("enterprises") == round(P.ENTERPRISES * 0.005)
    assert tmp_store.get_meta("demo_scale") == "0.005"


def test_build_can_load_the_ministrys_published_series(tmp_store) -> None:
    from data.published import read_table

    summary = build_demo(tmp_store, seed=SEED, scale=0.005, published_series=True)
    mlsp = read_table("injury_counts")
    expected = int((mlsp["source"] == "mlsp").sum())
    assert summary.rows["injury_counts"] == expected == tmp_store.count("injury_counts")
    assert set(tmp_store.sql("SELECT DISTINCT source FROM injury_counts")["source"]) == {"mlsp"}
    assert tmp_store.get_meta("dataset") == "demo"  # still the demo country
    assert tmp_store.get_meta("records_series") == "bns"


def test_build_refuses_a_file_with_rejects(tmp_store, monkeypatch: pytest.MonkeyPatch) -> None:
    from data.demo import build as build_module

    good = generate(seed=SEED, scale=SCALE)
    broken_acc = good.accidents.copy()
    broken_acc.loc[0, "bin"] = "123456789012"  # wrong check digit
    broken = DemoCountry(**{**good.__dict__, "accidents": broken_acc})
    monkeypatch.setattr(build_module, "generate", lambda *, seed, scale: broken)
    with pytest.raises(DemoBuildError, match=r"accidents\.parquet had 1 rejected rows"):
        build_demo(tmp_store, seed=SEED, scale=SCALE)


def test_cli_prints_progress_and_the_calibration_table(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from enbek.cli import main

    store = tmp_path / "demo.duckdb"
    code = main(["build-demo", "--seed", "3", "--scale", str(SCALE), "--store", str(store)])
    out = capsys.readouterr().out
    assert code == 0, out
    assert "loaded insurance" in out
    assert "Calibration (seed 3, scale 0.02" in out
    assert "injury rate per 1000, Karaganda" in out
    assert out.strip().splitlines()[-1].startswith(f"demo store {store}: 8,000 enterprises")
    # `make run` needs the scored table too, and no half-built file is left behind
    assert "scored 8,000 enterprises" in out
    from data.store import open_store

    with open_store(store, read_only=True) as built:
        assert built.count("enterprise_risk") == 8000
        assert built.get_meta("dataset") == "demo"
    assert not Path(str(store) + ".building").exists()


def test_cli_reports_a_bad_scale(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from enbek.cli import main

    code = main(["build-demo", "--scale", "5", "--store", str(tmp_path / "x.duckdb")])
    assert code == 2
    assert "scale must be between" in capsys.readouterr().err


@pytest.mark.slow
def test_default_scale_is_calibrated() -> None:
    """The national-scale country (scale 1.0) meets every checked figure at the base tolerances."""
    big = generate(seed=2024, scale=1.0)  # the default ENBEK_DEMO_SEED
    table = calibration(big)
    checked = table[table["checked"]]
    assert checked["ok"].all(), checked.loc[~checked["ok"]].to_string()
    # at national scale the base tolerances hold by themselves, except where a count is tiny:
    # biological causes are 0.8 % of 657 cases = 5 cases (5.26 printed), one case is 19 %
    national = checked[checked["level"] == "national"].set_index("figure")["rel_diff"]
    assert national.drop("disease share: biological").max() <= 0.02
    assert national["disease share: biological"] <= 0.1
    assert checked.loc[checked["level"] == "detail", "rel_diff"].max() <= 0.10
    assert len(big.enterprises) == 400_000
    assert (big.enterprises["size_class"] == "large").sum() == 3638
