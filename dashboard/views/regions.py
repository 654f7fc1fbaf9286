"""Regions page: a choropleth (or a map of changes) on either basis, and the chosen region's profile."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from dashboard.catalog import MAP_INDICATORS, indicator
from dashboard.i18n import fmt_number, t, vega_locale
from dashboard.views.common import (
    ALL,
    NATIONAL,
    Card,
    Chart,
    MapEnv,
    MapView,
    PublicTables,
    Table,
    _one,
    _slice,
    axes,
    cell_status_text,
    choropleth,
    header,
    headline_cards,
    includes_text,
    make_table,
    place_name,
    ranking_table,
    region_values,
    scaled,
    sec_label,
    series_label,
    shown_status,
    target_plan,
    targets_table,
    titled,
    trend_frame,
    trend_table,
    value_texts,
)
from data.codes import SECTION_CODES
from geo.regions import codes_for_basis, harmonised_code
from layers import charts
from layers.numbers import change_unit, fmt_signed, percent_sign, word
from osh.registry import change_values


@dataclass(frozen=True)
class RegionsSelection:
    lang: str
    indicator: str
    year: int
    basis: str
    region: str
    series: str
    change: bool = False
    compare: str | None = None  # a second series drawn as its own labelled trend line (never mixed into the first)
    versus: str | None = None  # region B (2-digit KATO) or "KZ", shown beside the region: cards, trend, sectors


@dataclass(frozen=True)
class RegionsView:
    map: MapView
    profile_title: str
    cards: tuple[Card, ...]
    trend: Chart
    sectors: Table
    targets: Table
    notes: tuple[str, ...] = field(default_factory=tuple)
    versus_title: str = ""  # empty: no comparison chosen
    versus_cards: tuple[Card, ...] = ()
    versus_sectors: Table | None = None
    versus_table: Table | None = None  # every indicator of A and B with its interval, side by side


def change_frame(now: pd.DataFrame, prev: pd.DataFrame, *, indicator_id: str) -> pd.DataFrame:
    """Per region the change on the previous year by the registry's rule (osh.registry.change_values). A region
    without a change keeps this year's status when that is not 'ok', else 'no_data' (also when it did not exist
    the year before: it has no previous figure, but it exists now)."""
    both = now.merge(prev[["region", "value", "status"]], on="region", suffixes=("", "_prev"))
    ok = (both["status"] == "ok") & (both["status_prev"] == "ok")
    value = change_values(indicator_id, value=both["value"], previous=both["value_prev"]).where(ok)
    status = np.where(value.notna(), "ok", np.where(both["status"] != "ok", both["status"], "no_data"))
    return both.assign(value=value, status=status).drop(columns=["value_prev", "status_prev"])


def regions(data: PublicTables, env: MapEnv, sel: RegionsSelection) -> RegionsView:
    lang, ind = sel.lang, indicator(sel.indicator)
    units = codes_for_basis(sel.basis)  # type: ignore[arg-type]
    region = sel.region if sel.region in units else harmonised_code(sel.region)
    notes: list[str] = []
    if sel.region != region:
        notes.append(t("regions.merged", lang, child=place_name(sel.region, lang), parent=place_name(region, lang)))
    frame = region_values(data, ind=ind, year=sel.year, basis=sel.basis, series=sel.series)
    here = frame[frame["region"] == region]
    if len(here) and str(here["status"].iloc[0]) == "not_existing":
        notes.append(t("regions.not_existing", lang, region=place_name(region, lang), year=sel.year))
    elif len(here) and includes_text(here["includes"].iloc[0], lang):
        notes.append(t("regions.includes_note", lang, region=place_name(region, lang), year=sel.year,
                       includes=includes_text(here["includes"].iloc[0], lang)))
    title = titled(f"{ind.name(lang)}, {sel.year}", sel.series, lang)
    if sel.change:
        prev = region_values(data, ind=ind, year=sel.year - 1, basis=sel.basis, series=sel.series)
        frame = change_frame(frame, prev, indicator_id=ind.id)
        title = titled(t("regions.change_title", lang, indicator=ind.name(lang), year=sel.year, prev=sel.year - 1), sel.series, lang)
        unit_word = change_unit(ind.id, lang)
        unit = t("regions.change_unit", lang, unit=unit_word)
        suffix = percent_sign(lang) if ind.change_mode() == "relative" else (
            f"\u00a0{word('pp', lang)}" if ind.kind == "share" else "")
        decimals = 1 if ind.change_mode() == "relative" or ind.kind == "share" else ind.decimals

        def signed(v: Any) -> str:
            return fmt_signed(v, lang, decimals=decimals, suffix=suffix)

        key = f"change_{ind.id}_{sel.year}_{sel.series}"
        table = ranking_table(frame, ind=ind, year=sel.year, lang=lang, key=key, title=t("ranking.title", lang, title=title),
                              value_header=f"{title} ({unit})", scale=1.0, fmt=signed,
                              decimals=decimals)
        mv = choropleth(frame, env=env, ind=ind, basis=sel.basis, lang=lang, title=title, key=key, table=table,
                        diverging=True, highlight=region, unit=unit, text_fmt=signed, legend_fmt=signed, pickable=True)
    else:
        key = f"map_{ind.id}_{sel.year}_{sel.basis}_{sel.series}"
        table = ranking_table(frame, ind=ind, year=sel.year, lang=lang, key=key, title=t("ranking.title", lang, title=title))
        mv = choropleth(frame, env=env, ind=ind, basis=sel.basis, lang=lang, title=title, key=key, table=table, highlight=region,
                        pickable=True)

    name = place_name(region, lang)
    compare = sel.compare if sel.compare and sel.compare != sel.series else None
    label = (lambda c: f"{place_name(c, lang)} · {series_label(sel.series, lang)}") if compare else None
    versus = _versus(sel.versus, region=region, units=units)
    places = list(dict.fromkeys([region, *([versus] if versus else []), NATIONAL]))
    trend = trend_frame(data, ind=ind, places=places, basis=sel.basis, section=ALL, lang=lang, series=sel.series,
                        label=label)
    if compare:
        second = trend_frame(data, ind=ind, places=places, basis=sel.basis, section=ALL, lang=lang,
                             series=compare, label=lambda c: f"{place_name(c, lang)} · {series_label(compare, lang)}")
        trend = pd.concat([trend, second], ignore_index=True)
    # the Concept's plan is drawn only on its own series (targets are tracked on BNS)
    target_rows = target_plan(data, indicator_id=ind.id, region=region, series=sel.series)
    trend_name = f"{name} / {place_name(versus, lang)}" if versus and versus != NATIONAL else name
    trend_title = titled(t("regions.trend_title", lang, indicator=ind.name(lang), region=trend_name), sel.series, lang)
    if compare:
        trend_title = f"{trend_title} / {series_label(compare, lang)}"
    trend_spec = charts.trend_chart(
        trend, axes=axes(t("col.year", lang), ind.unit_text(lang), ind=ind),
        locale=vega_locale(lang), targets=scaled(target_rows[["year", "plan"]], ind, ("plan",)) if len(target_rows) else None,
        target_label=t("targets.plan", lang),
    ).to_dict(validate=False)
    note = t("chart.trend_note", lang) if ind.interval else ""
    if len(target_rows):
        note = " ".join(x for x in (note, t("chart.plan_note", lang)) if x)
    note = " ".join(x for x in (note, t("chart.gaps_note", lang, series=series_label(sel.series, lang))) if x)
    if compare:
        note = " ".join((note, t("chart.compare_note", lang)))
    tkey = f"trend_{ind.id}_{region}_{sel.series}" + (f"_{compare}" if compare else "") + (f"_vs{versus}" if versus else "")
    trend_chart = Chart(tkey, trend_title, trend_spec, trend_table(trend, ind=ind, lang=lang, key=tkey, title=trend_title), note,
                        about=(ind.id,))
    card_ids = ("injury_rate_1000", "fatal_rate_1000", "hidden_ratio", "workers")
    cards = list(headline_cards(data, year=sel.year, lang=lang, region=region, basis=sel.basis, series=sel.series,
                                ids=card_ids))
    area = env.areas.get(sel.basis)
    if area is not None and region in area.index:
        cards.append(Card(t("regions.area", lang), fmt_number(area[region], lang), t("unit.km2", lang), None, "off",
                          t("regions.area_help", lang)))
    return RegionsView(
        map=mv,
        profile_title=t("regions.profile", lang, region=name, year=sel.year),
        cards=tuple(cards),
        trend=trend_chart,
        sectors=sector_table(data, region=region, year=sel.year, basis=sel.basis, lang=lang, series=sel.series),
        targets=targets_table(data, region=region, lang=lang, key=f"targets_{region}", latest_only=True),
        notes=tuple(notes),
        versus_title=t("regions.profile", lang, region=place_name(versus, lang), year=sel.year) if versus else "",
        versus_cards=headline_cards(data, year=sel.year, lang=lang, region=versus, basis=sel.basis, series=sel.series,
                                    ids=card_ids) if versus else (),
        versus_sectors=sector_table(data, region=versus, year=sel.year, basis=sel.basis, lang=lang, series=sel.series)
        if versus else None,
        versus_table=compare_table(data, a=region, b=versus, year=sel.year, basis=sel.basis, lang=lang, series=sel.series)
        if versus else None,
    )


COMPARED: tuple[str, ...] = (*MAP_INDICATORS, "harmful_workers", "workers")


def verdict(ind_id: str, a: pd.Series | None, b: pd.Series | None) -> str:
    """'higher' / 'lower' when A's and B's 95 % intervals do not overlap, 'overlap' when they do, '' when an
    indicator has no interval or either side has no value (no difference is claimed without one)."""
    ind = indicator(ind_id)
    if ind.interval is None or a is None or b is None or a["status"] != "ok" or b["status"] != "ok":
        return ""
    lo_a, hi_a = float(a[ind.interval[0]]), float(a[ind.interval[1]])
    lo_b, hi_b = float(b[ind.interval[0]]), float(b[ind.interval[1]])
    if not all(np.isfinite(v) for v in (lo_a, hi_a, lo_b, hi_b)):
        return ""
    return "higher" if lo_a > hi_b else ("lower" if hi_a < lo_b else "overlap")


def compare_table(data: PublicTables, *, a: str, b: str, year: int, basis: str, lang: str, series: str) -> Table:
    """Region A against region B (or Kazakhstan), every indicator of the series with its 95 % interval: the shown
    table reads "3,69 (3,20 – 4,10)", the download has the value and both bounds as numbers for each side."""
    rows = {c: _one(data, series=series, year=year, region=c, basis=basis) for c in (a, b)}
    name_a, name_b = place_name(a, lang), place_name(b, lang)
    display: dict[str, list[str]] = {t("col.indicator", lang): [], t("col.unit", lang): [], name_a: [], name_b: [],
                                     t("compare.verdict", lang): []}
    down: dict[str, list[object]] = {t("col.indicator_id", lang): [], t("col.indicator", lang): [], t("col.unit", lang): []}
    for place in (name_a, name_b):
        for col in (place, t("compare.lower_bound", lang, place=place), t("compare.upper_bound", lang, place=place)):
            down[col] = []
    down[t("compare.verdict", lang)] = []
    for ind_id in COMPARED:
        ind = indicator(ind_id)
        factor = ind.scale()
        outcome = verdict(ind_id, rows[a], rows[b])
        verdict_text = t(f"compare.{outcome}", lang, a=name_a) if outcome else ""
        display[t("col.indicator", lang)].append(ind.name(lang))
        display[t("col.unit", lang)].append(ind.unit_text(lang))
        display[t("compare.verdict", lang)].append(verdict_text)
        down[t("col.indicator_id", lang)].append(ind.id)
        down[t("col.indicator", lang)].append(ind.name(lang))
        down[t("col.unit", lang)].append(ind.unit_text(lang))
        down[t("compare.verdict", lang)].append(verdict_text)
        for code, place in ((a, name_a), (b, name_b)):
            row = rows[code]
            frame = pd.DataFrame({"value": [np.nan if row is None else row[ind_id]],
                                  "status": ["no_data" if row is None else row["status"]],
                                  "covered": [None if row is None else row.get("covered")],
                                  "cover_of": [None if row is None else row.get("cover_of")]})
            text = value_texts(frame, ind, lang)[0]
            ok = row is not None and row["status"] == "ok" and pd.notna(row[ind_id])
            lo = hi = np.nan
            if row is not None and ok and ind.interval and pd.notna(row[ind.interval[0]]) and pd.notna(row[ind.interval[1]]):
                lo, hi = float(row[ind.interval[0]]) * factor, float(row[ind.interval[1]]) * factor
            if np.isfinite(lo) and np.isfinite(hi):
                text = (f"{text} ({fmt_number(lo, lang, decimals=ind.decimals)} – "
                        f"{fmt_number(hi, lang, decimals=ind.decimals)})")
            display[place].append(text)
            value = float(row[ind_id]) * factor if row is not None and ok else np.nan
            down[place].append(round(value, ind.decimals) if np.isfinite(value) else np.nan)
            down[t("compare.lower_bound", lang, place=place)].append(round(lo, ind.decimals) if np.isfinite(lo) else np.nan)
            down[t("compare.upper_bound", lang, place=place)].append(round(hi, ind.decimals) if np.isfinite(hi) else np.nan)
    raw = pd.DataFrame(down)
    for place in (name_a, name_b):
        for col in (place, t("compare.lower_bound", lang, place=place), t("compare.upper_bound", lang, place=place)):
            raw[col] = raw[col].astype(float)
    title = titled(t("compare.title", lang, a=name_a, b=name_b, year=year), series, lang)
    # on screen the unit goes last: the two values and the verdict are read first
    shown = pd.DataFrame(display)[[t("col.indicator", lang), name_a, name_b, t("compare.verdict", lang), t("col.unit", lang)]]
    # a verdict is a sentence: a static table whose cells wrap, whatever the data of the day
    return Table(f"compare_{a}_{b}_{year}_{basis}_{series}", title, shown, raw, prose=True)


def _versus(asked: str | None, *, region: str, units: Sequence[str]) -> str | None:
    """Region B of a comparison on the page's basis (a region merged on the harmonised basis is its parent);
    None when none is asked or it is the region itself."""
    if not asked:
        return None
    code = asked if asked == NATIONAL or asked in units else harmonised_code(asked)
    return None if code == region else code


def sector_table(data: PublicTables, *, region: str, year: int, basis: str, lang: str, series: str) -> Table:
    rows = _slice(data, series=series, basis=basis, year=year, region=region, section=list(SECTION_CODES))
    ids = ("workers", "injured", "injury_rate_1000", "fatal_rate_1000", "hidden_ratio")
    raw = pd.DataFrame({t("col.section", lang): [sec_label(s, lang) for s in rows["section"]]})
    formatters: dict[str, Callable[..., str]] = {}
    for ind_id in ids:
        ind = indicator(ind_id)
        h = header(ind, lang)
        raw[h] = rows[ind_id].to_numpy() * ind.scale()
        formatters[h] = lambda v, d=ind.decimals: fmt_number(v, lang, decimals=d)
    status = shown_status(rows["injured"], rows["status"], indicator("injured"))
    raw[t("col.status", lang)] = [cell_status_text(s, lang, covered=c, cover_of=o) for s, c, o in zip(
        status, rows.get("covered", pd.Series(None, index=rows.index)), rows.get("cover_of", pd.Series(None, index=rows.index)),
        strict=True)]
    title = titled(t("regions.sectors", lang, region=place_name(region, lang), year=year), series, lang)
    table = make_table(f"sectors_{region}_{year}_{series}", title, raw, formatters)
    # downloads: the OKED section code beside its name, numbers rounded as shown
    down = table.raw.copy()
    for ind_id in ids:
        ind = indicator(ind_id)
        down[header(ind, lang)] = np.round(down[header(ind, lang)].astype(float), ind.decimals)
    down.insert(0, t("col.oked", lang), rows["section"].astype(str).to_numpy())
    return Table(table.key, table.title, table.display, down.reset_index(drop=True))
