"""Pure Altair chart builders (trends with targets, rankings with CI error bars, heat maps, bars) and PNG/SVG export."""

from __future__ import annotations

import textwrap
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final

import altair as alt
import pandas as pd

# Okabe-Ito: distinguishable with every common colour-vision deficiency.
CATEGORICAL: tuple[str, ...] = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000")
SEQUENTIAL_SCHEME: Final = "viridis"
CONFIDENTIAL_COLOUR = "#bdbdbd"
NOT_EXISTING_COLOUR = "#e8e8e8"  # a region not created yet that year: no value, not a class colour
TARGET_COLOUR = "#000000"
ROW_STEP = 24  # pixels per row of a discrete axis
# a value axis title longer than this is drawn in lines: Vega cuts a title at its axis' length, and beside the
# region names a ranking's value axis is ~180 px at 1440 px
TITLE_CHARS = 26


class ChartError(ValueError):
    """A chart builder was given a frame without the columns it needs."""


def _require(frame: pd.DataFrame, columns: Sequence[str], *, chart: str) -> None:
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise ChartError(f"{chart}: frame lacks columns {', '.join(missing)}; has {', '.join(map(str, frame.columns))}")


@dataclass(frozen=True)
class Axes:
    """Translated titles and the d3 number format of the value axis."""

    x: str
    y: str
    number_format: str = ",.2f"
    legend: str = ""
    title: str = ""
    interval: tuple[str, str] | None = None  # the lower/upper bound names in the tooltip (translated by the caller)


def _finish(chart: Any, *, axes: Axes, locale: Mapping[str, Any], width: int | str, height: int | alt.Step) -> Any:
    """Title, size and the number locale. A discrete axis gets alt.Step(px) per row: a fixed height would be
    squeezed by the page's "fit" autosizing, which hides every second label."""
    props: dict[str, Any] = {"width": width, "height": height}
    if axes.title:
        props["title"] = axes.title
    return chart.properties(**props).configure(locale=dict(locale)).configure_view(stroke=None)


def trend_chart(
    frame: pd.DataFrame,
    *,
    axes: Axes,
    locale: Mapping[str, Any],
    targets: pd.DataFrame | None = None,
    target_label: str = "",
    width: int | str = "container",
    height: int = 380,
) -> Any:
    """Lines per `series` over `year` (value; optional lo/hi as a band), with dashed target `plan` lines."""
    _require(frame, ("year", "series", "value"), chart="trend chart")
    data = frame.assign(year=frame["year"].astype(int))
    series_order = list(dict.fromkeys(data["series"].astype(str)))
    colour = alt.Color(
        "series:N",
        title=axes.legend or None,
        sort=series_order,
        scale=alt.Scale(domain=series_order, range=list(CATEGORICAL[: len(series_order)])),
        legend=alt.Legend(orient="bottom"),
    )
    x = alt.X("year:O", title=axes.x, axis=alt.Axis(labelAngle=0))
    y_fmt = alt.Axis(format=axes.number_format)
    tooltip = [alt.Tooltip("series:N", title=axes.legend or " "), alt.Tooltip("year:O", title=axes.x),
               alt.Tooltip("value:Q", title=axes.y, format=axes.number_format)]
    base = alt.Chart(data)
    layers: list[Any] = []
    if {"lo", "hi"} <= set(data.columns) and data[["lo", "hi"]].notna().any().any():
        layers.append(base.mark_area(opacity=0.18).encode(x=x, y=alt.Y("lo:Q", title=axes.y, axis=y_fmt), y2="hi:Q", color=colour))
    layers.append(base.mark_line(point=True).encode(x=x, y=alt.Y("value:Q", title=axes.y, axis=y_fmt), color=colour, tooltip=tooltip))
    if targets is not None and len(targets):
        _require(targets, ("year", "plan"), chart="trend chart targets")
        tdata = targets.assign(year=targets["year"].astype(int), label=target_label)
        layers.append(
            alt.Chart(tdata).mark_line(strokeDash=[6, 4], color=TARGET_COLOUR, point=alt.OverlayMarkDef(shape="diamond", color=TARGET_COLOUR)).encode(
                x=x, y=alt.Y("plan:Q", title=axes.y, axis=y_fmt),
                tooltip=[alt.Tooltip("label:N", title=" "), alt.Tooltip("year:O", title=axes.x),
                         alt.Tooltip("plan:Q", title=axes.y, format=axes.number_format)],
            )
        )
    return _finish(alt.layer(*layers), axes=axes, locale=locale, width=width, height=height)


def title_lines(title: str, *, width: int = TITLE_CHARS) -> str | list[str]:
    """An axis title as lines of at most `width` characters (Vega-Lite draws a list as lines): a long title under a
    narrow chart was cut ("Жарақаттану жиілігі (1000 жұмыскерг")."""
    lines = textwrap.wrap(title, width=width, break_long_words=False)
    return title if len(lines) <= 1 else lines


def ranking_chart(
    frame: pd.DataFrame,
    *,
    axes: Axes,
    locale: Mapping[str, Any],
    highlight: str | None = None,
    width: int | str = "container",
    height: int | alt.Step | None = None,
) -> Any:
    """Horizontal bars of `value` per `label` (sorted, highest on top) with `lo`–`hi` error bars when present."""
    _require(frame, ("label", "value"), chart="ranking chart")
    data = frame.dropna(subset=["value"]).assign(chosen=lambda f: f["label"] == highlight)
    order = data.sort_values("value", ascending=False)["label"].tolist()
    y = alt.Y("label:N", sort=order, title=axes.y, axis=alt.Axis(labelLimit=260))
    tooltip = [alt.Tooltip("label:N", title=axes.y), alt.Tooltip("value:Q", title=axes.x, format=axes.number_format)]
    has_ci = {"lo", "hi"} <= set(data.columns)
    if has_ci:
        if axes.interval is None:  # a layer has no language: a hard-coded name would be English on kk/ru pages
            raise ChartError("ranking chart: the frame has lo/hi but axes.interval gives no names for them")
        tooltip += [
            alt.Tooltip("lo:Q", format=axes.number_format, title=axes.interval[0]),
            alt.Tooltip("hi:Q", format=axes.number_format, title=axes.interval[1]),
        ]
    bars = alt.Chart(data).mark_bar().encode(
        x=alt.X("value:Q", title=title_lines(axes.x), axis=alt.Axis(format=axes.number_format)),
        y=y,
        color=alt.condition("datum.chosen", alt.value(CATEGORICAL[1]), alt.value(CATEGORICAL[0])),
        tooltip=tooltip,
    )
    layers: list[Any] = [bars]
    if has_ci:
        layers.append(alt.Chart(data).mark_errorbar(ticks=True, color="#333333").encode(x=alt.X("lo:Q", title=title_lines(axes.x)), x2="hi:Q", y=y))
    h = height if height is not None else alt.Step(ROW_STEP)
    return _finish(alt.layer(*layers), axes=axes, locale=locale, width=width, height=h)


def heatmap_chart(
    frame: pd.DataFrame,
    *,
    axes: Axes,
    locale: Mapping[str, Any],
    confidential_label: str,
    no_data_label: str,
    not_existing_label: str = "",
    width: int | str = "container",
    height: int | alt.Step | None = None,
) -> Any:
    """Cells `row` × `col` coloured by `value` (viridis); confidential cells grey with 'C', no-data cells white,
    cells of a region that did not exist yet (status 'not_existing') light grey with their own legend entry."""
    _require(frame, ("row", "col", "value", "status"), chart="heat map")
    data = frame.assign(mark=frame["status"].map({"confidential": "C", "no_data": "–"}).fillna(""))
    rows = list(dict.fromkeys(data["row"].astype(str)))
    cols = list(dict.fromkeys(data["col"].astype(str)))
    x = alt.X("col:N", sort=cols, title=axes.x, axis=alt.Axis(labelAngle=0, orient="top"))
    y = alt.Y("row:N", sort=rows, title=axes.y, axis=alt.Axis(labelLimit=220))
    ok = data[data["status"] == "ok"]
    other = data[data["status"] != "ok"].assign(
        label=lambda f: f["status"].map({"confidential": confidential_label, "not_existing": not_existing_label or no_data_label})
        .fillna(no_data_label)
    )
    domain, colours = [confidential_label, no_data_label], [CONFIDENTIAL_COLOUR, "#ffffff"]
    if not_existing_label and (other["status"] == "not_existing").any():
        domain.append(not_existing_label)
        colours.append(NOT_EXISTING_COLOUR)
    cells = alt.Chart(ok).mark_rect(stroke="#ffffff").encode(
        x=x, y=y,
        # quantile classes: one small cell with an extreme rate must not wash out every other cell
        color=alt.Color("value:Q", title=axes.legend or None,
                        scale=alt.Scale(type="quantile", scheme=alt.SchemeParams(SEQUENTIAL_SCHEME, count=5), reverse=True),
                        # one swatch per class (a gradient would not show the classes, and its labels pile up)
                        legend=alt.Legend(format=axes.number_format, type="symbol", symbolType="square",
                                          symbolSize=180, orient="right", labelLimit=160)),
        tooltip=[alt.Tooltip("row:N", title=axes.y), alt.Tooltip("col:N", title=axes.x),
                 alt.Tooltip("value:Q", title=axes.legend or " ", format=axes.number_format)],
    )
    blanks = alt.Chart(other).mark_rect(stroke="#9e9e9e").encode(
        x=x, y=y,
        color=alt.Color("label:N", title=None, scale=alt.Scale(domain=domain, range=colours)),
        tooltip=[alt.Tooltip("row:N", title=axes.y), alt.Tooltip("col:N", title=axes.x), alt.Tooltip("label:N", title=" ")],
    )
    marks = alt.Chart(other).mark_text(fontSize=10, color="#333333").encode(x=x, y=y, text="mark:N")
    h = height if height is not None else alt.Step(ROW_STEP)
    chart = alt.layer(cells, blanks, marks).resolve_scale(color="independent")
    return _finish(chart, axes=axes, locale=locale, width=width, height=h)


def bar_chart(
    frame: pd.DataFrame,
    *,
    axes: Axes,
    locale: Mapping[str, Any],
    stack: str | None = None,
    horizontal: bool = True,
    width: int | str = "container",
    height: int | alt.Step | None = None,
    fixed_colours: Mapping[str, str] | None = None,
) -> Any:
    """Bars of `value` per `category`, optionally stacked by column `stack` (e.g. cause groups over years);
    `fixed_colours` pins a stack group's colour (the grey of a "confidential" remainder, as on the maps)."""
    _require(frame, ("category", "value", *((stack,) if stack else ())), chart="bar chart")
    cats = list(dict.fromkeys(frame["category"].astype(str)))
    val = alt.X("value:Q", title=axes.x, axis=alt.Axis(format=axes.number_format)) if horizontal else \
        alt.Y("value:Q", title=axes.y, axis=alt.Axis(format=axes.number_format))
    cat = alt.Y("category:N", sort=cats, title=axes.y, axis=alt.Axis(labelLimit=260)) if horizontal else \
        alt.X("category:N", sort=cats, title=axes.x, axis=alt.Axis(labelAngle=0))
    tooltip = [alt.Tooltip("category:N", title=axes.y if horizontal else axes.x),
               alt.Tooltip("value:Q", title=axes.x if horizontal else axes.y, format=axes.number_format)]
    enc: dict[str, Any] = {"x": val, "y": cat} if horizontal else {"x": cat, "y": val}
    if stack:
        groups = list(dict.fromkeys(frame[stack].astype(str)))
        pinned = dict(fixed_colours or {})
        free = iter(CATEGORICAL)
        colours = [pinned[g] if g in pinned else next(free) for g in groups]
        enc["color"] = alt.Color(f"{stack}:N", title=axes.legend or None, sort=groups,
                                 scale=alt.Scale(domain=groups, range=colours),
                                 legend=alt.Legend(orient="bottom", columns=2, labelLimit=320))
        tooltip.insert(1, alt.Tooltip(f"{stack}:N", title=axes.legend or " "))
    else:
        enc["color"] = alt.value(CATEGORICAL[0])
    chart = alt.Chart(frame).mark_bar().encode(**enc, tooltip=tooltip)
    h = height if height is not None else (alt.Step(ROW_STEP) if horizontal else 300)
    return _finish(chart, axes=axes, locale=locale, width=width, height=h)


def _static_spec(spec: Mapping[str, Any], *, width: int = 720) -> dict[str, Any]:
    """'container' width has no meaning outside a page: give exports a fixed width."""
    result = dict(spec)
    if result.get("width") == "container":
        result["width"] = width
    return result


def to_png(spec: Mapping[str, Any], *, scale: float = 2.0) -> bytes:
    import vl_convert as vlc

    return bytes(vlc.vegalite_to_png(_static_spec(spec), scale=scale))


def to_svg(spec: Mapping[str, Any]) -> str:
    import vl_convert as vlc

    return str(vlc.vegalite_to_svg(_static_spec(spec)))
