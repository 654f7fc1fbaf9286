"""Choropleth builder: class colours, confidential and no-data fills, legend, tooltips, no CDN, clear errors."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from layers.choropleth import (
    CONFIDENTIAL_FILL,
    DIVERGING,
    NO_DATA_FILL,
    SEQUENTIAL,
    ChoroplethError,
    MapText,
    build_choropleth,
    diverging_scheme,
    external_urls,
    fill_colours,
    legend_entries,
    map_html,
    sequential_scheme,
)

TEXT = MapText(title="Injury rate, 2024", unit="per 1 000 workers", region_label="Region", value_label="Injury rate",
               no_data="no data", confidential="confidential", attribution="Boundaries: test")


def square(x: float, y: float) -> dict:
    return {"type": "Polygon", "coordinates": [[[x, y], [x + 1, y], [x + 1, y + 1], [x, y + 1], [x, y]]]}


GEOJSON = {"type": "FeatureCollection", "features": [
    {"type": "Feature", "properties": {"kato": code}, "geometry": square(60 + i, 45)}
    for i, code in enumerate(("10", "11", "15", "19", "23"))
]}


def frame(values=(0.2, 0.4, np.nan, 0.8, 1.0), status=("ok", "ok", "confidential", "ok", "no_data")) -> pd.DataFrame:
    codes = ["10", "11", "15", "19", "23"]
    return pd.DataFrame({"region": codes, "value": list(values), "status": list(status), "name": [f"R{c}" for c in codes],
                         "value_text": [str(v) for v in values]})


def build(f: pd.DataFrame, **kw):
    return build_choropleth(frame=f, geojson=GEOJSON, text=TEXT, fmt=lambda v: f"{v:.2f}",
                            leaflet_js="/app/static/leaflet/leaflet.js", leaflet_css="/app/static/leaflet/leaflet.css", **kw)


def test_confidential_is_hatched_no_data_is_white_and_neither_is_a_class_colour() -> None:
    f = frame()
    scheme = sequential_scheme(f.loc[f["status"] == "ok", "value"])
    fills = fill_colours(f, scheme)
    assert fills["15"] == CONFIDENTIAL_FILL
    assert fills["23"] == NO_DATA_FILL
    assert {fills["10"], fills["11"], fills["19"]} <= set(SEQUENTIAL)
    assert NO_DATA_FILL not in scheme.colors
    assert CONFIDENTIAL_FILL not in scheme.colors
    assert fills["10"] == scheme.colors[0]  # the lowest value gets the lowest class, not the blanks
    assert fills["19"] == scheme.colors[-1]


def test_an_ok_cell_without_a_value_is_drawn_as_no_data() -> None:
    f = frame(values=(0.2, np.nan, 0.5, 0.8, 1.0), status=("ok",) * 5)
    fills = fill_colours(f, sequential_scheme(f["value"]))
    assert fills["11"] == NO_DATA_FILL


@settings(max_examples=50, deadline=None)
@given(st.lists(st.floats(min_value=0, max_value=1e4, allow_nan=False), min_size=1, max_size=30))
def test_every_finite_value_falls_in_a_class_in_order(values: list[float]) -> None:
    series = pd.Series(values)
    scheme = sequential_scheme(series)
    idx = scheme.classify(series)
    assert idx.between(0, len(scheme.colors) - 1).all()
    order = np.argsort(series.to_numpy(), kind="stable")
    assert (np.diff(idx.to_numpy()[order]) >= 0).all()  # a larger value never gets a lower class


def test_diverging_scheme_is_symmetric_around_zero() -> None:
    scheme = diverging_scheme(pd.Series([-0.3, 0.1, 0.6]))
    assert scheme.breaks[0] == -scheme.breaks[-1] == -0.6
    assert scheme.breaks[3] == 0
    assert scheme.colors == DIVERGING
    idx = scheme.classify(pd.Series([-0.5, -0.01, 0.01, 0.5]))
    assert list(idx) == [0, 2, 3, 5]


def test_legend_has_every_class_with_limits_then_confidential_then_no_data() -> None:
    scheme = sequential_scheme(pd.Series([1.0, 2.0, 3.0, 4.0, 5.0, 6.0]))
    entries = legend_entries(scheme, fmt=lambda v: f"{v:.1f}", text=TEXT)
    assert [e.label for e in entries[-2:]] == ["confidential", "no data"]
    assert entries[0].label == "1.0 – 2.0"
    assert entries[-3].label.endswith("6.0")
    assert len(entries) == len(scheme.colors) + 2


def test_map_page_loads_leaflet_only_from_the_given_urls_and_has_legend_tooltips_attribution() -> None:
    page = map_html(build(frame()))
    assert external_urls(page) == []
    assert '/app/static/leaflet/leaflet.js' in page
    assert '/app/static/leaflet/leaflet.css' in page
    assert not re.search(r"jquery|bootstrap|awesome-markers|font-awesome", page, re.IGNORECASE)
    assert "per 1 000 workers" in page
    assert "Injury rate, 2024" in page
    assert 'id="enbek-hatch"' in page
    assert "Boundaries: test" in page
    assert '"Region"' in page  # tooltip alias


def test_tiles_are_added_only_when_configured() -> None:
    assert "tileLayer" not in map_html(build(frame()))
    page = map_html(build(frame(), tiles="http://127.0.0.1:9000/{z}/{x}/{y}.png"))
    assert "tile_layer" in page or "tileLayer" in page
    assert "127.0.0.1:9000" in page


def test_highlighted_region_gets_a_thick_outline() -> None:
    page = map_html(build(frame(), highlight="19"))
    assert '"weight": 3.5' in page


def test_missing_columns_are_named() -> None:
    with pytest.raises(ChoroplethError, match=r"map frame lacks columns value_text"):
        build(frame().drop(columns=["value_text"]))


def test_duplicate_regions_are_refused() -> None:
    f = pd.concat([frame(), frame().iloc[[0]]])
    with pytest.raises(ChoroplethError, match=r"more than one row for region\(s\) 10"):
        build(f)


def test_a_region_without_a_boundary_is_refused_with_the_codes_available() -> None:
    f = frame()
    f.loc[0, "region"] = "79"
    with pytest.raises(ChoroplethError, match=r"regions without a boundary: 79; boundaries have kato 10, 11, 15, 19, 23"):
        build(f)


def test_every_region_has_a_permanent_label_with_its_short_name_and_value_in_the_legends_units() -> None:
    import json

    from layers.choropleth import _short_name, label_points

    page = map_html(build(frame()))
    labels = [json.loads(f'"{h}"') for h in re.findall(r'"html": "(.*?)",\n', page)]
    assert len(labels) == 5
    assert any("R10" in lab and "<b>0.2</b>" in lab for lab in labels)
    assert any("R15" in lab and "<b></b>" in lab for lab in labels)  # confidential: the hatch says it, no number
    lat, lon = label_points(GEOJSON)["10"]
    assert 45 < lat < 46
    assert 60 < lon < 61
    assert _short_name("Karaganda Region") == "Karaganda"
    assert _short_name("область Абай") == "Абай"
    assert _short_name("Алматы қаласы") == "Алматы қаласы"  # a city keeps its word: Almaty city is not Almaty region


def test_scale_is_in_km_only_in_the_readers_word_and_the_legend_sits_below_the_map() -> None:
    from dataclasses import replace

    page = map_html(build_choropleth(frame=frame(), geojson=GEOJSON, text=replace(TEXT, km="км"), fmt=str,
                                     leaflet_js="l.js", leaflet_css="l.css"))
    assert "imperial: false" in page
    assert "' ' + \"\\u043a\\u043c\"" in page  # "км", as JSON writes it
    assert "position:static" in page
    assert "position:absolute;right:8px" not in page
    assert "body{display:flex;flex-direction:column}" in page
    assert ".enbek-legend{order:2}" in page


def test_a_pickable_map_posts_the_clicked_regions_code_to_the_page_around_it() -> None:
    from layers.choropleth import PICK_MESSAGE

    page = map_html(build(frame(), pickable=True))
    script = re.search(r"(\w+)\.on\('click', function \(e\) \{(.*?)\}\);", page, re.S)
    assert script is not None
    assert re.search(rf"var {script.group(1)} = L\.geoJson\(", page)  # on the regions' layer itself
    assert f'window.parent.postMessage({{type: "{PICK_MESSAGE}", kato: String(f.properties.kato)}}' in script.group(2)
    assert "postMessage" not in map_html(build(frame()))  # other maps stay silent


def test_label_points_given_by_the_caller_place_the_same_labels_as_computed_ones() -> None:
    from layers.choropleth import label_points

    computed = map_html(build(frame()))
    given = map_html(build(frame(), label_at=label_points(GEOJSON)))
    script = re.compile(r"L\.marker\(\[[^\]]*\], \{\}\)\.setIcon\(L\.divIcon\(\{.*?\}\)\)", re.S)
    assert len(script.findall(computed)) == 5
    assert script.findall(given) == script.findall(computed)
    moved = map_html(build(frame(), label_at={**label_points(GEOJSON), "10": (1.5, 2.5)}))
    assert "L.marker([1.5, 2.5], {})" in moved


def _icons(page: str) -> list[dict]:
    import json

    return [json.loads(m) for m in re.findall(r"\.setIcon\(L\.divIcon\((\{.*?\})\)\)", page, re.S)]


def test_a_label_is_as_wide_as_its_text_and_a_city_has_a_dot_and_a_leader_line() -> None:
    """Issue 16, labels cut on a phone: a fixed 90 px icon box let long names ("Восточно-Казахстанская") run out of it
    and past the map's edge, where nothing could see or move them. The marker is now a point (no size, no anchor)
    and the label inside it as wide as its text, for the placing script to measure."""
    f = frame()
    f.loc[2, "region"] = "79"  # Shymkent: a city of republican significance
    geo = {"type": "FeatureCollection", "features": [
        {**feat, "properties": {"kato": "79" if feat["properties"]["kato"] == "15" else feat["properties"]["kato"]}}
        for feat in GEOJSON["features"]]}
    page = map_html(build_choropleth(frame=f, geojson=geo, text=TEXT, fmt=str, leaflet_js="l.js", leaflet_css="l.css"))
    icons = {re.search(r'data-kato="(\d+)"', i["html"]).group(1): i for i in _icons(page)}
    assert sorted(icons) == ["10", "11", "19", "23", "79"]
    for icon in icons.values():
        assert icon["iconSize"] is None
        assert "iconAnchor" not in icon
        assert icon["className"] == "enbek-label-icon"
        assert '<line x1="0" y1="0" x2="0" y2="0"/>' in icon["html"]  # drawn only when the label had to move away
    assert '<div class="enbek-label enbek-label-city" data-kato="79">' in icons["79"]["html"]
    assert "<circle" in icons["79"]["html"]  # the city's dot
    assert '<div class="enbek-label" data-kato="10">' in icons["10"]["html"]
    assert "<circle" not in icons["10"]["html"]
    assert ".enbek-label{position:absolute;left:0;top:0;width:max-content;transform:translate(-50%,-50%);" in page
    assert ".enbek-label-city{transform:translate(4px,4px)}" in page


def test_a_phone_never_gets_label_text_under_the_floor() -> None:
    from layers.choropleth import PHONE_LABEL_PX

    page = map_html(build(frame()))
    phone = re.search(r"@media \(max-width:480px\)\{(.*?)\}\}", page).group(1)
    sizes = [int(s) for s in re.findall(r"font-size:(\d+)px", phone)]
    assert PHONE_LABEL_PX == 9
    assert sizes == [9, 10]  # the name, then the value (bold)
    desktop = re.findall(r"\.enbek-label(?: b)?\{[^}]*font(?:-size)?:(\d+)px", page.split("@media (max-width:480px)")[0])
    assert desktop == ["10", "11"]


def test_one_script_places_every_label_and_runs_again_on_zoom_pan_and_resize() -> None:
    page = map_html(build(frame(), pickable=True))
    assert page.count("function enbekPlaceLabels(map, markers, regions)") == 1
    layer = re.search(r"var (geo_json_\w+) = L\.geoJson\(", page).group(1)
    map_name = re.search(r"var (map_\w+) = L\.map\(", page).group(1)
    call = re.search(r"var place = function \(\) \{ enbekPlaceLabels\(map, markers, (\w+)\); \};\n"
                     r"map\.on\('zoomend moveend resize', place\);\nplace\(\);\n", page)
    assert call is not None
    assert call.group(1) == layer  # a label is kept inside its own region's polygon where it can be
    assert re.search(r"var markers = \[\n(L\.marker\(.*?\)\.addTo\(map\),\n){5}\];", page, re.S)
    assert f"}})({map_name});" in page
    assert "window.addEventListener('load', place);" in page
    # the script keeps labels inside the map: every spot is shifted into [0, W - w] x [0, H - h]
    assert "Math.max(EDGE, Math.min(W - w - EDGE, px + d[0]))" in page
    assert "Math.max(EDGE, Math.min(H - h - EDGE, py + d[1]))" in page
