"""View models of the official pages (enterprise map, card, inspection list): a selection in, what to show out.

Pure: no Streamlit. Every enterprise-level read goes through osh.enterprises with the user's scope; the pages
(dashboard/screens/enterprise_map.py, inspection_list.py) get these views through dashboard/official_cache.py
and draw them with dashboard/official_render.py.
"""

from __future__ import annotations

import dataclasses
import html
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from dashboard.i18n import fmt_number, fmt_percent, t
from data import settings
from data.scope import Scope
from data.store import Store
from geo.regions import REGION_CODES, region_name
from layers import deck
from layers.deck_h3 import HexIndex, hex_index
from osh import enterprises as ent
from osh.reasons import render, render_all
from osh.risk import ROW_ID

# "regions": the regions choropleth at country scale, settlement clusters inside a chosen region (the default);
# "hex": H3 cells at a resolution that reads on screen at that scale.
AGGREGATE_BY: tuple[str, ...] = ("regions", "hex")
COUNTRY_RESOLUTION = 3  # about 12 000 km² per cell: some 15 px across at the country view (res 5 drew 2-3 px specks)
REGION_RESOLUTION = 5  # about 250 km²: some 15 px across at a region's view
_BASE_COLUMNS = ("lat", "lon", "region", *deck.AGG_INPUTS)


class MapDataError(RuntimeError):
    """The store cannot feed the map (no risk table yet, unknown filter); the message says what to run."""


@dataclass(frozen=True)
class MapSelection:
    """Everything the map page's widgets chose; hashable, so views are cached per selection."""

    layer: str = "degree"
    measure: str = "share_high"
    aggregate_by: str = "regions"
    region: str | None = None
    section: str | None = None
    size_class: str | None = None
    degree: str | None = None
    assessed: bool | None = None
    insured: bool | None = None
    year: int | None = None
    self_assessed: bool | None = None

    def filters(self) -> ent.EnterpriseFilter:
        one = lambda v: None if v is None else frozenset([v])  # noqa: E731
        return ent.EnterpriseFilter(regions=one(self.region), sections=one(self.section),
                                    size_classes=one(self.size_class), degrees=one(self.degree),
                                    assessed=self.assessed, self_assessed=self.self_assessed, insured=self.insured,
                                    year=self.year)


@dataclass(frozen=True)
class LegendItem:
    label: str
    colour: str  # CSS colour
    ring: bool = False  # drawn as an outline (a ring layer over the points), not a fill


@dataclass(frozen=True)
class MapView:
    deck: deck.CompactDeck
    mode: str  # "points" | "hex" | "regions" | "settlements" | "empty"
    count: int  # enterprises that pass the filters
    shown: int  # rows sent to the browser in the data layer (points, cells or regions)
    layer_ids: tuple[str, ...]
    title: str
    legend_title: str
    legend: tuple[LegendItem, ...]
    note: str
    attribution: str
    year: int | None


@dataclass(frozen=True)
class Districts:
    """A configured district file (ENBEK_DISTRICT_BOUNDARIES) for the pages: names by 4-digit KATO district code
    and language, and each region's district outlines as GeoJSON."""

    names: Mapping[str, Mapping[str, str]]
    outlines: Mapping[str, Mapping[str, Any]]  # region code -> FeatureCollection of its districts

    def name(self, code: Any, lang: str) -> str | None:
        found = self.names.get(str(code))
        return found[lang] if found else None


def districts_view(gdf: Any) -> Districts:
    """geo.boundaries.load_district_boundaries' frame as names and per-region outlines (simplified to about
    100 m, enough at a region's zoom)."""
    from geo.boundaries import district_names
    from layers.regions_geo import to_geojson

    outlines = {str(region): to_geojson(part, tolerance=0.001, precision=4)
                for region, part in gdf.groupby("region", sort=True)}
    return Districts(district_names(gdf), outlines)


# -- the store behind one function (osh.enterprises) ----------------------------------------------------------------


def _query(store: Store, *, scope: Scope, selection: MapSelection, columns: list[str]) -> pd.DataFrame:
    """Filtering runs in DuckDB (osh.enterprises.query -> store.read(where=...)) and always within the scope."""
    try:
        return ent.query(store, scope=scope, filters=selection.filters(), columns=columns)
    except (ent.RiskTableMissing, ent.FilterError) as exc:
        raise MapDataError(str(exc)) from exc


def count(store: Store, *, scope: Scope, selection: MapSelection) -> int:
    """How many enterprises within the scope pass the selection's filters."""
    if selection.year is not None and selection.year != ent.stored_year(store):
        return len(_query(store, scope=scope, selection=selection, columns=[]))
    return len(_ids(store, scope=scope, selection=selection))


def _ids(store: Store, *, scope: Scope, selection: MapSelection) -> np.ndarray:
    """The stored row ids that pass the selection (stored scoring year): one int64 array, not a frame."""
    try:
        return ent.query_ids(store, scope=scope, filters=selection.filters())
    except (ent.RiskTableMissing, ent.FilterError) as exc:
        raise MapDataError(str(exc)) from exc


# -- per store version: one read of every enterprise, H3 cells computed once ------------------------------------


@dataclass(frozen=True)
class MapBase:
    """Aggregation inputs of every row of the risk table, by its row_id (read once per store version)."""

    rowids: np.ndarray  # sorted
    lat: np.ndarray
    lon: np.ndarray
    region_codes: np.ndarray  # index into REGION_CODES
    inputs: Mapping[str, np.ndarray]
    hexes: dict[int, HexIndex] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)

    def positions(self, rowids: np.ndarray) -> np.ndarray:
        return np.searchsorted(self.rowids, rowids)

    def settlements(self) -> tuple[np.ndarray, pd.DataFrame]:
        """Each row's nearest gazetteer settlement of its region (index into the returned places; -1 if none)."""
        if "settlements" not in self.extra:  # benign race, as for hex
            self.extra["settlements"] = nearest_places(self.lat, self.lon, self.region_codes)
        found: tuple[np.ndarray, pd.DataFrame] = self.extra["settlements"]
        return found

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


def load_base(store: Store) -> MapBase:
    """Every enterprise's aggregation inputs, read once per store version and shared by all users' maps: read
    with the country scope on purpose, because a user's map only ever aggregates the rows that its own scoped
    query (osh.enterprises.query with the user's scope) selected, by rowid."""
    try:
        frame = ent.query(store, scope=Scope.country(), columns=[ROW_ID, *_BASE_COLUMNS])
    except ent.RiskTableMissing as exc:
        raise MapDataError(str(exc)) from exc
    return build_base(frame)


def nearest_places(lat: np.ndarray, lon: np.ndarray, region_codes: np.ndarray) -> tuple[np.ndarray, pd.DataFrame]:
    """The nearest settlement of the gazetteer within the same region, for every point (vectorised per region,
    in chunks so a 30 000-enterprise region against a few hundred places stays a few MB)."""
    from geo.gazetteer import settlements

    places = settlements().reset_index(drop=True)
    out = np.full(len(lat), -1, dtype=np.int64)
    region_of_place = places["region"].astype(str).to_numpy()
    for code_index, code in enumerate(REGION_CODES):
        rows = np.flatnonzero((region_codes == code_index) & np.isfinite(lat) & np.isfinite(lon))
        here = np.flatnonzero(region_of_place == code)
        if len(rows) == 0 or len(here) == 0:
            continue
        plat, plon = places["lat"].to_numpy()[here], places["lon"].to_numpy()[here]
        for start in range(0, len(rows), 4096):
            chunk = rows[start:start + 4096]
            scale = np.cos(np.radians(lat[chunk]))[:, None]
            d2 = (plat[None, :] - lat[chunk, None]) ** 2 + ((plon[None, :] - lon[chunk, None]) * scale) ** 2
            out[chunk] = here[np.argmin(d2, axis=1)]
    return out, places


def place_name_column(lang: str) -> str:
    """The gazetteer's column of settlement names in `lang`: Cyrillic in kk and ru, GeoNames' Latin in en."""
    return {"kk": "name_kk", "ru": "name_ru"}.get(lang, "name")


def local_settlements(regions: pd.Series, names: pd.Series, lang: str) -> list[str]:
    """Settlement names (the gazetteer's Latin `name`, as osh.enterprises gives them) in `lang`, looked up with
    their region; a name the gazetteer does not hold is kept."""
    if lang not in ("kk", "ru"):
        return [str(n) for n in names]
    from geo.gazetteer import settlements

    places = settlements()
    lookup: dict[tuple[str, str], str] = {}
    for region, name, local in zip(places["region"], places["name"], places[place_name_column(lang)], strict=True):
        lookup.setdefault((str(region), str(name)), str(local))  # largest first: a repeated name takes the largest
    return [lookup.get((str(r), str(n)), str(n)) for r, n in zip(regions, names, strict=True)]


def build_base(frame: pd.DataFrame) -> MapBase:
    frame = frame.sort_values(ROW_ID, kind="stable")
    return MapBase(
        rowids=frame[ROW_ID].to_numpy(dtype=np.int64),
        lat=frame["lat"].to_numpy(dtype=float),
        lon=frame["lon"].to_numpy(dtype=float),
        region_codes=_region_codes(frame["region"]),
        inputs=deck.aggregate_inputs(frame),
    )


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
    if mode == "settlements":
        html = (f"<b>{{name}}</b><br/>{t('emap.enterprises', lang)}: {{n}}<br/>"
                f"{t('emap.class.degree.high', lang)}: {{h}} %")
    elif mode == "points":
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
    base: MapBase | Callable[[], MapBase] | None = None,
    districts: Districts | None = None,
) -> MapView:
    """Points when the filters leave at most ENBEK_MAP_POINT_LIMIT enterprises, else H3 cells or region polygons.
    Inside a region, the region's district outlines are drawn when a district file is configured (`districts`)."""
    deck.check_theme(selection.layer)
    if selection.aggregate_by not in AGGREGATE_BY:
        raise MapDataError(f"aggregate_by must be one of {', '.join(AGGREGATE_BY)}, got {selection.aggregate_by!r}")
    limit = settings.get_int("ENBEK_MAP_POINT_LIMIT") if point_limit is None else point_limit
    tiles = settings.get("ENBEK_TILES") if tiles is None else tiles
    layers: list[Any] = [deck.outline_layer(outlines)] if outlines else []
    district_outlines = districts.outlines.get(selection.region) if districts and selection.region else None
    if district_outlines:  # under the data, so points and clusters stay on top (hexagons: see below)
        layers.append(deck.district_layer(district_outlines))
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
        ids = _ids(store, scope=scope, selection=selection)
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
        # the self-assessment flag, where the stored table has it (one scored before the flag existed has not)
        flag = ["self_assessed"] if frame is not None or "self_assessed" in ent.risk_columns(store) else []
        points = frame[cols + flag] if frame is not None else _query(store, scope=scope, selection=selection,
                                                                        columns=cols + flag)
        dots = deck.points_layer(points[cols], theme=selection.layer)
        layers.append(dots)
        if selection.region is not None or selection.section is not None:
            view = deck.view_of(points["lat"].to_numpy(dtype=float), points["lon"].to_numpy(dtype=float))
        legend = tuple(LegendItem(t(f"emap.class.{selection.layer}.{c.key}", lang), c.colour)
                       for c in deck.POINT_CLASSES[selection.layer])
        self_points = self_assessed_points(points)
        if len(self_points):  # ringed in violet, with its own legend entry (docs/self-check.md)
            layers.append(deck.ring_layer(self_points, layer_id=deck.SELF_RING_ID, colour=deck.SELF_RING_COLOUR))
            legend = (*legend, LegendItem(t("emap.legend.self_assessed", lang, n=fmt_number(len(self_points), lang)),
                                          "rgb({},{},{})".format(*deck.SELF_RING_COLOUR), ring=True))
        dk = deck.build_deck(layers, tooltip=_tooltip(lang, mode="points", metric=None), tiles=tiles or "", view=view)
        return MapView(dk, "points", count, len(dots.data), tuple(layer.id for layer in layers), title,
                       t("emap.legend.points", lang), legend, t("emap.note.points", lang, n=fmt_number(count, lang)),
                       attribution, year)
    # aggregates
    if frame is not None:
        b = build_base(frame.assign(**{ROW_ID: np.arange(len(frame))}))
        positions = None
    else:
        # `base` may be a loader, so that a map drawn as points never reads the whole country's base
        b = base() if callable(base) else base if base is not None else load_base(store)
        positions = b.positions(rows) if rows is not None else None
    label, unit = _metric_labels(metric, lang)
    settlements = selection.aggregate_by == "regions" and selection.region is not None
    if settlements and selection.layer != "degree":
        settlements = False  # clusters show the degree mix only; another layer inside a region reads as hexagons
        selection = dataclasses.replace(selection, aggregate_by="hex")
    if settlements:
        codes_s, places = b.settlements()
        sel = positions if positions is not None else np.arange(len(codes_s))
        sel = sel[codes_s[sel] >= 0]
        agg = deck.aggregate(codes_s, b.inputs, rows=sel, n_groups=len(places))
        clusters = pd.DataFrame({
            "name": places[place_name_column(lang)].to_numpy()[agg.index], "lat": places["lat"].to_numpy()[agg.index],
            "lon": places["lon"].to_numpy()[agg.index], "n": agg["n"].to_numpy(),
            "share_high": (agg["n_high"] / agg["n"]).to_numpy()})
        layers.extend(deck.settlement_layers(clusters))
        view = deck.view_of(b.lat[sel], b.lon[sel])
        dk = deck.build_deck(layers, tooltip=_tooltip(lang, mode="settlements", metric=None), tiles=tiles or "",
                             view=view)
        legend = tuple(LegendItem(f"{fmt_percent(x, lang, decimals=0)}", colour)
                       for x, colour in zip(deck.MIX_STOPS, deck.MIX_RAMP, strict=True))
        note = t("plan.map.settlements_note", lang, n=fmt_number(count, lang), places=fmt_number(len(clusters), lang))
        return MapView(dk, "settlements", count, len(clusters), tuple(layer.id for layer in layers), title,
                       t("plan.map.settlements_legend", lang), legend, note, attribution, year)
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
        if district_outlines:  # the filled hexagons would hide lines drawn under them
            layers.append(layers.pop(layers.index(next(x for x in layers if x.id == deck.DISTRICT_ID))))
        mode = "hex"
        if selection.region is not None:
            p = sel
            view = deck.view_of(b.lat[p], b.lon[p])
    dk = deck.build_deck(layers, tooltip=_tooltip(lang, mode=mode, metric=metric), tiles=tiles or "", view=view)
    note = t("emap.note.aggregate", lang, n=fmt_number(count, lang), limit=fmt_number(limit, lang))
    return MapView(dk, mode, count, len(agg), tuple(layer.id for layer in layers), title, f"{label}, {unit}",
                   _legend_from_scheme(scheme, metric, lang), note, attribution, year)


def self_assessed_points(points: pd.DataFrame) -> pd.DataFrame:
    """The located points whose only workplace assessment is the employer's express self-check."""
    if "self_assessed" not in points.columns:
        return points.iloc[0:0]
    flag = points["self_assessed"].fillna(False).to_numpy(dtype=bool)
    return points[flag & points["lat"].notna().to_numpy() & points["lon"].notna().to_numpy()]


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
    return ent.is_bin(text)


def search(store: Store, *, scope: Scope, text: str, limit: int = 20) -> pd.DataFrame:
    """Enterprises whose BIN equals `text` or whose name contains it, within the scope (osh.enterprises.search)."""
    try:
        return ent.search(store, scope=scope, text=text, limit=limit)
    except ent.RiskTableMissing as exc:
        raise MapDataError(str(exc)) from exc


@dataclass(frozen=True)
class CardView:
    card: ent.EnterpriseCard
    facts: pd.DataFrame  # field, value (translated, formatted)
    parts: pd.DataFrame  # part, points, reason
    peer_text: str
    history: pd.DataFrame  # year, accidents, injured, fatal, disease cases, insured
    inspections: pd.DataFrame
    assessment: pd.DataFrame  # field, value (translated, formatted)
    badge: str = ""  # "self-assessed" label, empty when the firm is not flagged
    badge_note: str = ""  # why: the same sentence as the assessment part of the score (osh.reasons)


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
            (t("emap.self_assessed", lang), yes if card.self_assessed else no),
            (t("emap.insured", lang), yes if card.insured else no),
            (t("emap.sector_class", lang), str(card.sector_class)),
            (t("emap.tariff_factor", lang), fmt_number(card.tariff_factor, lang, decimals=2)),
            (t("emap.located", lang), t(f"emap.located.{card.located}", lang)),
            (t("emap.risk_year", lang), str(card.risk_year)),
            (t("plan.col.last_inspection", lang),
             fmt_date(card.inspections["date"].max() if len(card.inspections) else None, lang)),
        ],
        columns=[t("plan.card.field", lang), t("plan.card.value", lang)],
    )
    parts = pd.DataFrame(
        [(t(f"emap.part.{p}", lang), fmt_number(points, lang, decimals=1), render(reason, lang))
         for p, points, reason in card.parts],
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
    inspections = card.inspections.assign(date=[fmt_date(d, lang) for d in card.inspections["date"]]).rename(columns={
        "date": t("emap.date", lang), "violations": t("emap.violations", lang),
        "osh_violations": t("emap.osh_violations", lang)})
    badge, badge_note = "", ""
    if card.self_assessed:
        badge = t("emap.badge.self_assessed", lang)
        badge_note = next((render(reason, lang) for p, _, reason in card.parts if p == "assessment"), "")
    return CardView(card, facts, parts, peer_text, history, inspections, assessment_table(card.assessment, lang),
                    badge, badge_note)


ASSESSMENT_FIELDS: dict[str, int] = {  # field -> decimals shown
    "workplaces": 0, "workers": 0, "harmful_workers": 0, "danger_class": 1, "equipment_class": 1,
    "ppe_provision_pct": 1, "morbidity_class": 1,
}


def assessment_table(assessment: Mapping[str, Any], lang: str) -> pd.DataFrame:
    """The workplace assessment summary as a two-column table in the user's language (no raw JSON)."""
    rows = [(t(f"plan.assess.{k}", lang), fmt_number(assessment.get(k), lang, decimals=d))
            for k, d in ASSESSMENT_FIELDS.items()]
    rows.append((t("plan.assess.last_date", lang), fmt_date(assessment.get("last_date"), lang)))
    return pd.DataFrame(rows, columns=[t("plan.card.field", lang), t("plan.card.value", lang)])


# -- the inspection plan --------------------------------------------------------------------------------------------

ORDERS: tuple[str, ...] = ent.ORDERS
PLAN_LIMITS: tuple[int, ...] = (20, 50, 100, 200, 500)
# The columns of the plan (screen and files), in order; code columns (BIN, KATO, OKED) keep stable headers.
# Why comes right after who and how risky: an official reads the reason without scrolling the table sideways.
PLAN_COLUMNS: tuple[str, ...] = (
    "rank", "name", "score", "degree", "reason", "plan_status", "plan_date", "last_inspection", "years_since",
    "settlement", "district", "section", "size_class", "employees", "injuries_5y", "excess_injuries", "bin",
    "self_assessed",
)
# self_assessed: the firm's only workplace assessment is its own express self-check (partial weight in the score)
FILE_COLUMNS: tuple[str, ...] = (
    "rank", "bin", "kato", "oked_section", "name", "region", "district", "settlement", "size_class", "employees",
    "score", "degree", "injuries_5y", "fatal_5y", "expected_injuries", "excess_injuries", "last_inspection",
    "last_osh_violations", "years_since", "plan_status", "plan_date", "plan_note", "reason", "self_assessed",
)
REGION_PLAN_COLUMNS: tuple[str, ...] = (
    "plan_status", "plan_date", "plan_note", "bin", "name", "region", "district", "settlement", "score", "degree",
    "last_inspection", "reason",
)
CODE_HEADERS: dict[str, str] = {"bin": "BIN", "kato": "KATO", "oked_section": "OKED"}
_DECIMALS: dict[str, int] = {"score": 1, "expected_injuries": 1, "excess_injuries": 2, "years_since": 1}


def fmt_date(value: Any, lang: str) -> str:
    """26.02.2020 in kk and ru, 2020-02-26 in en; '–' when unknown. Never a time of day."""
    if value is None or value is pd.NaT or (isinstance(value, float) and np.isnan(value)):
        return "–"
    day = pd.Timestamp(value)
    if pd.isna(day):
        return "–"
    return day.strftime("%Y-%m-%d") if lang == "en" else day.strftime("%d.%m.%Y")


@dataclass(frozen=True)
class PlanSelection:
    """What the plan page's widgets chose (hashable)."""

    region: str | None = None
    order: str = "score"
    section: str | None = None
    size_class: str | None = None
    degree: str | None = None
    assessed: bool | None = None
    not_inspected_years: int | None = None
    limit: int = 50
    self_assessed: bool | None = None

    def filters(self) -> ent.PlanFilter:
        one = lambda v: None if v is None else frozenset([v])  # noqa: E731
        return ent.PlanFilter(sections=one(self.section), size_classes=one(self.size_class), degrees=one(self.degree),
                              assessed=self.assessed, self_assessed=self.self_assessed,
                              not_inspected_years=self.not_inspected_years)


@dataclass(frozen=True)
class InspectionListView:
    frame: pd.DataFrame  # osh.enterprises.inspection_list rows with the plan marks (plan_status, plan_date, plan_note)
    display: pd.DataFrame  # PLAN_COLUMNS with headers and values in the user's language
    region: str | None
    order: str
    caption: str  # how the plan is ordered, said once


def with_marks(frame: pd.DataFrame, marks: pd.DataFrame) -> pd.DataFrame:
    """The plan rows with the region's marks (status, date, note) joined by BIN; unmarked rows get None."""
    m = marks.rename(columns={"status": "plan_status", "date": "plan_date", "note": "plan_note"})
    m = m[["bin", "plan_status", "plan_date", "plan_note"]] if len(m) else pd.DataFrame(
        {c: pd.Series(dtype="object") for c in ("bin", "plan_status", "plan_date", "plan_note")})
    return frame.merge(m, on="bin", how="left", validate="one_to_one")


def _cell(column: str, value: Any, lang: str, districts: Districts | None = None) -> Any:
    if column == "district":  # the district's name from the configured file, else its KATO code
        return (districts.name(value, lang) if districts else None) or ("" if value is None else str(value))
    if column in ("size_class",):
        return t(f"emap.size.{value}", lang)
    if column == "degree":
        return t(f"emap.class.degree.{value}", lang)
    if column == "region":
        return region_name(str(value), lang)
    if column == "plan_status":
        return "" if value is None or (isinstance(value, float) and np.isnan(value)) else t(f"plan.status.{value}", lang)
    if column in ("last_inspection", "plan_date"):
        return fmt_date(value, lang)
    if column == "reason":
        return render_all(value, lang)
    if column == "self_assessed":  # yes / no in the reader's language (a missing flag: not self-assessed)
        return t("emap.yes" if value is True or value == 1 else "emap.no", lang)
    return value


def plan_table(frame: pd.DataFrame, *, lang: str, columns: tuple[str, ...], for_file: bool,
               districts: Districts | None = None) -> pd.DataFrame:
    """The plan in the user's language: enums translated, dates as dd.mm.yyyy (kk, ru), reasons written out,
    districts named when a district file is configured. On screen numbers are text with the language's decimal
    comma; in a file they stay numbers rounded as shown."""
    src = frame.assign(oked_section=frame["section"]) if "section" in frame.columns else frame
    if "settlement" in columns and "settlement" in src.columns and "region" in src.columns:
        src = src.assign(settlement=local_settlements(src["region"], src["settlement"].fillna(""), lang))
    out = pd.DataFrame(index=src.index)
    for column in columns:
        values = src[column] if column in src.columns else pd.Series(None, index=src.index, dtype="object")
        if column in _DECIMALS or column in ("employees", "injuries_5y", "fatal_5y", "last_osh_violations"):
            decimals = _DECIMALS.get(column, 0)
            numeric = pd.to_numeric(values, errors="coerce").round(decimals)
            out[column] = numeric if for_file else numeric.map(lambda v, d=decimals: fmt_number(v, lang, decimals=d))
        elif column == "plan_note":
            out[column] = values.fillna("")
        else:
            out[column] = [_cell(column, v, lang, districts) for v in values]
    headers = {c: (CODE_HEADERS.get(c) if for_file else None) or t(f"plan.col.{c}", lang) for c in columns}
    return out.rename(columns=headers).reset_index(drop=True)


def plan_caption(order: str, lang: str) -> str:
    return t(f"plan.order.{order}.caption", lang)


def inspection_view(store: Store, *, scope: Scope, selection: PlanSelection, marks: pd.DataFrame, lang: str,
                    as_of: Any = None, districts: Districts | None = None) -> InspectionListView:
    frame = ent.inspection_list(store, scope=scope, region=selection.region, limit=selection.limit,
                                order=selection.order, filters=selection.filters(), as_of=as_of)
    frame = with_marks(frame, marks)
    display = plan_table(frame, lang=lang, columns=PLAN_COLUMNS, for_file=False, districts=districts)
    return InspectionListView(frame, display, selection.region, selection.order, plan_caption(selection.order, lang))


def plan_file_frame(frame: pd.DataFrame, *, lang: str, districts: Districts | None = None) -> pd.DataFrame:
    """What the CSV/XLSX hold: headers in `lang` plus code columns BIN, KATO, OKED; values rounded as shown."""
    return plan_table(frame, lang=lang, columns=FILE_COLUMNS, for_file=True, districts=districts)


SUMMARY_FILE_COLUMNS: tuple[str, ...] = ("kato", "region", "marked", "planned", "inspected", "overdue", "last_update")


def plan_summary_table(summary: pd.DataFrame, *, lang: str, for_file: bool) -> pd.DataFrame:
    """osh.plan.summary for the page or a file: region names in `lang`, the last update as a date; files add the
    region's KATO code as a code column. Counts stay numbers (a file sorts and sums them)."""
    columns = SUMMARY_FILE_COLUMNS if for_file else SUMMARY_FILE_COLUMNS[1:]
    out = pd.DataFrame({
        "kato": summary["region"].astype(str),
        "region": [region_name(str(code), lang) for code in summary["region"]],
        **{c: summary[c].astype(int) for c in ("marked", "planned", "inspected", "overdue")},
        "last_update": [fmt_date(v, lang) for v in summary["last_update"]],
    })[list(columns)]
    headers = {c: "KATO" if c == "kato" else t(f"plan.summary.col.{c}", lang) for c in columns}
    return out.rename(columns=headers).reset_index(drop=True)


def plan_points(frame: pd.DataFrame) -> pd.DataFrame:
    """The plan's enterprises as map points (deck.points_layer input)."""
    cols = [c for c in dict.fromkeys([*deck.POINT_COLUMNS, *deck.POINT_INPUTS["degree"]]) if c in frame.columns]
    return frame[cols].dropna(subset=["lat", "lon"])


# -- small pure helpers the pages share -------------------------------------------------------------------------


def available_years(store: Store) -> list[int]:
    """The stored scoring year and the earlier years with insurance or accident records (scored on the fly)."""
    try:
        return ent.available_years(store)
    except ent.RiskTableMissing as exc:
        raise MapDataError(str(exc)) from exc


def region_options(scope: Scope) -> list[str | None]:
    """The region choices of a user: None (all) first for the ministry or a multi-region akimat."""
    codes: list[str | None] = [*(REGION_CODES if scope.regions is None else sorted(scope.regions))]
    return [None, *codes] if scope.regions is None or len(codes) > 1 else codes


def _swatch(item: LegendItem) -> str:
    colour = html.escape(item.colour)
    if item.ring:  # a ring drawn over the points: an outlined circle, no fill
        return (f'<span style="display:inline-block;width:12px;height:12px;border:2px solid {colour};'
                f'border-radius:50%;background:transparent"></span>')
    return f'<span style="display:inline-block;width:16px;height:12px;border:1px solid #555;background:{colour}"></span>'


def legend_html(items: tuple[LegendItem, ...]) -> str:
    rows = "".join(
        f'<div style="display:flex;align-items:center;gap:6px;font-size:0.85rem">{_swatch(i)}{html.escape(i.label)}</div>'
        for i in items
    )
    return f'<div role="list" class="enbek-map-legend">{rows}</div>'


def attribution_text(attribution: str, lang: str) -> str:
    """The boundary layer's credit in the user's language (the embedded layer's; any other file's as given)."""
    from geo.boundaries import ATTRIBUTION

    return t("plan.map.attribution", lang) if attribution == ATTRIBUTION else attribution


def is_demo(store: Store) -> bool:
    return (store.get_meta("dataset", "demo") or "demo") == "demo"


def list_name(region: str | None, lang: str | None = None) -> str:
    """The stem of the inspection list's files and its audit object: inspection_list_<region or KZ>[_<lang>]
    (one file per language: the headers, enums and reasons differ)."""
    return f"inspection_list_{region or 'KZ'}" + (f"_{lang}" if lang else "")
