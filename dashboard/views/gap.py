"""Gap page: is the gap between high- and low-risk regions and sectors narrowing? (osh.gap, the public table `gap`)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from dashboard.i18n import fmt_number, fmt_signed, t, vega_locale
from dashboard.views.common import Chart, EmptyDataError, PublicTables, Table, make_table, rounded, series_label, titled
from layers.charts import Axes
from layers.gap_chart import gap_chart, trend_points
from osh import gap as gap_indicator

DIMENSIONS: tuple[str, ...] = gap_indicator.DIMENSIONS
MEASURE = "injury_rate_1000"


@dataclass(frozen=True)
class GapSelection:
    lang: str
    series: str


@dataclass(frozen=True)
class GapView:
    chart: Chart
    trends: tuple[str, ...]  # one sentence per breakdown: average yearly change and where it leads by 2030
    has_points: bool  # some year has a usable gap (else the chart is empty and the page says why)


def _gap_table(data: PublicTables) -> pd.DataFrame:
    table = getattr(data, "gap", None)
    if table is None or len(table) == 0:
        raise EmptyDataError("the public tables hold no gap table; run 'enbek publish'")
    return table


FLAT = 0.005  # a yearly change smaller than half a percent either way reads as unchanged


def _verdict(change: float) -> str:
    return "gap.flat" if abs(change) < FLAT else ("gap.narrowing" if change < 0 else "gap.widening")


def gap(data: PublicTables, sel: GapSelection) -> GapView:
    lang = sel.lang
    table = _gap_table(data)
    rows = table[(table["series"] == sel.series) & (table["measure"] == MEASURE)].sort_values(["dimension", "year"])
    labels = {d: t(f"gap.dimension.{d}", lang) for d in DIMENSIONS}
    ok = rows[rows["status"] == "ok"]
    points = pd.DataFrame({"group": ok["dimension"].map(labels), "year": ok["year"].astype(int),
                           "ratio": ok["ratio"].astype(float), "lo": ok["ratio_lo"].astype(float),
                           "hi": ok["ratio_hi"].astype(float)})
    trends = gap_indicator.trend(rows)
    line = trend_points(trends, labels=labels)
    title = titled(t("gap.chart_title", lang), sel.series, lang)
    axes = Axes(x=t("col.year", lang), y=t("gap.axis", lang), number_format=",.1f", legend=t("gap.legend", lang))
    spec = gap_chart(points, line, axes=axes, locale=vega_locale(lang), trend_label=t("gap.trend", lang)).to_dict(validate=False)
    raw = pd.DataFrame({
        t("col.year", lang): rows["year"].astype(int).to_numpy(),
        t("gap.legend", lang): rows["dimension"].map(labels).to_numpy(),
        t("gap.col.ratio", lang): rows["ratio"].astype(float).to_numpy(),
        t("gap.col.lo", lang): rows["ratio_lo"].astype(float).to_numpy(),
        t("gap.col.hi", lang): rows["ratio_hi"].astype(float).to_numpy(),
        t("gap.col.worst_rate", lang): rows["worst_rate"].astype(float).to_numpy(),
        t("gap.col.best_rate", lang): rows["best_rate"].astype(float).to_numpy(),
        t("gap.col.units", lang): rows["units"].to_numpy(),
    })
    number = lambda v: fmt_number(v, lang, decimals=2)  # noqa: E731
    ttable: Table = make_table(f"gap_{sel.series}", title, raw, {
        t("col.year", lang): str, t("gap.legend", lang): str, t("gap.col.ratio", lang): number,
        t("gap.col.lo", lang): number, t("gap.col.hi", lang): number, t("gap.col.worst_rate", lang): number,
        t("gap.col.best_rate", lang): number, t("gap.col.units", lang): lambda v: fmt_number(v, lang)})
    # downloads: the breakdown's code beside its name, every number rounded to the two decimals shown
    down = raw.assign(**{c: rounded(raw[c], 2) for c in (t("gap.col.ratio", lang), t("gap.col.lo", lang), t("gap.col.hi", lang),
                                                          t("gap.col.worst_rate", lang), t("gap.col.best_rate", lang))})
    down.insert(1, t("col.dimension_code", lang), rows["dimension"].astype(str).to_numpy())
    ttable = Table(ttable.key, ttable.title, ttable.display, down)
    columns = zip(trends["dimension"].astype(str), trends["first_year"].astype(int), trends["last_year"].astype(int),
                  trends["avg_change"].astype(float), trends["projected_2030"].astype(float), strict=True)
    sentences = tuple(
        t("gap.trend_text", lang, group=labels[dim], first=first, last=last,
          change=fmt_signed(change * 100, lang, decimals=1, suffix=" %"),
          projected=fmt_number(projected, lang, decimals=1), verdict=t(_verdict(change), lang))
        for dim, first, last, change, projected in columns if np.isfinite(change))
    note = t("gap.note", lang, series=series_label(sel.series, lang))
    return GapView(Chart(f"gap_{sel.series}", title, spec, ttable, note, about=(MEASURE,)), sentences, not points.empty)
