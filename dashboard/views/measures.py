"""Measures page: the employers' OSH measures in aggregate (public table `measures`, osh.public.protect_measures):
a region map, the sectors, the country's trend, cards, and the full table of the year. Hidden cells keep their row
and say "confidential"; they are never drawn in a colour class, ranked or left out of a table."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from dashboard.i18n import fmt_number, t, vega_locale
from dashboard.views.common import (
    ALL,
    NATIONAL,
    Card,
    Chart,
    EmptyDataError,
    MapEnv,
    MapView,
    PublicTables,
    Table,
    axes,
    cell_status_text,
    choropleth,
    header,
    make_table,
    place_name,
    ranking_chart,
    ranking_table,
    rounded,
    scaled,
    sec_label,
    shown_status,
    status_text,
)
from data.codes import SECTION_CODES
from geo.regions import codes_for_basis
from layers import charts
from layers.numbers import fmt_change, fmt_value
from osh.measure_sums import PUBLIC_MEASURES
from osh.public import MIN_MEASURE_REPORTS
from osh.registry import Indicator, change, indicator

# What the page offers, in this order (osh.registry.MEASURE_INDICATORS holds their kind, unit and direction).
MEASURES: tuple[str, ...] = tuple(PUBLIC_MEASURES)
COUNTS: tuple[str, ...] = ("reporting_enterprises", "reporting_workers")


@dataclass(frozen=True)
class MeasuresSelection:
    lang: str
    measure: str
    year: int


@dataclass(frozen=True)
class MeasuresView:
    cards: tuple[Card, ...]  # the country's value of every measure in the year, change on the year before
    map: MapView  # regions (text alternative: the ranking, hidden regions last and unranked)
    sectors: Chart  # bars of the published sectors; its table lists every sector with its status
    trend: Chart  # the country's value by year
    table: Table  # every measure of the year by region, sector and the country (downloads)
    notes: tuple[str, ...]  # how the figures were made (methodology in short)
    counts: str = ""  # reporting enterprises and confidential cells of the year


def measure_table(data: PublicTables) -> pd.DataFrame:
    table = getattr(data, "measures", None)
    if table is None or len(table) == 0:
        raise EmptyDataError("the public tables hold no OSH-measure aggregates; load osh_measures and run 'enbek publish'")
    return table


def measure_years(data: PublicTables) -> tuple[int, ...]:
    """Years of the measure table, oldest first (the page's year picker)."""
    return tuple(sorted(int(y) for y in measure_table(data)["year"].unique()))


def _check(sel: MeasuresSelection) -> Indicator:
    if sel.measure not in MEASURES:
        raise ValueError(f"unknown measure {sel.measure!r}; expected one of {', '.join(MEASURES)}")
    return indicator(sel.measure)


def _national(table: pd.DataFrame, year: int) -> pd.Series | None:
    rows = table[(table["year"] == year) & (table["region"] == NATIONAL) & (table["section"] == ALL)]
    return None if rows.empty else rows.iloc[0]


def _cards(table: pd.DataFrame, *, year: int, lang: str) -> tuple[Card, ...]:
    now, before = _national(table, year), _national(table, year - 1)
    cards = []
    for ind_id in (*MEASURES, "reporting_enterprises"):
        ind = indicator(ind_id)
        ok = now is not None and now["status"] == "ok"
        value = float(now[ind_id]) if ok and now is not None and pd.notna(now[ind_id]) else np.nan
        prev = float(before[ind_id]) if before is not None and before["status"] == "ok" and pd.notna(before[ind_id]) else np.nan
        c = change(ind_id, value=value, previous=prev)
        text = fmt_value(ind, value, lang) if ok else status_text(str(now["status"]) if now is not None else "no_data", lang)
        colour = "off" if ind.higher_is_worse is None else ("inverse" if ind.higher_is_worse else "normal")
        cards.append(Card(f"{ind.name(lang)}, {year}", text, ind.unit_text(lang), fmt_change(c, lang) if c else None,
                          colour, t("mpub.card_help", lang, prev=year - 1)))
    return tuple(cards)


def _region_frame(table: pd.DataFrame, *, ind: Indicator, year: int) -> pd.DataFrame:
    """One row per current region: region, value, status (absent regions: no data), and the columns the shared
    map and ranking builders read."""
    units = list(codes_for_basis("current"))
    rows = table[(table["year"] == year) & (table["section"] == ALL) & table["region"].isin(units)]
    frame = pd.DataFrame({"region": units}).merge(rows[["region", ind.id, "status"]], on="region", how="left")
    frame = frame.rename(columns={ind.id: "value"})
    frame["status"] = frame["status"].fillna("no_data")
    return frame.assign(covered=None, cover_of=None, includes=None)


def _sector_frame(table: pd.DataFrame, *, ind: Indicator, year: int) -> pd.DataFrame:
    rows = table[(table["year"] == year) & (table["region"] == NATIONAL) & (table["section"] != ALL)]
    frame = pd.DataFrame({"section": list(SECTION_CODES)}).merge(rows[["section", ind.id, "status"]], on="section", how="left")
    frame = frame.rename(columns={ind.id: "value"})
    frame["status"] = frame["status"].fillna("no_data")
    return frame


def _sector_table(frame: pd.DataFrame, *, ind: Indicator, lang: str, key: str, title: str) -> Table:
    """Every sector with its value or status (the chart's text alternative: hidden sectors are listed, not dropped)."""
    status = shown_status(frame["value"], frame["status"], ind)
    h_value = header(ind, lang)
    raw = pd.DataFrame({
        t("col.oked", lang): frame["section"].astype(str).to_numpy(),
        t("col.section", lang): [sec_label(s, lang) for s in frame["section"]],
        h_value: rounded(frame["value"].astype(float).where(status == "ok").to_numpy() * ind.scale(), ind.decimals),
        t("col.status", lang): [cell_status_text(s, lang) for s in status],
    })
    table = make_table(key, title, raw, {h_value: lambda v: fmt_number(v, lang, decimals=ind.decimals)})
    display = table.display.copy()
    display[h_value] = [fmt_number(v, lang, decimals=ind.decimals) if s == "ok" else cell_status_text(s, lang)
                        for v, s in zip(raw[h_value], status, strict=True)]
    return Table(key, title, display.drop(columns=[t("col.oked", lang)]), table.raw)


def _trend(table: pd.DataFrame, *, ind: Indicator, lang: str) -> Chart:
    rows = table[(table["region"] == NATIONAL) & (table["section"] == ALL)].sort_values("year")
    ok = rows["status"] == "ok"
    frame = pd.DataFrame({"year": rows["year"].astype(int).to_numpy(), "value": rows[ind.id].astype(float).where(ok).to_numpy(),
                          "series": t("kz", lang)})
    frame = scaled(frame, ind, ("value",))
    title = t("mpub.trend_title", lang, measure=ind.name(lang))
    spec = charts.trend_chart(frame, axes=axes(t("col.year", lang), ind.unit_text(lang), ind=ind),
                              locale=vega_locale(lang)).to_dict(validate=False)
    h_value = f"{ind.name(lang)} ({ind.unit_text(lang)})"
    raw = pd.DataFrame({t("col.year", lang): frame["year"].to_numpy(), h_value: rounded(frame["value"].to_numpy(), ind.decimals),
                        t("col.status", lang): [cell_status_text(str(s), lang) for s in rows["status"]]})
    ttable = make_table(f"measures_trend_{ind.id}", title, raw, {
        t("col.year", lang): str, h_value: lambda v: fmt_number(v, lang, decimals=ind.decimals)})
    return Chart(f"measures_trend_{ind.id}", title, spec, ttable, t("mpub.trend_note", lang))


def _full_table(table: pd.DataFrame, *, year: int, lang: str) -> Table:
    """Every measure of the year: regions, then sectors, then the country; hidden cells say so in every column."""
    rows = table[table["year"] == year]
    regions = rows[(rows["section"] == ALL) & (rows["region"] != NATIONAL)].sort_values("region")
    sectors = rows[(rows["region"] == NATIONAL) & (rows["section"] != ALL)].sort_values("section")
    country = rows[(rows["region"] == NATIONAL) & (rows["section"] == ALL)]
    ordered = pd.concat([regions, sectors, country], ignore_index=True)
    names = [place_name(r, lang) if s == ALL else sec_label(s, lang)
             for r, s in zip(ordered["region"], ordered["section"], strict=True)]
    codes = [r if s == ALL else s for r, s in zip(ordered["region"], ordered["section"], strict=True)]
    h_unit = t("mpub.col.unit", lang)
    raw = pd.DataFrame({t("mpub.col.code", lang): codes, h_unit: names})
    formatters: dict[str, Callable[..., str]] = {}
    for ind_id in (*MEASURES, *COUNTS):
        ind = indicator(ind_id)
        h = header(ind, lang)
        raw[h] = rounded(ordered[ind_id].astype(float).to_numpy() * ind.scale(), ind.decimals)
        formatters[h] = lambda v, d=ind.decimals: fmt_number(v, lang, decimals=d)
    status = ordered["status"].astype(str).to_numpy()
    raw[t("col.status", lang)] = [cell_status_text(s, lang) for s in status]
    title = t("mpub.table_title", lang, year=year)
    made = make_table(f"measures_{year}", title, raw, formatters)
    display = made.display.copy()
    for h in formatters:  # a hidden cell shows its status word, never "no data" of a missing number
        display[h] = [v if s == "ok" else cell_status_text(s, lang) for v, s in zip(display[h], status, strict=True)]
    return Table(made.key, title, display.drop(columns=[t("mpub.col.code", lang)]), made.raw)


def measures(data: PublicTables, env: MapEnv, sel: MeasuresSelection) -> MeasuresView:
    lang, ind = sel.lang, _check(sel)
    table = measure_table(data)
    years = measure_years(data)
    if sel.year not in years:
        raise EmptyDataError(f"no OSH-measure aggregates for {sel.year}; years published: {', '.join(map(str, years))}")
    title = f"{ind.name(lang)}, {sel.year}"
    frame = _region_frame(table, ind=ind, year=sel.year)
    key = f"measures_map_{ind.id}_{sel.year}"
    ranking = ranking_table(frame, ind=ind, year=sel.year, lang=lang, key=key, title=t("ranking.title", lang, title=title))
    mv = choropleth(frame, env=env, ind=ind, basis="current", lang=lang, title=title, key=key, table=ranking)
    sectors = _sector_frame(table, ind=ind, year=sel.year)
    s_title = t("mpub.sectors_title", lang, measure=ind.name(lang), year=sel.year)
    s_key = f"measures_sectors_{ind.id}_{sel.year}"
    s_table = _sector_table(sectors, ind=ind, lang=lang, key=s_key, title=s_title)
    chart = ranking_chart(sectors, ind=ind, lang=lang, title=s_title, table=s_table, key=s_key, column="section",
                          label=lambda s: sec_label(s, lang), note=t("mpub.hidden_note", lang))
    notes = (t("mpub.note.coverage", lang), t("mpub.note.disclosure", lang, n=MIN_MEASURE_REPORTS),
             t(f"mpub.formula.{ind.id}", lang))
    return MeasuresView(_cards(table, year=sel.year, lang=lang), mv, chart, _trend(table, ind=ind, lang=lang),
                        _full_table(table, year=sel.year, lang=lang), notes, counts_text(data, year=sel.year, lang=lang))


def counts_text(data: PublicTables, *, year: int, lang: str) -> str:
    """'1 234 enterprises reported, 5 hidden cells' for the page's caption."""
    table = measure_table(data)
    rows = table[table["year"] == year]
    country = _national(table, year)
    reports = country["reporting_enterprises"] if country is not None and country["status"] == "ok" else np.nan
    hidden = int((rows["status"] == "confidential").sum())
    return t("mpub.counts", lang, reports=fmt_number(reports, lang), hidden=hidden)




@dataclass(frozen=True)
class MeasureYearsSelection:
    """No choice: the years of the measure table (a selection object so that dashboard.cache can key it)."""


def measure_years_view(data: PublicTables, sel: MeasureYearsSelection) -> tuple[int, ...]:
    del sel  # the years do not depend on a choice
    return measure_years(data)
