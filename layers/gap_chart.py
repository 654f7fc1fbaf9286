"""Chart of the gap between high- and low-risk places (osh.gap): the yearly ratio with its exact interval and the
log-linear trend extended to 2030, one colour per breakdown (regions, sectors). Pure: frames in, an Altair chart out."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import altair as alt
import numpy as np
import pandas as pd

from layers.charts import CATEGORICAL, Axes, _finish, _require


def trend_points(trend: pd.DataFrame, *, labels: Mapping[str, str], horizon: int = 2030) -> pd.DataFrame:
    """The trend line of each breakdown as yearly points from its first year to `horizon` (group, year, value):
    value = projected_2030 x (1 + avg_change) ^ (year - horizon), the log-linear fit osh.gap.trend made."""
    rows = []
    for dimension, first, projected, change in zip(trend["dimension"].astype(str), trend["first_year"].astype(int),
                                                   trend["projected_2030"].astype(float), trend["avg_change"].astype(float),
                                                   strict=True):
        years = np.arange(first, horizon + 1)
        values = projected * (1.0 + change) ** (years - horizon)
        rows.append(pd.DataFrame({"group": labels.get(dimension, dimension), "year": years, "value": values}))
    return pd.concat(rows, ignore_index=True) if rows else pd.DataFrame({"group": [], "year": [], "value": []})


def gap_chart(points: pd.DataFrame, trend: pd.DataFrame, *, axes: Axes, locale: Mapping[str, Any],
              trend_label: str, width: int | str = "container", height: int = 380) -> Any:
    """`points`: group, year, ratio, lo, hi (years with a gap); `trend`: group, year, value (trend_points).
    Points with interval bars per group; the trend dashed in the same colour; a rule at 1 (no gap)."""
    _require(points, ("group", "year", "ratio", "lo", "hi"), chart="gap chart")
    _require(trend, ("group", "year", "value"), chart="gap chart trend")
    groups = list(dict.fromkeys([*points["group"].astype(str), *trend["group"].astype(str)]))
    colour = alt.Color("group:N", title=axes.legend or None, sort=groups,
                       scale=alt.Scale(domain=groups, range=list(CATEGORICAL[: len(groups)])),
                       legend=alt.Legend(orient="bottom"))
    x = alt.X("year:O", title=axes.x, axis=alt.Axis(labelAngle=0))
    y_axis = alt.Axis(format=axes.number_format)
    data = points.assign(year=points["year"].astype(int))
    tip = [alt.Tooltip("group:N", title=axes.legend or " "), alt.Tooltip("year:O", title=axes.x),
           alt.Tooltip("ratio:Q", title=axes.y, format=axes.number_format),
           alt.Tooltip("lo:Q", format=axes.number_format), alt.Tooltip("hi:Q", format=axes.number_format)]
    base = alt.Chart(data)
    layers: list[Any] = [
        alt.Chart(pd.DataFrame({"one": [1.0]})).mark_rule(color="#888888", strokeWidth=1).encode(y="one:Q"),
        base.mark_rule(strokeWidth=2, opacity=0.6).encode(x=x, y=alt.Y("lo:Q", title=axes.y, axis=y_axis), y2="hi:Q",
                                                            color=colour),
        base.mark_point(filled=True, size=70).encode(x=x, y=alt.Y("ratio:Q", title=axes.y, axis=y_axis), color=colour,
                                                     tooltip=tip),
    ]
    if len(trend):
        tdata = trend.assign(year=trend["year"].astype(int), label=trend_label)
        layers.append(alt.Chart(tdata).mark_line(strokeDash=[6, 4]).encode(
            x=x, y=alt.Y("value:Q", title=axes.y, axis=y_axis), color=colour,
            tooltip=[alt.Tooltip("label:N", title=" "), alt.Tooltip("group:N", title=axes.legend or " "),
                     alt.Tooltip("year:O", title=axes.x), alt.Tooltip("value:Q", title=axes.y, format=axes.number_format)]))
    return _finish(alt.layer(*layers), axes=axes, locale=locale, width=width, height=height)
