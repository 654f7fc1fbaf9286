"""Region polygons as compact GeoJSON for Leaflet (WGS 84, simplified, only the 'kato' property)."""

from __future__ import annotations

from typing import Any

import geopandas as gpd


class BoundaryFrameError(ValueError):
    """The polygons given to the map layer lack what the maps need."""


def to_geojson(gdf: gpd.GeoDataFrame, *, tolerance: float = 0.005, precision: int = 4) -> dict[str, Any]:
    """A FeatureCollection with property 'kato'; `tolerance` in degrees, coordinates rounded to `precision` decimals."""
    if "kato" not in gdf.columns:
        raise BoundaryFrameError(f"boundary frame lacks a 'kato' column; has {', '.join(map(str, gdf.columns))}")
    frame = gdf[["kato", "geometry"]]
    if frame.crs is not None and frame.crs.to_epsg() != 4326:
        frame = frame.to_crs(4326)
    geoms = frame.geometry.simplify(tolerance, preserve_topology=True) if tolerance > 0 else frame.geometry
    geoms = geoms.set_precision(10.0**-precision)
    frame = frame.assign(geometry=geoms, kato=frame["kato"].astype(str))
    result: dict[str, Any] = frame.__geo_interface__
    result.pop("bbox", None)
    for feature in result["features"]:
        feature["properties"] = {"kato": feature["properties"]["kato"]}
        feature.pop("bbox", None)
        feature.pop("id", None)
    return result
