"""H3 cell index of many points at once: one h3 call per distinct coordinate, group codes for bincount."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from h3.api import numpy_int as h3_int

from layers.deck import COORD_DECIMALS, DeckError


@dataclass(frozen=True)
class HexIndex:
    """`codes[i]` is the position in `cells` of point i's cell, -1 for a point without coordinates."""

    resolution: int
    codes: np.ndarray  # int32, one per point
    cells: tuple[str, ...]  # H3 ids as hex strings (what deck.gl's H3HexagonLayer reads)

    @property
    def n_cells(self) -> int:
        return len(self.cells)


def hex_index(lat: np.ndarray, lon: np.ndarray, *, resolution: int) -> HexIndex:
    """Index every point; enterprises located to a settlement share coordinates, so distinct pairs are few."""
    if not 0 <= resolution <= 15:
        raise DeckError(f"H3 resolution must be 0..15, got {resolution}")
    lat = np.asarray(lat, dtype=float)
    lon = np.asarray(lon, dtype=float)
    if lat.shape != lon.shape:
        raise DeckError(f"lat and lon differ in length: {lat.shape} vs {lon.shape}")
    ok = np.isfinite(lat) & np.isfinite(lon)
    codes = np.full(lat.shape, -1, dtype=np.int32)
    if not ok.any():
        return HexIndex(resolution, codes, ())
    # Rounding to COORD_DECIMALS (about 11 m) moves no point out of a cell of resolution <= 9 in practice.
    # One integer key per coordinate pair rounded to COORD_DECIMALS (about 11 m), for a fast np.unique.
    scale = 10**COORD_DECIMALS
    lat_i = np.round(lat[ok] * scale).astype(np.int64) + 90 * scale
    lon_i = np.round(lon[ok] * scale).astype(np.int64) + 180 * scale
    keys, inverse = np.unique(lat_i * (361 * scale) + lon_i, return_inverse=True)
    u_lat = ((keys // (361 * scale)) - 90 * scale) / scale
    u_lon = ((keys % (361 * scale)) - 180 * scale) / scale
    to_cell = h3_int.latlng_to_cell
    ids = np.fromiter((to_cell(a, b, resolution) for a, b in zip(u_lat.tolist(), u_lon.tolist(), strict=True)),
                      dtype=np.uint64, count=len(keys))
    cells, cell_inverse = np.unique(ids, return_inverse=True)
    codes[ok] = cell_inverse.reshape(-1)[inverse.reshape(-1)].astype(np.int32)
    return HexIndex(resolution, codes, tuple(format(int(c), "x") for c in cells))
