"""Region polygons as GeoJSON for Leaflet."""

from __future__ import annotations

import geopandas as gpd
import pytest
from shapely.geometry import Polygon

from layers.regions_geo import BoundaryFrameError, to_geojson


def test_geojson_keeps_only_kato_and_rounds_coordinates() -> None:
    gdf = gpd.GeoDataFrame({"kato": ["10", "11"], "name_en": ["A", "B"]},
                           geometry=[Polygon([(60.123456, 45), (61, 45), (61, 46), (60.123456, 45)]),
                                     Polygon([(62, 45), (63, 45), (63, 46), (62, 45)])], crs=4326)
    result = to_geojson(gdf, tolerance=0, precision=2)
    assert [f["properties"] for f in result["features"]] == [{"kato": "10"}, {"kato": "11"}]
    xs = [c[0] for c in result["features"][0]["geometry"]["coordinates"][0]]
    assert 60.12 in xs


def test_projected_layers_are_returned_in_wgs84() -> None:
    gdf = gpd.GeoDataFrame({"kato": ["10"]}, geometry=[Polygon([(60, 45), (61, 45), (61, 46), (60, 45)])], crs=4326).to_crs(3857)
    x, y = to_geojson(gdf, tolerance=0)["features"][0]["geometry"]["coordinates"][0][0]
    assert 59.9 < x < 61.1
    assert 44.9 < y < 46.1


def test_a_layer_without_kato_is_refused() -> None:
    gdf = gpd.GeoDataFrame({"code": ["10"]}, geometry=[Polygon([(0, 0), (1, 0), (1, 1), (0, 0)])], crs=4326)
    with pytest.raises(BoundaryFrameError, match=r"lacks a 'kato' column; has code, geometry"):
        to_geojson(gdf)
