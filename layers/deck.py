"""Pure pydeck builders of the enterprise map: H3 / region aggregates, enterprise points, region outlines, legends."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pydeck as pdk
from pydeck.bindings.json_tools import default_serialize

from layers.choropleth import SEQUENTIAL, ClassScheme, sequential_scheme

# What the map can show; "degree" aggregates have three measures, the others one each.
THEMES: tuple[str, ...] = ("degree", "injuries", "diseases", "harmful", "insurance", "assessment")
MEASURES: tuple[str, ...] = ("share_high", "employees_high", "expected_harm")

# Explicit layer ids: Streamlit keys selections by layer id and keeps the chart stateful across reruns.
OUTLINE_ID = "regions-outline"
HEX_ID = "agg-hex"
REGION_ID = "agg-regions"
POINTS_ID = "enterprises"

COORD_DECIMALS = 4  # about 11 m: enough to tell enterprises apart, 40 % fewer bytes than full floats
KZ_VIEW = {"latitude": 48.0, "longitude": 67.5, "zoom": 3.6}
LAND_FILL = [243, 244, 246]
OUTLINE_COLOUR = [90, 90, 90]
NO_BASEMAP = "__MAP_STYLE__"  # pydeck's "no style chosen" sentinel; see build_deck

# Columns the aggregation needs from every enterprise (compact names of the enterprise_risk table).
AGG_INPUTS: tuple[str, ...] = (
    "employees", "degree", "excess_injuries", "injuries_5y", "disease_cases_5y", "harmful_workers", "insured", "assessed",
)
AGG_COLUMNS: tuple[str, ...] = (
    "n", "employees", "n_high", "n_medium", "employees_high", "excess", "injuries", "diseases", "harmful", "uninsured", "unassessed",
)


class DeckError(ValueError):
    """A map builder was given a frame or choice it cannot draw; the message names what is missing."""


def _require(frame: pd.DataFrame, columns: Sequence[str], *, what: str) -> None:
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise DeckError(f"{what}: frame lacks columns {', '.join(missing)}; has {', '.join(map(str, frame.columns))}")


def _rgb(hex_colour: str) -> list[int]:
    h = hex_colour.lstrip("#")
    return [int(h[i : i + 2], 16) for i in (0, 2, 4)]


# -- point classes (colour-blind-safe: Okabe-Ito for categories, viridis for ordered counts) ---------


@dataclass(frozen=True)
class PointClass:
    key: str  # translation suffix, e.g. "degree.high"
    colour: str


GREY = "#bdbdbd"
POINT_CLASSES: dict[str, tuple[PointClass, ...]] = {
    # high is dark: told from orange by lightness too
    "degree": (PointClass("low", "#0072B2"), PointClass("medium", "#E69F00"), PointClass("high", "#B2182B")),
    "injuries": (PointClass("none", GREY), PointClass("one", "#7ad151"), PointClass("two_four", "#2a788e"),
                 PointClass("five_plus", "#440154")),
    "diseases": (PointClass("none", GREY), PointClass("one", "#2a788e"), PointClass("two_plus", "#440154")),
    "harmful": (PointClass("none", GREY), PointClass("under_25", "#7ad151"), PointClass("25_50", "#2a788e"),
                PointClass("over_50", "#440154")),
    "insurance": (PointClass("insured", "#0072B2"), PointClass("uninsured", "#D55E00")),
    "assessment": (PointClass("assessed", "#0072B2"), PointClass("not_assessed", "#E69F00")),
}
POINT_INPUTS: dict[str, tuple[str, ...]] = {
    "degree": ("degree",),
    "injuries": ("injuries_5y",),
    "diseases": ("disease_cases_5y",),
    "harmful": ("harmful_workers", "employees"),
    "insurance": ("insured",),
    "assessment": ("assessed",),
}


def check_theme(theme: str) -> None:
    if theme not in THEMES:
        raise DeckError(f"unknown map layer {theme!r}; expected one of {', '.join(THEMES)}")


def point_class_codes(frame: pd.DataFrame, *, theme: str) -> np.ndarray:
    """Index into POINT_CLASSES[theme] of every enterprise (vectorised)."""
    check_theme(theme)
    _require(frame, POINT_INPUTS[theme], what=f"{theme} points")
    if theme == "degree":
        degree = frame["degree"].astype(str).to_numpy()
        codes = np.select([degree == "low", degree == "medium", degree == "high"], [0, 1, 2], -1)
        if (codes < 0).any():
            bad = degree[codes < 0][0]
            raise DeckError(f"degree {bad!r} is not low, medium or high")
        return np.asarray(codes, dtype=np.int8)
    if theme == "injuries":
        return np.searchsorted([1, 2, 5], frame["injuries_5y"].to_numpy(dtype=float), side="right").astype(np.int8)
    if theme == "diseases":
        return np.searchsorted([1, 2], frame["disease_cases_5y"].to_numpy(dtype=float), side="right").astype(np.int8)
    if theme == "harmful":
        emp = frame["employees"].to_numpy(dtype=float)
        share = np.divide(frame["harmful_workers"].to_numpy(dtype=float), emp, out=np.zeros_like(emp), where=emp > 0)
        return np.where(share <= 0, 0, np.searchsorted([0.25, 0.5], share, side="right") + 1).astype(np.int8)
    if theme == "insurance":
        return np.where(frame["insured"].to_numpy(dtype=bool), 0, 1).astype(np.int8)
    return np.where(frame["assessed"].to_numpy(dtype=bool), 0, 1).astype(np.int8)


# -- aggregation -------------------------------------------------------------------------------------


def aggregate_inputs(frame: pd.DataFrame) -> dict[str, np.ndarray]:
    """Per-enterprise addends of every aggregate column (float64 arrays aligned with `frame`)."""
    _require(frame, AGG_INPUTS, what="aggregation")
    emp = frame["employees"].to_numpy(dtype=float)
    high = (frame["degree"] == "high").to_numpy(dtype=bool)
    return {
        "n": np.ones(len(frame)),
        "employees": emp,
        "n_high": high.astype(float),
        "n_medium": (frame["degree"] == "medium").to_numpy(dtype=float),
        "employees_high": np.where(high, emp, 0.0),
        "excess": frame["excess_injuries"].to_numpy(dtype=float),
        "injuries": frame["injuries_5y"].to_numpy(dtype=float),
        "diseases": frame["disease_cases_5y"].to_numpy(dtype=float),
        "harmful": frame["harmful_workers"].to_numpy(dtype=float),
        "uninsured": (~frame["insured"].to_numpy(dtype=bool)).astype(float),
        "unassessed": (~frame["assessed"].to_numpy(dtype=bool)).astype(float),
    }


def aggregate(codes: np.ndarray, inputs: Mapping[str, np.ndarray], *, rows: np.ndarray | None = None,
              n_groups: int) -> pd.DataFrame:
    """Sums per group code (0..n_groups-1) over `rows` (all rows when None); groups with no enterprise dropped.

    The result's index is the group code. bincount keeps a 400 000-row filter change in milliseconds.
    """
    idx = codes if rows is None else codes[rows]
    out = {name: np.bincount(idx, weights=(v if rows is None else v[rows]), minlength=n_groups)
           for name, v in inputs.items()}
    frame = pd.DataFrame(out)
    return frame[frame["n"] > 0]


@dataclass(frozen=True)
class AggMetric:
    theme: str
    measure: str  # "share_high" etc. for degree; equal to theme otherwise
    kind: str  # "share" (shown in %) | "rate" | "count"
    decimals: int


def agg_metric(*, theme: str, measure: str = "share_high") -> AggMetric:
    check_theme(theme)
    if theme == "degree":
        if measure not in MEASURES:
            raise DeckError(f"unknown measure {measure!r}; expected one of {', '.join(MEASURES)}")
        return AggMetric(theme, measure, "count" if measure == "expected_harm" else "share", 2 if measure == "expected_harm" else 1)
    kinds = {"injuries": ("rate", 2), "diseases": ("rate", 2), "harmful": ("share", 1),
             "insurance": ("share", 1), "assessment": ("share", 1)}
    kind, decimals = kinds[theme]
    return AggMetric(theme, theme, kind, decimals)


def _ratio(num: pd.Series, den: pd.Series, scale: float) -> pd.Series:
    d = den.to_numpy(dtype=float)
    return pd.Series(np.divide(num.to_numpy(dtype=float) * scale, d, out=np.full(len(d), np.nan), where=d > 0),
                     index=num.index)


def aggregate_value(agg: pd.DataFrame, metric: AggMetric) -> pd.Series:
    """The shown value of each group: % of enterprises / employees, injured per 1000 workers (5 years), etc."""
    _require(agg, AGG_COLUMNS, what="aggregate value")
    m = metric.measure
    if m == "share_high":
        return _ratio(agg["n_high"], agg["n"], 100.0)
    if m == "employees_high":
        return _ratio(agg["employees_high"], agg["employees"], 100.0)
    if m == "expected_harm":
        return agg["excess"].astype(float)
    if m == "injuries":
        return _ratio(agg["injuries"], agg["employees"], 1000.0)
    if m == "diseases":
        return _ratio(agg["diseases"], agg["employees"], 10000.0)
    if m == "harmful":
        return _ratio(agg["harmful"], agg["employees"], 100.0)
    if m == "insurance":
        return _ratio(agg["uninsured"], agg["n"], 100.0)
    return _ratio(agg["unassessed"], agg["n"], 100.0)


def agg_scheme(values: pd.Series) -> ClassScheme:
    """Five quantile classes of viridis (light = less, dark = more); one class when values do not vary."""
    return sequential_scheme(values, classes=5)


def _colour_arrays(values: pd.Series, scheme: ClassScheme) -> list[list[int]]:
    idx = scheme.classify(values).to_numpy()
    palette = np.asarray([_rgb(c) for c in scheme.colors], dtype=int)
    rgb = palette[np.clip(idx, 0, len(scheme.colors) - 1)]
    rgb[idx < 0] = _rgb("#ffffff")
    return rgb.tolist()


# -- layers ------------------------------------------------------------------------------------------


def outline_layer(geojson: Mapping[str, Any]) -> pdk.Layer:
    """Region outlines on a light land fill: the base layer, so the map reads without any basemap."""
    return pdk.Layer(
        "GeoJsonLayer", data=dict(geojson), id=OUTLINE_ID, stroked=True, filled=True,
        get_fill_color=LAND_FILL, get_line_color=OUTLINE_COLOUR, line_width_min_pixels=1, pickable=False,
    )


DISTRICT_ID = "district-outlines"
DISTRICT_COLOUR = [70, 70, 70, 190]


def district_layer(geojson: Mapping[str, Any]) -> pdk.Layer:
    """District outlines of a region (from a configured district file): thin dark lines without fill, so the
    clusters, points or hexagons stay readable under or over them."""
    return pdk.Layer(
        "GeoJsonLayer", data=dict(geojson), id=DISTRICT_ID, stroked=True, filled=False,
        get_line_color=DISTRICT_COLOUR, line_width_min_pixels=1, pickable=False,
    )


def hex_layer(cells: Sequence[str], values: pd.Series, counts: pd.Series, scheme: ClassScheme, *,
              decimals: int) -> pdk.Layer:
    """H3 hexagons (ids as hex strings) filled by class colour; `v` value and `n` enterprises for the tooltip."""
    if not (len(cells) == len(values) == len(counts)):
        raise DeckError(f"hexagon layer: {len(cells)} cells, {len(values)} values, {len(counts)} counts")
    colours = _colour_arrays(values, scheme)
    v = np.round(values.to_numpy(dtype=float), decimals)
    data = [{"h": h, "c": c, "v": (None if np.isnan(x) else float(x)), "n": int(k)}
            for h, c, x, k in zip(cells, colours, v.tolist(), counts.to_numpy(dtype=int).tolist(), strict=True)]
    return pdk.Layer(
        "H3HexagonLayer", data=data, id=HEX_ID, get_hexagon="h", get_fill_color="c", stroked=False,
        filled=True, extruded=False, opacity=0.85, pickable=True, auto_highlight=True,
    )


def region_layer(geojson: Mapping[str, Any], agg: pd.DataFrame, values: pd.Series, scheme: ClassScheme, *,
                 names: Mapping[str, str], decimals: int) -> pdk.Layer:
    """Region polygons (property `kato`) filled by class colour; regions without enterprises stay unfilled."""
    if "region" not in agg.columns:
        raise DeckError("region layer: aggregate frame lacks the column region")
    colours = dict(zip(agg["region"], _colour_arrays(values, scheme), strict=True))
    vals = dict(zip(agg["region"], np.round(values.to_numpy(dtype=float), decimals).tolist(), strict=True))
    counts = dict(zip(agg["region"], agg["n"].astype(int).tolist(), strict=True))
    features = []
    for feature in geojson["features"]:
        code = str(feature["properties"]["kato"])
        if code not in colours:
            continue
        v = vals[code]
        features.append({"type": "Feature", "geometry": feature["geometry"],
                         "properties": {"kato": code, "name": names.get(code, code), "c": colours[code],
                                        "v": None if np.isnan(v) else v, "n": counts[code]}})
    return pdk.Layer(
        "GeoJsonLayer", data={"type": "FeatureCollection", "features": features}, id=REGION_ID,
        stroked=True, filled=True, get_fill_color="properties.c", get_line_color=OUTLINE_COLOUR,
        line_width_min_pixels=1, opacity=0.85, pickable=True, auto_highlight=True,
    )


POINT_COLUMNS: tuple[str, ...] = ("bin", "name", "lat", "lon", "score", "employees")


@dataclass(frozen=True, eq=False)
class RawRows:
    """Layer data already serialised as a JSON array; CompactDeck.to_json splices it in unchanged."""

    json: str
    count: int

    def rows(self) -> list[dict[str, Any]]:
        return json.loads(self.json)

    def __len__(self) -> int:
        return self.count


def _json_text(values: pd.Series, *, max_chars: int | None = None) -> pa.Array:
    """Strings (cut to max_chars first) escaped for a JSON string literal, as an Arrow array; control characters
    become spaces."""
    text = pa.array(values.astype(str)).cast(pa.string())
    if max_chars is not None:
        text = pc.utf8_slice_codeunits(text, 0, max_chars)
    text = pc.replace_substring(pc.replace_substring(text, "\\", "\\\\"), '"', '\\"')
    return pc.replace_substring_regex(text, r"[\x00-\x1f]", " ")


def _json_number(values: np.ndarray, decimals: int) -> pa.Array:
    return pc.cast(pc.round(pa.array(values), decimals), pa.string())


def _points_json(located: pd.DataFrame, codes: np.ndarray, palette: Sequence[str], *, name_chars: int) -> str:
    """The rows as one JSON array, concatenated column-wise by Arrow's string kernels (no Python loop per row):
    about a tenth of the time of serialising a list of dicts."""
    colours = pa.array([json.dumps(_rgb(c), separators=(",", ":")) for c in palette])
    rows = pc.binary_join_element_wise(
        '{"b":"', _json_text(located["bin"]),
        '","m":"', _json_text(located["name"], max_chars=name_chars),
        '","p":[', _json_number(located["lon"].to_numpy(dtype=float), COORD_DECIMALS),
        ",", _json_number(located["lat"].to_numpy(dtype=float), COORD_DECIMALS),
        '],"c":', pc.take(colours, pa.array(codes.astype(np.int32))),
        ',"s":', _json_number(located["score"].to_numpy(dtype=float), 1),
        ',"e":', pc.cast(pa.array(located["employees"].to_numpy(dtype=np.int64)), pa.string()),
        "}", "",  # the last argument is the separator
    )
    if isinstance(rows, pa.ChunkedArray):
        rows = rows.combine_chunks()
    whole = pc.binary_join(pa.ListArray.from_arrays(pa.array([0, len(rows)], pa.int32()), rows), ",")
    return "[" + (whole[0].as_py() or "") + "]"


def points_layer(frame: pd.DataFrame, *, theme: str, name_chars: int = 40) -> pdk.Layer:
    """Individual enterprises: compact keys (b BIN, m name, p [lon, lat] rounded, c colour, s score, e employees).

    Higher classes are drawn last so that high-risk enterprises stay on top where points overlap. The rows are
    serialised here, vectorised, and spliced into the deck JSON by CompactDeck: 50 000 points stay well under a
    quarter of a second on the server.
    """
    _require(frame, POINT_COLUMNS, what="enterprise points")
    located = frame[frame["lat"].notna() & frame["lon"].notna()]
    codes = point_class_codes(located, theme=theme)
    order = np.argsort(codes, kind="stable")
    located = located.iloc[order]
    codes = codes[order]
    raw = RawRows(_points_json(located, codes, [c.colour for c in POINT_CLASSES[theme]], name_chars=name_chars),
                  len(located))
    return pdk.Layer(
        "ScatterplotLayer", data=raw, id=POINTS_ID, get_position="p", get_fill_color="c",
        get_radius=400, radius_min_pixels=2.5, radius_max_pixels=9, stroked=True, get_line_color=[255, 255, 255],
        line_width_min_pixels=0.5, pickable=True, auto_highlight=True,
    )


PLAN_RING_ID = "plan-marked"
SETTLEMENTS_ID = "settlements"
SETTLEMENT_LABELS_ID = "settlement-labels"


SELF_RING_ID = "self-assessed"
SELF_RING_COLOUR: tuple[int, int, int] = (156, 39, 176)  # violet: apart from the degree ramp and the plan's white


def ring_layer(frame: pd.DataFrame, *, layer_id: str = PLAN_RING_ID,
               colour: tuple[int, int, int] = (255, 255, 255)) -> pdk.Layer:
    """Rings around enterprises (drawn over points_layer): white for those marked planned or inspected;
    SELF_RING_ID / SELF_RING_COLOUR for those whose only workplace assessment is the employer's self-check."""
    _require(frame, ("lat", "lon"), what="marked enterprises")
    rows = [{"p": [round(float(lo), COORD_DECIMALS), round(float(la), COORD_DECIMALS)]}
            for la, lo in zip(frame["lat"], frame["lon"], strict=True)]
    return pdk.Layer("ScatterplotLayer", data=rows, id=layer_id, get_position="p", filled=False, stroked=True,
                     get_radius=600, radius_min_pixels=7, radius_max_pixels=14, get_line_color=list(colour),
                     line_width_min_pixels=2, pickable=False)


# The share of high-risk enterprises of a settlement, pale to dark (ColorBrewer YlOrRd): a settlement with 8 % high
# reads pale, not red. Blending the three class colours by their shares gave muddy greys, so the ramp is sequential.
MIX_RAMP: tuple[str, ...] = ("#ffffcc", "#fed976", "#fd8d3c", "#e31a1c", "#800026")
MIX_STOPS: tuple[float, ...] = (0.0, 0.1, 0.25, 0.5, 1.0)


def degree_mix_colour(share_high: np.ndarray) -> list[list[int]]:
    """One colour per cluster from its share of high-risk enterprises (not its worst enterprise), interpolated
    along MIX_RAMP at MIX_STOPS."""
    x = np.clip(np.nan_to_num(share_high.astype(float)), 0.0, 1.0)
    ramp = np.array([_rgb(c) for c in MIX_RAMP], dtype=float)
    channels = [np.interp(x, MIX_STOPS, ramp[:, i]) for i in range(3)]
    return [[round(float(r)), round(float(g)), round(float(b)), 230] for r, g, b in zip(*channels, strict=True)]


def settlement_layers(clusters: pd.DataFrame, *, max_radius_px: float = 30.0) -> list[pdk.Layer]:
    """Enterprises of a region grouped by their nearest settlement: circles whose area is proportional to the number
    of enterprises (the largest max_radius_px across, in screen pixels so they read at any zoom), coloured by the
    share of high-risk enterprises, with the settlement's name beside the 25 largest.
    `clusters`: name, lat, lon, n, share_high."""
    _require(clusters, ("name", "lat", "lon", "n", "share_high"), what="settlement clusters")
    colours = degree_mix_colour(clusters["share_high"].to_numpy(dtype=float))
    n = clusters["n"].to_numpy(dtype=float)
    radius = np.maximum(3.0, max_radius_px * np.sqrt(n / max(float(n.max(initial=1.0)), 1.0)))
    rows = [{"p": [round(float(lo), COORD_DECIMALS), round(float(la), COORD_DECIMALS)], "c": c,
             "r": round(float(r), 1), "name": str(name), "n": int(k), "h": round(float(h) * 100, 1)}
            for la, lo, c, r, name, k, h in zip(clusters["lat"], clusters["lon"], colours, radius, clusters["name"],
                                               clusters["n"], clusters["share_high"], strict=True)]
    circles = pdk.Layer("ScatterplotLayer", data=rows, id=SETTLEMENTS_ID, get_position="p", get_fill_color="c",
                        get_radius="r", radius_units="'pixels'", stroked=True, get_line_color=[60, 60, 60],
                        line_width_min_pixels=1, pickable=True, auto_highlight=True)
    biggest = sorted(rows, key=lambda r: -r["n"])[:25]  # labels for the largest clusters only: they stay readable
    labels = pdk.Layer("TextLayer", data=biggest, id=SETTLEMENT_LABELS_ID, get_position="p", get_text="name",
                       get_size=13, size_units="'pixels'", get_color=[30, 30, 30, 255], get_text_anchor="'start'",
                       get_alignment_baseline="'center'", get_pixel_offset="[r + 4, 0]",
                       # Quoted: pydeck turns every bare string into a function ("auto" then breaks deck.gl's font
                       # atlas and no label draws); "auto" lets the atlas hold the names' Cyrillic and Kazakh letters.
                       character_set="'auto'", font_family="'sans-serif'", pickable=False)
    return [circles, labels]


class CompactDeck(pdk.Deck):
    """A Deck whose JSON has no indentation: pydeck indents by 2, which nearly doubles the bytes of point data."""

    def to_json(self) -> str:
        raws: list[RawRows] = []

        def default(o: object) -> object:
            if isinstance(o, RawRows):
                raws.append(o)
                return f"__enbek_raw_rows_{len(raws) - 1}__"
            return default_serialize(o)

        text = json.dumps(self, default=default, separators=(",", ":"))
        for i, raw in enumerate(raws):
            text = text.replace(f'"__enbek_raw_rows_{i}__"', raw.json, 1)
        return text


def tile_style(url: str) -> dict[str, Any]:
    """A MapLibre style with one raster tile source, for deployments that set ENBEK_TILES."""
    return {"version": 8, "sources": {"tiles": {"type": "raster", "tiles": [url], "tileSize": 256}},
            "layers": [{"id": "tiles", "type": "raster", "source": "tiles"}]}


def build_deck(layers: Sequence[pdk.Layer], *, tooltip: Mapping[str, Any] | None, tiles: str = "",
               view: Mapping[str, float] | None = None) -> CompactDeck:
    """The map: no basemap (map_provider None) unless a tile URL is given; region outlines come first."""
    v = dict(view or KZ_VIEW)
    state = pdk.ViewState(latitude=v["latitude"], longitude=v["longitude"], zoom=v["zoom"], pitch=0, bearing=0)
    if tiles:
        # pydeck accepts a style object only with the mapbox provider; a raster-only style needs no token
        return CompactDeck(layers=list(layers), initial_view_state=state, map_provider="mapbox",
                           map_style=tile_style(tiles), tooltip=dict(tooltip) if tooltip else False)
    # Streamlit draws its Carto basemap when mapStyle is missing, but not when it is pydeck's placeholder.
    return CompactDeck(layers=list(layers), initial_view_state=state, map_provider=None, map_style=NO_BASEMAP,
                       tooltip=dict(tooltip) if tooltip else False)


def view_of(lat: np.ndarray, lon: np.ndarray) -> dict[str, float]:
    """A view centred on the given points, zoomed so their extent fits roughly (no viewport maths needed)."""
    ok = np.isfinite(lat) & np.isfinite(lon)
    if not ok.any():
        return dict(KZ_VIEW)
    la, lo = lat[ok], lon[ok]
    lat_lo, lat_hi = np.quantile(la, [0.01, 0.99])
    lon_lo, lon_hi = np.quantile(lo, [0.01, 0.99])
    span = max(float(lon_hi - lon_lo), float(lat_hi - lat_lo) * 1.6, 0.05)
    zoom = float(np.clip(np.log2(360.0 / span) - 0.6, 3.0, 12.0))
    return {"latitude": float((lat_lo + lat_hi) / 2), "longitude": float((lon_lo + lon_hi) / 2), "zoom": round(zoom, 2)}


__all__ = [
    "AGG_COLUMNS",
    "DISTRICT_ID",
    "HEX_ID",
    "MEASURES",
    "OUTLINE_ID",
    "POINTS_ID",
    "POINT_CLASSES",
    "REGION_ID",
    "SELF_RING_COLOUR",
    "SELF_RING_ID",
    "SEQUENTIAL",
    "THEMES",
    "AggMetric",
    "CompactDeck",
    "DeckError",
    "agg_metric",
    "agg_scheme",
    "aggregate",
    "aggregate_inputs",
    "aggregate_value",
    "build_deck",
    "degree_mix_colour",
    "district_layer",
    "hex_layer",
    "outline_layer",
    "point_class_codes",
    "points_layer",
    "region_layer",
    "ring_layer",
    "settlement_layers",
    "view_of",
]
