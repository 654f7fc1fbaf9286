"""The only caches of the app, keyed by the data version: the public tables, the boundaries, and each page's view.

Public mode reads the published directory (ENBEK_PUBLIC_DIR, written by `enbek publish`); its version is the
modification stamp of meta.json. Official mode reads the read-only store: when the published directory was
built from the same store version it is read (fast), otherwise build_public_data(store) runs once per version.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import streamlit as st

from dashboard import views
from dashboard.i18n import t
from data import settings
from osh import public

_LOG = logging.getLogger(__name__)

STATIC_URL = "app/static"  # Streamlit serves dashboard/static/ here (server.enableStaticServing)
MAP_TOLERANCE_DEG = 0.01  # simplification of the barometer's region polygons (layers.regions_geo.to_geojson)
MAP_PRECISION = 3  # decimals of their coordinates
V = TypeVar("V")


class DataUnavailableError(RuntimeError):
    """The public tables cannot be read; the message says which command builds them."""


@dataclass(frozen=True)
class Source:
    mode: str
    directory: Path
    version: str


def _dir_version(directory: Path) -> str | None:
    meta = directory / "meta.json"
    if not meta.is_file():
        return None
    stat = meta.stat()
    return f"dir:{stat.st_mtime_ns}:{stat.st_size}"


@st.cache_data(ttl=5, show_spinner=False)
def _store_version(location: str, stamp: str) -> str:
    """The store's data version; `stamp` (data.store.store_stamp) changes as soon as a load swaps in a new
    DuckDB file, so the next page run sees the new data without waiting for the ttl."""
    del stamp  # cache key only
    from data.store import open_store

    store = open_store(location, read_only=True)
    try:
        return f"store:{store.version}"
    finally:
        store.close()


def _published_store_version(directory: Path) -> str | None:
    import json

    try:
        meta = json.loads((directory / "meta.json").read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError):
        return None
    value = meta.get("store_version") if isinstance(meta, dict) else None
    return str(value) if value is not None else None


def source() -> Source:
    mode = settings.mode()
    directory = settings.get_path("ENBEK_PUBLIC_DIR")
    if mode == "public":
        version = _dir_version(directory)
        if version is None:
            raise DataUnavailableError(f"no public tables in {directory} (meta.json missing); run `enbek publish`")
        return Source(mode, directory, version)
    from data.store import StoreError, resolve_location, store_exists, store_stamp

    location = resolve_location()
    if not store_exists(location):
        raise DataUnavailableError(f"no store at {location}; run `enbek build-demo` (or `make run`)")
    try:
        version = _store_version(str(location), store_stamp(location))
    except StoreError as exc:
        raise DataUnavailableError(f"the store cannot be opened read-only: {exc}") from None
    published = _dir_version(directory)  # part of the key: a new publication may now match the store
    return Source(mode, directory, f"{version}|{published}" if published else version)


@st.cache_resource(max_entries=2, show_spinner=False)
def _public_data(src: Source) -> Any:
    if src.mode == "public":
        return public.read_public_data(directory=src.directory)
    if _dir_version(src.directory) is not None and src.version.startswith(f"store:{_published_store_version(src.directory)}|"):
        return public.read_public_data(directory=src.directory)
    from data.store import open_store

    store = open_store(read_only=True)
    try:
        return public.build_public_data(store)
    finally:
        store.close()


def public_data() -> tuple[Any, str]:
    """(PublicData, version). Raises DataUnavailableError with the command that would build the tables."""
    src = source()
    try:
        return _public_data(src), src.version
    except public.PublicDataError as exc:
        raise DataUnavailableError(str(exc)) from None


def static_base() -> str:
    """URL prefix of Streamlit's static files, honouring server.baseUrlPath."""
    base = str(st.get_option("server.baseUrlPath") or "").strip("/")
    return "/" + "/".join(p for p in (base, STATIC_URL) if p)


@st.cache_resource(show_spinner=False)
def map_env(tiles: str, base: str) -> views.MapEnv:
    """Boundaries per basis as GeoJSON and their areas, built once per process (never mutated)."""
    from geo.boundaries import ATTRIBUTION, BoundaryError, boundaries_for_basis, load_boundaries, region_areas_km2
    from layers.choropleth import label_points
    from layers.regions_geo import to_geojson

    js, css = f"{base}/leaflet/leaflet.js", f"{base}/leaflet/leaflet.css"
    try:
        gdf = load_boundaries()
    except (BoundaryError, OSError) as exc:
        return views.MapEnv({}, {}, js, css, ATTRIBUTION, tiles or None, error=str(exc))
    geojson, areas, labels = {}, {}, {}
    for basis in ("current", "harmonised"):
        layer = boundaries_for_basis(gdf, basis=basis)
        # ~1 km / ~100 m: a quarter of a pixel at the country view, and a third less for every map page to send,
        # parse and draw than the default (0.005 degrees, 4 decimals)
        geojson[basis] = to_geojson(layer, tolerance=MAP_TOLERANCE_DEG, precision=MAP_PRECISION)
        areas[basis] = region_areas_km2(layer)
        labels[basis] = label_points(geojson[basis])  # the same for every map of the basis: placed once
    return views.MapEnv(geojson, areas, js, css, ATTRIBUTION, tiles or None, labels=labels)


def current_map_env() -> views.MapEnv:
    return map_env(settings.get("ENBEK_TILES"), static_base())


@st.cache_data(max_entries=256, show_spinner=False)
def _view(version: str, name: str, selection: Any, _data: Any, _env: views.MapEnv | None, _fn: Callable[..., Any]) -> Any:
    # `name` (module and function) is the cache key of `_fn`; the data are keyed by `version`
    return _fn(_data, _env, selection) if _env is not None else _fn(_data, selection)


def view(fn: Callable[..., V], selection: Any, *, maps: bool = True) -> V:
    """The view model `fn(data, [env,] selection)` (a function of dashboard.views), computed once per data
    version and selection. `maps`: the function draws maps and takes the MapEnv."""
    data, version = public_data()
    env = current_map_env() if maps else None
    env_key = f"{version}|{settings.get('ENBEK_TILES')}|{static_base()}" if maps else version
    result: V = _view(env_key, f"{fn.__module__}.{fn.__qualname__}", selection, data, env, fn)
    return result


def options() -> views.Options:
    data, version = public_data()
    return _options(version, data)


@st.cache_data(show_spinner=False)
def _options(version: str, _data: Any) -> views.Options:
    return views.options(_data)


def dataset_meta() -> dict[str, str]:
    data, _ = public_data()
    return dict(data.meta)


def unavailable_message(exc: Exception, lang: str) -> str:
    return t("error.data_unavailable", lang, reason=str(exc))


def default_selections(opts: views.Options) -> list[tuple[Callable[..., Any], Any, bool]]:
    """(view function, selection, draws maps) of what every public page opens with, per language, as the screens
    build them with no URL choices: warming these makes a visitor's first view of each page as fast as anyone's.
    Overview and Regions (the landing pages) come first in every language."""
    from dashboard.catalog import MAP_INDICATORS, SECTOR_INDICATORS
    from dashboard.i18n import LANGS

    year, series = int(opts.latest_year), opts.default_series
    first: list[tuple[Callable[..., Any], Any, bool]] = []
    rest: list[tuple[Callable[..., Any], Any, bool]] = []
    for lang in LANGS:
        first += [
            (views.overview, views.OverviewSelection(lang=lang, indicator=MAP_INDICATORS[0], year=year, series=series), True),
            (views.regions, views.RegionsSelection(lang=lang, indicator=MAP_INDICATORS[0], year=year, basis="current",
                                                   region=opts.regions[0], series=series), True),
        ]
        rest += [
            (views.sectors, views.SectorsSelection(lang=lang, indicator=SECTOR_INDICATORS[0], year=year,
                                                   section=opts.sections[0], series=series), True),
            (views.diseases, views.DiseasesSelection(lang=lang, year=year, series=series), True),
            (views.gap, views.GapSelection(lang=lang, series=series), False),
            (views.international, views.InternationalSelection(lang=lang, series=series), False),
            (views.methodology, views.MethodologySelection(lang=lang), False),
        ]
        if opts.target_regions and opts.target_indicators:
            rest.append((views.targets, views.TargetsSelection(lang=lang, region=opts.target_regions[0],
                                                               indicator=opts.target_indicators[0]), False))
    return first + rest + _measures_selections(LANGS)


def _measures_selections(langs: Sequence[str]) -> list[tuple[Callable[..., Any], Any, bool]]:
    """The measures page opens on its first measure and the latest year of the measure table (itself a cached
    view); none when the publication has no measures (the page says so)."""
    from dashboard.views.measures import (
        MEASURES,
        MeasuresSelection,
        MeasureYearsSelection,
        measure_years_view,
        measures,
    )

    try:
        years = view(measure_years_view, MeasureYearsSelection(), maps=False)
    except views.EmptyDataError:
        return []
    if not years:
        return []
    return [(measures, MeasuresSelection(lang=lang, measure=str(MEASURES[0]), year=int(years[-1])), True)
            for lang in langs]


def warm_now() -> int:
    """Compute, in the calling thread, the default view of every public page in every language (those already
    cached cost a lookup); returns how many views are now cached. Raises DataUnavailableError when the public
    tables cannot be read. A view the data cannot fill (views.EmptyDataError: e.g. no gap points) is skipped,
    as its page says so itself."""
    opts = options()
    done = 0
    for fn, selection, maps in default_selections(opts):
        try:
            view(fn, selection, maps=maps)
        except views.EmptyDataError as exc:
            _LOG.info("cache warm-up: %s.%s has nothing to show: %s", fn.__module__, fn.__qualname__, exc)
            continue
        done += 1
    return done


@st.cache_resource(show_spinner=False)
def _warming(version: str) -> threading.Thread:
    """Once per data version and process: a background thread computes the default view of every public page in
    every language, so that only the very first page of the very first visitor is computed while they wait
    (`python -m dashboard.serve` computes them all before the server takes its first visitor)."""
    def run() -> None:
        try:
            warm_now()
        except (DataUnavailableError, views.EmptyDataError) as exc:  # the pages say so themselves
            _LOG.warning("cache warm-up stopped: %s", exc)

    thread = threading.Thread(target=run, name="enbek-warm-up", daemon=True)
    thread.start()
    return thread


def warm() -> None:
    """Start warming the page caches (idempotent; returns at once)."""
    try:
        _data, version = public_data()
    except DataUnavailableError:
        return
    _warming(version)
