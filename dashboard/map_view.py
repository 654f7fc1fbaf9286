"""View model of the enterprise map, card and inspection list: a selection in, what the pages show out."""

from __future__ import annotations

import io
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
import streamlit as st

from dashboard.i18n import fmt_number, fmt_percent, t
from data import settings
from data.scope import Scope
from data.store import Store
from geo.regions import REGION_CODES, region_name
from layers import deck
from layers.deck_h3 import HexIndex, hex_index
from osh import enterprises as ent

AGGREGATE_BY: tuple[str, ...] = ("hex", "regions")
COUNTRY_RESOLUTION = 5  # about 250 km² per cell: a few thousand cells for the whole country
REGION_RESOLUTION = 7  # about 5 km²: used when a region is chosen and it still has too many enterprises
_BASE_COLUMNS = ("lat", "lon", "region", *deck.AGG_INPUTS)
_BIN = re.compile(r"^\d{12}$")


class MapDataError(RuntimeError):
    """The store cannot feed the map (no risk table yet, unknown filter); the message says what to run."""


@dataclass(frozen=True)
class MapSelection:
    """Everything the map page's widgets chose; hashable, so views are cached per selection."""

    layer: str = "degree"
    measure: str = "share_high"
    aggregate_by: str = "hex"
    region: str | None = None
    section: str | None = None
    size_class: str | None = None
    degree: str | None = None
    assessed: bool | None = None
    insured: bool | None = None
    year: int | None = None

    def filters(self) -> ent.EnterpriseFilter:
        one = lambda v: None if v is None else frozenset([v])  # noqa: E731
        return ent.EnterpriseFilter(regions=one(self.region), sections=one(self.section),
                                    size_classes=one(self.size_class), degrees=one(self.degree),
                                    assessed=self.assessed, insured=self.insured, year=self.year)


@dataclass(frozen=True)
class LegendItem:
    label: str
    colour: str  # CSS colour


@dataclass(frozen=True)
class MapView:
    deck: deck.CompactDeck
    mode: str  # "points" | "hex" | "regions" | "empty"
    count: int  # enterprises that pass the filters
    shown: int  # rows sent to the browser in the data layer (points, cells or regions)
    layer_ids: tuple[str, ...]
    title: str
    legend_title: str
    legend: tuple[LegendItem, ...]
    note: str
    attribution: str
    year: int | None


# -- the store behind one function (osh.enterprises) ----------------------------------------------------------------


def _query(store: Store, *, scope: Scope, selection: MapSelection, columns: list[str]) -> pd.DataFrame:
    """Filtering runs in DuckDB (osh.enterprises.query -> store.read(where=...)) and always within the scope."""
    try:
        return ent.query(store, scope=scope, filters=selection.filters(), columns=columns)
    except (ent.RiskTableMissing, ent.FilterError) as exc:
        raise MapDataError(str(exc)) from exc


# -- per store version: one read of every enterprise, H3 cells computed once ------------------------------------


@dataclass(frozen=True)
class MapBase:
    """Aggregation inputs of every row of the risk table, by DuckDB rowid (read once per store version)."""

    rowids: np.ndarray  # sorted
    lat: np.ndarray
    lon: np.ndarray
    region_codes: np.ndarray  # index into REGION_CODES
    inputs: Mapping[str, np.ndarray]
    hexes: dict[int, HexIndex] = field(default_factory=dict)

    def positions(self, rowids: np.ndarray) -> np.ndarray:
        return np.searchsorted(self.rowids, rowids)

    def hex(self, resolution: int) -> HexIndex:
        if resolution not in self.hexes:  # benign race: two threads may compute the same index once each
            self.hexes[resolution] = hex_index(self.lat, self.lon, resolution=resolution)
        return self.hexes[resolution]


def _region_codes(regions: pd.Series) -> np.ndarray:
    codes = pd.Categorical(regions.astype(str), categories=list(REGION_CODES)).codes
    if (codes < 0).any():
        bad = regions.astype(str)[codes < 0].iloc[0]
        raise MapDataError(f"{ent.RISK_TABLE} has region code {bad!r}, not one of the 20 current regions")
    return np.asarray(codes, dtype=np.int32)


def build_base(frame: pd.DataFrame) -> MapBase:
    frame = frame.sort_values("rowid", kind="stable")
    return MapBase(
        rowids=frame["rowid"].to_numpy(dtype=np.int64),
        lat=frame["lat"].to_numpy(dtype=float),
        lon=frame["lon"].to_numpy(dtype=float),
        region_codes=_region_codes(frame["region"]),
        inputs=deck.aggregate_inputs(frame),
    )


@st.cache_resource(max_entries=2, show_spinner=False)
def _cached_base(path: str, version: str, _store: Store) -> MapBase:
    del path, version  # cache key only
    return load_base(_store)


def load_base(store: Store) -> MapBase:
    if not store.has_table(ent.RISK_TABLE):
        raise MapDataError(f"the store has no {ent.RISK_TABLE} table; run 'enbek score' or 'enbek build-demo'")
    return build_base(store.read(ent.RISK_TABLE, columns=["rowid", *_BASE_COLUMNS]))


def map_base(store: Store) -> MapBase:
    return _cached_base(str(getattr(store, "path", id(store))), store.version, store)


# -- the map --------------------------------------------------------------------------------------------------------


def _metric_labels(metric: deck.AggMetric, lang: str) -> tuple[str, str]:
    return t(f"emap.measure.{metric.measure}", lang), t(f"emap.unit.{metric.measure}", lang)


def _fmt(value: float, metric: deck.AggMetric, lang: str) -> str:
    return fmt_number(value, lang, decimals=metric.decimals)


def _legend_from_scheme(scheme: Any, metric: deck.AggMetric, lang: str) -> tuple[LegendItem, ...]:
    items = [LegendItem(f"{_fmt(lo, metric, lang)} – {_fmt(hi, metric, lang)}", colour)
             for lo, hi, colour in zip(scheme.breaks[:-1], scheme.breaks[1:], scheme.colors, strict=True)]
    return tuple(items)


def _tooltip(lang: str, *, mode: str, metric: deck.AggMetric | None) -> dict[str, Any]:
    style = {"backgroundColor": "#222", "color": "#fff", "fontSize": "12px"}
    if mode == "points":
        html = (f"<b>{{m}}</b><br/>{t('emap.bin', lang)}: {{b}}<br/>{t('emap.score', lang)}: {{s}}"
                f"<br/>{t('emap.employees', lang)}: {{e}}")
    else:
        assert metric is not None
        label, unit = _metric_labels(metric, lang)
        prefix = "<b>{name}</b><br/>" if mode == "regions" else ""
        html = f"{prefix}{label}: {{v}} {unit}<br/>{t('emap.enterprises', lang)}: {{n}}"
    return {"html": html, "style": style}


def build_map(
    store: Store,
    *,
    scope: Scope,
    selection: MapSelection,
    lang: str,
    outlines: Mapping[str, Any] | None,
    attribution: str,
    point_limit: int | None = None,
    tiles: str | None = None,
    base: MapBase | None = None,
) -> MapView:
    """Points when the filters leave at most ENBEK_MAP_POINT_LIMIT enterprises, else H3 cells or region polygons."""
    deck.check_theme(selection.layer)
    if selection.aggregate_by not in AGGREGATE_BY:
        raise MapDataError(f"aggregate_by must be one of {', '.join(AGGREGATE_BY)}, got {selection.aggregate_by!r}")
    limit = settings.get_int("ENBEK_MAP_POINT_LIMIT") if point_limit is None else point_limit
    tiles = settings.get("ENBEK_TILES") if tiles is None else tiles
    layers: list[Any] = [deck.outline_layer(outlines)] if outlines else []
    metric = deck.agg_metric(theme=selection.layer, measure=selection.measure)
    title = t(f"emap.layer.{selection.layer}", lang)
    stored = ent.stored_year(store)
    year = selection.year or stored
    on_the_fly = selection.year is not None and selection.year != stored
    if on_the_fly:
        frame = _query(store, scope=scope, selection=selection, columns=[])
        rows = None
        count = len(frame)
    else:
        ids = _query(store, scope=scope, selection=selection, columns=["rowid"])["rowid"].to_numpy(dtype=np.int64)
        count = len(ids)
        frame = None
        rows = ids
    view = deck.KZ_VIEW
    if count == 0:
        dk = deck.build_deck(layers, tooltip=None, tiles=tiles or "")
        return MapView(dk, "empty", 0, 0, tuple(layer.id for layer in layers), title, "", (), t("emap.note.empty", lang),
                       attribution, year)
    if count <= limit:
        cols = list(dict.fromkeys([*deck.POINT_COLUMNS, *deck.POINT_INPUTS[selection.layer]]))
        points = frame[cols] if frame is not None else _query(store, scope=scope, selection=selection, columns=cols)
        layers.append(deck.points_layer(points, theme=selection.layer))
        if selection.region is not None or selection.section is not None:
            view = deck.view_of(points["lat"].to_numpy(dtype=float), points["lon"].to_numpy(dtype=float))
        legend = tuple(LegendItem(t(f"emap.class.{selection.layer}.{c.key}", lang), c.colour)
                       for c in deck.POINT_CLASSES[selection.layer])
        dk = deck.build_deck(layers, tooltip=_tooltip(lang, mode="points", metric=None), tiles=tiles or "", view=view)
        return MapView(dk, "points", count, len(layers[-1].data), tuple(layer.id for layer in layers), title,
                       t("emap.legend.points", lang), legend, t("emap.note.points", lang, n=fmt_number(count, lang)),
                       attribution, year)
    # aggregates
    if frame is not None:
        b = build_base(frame.assign(rowid=np.arange(len(frame))))
        positions = None
    else:
        b = base if base is not None else map_base(store)
        positions = b.positions(rows) if rows is not None else None
    label, unit = _metric_labels(metric, lang)
    if selection.aggregate_by == "regions":
        agg = deck.aggregate(b.region_codes, b.inputs, rows=positions, n_groups=len(REGION_CODES))
        agg = agg.assign(region=[REGION_CODES[i] for i in agg.index])
        values = deck.aggregate_value(agg, metric)
        scheme = deck.agg_scheme(values)
        names = {code: region_name(code, lang) for code in REGION_CODES}
        if not outlines:
            raise MapDataError("region polygons are not available (boundary file missing); choose hexagons")
        layers.append(deck.region_layer(outlines, agg, values, scheme, names=names, decimals=metric.decimals))
        mode = "regions"
    else:
        resolution = REGION_RESOLUTION if selection.region is not None else COUNTRY_RESOLUTION
        hx = b.hex(resolution)
        codes = hx.codes
        sel = positions if positions is not None else np.arange(len(codes))
        sel = sel[codes[sel] >= 0]
        agg = deck.aggregate(codes, b.inputs, rows=sel, n_groups=hx.n_cells)
        values = deck.aggregate_value(agg, metric)
        scheme = deck.agg_scheme(values)
        cells = [hx.cells[i] for i in agg.index]
        layers.append(deck.hex_layer(cells, values, agg["n"], scheme, decimals=metric.decimals))
        mode = "hex"
        if selection.region is not None:
            p = sel
            view = deck.view_of(b.lat[p], b.lon[p])
    dk = deck.build_deck(layers, tooltip=_tooltip(lang, mode=mode, metric=metric), tiles=tiles or "", view=view)
    note = t("emap.note.aggregate", lang, n=fmt_number(count, lang), limit=fmt_number(limit, lang))
    return MapView(dk, mode, count, len(agg), tuple(layer.id for layer in layers), title, f"{label}, {unit}",
                   _legend_from_scheme(scheme, metric, lang), note, attribution, year)


def selected_bin(event: Any) -> str | None:
    """The BIN of the enterprise clicked on the map (Streamlit's pydeck selection state), if any."""
    try:
        objects = event["selection"]["objects"]
    except (KeyError, TypeError):
        return None
    picked = objects.get(deck.POINTS_ID) if isinstance(objects, Mapping) else None
    if not picked:
        return None
    value = picked[0].get("b")
    return str(value) if value else None


def selected_region(event: Any) -> str | None:
    """The region clicked in the region aggregate layer, if any (to drill down)."""
    try:
        picked = event["selection"]["objects"].get(deck.REGION_ID)
    except (KeyError, TypeError, AttributeError):
        return None
    if not picked:
        return None
    props = picked[0].get("properties", picked[0])
    code = props.get("kato")
    return str(code) if code else None


# -- search and card ------------------------------------------------------------------------------------------------


def is_bin(text: str) -> bool:
    return bool(_BIN.match(text.strip()))


def search(store: Store, *, scope: Scope, text: str, limit: int = 20) -> pd.DataFrame:
    """Enterprises whose BIN equals `text` or whose name contains it (case-insensitive), within the scope."""
    text = text.strip()
    if not text:
        return pd.DataFrame(columns=["bin", "name", "region", "score", "degree"])
    if not store.has_table(ent.RISK_TABLE):
        raise MapDataError(f"the store has no {ent.RISK_TABLE} table; run 'enbek score' or 'enbek build-demo'")
    params: list[Any] = []
    if _BIN.match(text):
        clause = "bin = ?"
        params.append(text)
    else:
        clause = "name ILIKE ?"
        params.append("%" + text.replace("%", r"\%").replace("_", r"\_") + "%")
    if scope.regions is not None:
        clause += f" AND region IN ({', '.join('?' for _ in scope.regions)})"
        params.extend(sorted(scope.regions))
    return store.sql(
        f"SELECT bin, name, region, score, degree FROM {ent.RISK_TABLE} WHERE {clause} ORDER BY score DESC, bin LIMIT {int(limit)}",
        params,
    )


@dataclass(frozen=True)
class CardView:
    card: ent.EnterpriseCard
    facts: pd.DataFrame  # field, value (translated, formatted)
    parts: pd.DataFrame  # part, points, reason
    peer_text: str
    history: pd.DataFrame  # year, accidents, injured, fatal, disease cases, insured
    inspections: pd.DataFrame


def card_view(store: Store, *, scope: Scope, bin: str, lang: str) -> CardView:
    """osh.enterprises.card laid out for the page; raises ScopeError outside the user's regions."""
    card = ent.card(store, scope=scope, bin=bin)
    yes, no = t("emap.yes", lang), t("emap.no", lang)
    facts = pd.DataFrame(
        [
            (t("emap.bin", lang), card.bin),
            (t("emap.name", lang), card.name),
            (t("emap.region", lang), region_name(card.region, lang)),
            (t("emap.kato", lang), card.kato),
            (t("emap.oked", lang), f"{card.oked} ({card.section})"),
            (t("emap.size_class", lang), t(f"emap.size.{card.size_class}", lang)),
            (t("emap.employees", lang), fmt_number(card.employees, lang)),
            (t("emap.score", lang), fmt_number(card.score, lang, decimals=1)),
            (t("emap.degree", lang), t(f"emap.class.degree.{card.degree}", lang)),
            (t("emap.assessed", lang), yes if card.assessed else no),
            (t("emap.insured", lang), yes if card.insured else no),
            (t("emap.sector_class", lang), str(card.sector_class)),
            (t("emap.tariff_factor", lang), fmt_number(card.tariff_factor, lang, decimals=2)),
            (t("emap.located", lang), t(f"emap.located.{card.located}", lang)),
            (t("emap.risk_year", lang), str(card.risk_year)),
        ],
        columns=["field", "value"],
    )
    parts = pd.DataFrame(
        [(t(f"emap.part.{p}", lang), round(points, 1), reason) for p, points, reason in card.parts],
        columns=[t("emap.part", lang), t("emap.points", lang), t("emap.reason", lang)],
    )
    peer_text = t(
        "emap.peer_text", lang, rank=fmt_number(card.peer_rank, lang), count=fmt_number(card.peer_count, lang),
        pct=fmt_percent(card.peer_pct / 100, lang), lo=fmt_percent(card.peer_pct_lo / 100, lang),
        hi=fmt_percent(card.peer_pct_hi / 100, lang),  # osh gives percentiles 0..100
        section=card.section, size=t(f"emap.size.{card.size_class}", lang),
    )
    acc = card.accidents_by_year.set_index("year") if len(card.accidents_by_year) else pd.DataFrame(
        columns=["accidents", "injured", "fatal"])
    dis = card.diseases_by_year.set_index("year") if len(card.diseases_by_year) else pd.DataFrame(columns=["cases"])
    ins = card.insurance.set_index("year") if len(card.insurance) else pd.DataFrame(columns=["covered"])
    history = acc.join(dis, how="outer").join(ins, how="outer").sort_index()
    history = history.reindex(columns=["accidents", "injured", "fatal", "cases", "covered"])
    for column in ("accidents", "injured", "fatal", "cases"):
        history[column] = history[column].fillna(0).astype(int)
    history["covered"] = history["covered"].map({True: yes, False: no}).fillna("–")
    history = history.reset_index().rename(columns={
        "index": t("emap.year", lang), "year": t("emap.year", lang), "accidents": t("emap.accidents", lang),
        "injured": t("emap.injured", lang), "fatal": t("emap.fatal", lang), "cases": t("emap.disease_cases", lang),
        "covered": t("emap.insured", lang)})
    inspections = card.inspections.rename(columns={
        "date": t("emap.date", lang), "violations": t("emap.violations", lang),
        "osh_violations": t("emap.osh_violations", lang)})
    return CardView(card, facts, parts, peer_text, history, inspections)


# -- inspection list ------------------------------------------------------------------------------------------------

LIST_COLUMNS: tuple[str, ...] = (
    "rank", "bin", "name", "region", "section", "size_class", "employees", "score", "degree", "injuries_5y",
    "expected_injuries", "excess_injuries", "reason",
)


@dataclass(frozen=True)
class InspectionListView:
    frame: pd.DataFrame  # osh.enterprises.inspection_list columns, unchanged (downloads and tests)
    display: pd.DataFrame  # translated headers, the columns shown
    region: str | None


def inspection_view(store: Store, *, scope: Scope, region: str | None, lang: str,
                    limit: int | None = None) -> InspectionListView:
    frame = ent.inspection_list(store, scope=scope, region=region, limit=limit)
    shown = frame[list(LIST_COLUMNS)].copy()
    shown["region"] = shown["region"].map(lambda c: region_name(str(c), lang))
    shown["expected_injuries"] = shown["expected_injuries"].round(2)
    shown["excess_injuries"] = shown["excess_injuries"].round(3)
    shown["score"] = shown["score"].round(1)
    display = shown.rename(columns={c: t(f"emap.col.{c}", lang) for c in LIST_COLUMNS})
    return InspectionListView(frame, display, region)


def to_csv(frame: pd.DataFrame) -> bytes:
    # UTF-8 with BOM so that Excel opens Cyrillic names correctly
    return frame.to_csv(index=False).encode("utf-8-sig")


def to_xlsx(frame: pd.DataFrame, *, sheet: str = "inspection_list") -> bytes:
    buffer = io.BytesIO()
    out = frame.copy()
    for column in out.columns:
        if isinstance(out[column].dtype, pd.DatetimeTZDtype):
            out[column] = out[column].dt.tz_localize(None)
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        out.to_excel(writer, index=False, sheet_name=sheet[:31])
    return buffer.getvalue()


# -- Streamlit helpers shared by the map and inspection-list pages (widgets, caching, audit) -----------------------


@st.cache_resource(show_spinner=False)
def _open_store(path: str) -> Store:
    from data.store import open_store

    return open_store(path, read_only=True)


def store() -> Store | None:
    """The read-only store of this process, or None after showing why it cannot be opened."""
    from data.store import StoreError

    lang = st.session_state.get("lang") or settings.get("ENBEK_LANG")
    path = settings.store_path()
    if not path.is_file():
        st.error(t("emap.error.no_store", str(lang), path=str(path)))
        return None
    try:
        return _open_store(str(path))
    except StoreError as exc:
        st.error(str(exc))
        return None


@st.cache_data(ttl=60, show_spinner=False)
def _years(path: str, version: str, _store: Store) -> list[int]:
    del path, version
    return available_years(_store)


def available_years(store: Store) -> list[int]:
    """The stored scoring year and the earlier years with insurance or accident records (scored on the fly)."""
    year = ent.stored_year(store)
    if year is None:
        if not store.has_table(ent.RISK_TABLE):
            raise MapDataError(f"the store has no {ent.RISK_TABLE} table; run 'enbek score' or 'enbek build-demo'")
        frame = store.sql(f"SELECT DISTINCT year FROM {ent.RISK_TABLE} ORDER BY year")
        return [int(y) for y in frame["year"]]
    found = store.sql(
        "SELECT DISTINCT y FROM (SELECT year AS y FROM insurance UNION SELECT year(date) AS y FROM accidents) "
        "WHERE y <= ? ORDER BY y DESC", [year])
    return sorted({year, *(int(y) for y in found["y"])}, reverse=True)


def years(store: Store) -> list[int]:
    return _years(str(getattr(store, "path", id(store))), store.version, store)


def _yes_no_all(label: str, *, key: str, lang: str, column: Any) -> bool | None:
    choice = column.selectbox(label, ("all", "yes", "no"), format_func=lambda v: t(f"emap.choice.{v}", lang), key=key)
    return None if choice == "all" else choice == "yes"


def region_options(scope: Scope) -> list[str | None]:
    codes = list(REGION_CODES) if scope.regions is None else sorted(scope.regions)
    return [None, *codes] if scope.regions is None or len(codes) > 1 else codes  # type: ignore[list-item]


def filter_widgets(*, lang: str, scope: Scope, years: list[int], key_prefix: str) -> dict[str, Any]:
    """Region, OKED section, size, degree, assessed, insured, year: the MapSelection filter fields."""
    from data.codes import SECTION_CODES, SIZE_CLASSES
    from osh.risk import DEGREES

    everything = t("emap.choice.all", lang)
    c = st.columns(7)
    region = c[0].selectbox(t("emap.filter.region", lang), region_options(scope), key=f"{key_prefix}_region",
                            format_func=lambda v: everything if v is None else region_name(v, lang))
    section = c[1].selectbox(t("emap.filter.section", lang), [None, *SECTION_CODES], key=f"{key_prefix}_section",
                             format_func=lambda v: everything if v is None else v)
    size = c[2].selectbox(t("emap.filter.size", lang), [None, *SIZE_CLASSES], key=f"{key_prefix}_size",
                          format_func=lambda v: everything if v is None else t(f"emap.size.{v}", lang))
    degree = c[3].selectbox(t("emap.filter.degree", lang), [None, *DEGREES], key=f"{key_prefix}_degree",
                            format_func=lambda v: everything if v is None else t(f"emap.class.degree.{v}", lang))
    assessed = _yes_no_all(t("emap.filter.assessed", lang), key=f"{key_prefix}_assessed", lang=lang, column=c[4])
    insured = _yes_no_all(t("emap.filter.insured", lang), key=f"{key_prefix}_insured", lang=lang, column=c[5])
    year = c[6].selectbox(t("emap.filter.year", lang), years, key=f"{key_prefix}_year")
    stored = years[0] if years else None
    return {"region": region, "section": section, "size_class": size, "degree": degree, "assessed": assessed,
            "insured": insured, "year": None if year == stored else year}


@st.cache_resource(show_spinner=False)
def _outlines(tiles: str) -> tuple[dict[str, Any] | None, str]:
    del tiles
    from geo.boundaries import ATTRIBUTION, BoundaryError, load_boundaries
    from layers.regions_geo import to_geojson

    try:
        gdf = load_boundaries()
    except (BoundaryError, OSError):
        return None, ATTRIBUTION
    return to_geojson(gdf, tolerance=0.02, precision=3), ATTRIBUTION


@st.cache_resource(max_entries=32, show_spinner=False)
def _map(path: str, version: str, scope: Scope, selection: MapSelection, lang: str, limit: int, tiles: str,
         _store: Store) -> MapView:
    del path, version
    outlines, attribution = _outlines(tiles)
    return build_map(_store, scope=scope, selection=selection, lang=lang, outlines=outlines, attribution=attribution,
                     point_limit=limit, tiles=tiles)


def map_for(store: Store, *, scope: Scope, selection: MapSelection, lang: str) -> MapView:
    return _map(str(getattr(store, "path", id(store))), store.version, scope, selection, lang,
                settings.get_int("ENBEK_MAP_POINT_LIMIT"), settings.get("ENBEK_TILES"), store)


def legend_html(items: tuple[LegendItem, ...]) -> str:
    import html as _html

    rows = "".join(
        f'<div style="display:flex;align-items:center;gap:6px;font-size:0.85rem">'
        f'<span style="display:inline-block;width:16px;height:12px;border:1px solid #555;background:{i.colour}"></span>'
        f"{_html.escape(i.label)}</div>"
        for i in items
    )
    return f'<div role="list" class="enbek-map-legend">{rows}</div>'


def is_demo(store: Store) -> bool:
    return (store.get_meta("dataset", "demo") or "demo") == "demo"


def audit(identity: Any, *, action: str, object: str = "", detail: Mapping[str, Any] | None = None) -> None:
    """Record an event, or stop the page: nothing enterprise-level is shown or downloaded unlogged."""
    from dashboard import login
    from data.audit import AuditError

    try:
        login.get_audit().record(user=identity.user, action=action, object=object, detail=dict(detail or {}))
    except AuditError as exc:
        st.error(t("auth.audit_failed", str(st.session_state.get("lang") or "kk"), error=str(exc)))
        st.stop()


def render_card(store: Store, *, identity: Any, bin: str, lang: str) -> None:
    from data.scope import ScopeError

    try:
        view = card_view(store, scope=identity.scope, bin=bin, lang=lang)
    except ScopeError as exc:
        audit(identity, action="access_denied", object=bin, detail={"reason": str(exc)})
        st.error(t("emap.card.denied", lang))
        return
    except ent.EnterpriseNotFound as exc:
        st.error(str(exc))
        return
    audit(identity, action="view_card", object=bin)
    card = view.card
    st.subheader(f"{card.name} · {card.bin}", anchor=False)
    m = st.columns(4)
    m[0].metric(t("emap.score", lang), fmt_number(card.score, lang, decimals=1))
    m[1].metric(t("emap.degree", lang), t(f"emap.class.degree.{card.degree}", lang))
    m[2].metric(t("emap.employees", lang), fmt_number(card.employees, lang))
    m[3].metric(t("emap.tariff_factor", lang), fmt_number(card.tariff_factor, lang, decimals=2))
    left, right = st.columns(2)
    with left:
        st.dataframe(view.facts, hide_index=True, width="stretch", key="card_facts")
    with right:
        st.markdown(f"**{t('emap.card.parts', lang)}**")
        st.dataframe(view.parts, hide_index=True, width="stretch", key="card_parts")
        st.markdown(f"**{t('emap.card.peers', lang)}**")
        st.write(view.peer_text)
        st.markdown(f"**{t('emap.card.assessment', lang)}**")
        st.json({k: (str(v) if v is not None else None) for k, v in card.assessment.items()}, expanded=False)
    st.markdown(f"**{t('emap.card.history', lang)}**")
    st.dataframe(view.history, hide_index=True, width="stretch", key="card_history")
    st.markdown(f"**{t('emap.card.inspections', lang)}**")
    st.dataframe(view.inspections, hide_index=True, width="stretch", key="card_inspections")
