"""The caches of the official pages, keyed by the store's location, file stamp and version: the read-only store, the map base,
the years, the region outlines and each map view. Caching only: what is computed lives in official_views."""

from __future__ import annotations

from typing import Any

import streamlit as st

from dashboard import official_views as views
from data import settings
from data.scope import Scope
from data.store import Store


class StoreMissing(RuntimeError):
    """No store file at ENBEK_STORE: the official pages have nothing to read (the message names the path)."""

    def __init__(self, path: str) -> None:
        super().__init__(path)
        self.path = path


@st.cache_resource(max_entries=2, show_spinner=False)
def _open_store(location: str, stamp: str) -> Store:
    del stamp  # cache key only: a load swaps in a new DuckDB file (new stamp), which is then opened afresh
    from data.store import open_store

    return open_store(location, read_only=True)


def store() -> Store:
    """The read-only store of this process (reopened after a load replaced the DuckDB file). Raises StoreMissing,
    or data.store.StoreError if it cannot be opened."""
    from data.store import resolve_location, store_exists, store_stamp

    location = resolve_location()
    if not store_exists(location):
        raise StoreMissing(str(location))
    return _open_store(str(location), store_stamp(location))


def _key(store: Store) -> str:
    return str(getattr(store, "path", id(store)))


@st.cache_resource(max_entries=2, show_spinner=False)
def _base(path: str, version: str, _store: Store) -> views.MapBase:
    del path, version  # cache key only
    return views.load_base(_store)


def map_base(store: Store) -> views.MapBase:
    return _base(_key(store), store.version, store)


@st.cache_data(ttl=60, show_spinner=False)
def _years(path: str, version: str, _store: Store) -> list[int]:
    del path, version
    return views.available_years(_store)


def years(store: Store) -> list[int]:
    return _years(_key(store), store.version, store)


@st.cache_resource(show_spinner=False)
def outlines(tiles: str) -> tuple[dict[str, Any] | None, str]:
    """Region outlines as GeoJSON (simplified) and their attribution; (None, attribution) without a boundary file."""
    del tiles
    from geo.boundaries import ATTRIBUTION, BoundaryError, load_boundaries
    from layers.regions_geo import to_geojson

    try:
        gdf = load_boundaries()
    except (BoundaryError, OSError):
        return None, ATTRIBUTION
    return to_geojson(gdf, tolerance=0.02, precision=3), ATTRIBUTION


def district_stamp() -> tuple[str, float]:
    """(path, modification time) of the configured district file; ("", 0) when none is configured, so a changed
    setting or a replaced file is read afresh."""
    if not settings.get("ENBEK_DISTRICT_BOUNDARIES"):
        return "", 0.0
    path = settings.get_path("ENBEK_DISTRICT_BOUNDARIES")
    return str(path), (path.stat().st_mtime if path.exists() else 0.0)


@st.cache_resource(max_entries=2, show_spinner=False)
def _districts(path: str, stamp: float) -> views.Districts | None:
    del stamp  # cache key only
    from pathlib import Path

    from geo.boundaries import load_district_boundaries

    if not path:
        return None
    return views.districts_view(load_district_boundaries(Path(path)))


def districts() -> views.Districts | None:
    """The configured district file's names and outlines, or None when none is configured. Raises
    geo.boundaries.BoundaryError (naming the file, feature and column) when it cannot be used; the error is not
    cached, so a fixed file is read on the next run."""
    return _districts(*district_stamp())


@st.cache_resource(max_entries=32, show_spinner=False)
def _map(path: str, version: str, scope: Scope, selection: views.MapSelection, lang: str, limit: int, tiles: str,
         district_key: tuple[str, float], _store: Store, _districts: views.Districts | None) -> views.MapView:
    del path, version, district_key
    shapes, attribution = outlines(tiles)
    return views.build_map(_store, scope=scope, selection=selection, lang=lang, outlines=shapes,
                           attribution=attribution, point_limit=limit, tiles=tiles,
                           base=lambda: map_base(_store), districts=_districts)


def map_for(store: Store, *, scope: Scope, selection: views.MapSelection, lang: str,
            districts: views.Districts | None = None) -> views.MapView:
    """The map view of this scope and selection, cached per store version (the scope is part of the key), with
    the region's district outlines when `districts` (official_render.districts_or_note) is given."""
    key = district_stamp() if districts is not None else ("", 0.0)
    return _map(_key(store), store.version, scope, selection, lang, settings.get_int("ENBEK_MAP_POINT_LIMIT"),
                settings.get("ENBEK_TILES"), key, store, districts)


@st.cache_data(ttl=300, max_entries=256, show_spinner=False)
def _count(path: str, version: str, scope: Scope, selection: views.MapSelection, _store: Store) -> int:
    del path, version
    return views.count(_store, scope=scope, selection=selection)


def is_points(store: Store, *, scope: Scope, selection: views.MapSelection) -> bool:
    """Whether this selection is drawn as individual points (so the aggregation controls would do nothing)."""
    return _count(_key(store), store.version, scope, selection, store) <= settings.get_int("ENBEK_MAP_POINT_LIMIT")
