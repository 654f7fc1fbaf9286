"""Targets page: the Concept's targets, actual against plan, on the statistics bureau's series only."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
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
from layers.numbers import fmt_target
from osh.registry import TARGET_SERIES, TARGETS
from osh.targets import SEPARATE


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
    separate_note: str = ""  # coverage: accredited assessments and self-assessments as two numbers (osh.targets)


def separate_note(rows: pd.DataFrame, *, lang: str) -> str:
    """The latest year of a target with a separately counted figure (self-assessments beside target 1): both
    numbers in one sentence, the target judged on the first. Empty when there is no such figure."""
    if "actual_self" not in rows.columns:  # tables published before the column existed
        return ""
    known = rows[rows["indicator"].isin(list(SEPARATE)) & rows["actual"].notna() & rows["actual_self"].notna()]
    if known.empty:
        return ""
    last = known.sort_values("year").iloc[-1]
    ind = str(last["indicator"])
    return t("targets.self_note", lang, year=int(last["year"]), acc=fmt_target(ind, last["actual"], lang),
             plan=fmt_target(ind, last["plan"], lang), self=fmt_target(ind, last["actual_self"], lang))


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
        has_self = sel.indicator in SEPARATE and "actual_self" in rows.columns and rows["actual_self"].notna().any()
        if has_self:  # a line of its own: shown beside the actual, never added to it
            actual = pd.concat([actual, pd.DataFrame({
                "year": rows["year"].astype(int).to_numpy(), "value": rows["actual_self"].astype(float).to_numpy(),
                "series": t("targets.self", lang)}).dropna(subset=["value"])], ignore_index=True)
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
        formats: dict[str, Callable[..., str]] = {t("col.year", lang): str, t("targets.plan", lang): lambda v: fmt_number(v, lang, decimals=dec),
                   t("targets.actual", lang): lambda v: fmt_number(v, lang, decimals=dec)}
        if has_self:
            traw[t("targets.self", lang)] = rows["actual_self"].astype(float).to_numpy()
            formats[t("targets.self", lang)] = lambda v: fmt_number(v, lang, decimals=dec)
        ttable = make_table(f"target_{sel.indicator}_{sel.region}", f"{title} ({unit})", traw, formats)
        # downloads: the region's and the target's codes beside the figures, rounded as shown
        tdown = traw.assign(**{c: np.round(traw[c].astype(float), dec) for c in traw.columns if c != t("col.year", lang)})
        tdown.insert(0, t("col.indicator_id", lang), sel.indicator)
        tdown.insert(0, t("col.kato", lang), sel.region)
        ttable = Table(ttable.key, ttable.title, ttable.display, tdown)
        column = spec_t.column if spec_t is not None else None
        # a target the barometer does not measure has no indicator methodology to show: the note says whose figures these are
        note = t("chart.plan_note", lang) if column else f"{t('chart.plan_note', lang)} {t('about.not_measured', lang)}"
        chart = Chart(f"target_{sel.indicator}_{sel.region}", title, spec, ttable, note,
                      about=(column,) if column else (), about_series=TARGET_SERIES)
    note = t("targets.basis_note", lang, series=series_label(TARGET_SERIES, lang))
    return TargetsView(table, chart, summary, summary_year, note, separate_note(f, lang=lang))
