"""Indicators: golden figures of the Concept from counts, aggregates vs records, properties of the arithmetic."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from data.official import figure
from osh import indicators as ind
from tests.unit.osh.conftest import put, tiny_country

# The Concept prints 0.44 injured and 0.037 fatal per 1000 workers for 2 449 injured and 205 fatal in 2022;
# the denominator it used is not printed. 2449 / 0.44 x 1000 = 5 565 909 workers reproduces both rates.
WORKERS_2022 = 5_565_909


def _national_counts(store, *, source: str = "labour_ministry") -> None:
    put(
        store,
        "injury_counts",
        pd.DataFrame(
            [{"year": 2022, "region": None, "oked_section": None, "injured": 2449, "fatal": 205, "workers": WORKERS_2022, "source": source}]
        ),
    )


def test_golden_national_2022_from_counts(tmp_store):
    _national_counts(tmp_store)
    table = ind.indicators(tmp_store, years=[2022])
    row = table.iloc[0]
    assert (row["region"], row["section"]) == ("KZ", "ALL")
    assert round(row["injury_rate_1000"], 2) == figure("injury_rate_1000", year=2022) == 0.44
    assert round(row["fatal_rate_1000"], 3) == figure("fatal_rate_1000", year=2022) == 0.037
    assert round(ind.per_100k(row["injury_rate_1000"])) == figure("injury_rate", year=2022) == 44
    assert round(ind.per_100k(row["fatal_rate_1000"]), 1) == figure("fatal_rate", year=2022) == 3.7
    assert row["nonfatal"] == 2244
    assert row["hidden_ratio"] == pytest.approx(2244 / 205)
    assert round(row["hidden_ratio"]) == figure("hidden_ratio", year=2022) == 11
    # the exact interval holds the estimate and is tight for 2 449 events
    assert row["injury_rate_1000_lo"] < row["injury_rate_1000"] < row["injury_rate_1000_hi"]
    assert row["injury_rate_1000_hi"] - row["injury_rate_1000_lo"] < 0.04


# Sector counts chosen to be consistent with the printed rates; the test checks the arithmetic, the
# figures come from data.official.
SECTOR_COUNTS = pd.DataFrame(
    [
        # section, workers, injured, fatal
        ("B", 200_000, 380, 24),  # mining 1.9 / 0.12
        ("C", 500_000, 600, 35),  # manufacturing 1.2 / 0.07
        ("F", 300_000, 150, 30),  # construction hidden ratio 4:1
        ("A", 400_000, 100, 20),  # agriculture 4:1
    ],
    columns=["oked_section", "workers", "injured", "fatal"],
)


def test_golden_sector_figures(tmp_store):
    put(tmp_store, "injury_counts", SECTOR_COUNTS.assign(year=2022, region=None, source="labour_ministry"))
    table = ind.indicators(tmp_store, by=["section"], years=[2022]).set_index("section")
    for sec in ("B", "C"):
        assert round(table.loc[sec, "injury_rate_1000"], 2) == figure("injury_rate_1000", scope=sec)
        assert round(table.loc[sec, "fatal_rate_1000"], 2) == figure("fatal_rate_1000", scope=sec)
    for sec in ("F", "A"):
        assert table.loc[sec, "hidden_ratio"] == figure("hidden_ratio", scope=sec) == 4
    # four sections are not the economy: no national total, and the coverage says why
    nat = ind.indicators(tmp_store, years=[2022]).iloc[0]
    assert np.isnan(nat["injured"])
    assert np.isnan(nat["injury_rate_1000"])
    assert (nat["covered"], nat["cover_of"]) == (4, 19)


def test_national_total_from_sectors_only_when_every_section_is_published(tmp_store):
    from osh.coverage import REQUIRED_SECTIONS

    rows = pd.DataFrame({"oked_section": list(REQUIRED_SECTIONS), "injured": 10, "fatal": 1, "workers": 1000})
    put(tmp_store, "injury_counts", rows.assign(year=2022, region=None, source="bns"))
    nat = ind.indicators(tmp_store, years=[2022]).iloc[0]
    assert nat["injured"] == 10 * len(REQUIRED_SECTIONS) == 190
    assert nat["workers"] == 19_000
    assert np.isnan(nat["covered"])


def test_series_are_never_summed(tmp_store):
    _national_counts(tmp_store, source="labour ministry")
    put(
        tmp_store,
        "injury_counts",
        pd.DataFrame([{"year": 2022, "region": None, "oked_section": None, "injured": 2000, "fatal": 190, "workers": WORKERS_2022, "source": "bns"}]),
    )
    # the default series (ENBEK_SERIES = bns) is used, never 4449
    default = ind.indicators(tmp_store, years=[2022]).iloc[0]
    assert (default["series"], default["injured"]) == ("bns", 2000)
    chosen = ind.indicators(tmp_store, years=[2022], series="МТСЗН").iloc[0]
    assert (chosen["series"], chosen["injured"]) == ("mlsp", 2449)
    with pytest.raises(ind.IndicatorError, match="series 'x' has no figures in the store; present: bns, mlsp"):
        ind.indicators(tmp_store, years=[2022], series="x")


def test_no_deaths_means_no_ratio():
    ratio = ind.hidden_ratio(np.array([10, 0, 5]), np.array([0, 0, 1]))
    assert np.isnan(ratio[0])
    assert np.isnan(ratio[1])
    assert ratio[2] == 4
    assert not np.isinf(ratio).any()


def test_rate_without_workers_is_nan_not_zero():
    assert np.isnan(ind.rate(3, 0)).all()


def test_record_level_matches_hand_count(tmp_store):
    ent = tiny_country(tmp_store)
    acc = tmp_store.sql("SELECT CAST(EXTRACT(YEAR FROM date) AS BIGINT) AS y, sum(injured) AS i, sum(fatal) AS f FROM accidents "
                        "GROUP BY CAST(EXTRACT(YEAR FROM date) AS BIGINT) ORDER BY y")
    table = ind.indicators(tmp_store)
    assert table["injured"].tolist() == acc["i"].astype(float).tolist()
    assert table["fatal"].tolist() == acc["f"].astype(float).tolist()
    assert (table["workers"] == ent["employees"].sum()).all()
    assert (table["enterprises"] == len(ent)).all()
    y = table.set_index("year").loc[2022]
    insured = tmp_store.sql("SELECT count(*) AS n FROM insurance WHERE covered AND year = 2022")["n"].iloc[0]
    assert y["insured_share"] == pytest.approx(insured / len(ent))
    assert y["assessed_share"] == pytest.approx(100 / len(ent))
    assert y["osh_violation_share"] == pytest.approx(0.25)
    assert y["disease_cases"] == 20
    # insurance only exists for 2022: earlier years are unknown, not zero
    assert np.isnan(table.set_index("year").loc[2020, "insured_share"])


def test_size_breakdown_adds_up_to_national(tmp_store):
    tiny_country(tmp_store)
    nat = ind.indicators(tmp_store).set_index("year")
    by_size = ind.indicators(tmp_store, by=["size_class"]).groupby("year")[["workers", "injured", "enterprises"]].sum()
    for col in ("workers", "injured", "enterprises"):
        assert by_size[col].to_numpy() == pytest.approx(nat[col].to_numpy())


def test_harmonised_basis_merges_children(tmp_store):
    tiny_country(tmp_store)  # regions 35, 62 (child of 35), 63, 71
    cur = ind.indicators(tmp_store, by=["region"], basis="current").set_index(["year", "region"])
    har = ind.indicators(tmp_store, by=["region"], basis="harmonised").set_index(["year", "region"])
    assert "62" not in har.index.get_level_values("region")
    y = 2022
    assert har.loc[(y, "35"), "injured"] == cur.loc[(y, "35"), "injured"] + cur.loc[(y, "62"), "injured"]
    assert har.loc[(y, "35"), "workers"] == cur.loc[(y, "35"), "workers"] + cur.loc[(y, "62"), "workers"]
    # before the split Ulytau was part of Karaganda on the current basis too: the parent includes it
    for y in (2020, 2021):
        assert (y, "62") not in cur.index
        assert cur.loc[(y, "35"), "includes"] == "62"
        assert har.loc[(y, "35"), "injured"] == cur.loc[(y, "35"), "injured"]
        assert har.loc[(y, "35"), "workers"] == cur.loc[(y, "35"), "workers"]
    assert cur.loc[(2022, "35"), "includes"] == ""
    # national workers are the same on both bases in every year: nobody counted twice
    nat_c = ind.indicators(tmp_store, basis="current").set_index("year")["workers"]
    nat_h = ind.indicators(tmp_store, basis="harmonised").set_index("year")["workers"]
    assert nat_c.tolist() == nat_h.tolist()
    assert cur.groupby(level="year")["workers"].sum().tolist() == nat_c.tolist()


def test_unknown_breakdown_is_refused(tmp_store):
    with pytest.raises(ind.IndicatorError, match="unknown breakdown district; choose from region, section, size_class"):
        ind.indicators(tmp_store, by=["district"])


def test_changes_yoy_and_average():
    frame = pd.DataFrame({"year": [2020, 2021, 2022], "region": "KZ", "v": [0.39, 0.42, 0.44]})
    out = ind.changes(frame, column="v", by=("region",))
    assert np.isnan(out["v_yoy"].iloc[0])
    assert out["v_yoy"].iloc[2] == pytest.approx(0.44 / 0.42 - 1)
    assert out["v_avg_change"].iloc[2] == pytest.approx((0.44 / 0.39) ** 0.5 - 1)
    # the EU's 4.8 % average yearly fall
    assert ind.average_yearly_change(100.0, 100 * 0.952**5, 5) == pytest.approx(-0.048)


# --- properties ----------------------------------------------------------------------------------

counts = st.integers(min_value=0, max_value=100_000)
exposures = st.floats(min_value=1.0, max_value=1e8, allow_nan=False)


@given(c=counts, e=exposures, k=st.floats(min_value=0.01, max_value=1000))
def test_rates_scale(c, e, k):
    assert ind.rate(c * k, e * k) == pytest.approx(ind.rate(c, e))
    assert ind.per_100k(ind.rate(c, e)) == pytest.approx(ind.rate(c, e, per=100_000))
    assert ind.rate(2 * c, e) == pytest.approx(2 * ind.rate(c, e))


@given(c=counts, e=exposures)
def test_interval_contains_estimate_and_narrows(c, e):
    lo, hi = ind.rate_ci(c, e)
    r = ind.rate(c, e)
    assert lo <= r <= hi
    lo4, hi4 = ind.rate_ci(4 * c, 4 * e)
    assert hi4 - lo4 < hi - lo


def _cells(draw_values: list[tuple[int, int, int, int]]) -> pd.DataFrame:
    regions = ["11", "15", "35"]
    sections = ["A", "B"]
    rows = []
    for i, (w, inj, fat, ent) in enumerate(draw_values):
        rows.append(
            {
                "year": 2022,
                "region": regions[i % 3],
                "section": sections[(i // 3) % 2],
                "size_class": ("micro", "large")[(i // 6) % 2],
                "enterprises": ent,
                "reg_employees": w,
                "workers": w,
                "injured": inj + fat,
                "fatal": fat,
                **{c: 0.0 for c in ind.SUM_COLUMNS if c not in ("enterprises", "reg_employees", "workers", "injured", "fatal")},
                "max_employees": w,
            }
        )
    return pd.DataFrame(rows)


@settings(max_examples=25, deadline=None)
@given(st.lists(st.tuples(st.integers(1, 10_000), st.integers(0, 50), st.integers(0, 5), st.integers(1, 50)), min_size=12, max_size=12))
def test_aggregation_is_additive(values):
    cells = _cells(values)
    nat = ind.derive(ind.aggregate(cells, by=[])).iloc[0]
    by_region = ind.derive(ind.aggregate(cells, by=["region"]))
    by_cross = ind.derive(ind.aggregate(cells, by=["region", "section"]))
    for col in ("workers", "injured", "fatal", "enterprises"):
        assert by_region[col].sum() == pytest.approx(nat[col])
        assert by_cross[col].sum() == pytest.approx(nat[col])
    # the national rate is the worker-weighted mean of the regional rates
    weighted = (by_region["injury_rate_1000"] * by_region["workers"]).sum() / by_region["workers"].sum()
    assert weighted == pytest.approx(nat["injury_rate_1000"])
