"""Static (print) charts for the briefing pack: region choropleth, ranking, trends, bars — matplotlib PNG bytes."""

from __future__ import annotations

import io
import textwrap
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")  # no display: charts are rendered to bytes

import geopandas as gpd
import matplotlib.pyplot as plt
import matplotlib.ticker
import matplotlib.transforms
import numpy as np
import pandas as pd
from matplotlib import patheffects
from matplotlib.figure import Figure
from matplotlib.patches import Patch

from layers.choropleth import SEQUENTIAL, sequential_scheme

# Okabe-Ito (as layers/charts.py): distinguishable with every common colour-vision deficiency.
CATEGORICAL: tuple[str, ...] = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000")
HIGHLIGHT = "#E69F00"
BAR = "#0072B2"
TARGET = "#000000"
CONFIDENTIAL_HATCH = "////"
CONFIDENTIAL_EDGE = "#7a7a7a"
NO_DATA_FILL = "#ffffff"
BORDER = "#4d4d4d"
DPI = 170  # sharp enough on paper, quick to render and embed
FONT_FAMILY = "DejaVu Sans"  # matplotlib's bundled font: Cyrillic and all Kazakh letters

# Kazakhstan Albers equal-area conic (as geo.boundaries): the country's familiar shape, true areas.
MAP_CRS = "+proj=aea +lat_0=48 +lon_0=68 +lat_1=44 +lat_2=52 +x_0=0 +y_0=0 +datum=WGS84 +units=m +no_defs"
# The three cities are enclaves a few km wide: their labels sit outside, joined by a leader line
# (offsets in km in MAP_CRS). Everything else is labelled at its representative point.
CITY_LABEL_OFFSETS_KM: dict[str, tuple[float, float]] = {"71": (170.0, -75.0), "75": (170.0, -150.0), "79": (-250.0, -90.0)}
# Nudges (km) where two labels would touch on an A4 page.
LABEL_NUDGES_KM: dict[str, tuple[float, float]] = {"11": (-90.0, -40.0), "62": (0.0, 40.0), "35": (80.0, 0.0)}


class StaticChartError(ValueError):
    """A static chart was given a frame without the columns it needs."""


def _require(frame: pd.DataFrame, columns: Sequence[str], *, chart: str) -> None:
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise StaticChartError(f"{chart}: frame lacks columns {', '.join(missing)}; has {', '.join(map(str, frame.columns))}")


def font_path(*, bold: bool = False) -> Path:
    """The TTF bundled with matplotlib (also embedded in the PDF, so charts and text match)."""
    name = "DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf"
    return Path(matplotlib.get_data_path()) / "fonts" / "ttf" / name


@contextmanager
def _style() -> Iterator[None]:
    with plt.rc_context({
        "font.family": FONT_FAMILY,
        "font.size": 8,
        "axes.titlesize": 9,
        "axes.titleweight": "bold",
        "axes.labelsize": 8,
        "axes.spines.top": False,
        "axes.spines.right": False,
        "xtick.labelsize": 7,
        "ytick.labelsize": 7,
        "legend.fontsize": 7,
        "svg.hashsalt": "enbek",
        "axes.unicode_minus": True,
    }):
        yield


def _png(fig: Figure, *, dpi: int) -> bytes:
    buf = io.BytesIO()
    # no Software/date metadata: the same data gives the same bytes
    # fast zlib level: the PDF writer re-compresses the pixels anyway
    fig.savefig(buf, format="png", dpi=dpi, metadata={"Software": None}, facecolor="white",
                pil_kwargs={"compress_level": 1})
    plt.close(fig)
    return buf.getvalue()


# --- choropleth --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class MapText:
    """Every visible word of the static map, already translated."""

    unit: str
    confidential: str
    no_data: str
    attribution: str
    title: str = ""
    not_existing: str = ""  # legend entry of regions that did not exist yet (2022 split); shown when some are drawn


NOT_EXISTING_FILL = "#d9d9d9"


def _luminance(hex_colour: str) -> float:
    r, g, b = (int(hex_colour[i:i + 2], 16) / 255 for i in (1, 3, 5))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def choropleth_png(
    *,
    boundaries: gpd.GeoDataFrame,
    frame: pd.DataFrame,
    labels: Mapping[str, str],
    text: MapText,
    fmt: Callable[[float], str],
    highlight: str | None = None,
    width_in: float = 7.1,
    height_in: float = 4.4,
    dpi: int = DPI,
) -> bytes:
    """Regions coloured by `value` in quantile classes (as the dashboard map); `status` 'confidential' hatched
    grey, 'no_data' white; each region labelled with its name and value; legend with units; attribution."""
    _require(frame, ("region", "value", "status"), chart="choropleth")
    _require(boundaries, ("kato", "geometry"), chart="choropleth boundaries")
    geo = boundaries[["kato", "geometry"]].assign(kato=boundaries["kato"].astype(str)).to_crs(MAP_CRS)
    data = frame.assign(region=frame["region"].astype(str)).set_index("region")
    unknown = sorted(set(data.index) - set(geo["kato"]))
    if unknown:
        raise StaticChartError(f"choropleth: regions without a boundary: {', '.join(unknown)}")
    geo = geo[geo["kato"].isin(data.index)].reset_index(drop=True)
    values = data["value"].astype(float).where(data["status"].astype(str) == "ok")
    scheme = sequential_scheme(values.dropna())
    colours = scheme.color_of(values)
    status = data["status"].astype(str).reindex(geo["kato"]).to_numpy()
    fills = np.array([colours.get(k) or NO_DATA_FILL for k in geo["kato"]], dtype=object)
    with _style():
        fig, ax = plt.subplots(figsize=(width_in, height_in))
        fig.subplots_adjust(left=0.0, right=1.0, top=1.0, bottom=0.0)
        ok = status == "ok"
        conf = status == "confidential"
        nex = status == "not_existing"
        nod = ~ok & ~conf & ~nex
        if ok.any():
            geo[ok].plot(ax=ax, color=list(fills[ok]), edgecolor=BORDER, linewidth=0.5)
        if conf.any():
            geo[conf].plot(ax=ax, facecolor="#ffffff", edgecolor=CONFIDENTIAL_EDGE, hatch=CONFIDENTIAL_HATCH, linewidth=0.5)
            geo[conf].boundary.plot(ax=ax, color=BORDER, linewidth=0.5)
        if nod.any():
            geo[nod].plot(ax=ax, facecolor=NO_DATA_FILL, edgecolor=BORDER, linewidth=0.5)
        if nex.any():
            geo[nex].plot(ax=ax, facecolor=NOT_EXISTING_FILL, edgecolor=BORDER, linewidth=0.5)
        if highlight is not None and highlight in set(geo["kato"]):
            geo[geo["kato"] == highlight].boundary.plot(ax=ax, color="#000000", linewidth=2.2)
        halo = [patheffects.withStroke(linewidth=2.2, foreground="white")]
        points = geo.representative_point()
        for code, pt, st in zip(geo["kato"], points, status, strict=True):
            value_text = fmt(float(values.get(code, np.nan))) if st == "ok" else ("C" if st == "confidential" else "–")
            label = f"{labels.get(code, code)}\n{value_text}"
            x, y = pt.x, pt.y
            weight = "bold" if code == highlight else "normal"
            if code in CITY_LABEL_OFFSETS_KM:
                dx, dy = CITY_LABEL_OFFSETS_KM[code]
                ax.plot([x], [y], marker="o", markersize=3.2, color="#000000", zorder=5)
                ax.annotate(label, xy=(x, y), xytext=(x + dx * 1000, y + dy * 1000), ha="center", va="center",
                            fontsize=6.2, weight=weight, path_effects=halo, zorder=6,
                            arrowprops={"arrowstyle": "-", "color": "#333333", "linewidth": 0.6, "shrinkA": 0, "shrinkB": 2})
            else:
                nx, ny = LABEL_NUDGES_KM.get(code, (0.0, 0.0))
                ax.text(x + nx * 1000, y + ny * 1000, label, ha="center", va="center", fontsize=6.5, weight=weight,
                        path_effects=halo, zorder=6, linespacing=1.05)
        handles = [Patch(facecolor=c, edgecolor=BORDER, linewidth=0.5, label=f"{fmt(lo)} – {fmt(hi)}")
                   for lo, hi, c in zip(scheme.breaks[:-1], scheme.breaks[1:], scheme.colors, strict=True)]
        if not values.notna().any():
            handles = []
        handles.append(Patch(facecolor="#ffffff", edgecolor=CONFIDENTIAL_EDGE, hatch=CONFIDENTIAL_HATCH, label=text.confidential))
        handles.append(Patch(facecolor=NO_DATA_FILL, edgecolor=BORDER, linewidth=0.5, label=text.no_data))
        if nex.any() and text.not_existing:
            handles.append(Patch(facecolor=NOT_EXISTING_FILL, edgecolor=BORDER, linewidth=0.5, label=text.not_existing))
        legend = ax.legend(handles=handles, title=text.unit, loc="lower left", frameon=True, fontsize=6.5,
                           title_fontsize=7, borderpad=0.6, handlelength=1.6, handleheight=1.1)
        legend.get_frame().set_edgecolor("#999999")
        ax.text(0.995, 0.005, text.attribution, transform=ax.transAxes, ha="right", va="bottom", fontsize=5.5, color="#555555")
        if text.title:
            ax.set_title(text.title, loc="left")
        ax.set_axis_off()
        xmin, ymin, xmax, ymax = geo.total_bounds
        padx, pady = (xmax - xmin) * 0.02, (ymax - ymin) * 0.04
        ax.set_xlim(xmin - padx, xmax + padx)
        ax.set_ylim(ymin - pady * 5, ymax + pady)  # room below for the legend
        ax.set_aspect("equal")
        return _png(fig, dpi=dpi)


# --- bar charts ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class BarPanel:
    """One horizontal bar panel: `label`, `value`, optional `lo`/`hi`, `status`, `highlight` columns."""

    frame: pd.DataFrame
    title: str
    fmt: Callable[[float], str]
    reference: float | None = None  # a vertical line (e.g. the national value or a target)
    reference_label: str = ""
    confidential: str = "C"
    no_data: str = "–"
    value_labels: bool = True


def bars_png(
    panels: Sequence[BarPanel],
    *,
    width_in: float = 7.1,
    height_in: float | None = None,
    dpi: int = DPI,
    share_y: bool = True,
) -> bytes:
    """Horizontal bars, highest on top, one panel per indicator side by side (same row order); non-'ok'
    rows get an empty hatched bar and their status word instead of a value."""
    if not panels:
        raise StaticChartError("bars_png needs at least one panel")
    for p in panels:
        _require(p.frame, ("label", "value"), chart=f"bars {p.title!r}")
    n_rows = len(panels[0].frame)
    h = height_in if height_in is not None else max(1.6, 0.24 * n_rows + 0.9)
    with _style():
        fig, axes = plt.subplots(1, len(panels), figsize=(width_in, h), sharey=share_y, squeeze=False)
        for i, (ax, p) in enumerate(zip(axes[0], panels, strict=True)):
            f = p.frame.reset_index(drop=True)
            y = np.arange(len(f))[::-1]
            vals = f["value"].astype(float).to_numpy()
            status = f["status"].astype(str).to_numpy() if "status" in f.columns else np.where(np.isnan(vals), "no_data", "ok")
            hi_mask = f["highlight"].astype(bool).to_numpy() if "highlight" in f.columns else np.zeros(len(f), bool)
            colours = np.where(hi_mask, HIGHLIGHT, BAR)
            shown = np.where(np.isnan(vals), 0.0, vals)
            ax.barh(y, shown, color=list(colours), height=0.7, zorder=2)
            finite = vals[np.isfinite(vals)]
            top = float(finite.max()) if finite.size else 0.0
            if p.reference is not None and np.isfinite(p.reference):
                top = max(top, float(p.reference))
            span = top if top > 0 else 1.0
            # the axis follows the values, not the intervals: a tiny group's interval (0 of 6 workers) would
            # squash every bar; whiskers beyond the axis are cut at its edge and end in an arrow-like cap
            limit = span * 1.22
            label_at = np.where(np.isnan(vals), 0.0, vals)
            if {"lo", "hi"} <= set(f.columns):
                lo = f["lo"].astype(float).to_numpy()
                hi = f["hi"].astype(float).to_numpy()
                has = np.isfinite(lo) & np.isfinite(hi) & np.isfinite(vals)
                cut = np.minimum(hi, limit * 0.97)
                label_at = np.fmax(label_at, np.where(has, cut, label_at))
                if has.any():
                    ax.errorbar(vals[has], y[has], xerr=[vals[has] - lo[has], cut[has] - vals[has]], fmt="none",
                                ecolor="#333333", elinewidth=0.7, capsize=1.8, zorder=3)
                    clipped = has & (hi > cut)
                    if clipped.any():
                        ax.plot(cut[clipped], y[clipped], marker=">", markersize=3, color="#333333", linestyle="none", zorder=3)
            if p.reference is not None and np.isfinite(p.reference):
                ax.axvline(p.reference, color=TARGET, linestyle=(0, (4, 3)), linewidth=0.9, zorder=4)
                if p.reference_label:
                    ax.text(p.reference, 1.0, f" {p.reference_label}", fontsize=6.3, va="bottom", ha="left",
                            color=TARGET, transform=matplotlib.transforms.blended_transform_factory(ax.transData, ax.transAxes))
            for yy, v, st, at in zip(y, vals, status, label_at, strict=True):
                if st != "ok" or not np.isfinite(v):
                    word = p.confidential if st == "confidential" else p.no_data
                    ax.barh([yy], [span * 0.18], color="white", edgecolor=CONFIDENTIAL_EDGE, hatch=CONFIDENTIAL_HATCH if
                            st == "confidential" else None, height=0.7, zorder=2, linewidth=0.5)
                    ax.text(span * 0.2, float(yy), word, va="center", fontsize=6.3, color="#444444")
                elif p.value_labels:
                    x_text = min(float(at) + span * 0.015, limit * 0.985)
                    ax.text(x_text, float(yy), p.fmt(float(v)), va="center", fontsize=6.3, zorder=5,
                            ha="left" if x_text < limit * 0.9 else "right",
                            path_effects=[patheffects.withStroke(linewidth=2, foreground="white")])
            ax.set_xlim(0, limit)
            ax.set_title(textwrap.fill(p.title, width=max(22, int(52 / len(panels)))), loc="left", fontsize=8, pad=11)
            ax.xaxis.set_major_formatter(matplotlib.ticker.FuncFormatter(lambda v, _pos, fm=p.fmt: fm(v)))
            ax.grid(axis="x", color="#e5e5e5", linewidth=0.6, zorder=0)
            ax.set_yticks(y)
            if i == 0 or not share_y:
                ax.set_yticklabels(f["label"].astype(str).tolist())
                for tick, hl in zip(ax.get_yticklabels(), hi_mask, strict=True):
                    if hl:
                        tick.set_fontweight("bold")
            ax.set_ylim(-0.6, len(f) - 0.2)
            ax.tick_params(axis="y", length=0)
        fig.tight_layout(w_pad=1.2)
        return _png(fig, dpi=dpi)


# --- trends ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TrendPanel:
    """Lines over years: `series` maps a label to a frame (year, value[, lo, hi]); `targets` (year, plan)."""

    title: str
    series: Mapping[str, pd.DataFrame]
    fmt: Callable[[float], str]
    targets: pd.DataFrame | None = None
    target_label: str = ""
    last_year: int | None = None
    empty_text: str = ""  # written in the panel when no series has a value
    extra: dict[str, Any] = field(default_factory=dict)


def _trend_top(p: TrendPanel) -> float:
    """Top of a trend panel's axis from its values and targets: a small region's wide interval band is cut
    rather than flattening every line."""
    values = [f["value"].astype(float).to_numpy() for f in p.series.values()]
    if p.targets is not None and len(p.targets):
        values.append(p.targets["plan"].astype(float).to_numpy())
    finite = np.concatenate(values) if values else np.array([])
    finite = finite[np.isfinite(finite)]
    top = float(finite.max()) if finite.size else 1.0
    return top * 1.25 if top > 0 else 1.0


def trends_png(panels: Sequence[TrendPanel], *, columns: int = 2, width_in: float = 7.1, panel_height_in: float = 2.55,
               dpi: int = DPI) -> bytes:
    """Small multiples of trend lines with their 95 % band and the dashed target line to 2030."""
    if not panels:
        raise StaticChartError("trends_png needs at least one panel")
    rows = (len(panels) + columns - 1) // columns
    with _style():
        fig, axes = plt.subplots(rows, columns, figsize=(width_in, panel_height_in * rows), squeeze=False)
        for ax in axes.flat[len(panels):]:
            ax.set_visible(False)
        years_all: list[int] = []
        handles: dict[str, Any] = {}
        for ax, p in zip(axes.flat, panels, strict=False):
            has_values = False
            for i, (label, f) in enumerate(p.series.items()):
                _require(f, ("year", "value"), chart=f"trend {p.title!r}")
                f = f.sort_values("year")
                x = f["year"].astype(int).to_numpy()
                v = f["value"].astype(float).to_numpy()
                years_all.extend(x.tolist())
                colour = CATEGORICAL[i % len(CATEGORICAL)]
                if {"lo", "hi"} <= set(f.columns) and f[["lo", "hi"]].notna().any().any():
                    ax.fill_between(x, f["lo"].astype(float).to_numpy(), f["hi"].astype(float).to_numpy(), color=colour,
                                    alpha=0.15, linewidth=0)
                (line,) = ax.plot(x, v, marker="o", markersize=3, color=colour, linewidth=1.6, label=label)
                handles.setdefault(label, line)
                has_values = has_values or bool(np.isfinite(v).any())
            if p.targets is not None and len(p.targets):
                _require(p.targets, ("year", "plan"), chart=f"trend targets {p.title!r}")
                t = p.targets.sort_values("year")
                tx = t["year"].astype(int).to_numpy()
                years_all.extend(tx.tolist())
                (tline,) = ax.plot(tx, t["plan"].astype(float).to_numpy(), linestyle=(0, (4, 3)), color=TARGET,
                                   linewidth=1.1, marker="D", markersize=2.5, label=p.target_label)
                handles.setdefault(p.target_label, tline)
                last = t.iloc[-1]
                ax.annotate(p.fmt(float(last["plan"])), xy=(int(last["year"]), float(last["plan"])), xytext=(3, 4),
                            textcoords="offset points", fontsize=6.3)
            ax.set_title(textwrap.fill(p.title, width=int(92 / columns)), loc="left", fontsize=8)
            ax.yaxis.set_major_formatter(matplotlib.ticker.FuncFormatter(lambda v, _pos, fm=p.fmt: fm(v)))
            ax.grid(axis="y", color="#e5e5e5", linewidth=0.6)
            ax.set_ylim(0, _trend_top(p))
            if not has_values and p.empty_text:
                ax.text(0.5, 0.2, p.empty_text, transform=ax.transAxes, ha="center", va="center", fontsize=7.5,
                        color="#666666")
        if years_all:
            lo_y, hi_y = min(years_all), max(years_all)
            ticks = list(range(lo_y, hi_y + 1, 1 if hi_y - lo_y <= 6 else 2))
            for ax in axes.flat[: len(panels)]:
                ax.set_xticks(ticks)
                ax.set_xlim(lo_y - 0.4, hi_y + 0.6)
        # one legend for all panels (same series everywhere), above them
        legend_in = 0.3
        height = panel_height_in * rows + legend_in
        fig.set_size_inches(width_in, height)
        fig.legend(list(handles.values()), list(handles.keys()), loc="upper center", ncol=max(1, len(handles)),
                   frameon=False, fontsize=7, bbox_to_anchor=(0.5, 1.0))
        # fixed margins: tight_layout would draw the six panels once more just to measure them
        fig.subplots_adjust(left=0.075, right=0.965, top=1 - (legend_in + 0.36) / height, bottom=0.3 / height,
                            wspace=0.22, hspace=0.5)
        return _png(fig, dpi=dpi)


# --- stacked columns (diseases by cause over years) ---------------------------------------------------------


def stacked_columns_png(
    frame: pd.DataFrame,
    *,
    order: Sequence[str],
    labels: Mapping[str, str],
    title: str,
    fmt: Callable[[float], str],
    width_in: float = 7.1,
    height_in: float = 2.7,
    dpi: int = DPI,
    totals: Mapping[int, float] | None = None,
    remainder_label: str = "",
) -> bytes:
    """Columns per `year` stacked by `group` (in `order`), each column topped with its total: `totals[year]`
    when given (e.g. the published total, which includes suppressed groups), else the stack's height."""
    _require(frame, ("year", "group", "value"), chart="stacked columns")
    table = frame.pivot_table(index="year", columns="group", values="value", aggfunc="sum").reindex(columns=list(order))
    table = table.fillna(0.0).sort_index()
    with _style():
        fig, ax = plt.subplots(figsize=(width_in, height_in))
        bottom = np.zeros(len(table))
        x = np.arange(len(table))
        for i, group in enumerate(order):
            vals = table[group].to_numpy(dtype=float)
            ax.bar(x, vals, bottom=bottom, color=CATEGORICAL[i % len(CATEGORICAL)], width=0.62, label=labels.get(group, group),
                   zorder=2)
            bottom = bottom + vals
        if totals is not None:
            # what the published total holds beyond the shown groups: the suppressed ones, drawn as such
            rest = np.array([max(0.0, float(totals.get(int(y), b)) - b) for y, b in zip(table.index, bottom, strict=True)])
            if (rest > 0).any():
                ax.bar(x, rest, bottom=bottom, color="white", edgecolor=CONFIDENTIAL_EDGE, hatch=CONFIDENTIAL_HATCH,
                       width=0.62, linewidth=0.5, label=remainder_label, zorder=2)
                bottom = bottom + rest
        for xx, year_, top in zip(x, table.index, bottom, strict=True):
            label = totals.get(int(year_), top) if totals is not None else top
            ax.text(float(xx), float(top), fmt(float(label)), ha="center", va="bottom", fontsize=6.5)
        ax.set_xticks(x)
        ax.set_xticklabels([str(int(y)) for y in table.index])
        ax.yaxis.set_major_formatter(matplotlib.ticker.FuncFormatter(lambda v, _pos: fmt(v)))
        ax.grid(axis="y", color="#e5e5e5", linewidth=0.6, zorder=0)
        ax.set_title(title, loc="left", fontsize=8)
        ax.set_ylim(0, max(1.0, float(bottom.max()) * 1.12) if len(bottom) else 1.0)
        ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), frameon=False, fontsize=6.5)
        fig.tight_layout()
        return _png(fig, dpi=dpi)


def palette_for(classes: int) -> tuple[str, ...]:
    """The sequential colours used for `classes` classes (for tests and legends elsewhere)."""
    pick = np.round(np.linspace(0, len(SEQUENTIAL) - 1, max(1, classes))).astype(int)
    return tuple(SEQUENTIAL[i] for i in pick)
