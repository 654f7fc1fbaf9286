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


@st.cache_resource(max_entries=32, show_spinner=False)
def _map(path: str, version: str, scope: Scope, selection: views.MapSelection, lang: str, limit: int, tiles: str,
         _store: Store) -> views.MapView:
    del path, version
    shapes, attribution = outlines(tiles)
    return views.build_map(_store, scope=scope, selection=selection, lang=lang, outlines=shapes,
                           attribution=attribution, point_limit=limit, tiles=tiles,
                           base=lambda: map_base(_store))


def map_for(store: Store, *, scope: Scope, selection: views.MapSelection, lang: str) -> views.MapView:
    """The map view of this scope and selection, cached per store version (the scope is part of the key)."""
    return _map(_key(store), store.version, scope, selection, lang, settings.get_int("ENBEK_MAP_POINT_LIMIT"),
                settings.get("ENBEK_TILES"), store)


@st.cache_data(ttl=300, max_entries=256, show_spinner=False)
def _count(path: str, version: str, scope: Scope, selection: views.MapSelection, _store: Store) -> int:
    del path, version
    return views.count(_store, scope=scope, selection=selection)


def is_points(store: Store, *, scope: Scope, selection: views.MapSelection) -> bool:
    """Whether this selection is drawn as individual points (so the aggregation controls would do nothing)."""
    return _count(_key(store), store.version, scope, selection, store) <= settings.get_int("ENBEK_MAP_POINT_LIMIT")
