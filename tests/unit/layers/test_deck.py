"""Pure pydeck builders of the enterprise map: classes, aggregation, layers, compact JSON, H3 index."""

from __future__ import annotations

import json

import h3
import numpy as np
import pandas as pd
import pytest

from layers import deck
from layers.deck_h3 import hex_index


def frame() -> pd.DataFrame:
    return pd.DataFrame({
        "bin": ["000000000001", "000000000002", "000000000003", "000000000004"],
        "name": ["A", "B", "C", "D"],
        "lat": [43.238949, 43.25, 51.1694, np.nan],
        "lon": [76.889709, 76.9, 71.4491, 70.0],
        "score": [60.04, 20.0, 40.0, 55.0],
        "employees": [100, 0, 50, 10],
        "degree": ["high", "low", "medium", "high"],
        "excess_injuries": [0.5, 0.0, 0.1, 0.2],
        "injuries_5y": [6, 0, 1, 3],
        "disease_cases_5y": [2, 0, 1, 0],
        "harmful_workers": [60, 0, 10, 0],
        "insured": [False, True, True, False],
        "assessed": [False, True, True, True],
    })


@pytest.mark.parametrize(
    ("theme", "expected"),
    [
        ("degree", [2, 0, 1, 2]),
        ("injuries", [3, 0, 1, 2]),
        ("diseases", [2, 0, 1, 0]),
        ("harmful", [3, 0, 1, 0]),  # 60 %, no employees, 20 %, none
        ("insurance", [1, 0, 0, 1]),
        ("assessment", [1, 0, 0, 0]),  # "not assessed" is its own class
    ],
)
def test_point_classes(theme: str, expected: list[int]) -> None:
    assert deck.point_class_codes(frame(), theme=theme).tolist() == expected


def test_unknown_theme_and_degree_are_named() -> None:
    with pytest.raises(deck.DeckError, match="unknown map layer 'roads'"):
        deck.point_class_codes(frame(), theme="roads")
    with pytest.raises(deck.DeckError, match="degree 'extreme' is not low, medium or high"):
        deck.point_class_codes(frame().assign(degree=["extreme", "low", "low", "low"]), theme="degree")
    with pytest.raises(deck.DeckError, match="lacks columns insured"):
        deck.point_class_codes(frame().drop(columns="insured"), theme="insurance")


def test_aggregate_sums_and_drops_empty_groups() -> None:
    inputs = deck.aggregate_inputs(frame())
    agg = deck.aggregate(np.array([0, 0, 2, 2]), inputs, n_groups=4)
    assert agg.index.tolist() == [0, 2]
    assert agg.loc[0, "n"] == 2
    assert agg.loc[0, "n_high"] == 1
    assert agg.loc[0, "employees_high"] == 100
    assert agg.loc[2, "uninsured"] == 1
    assert agg.loc[2, "unassessed"] == 0
    only = deck.aggregate(np.array([0, 0, 2, 2]), inputs, rows=np.array([1, 2]), n_groups=4)
    assert only["n"].tolist() == [1.0, 1.0]
    assert only["injuries"].tolist() == [0.0, 1.0]


@pytest.mark.parametrize(
    ("theme", "measure", "expected"),
    [
        ("degree", "share_high", [50.0, 50.0]),
        ("degree", "employees_high", [100.0, 10 / 60 * 100]),
        ("degree", "expected_harm", [0.5, 0.30000000000000004]),
        ("injuries", "share_high", [60.0, 4 / 60 * 1000]),
        ("diseases", "share_high", [200.0, 1 / 60 * 10000]),
        ("harmful", "share_high", [60.0, 10 / 60 * 100]),
        ("insurance", "share_high", [50.0, 50.0]),
        ("assessment", "share_high", [50.0, 0.0]),
    ],
)
def test_aggregate_values(theme: str, measure: str, expected: list[float]) -> None:
    agg = deck.aggregate(np.array([0, 0, 1, 1]), deck.aggregate_inputs(frame()), n_groups=2)
    values = deck.aggregate_value(agg, deck.agg_metric(theme=theme, measure=measure))
    assert values.tolist() == pytest.approx(expected)


def test_zero_employees_give_no_rate_not_infinity() -> None:
    agg = deck.aggregate(np.array([0, 1, 2, 2]), deck.aggregate_inputs(frame()), n_groups=3)
    values = deck.aggregate_value(agg, deck.agg_metric(theme="injuries"))
    assert np.isnan(values.loc[1])
    assert np.isfinite(values.loc[0])


def test_points_layer_is_compact_rounded_and_high_risk_on_top() -> None:
    layer = deck.points_layer(frame(), theme="degree")
    assert layer.id == deck.POINTS_ID
    assert layer.type == "ScatterplotLayer"
    rows = layer.data.rows()
    assert len(layer.data) == 3
    assert len(rows) == 3  # the enterprise without coordinates is not drawn
    assert [r["b"] for r in rows] == ["000000000002", "000000000003", "000000000001"]
    assert rows[-1]["p"] == [76.8897, 43.2389]
    assert rows[-1]["c"] == [0xB2, 0x18, 0x2B]
    assert set(rows[0]) == {"b", "m", "p", "c", "s", "e"}


def test_hex_layer_and_colour_classes() -> None:
    values = pd.Series([1.0, 2.0, np.nan])
    scheme = deck.agg_scheme(values)
    layer = deck.hex_layer(["85283473fffffff", "85283447fffffff", "85283443fffffff"], values,
                           pd.Series([3, 4, 1]), scheme, decimals=1)
    assert layer.id == deck.HEX_ID
    assert layer.type == "H3HexagonLayer"
    assert [r["n"] for r in layer.data] == [3, 4, 1]
    assert layer.data[2]["v"] is None
    assert layer.data[2]["c"] == [255, 255, 255]
    assert layer.data[0]["c"] != layer.data[1]["c"]
    with pytest.raises(deck.DeckError, match="2 cells, 3 values"):
        deck.hex_layer(["a", "b"], values, pd.Series([1, 2, 3]), scheme, decimals=1)


def test_region_layer_keeps_only_regions_with_enterprises() -> None:
    square = {"type": "Polygon", "coordinates": [[[70, 45], [71, 45], [71, 46], [70, 45]]]}
    geojson = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "geometry": square, "properties": {"kato": "75"}},
        {"type": "Feature", "geometry": square, "properties": {"kato": "71"}},
    ]}
    agg = pd.DataFrame({"region": ["75"], "n": [5.0]})
    layer = deck.region_layer(geojson, agg, pd.Series([12.345]), deck.agg_scheme(pd.Series([12.345])),
                              names={"75": "Almaty"}, decimals=1)
    props = [f["properties"] for f in layer.data["features"]]
    assert props == [{"kato": "75", "name": "Almaty", "c": props[0]["c"], "v": 12.3, "n": 5}]


def test_deck_json_is_compact_with_no_basemap_and_explicit_ids() -> None:
    outline = deck.outline_layer({"type": "FeatureCollection", "features": []})
    d = deck.build_deck([outline, deck.points_layer(frame(), theme="insurance")], tooltip={"html": "{b}"})
    text = d.to_json()
    assert "\n" not in text
    assert ", " not in text.split('"data"')[0]
    spec = json.loads(text)
    assert [layer["id"] for layer in spec["layers"]] == [deck.OUTLINE_ID, deck.POINTS_ID]
    assert spec.get("mapProvider") is None
    assert spec["mapStyle"] == deck.NO_BASEMAP
    tiled = json.loads(deck.build_deck([outline], tooltip=None, tiles="https://t.example/{z}/{x}/{y}.png").to_json())
    assert tiled["mapStyle"]["sources"]["tiles"]["tiles"] == ["https://t.example/{z}/{x}/{y}.png"]


def test_view_of_centres_on_points() -> None:
    view = deck.view_of(np.array([43.0, 44.0]), np.array([76.0, 77.0]))
    assert 43.0 < view["latitude"] < 44.0
    assert 76.0 < view["longitude"] < 77.0
    assert view["zoom"] > deck.KZ_VIEW["zoom"]
    assert deck.view_of(np.array([np.nan]), np.array([np.nan])) == deck.KZ_VIEW


def test_hex_index_matches_h3_per_point() -> None:
    rng = np.random.default_rng(5)
    lat = np.round(rng.uniform(41, 55, 500), 4)
    lon = np.round(rng.uniform(47, 87, 500), 4)
    lat[3] = np.nan
    index = hex_index(lat, lon, resolution=5)
    assert index.codes[3] == -1
    for i in (0, 1, 2, 4, 250, 499):
        assert index.cells[index.codes[i]] == h3.latlng_to_cell(lat[i], lon[i], 5)
    assert len(set(index.cells)) == index.n_cells
    with pytest.raises(deck.DeckError, match=r"resolution must be 0\.\.15, got 16"):
        hex_index(lat, lon, resolution=16)


def test_point_rows_are_valid_json_whatever_the_names() -> None:
    names = ['ТОО "Кен\\Жол"', "A\tB\nC", "x" * 39 + '"' * 5, "Ақ «жол» ğ"]
    layer = deck.points_layer(frame().assign(name=names), theme="assessment")  # row 4 has no coordinates
    rows = json.loads(deck.build_deck([layer], tooltip=None).to_json())["layers"][0]["data"]
    assert sorted(r["m"] for r in rows) == sorted(['ТОО "Кен\\Жол"', "A B C", "x" * 39 + '"'])
    assert layer.data.count == 3


def test_settlement_clusters_are_sized_by_count_and_coloured_by_the_share_high() -> None:
    clusters = pd.DataFrame({"name": ["Karaganda", "Temirtau"], "lat": [49.8, 50.05], "lon": [73.1, 72.96],
                             "n": [400, 100], "share_high": [0.08, 1.0]})
    circles, labels = deck.settlement_layers(clusters, max_radius_px=30)
    assert (circles.id, labels.id) == (deck.SETTLEMENTS_ID, deck.SETTLEMENT_LABELS_ID)
    rows = circles.data
    assert [r["r"] for r in rows] == [30.0, 15.0]  # area proportional to the number of enterprises, in pixels
    assert [r["name"] for r in labels.data] == ["Karaganda", "Temirtau"]
    assert rows[1]["c"] == [*deck._rgb(deck.MIX_RAMP[-1]), 230]  # all high: the darkest colour
    pale, next_ = (deck._rgb(c) for c in deck.MIX_RAMP[:2])
    assert rows[0]["c"][:3] == [round(a + 0.8 * (b - a)) for a, b in zip(pale, next_, strict=True)]  # 8 %: pale


def test_settlement_layers_name_what_is_missing() -> None:
    with pytest.raises(deck.DeckError, match="settlement clusters"):
        deck.settlement_layers(pd.DataFrame({"name": ["x"], "lat": [1.0], "lon": [1.0]}))


def test_ring_layer_marks_planned_enterprises() -> None:
    layer = deck.ring_layer(pd.DataFrame({"lat": [49.81234567], "lon": [73.1]}))
    assert layer.id == deck.PLAN_RING_ID
    assert layer.data == [{"p": [73.1, round(49.81234567, deck.COORD_DECIMALS)]}]


def test_settlement_layers_send_constants_not_functions() -> None:
    """pydeck turns bare strings into functions: "auto" as a function broke deck.gl's font atlas (no label drew)."""
    clusters = pd.DataFrame({"name": ["Қарағанды"], "lat": [49.8], "lon": [73.1], "n": [4], "share_high": [0.5]})
    spec = json.loads(deck.build_deck(deck.settlement_layers(clusters), tooltip=None).to_json())
    circles, labels = spec["layers"]
    assert circles["radiusUnits"] == "pixels"
    assert (labels["characterSet"], labels["sizeUnits"], labels["fontFamily"]) == ("auto", "pixels", "sans-serif")
    assert (labels["getTextAnchor"], labels["getAlignmentBaseline"]) == ("start", "center")
    assert labels["getPixelOffset"] == "@@=[r + 4, 0]"  # beside the circle, whatever its size
