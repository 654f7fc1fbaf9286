"""Offline folium choropleths of regions: classed colours, hatched 'confidential', white 'no data', a legend with units."""

from __future__ import annotations

import html
import json
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import folium
import numpy as np
import pandas as pd
from branca.element import Element, MacroElement
from jinja2 import Template

# Colour-blind-safe palettes, light -> dark (viridis, reversed so that "more" reads darker) and a
# purple-orange diverging scheme (ColorBrewer PuOr) for changes: purple = fall, orange = rise.
SEQUENTIAL: tuple[str, ...] = ("#fde725", "#7ad151", "#22a884", "#2a788e", "#414487", "#440154")
DIVERGING: tuple[str, ...] = ("#542788", "#998ec3", "#d8daeb", "#fee0b6", "#f1a340", "#b35806")
NO_DATA_FILL = "#ffffff"
NOT_EXISTING_FILL = "#d9d9d9"  # a region not yet created that year (2022 split): never a class colour
CONFIDENTIAL_FILL = "url(#enbek-hatch)"  # an SVG pattern injected into the page
CONFIDENTIAL_SWATCH = "repeating-linear-gradient(45deg,#9e9e9e 0 2px,#ffffff 2px 5px)"
BORDER = "#555555"
KZ_BOUNDS: tuple[tuple[float, float], tuple[float, float]] = ((40.5, 46.4), (55.5, 87.4))

REQUIRED_COLUMNS = ("region", "value", "status", "name", "value_text")
CITY_CODES = frozenset({"71", "75", "79"})  # Astana, Almaty, Shymkent: cities of republican significance
PHONE_LABEL_PX = 9  # the labels' smallest text on a phone (the value is 1 px larger): smaller is not legible


class ChoroplethError(ValueError):
    """The frame or the boundaries given to a map builder do not fit together."""


@dataclass(frozen=True)
class ClassScheme:
    """Class limits (len = classes + 1) and one colour per class."""

    breaks: tuple[float, ...]
    colors: tuple[str, ...]

    def classify(self, values: pd.Series) -> pd.Series:
        """Index of the class of each value (vectorised); -1 for NaN."""
        v = values.to_numpy(dtype=float)
        idx = np.searchsorted(np.asarray(self.breaks[1:-1]), v, side="right")
        idx = np.where(np.isnan(v), -1, idx)
        return pd.Series(idx, index=values.index, dtype=int)

    def color_of(self, values: pd.Series) -> pd.Series:
        idx = self.classify(values)
        palette = np.asarray(self.colors, dtype=object)
        colours = palette[np.clip(idx.to_numpy(), 0, len(self.colors) - 1)]
        return pd.Series(np.where(idx.to_numpy() < 0, None, colours), index=values.index, dtype=object)


def sequential_scheme(values: pd.Series, *, classes: int = 5) -> ClassScheme:
    """Quantile classes of the finite values; fewer classes when there are fewer distinct values."""
    v = np.unique(values.to_numpy(dtype=float)[np.isfinite(values.to_numpy(dtype=float))])
    if v.size == 0:
        return ClassScheme(breaks=(0.0, 0.0), colors=(SEQUENTIAL[0],))
    k = max(1, min(classes, v.size))
    breaks = np.unique(np.quantile(v, np.linspace(0, 1, k + 1)))
    if breaks.size == 1:
        return ClassScheme(breaks=(float(breaks[0]), float(breaks[0])), colors=(SEQUENTIAL[2],))
    n = breaks.size - 1
    # spread the used colours over the whole palette so that few classes still contrast
    pick = np.round(np.linspace(0, len(SEQUENTIAL) - 1, n)).astype(int)
    return ClassScheme(breaks=tuple(float(b) for b in breaks), colors=tuple(SEQUENTIAL[i] for i in pick))


def diverging_scheme(values: pd.Series) -> ClassScheme:
    """Six classes symmetric around zero, for changes."""
    v = values.to_numpy(dtype=float)
    v = v[np.isfinite(v)]
    m = float(np.max(np.abs(v))) if v.size else 1.0
    m = m if m > 0 else 1.0
    breaks = tuple(float(b) for b in np.linspace(-m, m, 7))
    return ClassScheme(breaks=breaks, colors=DIVERGING)


@dataclass(frozen=True)
class MapText:
    """Every visible word of a map, already translated by the caller."""

    title: str  # indicator and period
    unit: str
    region_label: str  # tooltip alias for the region name
    value_label: str  # tooltip alias for the value
    no_data: str
    confidential: str
    attribution: str
    alt: str = ""  # a text alternative sentence
    not_existing: str = ""  # legend entry of regions that did not exist yet (shown only when the map has some)
    km: str = "km"  # the scale bar's unit word (km only: miles mean nothing to a reader in Kazakhstan)


@dataclass(frozen=True)
class LegendEntry:
    label: str
    swatch: str  # a CSS background


def legend_entries(scheme: ClassScheme, *, fmt: Callable[[float], str], text: MapText,
                   not_existing: bool = False) -> list[LegendEntry]:
    entries = [
        LegendEntry(f"{fmt(lo)} – {fmt(hi)}", colour)
        for lo, hi, colour in zip(scheme.breaks[:-1], scheme.breaks[1:], scheme.colors, strict=True)
    ]
    entries.append(LegendEntry(text.confidential, CONFIDENTIAL_SWATCH))
    entries.append(LegendEntry(text.no_data, NO_DATA_FILL))
    if not_existing and text.not_existing:
        entries.append(LegendEntry(text.not_existing, NOT_EXISTING_FILL))
    return entries


_HATCH_SVG = (
    '<svg width="0" height="0" style="position:absolute" aria-hidden="true"><defs>'
    '<pattern id="enbek-hatch" patternUnits="userSpaceOnUse" width="6" height="6" patternTransform="rotate(45)">'
    '<rect width="6" height="6" fill="#ffffff"/><line x1="0" y1="0" x2="0" y2="6" stroke="#9e9e9e" stroke-width="3"/>'
    "</pattern></defs></svg>"
)


def _legend_html(entries: Sequence[LegendEntry], *, text: MapText) -> str:
    rows = "".join(
        f'<div class="enbek-legend-row"><span class="enbek-swatch" style="background:{e.swatch}"></span>'
        f"{html.escape(e.label)}</div>"
        for e in entries
    )
    return (
        "<style>"
        ".leaflet-container{background:#eef3f7;font-family:sans-serif}"
        # the legend's element comes before the map's in the page; the column flex puts it under the map
        "html,body{height:auto!important;margin:0}body{display:flex;flex-direction:column}"
        ".folium-map{flex:none}.enbek-legend{order:2}"
        # below the map (never over the country), its rows wrapping to the width of a phone
        ".enbek-legend{position:static;display:flex;flex-wrap:wrap;align-items:center;gap:2px 12px;background:#fff;"
        "padding:4px 6px;font:12px/1.35 sans-serif}"
        ".enbek-legend-title{font-weight:bold;flex-basis:100%}"
        ".enbek-legend-unit{flex-basis:100%;color:#444}"
        ".enbek-legend-row{display:flex;align-items:center;gap:6px}"
        # a label is as wide as its text (a fixed box let long names run out of it, past the map's edge); it sits
        # centred on its point (a city's below-right of it) until the placing script has measured it
        ".enbek-label{position:absolute;left:0;top:0;width:max-content;transform:translate(-50%,-50%);"
        "background:none;border:none;box-shadow:none;text-align:center;white-space:nowrap;"
        "font:10px/1.15 sans-serif;color:#111;text-shadow:0 0 2px #fff,0 0 2px #fff,0 0 3px #fff;pointer-events:none}"
        ".enbek-label-city{transform:translate(4px,4px)}"
        ".enbek-leader{position:absolute;left:0;top:0;overflow:visible}"
        ".enbek-leader line{stroke:#222;stroke-width:0.8}.enbek-leader circle{fill:#111;stroke:#fff;stroke-width:0.8}"
        # the label's marker box too: a click on a name reaches the region under it (and picks it)
        ".enbek-label-icon{pointer-events:none!important}"
        ".enbek-label b{font-size:11px}"
        # a phone keeps the names (smaller, never under 9 px) and a one-line credit that does not run over the scale bar
        ".leaflet-control-attribution{font-size:10px;max-width:70%;white-space:nowrap;overflow:hidden;text-overflow:ellipsis}"
        f"@media (max-width:480px){{.enbek-label{{font-size:{PHONE_LABEL_PX}px;line-height:1.05}}"
        f".enbek-label b{{font-size:{PHONE_LABEL_PX + 1}px}}}}"
        ".enbek-swatch{display:inline-block;width:18px;height:12px;border:1px solid #555;flex:none}"
        "</style>"
        f'{_HATCH_SVG}<div class="enbek-legend" role="img" aria-label="{html.escape(text.title)}">'
        f'<div class="enbek-legend-title">{html.escape(text.title)}</div>'
        f'<div class="enbek-legend-unit">{html.escape(text.unit)}</div>{rows}</div>'
    )


class _ScaleKm(MacroElement):
    """A metric-only scale bar whose unit word is the reader's ("км" in kk and ru)."""

    _template = Template(
        "{% macro script(this, kwargs) %}"
        "var {{ this.get_name() }} = L.control.scale({imperial: false, metric: true, maxWidth: 110});"
        "{{ this.get_name() }}._updateMetric = function (maxMeters) {"
        "  var meters = this._getRoundNum(maxMeters);"
        "  this._updateScale(this._mScale, (meters / 1000) + ' ' + {{ this.km|tojson }}, meters / maxMeters); };"
        "{{ this.get_name() }}.addTo({{ this._parent.get_name() }});"
        "{% endmacro %}"
    )

    def __init__(self, km: str) -> None:
        super().__init__()
        self._name = "ScaleKm"
        self.km = km


def label_points(geojson: Mapping[str, Any]) -> dict[str, tuple[float, float]]:
    """A point inside each region (lat, lon) for its label: shapely's representative point, which unlike the
    centroid always lies inside the polygon (Almaty region wraps around Almaty city)."""
    from shapely.geometry import shape

    points: dict[str, tuple[float, float]] = {}
    for feature in geojson.get("features", []):
        point = shape(feature["geometry"]).representative_point()
        points[str(feature.get("properties", {}).get("kato"))] = (float(point.y), float(point.x))
    return points


_GENERIC_WORDS = ("облысы", "область", "Region")


def _short_name(name: str) -> str:
    """A region's name without the generic word ('Karaganda Region' -> 'Karaganda', 'область Абай' -> 'Абай'), so
    that 20 labels fit on a phone; cities keep theirs (Almaty city is not Almaty region). The full name is in the
    tooltip, the ranking and the text alternative."""
    words = [w for w in name.split() if w not in _GENERIC_WORDS]
    return " ".join(words) or name


PICK_MESSAGE = "enbek-region-pick"  # the postMessage type a click on a region sends to the page around the map


class _PickMessage(MacroElement):
    """A click on a region posts {type: PICK_MESSAGE, kato} to the page that embeds the map (the map is an iframe
    and cannot call Streamlit itself; dashboard.map_pick listens and turns the message into a selection)."""

    _template = Template(
        "{% macro script(this, kwargs) %}"
        "{{ this.layer.get_name() }}.on('click', function (e) {"
        "  var f = (e.propagatedFrom || e.layer || {}).feature;"
        "  if (!f || !f.properties || !window.parent || window.parent === window) { return; }"
        "  window.parent.postMessage({type: {{ this.kind|tojson }}, kato: String(f.properties.kato)}, '*');"
        "});"
        "{% endmacro %}"
    )

    def __init__(self, layer: folium.GeoJson) -> None:
        super().__init__()
        self._name = "PickMessage"
        self.layer = layer
        self.kind = PICK_MESSAGE


class _Attribution(MacroElement):
    """Adds a line to Leaflet's attribution control (there is no tile layer to carry one)."""

    _template = Template(
        "{% macro script(this, kwargs) %}"
        "{{ this._parent.get_name() }}.attributionControl.setPrefix(false);"
        "{{ this._parent.get_name() }}.attributionControl.addAttribution({{ this.text|tojson }});"
        "{% endmacro %}"
    )

    def __init__(self, text: str) -> None:
        super().__init__()
        self._name = "Attribution"
        self.text = text


def _features(geojson: Mapping[str, Any], frame: pd.DataFrame, *, colours: pd.Series) -> dict[str, Any]:
    by_region = frame.set_index("region")
    features = []
    for feature in geojson.get("features", []):
        code = str(feature.get("properties", {}).get("kato"))
        if code not in by_region.index:
            continue  # a unit not on this basis (e.g. a 2022 child on the harmonised basis) is not drawn
        row = by_region.loc[code]
        f = {"type": "Feature", "geometry": feature["geometry"], "properties": {
            "kato": code,
            "name": str(row["name"]),
            "value_text": str(row["value_text"]),
            "fill": colours.loc[code],
        }}
        features.append(f)
    unknown = sorted(set(by_region.index) - {str(f.get("properties", {}).get("kato")) for f in geojson.get("features", [])})
    if unknown:
        raise ChoroplethError(f"regions without a boundary: {', '.join(unknown)}; boundaries have kato "
                              f"{', '.join(sorted(str(f.get('properties', {}).get('kato')) for f in geojson.get('features', [])))}")
    return {"type": "FeatureCollection", "features": features}


def fill_colours(frame: pd.DataFrame, scheme: ClassScheme) -> pd.Series:
    """Fill per region: class colour for 'ok', the hatch for 'confidential', grey for 'not_existing', white for
    'no_data' or NaN."""
    colours = scheme.color_of(frame["value"].astype(float))
    status = frame["status"].astype(str)
    colours = colours.where(status == "ok", None)
    colours = colours.where(status != "confidential", CONFIDENTIAL_FILL)
    colours = colours.where(status != "not_existing", NOT_EXISTING_FILL)
    colours = colours.where(colours.notna(), NO_DATA_FILL)
    return pd.Series(colours.to_numpy(), index=frame["region"].astype(str).to_numpy())


def build_choropleth(
    *,
    frame: pd.DataFrame,
    geojson: Mapping[str, Any],
    text: MapText,
    fmt: Callable[[float], str],
    leaflet_js: str,
    leaflet_css: str,
    diverging: bool = False,
    highlight: str | None = None,
    tiles: str | None = None,
    height: int = 460,
    pickable: bool = False,
    label_at: Mapping[str, tuple[float, float]] | None = None,
) -> folium.Map:
    """A Leaflet map of the regions in `frame` (columns region, value, status, name, value_text).

    Leaflet is loaded from `leaflet_js`/`leaflet_css` only (no CDN); tiles are drawn only when given. `pickable`:
    a click on a region posts its KATO code to the embedding page (PICK_MESSAGE). `label_at`: label_points(geojson)
    computed once by the caller (the same boundaries serve every map), else computed here.
    """
    missing_cols = [c for c in REQUIRED_COLUMNS if c not in frame.columns]
    if missing_cols:
        raise ChoroplethError(f"map frame lacks columns {', '.join(missing_cols)}; has {', '.join(map(str, frame.columns))}")
    if frame["region"].duplicated().any():
        dup = ", ".join(sorted(frame.loc[frame["region"].duplicated(), "region"].astype(str)))
        raise ChoroplethError(f"map frame has more than one row for region(s) {dup}")
    frame = frame.assign(region=frame["region"].astype(str))
    ok_values = frame.loc[frame["status"] == "ok", "value"].astype(float)
    scheme = diverging_scheme(ok_values) if diverging else sequential_scheme(ok_values)
    colours = fill_colours(frame, scheme)
    collection = _features(geojson, frame, colours=colours)

    m = folium.Map(
        location=[48.0, 67.0],
        zoom_start=4,
        tiles=None,
        zoom_snap=0.25,
        scrollWheelZoom=False,
        control_scale=False,  # ours below: km only, in the reader's language
        prefer_canvas=False,
        height=height,
    )
    # The instance attributes replace folium's CDN defaults (jQuery, Bootstrap, awesome-markers are unused).
    m.default_js = [("leaflet", leaflet_js)]
    m.default_css = [("leaflet_css", leaflet_css)]
    if tiles:
        folium.TileLayer(tiles=tiles, attr=text.attribution, name="basemap").add_to(m)

    def style(feature: dict[str, Any]) -> dict[str, Any]:
        code = feature["properties"]["kato"]
        chosen = code == highlight
        return {
            "fillColor": feature["properties"]["fill"],
            "fillOpacity": 0.9,
            "color": "#d7301f" if chosen else BORDER,
            "weight": 3.5 if chosen else 0.8,
        }

    layer = folium.GeoJson(
        collection,
        name="regions",
        style_function=style,
        highlight_function=lambda _f: {"weight": 3, "color": "#000000"},
        tooltip=folium.GeoJsonTooltip(
            fields=["name", "value_text"], aliases=[text.region_label, text.value_label], sticky=True
        ),
    )
    layer.add_to(m)
    if pickable:
        m.add_child(_PickMessage(layer))
    m.fit_bounds([list(KZ_BOUNDS[0]), list(KZ_BOUNDS[1])])
    root: Any = m.get_root()
    root.html.add_child(Element(_legend_html(legend_entries(
        scheme, fmt=fmt, text=text, not_existing=bool((frame["status"] == "not_existing").any())), text=text)))
    m.add_child(_Attribution(text.attribution))
    m.add_child(_ScaleKm(text.km))
    # Permanent labels (short name, value in the legend's units): a phone or print reader cannot hover a tooltip.
    drawn = [str(f["properties"]["kato"]) for f in collection["features"]]
    points = ({c: label_at[c] for c in drawn if c in label_at} if label_at is not None else label_points(collection))
    shown = frame.set_index("region")
    labels: list[tuple[tuple[float, float], dict[str, Any]]] = []
    for code, (lat, lon) in points.items():
        row = shown.loc[code]
        value = str(row["value_text"]) if str(row["status"]) == "ok" else ""
        label = f"<span>{html.escape(_short_name(str(row['name'])))}<br></span><b>{html.escape(value)}</b>"
        # a city sits inside or beside a region: its label hangs beside the city (below-right first) so both stay
        # readable; the placing script knows it by its class
        city = code in CITY_CODES
        kind = "enbek-label enbek-label-city" if city else "enbek-label"
        # a leader line (drawn by the script when a label had to move away from its place) and a city's dot
        leader = ('<svg class="enbek-leader" width="1" height="1" aria-hidden="true"><line x1="0" y1="0" x2="0" y2="0"/>'
                  + ('<circle cx="0" cy="0" r="2"/>' if city else "") + "</svg>")
        # no icon size: the marker is a point and the label inside it as wide as its text (the script measures it)
        labels.append(((lat, lon), {
            "html": f'{leader}<div class="{kind}" data-kato="{html.escape(code)}">{label}</div>',
            "iconSize": None, "className": "enbek-label-icon"}))
    m.add_child(_Labels(labels, regions=layer))
    return m


def _script_json(value: Any) -> str:
    """JSON for inside a <script> (as jinja's tojson writes it: no raw <, > or &), one key per line."""
    text = json.dumps(value, indent=2, ensure_ascii=False)
    return text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")


# Places the labels inside the map and apart from each other, in the browser, where the sizes of the texts and of the
# map are known: Leaflet fits the country to the frame, so on a 390 px phone the outermost labels (West and East
# Kazakhstan) reached past the container's edges and were cut, and the small cities' labels covered their regions'.
# Every label starts at its point (a city's below-right of its dot) and may try positions nearby; each position is
# first shifted inside the map (a label at the right edge ends at the edge). A position costs, in this order of
# weight: the pixels it covers of other labels, of the map's controls (zoom buttons, scale bar, credit line) and of
# the cities' dots; whether a region's label has left its own region (Zhambyl's name must not sit on Turkestan); its
# distance from the start (twice over outside its region: a long leader line is hard to follow). Rounds of "each
# label moves to its cheapest position, given where the others are" and of "a label away from its best position takes
# it and moves the labels in its way" run until nothing moves, once from the start and once after simulated annealing
# (fixed seed); the cheaper result is kept. A label that had to leave its region (or its city's dot) gets a leader
# line to its point. Runs again after every zoom, pan and resize; a label whose point is off the map is hidden rather
# than pushed to an edge. A run took 12-80 ms in headless Chromium on a loaded 2-core machine (20 labels, 117
# positions each; single runs up to 300 ms while other jobs ran).
_PLACE_LABELS_JS = """
function enbekPlaceLabels(map, markers, regions) {
  var size = map.getSize(), W = size.x, H = size.y;
  if (!W || !H) { return; }
  var frame = map.getContainer().getBoundingClientRect();
  var GAP = 1, EDGE = 1, COVER = 1000, STRAY = 400, ROUNDS = 12;  /* px between labels, px from the edge */
  var controls = [];
  Array.prototype.forEach.call(map.getContainer().querySelectorAll('.leaflet-control'), function (c) {
    var r = c.getBoundingClientRect();
    if (r.width > 0 && r.height > 0) { controls.push({x: r.left - frame.left, y: r.top - frame.top, w: r.width, h: r.height}); }
  });
  /* each region's rings in container pixels, for "is this point inside the label's own region" */
  var rings = {};
  if (regions) {
    regions.eachLayer(function (l) {
      if (!l.feature || !l.getLatLngs) { return; }
      var out = [];
      (function walk(a) {
        if (a.length && a[0] instanceof L.LatLng) {
          out.push(a.map(function (ll) { return map.latLngToContainerPoint(ll); }));
        } else { a.forEach(walk); }
      })(l.getLatLngs());
      rings[String(l.feature.properties.kato)] = out;
    });
  }
  function inside(code, x, y) {
    var rs = rings[code];
    if (!rs) { return true; }
    var hit = false;
    rs.forEach(function (r) {
      for (var i = 0, j = r.length - 1; i < r.length; j = i++) {
        if ((r[i].y > y) !== (r[j].y > y) && x < (r[j].x - r[i].x) * (y - r[i].y) / (r[j].y - r[i].y) + r[i].x) { hit = !hit; }
      }
    });
    return hit;
  }
  function within(code, b) {  /* a label is in its region when its middle, or the middle of its left or right third, is */
    var y = b.y + b.h / 2;
    return inside(code, b.x + b.w / 2, y) || inside(code, b.x + b.w / 6, y) || inside(code, b.x + 5 * b.w / 6, y);
  }
  function cover(b, t) {  /* the pixels two boxes share, each grown by half the gap (the same either way round) */
    var dx = Math.min(b.x + b.w, t.x + t.w) - Math.max(b.x, t.x) + GAP;
    var dy = Math.min(b.y + b.h, t.y + t.h) - Math.max(b.y, t.y) + GAP;
    return dx > 0 && dy > 0 ? dx * dy : 0;
  }
  /* where Leaflet puts a marker once it is still (the page's boxes lag a fraction of a pixel behind a zoom) */
  function at(m) { return map.layerPointToContainerPoint(map.latLngToLayerPoint(m.getLatLng()).round()); }
  /* a city's dot is as much in the way as a control: no label may cover it */
  markers.forEach(function (m) {
    var icon = m.getElement();
    if (!icon || !icon.querySelector('.enbek-label-city')) { return; }
    var p = at(m);
    controls.push({x: p.x - 3, y: p.y - 3, w: 6, h: 6});
  });
  var items = [];
  markers.forEach(function (m) {
    var icon = m.getElement(), label = icon && icon.querySelector('.enbek-label');
    if (!label) { return; }
    var p = at(m), px = p.x, py = p.y;
    if (px < 0 || py < 0 || px > W || py > H) { label.style.visibility = 'hidden'; return; }
    label.style.visibility = '';
    /* layout sizes (a zoom's scaling does not change them), one pixel more for their rounding */
    var w = label.offsetWidth + 1, h = label.offsetHeight + 1;
    var city = label.classList.contains('enbek-label-city'), offsets = [], i, j;
    if (city) {
      [4, -w / 2, -w - 4].forEach(function (dx) { [4, -h / 2, -h - 4, h + 4, -2 * h - 4].forEach(function (dy) {
        if (!(dx === -w / 2 && dy === -h / 2)) { offsets.push([dx, dy]); }
      }); });
    } else {
      for (i = -4; i <= 4; i++) { for (j = -6; j <= 6; j++) { offsets.push([-w / 2 + i * w / 6, -h / 2 + j * h / 2]); } }
    }
    var home = city ? [px + 4, py + 4] : [px - w / 2, py - h / 2];
    var spots = offsets.map(function (d) {
      var x = Math.max(EDGE, Math.min(W - w - EDGE, px + d[0])), y = Math.max(EDGE, Math.min(H - h - EDGE, py + d[1]));
      var b = {x: x, y: y, w: w, h: h}, fixed = Math.hypot(x - home[0], y - home[1]);
      controls.forEach(function (c) { fixed += COVER * cover(b, c); });
      /* outside its region a label needs a leader line, and a long line is hard to follow: distance counts twice */
      if (!city && !within(label.getAttribute('data-kato'), b)) { fixed += STRAY + Math.hypot(x - home[0], y - home[1]); }
      return {box: b, fixed: fixed};
    }).sort(function (a, b) { return a.fixed - b.fixed; });
    items.push({label: label, line: icon.querySelector('.enbek-leader line'), px: px, py: py, w: w, city: city,
                code: label.getAttribute('data-kato'), spots: spots, at: spots[0]});
  });
  items.sort(function (a, b) { return (b.city - a.city) || (b.w - a.w); });
  function clash(s, it) {
    var sum = 0;
    items.forEach(function (other) { if (other !== it) { sum += COVER * cover(s.box, other.at.box); } });
    return sum;
  }
  function cheapest(it) {
    var best = it.at, bestCost = it.at.fixed + clash(it.at, it);
    it.spots.forEach(function (s) {
      if (s.fixed >= bestCost) { return; }
      var cost = s.fixed + clash(s, it);
      if (cost < bestCost) { best = s; bestCost = cost; }
    });
    return best;
  }
  function total() {
    var sum = 0;
    items.forEach(function (it, i) {
      sum += it.at.fixed;
      for (var j = i + 1; j < items.length; j++) { sum += COVER * cover(it.at.box, items[j].at.box); }
    });
    return sum;
  }
  /* simulated annealing (a fixed seed: the same map always gets the same labels): a label tries a random spot and
     takes it when that costs less or, while the temperature is high, a little more; so two labels can trade places,
     which moves of one label at a time never do */
  var seed = 20261130;
  function random() {  /* mulberry32 */
    seed = (seed + 0x6D2B79F5) | 0;
    var t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  function anneal() {
    for (var T = 3000; items.length > 1 && T > 5; T *= 0.85) {
      for (var k = 0; k < 20 * items.length; k++) {
        var it = items[Math.floor(random() * items.length)], s = it.spots[Math.floor(random() * it.spots.length)];
        if (s === it.at) { continue; }
        var delta = s.fixed + clash(s, it) - it.at.fixed - clash(it.at, it);
        if (delta <= 0 || random() < Math.exp(-delta / T)) { it.at = s; }
      }
    }
  }
  function polish() {
    for (var round = 0; round < ROUNDS; round++) {
      var moved = false;
      /* each label, in turn, takes its cheapest spot given the others */
      items.forEach(function (it) {
        var best = cheapest(it);
        if (best !== it.at) { it.at = best; moved = true; }
      });
      /* a label away from its best spot tries it, moving the one or two labels in the way to their cheapest spots
         (Kostanay's name steps left so that Akmola's fits in Akmola); kept only when the whole map costs less */
      items.forEach(function (it) {
        var now = total();
        for (var n = 0; n < it.spots.length && it.spots[n] !== it.at; n++) {
          var s = it.spots[n];
          var blockers = items.filter(function (o) { return o !== it && cover(s.box, o.at.box) > 0; });
          if (blockers.length === 0 || blockers.length > 2) { continue; }
          var before = [it.at].concat(blockers.map(function (o) { return o.at; }));
          it.at = s;
          blockers.forEach(function (o) { o.at = cheapest(o); });
          if (total() < now - 0.5) { moved = true; break; }
          it.at = before[0];
          blockers.forEach(function (o, b) { o.at = before[b + 1]; });
        }
      });
      if (!moved) { break; }
    }
  }
  /* two searches from every label at its start, one polished directly, one annealed first; the cheaper map wins
     (neither is best on every map: measured on the phone pages in kk and ru at 288 to 500 px) */
  function settle(annealFirst) {
    items.forEach(function (it) { it.at = it.spots[0]; });
    if (annealFirst) { anneal(); }
    polish();
    return total();
  }
  var plain = settle(false), kept = items.map(function (it) { return it.at; });
  if (settle(true) > plain) { items.forEach(function (it, i) { it.at = kept[i]; }); }
  items.forEach(function (it) {
    var b = it.at.box;
    it.label.style.transform = 'translate(' + (b.x - it.px) + 'px,' + (b.y - it.py) + 'px)';
    /* a leader from the point to the nearest edge of its label, when the label left its region (or its city) */
    var qx = Math.max(b.x, Math.min(b.x + b.w, it.px)), qy = Math.max(b.y, Math.min(b.y + b.h, it.py));
    var away = it.city ? Math.hypot(qx - it.px, qy - it.py) > 6
      : !within(it.code, b);
    if (it.line) {
      it.line.setAttribute('x2', away ? qx - it.px : 0);
      it.line.setAttribute('y2', away ? qy - it.py : 0);
    }
  });
}
"""


class _Labels(MacroElement):
    """The region labels as one script block: 20 folium Marker + DivIcon pairs cost ~40 elements, each with its own
    compiled template and random id, and made up a third of a map page's build time; the markers are the same. The
    placing script (above) keeps them inside the map and apart."""

    _template = Template(
        "{% macro script(this, kwargs) %}"
        "{{ this.place_js }}"
        "(function (map) {\n"
        "var markers = [\n"
        "{% for location, icon in this.items %}"
        "L.marker({{ location }}, {}).setIcon(L.divIcon({{ icon }})).addTo(map),\n"
        "{% endfor %}"
        "];\n"
        "var place = function () { enbekPlaceLabels(map, markers, {{ this.regions }}); };\n"
        "map.on('zoomend moveend resize', place);\n"
        "place();\n"
        "window.addEventListener('load', place);\n"
        "if (document.fonts && document.fonts.ready) { document.fonts.ready.then(place); }\n"
        "})({{ this._parent.get_name() }});\n"
        "{% endmacro %}"
    )

    def __init__(self, labels: Sequence[tuple[tuple[float, float], dict[str, Any]]], *,
                 regions: folium.GeoJson | None = None) -> None:
        super().__init__()
        self._name = "Labels"
        self.regions = regions.get_name() if regions is not None else "null"  # the layer whose regions hold the labels
        self.items = [(json.dumps([lat, lon]), _script_json(icon)) for (lat, lon), icon in labels]
        self.place_js = _PLACE_LABELS_JS


def map_html(m: folium.Map) -> str:
    """The complete HTML page of a map, for an iframe."""
    return str(m.get_root().render())


def external_urls(page: str) -> list[str]:
    """Every http(s) URL a rendered map page would fetch (used to prove the map works offline)."""
    return sorted(set(re.findall(r"""(?:src|href)=["'](https?://[^"']+)""", page)))
