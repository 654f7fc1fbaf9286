"""View models of the barometer pages: pure functions from the public tables and a selection to what a page shows."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any, Protocol

import numpy as np
import pandas as pd

from dashboard.catalog import HEADLINE, INDICATORS, Indicator, indicator
from dashboard.i18n import fmt_number, fmt_percent, fmt_signed, t, vega_locale
from data.codes import DISEASE_CAUSES, SECTION_CODES
from geo.regions import REGION_CODES, codes_for_basis, harmonised_code, region_name
from layers import charts
from layers.choropleth import ChoroplethError, MapText, build_choropleth, map_html

NATIONAL = "KZ"
ALL = "ALL"


class PublicTables(Protocol):
    """What the barometer reads: osh.public.PublicData (CONTRACTS.md §1)."""

    indicators: pd.DataFrame
    diseases: pd.DataFrame
    targets: pd.DataFrame
    official: pd.DataFrame
    meta: dict[str, str]


@dataclass(frozen=True)
class MapEnv:
    """Boundaries per basis and where Leaflet is served from (built once per process by dashboard.cache)."""

    geojson: Mapping[str, dict[str, Any]]
    areas: Mapping[str, pd.Series]
    leaflet_js: str
    leaflet_css: str
    attribution: str
    tiles: str | None = None
    error: str | None = None  # why maps cannot be drawn (the ranking tables are still shown)


# --- building blocks returned to the pages ----------------------------------------------------------------------


@dataclass(frozen=True)
class Table:
    key: str  # download file stem
    title: str
    display: pd.DataFrame  # translated headers, formatted strings
    raw: pd.DataFrame  # translated headers, numbers (downloads)
    row_keys: tuple[str, ...] = ()  # what each row stands for (region codes of a ranking), for row selection


@dataclass(frozen=True)
class Chart:
    key: str
    title: str
    spec: dict[str, Any]
    table: Table  # the text alternative
    note: str = ""  # how to read it (shown under the chart)


@dataclass(frozen=True)
class MapView:
    key: str
    title: str
    html: str | None
    alt: str
    table: Table  # the text alternative (a ranking)
    error: str | None = None


@dataclass(frozen=True)
class Card:
    label: str  # indicator and period
    value: str  # the number as shown
    unit: str
    delta: str | None
    delta_color: str  # "normal" | "inverse" | "off"
    help: str


@dataclass(frozen=True)
class Options:
    years: tuple[int, ...]
    latest_year: int
    regions: tuple[str, ...]
    sections: tuple[str, ...]
    target_regions: tuple[str, ...]
    target_indicators: tuple[str, ...]


# --- names and formats ---------------------------------------------------------------------------------------------


def place_name(code: str, lang: str) -> str:
    return t("kz", lang) if code == NATIONAL else region_name(code, lang)


def section_name(code: str, lang: str) -> str:
    return t(f"section.{code}", lang)


def status_text(status: str, lang: str) -> str:
    return t(f"status.{status}", lang)


def shown_status(values: pd.Series, status: pd.Series, ind: Indicator) -> pd.Series:
    """The status a reader sees: an 'ok' cell without a value has 'no_ratio' (hidden ratio without a death) or 'no_data'."""
    st = status.astype(str)
    empty_ok = (st == "ok") & values.isna()
    return st.where(~empty_ok, "no_ratio" if ind.id == "hidden_ratio" else "no_data")


def _value_texts(values: pd.Series, status: pd.Series, ind: Indicator, lang: str) -> pd.Series:
    texts = pd.Series([ind.fmt(v, lang) for v in values.to_numpy()], index=values.index, dtype=object)
    st = shown_status(values, status, ind)
    return texts.where(st == "ok", [status_text(x, lang) for x in st])


def _header(ind: Indicator, lang: str, year: int | None = None) -> str:
    period = f", {year}" if year is not None else ""
    return f"{ind.label(lang)}{period} ({ind.unit_text(lang)})"


def options(data: PublicTables) -> Options:
    ind = data.indicators
    years = tuple(sorted(int(y) for y in ind["year"].unique()))
    if not years:
        raise EmptyDataError("the public indicator table is empty; run `enbek publish` (or `make run`) to build it")
    sections = tuple(s for s in SECTION_CODES if s in set(ind["section"]))
    targets = data.targets
    t_regions = tuple(sorted(set(targets["region"].astype(str)), key=lambda c: (c != NATIONAL, c)))
    t_inds = tuple(dict.fromkeys(targets["indicator"].astype(str)))
    return Options(years, years[-1], REGION_CODES, sections, t_regions, t_inds)


class EmptyDataError(ValueError):
    """The public tables hold nothing to show."""


def _slice(data: PublicTables, *, basis: str = "current", year: int | None = None, region: str | Sequence[str] | None = None,
           section: str | Sequence[str] | None = None) -> pd.DataFrame:
    f = data.indicators
    mask = f["basis"] == basis
    if year is not None:
        mask &= f["year"] == year
    if region is not None:
        mask &= f["region"].isin([region] if isinstance(region, str) else list(region))
    if section is not None:
        mask &= f["section"].isin([section] if isinstance(section, str) else list(section))
    return f.loc[mask]


def _one(data: PublicTables, *, year: int, region: str = NATIONAL, section: str = ALL, basis: str = "current") -> pd.Series | None:
    rows = _slice(data, basis=basis, year=year, region=region, section=section)
    return None if rows.empty else rows.iloc[0]


# --- tables, charts, maps ------------------------------------------------------------------------------------------


def _table(key: str, title: str, raw: pd.DataFrame, formatters: Mapping[str, Callable[[Any], str]]) -> Table:
    display = raw.copy()
    for col, fmt in formatters.items():
        display[col] = [fmt(v) for v in raw[col].to_numpy()]
    return Table(key, title, display.reset_index(drop=True), raw.reset_index(drop=True))


def region_values(data: PublicTables, *, ind: Indicator, year: int, basis: str, section: str = ALL) -> pd.DataFrame:
    """One row per unit of the basis: region, value, lo, hi, status (units absent from the table are 'no_data')."""
    rows = _slice(data, basis=basis, year=year, region=codes_for_basis(basis), section=section)  # type: ignore[arg-type]
    cols = ["region", ind.id, "status", *(ind.ci or ())]
    frame = pd.DataFrame({"region": list(codes_for_basis(basis))}).merge(rows[cols], on="region", how="left")  # type: ignore[arg-type]
    frame = frame.rename(columns={ind.id: "value"})
    if ind.ci:
        frame = frame.rename(columns={ind.ci[0]: "lo", ind.ci[1]: "hi"})
    frame["status"] = frame["status"].fillna("no_data")
    return frame


def ranking_table(frame: pd.DataFrame, *, ind: Indicator, year: int, lang: str, key: str, title: str,
                  value_header: str | None = None) -> Table:
    """Regions sorted by value (confidential and no-data last), with CI and status: the text alternative of a map."""
    f = frame.assign(name=[place_name(c, lang) for c in frame["region"]]).sort_values(
        ["value", "name"], ascending=[False, True], na_position="last"
    )
    f = f.assign(rank=np.where(f["value"].notna(), np.arange(1, len(f) + 1), np.nan))
    h_rank, h_name, h_value = t("col.rank", lang), t("col.region", lang), value_header or _header(ind, lang, year)
    raw = pd.DataFrame({h_rank: f["rank"].to_numpy(), h_name: f["name"].to_numpy(),
                        h_value: (f["value"] * ind.scale()).to_numpy()})
    formatters: dict[str, Callable[[Any], str]] = {
        h_rank: lambda v: fmt_number(v, lang, missing=""),
        h_value: lambda v: fmt_number(v, lang, decimals=ind.decimals),
    }
    if ind.ci and "lo" in f:
        h_ci = t("col.ci95", lang)
        raw[h_ci] = [
            f"{fmt_number(lo, lang, decimals=ind.decimals)} – {fmt_number(hi, lang, decimals=ind.decimals)}"
            if pd.notna(lo) else "" for lo, hi in zip(f["lo"], f["hi"], strict=True)
        ]
    raw[t("col.status", lang)] = [status_text(s, lang) for s in shown_status(f["value"], f["status"], ind)]
    table = _table(key, title, raw, formatters)
    display = table.display.copy()
    display[h_value] = _value_texts(f["value"].reset_index(drop=True), f["status"].reset_index(drop=True), ind, lang).to_numpy()
    return Table(table.key, table.title, display, table.raw, tuple(f["region"].astype(str)))


def choropleth(frame: pd.DataFrame, *, env: MapEnv, ind: Indicator, basis: str, lang: str, title: str, key: str,
               table: Table, diverging: bool = False, highlight: str | None = None, unit: str | None = None) -> MapView:
    alt_text = t("map.alt", lang, title=title)
    if env.error is not None or basis not in env.geojson:
        return MapView(key, title, None, alt_text, table, error=env.error or t("map.no_boundaries", lang))
    shown = frame.assign(
        name=[place_name(c, lang) for c in frame["region"]],
        value_text=(_value_texts(frame["value"], frame["status"], ind, lang) if not diverging else
                    [fmt_signed(v * ind.scale(), lang, decimals=ind.decimals) if s == "ok" else status_text(s, lang)
                     for v, s in zip(frame["value"], frame["status"], strict=True)]),
    )
    text = MapText(
        title=title, unit=unit or ind.unit_text(lang), region_label=t("col.region", lang), value_label=ind.label(lang),
        no_data=t("status.no_data", lang), confidential=t("status.confidential", lang),
        attribution=env.attribution, alt=alt_text,
    )
    scale = ind.scale()

    def fmt(v: float) -> str:
        return fmt_number(v * scale, lang, decimals=ind.decimals)

    try:
        m = build_choropleth(frame=shown, geojson=env.geojson[basis], text=text, fmt=fmt, leaflet_js=env.leaflet_js,
                             leaflet_css=env.leaflet_css, diverging=diverging, highlight=highlight, tiles=env.tiles)
    except ChoroplethError as exc:
        return MapView(key, title, None, alt_text, table, error=str(exc))
    return MapView(key, title, map_html(m), alt_text, table)


def _axes(x: str, y: str, *, ind: Indicator | None = None, legend: str = "", title: str = "") -> charts.Axes:
    fmt = ind.d3_format() if ind is not None else ",.0f"
    return charts.Axes(x=x, y=y, number_format=fmt, legend=legend, title=title)


def _scaled(frame: pd.DataFrame, ind: Indicator, cols: Sequence[str] = ("value", "lo", "hi")) -> pd.DataFrame:
    factor = ind.scale()
    return frame.assign(**{c: frame[c] * factor for c in cols if c in frame.columns})


def trend_frame(data: PublicTables, *, ind: Indicator, places: Sequence[str], basis: str, section: str, lang: str) -> pd.DataFrame:
    rows = _slice(data, basis=basis, region=list(places), section=section).sort_values("year")
    f = pd.DataFrame({"year": rows["year"].astype(int).to_numpy(), "region": rows["region"].to_numpy(),
                      "value": rows[ind.id].astype(float).to_numpy()})
    if ind.ci:
        f["lo"] = rows[ind.ci[0]].astype(float).to_numpy()
        f["hi"] = rows[ind.ci[1]].astype(float).to_numpy()
    f["series"] = [place_name(c, lang) for c in f["region"]]
    order = {c: i for i, c in enumerate(places)}
    return _scaled(f.sort_values(["region", "year"], key=lambda s: s.map(order) if s.name == "region" else s), ind)


def trend_table(frame: pd.DataFrame, *, ind: Indicator, lang: str, key: str, title: str) -> Table:
    wide = frame.pivot_table(index="year", columns="series", values="value", sort=False).reset_index()
    wide = wide.rename(columns={"year": t("col.year", lang)})
    wide.columns.name = None
    formatters = {c: (lambda v, d=ind.decimals: fmt_number(v, lang, decimals=d)) for c in wide.columns[1:]}
    formatters[t("col.year", lang)] = lambda v: str(int(v))
    return _table(key, f"{title} ({ind.unit_text(lang)})", wide, formatters)


# --- pages ---------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class OverviewSelection:
    lang: str
    indicator: str
    year: int


@dataclass(frozen=True)
class OverviewView:
    title: str
    period: str
    cards: tuple[Card, ...]
    map: MapView
    ranking: Chart
    official: Table


def headline_cards(data: PublicTables, *, year: int, lang: str, region: str = NATIONAL, basis: str = "current",
                   ids: Sequence[str] = HEADLINE) -> tuple[Card, ...]:
    now = _one(data, year=year, region=region, basis=basis)
    before = _one(data, year=year - 1, region=region, basis=basis)
    cards = []
    for ind_id in ids:
        ind = indicator(ind_id)
        value = now[ind_id] if now is not None and now["status"] == "ok" else np.nan
        prev = before[ind_id] if before is not None and before["status"] == "ok" else np.nan
        delta: str | None = None
        if pd.notna(value) and pd.notna(prev):
            if ind.kind == "share":
                delta = fmt_signed((value - prev) * 100, lang, decimals=1, suffix=" " + t("unit.pp", lang))
            elif prev != 0:
                delta = fmt_signed((value / prev - 1) * 100, lang, decimals=1, suffix="\u00a0%")
        colour = "off" if ind.worse_when_higher is None else ("inverse" if ind.worse_when_higher else "normal")
        no_ratio = ind.id == "hidden_ratio" and now is not None and now["status"] == "ok" and pd.isna(value)
        cards.append(Card(
            label=f"{ind.label(lang)}, {year}",
            value=ind.fmt(value, lang),
            unit=status_text("no_ratio", lang) if no_ratio else ind.unit_text(lang),
            delta=delta, delta_color=colour,
            help=t("card.help", lang, unit=ind.unit_text(lang), prev=year - 1),
        ))
    return tuple(cards)


def official_table(data: PublicTables, *, lang: str, scopes: Sequence[str] | None = None, key: str = "official") -> Table:
    f = data.official
    if scopes is not None:
        f = f[f["scope"].isin(list(scopes))]
    raw = pd.DataFrame({
        t("col.figure", lang): [_figure_name(x, lang) for x in f["figure"]],
        t("col.scope", lang): [_scope_name(s, lang) for s in f["scope"]],
        t("col.year", lang): f["year"].to_numpy(),
        t("col.value", lang): f["value"].astype(float).to_numpy(),
        t("col.unit", lang): [_unit_name(u, lang) for u in f["unit"]],
        t("col.source", lang): [source_text(str(x), lang) for x in f["source"]],
    })
    decimals = [0 if float(v).is_integer() else (1 if abs(v) >= 1 else 3) for v in f["value"].astype(float)]
    display = raw.copy()
    display[t("col.value", lang)] = [fmt_number(v, lang, decimals=d) for v, d in zip(raw[t("col.value", lang)], decimals, strict=True)]
    display[t("col.year", lang)] = [str(int(y)) if pd.notna(y) else "" for y in raw[t("col.year", lang)]]
    return Table(key, t("official.title", lang), display.reset_index(drop=True), raw.reset_index(drop=True))


def _lookup(prefix: str, value: object, lang: str) -> str:
    from dashboard.i18n import has

    key = f"{prefix}.{value}"
    return t(key, lang) if has(key) else str(value)


def _figure_name(figure: str, lang: str) -> str:
    return t(f"ind.{figure}", lang) if figure in INDICATORS else _lookup("fig", figure, lang)


def _scope_name(scope: str, lang: str) -> str:
    if scope == NATIONAL:
        return t("kz", lang)
    if scope in REGION_CODES:
        return region_name(scope, lang)
    if scope in SECTION_CODES:
        return section_name(scope, lang)
    return _lookup("country", scope, lang)


# Units as data.official writes them -> locale key suffix ("unit.*").
UNIT_KEYS: dict[str, str] = {
    "%": "percent", "per 100 000 workers": "per_100k", "per 1000 workers": "per_1000", "persons": "persons",
    "thousand persons": "thousand_persons", "bn tenge": "bn_tenge", "m tenge": "m_tenge", "count": "count",
    "times": "times", "non-fatal : fatal (N:1)": "ratio", "per_1000": "per_1000", "per_100k": "per_100k", "ratio": "ratio",
}


def _unit_name(unit: str, lang: str) -> str:
    key = UNIT_KEYS.get(unit)
    return t(f"unit.{key}", lang) if key else unit


SOURCE_PREFIX = "seed/000_0a7c0a798492aed5.txt:"


def source_text(source: str, lang: str) -> str:
    """'seed/000_…txt:137' -> 'Safe Labour Concept 2024–2030, line 137'; other sources unchanged."""
    if source.startswith(SOURCE_PREFIX):
        return t("source.concept", lang, line=source[len(SOURCE_PREFIX):])
    return source


def overview(data: PublicTables, env: MapEnv, sel: OverviewSelection) -> OverviewView:
    lang, ind = sel.lang, indicator(sel.indicator)
    frame = region_values(data, ind=ind, year=sel.year, basis="current")
    title = f"{ind.label(lang)}, {sel.year}"
    table = ranking_table(frame, ind=ind, year=sel.year, lang=lang, key=f"ranking_{ind.id}_{sel.year}", title=t("ranking.title", lang, title=title))
    mv = choropleth(frame, env=env, ind=ind, basis="current", lang=lang, title=title, key=f"map_{ind.id}_{sel.year}", table=table)
    ranking = _ranking_chart(frame, ind=ind, lang=lang, title=title, table=table, key=f"ranking_{ind.id}_{sel.year}")
    latest = int(data.indicators["year"].max())
    return OverviewView(
        title=t("page.overview", lang),
        period=t("overview.period", lang, year=latest, prev=latest - 1),
        cards=headline_cards(data, year=latest, lang=lang),
        map=mv,
        ranking=ranking,
        official=official_table(data, lang=lang, scopes=[NATIONAL]),
    )


def _ranking_chart(frame: pd.DataFrame, *, ind: Indicator, lang: str, title: str, table: Table, key: str,
                   highlight: str | None = None, label: Callable[[str], str] | None = None, column: str = "region") -> Chart:
    namer = label or (lambda c: place_name(c, lang))
    f = _scaled(frame[frame["status"] == "ok"].assign(label=lambda x: [namer(c) for c in x[column]]), ind)
    spec = charts.ranking_chart(
        f, axes=_axes(f"{ind.label(lang)} ({ind.unit_text(lang)})", "", ind=ind), locale=vega_locale(lang),
        highlight=namer(highlight) if highlight else None,
    ).to_dict(validate=False)
    return Chart(key, t("ranking.title", lang, title=title), spec, table, t("chart.ci_note", lang) if ind.ci else "")


@dataclass(frozen=True)
class RegionsSelection:
    lang: str
    indicator: str
    year: int
    basis: str
    region: str
    change: bool = False


@dataclass(frozen=True)
class RegionsView:
    map: MapView
    profile_title: str
    cards: tuple[Card, ...]
    trend: Chart
    sectors: Table
    targets: Table
    notes: tuple[str, ...] = field(default_factory=tuple)


def regions(data: PublicTables, env: MapEnv, sel: RegionsSelection) -> RegionsView:
    lang, ind = sel.lang, indicator(sel.indicator)
    units = codes_for_basis(sel.basis)  # type: ignore[arg-type]
    region = sel.region if sel.region in units else harmonised_code(sel.region)
    notes: list[str] = []
    if sel.region != region:
        notes.append(t("regions.merged", lang, child=place_name(sel.region, lang), parent=place_name(region, lang)))
    frame = region_values(data, ind=ind, year=sel.year, basis=sel.basis)
    title = f"{ind.label(lang)}, {sel.year}"
    if sel.change:
        prev = region_values(data, ind=ind, year=sel.year - 1, basis=sel.basis)
        both = frame.merge(prev[["region", "value", "status"]], on="region", suffixes=("", "_prev"))
        ok = (both["status"] == "ok") & (both["status_prev"] == "ok")
        status = both["status"].where(both["status"] != "ok", both["status_prev"].where(~ok, "ok"))
        status = status.where(status != "ok", "no_data").where(~ok, "ok")
        frame = pd.DataFrame({"region": both["region"], "value": (both["value"] - both["value_prev"]).where(ok), "status": status})
        title = t("regions.change_title", lang, indicator=ind.label(lang), year=sel.year, prev=sel.year - 1)
        unit = t("regions.change_unit", lang, unit=t("unit.pp", lang) if ind.kind == "share" else ind.unit_text(lang))
        key = f"change_{ind.id}_{sel.year}"
        table = ranking_table(frame, ind=ind, year=sel.year, lang=lang, key=key, title=t("ranking.title", lang, title=title),
                              value_header=f"{title} ({unit})")
        mv = choropleth(frame, env=env, ind=ind, basis=sel.basis, lang=lang, title=title, key=key, table=table,
                        diverging=True, highlight=region, unit=unit)
    else:
        key = f"map_{ind.id}_{sel.year}_{sel.basis}"
        table = ranking_table(frame, ind=ind, year=sel.year, lang=lang, key=key, title=t("ranking.title", lang, title=title))
        mv = choropleth(frame, env=env, ind=ind, basis=sel.basis, lang=lang, title=title, key=key, table=table, highlight=region)

    name = place_name(region, lang)
    trend = trend_frame(data, ind=ind, places=[region, NATIONAL], basis=sel.basis, section=ALL, lang=lang)
    target_rows = target_plan(data, indicator_id=ind.id, region=region)
    trend_title = t("regions.trend_title", lang, indicator=ind.label(lang), region=name)
    trend_spec = charts.trend_chart(
        trend, axes=_axes(t("col.year", lang), ind.unit_text(lang), ind=ind),
        locale=vega_locale(lang), targets=_scaled(target_rows[["year", "plan"]], ind, ("plan",)) if len(target_rows) else None,
        target_label=t("targets.plan", lang),
    ).to_dict(validate=False)
    note = t("chart.trend_note", lang) if ind.ci else ""
    if len(target_rows):
        note = " ".join(x for x in (note, t("chart.plan_note", lang)) if x)
    trend_chart = Chart(f"trend_{ind.id}_{region}", trend_title, trend_spec,
                        trend_table(trend, ind=ind, lang=lang, key=f"trend_{ind.id}_{region}", title=trend_title), note)
    cards = list(headline_cards(data, year=sel.year, lang=lang, region=region, basis=sel.basis,
                                ids=("injury_rate_1000", "fatal_rate_1000", "hidden_ratio", "workers")))
    area = env.areas.get(sel.basis)
    if area is not None and region in area.index:
        cards.append(Card(t("regions.area", lang), fmt_number(area[region], lang), t("unit.km2", lang), None, "off",
                          t("regions.area_help", lang)))
    return RegionsView(
        map=mv,
        profile_title=t("regions.profile", lang, region=name, year=sel.year),
        cards=tuple(cards),
        trend=trend_chart,
        sectors=_sector_table(data, region=region, year=sel.year, basis=sel.basis, lang=lang),
        targets=targets_table(data, region=region, lang=lang, key=f"targets_{region}", latest_only=True),
        notes=tuple(notes),
    )


def target_plan(data: PublicTables, *, indicator_id: str, region: str) -> pd.DataFrame:
    """year, plan of the target that tracks indicator column `indicator_id`, in that column's units (shares 0..1)."""
    from osh.targets import SOURCES

    for target_id, (column, factor, _ci) in SOURCES.items():
        if column == indicator_id:
            rows = data.targets[(data.targets["region"] == region) & (data.targets["indicator"] == target_id)]
            return pd.DataFrame({"year": rows["year"].astype(int).to_numpy(), "plan": rows["plan"].astype(float).to_numpy() / factor})
    return pd.DataFrame({"year": pd.Series(dtype=int), "plan": pd.Series(dtype=float)})


def _sector_table(data: PublicTables, *, region: str, year: int, basis: str, lang: str) -> Table:
    rows = _slice(data, basis=basis, year=year, region=region, section=list(SECTION_CODES))
    ids = ("workers", "injured", "injury_rate_1000", "fatal_rate_1000", "hidden_ratio")
    raw = pd.DataFrame({t("col.section", lang): [f"{s} · {section_name(s, lang)}" for s in rows["section"]]})
    formatters: dict[str, Callable[[Any], str]] = {}
    for ind_id in ids:
        ind = indicator(ind_id)
        h = _header(ind, lang)
        raw[h] = rows[ind_id].to_numpy() * ind.scale()
        formatters[h] = lambda v, d=ind.decimals: fmt_number(v, lang, decimals=d)
    raw[t("col.status", lang)] = [status_text(s, lang) for s in rows["status"]]
    title = t("regions.sectors", lang, region=place_name(region, lang), year=year)
    return _table(f"sectors_{region}_{year}", title, raw, formatters)


def targets_table(data: PublicTables, *, region: str, lang: str, key: str, latest_only: bool = False) -> Table:
    """Plan, actual, gap and status per target indicator and year; `latest_only`: the latest year with data."""
    f = data.targets[data.targets["region"] == region].sort_values(["indicator", "year"])
    if latest_only:
        measured = f.loc[f["status"] != "not_yet", "year"]
        f = f[f["year"] == (int(measured.max()) if len(measured) else int(f["year"].min()))] if len(f) else f
    raw = pd.DataFrame({
        t("col.indicator", lang): [target_label(i, lang) for i in f["indicator"]],
        t("col.year", lang): f["year"].astype(int).to_numpy(),
        t("col.unit", lang): [_unit_name(u, lang) for u in f["unit"]],
        t("targets.plan", lang): f["plan"].astype(float).to_numpy(),
        t("targets.actual", lang): f["actual"].astype(float).to_numpy(),
        t("targets.gap", lang): f["gap"].astype(float).to_numpy(),
        t("col.status", lang): [t(f"tstatus.{s}", lang) for s in f["status"]],
    })
    decimals = [_target_decimals(i) for i in f["indicator"]]
    display = raw.copy()
    for col in (t("targets.plan", lang), t("targets.actual", lang), t("targets.gap", lang)):
        display[col] = [fmt_number(v, lang, decimals=d) for v, d in zip(raw[col], decimals, strict=True)]
    display[t("col.year", lang)] = raw[t("col.year", lang)].astype(str)
    title = t("targets.table_title", lang, region=place_name(region, lang))
    return Table(key, title, display.reset_index(drop=True), raw.reset_index(drop=True))


def target_label(indicator_id: str, lang: str) -> str:
    """The Concept's own name of a target indicator (data.official carries kk, ru, en); a locale key overrides."""
    from dashboard.i18n import has

    if has(f"target.{indicator_id}"):
        return t(f"target.{indicator_id}", lang)
    return _official_target_names().get((indicator_id, lang), indicator_id)


@cache
def _official_target_names() -> dict[tuple[str, str], str]:
    from data.official import targets as official_targets

    f = official_targets().drop_duplicates("indicator")
    return {(str(i), lang): str(n) for lang in ("kk", "ru", "en") for i, n in zip(f["indicator"], f[f"name_{lang}"], strict=True)}


def _target_decimals(indicator_id: str) -> int:
    ind = INDICATORS.get(indicator_id)
    if ind is not None:
        return ind.decimals if ind.kind != "share" else 1
    return 1


@dataclass(frozen=True)
class SectorsSelection:
    lang: str
    indicator: str
    year: int
    section: str


@dataclass(frozen=True)
class SectorsView:
    ranking: Chart
    heatmap: Chart
    map: MapView
    harmful: Chart


def sectors(data: PublicTables, env: MapEnv, sel: SectorsSelection) -> SectorsView:
    lang, ind = sel.lang, indicator(sel.indicator)
    rows = _slice(data, year=sel.year, region=NATIONAL, section=list(SECTION_CODES))
    frame = pd.DataFrame({"section": rows["section"].to_numpy(), "value": rows[ind.id].astype(float).to_numpy(),
                          "status": rows["status"].to_numpy()})
    if ind.ci:
        frame["lo"] = rows[ind.ci[0]].astype(float).to_numpy()
        frame["hi"] = rows[ind.ci[1]].astype(float).to_numpy()
    title = t("sectors.ranking_title", lang, indicator=ind.label(lang), year=sel.year)

    def sec_label(s: str) -> str:
        return f"{s} · {section_name(s, lang)}"

    rank_raw = frame.assign(name=[sec_label(s) for s in frame["section"]]).sort_values("value", ascending=False, na_position="last")
    h_value = _header(ind, lang, sel.year)
    raw = pd.DataFrame({t("col.section", lang): rank_raw["name"].to_numpy(), h_value: (rank_raw["value"] * ind.scale()).to_numpy()})
    fm: dict[str, Callable[[Any], str]] = {h_value: lambda v: fmt_number(v, lang, decimals=ind.decimals)}
    if ind.ci:
        raw[t("col.ci_lo", lang)] = (rank_raw["lo"] * ind.scale()).to_numpy()
        raw[t("col.ci_hi", lang)] = (rank_raw["hi"] * ind.scale()).to_numpy()
        fm[t("col.ci_lo", lang)] = fm[t("col.ci_hi", lang)] = fm[h_value]
    raw[t("col.status", lang)] = [status_text(s, lang) for s in rank_raw["status"]]
    rank_table = _table(f"sectors_{ind.id}_{sel.year}", title, raw, fm)
    ranking = _ranking_chart(frame, ind=ind, lang=lang, title=title, table=rank_table, key=f"sectors_{ind.id}_{sel.year}",
                             label=sec_label, column="section", highlight=sel.section)

    # region x sector heat map (current basis)
    cells = _slice(data, year=sel.year, region=REGION_CODES, section=list(SECTION_CODES))
    heat = pd.DataFrame({"row": [place_name(c, lang) for c in cells["region"]], "col": cells["section"].to_numpy(),
                         "value": cells[ind.id].astype(float).to_numpy() * ind.scale(), "status": cells["status"].to_numpy()})
    heat = heat.assign(status=heat["status"].where(heat["value"].notna() | (heat["status"] != "ok"), "no_data"))
    order = [place_name(c, lang) for c in REGION_CODES]
    heat = heat.assign(row=pd.Categorical(heat["row"], categories=order, ordered=True)).sort_values(["row", "col"])
    heat = heat.assign(row=heat["row"].astype(str))
    heat_title = t("sectors.heat_title", lang, indicator=ind.label(lang), year=sel.year)
    heat_spec = charts.heatmap_chart(
        heat, axes=_axes(t("col.section", lang), t("col.region", lang), ind=ind, legend=ind.unit_text(lang)),
        locale=vega_locale(lang), confidential_label=t("status.confidential", lang), no_data_label=t("status.no_data", lang),
    ).to_dict(validate=False)
    wide = heat.assign(text=_value_texts(heat["value"] / ind.scale(), heat["status"], ind, lang)).pivot_table(
        index="row", columns="col", values="text", aggfunc="first", sort=False)
    wide_raw = heat.pivot_table(index="row", columns="col", values="value", aggfunc="first", sort=False)
    wide = wide.reindex(index=[r for r in order if r in wide.index])
    wide_raw = wide_raw.reindex(index=wide.index)
    wide.index.name = wide_raw.index.name = t("col.region", lang)
    wide.columns.name = wide_raw.columns.name = None
    heat_table = Table(f"heatmap_{ind.id}_{sel.year}", f"{heat_title} ({ind.unit_text(lang)})",
                       wide.reset_index().fillna(t("status.no_data", lang)), wide_raw.reset_index())
    heatmap = Chart(f"heatmap_{ind.id}_{sel.year}", heat_title, heat_spec, heat_table)

    # one sector's map
    sframe = region_values(data, ind=ind, year=sel.year, basis="current", section=sel.section)
    stitle = t("sectors.map_title", lang, indicator=ind.label(lang), section=sec_label(sel.section), year=sel.year)
    skey = f"sector_map_{ind.id}_{sel.section}_{sel.year}"
    stable = ranking_table(sframe, ind=ind, year=sel.year, lang=lang, key=skey, title=t("ranking.title", lang, title=stitle))
    smap = choropleth(sframe, env=env, ind=ind, basis="current", lang=lang, title=stitle, key=skey, table=stable)

    # workers in harmful conditions by sector
    hw = indicator("harmful_workers")
    hrows = frame.assign(v=rows["harmful_workers"].astype(float).to_numpy(), share=rows["harmful_share"].astype(float).to_numpy())
    hrows = hrows[hrows["status"] == "ok"].sort_values("v", ascending=False)
    hdata = pd.DataFrame({"category": [sec_label(s) for s in hrows["section"]], "value": hrows["v"].to_numpy()})
    htitle = t("sectors.harmful_title", lang, year=sel.year)
    hspec = charts.bar_chart(hdata, axes=_axes(_header(hw, lang), "", ind=hw), locale=vega_locale(lang)).to_dict(validate=False)
    h_share = _header(indicator("harmful_share"), lang)
    hraw = pd.DataFrame({t("col.section", lang): hdata["category"].to_numpy(), _header(hw, lang): hdata["value"].to_numpy(),
                         h_share: hrows["share"].to_numpy() * 100})
    htable = _table(f"harmful_{sel.year}", htitle, hraw, {
        _header(hw, lang): lambda v: fmt_number(v, lang), h_share: lambda v: fmt_number(v, lang, decimals=1)})
    return SectorsView(ranking, heatmap, smap, Chart(f"harmful_{sel.year}", htitle, hspec, htable))


@dataclass(frozen=True)
class DiseasesSelection:
    lang: str
    year: int


@dataclass(frozen=True)
class DiseasesView:
    cards: tuple[Card, ...]
    trend: Chart
    causes: Chart
    map: MapView
    concentration: str


def diseases(data: PublicTables, env: MapEnv, sel: DiseasesSelection) -> DiseasesView:
    lang = sel.lang
    cases, rate = indicator("disease_cases"), indicator("disease_rate_100k")
    cards = headline_cards(data, year=sel.year, lang=lang, ids=("disease_cases", "disease_rate_100k"))
    # trend: national cases per year
    tf = trend_frame(data, ind=cases, places=[NATIONAL], basis="current", section=ALL, lang=lang)
    ttitle = t("diseases.trend_title", lang)
    tspec = charts.trend_chart(tf, axes=_axes(t("col.year", lang), cases.unit_text(lang), ind=cases),
                               locale=vega_locale(lang)).to_dict(validate=False)
    trend = Chart("disease_trend", ttitle, tspec, trend_table(tf, ind=cases, lang=lang, key="disease_trend", title=ttitle))
    # cause structure over years (national)
    d = data.diseases[data.diseases["region"] == NATIONAL]
    d = d.assign(cause=pd.Categorical(d["cause_group"], categories=list(DISEASE_CAUSES), ordered=True)).sort_values(["year", "cause"])
    cdata = pd.DataFrame({"category": d["year"].astype(int).astype(str).to_numpy(),
                          "value": d["cases"].astype(float).to_numpy(),
                          "cause": [t(f"cause.{c}", lang) for c in d["cause_group"]]})
    ctitle = t("diseases.causes_title", lang)
    cspec = charts.bar_chart(cdata, axes=_axes(t("col.year", lang), cases.unit_text(lang), legend=t("col.cause", lang)),
                             locale=vega_locale(lang), stack="cause", horizontal=False, height=380).to_dict(validate=False)
    year_rows = d[d["year"] == sel.year]
    total = year_rows["cases"].sum()
    h_cases = f"{cases.label(lang)}, {sel.year} ({cases.unit_text(lang)})"
    h_share = f"{t('col.share', lang)}, {sel.year} (%)"
    craw = pd.DataFrame({t("col.cause", lang): [t(f"cause.{c}", lang) for c in year_rows["cause_group"]],
                         h_cases: year_rows["cases"].astype(float).to_numpy(),
                         h_share: (year_rows["cases"] / total * 100).astype(float).to_numpy() if total else np.nan})
    causes = Chart("disease_causes", ctitle, cspec, _table(f"disease_causes_{sel.year}", ctitle, craw, {
        h_cases: lambda v: fmt_number(v, lang), h_share: lambda v: fmt_number(v, lang, decimals=1)}))
    # regional concentration
    frame = region_values(data, ind=rate, year=sel.year, basis="current")
    counts = region_values(data, ind=cases, year=sel.year, basis="current")
    mtitle = f"{rate.label(lang)}, {sel.year}"
    table = ranking_table(frame, ind=rate, year=sel.year, lang=lang, key=f"disease_regions_{sel.year}",
                          title=t("ranking.title", lang, title=mtitle))
    ok = counts[counts["status"] == "ok"].sort_values("value", ascending=False)
    national = ok["value"].sum()
    top2 = ok.head(2)
    share = top2["value"].sum() / national if national else np.nan
    concentration = t("diseases.concentration", lang, regions=", ".join(place_name(c, lang) for c in top2["region"]),
                      share=fmt_percent(share, lang), year=sel.year)
    mv = choropleth(frame, env=env, ind=rate, basis="current", lang=lang, title=mtitle, key=f"disease_map_{sel.year}", table=table)
    return DiseasesView(cards, trend, causes, mv, concentration)


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


def targets(data: PublicTables, sel: TargetsSelection) -> TargetsView:
    lang = sel.lang
    f = data.targets[data.targets["region"] == sel.region]
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
        unit = _unit_name(str(rows["unit"].iloc[0]), lang)
        actual = pd.DataFrame({"year": rows["year"].astype(int).to_numpy(), "value": rows["actual"].astype(float).to_numpy(),
                               "series": t("targets.actual", lang)}).dropna(subset=["value"])
        title = t("targets.chart_title", lang, indicator=name, region=place_name(sel.region, lang))
        dec = _target_decimals(sel.indicator)
        spec = charts.trend_chart(actual, axes=charts.Axes(x=t("col.year", lang), y=unit, number_format=f",.{dec}f"),
                                  locale=vega_locale(lang), targets=rows[["year", "plan"]], target_label=t("targets.plan", lang)).to_dict(validate=False)
        traw = pd.DataFrame({t("col.year", lang): rows["year"].astype(int).to_numpy(),
                             t("targets.plan", lang): rows["plan"].astype(float).to_numpy(),
                             t("targets.actual", lang): rows["actual"].astype(float).to_numpy()})
        ttable = _table(f"target_{sel.indicator}_{sel.region}", f"{title} ({unit})", traw, {
            t("col.year", lang): str, t("targets.plan", lang): lambda v: fmt_number(v, lang, decimals=dec),
            t("targets.actual", lang): lambda v: fmt_number(v, lang, decimals=dec)})
        chart = Chart(f"target_{sel.indicator}_{sel.region}", title, spec, ttable, t("chart.plan_note", lang))
    return TargetsView(table, chart, summary, summary_year)


INTERNATIONAL_FIGURES: tuple[str, ...] = ("injury_rate", "fatal_rate", "hidden_ratio")  # per 100 000 / N:1


@dataclass(frozen=True)
class InternationalSelection:
    lang: str


@dataclass(frozen=True)
class InternationalView:
    charts: tuple[Chart, ...]
    demo_note: str


def international(data: PublicTables, sel: InternationalSelection) -> InternationalView:
    lang = sel.lang
    off = data.official
    # Kazakhstan's official figure (scope KZ) against the countries' (scope = country name)
    countries = off[off["figure"].isin(INTERNATIONAL_FIGURES) & ~off["scope"].isin([*REGION_CODES, *SECTION_CODES])]
    countries = countries[(countries["scope"] != NATIONAL) | (countries["year"] == countries.loc[countries["scope"] == NATIONAL, "year"].max())]
    latest = int(data.indicators["year"].max())
    now = _one(data, year=latest)
    out = []
    for figure in INTERNATIONAL_FIGURES:
        rows = countries[countries["figure"] == figure]
        if rows.empty:
            continue
        name = _figure_name(figure, lang)
        unit = _unit_name(str(rows["unit"].iloc[0]), lang)
        frame = pd.DataFrame({"label": [_scope_name(s, lang) + (f" ({int(y)})" if pd.notna(y) else "") for s, y in zip(rows["scope"], rows["year"], strict=True)],
                              "value": rows["value"].astype(float).to_numpy(),
                              "source": [source_text(str(x), lang) for x in rows["source"]]})
        dec = 1
        axis_dec = 0 if frame["value"].max() >= 100 else 1
        title = t("intl.chart_title", lang, figure=name)
        spec = charts.ranking_chart(frame, axes=charts.Axes(x=f"{name} ({unit})", y="", number_format=f",.{axis_dec}f"),
                                    locale=vega_locale(lang), highlight=next((lab for lab in frame["label"] if lab.startswith(t("kz", lang))), None)).to_dict(validate=False)
        h_val = f"{name} ({unit})"
        raw = pd.DataFrame({t("col.country", lang): frame["label"], h_val: frame["value"], t("col.source", lang): frame["source"]})
        table = _table(f"international_{figure}", title, raw, {h_val: lambda v, d=dec: fmt_number(v, lang, decimals=d)})
        out.append(Chart(f"international_{figure}", title, spec, table, t("official.caption", lang)))
    demo_note = ""
    if now is not None and now["status"] == "ok":
        demo_note = t("intl.demo_note", lang, year=latest, dataset=t(f"dataset.{data.meta.get('dataset', 'real')}", lang),
                      injured=fmt_number(now["injury_rate_1000"] * 100, lang, decimals=1),
                      fatal=fmt_number(now["fatal_rate_1000"] * 100, lang, decimals=2),
                      ratio=indicator("hidden_ratio").fmt(now["hidden_ratio"], lang))
    return InternationalView(tuple(out), demo_note)


@dataclass(frozen=True)
class MethodologySelection:
    lang: str


@dataclass(frozen=True)
class MethodologyView:
    definitions: Table
    meta: Table
    downloads: tuple[Table, ...]


def methodology(data: PublicTables, sel: MethodologySelection) -> MethodologyView:
    lang = sel.lang
    ids = [i for i in INDICATORS if i != "workers"]
    definitions = pd.DataFrame({
        t("col.indicator", lang): [t(f"ind.{i}", lang) for i in ids],
        t("col.formula", lang): [t(f"formula.{i}", lang) for i in ids],
        t("col.unit", lang): [INDICATORS[i].unit_text(lang) for i in ids],
    })
    meta = pd.DataFrame({t("col.key", lang): [t(f"meta.{k}", lang) if f"meta.{k}" in _META_KEYS else k for k in data.meta],
                         t("col.value", lang): [str(v) for v in data.meta.values()]})
    downloads = tuple(Table(name, t(f"download.{name}", lang), frame, frame) for name, frame in (
        ("indicators", data.indicators), ("diseases", data.diseases), ("targets", data.targets), ("official", data.official)))
    return MethodologyView(
        definitions=Table("definitions", t("method.definitions", lang), definitions, definitions),
        meta=Table("dataset", t("method.dataset", lang), meta, meta),
        downloads=downloads,
    )


_META_KEYS = {f"meta.{k}" for k in ("dataset", "data_as_of", "built_at", "store_version", "years")}


def is_demo(data: PublicTables) -> bool:
    return data.meta.get("dataset", "demo") == "demo"
