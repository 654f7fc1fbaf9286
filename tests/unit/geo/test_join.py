"""Tests of the enterprise join: point-in-polygon checks, placement without coordinates, the report."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely

from geo import join
from geo.boundaries import EMBEDDED_LAYER, load_boundaries
from geo.gazetteer import settlements

# two hand-built "regions": Akmola (11) = lon 60..70, Aktobe (15) = lon 70..80, both lat 45..50
SQUARES = gpd.GeoDataFrame(
    {"kato": ["11", "15"]}, geometry=[shapely.box(60, 45, 70, 50), shapely.box(70, 45, 80, 50)], crs=4326
)
PLACES = pd.DataFrame(
    {"name": ["Big", "Small", "Other"], "lat": [47.5, 46.0, 47.5], "lon": [65.0, 62.0, 75.0],
     "population": [900, 100, 50], "region": ["11", "11", "15"], "kind": ["town", "village", "village"]}
)


def _enterprises(rows: list[tuple[str, str, float | None, float | None]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["bin", "kato", "lat", "lon"]).astype({"lat": "float64", "lon": "float64"})


def test_hand_built_points_report():
    frame = _enterprises([
        ("000000000001", "111010000", 47.5, 65.0),    # inside its region
        ("000000000002", "151010000", 47.5, 65.0),    # declares Aktobe, lies in Akmola
        ("000000000003", "11", 30.0, 30.0),           # outside every polygon
        ("000000000004", "991010000", 47.5, 75.0),    # unknown code, coordinates in Aktobe
        ("000000000005", "991010000", None, None),    # unknown code, no coordinates
        ("000000000006", "151010000", None, None),    # no coordinates
        ("000000000007", "15", 47.5, 69.99),          # 0.75 km west of Aktobe's border
        ("000000000008", "11", 50.0, 70.0),           # on the corner shared by both regions
        ("000000000009", "x", 80.0, 80.0),            # unknown code and outside
    ])
    result = join.locate_enterprises(frame, boundaries=SQUARES, settlements=PLACES, border_tolerance_km=3.0)
    located = result.located.set_index("bin")
    assert len(located) == len(frame)
    assert list(result.located.columns) == ["bin", "region", "lat", "lon", "located", "point_region"]
    assert located.loc["000000000001", ["region", "located", "point_region"]].tolist() == ["11", "exact", "11"]
    assert located.loc["000000000002", ["region", "located", "point_region"]].tolist() == ["15", "exact", "11"]
    # outside Kazakhstan: placed at a settlement of its declared region instead
    assert located.loc["000000000003", ["region", "located"]].tolist() == ["11", "settlement"]
    assert located.loc["000000000003", "lon"] in (65.0, 62.0)
    # unknown code: the region is the polygon the coordinates fall in
    assert located.loc["000000000004", ["region", "located", "point_region"]].tolist() == ["15", "exact", "15"]
    assert located.loc["000000000005", "located"] == "unplaced"
    assert pd.isna(located.loc["000000000005", "region"])
    assert np.isnan(located.loc["000000000005", "lat"])
    assert located.loc["000000000006", ["region", "located", "lat", "lon"]].tolist() == ["15", "settlement", 47.5, 75.0]
    # near the border: accepted as its declared region, and reported
    assert located.loc["000000000007", ["region", "located", "point_region"]].tolist() == ["15", "exact", "15"]
    assert located.loc["000000000008", ["located", "point_region"]].tolist() == ["exact", "11"]

    report = result.report
    assert list(report.columns) == list(join.REPORT_COLUMNS)
    problems = {(b, p) for b, p in zip(report["bin"], report["problem"], strict=True)}
    assert problems == {
        ("000000000002", "outside_region"),
        ("000000000003", "outside_kazakhstan"),
        ("000000000004", "unknown_region"),
        ("000000000005", "unknown_region"),
        ("000000000007", "near_border"),
        ("000000000009", "unknown_region"),
        ("000000000009", "outside_kazakhstan"),
    }
    row = report[report["bin"] == "000000000002"].iloc[0]
    assert (row["declared_region"], row["point_region"]) == ("15", "11")
    assert row["distance_km"] == pytest.approx(5 * 111.32 * np.cos(np.radians(47.5)), rel=0.02)  # 5° of longitude
    near = report[report["bin"] == "000000000007"].iloc[0]
    assert near["distance_km"] == pytest.approx(0.75, abs=0.05)
    assert report.loc[report["bin"] == "000000000003", "lat"].iloc[0] == 30.0  # the original coordinates
    assert result.counts() == {
        "located_exact": 5, "located_settlement": 2, "located_region": 0, "located_unplaced": 2,
        "unknown_region": 3, "outside_region": 1, "near_border": 1, "outside_kazakhstan": 2, "rows": 9,
    }


def test_tolerance_zero_reports_near_points_as_outside_region():
    frame = _enterprises([("1", "15", 47.5, 69.99)])
    result = join.locate_enterprises(frame, boundaries=SQUARES, settlements=PLACES, border_tolerance_km=0.0)
    assert result.report["problem"].tolist() == ["outside_region"]
    assert result.located["point_region"].tolist() == ["11"]


def test_settlement_choice_is_deterministic_and_weighted_by_population():
    bins = [f"{i:012d}" for i in range(4000)]
    frame = _enterprises([(b, "11", None, None) for b in bins])
    first = join.locate_enterprises(frame, boundaries=SQUARES, settlements=PLACES).located
    again = join.locate_enterprises(frame.iloc[::-1], boundaries=SQUARES, settlements=PLACES).located
    assert (first["located"] == "settlement").all()
    merged = first.merge(again, on="bin", suffixes=("", "_again"))
    assert (merged["lon"] == merged["lon_again"]).all()  # a BIN always lands on the same settlement
    share_big = (first["lon"] == 65.0).mean()
    assert 0.87 < share_big < 0.93  # 900 of 1 000 people live in "Big"
    assert set(first["lon"]) == {65.0, 62.0}  # never a settlement of another region


def test_region_without_settlements_uses_a_representative_point():
    frame = _enterprises([("1", "15", None, None), ("2", "11", None, None)])
    result = join.locate_enterprises(frame, boundaries=SQUARES, settlements=PLACES[PLACES["region"] == "11"])
    located = result.located.set_index("bin")
    assert located.loc["1", "located"] == "region"
    assert SQUARES.geometry.iloc[1].contains(shapely.Point(located.loc["1", "lon"], located.loc["1", "lat"]))
    assert located.loc["2", "located"] == "settlement"


def test_missing_columns():
    with pytest.raises(join.JoinError, match=r"enterprises lack column\(s\) \['lat', 'lon'\]"):
        join.locate_enterprises(pd.DataFrame({"bin": ["1"], "kato": ["11"]}), boundaries=SQUARES)


def test_empty_input():
    result = join.locate_enterprises(_enterprises([]), boundaries=SQUARES, settlements=PLACES)
    assert len(result.located) == 0
    assert len(result.report) == 0


def test_real_layer_and_gazetteer():
    layer = load_boundaries(EMBEDDED_LAYER)
    frame = _enterprises([
        ("1", "711010000", 51.128, 71.430),    # Astana
        ("2", "751110000", 43.238, 76.946),    # Almaty
        ("3", "791010000", 42.317, 69.590),    # Shymkent
        ("4", "191010000", 43.238, 76.946),    # declares Almaty oblast, lies in Almaty city
        ("5", "621010000", None, None),        # Ulytau, no coordinates
        ("6", "551010000", 55.751, 37.617),    # Moscow
    ])
    result = join.locate_enterprises(frame, boundaries=layer)
    located = result.located.set_index("bin")
    assert located["point_region"].iloc[:3].tolist() == ["71", "75", "79"]
    assert located.loc["4", "point_region"] == "75"
    assert located.loc["5", "located"] == "settlement"
    gaz = settlements()
    ulytau = gaz[gaz["region"] == "62"]
    assert ((ulytau["lat"] == located.loc["5", "lat"]) & (ulytau["lon"] == located.loc["5", "lon"])).any()
    assert located.loc["6", ["region", "located"]].tolist() == ["55", "settlement"]
    assert dict(zip(result.report["bin"], result.report["problem"], strict=True)) == {
        "4": "outside_region", "6": "outside_kazakhstan"}


def test_every_settlement_lies_in_its_region_on_the_embedded_layer():
    layer = load_boundaries(EMBEDDED_LAYER)
    gaz = settlements()
    regions = join.point_regions(gaz["lon"].to_numpy(), gaz["lat"].to_numpy(), boundaries=layer)
    assert (regions == gaz["region"].to_numpy()).all()


def test_missing_and_numeric_kato_codes():
    frame = pd.DataFrame({"bin": ["1", "2", "3"], "kato": [None, 111010000, 511010000],
                          "lat": [47.5, 47.5, np.nan], "lon": [65.0, 65.0, np.nan]})
    result = join.locate_enterprises(frame, boundaries=SQUARES, settlements=PLACES)
    located = result.located.set_index("bin")
    assert located.loc["1", ["region", "located"]].tolist() == ["11", "exact"]  # from its coordinates
    assert located.loc["2", ["region", "located"]].tolist() == ["11", "exact"]  # integer KATO code
    # retired South Kazakhstan prefix 51 maps to Turkistan (61), which this two-square layer lacks
    assert located.loc["3", "located"] == "unplaced"
    assert result.report["problem"].tolist() == ["unknown_region", "unknown_region"]
