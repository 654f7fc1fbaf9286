"""Real published statistics: one series at a time, coverage-aware totals, missing counts, the 2022 boundary change.

Each test builds a small store from rows shaped like the releases (national rows of two systems, a few regions,
injured without deaths, pre-2022 parent codes) and asserts the exact figures the barometer must show.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from osh import indicators as ind
from osh import public
from osh.coverage import REQUIRED_SECTIONS
from tests.unit.osh.conftest import put, tiny_country

REGIONS_2022 = ["10", "11", "15", "19", "23", "27", "31", "33", "35", "39", "43", "47", "55", "59", "61", "62", "63", "71", "75", "79"]


def counts(rows: list[dict]) -> pd.DataFrame:
    frame = pd.DataFrame(rows)
    for col in ("region", "oked_section", "injured", "fatal", "workers"):
        if col not in frame.columns:
            frame[col] = None
    return frame


def national(table: pd.DataFrame, year: int) -> pd.Series:
    return table[(table["year"] == year) & (table["region"] == "KZ") & (table["section"] == "ALL")].iloc[0]


def test_one_series_per_line_never_the_other_systems_figure(tmp_store):
    put(tmp_store, "injury_counts", counts([
        {"year": 2020, "injured": 2041, "fatal": 218, "source": "bns"},
        {"year": 2021, "injured": 1465, "fatal": 190, "source": "МТСЗН"},  # only the ministry's 2021 is loaded
        {"year": 2022, "injured": 2449, "fatal": 205, "source": "Бюро национальной статистики"},
        {"year": 2022, "injured": 1590, "fatal": 203, "source": "mlsp"},
    ]))
    bns = ind.indicators(tmp_store, series="bns").set_index("year")
    assert bns.loc[2020, "injured"] == 2041
    assert bns.loc[2022, "injured"] == 2449
    # the statistics bureau published nothing for 2021: no data, never the ministry's 1 465
    assert 2021 not in bns.index or np.isnan(bns.loc[2021, "injured"])
    mlsp = ind.indicators(tmp_store, series="mlsp").set_index("year")
    assert mlsp.loc[2021, "injured"] == 1465
    assert mlsp.loc[2022, "injured"] == 1590
    assert set(bns["series"]) == {"bns"}
    assert set(mlsp["series"]) == {"mlsp"}
    # a change is computed within one series only: 2022 vs 2021 of the ministry's series
    changed = ind.changes(mlsp.reset_index(), column="injured", by=("basis", "series", "region", "section")).set_index("year")
    assert changed.loc[2022, "injured_yoy"] == pytest.approx(1590 / 1465 - 1)


def test_a_published_national_row_wins_over_a_few_regions(tmp_store):
    put(tmp_store, "injury_counts", counts([
        {"year": 2024, "injured": 2650, "fatal": 190, "source": "bns"},
        {"year": 2024, "region": "62", "injured": 30, "fatal": 2, "source": "bns"},
        {"year": 2024, "region": "10", "injured": 33, "fatal": 3, "source": "bns"},
        {"year": 2024, "region": "33", "injured": 25, "fatal": 1, "source": "bns"},
        {"year": 2023, "region": "35", "injured": 500, "fatal": 30, "source": "bns"},
        {"year": 2023, "region": "63", "injured": 404, "fatal": 20, "source": "bns"},
    ]))
    nat = ind.indicators(tmp_store, series="bns").set_index("year")
    assert nat.loc[2024, "injured"] == 2650  # not 88, the sum of three small regions
    # two regions of twenty are not the country: no data, with the coverage
    assert np.isnan(nat.loc[2023, "injured"])
    assert (nat.loc[2023, "covered"], nat.loc[2023, "cover_of"]) == (2, 20)
    regions = ind.indicators(tmp_store, series="bns", by=["region"]).set_index(["year", "region"])
    assert regions.loc[(2023, "35"), "injured"] == 500
    assert regions.loc[(2024, "62"), "injured"] == 30


def test_national_total_from_every_region(tmp_store):
    rows = [{"year": 2023, "region": r, "injured": 100 + i, "fatal": 5, "source": "bns"} for i, r in enumerate(REGIONS_2022)]
    put(tmp_store, "injury_counts", counts(rows))
    nat = national(ind.indicators(tmp_store, series="bns"), 2023)
    assert nat["injured"] == sum(100 + i for i in range(20)) == 2190
    assert nat["fatal"] == 100
    assert np.isnan(nat["covered"])
    # before 2022 seventeen regions were the whole country
    rows17 = [{"year": 2021, "region": r, "injured": 10, "fatal": 1, "source": "bns"} for r in REGIONS_2022 if r not in ("10", "33", "62")]
    put(tmp_store, "injury_counts", counts(rows17))
    assert national(ind.indicators(tmp_store, series="bns"), 2021)["injured"] == 170


def test_injured_without_deaths_and_deaths_without_injured(tmp_store):
    put(tmp_store, "injury_counts", counts([
        {"year": 2019, "injured": 1800, "workers": 5_500_000, "source": "bns"},
        {"year": 2018, "fatal": 215, "workers": 5_400_000, "source": "bns"},
    ]))
    table = ind.indicators(tmp_store, series="bns").set_index("year")
    assert table.loc[2019, "injured"] == 1800
    assert table.loc[2019, "injury_rate_1000"] == pytest.approx(1800 / 5_500_000 * 1000)
    for col in ("fatal", "fatal_rate_1000", "hidden_ratio", "nonfatal"):
        assert np.isnan(table.loc[2019, col]), col
    assert table.loc[2018, "fatal_rate_1000"] == pytest.approx(215 / 5_400_000 * 1000)
    for col in ("injured", "injury_rate_1000", "hidden_ratio"):
        assert np.isnan(table.loc[2018, col]), col


def test_denominators_never_cover_less_than_the_numerator(tmp_store):
    put(tmp_store, "injury_counts", counts([
        {"year": 2022, "injured": 2449, "fatal": 205, "workers": 5_565_909, "source": "bns"},
        {"year": 2023, "injured": 2670, "fatal": 210, "source": "bns"},
    ]))
    # an employment table of three regions only
    put(
        tmp_store,
        "employment",
        pd.DataFrame(
            {"year": 2022, "region": ["35", "55", "71"], "oked_section": "C", "employees": [60_000, 50_000, 48_000]}
        ),
    )
    put(
        tmp_store,
        "employment",
        pd.DataFrame(
            {"year": 2023, "region": ["35", "55", "71"], "oked_section": "C", "employees": [60_000, 50_000, 48_000]}
        ),
    )
    table = ind.indicators(tmp_store, series="bns").set_index("year")
    # the denominator published with the counts wins over a partial employment table
    assert table.loc[2022, "workers"] == 5_565_909
    assert round(table.loc[2022, "injury_rate_1000"], 2) == 0.44
    # without one, three regions are no denominator for the nation: no rate (not 16.9 per 1000)
    assert np.isnan(table.loc[2023, "workers"])
    assert np.isnan(table.loc[2023, "injury_rate_1000"])
    # a published national employment total is accepted
    put(tmp_store, "employment", pd.DataFrame([{"year": 2023, "region": None, "oked_section": None, "employees": 6_900_000}]))
    table = ind.indicators(tmp_store, series="bns").set_index("year")
    assert table.loc[2023, "workers"] == 6_900_000
    assert table.loc[2023, "injury_rate_1000"] == pytest.approx(2670 / 6_900_000 * 1000)


def test_pre_2022_parents_include_their_children_and_nobody_is_counted_twice(tmp_store):
    put(tmp_store, "injury_counts", counts([
        {"year": 2021, "region": "35", "injured": 300, "fatal": 20, "workers": 400_000, "source": "bns"},
        {"year": 2021, "region": "62", "injured": 40, "fatal": 3, "workers": 50_000, "source": "bns"},  # back-cast: inside 35
        {"year": 2021, "region": "10", "injured": 70, "fatal": 4, "workers": 100_000, "source": "bns"},  # parent 63 not given
        {"year": 2023, "region": "35", "injured": 280, "fatal": 18, "workers": 360_000, "source": "bns"},
        {"year": 2023, "region": "62", "injured": 45, "fatal": 4, "workers": 45_000, "source": "bns"},
        {"year": 2023, "region": "63", "injured": 150, "fatal": 9, "workers": 250_000, "source": "bns"},
    ]))
    cur = ind.indicators(tmp_store, series="bns", by=["region"]).set_index(["year", "region"])
    assert cur.loc[(2021, "35"), "injured"] == 300  # the child row is already inside the parent's
    assert cur.loc[(2021, "35"), "workers"] == 400_000
    assert cur.loc[(2021, "35"), "includes"] == "62"
    assert cur.loc[(2021, "63"), "injured"] == 70  # the only figure for the old East Kazakhstan
    assert (2021, "62") not in cur.index
    assert (2021, "10") not in cur.index
    har = ind.indicators(tmp_store, series="bns", by=["region"], basis="harmonised").set_index(["year", "region"])
    assert har.loc[(2023, "35"), "injured"] == 325
    assert har.loc[(2023, "35"), "workers"] == 405_000
    # East Kazakhstan without Abai is not East Kazakhstan: no data, one of two parts published
    assert np.isnan(har.loc[(2023, "63"), "injured"])
    assert (har.loc[(2023, "63"), "covered"], har.loc[(2023, "63"), "cover_of"]) == (1, 2)


def test_public_table_shows_the_boundary_change(tmp_store):
    tiny_country(tmp_store)  # regions 35, 62, 63, 71 in 2020-2022
    data = public.build_public_data(tmp_store)
    table = data.indicators
    cur = table[(table["basis"] == "current") & (table["section"] == "ALL")].set_index(["year", "region"])
    for y in (2020, 2021):
        assert cur.loc[(y, "62"), "status"] == "not_existing"
        assert np.isnan(cur.loc[(y, "62"), "injury_rate_1000"])
        assert cur.loc[(y, "35"), "includes"] == "62"
        assert cur.loc[(y, "10"), "status"] == "not_existing"
    assert cur.loc[(2022, "62"), "status"] == "ok"
    assert cur.loc[(2022, "35"), "includes"] == ""
    # the national denominator is the same on both bases and equals the register (nobody twice)
    nat = table[(table["region"] == "KZ") & (table["section"] == "ALL")]
    per_basis = nat.groupby("basis")["workers"].apply(list)
    assert per_basis["current"] == per_basis["harmonised"]
    assert data.meta["series"] == "mlsp"  # the records series of a store that does not name one
    assert data.meta["default_series"] == "mlsp"
    assert set(data.targets["series"]) == {"bns"}
    # the targets were set on the statistics bureau's figures: no bns series here, so no count-based actual
    fatal = data.targets[(data.targets["indicator"] == "fatal_rate_1000") & (data.targets["region"] == "KZ")]
    assert fatal["actual"].isna().all()


def test_records_and_published_rows_of_the_same_series(tmp_store):
    tiny_country(tmp_store)
    tmp_store.set_meta("records_series", "bns")
    put(tmp_store, "injury_counts", counts([
        {"year": 2022, "injured": 2449, "fatal": 205, "workers": 5_565_909, "source": "bns"},
        {"year": 2022, "injured": 1590, "fatal": 203, "source": "mlsp"},
    ]))
    bns = ind.indicators(tmp_store, series="bns").set_index("year")
    assert bns.loc[2022, "injured"] == 2449  # the published national row wins over the records' sum
    records = tmp_store.sql("SELECT sum(injured) AS n FROM accidents WHERE EXTRACT(YEAR FROM date) = 2021")["n"].iloc[0]
    assert bns.loc[2021, "injured"] == records
    regions = ind.indicators(tmp_store, series="bns", by=["region"])
    assert regions.loc[regions["year"] == 2022, "injured"].notna().all()
    # the ministry's series has a national figure only: its regions are no data, never the records
    mlsp_regions = ind.indicators(tmp_store, series="mlsp", by=["region"])
    assert mlsp_regions.loc[mlsp_regions["year"] == 2022, "injured"].isna().all()
    assert national(ind.indicators(tmp_store, series="mlsp"), 2022)["injured"] == 1590
    data = public.build_public_data(tmp_store)
    assert data.meta["series"] == "bns,mlsp"
    assert set(data.indicators["series"]) == {"bns", "mlsp"}


def test_region_total_from_sections_needs_every_section(tmp_store):
    rows = [{"year": 2022, "region": "35", "oked_section": s, "injured": 10, "fatal": 1, "source": "bns"} for s in REQUIRED_SECTIONS]
    rows += [{"year": 2022, "region": "55", "oked_section": s, "injured": 10, "fatal": 1, "source": "bns"} for s in ("B", "C")]
    put(tmp_store, "injury_counts", counts(rows))
    regions = ind.indicators(tmp_store, series="bns", by=["region"]).set_index("region")
    assert regions.loc["35", "injured"] == 190
    assert np.isnan(regions.loc["55", "injured"])
    assert (regions.loc["55", "covered"], regions.loc["55", "cover_of"]) == (2, 19)


def test_a_store_without_figures_gives_no_public_tables_and_says_why(tmp_store):
    # the barometer pages, their cache warm-up and `enbek publish` handle PublicDataError (an IndicatorError
    # escaped the official app's background warm-up as a thread traceback)
    with pytest.raises(public.PublicDataError,
                       match=r"^no public tables can be computed: series 'bns' has no figures in the store; present: none"):
        public.build_public_data(tmp_store, default_series="bns")
