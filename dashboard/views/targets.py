"""Targets page: the Concept's targets, actual against plan, on the statistics bureau's series only."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from dashboard.i18n import fmt_number, t, vega_locale
from dashboard.views.common import (
    Chart,
    PublicTables,
    Table,
    make_table,
    place_name,
    series_label,
    target_label,
    targets_frame,
    targets_table,
    unit_name,
)
from layers import charts
from osh.registry import TARGET_SERIES, TARGETS


@dataclass(frozen=True)
class TargetsSelection:
    lang: str
    region: str
    indicator: str


@dataclass(frozen=True)
class TargetsView:
    table: Table
    chart: Chart | None
    summary: tuple[tuple[str, int], ...]  # (status text, count) for the latest year with actuals
    summary_year: int | None = None
    basis_note: str = ""  # the targets are tracked on BNS only, whatever series the user picked


def targets(data: PublicTables, sel: TargetsSelection) -> TargetsView:
    lang = sel.lang
    tg = targets_frame(data)
    f = tg[tg["region"] == sel.region]
    table = targets_table(data, region=sel.region, lang=lang, key=f"targets_{sel.region}")
    measured = f[f["actual"].notna()]
    summary: tuple[tuple[str, int], ...] = ()
    summary_year = int(measured["year"].max()) if len(measured) else None
    if len(measured):
        latest = measured[measured["year"] == summary_year]
        counts = latest["status"].value_counts()
        summary = tuple((t(f"tstatus.{s}", lang), int(n)) for s, n in counts.items())
    chart = None
    rows = f[f["indicator"] == sel.indicator].sort_values("year")
    if len(rows):
        name = target_label(sel.indicator, lang)
        unit = unit_name(str(rows["unit"].iloc[0]), lang)
        actual = pd.DataFrame({"year": rows["year"].astype(int).to_numpy(), "value": rows["actual"].astype(float).to_numpy(),
                               "series": f"{t('targets.actual', lang)} ({series_label(TARGET_SERIES, lang)})"}
                              ).dropna(subset=["value"])
        title = t("targets.chart_title", lang, indicator=name, region=place_name(sel.region, lang))
        title = f"{title} · {series_label(TARGET_SERIES, lang)}"
        spec_t = TARGETS.get(sel.indicator)
        dec = spec_t.decimals if spec_t is not None else 1
        spec = charts.trend_chart(actual, axes=charts.Axes(x=t("col.year", lang), y=unit, number_format=f",.{dec}f"),
                                  locale=vega_locale(lang), targets=rows[["year", "plan"]],
                                  target_label=t("targets.plan", lang)).to_dict(validate=False)
        traw = pd.DataFrame({t("col.year", lang): rows["year"].astype(int).to_numpy(),
                             t("targets.plan", lang): rows["plan"].astype(float).to_numpy(),
                             t("targets.actual", lang): rows["actual"].astype(float).to_numpy()})
        ttable = make_table(f"target_{sel.indicator}_{sel.region}", f"{title} ({unit})", traw, {
            t("col.year", lang): str, t("targets.plan", lang): lambda v: fmt_number(v, lang, decimals=dec),
            t("targets.actual", lang): lambda v: fmt_number(v, lang, decimals=dec)})
        chart = Chart(f"target_{sel.indicator}_{sel.region}", title, spec, ttable, t("chart.plan_note", lang))
    note = t("targets.basis_note", lang, series=series_label(TARGET_SERIES, lang))
    return TargetsView(table, chart, summary, summary_year, note)
