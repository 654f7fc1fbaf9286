"""Join enterprises to regions: point-in-polygon checks, placement of enterprises without coordinates."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import shapely


def point_regions(lon: np.ndarray, lat: np.ndarray, *, boundaries: gpd.GeoDataFrame) -> np.ndarray:
    """The KATO code of the polygon holding each point (object array, None outside every polygon or
    for a missing coordinate). Vectorised through an STRtree; a point on a shared border takes the
    first polygon in code order."""
    lon = np.asarray(lon, dtype="float64")
    lat = np.asarray(lat, dtype="float64")
    out = np.full(lon.shape[0], None, dtype=object)
    have = ~(np.isnan(lon) | np.isnan(lat))
    idx = np.flatnonzero(have)
    if idx.size == 0:
        return out
    ordered = boundaries.sort_values("kato")
    codes = ordered["kato"].to_numpy(dtype=object)
    tree = shapely.STRtree(ordered.geometry.to_numpy())
    points = shapely.points(lon[idx], lat[idx])
    pairs = tree.query(points, predicate="intersects")
    point_pos, poly_pos = pairs[0], pairs[1]
    # keep the lowest polygon index per point (tree order = code order)
    order = np.lexsort((poly_pos, point_pos))
    point_pos, poly_pos = point_pos[order], poly_pos[order]
    first = np.r_[True, point_pos[1:] != point_pos[:-1]] if point_pos.size else np.zeros(0, dtype=bool)
    out[idx[point_pos[first]]] = codes[poly_pos[first]]
    return out
