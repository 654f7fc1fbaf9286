"""Gap page: the injury rate of the worst fifth of workers against the best fifth (osh/gap.py, docs/gap.md), per
year with its exact interval, by region and by sector, and the trend of the gap to 2030."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from dashboard.i18n import fmt_number, t, vega_locale
from dashboard.views.common import Chart, PublicTables, Table, make_table, titled
from layers import charts
from layers.numbers import fmt_signed, percent_sign
from osh import gap as gap_indicator


@dataclass(frozen=True)
class GapSelection:
    lang: str
    series: str


@dataclass(frozen=True)
class GapView:
    charts: tuple[Chart, ...]
    trend: Table
    notes: tuple[str, ...] = ()  # a breakdown without any gap says so instead of drawing an empty chart


def gap_frame(data: PublicTables) -> pd.DataFrame:
    """The published `gap` table; computed from the indicator table when the publication predates it."""
    published = getattr(data, "gap", None)
    if published is not None and len(published):
        return published
    return gap_indicator.gap_table(data.indicators)


def gap(data: PublicTables, sel: GapSelection) -> GapView:
    lang = sel.lang
    f = gap_frame(data)
    f = f[f["series"] == sel.series].sort_values("year")
    out: list[Chart] = []
    notes: list[str] = []
    for dimension in gap_indicator.DIMENSIONS:
        part = f[f["dimension"] == dimension]
        ok = part["status"] == "ok"
        label = t(f"gap.dimension.{dimension}", lang)
        if not ok.any():
            notes.append(t("gap.none", lang, dimension=label))
            continue
        frame = pd.DataFrame({"year": part["year"].astype(int).to_numpy(), "series": label,
                              "value": part["ratio"].where(ok).astype(float).to_numpy(),
                              "lo": part["ratio_lo"].where(ok).astype(float).to_numpy(),
                              "hi": part["ratio_hi"].where(ok).astype(float).to_numpy()})
        title = titled(t("gap.chart_title", lang, dimension=label), sel.series, lang)
        spec = charts.trend_chart(frame, axes=charts.Axes(x=t("col.year", lang), y=t("gap.ratio", lang), number_format=",.2f"),
                                  locale=vega_locale(lang)).to_dict(validate=False)
        h_ratio, h_lo, h_hi = t("gap.ratio", lang), t("col.ci95_lo", lang), t("col.ci95_hi", lang)
        raw = pd.DataFrame({
            t("col.year", lang): frame["year"].to_numpy(),
            t("gap.worst_rate", lang): np.round(part["worst_rate"].where(ok).astype(float).to_numpy(), 2),
            t("gap.best_rate", lang): np.round(part["best_rate"].where(ok).astype(float).to_numpy(), 2),
            h_ratio: np.round(frame["value"].to_numpy(), 2), h_lo: np.round(frame["lo"].to_numpy(), 2),
            h_hi: np.round(frame["hi"].to_numpy(), 2),
            t("col.status", lang): [t("status.ok", lang) if s == "ok" else t("gap.no_gap", lang) for s in part["status"]],
        })

        def num(v: object) -> str:
            return fmt_number(v, lang, decimals=2, missing="")

        table = make_table(f"gap_{dimension}_{sel.series}", title, raw,
                           dict.fromkeys((t("gap.worst_rate", lang), t("gap.best_rate", lang), h_ratio, h_lo, h_hi), num))
        out.append(Chart(f"gap_{dimension}_{sel.series}", title, spec, table, t("gap.note", lang)))
    trend = gap_indicator.trend(f)
    traw = pd.DataFrame({
        t("gap.dimension", lang): [t(f"gap.dimension.{d}", lang) for d in trend["dimension"]],
        t("gap.years", lang): [f"{a}–{b}" for a, b in zip(trend["first_year"], trend["last_year"], strict=True)],
        t("gap.avg_change", lang): np.round(trend["avg_change"].astype(float).to_numpy() * 100, 1),
        t("gap.projected_2030", lang): np.round(trend["projected_2030"].astype(float).to_numpy(), 2),
    })
    ttable = make_table(f"gap_trend_{sel.series}", titled(t("gap.trend_title", lang), sel.series, lang), traw, {
        t("gap.avg_change", lang): lambda v: fmt_signed(v, lang, decimals=1, suffix=percent_sign(lang)),
        t("gap.projected_2030", lang): lambda v: fmt_number(v, lang, decimals=2),
    })
    return GapView(tuple(out), ttable, tuple(notes))
