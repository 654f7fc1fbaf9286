"""The public OSH-measure aggregates: margins only, primary and secondary suppression (checked by independent
linear algebra), ratios of sums, hidden rows kept and blank, and the guards of check_public."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from data.codes import SECTION_CODES
from geo.regions import codes_for_basis
from osh import disclosure, public
from osh import measure_sums as measures
from osh.public import MIN_MEASURE_REPORTS, PublicData, PublicDataError, protect_measures
from tests.unit.osh.conftest import bins, put
from tests.unit.osh.test_disclosure import _determined

REGIONS = list(codes_for_basis("current"))
SECTIONS = list(SECTION_CODES)


def _cell(year: int, region: str, section: str, workers: list[int], *, funding: float = 10_000.0,
          ppe_pct: float = 80.0, sanitary: int | None = None) -> dict[str, object]:
    """The SUMS of one cell whose reporters have these workers (the same per-worker figures each)."""
    w = float(sum(workers))
    return {"year": year, "region": region, "section": section, "reports": float(len(workers)), "workers": w,
            "largest": float(max(workers)), "funding": funding * w, "guarantee": 0.25 * w, "nutrition": 0.1 * w,
            "milk": 0.2 * w, "ppe": ppe_pct / 100 * w, "sanitary": float(len(workers) if sanitary is None else sanitary),
            "medical": 0.9 * w, "unplaced": 0.0}


def _country(year: int = 2024) -> pd.DataFrame:
    """Six regions with plenty of reporters in C and F (Karaganda's twice as large, so never the cheapest
    complement); region 62 has only 3 reporters (all in C)."""
    rows = [_cell(year, r, s, [100 if r == "35" else 50] * 6) for r in ("35", "71", "75", "55", "63") for s in ("C", "F")]
    rows.append(_cell(year, "62", "C", [40, 40, 40], funding=99_000.0))
    return pd.DataFrame(rows)


def _row(table: pd.DataFrame, region: str, section: str, year: int = 2024) -> pd.Series:
    hit = table[(table["year"] == year) & (table["region"] == region) & (table["section"] == section)]
    assert len(hit) == 1, (region, section, year)
    return hit.iloc[0]


def test_margins_only_with_every_region_and_sector_kept() -> None:
    table = protect_measures(_country())
    assert list(table.columns) == list(public.MEASURE_COLUMNS)
    assert ((table["region"] == "KZ") | (table["section"] == "ALL")).all()
    assert len(table) == len(REGIONS) + len(SECTIONS) + 1
    assert set(table.loc[table["section"] == "ALL", "region"]) == {*REGIONS, "KZ"}
    assert _row(table, "11", "ALL")["status"] == "no_data"  # no report in Akmola: no data, never zero
    assert math.isnan(_row(table, "11", "ALL")["funding_per_worker"])


def test_a_small_region_is_confidential_and_a_second_region_hides_it() -> None:
    table = protect_measures(_country())
    small = _row(table, "62", "ALL")
    assert small["status"] == "confidential"
    assert small[list(public.MEASURE_VALUES)].isna().all()
    regional = table[(table["section"] == "ALL") & (table["region"] != "KZ")]
    hidden = regional[regional["status"] == "confidential"]
    # the regions add up to the country: one hidden region would be the difference, so a second one goes
    assert len(hidden) == 2
    assert _row(table, "KZ", "ALL")["status"] == "ok"
    # the sector C total includes 62's reporters and is published (62 stays hidden behind the other region)
    assert _row(table, "KZ", "C")["status"] == "ok"


def test_values_are_ratios_of_the_sums() -> None:
    table = protect_measures(_country())
    karaganda = _row(table, "35", "ALL")
    assert karaganda["status"] == "ok"
    assert karaganda["reporting_enterprises"] == 12
    assert karaganda["reporting_workers"] == 1200
    assert karaganda["funding_per_worker"] == pytest.approx(10_000.0)
    assert karaganda["ppe_share"] == pytest.approx(0.8)
    assert karaganda["sanitary_share"] == pytest.approx(1.0)
    country = _row(table, "KZ", "ALL")
    # 62's three reporters (120 workers at 99 000 tenge) are in the country's figure though hidden on their own
    assert country["reporting_enterprises"] == 63
    assert country["funding_per_worker"] == pytest.approx((3600 * 10_000 + 120 * 99_000) / 3720)


def test_a_dominant_reporter_makes_its_region_confidential() -> None:
    rows = [_cell(2024, r, "C", [50] * 6) for r in ("35", "71", "75", "55")]
    rows.append(_cell(2024, "63", "C", [5000, 10, 10, 10, 10, 10]))  # one firm has 99 % of the workers
    table = protect_measures(pd.DataFrame(rows))
    assert _row(table, "63", "ALL")["status"] == "confidential"
    assert (table.loc[(table["section"] == "ALL") & (table["region"] != "KZ"), "status"] == "confidential").sum() >= 2


def test_regions_created_in_2022_do_not_exist_before() -> None:
    table = protect_measures(pd.concat([_country(2021), _country(2024)], ignore_index=True))
    assert _row(table, "62", "ALL", 2021)["status"] == "not_existing"
    assert _row(table, "10", "ALL", 2021)["status"] == "not_existing"
    assert _row(table, "10", "ALL", 2024)["status"] == "no_data"


@pytest.mark.parametrize("seed", range(12))
def test_no_sensitive_cell_follows_from_the_published_margins(seed: int) -> None:
    """Random countries: with the interior unpublished and the hidden margins unknown, no cell with fewer than
    the minimum reporters (interior or margin) is determined by the published margins (rank test)."""
    rng = np.random.default_rng(seed)
    rows = []
    for r in rng.choice(REGIONS, 8, replace=False):  # sparse: some regions and sectors have a single small cell
        for s in rng.choice(SECTIONS, int(rng.integers(1, 5)), replace=False):
            n = int(rng.choice([1, 2, 3, 4, 6, 9, 15]))
            rows.append(_cell(2024, str(r), str(s), [int(x) for x in rng.integers(5, 200, n)]))
    sums = pd.DataFrame(rows)
    table = protect_measures(sums)
    ext_reports = np.zeros((len(REGIONS) + 1, len(SECTIONS) + 1))
    for row in rows:
        ext_reports[REGIONS.index(str(row["region"])), SECTIONS.index(str(row["section"]))] = float(row["reports"])  # type: ignore[arg-type]
    ext_reports[:-1, -1] = ext_reports[:-1, :-1].sum(axis=1)
    ext_reports[-1, :] = ext_reports[:-1, :].sum(axis=0)
    nonempty = ext_reports > 0
    hidden = np.zeros_like(nonempty)
    hidden[:-1, :-1] = nonempty[:-1, :-1]  # the interior is never published
    for _, row in table[table["status"] == "confidential"].iterrows():
        i = len(REGIONS) if row["region"] == "KZ" else REGIONS.index(row["region"])
        j = len(SECTIONS) if row["section"] == "ALL" else SECTIONS.index(row["section"])
        hidden[i, j] = True
    sensitive = nonempty & (ext_reports < MIN_MEASURE_REPORTS)
    determined = _determined(hidden, ext_reports)
    assert not (determined & sensitive).any(), np.argwhere(determined & sensitive)
    published = table[table["status"] == "ok"]
    assert (published["reporting_enterprises"] >= MIN_MEASURE_REPORTS).all()


def test_check_public_refuses_a_small_or_leaky_measure_table() -> None:
    table = protect_measures(_country())
    base = PublicData(indicators=pd.DataFrame(columns=list(public.INDICATOR_COLUMNS)), diseases=pd.DataFrame(),
                      targets=pd.DataFrame(), official=pd.DataFrame(), measures=table)
    public.check_public(base)
    leaky = table.copy()
    leaky.loc[(leaky["region"] == "62") & (leaky["section"] == "ALL"), "funding_per_worker"] = 99_000.0
    with pytest.raises(PublicDataError, match="confidential or no-data rows of the measure table still carry values"):
        public.check_public(PublicData(base.indicators, base.diseases, base.targets, base.official, measures=leaky))
    small = table.copy()
    where = (small["region"] == "62") & (small["section"] == "ALL")
    small.loc[where, "status"] = "ok"
    small.loc[where, "reporting_enterprises"] = 3
    with pytest.raises(PublicDataError, match=r"publishes a cell of 3 reporting enterprises \(region 62, section ALL, 2024\); "
                                              r"at least 5 are required"):
        public.check_public(PublicData(base.indicators, base.diseases, base.targets, base.official, measures=small))
    inner = pd.concat([table, table.iloc[[0]].assign(region="35", section="C")], ignore_index=True)
    with pytest.raises(PublicDataError, match=r"has 1 region x sector cells \(first: region 35, section C, 2024\)"):
        public.check_public(PublicData(base.indicators, base.diseases, base.targets, base.official, measures=inner))


def test_cell_sums_reads_the_reports_by_register_region_and_section(tmp_store) -> None:
    b = bins(4)
    put(tmp_store, "enterprises", pd.DataFrame({
        "bin": b, "name": "Firm", "kato": ["351010000", "351010000", "711010000", "711010000"],
        "oked": ["24.10", "41.20", "24.10", "24.10"], "employees": [100, 10, 30, 30], "lat": 50.0, "lon": 70.0,
        "active": True, "harmful_workers": 0}))
    put(tmp_store, "osh_measures", pd.DataFrame({
        "bin": b, "year": 2024, "workers": [100, 10, 30, 30], "funding_per_worker": [1000.0, 0.0, 500.0, 700.0],
        "guarantee_workers": [10, 0, 3, 0], "additional_leave_workers": 0, "reduced_hours_workers": 0,
        "wage_supplement_workers": 0, "nutrition_workers": [5, 0, 0, 0], "milk_workers": [20, 0, 30, 0],
        "ppe_provision_pct": [90.0, 50.0, 100.0, 60.0], "sanitary_facilities": [True, False, True, True],
        "medical_exam_pct": [100.0, 0.0, 50.0, 50.0]}))
    sums = measures.cell_sums(tmp_store).set_index(["region", "section"])
    assert sorted(sums.index) == [("35", "C"), ("35", "F"), ("71", "C")]
    astana = sums.loc[("71", "C")]
    assert astana["reports"] == 2
    assert astana["workers"] == 60
    assert astana["largest"] == 30
    assert astana["funding"] == pytest.approx(30 * 500 + 30 * 700)
    assert astana["ppe"] == pytest.approx(1.0 * 30 + 0.6 * 30)
    assert astana["milk"] == 30
    assert astana["sanitary"] == 2
    assert astana["medical"] == pytest.approx(30.0)
    assert sums.loc[("35", "F"), "sanitary"] == 0
    assert (sums["unplaced"] == 0).all()


def test_cell_sums_without_the_table_is_empty(tmp_store) -> None:
    sums = measures.cell_sums(tmp_store)
    assert sums.empty
    assert "reports" in sums.columns
    assert protect_measures(sums).empty
    assert list(protect_measures(sums).columns) == list(public.MEASURE_COLUMNS)


def test_disclosure_secondary_without_unpublished_is_unchanged() -> None:
    prim = np.zeros((3, 3), dtype=bool)
    prim[0, 0] = True
    values = np.array([[2.0, 5.0, 7.0], [4.0, 6.0, 10.0], [6.0, 11.0, 17.0]])
    empty = np.zeros((3, 3), dtype=bool)
    plain = disclosure.secondary(prim, disclosure.extended_cost(values), empty)
    same = disclosure.secondary(prim, disclosure.extended_cost(values), empty, unpublished=np.zeros((3, 3), dtype=bool))
    assert (plain == same).all()
    assert plain.sum() == 4
