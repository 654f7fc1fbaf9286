"""Building blocks of the barometer's view models: the pieces a page shows, names, statuses, one-series slices.

Every view reads ONE series of the public indicator table (docs/series.md): `_slice` takes the series id and
nothing else reaches the table. Where the series has no row, the answer is "no data", never another series.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any, Protocol
from urllib.parse import urlencode

import numpy as np
import pandas as pd

from dashboard.catalog import HEADLINE, INDICATORS, Indicator, indicator
from dashboard.i18n import fmt_number, has, t, vega_locale
from data import official
from data import series as series_registry
from data.codes import SECTION_CODES
from geo.regions import REGION_CODES, codes_for_basis, region_name
from layers import charts
from layers.choropleth import ChoroplethError, MapText, build_choropleth, map_html
from layers.numbers import d3_format, fmt_change, fmt_signed, fmt_value
from osh.registry import TARGET_SERIES, change, in_series, method, target_of

NATIONAL = "KZ"
ALL = "ALL"
# statuses a reader sees that carry no value (each has its own text; none is ever a colour class or ranked)
EMPTY_STATUSES: tuple[str, ...] = ("confidential", "no_data", "not_existing", "no_ratio")


class PublicTables(Protocol):
    """What the barometer reads: osh.public.PublicData (docs/series.md adds series, covered, cover_of, includes)."""

    indicators: pd.DataFrame
    diseases: pd.DataFrame
    targets: pd.DataFrame
    official: pd.DataFrame
    meta: dict[str, str]


class EmptyDataError(ValueError):
    """The public tables hold nothing to show."""


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
    labels: Mapping[str, Mapping[str, tuple[float, float]]] = field(default_factory=dict)  # per basis: label_points


@dataclass(frozen=True)
class Table:
    key: str  # download file stem
    title: str
    display: pd.DataFrame  # translated headers, formatted strings
    raw: pd.DataFrame  # translated headers, numbers (downloads)
    row_keys: tuple[str, ...] = ()  # what each row stands for (region codes of a ranking), for row selection
    # on-screen labels of columns whose full header is too long for a narrow table (the ranking beside a map cut
    # "Injury rate, 2024 (per 1…" at 1440 px): the grid shows the label, the full header is the column's tooltip
    # and a caption above the grid; `display` and `raw` (the downloads) keep the full headers
    labels: Mapping[str, str] = field(default_factory=dict)
    # sentences in cells (definitions, citations, verdicts): a grid draws each cell on one line and cut them at
    # 1440 px, so such a table is shown as a static table whose cells wrap (every row shown). None: decided by the
    # text (render.PROSE_CHARS); True / False: always / never
    prose: bool | None = None


@dataclass(frozen=True)
class Chart:
    key: str
    title: str
    spec: dict[str, Any]
    table: Table  # the text alternative
    note: str = ""  # how to read it (shown under the chart)
    about: tuple[str, ...] = ()  # indicator ids whose methodology is one click from the chart
    about_series: str | None = None  # the series the chart shows: None the page's, '' none (official figures)


@dataclass(frozen=True)
class MapView:
    key: str
    title: str
    html: str | None
    alt: str
    table: Table  # the text alternative (a ranking)
    error: str | None = None
    about: tuple[str, ...] = ()  # indicator ids whose methodology is one click from the map
    pickable: bool = False  # a click on a region posts its code to the page (dashboard.map_pick)


@dataclass(frozen=True)
class Card:
    label: str  # indicator and period
    value: str  # the number as shown (or the status word)
    unit: str
    delta: str | None
    delta_color: str  # "normal" | "inverse" | "off"
    help: str
    word: bool = False  # the value is a status word (no data, confidential), not a number


@dataclass(frozen=True)
class Options:
    years: tuple[int, ...]
    latest_year: int
    regions: tuple[str, ...]
    sections: tuple[str, ...]
    target_regions: tuple[str, ...]
    target_indicators: tuple[str, ...]
    series: tuple[str, ...] = ()  # series ids present, the default first
    default_series: str = ""


# --- series ---------------------------------------------------------------------------------------------------


def available_series(data: PublicTables) -> tuple[str, ...]:
    """Series ids of the indicator table: the known ones (bns, mlsp) first, then others by name. A table
    without the `series` column (published before series existed) holds the default series only."""
    f = data.indicators
    if "series" not in f.columns:
        return (str(data.meta.get("default_series") or series_registry.default_series()),)
    present = sorted(set(f["series"].dropna().astype(str)))
    known = [s for s in series_registry.KNOWN if s in present]
    return tuple(known + [s for s in present if s not in known])


def default_series(data: PublicTables) -> str:
    """meta.json's default_series, else the setting ENBEK_SERIES, else the first series present."""
    present = available_series(data)
    for candidate in (data.meta.get("default_series"), series_registry.default_series()):
        if candidate and str(candidate) in present:
            return str(candidate)
    return present[0]


def series_label(series: str, lang: str) -> str:
    return series_registry.label(series, lang)


def series_caption(series: str, lang: str) -> str:
    """'Series: BNS (…)' — under every table and chart title (one series per table)."""
    return t("series.caption", lang, series=series_label(series, lang))


def titled(title: str, series: str, lang: str) -> str:
    """A title naming its series: 'Injury rate, 2024 · BNS (Bureau of National Statistics)'."""
    return f"{title} · {series_label(series, lang)}"


# --- names and statuses ---------------------------------------------------------------------------------------


def place_name(code: str, lang: str) -> str:
    return t("kz", lang) if code == NATIONAL else region_name(code, lang)


def section_name(code: str, lang: str) -> str:
    return t(f"section.{code}", lang)


def sec_label(code: str, lang: str) -> str:
    return f"{code} · {section_name(code, lang)}"


def includes_text(includes: Any, lang: str) -> str:
    """'incl. Abai Region' for a pre-2022 parent row whose `includes` is '10' ('' when it includes nothing)."""
    if includes is None or (not isinstance(includes, str) and bool(pd.isna(includes))):
        return ""
    codes = [c.strip() for c in str(includes).split(",") if c.strip()]
    if not codes:
        return ""
    return t("region.includes", lang, regions=", ".join(place_name(c, lang) for c in codes))


def place_label(code: str, includes: object, lang: str) -> str:
    """A region's name, with what it includes: 'East Kazakhstan Region (incl. Abai Region)'."""
    extra = includes_text(includes, lang)
    return f"{place_name(code, lang)} ({extra})" if extra else place_name(code, lang)


def status_text(status: str, lang: str) -> str:
    return t(f"status.{status}", lang)


def _int(value: object) -> int | None:
    if value is None:
        return None
    try:
        v = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return int(v) if np.isfinite(v) else None


def coverage_text(covered: object, cover_of: object, lang: str) -> str:
    """'6 of 20 regions published' (kk, ru, en); the unit follows what was counted (regions, sectors, parts)."""
    n, of = _int(covered), _int(cover_of)
    if n is None or of is None:
        return ""
    unit = "regions" if of in (17, 20) else ("sectors" if of == len(SECTION_CODES) else "parts")
    return t(f"status.covered_{unit}", lang, covered=n, cover_of=of)


def cell_status_text(status: str, lang: str, *, covered: object = None, cover_of: object = None) -> str:
    """The word of an empty cell: confidential, did not exist yet, no data (with its coverage when known)."""
    if status == "no_data":
        cover = coverage_text(covered, cover_of, lang)
        return f"{status_text('no_data', lang)} ({cover})" if cover else status_text("no_data", lang)
    return status_text(status, lang)


def shown_status(values: pd.Series, status: pd.Series, ind: Indicator) -> pd.Series:
    """The status a reader sees: an 'ok' cell without a value has 'no_ratio' (hidden ratio without a death) or 'no_data'."""
    st = status.astype(str)
    empty_ok = (st == "ok") & values.isna()
    return st.where(~empty_ok, "no_ratio" if ind.id == "hidden_ratio" else "no_data")


def value_texts(frame: pd.DataFrame, ind: Indicator, lang: str, *, column: str = "value",
                fmt: Callable[[Any], str] | None = None) -> list[str]:
    """The shown text per row of a frame with value, status (and optionally covered, cover_of)."""
    st = shown_status(frame[column], frame["status"], ind)
    fmt = fmt or (lambda v: fmt_value(ind, v, lang))
    covered = frame["covered"] if "covered" in frame.columns else pd.Series(None, index=frame.index)
    cover_of = frame["cover_of"] if "cover_of" in frame.columns else pd.Series(None, index=frame.index)
    return [fmt(v) if s == "ok" else cell_status_text(s, lang, covered=c, cover_of=o)
            for v, s, c, o in zip(frame[column], st, covered, cover_of, strict=True)]


def value_status_texts(frame: pd.DataFrame, ind: Indicator, lang: str, *, column: str = "value") -> list[str]:
    """The status word per row of a download ('' when the value is there): the number column stays numeric."""
    st = shown_status(frame[column], frame["status"], ind)
    covered = frame["covered"] if "covered" in frame.columns else pd.Series(None, index=frame.index)
    cover_of = frame["cover_of"] if "cover_of" in frame.columns else pd.Series(None, index=frame.index)
    return ["" if s == "ok" else cell_status_text(s, lang, covered=c, cover_of=o)
            for s, c, o in zip(st, covered, cover_of, strict=True)]


def header(ind: Indicator, lang: str, year: int | None = None) -> str:
    period = f", {year}" if year is not None else ""
    return f"{ind.name(lang)}{period} ({ind.unit_text(lang)})"


def options(data: PublicTables) -> Options:
    ind = data.indicators
    years = tuple(sorted(int(y) for y in ind["year"].unique()))
    if not years:
        raise EmptyDataError("the public indicator table is empty; run `enbek publish` (or `make run`) to build it")
    sections = tuple(s for s in SECTION_CODES if s in set(ind["section"]))
    targets = data.targets
    t_regions = tuple(sorted(set(targets["region"].astype(str)), key=lambda c: (c != NATIONAL, c)))
    t_inds = tuple(dict.fromkeys(targets["indicator"].astype(str)))
    present = available_series(data)
    default = default_series(data)
    ordered = (default, *(s for s in present if s != default))
    return Options(years, years[-1], REGION_CODES, sections, t_regions, t_inds, ordered, default)


# --- one-series slices ------------------------------------------------------------------------------------------


def _slice(data: PublicTables, *, series: str, basis: str = "current", year: int | None = None,
           region: str | Sequence[str] | None = None, section: str | Sequence[str] | None = None) -> pd.DataFrame:
    f = in_series(data.indicators, series)
    mask = f["basis"] == basis
    if year is not None:
        mask &= f["year"] == year
    if region is not None:
        mask &= f["region"].isin([region] if isinstance(region, str) else list(region))
    if section is not None:
        mask &= f["section"].isin([section] if isinstance(section, str) else list(section))
    return f.loc[mask]


def _one(data: PublicTables, *, series: str, year: int, region: str = NATIONAL, section: str = ALL,
         basis: str = "current") -> pd.Series | None:
    rows = _slice(data, series=series, basis=basis, year=year, region=region, section=section)
    return None if rows.empty else rows.iloc[0]


def targets_frame(data: PublicTables) -> pd.DataFrame:
    """The target table on the Concept's basis: the statistics bureau's series only (docs/series.md)."""
    return in_series(data.targets, TARGET_SERIES)


_EXTRA = ("covered", "cover_of", "includes")


def region_values(data: PublicTables, *, ind: Indicator, year: int, basis: str, series: str,
                  section: str = ALL) -> pd.DataFrame:
    """One row per unit of the basis: region, value, lo, hi, status, covered, cover_of, includes (units absent
    from the series are 'no_data')."""
    units = list(codes_for_basis(basis))  # type: ignore[arg-type]
    rows = _slice(data, series=series, basis=basis, year=year, region=units, section=section)
    cols = ["region", ind.id, "status", *(ind.interval or ()), *(c for c in _EXTRA if c in rows.columns)]
    frame = pd.DataFrame({"region": units}).merge(rows[cols], on="region", how="left")
    frame = frame.rename(columns={ind.id: "value"})
    if ind.interval:
        frame = frame.rename(columns={ind.interval[0]: "lo", ind.interval[1]: "hi"})
    for c in _EXTRA:
        if c not in frame.columns:
            frame[c] = None
    frame["status"] = frame["status"].fillna("no_data")
    return frame


# --- tables, charts, maps ---------------------------------------------------------------------------------------


def make_table(key: str, title: str, raw: pd.DataFrame, formatters: Mapping[str, Callable[..., str]]) -> Table:
    display = raw.copy()
    for col, fmt in formatters.items():
        display[col] = [fmt(v) for v in raw[col].to_numpy()]
    return Table(key, title, display.reset_index(drop=True), raw.reset_index(drop=True))


def ranking_table(frame: pd.DataFrame, *, ind: Indicator, year: int, lang: str, key: str, title: str,
                  value_header: str | None = None, scale: float | None = None,
                  fmt: Callable[[Any], str] | None = None, decimals: int | None = None) -> Table:
    """Regions sorted by value; confidential, no-data and not-yet-existing regions last and unranked, with
    their status: the text alternative of a map. `scale`/`fmt` override the indicator's (a map of changes)."""
    factor = ind.scale() if scale is None else scale
    fmt = fmt or (lambda v: fmt_number(v, lang, decimals=ind.decimals))
    st = shown_status(frame["value"], frame["status"], ind)
    f = frame.assign(name=[place_label(c, i, lang) for c, i in zip(frame["region"], frame["includes"], strict=True)],
                     _ranked=(st == "ok").to_numpy())
    f = f.assign(_v=f["value"].where(f["_ranked"])).sort_values(["_v", "name"], ascending=[False, True], na_position="last")
    f = f.assign(rank=np.where(f["_v"].notna(), np.arange(1, len(f) + 1), np.nan))
    h_rank, h_name, h_value = t("col.rank", lang), t("col.region", lang), value_header or header(ind, lang, year)
    values = (f["_v"] * factor).to_numpy()
    ranks = pd.array(f["rank"].to_numpy(), dtype="Int64")  # a rank is a whole number, never "1.0"
    display = pd.DataFrame({h_rank: [str(r) if pd.notna(r) else "" for r in ranks], h_name: f["name"].to_numpy(),
                            h_value: values})
    # Downloads: the region's KATO code beside its name, values rounded as shown, interval bounds as two numbers.
    raw = pd.DataFrame({t("col.kato", lang): f["region"].astype(str).to_numpy(), h_rank: ranks,
                        h_name: f["name"].to_numpy(), h_value: rounded(values, ind.decimals if decimals is None else decimals)})
    if ind.interval and "lo" in f:
        h_ci = t("col.ci95", lang)
        display[h_ci] = [
            f"{fmt_number(lo * factor, lang, decimals=ind.decimals)} – {fmt_number(hi * factor, lang, decimals=ind.decimals)}"
            if pd.notna(lo) and ok else "" for lo, hi, ok in zip(f["lo"], f["hi"], f["_ranked"], strict=True)
        ]
        for col, bound in ((t("col.ci95_lo", lang), "lo"), (t("col.ci95_hi", lang), "hi")):
            raw[col] = rounded((f[bound].where(f["_ranked"]) * factor).to_numpy(), ind.decimals)
    shown = shown_status(f["value"], f["status"], ind)
    status = [cell_status_text(s, lang, covered=c, cover_of=o) for s, c, o in zip(shown, f["covered"], f["cover_of"], strict=True)]
    display[t("col.status", lang)] = status
    raw[t("col.status", lang)] = status
    display[h_value] = value_texts(f.assign(value=f["value"] * factor).reset_index(drop=True), ind, lang, fmt=fmt)
    return Table(key, title, display.reset_index(drop=True), raw.reset_index(drop=True), tuple(f["region"].astype(str)),
                 labels={h_rank: t("col.rank_short", lang), h_value: t("col.value", lang)})


def rounded(values: Any, decimals: int) -> np.ndarray:
    """Numbers for a download rounded as the page shows them (a spreadsheet gets 0.44, not 0.4399999)."""
    return np.round(np.asarray(values, dtype=float), decimals)


def map_text(*, title: str, unit: str, ind: Indicator, lang: str, attribution: str) -> MapText:
    return MapText(
        title=title, unit=unit, region_label=t("col.region", lang), value_label=ind.name(lang),
        no_data=t("status.no_data", lang), confidential=t("status.confidential", lang), attribution=attribution,
        alt=t("map.alt", lang, title=title), not_existing=t("status.not_existing", lang),
        km=t("unit.km", lang),
    )


def choropleth(frame: pd.DataFrame, *, env: MapEnv, ind: Indicator, basis: str, lang: str, title: str, key: str,
               table: Table, diverging: bool = False, highlight: str | None = None, unit: str | None = None,
               text_fmt: Callable[[Any], str] | None = None, legend_fmt: Callable[[float], str] | None = None,
               pickable: bool = False) -> MapView:
    """A Leaflet map of `frame` (region, value, status, covered, cover_of, includes). `text_fmt` formats a value
    for the tooltip, `legend_fmt` the class limits; both default to the indicator's own format."""
    alt_text = t("map.alt", lang, title=title)
    if env.error is not None or basis not in env.geojson:
        return MapView(key, title, None, alt_text, table, error=env.error or t("map.no_boundaries", lang),
                       about=(ind.id,))
    text_fmt = text_fmt or (lambda v: fmt_value(ind, v, lang))
    legend = legend_fmt or (lambda v: fmt_number(v * ind.scale(), lang, decimals=ind.decimals))
    shown = frame.assign(
        name=[place_label(c, i, lang) for c, i in zip(frame["region"], frame["includes"], strict=True)],
        value_text=value_texts(frame, ind, lang, fmt=text_fmt),
    )
    # the boundary credit in the reader's language (env.attribution, English, is for logs and the official side)
    text = map_text(title=title, unit=unit or ind.unit_text(lang), ind=ind, lang=lang, attribution=t("map.attribution", lang))
    try:
        m = build_choropleth(frame=shown, geojson=env.geojson[basis], text=text, fmt=legend, leaflet_js=env.leaflet_js,
                             leaflet_css=env.leaflet_css, diverging=diverging, highlight=highlight, tiles=env.tiles,
                             height=420, pickable=pickable, label_at=env.labels.get(basis))
    except ChoroplethError as exc:
        return MapView(key, title, None, alt_text, table, error=str(exc), about=(ind.id,))
    return MapView(key, title, map_html(m), alt_text, table, about=(ind.id,), pickable=pickable)


def axes(x: str, y: str, *, ind: Indicator | None = None, legend: str = "", title: str = "") -> charts.Axes:
    return charts.Axes(x=x, y=y, number_format=d3_format(ind) if ind is not None else ",.0f", legend=legend, title=title)


def scaled(frame: pd.DataFrame, ind: Indicator, cols: Sequence[str] = ("value", "lo", "hi")) -> pd.DataFrame:
    factor = ind.scale()
    return frame.assign(**{c: frame[c] * factor for c in cols if c in frame.columns})


def trend_frame(data: PublicTables, *, ind: Indicator, places: Sequence[str], basis: str, section: str, lang: str,
                series: str, label: Callable[[str], str] | None = None) -> pd.DataFrame:
    """Yearly values of `places` in one series (non-ok cells are gaps: never filled from another series)."""
    rows = _slice(data, series=series, basis=basis, region=list(places), section=section).sort_values("year")
    ok = rows["status"] == "ok"
    f = pd.DataFrame({"year": rows["year"].astype(int).to_numpy(), "region": rows["region"].to_numpy(),
                      "value": rows[ind.id].astype(float).where(ok).to_numpy()})
    if ind.interval:
        f["lo"] = rows[ind.interval[0]].astype(float).where(ok).to_numpy()
        f["hi"] = rows[ind.interval[1]].astype(float).where(ok).to_numpy()
    name = label or (lambda c: place_name(c, lang))
    f["series"] = [name(c) for c in f["region"]]
    order = {c: i for i, c in enumerate(places)}
    return scaled(f.sort_values(["region", "year"], key=lambda s: s.map(order) if s.name == "region" else s), ind)


def trend_table(frame: pd.DataFrame, *, ind: Indicator, lang: str, key: str, title: str) -> Table:
    wide = frame.pivot_table(index="year", columns="series", values="value", sort=False, dropna=False).reset_index()
    wide = wide.rename(columns={"year": t("col.year", lang)})
    wide.columns.name = None
    formatters: dict[str, Callable[..., str]] = {
        c: (lambda v, d=ind.decimals: fmt_number(v, lang, decimals=d)) for c in wide.columns[1:]
    }
    formatters[t("col.year", lang)] = lambda v: str(int(v))
    shown = make_table(key, f"{title} ({ind.unit_text(lang)})", wide, formatters)
    return Table(shown.key, shown.title, shown.display, trend_download(frame, ind=ind, lang=lang))


def trend_download(frame: pd.DataFrame, *, ind: Indicator, lang: str) -> pd.DataFrame:
    """One row per place (or place and series) and year: the code beside the name, the value rounded as shown and
    the interval as two numbers; a gap of the series is an empty cell (NaN), never 0."""
    out = pd.DataFrame({
        t("col.kato", lang): frame["region"].astype(str).to_numpy(),
        t("col.region", lang): frame["series"].astype(str).to_numpy(),
        t("col.year", lang): frame["year"].astype(int).to_numpy(),
        header(ind, lang): rounded(frame["value"], ind.decimals),
    })
    if ind.interval and "lo" in frame.columns:
        out[t("col.ci95_lo", lang)] = rounded(frame["lo"], ind.decimals)
        out[t("col.ci95_hi", lang)] = rounded(frame["hi"], ind.decimals)
    return out.reset_index(drop=True)


# --- cards ----------------------------------------------------------------------------------------------------------


def _row_text(row: pd.Series | None, ind: Indicator, lang: str) -> tuple[str, str, float]:
    """(text, detail, value) of one cell: the value when 'ok', else its status word (no data in this series) and,
    for a total that could not be derived, how many finer units were published."""
    if row is None:
        return status_text("no_data", lang), "", np.nan
    status = str(row["status"])
    if status != "ok":
        detail = coverage_text(row.get("covered"), row.get("cover_of"), lang) if status == "no_data" else ""
        return status_text(status, lang), detail, np.nan
    value = row[ind.id]
    return fmt_value(ind, value, lang), "", float(value) if pd.notna(value) else np.nan


def headline_cards(data: PublicTables, *, year: int, lang: str, series: str, region: str = NATIONAL,
                   basis: str = "current", ids: Sequence[str] = HEADLINE) -> tuple[Card, ...]:
    """One card per indicator: the value of `year`, and the change on `year - 1` of the same series by the
    registry's one rule (osh.registry.change), as the briefing prints it."""
    now = _one(data, series=series, year=year, region=region, basis=basis)
    before = _one(data, series=series, year=year - 1, region=region, basis=basis)
    cards = []
    for ind_id in ids:
        ind = indicator(ind_id)
        text, detail, value = _row_text(now, ind, lang)
        _prev_text, _prev_detail, prev = _row_text(before, ind, lang)
        c = change(ind.id, value=value, previous=prev)
        colour = "off" if ind.higher_is_worse is None else ("inverse" if ind.higher_is_worse else "normal")
        no_ratio = ind.id == "hidden_ratio" and now is not None and now["status"] == "ok" and np.isnan(value)
        rule = t(f"change.rule.{ind.change_mode()}_{ind.kind}" if ind.change_mode() == "points" else "change.rule.relative", lang)
        cards.append(Card(
            label=f"{ind.name(lang)}, {year}",
            # a card's number is short; the long word of a ratio without deaths goes under it, like a unit
            value="–" if no_ratio else text,
            unit=status_text("no_ratio", lang) if no_ratio else (detail or ind.unit_text(lang)),
            delta=fmt_change(c, lang) if c is not None else None, delta_color=colour,
            help=t("card.help", lang, unit=ind.unit_text(lang), prev=year - 1, series=series_label(series, lang), rule=rule),
            word=not no_ratio and not np.isfinite(value),  # "no data", "confidential": a word, not a number
        ))
    return tuple(cards)


# --- official figures and targets -----------------------------------------------------------------------------------


def _lookup(prefix: str, value: object, lang: str) -> str:
    key = f"{prefix}.{value}"
    return t(key, lang) if has(key) else str(value)


def figure_name(figure: str, lang: str) -> str:
    return t(f"ind.{figure}", lang) if figure in INDICATORS else _lookup("fig", figure, lang)


def scope_name(scope: str, lang: str) -> str:
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


def unit_name(unit: str, lang: str) -> str:
    key = UNIT_KEYS.get(unit)
    return t(f"unit.{key}", lang) if key else unit


SOURCE_PREFIX = "seed/000_0a7c0a798492aed5.txt:"


def source_text(source: str, lang: str) -> str:
    """'seed/000_…txt:137' -> 'Safe Labour Concept 2024–2030, section 2 “Analysis of the current situation”' (a
    reader finds a section in the published Concept; the line of our text copy means nothing to them);
    other sources unchanged."""
    if source.startswith(SOURCE_PREFIX):
        section = official.concept_section(source)
        title = t(f"concept.section.{section}", lang)
        if section == official.ANNEX:
            return t("source.concept_annex", lang, title=title)
        return t("source.concept", lang, section=section, title=title)
    return source


def official_table(data: PublicTables, *, lang: str, scopes: Sequence[str] | None = None, key: str = "official") -> Table:
    f = data.official
    if scopes is not None:
        f = f[f["scope"].isin(list(scopes))]
    raw = pd.DataFrame({
        t("col.figure", lang): [figure_name(x, lang) for x in f["figure"]],
        t("col.scope", lang): [scope_name(s, lang) for s in f["scope"]],
        t("col.year", lang): f["year"].to_numpy(),
        t("col.value", lang): f["value"].astype(float).to_numpy(),
        t("col.unit", lang): [unit_name(u, lang) for u in f["unit"]],
        t("col.source", lang): [source_text(str(x), lang) for x in f["source"]],
    })
    decimals = [0 if float(v).is_integer() else (1 if abs(v) >= 1 else 3) for v in f["value"].astype(float)]
    display = raw.copy()
    display[t("col.value", lang)] = [fmt_number(v, lang, decimals=d) for v, d in zip(raw[t("col.value", lang)], decimals, strict=True)]
    display[t("col.year", lang)] = [str(int(y)) if pd.notna(y) else "" for y in raw[t("col.year", lang)]]
    # downloads: the figure's and the scope's stable codes beside their names, the year a whole number (empty when
    # the source gives none), the value rounded as shown
    down = raw.copy()
    down[t("col.year", lang)] = pd.array([int(y) if pd.notna(y) else None for y in f["year"]], dtype="Int64")
    down[t("col.value", lang)] = np.array([round(float(v), d) for v, d in zip(raw[t("col.value", lang)], decimals, strict=True)],
                                          dtype=float)
    down.insert(0, t("col.indicator_id", lang), f["figure"].astype(str).to_numpy())
    down.insert(2, t("col.scope_code", lang), f["scope"].astype(str).to_numpy())
    return Table(key, t("official.title", lang), display.reset_index(drop=True), down.reset_index(drop=True))


def target_plan(data: PublicTables, *, indicator_id: str, region: str, series: str = TARGET_SERIES) -> pd.DataFrame:
    """year, plan of the target that tracks indicator column `indicator_id`, in that column's units (shares 0..1).
    Empty for a series other than the Concept's (BNS): a plan is never drawn against another series' figures."""
    spec = target_of(indicator_id) if indicator_id in INDICATORS else None
    if spec is None or series != TARGET_SERIES:
        return pd.DataFrame({"year": pd.Series(dtype=int), "plan": pd.Series(dtype=float)})
    tg = targets_frame(data)
    rows = tg[(tg["region"] == region) & (tg["indicator"] == spec.id)]
    return pd.DataFrame({"year": rows["year"].astype(int).to_numpy(), "plan": rows["plan"].astype(float).to_numpy() / spec.factor})


def targets_table(data: PublicTables, *, region: str, lang: str, key: str, latest_only: bool = False) -> Table:
    """Plan, actual, gap and status per target indicator and year (BNS series); `latest_only`: the latest year with data."""
    from layers.numbers import fmt_target

    tg = targets_frame(data)
    f = tg[tg["region"] == region].sort_values(["indicator", "year"])
    if latest_only:
        measured = f.loc[f["status"] != "not_yet", "year"]
        f = f[f["year"] == (int(measured.max()) if len(measured) else int(f["year"].min()))] if len(f) else f
    raw = pd.DataFrame({
        t("col.indicator", lang): [target_label(i, lang) for i in f["indicator"]],
        t("col.year", lang): f["year"].astype(int).to_numpy(),
        t("col.unit", lang): [unit_name(u, lang) for u in f["unit"]],
        t("targets.plan", lang): f["plan"].astype(float).to_numpy(),
        t("targets.actual", lang): f["actual"].astype(float).to_numpy(),
        t("targets.gap", lang): f["gap"].astype(float).to_numpy(),
        t("col.status", lang): [t(f"tstatus.{s}", lang) for s in f["status"]],
    })
    display = raw.copy()
    ids = f["indicator"].astype(str).tolist()
    for col in (t("targets.plan", lang), t("targets.actual", lang), t("targets.gap", lang)):
        display[col] = [fmt_target(i, v, lang) if col != t("targets.gap", lang) else _gap_text(i, v, lang)
                        for i, v in zip(ids, raw[col], strict=True)]
    display[t("col.year", lang)] = raw[t("col.year", lang)].astype(str)
    title = f"{t('targets.table_title', lang, region=place_name(region, lang))} · {series_label(TARGET_SERIES, lang)}"
    # downloads: the target's and the region's codes beside the names, plan, actual and gap rounded as shown
    from osh.registry import TARGETS

    places = [TARGETS[i].decimals if i in TARGETS else 1 for i in ids]
    down = raw.copy()
    for col in (t("targets.plan", lang), t("targets.actual", lang), t("targets.gap", lang)):
        down[col] = np.array([round(float(v), d) if pd.notna(v) else np.nan for v, d in zip(raw[col], places, strict=True)],
                             dtype=float)
    down.insert(0, t("col.indicator_id", lang), ids)
    down.insert(0, t("col.kato", lang), region)
    return Table(key, title, display.reset_index(drop=True), down.reset_index(drop=True))


def _gap_text(target_id: str, value: object, lang: str) -> str:
    from osh.registry import TARGETS

    spec = TARGETS.get(target_id)
    return fmt_signed(value, lang, decimals=spec.decimals if spec else 1)


def target_label(indicator_id: str, lang: str) -> str:
    """The Concept's own name of a target indicator (data.official carries kk, ru, en); a locale key overrides."""
    if has(f"target.{indicator_id}"):
        return t(f"target.{indicator_id}", lang)
    return _official_target_names().get((indicator_id, lang), indicator_id)


@cache
def _official_target_names() -> dict[tuple[str, str], str]:
    from data.official import targets as official_targets

    f = official_targets().drop_duplicates("indicator")
    return {(str(i), lang): str(n) for lang in ("kk", "ru", "en") for i, n in zip(f["indicator"], f[f"name_{lang}"], strict=True)}


def ranking_chart(frame: pd.DataFrame, *, ind: Indicator, lang: str, title: str, table: Table, key: str,
                  highlight: str | None = None, label: Callable[[str], str] | None = None, column: str = "region",
                  note: str = "") -> Chart:
    """Bars of the 'ok' rows only: confidential, no-data and not-yet-existing units are never ranked."""
    namer = label or (lambda c: place_name(c, lang))
    f = scaled(frame[frame["status"] == "ok"].assign(label=lambda x: [namer(c) for c in x[column]]), ind)
    spec = charts.ranking_chart(
        f, axes=dataclasses.replace(axes(f"{ind.name(lang)} ({ind.unit_text(lang)})", "", ind=ind),
                                    interval=(t("col.ci_lo", lang), t("col.ci_hi", lang))), locale=vega_locale(lang),
        highlight=namer(highlight) if highlight else None,
    ).to_dict(validate=False)
    notes = " ".join(x for x in (t("chart.ci_note", lang) if ind.interval else "", note) if x)
    return Chart(key, title, spec, table, notes, about=(ind.id,))


def is_demo(data: PublicTables) -> bool:
    return data.meta.get("dataset", "demo") == "demo"


# --- per-indicator methodology, one click from every chart and map ---------------------------------------------------


@dataclass(frozen=True)
class About:
    """What the "about this indicator" panel under a chart or map says (texts from osh.registry.method)."""

    indicator: str
    name: str
    unit: str
    definition: str
    source: str
    denominator: str  # '' for a count
    caveats: str
    change_rule: str
    anchor: str  # the id of the indicator's section on the methodology page


def method_anchor(indicator_id: str) -> str:
    """'ind-injury_rate_1000': the methodology page's section of an indicator (the part after '#' in a link)."""
    return f"ind-{indicator_id}"


def change_rule_text(ind: Indicator, lang: str) -> str:
    if ind.change_mode() == "relative":
        return t("change.rule.relative", lang)
    return t(f"change.rule.points_{ind.kind}", lang)


def about(indicator_id: str, lang: str) -> About:
    ind, m = indicator(indicator_id), method(indicator_id)
    return About(indicator=ind.id, name=ind.name(lang), unit=ind.unit_text(lang), definition=m.text("definition", lang),
                 source=m.text("source", lang), denominator=m.text("denominator", lang), caveats=m.text("caveats", lang),
                 change_rule=change_rule_text(ind, lang), anchor=method_anchor(ind.id))


def methodology_link(indicator_id: str, lang: str) -> str:
    """A link relative to the current page ('methodology?lang=kk&indicator=fatal_rate_1000#ind-fatal_rate_1000'): it
    works under any base path; the page scrolls to the section ?indicator= names (Streamlit drops the '#')."""
    return f"methodology?{urlencode({'lang': lang, 'indicator': indicator_id})}#{method_anchor(indicator_id)}"
