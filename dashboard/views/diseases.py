"""Diseases page: the trend of cases, the structure by cause and the regional concentration."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from dashboard.catalog import indicator
from dashboard.i18n import fmt_number, fmt_percent, t, vega_locale
from dashboard.views.common import (
    ALL,
    NATIONAL,
    Card,
    Chart,
    MapEnv,
    MapView,
    PublicTables,
    Table,
    _slice,
    axes,
    choropleth,
    headline_cards,
    make_table,
    place_name,
    ranking_table,
    region_values,
    rounded,
    titled,
    trend_frame,
    trend_table,
)
from data.codes import DISEASE_CAUSES
from layers import charts
from osh.registry import in_series


@dataclass(frozen=True)
class DiseasesSelection:
    lang: str
    year: int
    series: str


@dataclass(frozen=True)
class DiseasesView:
    cards: tuple[Card, ...]
    trend: Chart
    causes: Chart
    map: MapView
    concentration: str


def _causes_series(data: PublicTables, series: str) -> str | None:
    """The series the cause table belongs to: the chosen one when the table carries series, else the records
    series the store names (the cause structure comes from the case records), else unknown."""
    if "series" in data.diseases.columns:
        return series
    return data.meta.get("records_series") or None


CONFIDENTIAL_GREY = "#9e9e9e"  # the hatch colour of the maps' "confidential"


def _national_cases(data: PublicTables, *, series: str) -> pd.Series:
    """National disease cases per year of the series where published ('ok'); the total the cause groups add to."""
    rows = _slice(data, series=series, basis="current", region=NATIONAL, section=ALL)
    rows = rows[rows["status"] == "ok"]
    return pd.Series(rows["disease_cases"].astype(float).to_numpy(), index=rows["year"].astype(int).to_numpy())


def diseases(data: PublicTables, env: MapEnv, sel: DiseasesSelection) -> DiseasesView:
    lang, series = sel.lang, sel.series
    cases, rate = indicator("disease_cases"), indicator("disease_rate_100k")
    cards = headline_cards(data, year=sel.year, lang=lang, series=series, ids=("disease_cases", "disease_rate_100k"))
    # trend: national cases per year
    tf = trend_frame(data, ind=cases, places=[NATIONAL], basis="current", section=ALL, lang=lang, series=series)
    ttitle = titled(t("diseases.trend_title", lang), series, lang)
    tspec = charts.trend_chart(tf, axes=axes(t("col.year", lang), cases.unit_text(lang), ind=cases),
                               locale=vega_locale(lang)).to_dict(validate=False)
    trend = Chart(f"disease_trend_{series}", ttitle, tspec,
                  trend_table(tf, ind=cases, lang=lang, key=f"disease_trend_{series}", title=ttitle), about=(cases.id,))
    # cause structure over years (national)
    cause_series = _causes_series(data, series)
    d = in_series(data.diseases, series)
    d = d[d["region"] == NATIONAL]
    d = d.assign(cause=pd.Categorical(d["cause_group"], categories=list(DISEASE_CAUSES), ordered=True)).sort_values(["year", "cause"])
    # Groups suppressed for confidentiality are not in the table: the national count minus the shown groups is
    # drawn as one grey "confidential" part, so a bar is as tall as the count in the trend above it.
    hidden = t("status.confidential", lang)
    hidden = hidden[:1].upper() + hidden[1:]
    if "status" in d.columns:  # a suppressed group's row carries no number: it is part of the remainder
        d = d[d["status"] == "ok"]
    totals = _national_cases(data, series=series)
    shown = d.groupby("year")["cases"].sum()
    rest = (totals - shown.reindex(totals.index).fillna(0.0)).where(lambda v: v > 0.5).dropna()
    rest = rest[rest.index.isin(d["year"].unique())]
    cdata = pd.DataFrame({"category": d["year"].astype(int).astype(str).to_numpy(),
                          "value": d["cases"].astype(float).to_numpy(),
                          "cause": [t(f"cause.{c}", lang) for c in d["cause_group"]]})
    cdata = pd.concat([cdata, pd.DataFrame({"category": [str(int(y)) for y in rest.index], "value": rest.to_numpy(dtype=float),
                                            "cause": hidden})], ignore_index=True)
    cdata = cdata.sort_values("category", kind="stable")
    ctitle = t("diseases.causes_title", lang)
    ctitle = titled(ctitle, cause_series, lang) if cause_series else ctitle
    cspec = charts.bar_chart(cdata, axes=axes(t("col.year", lang), cases.unit_text(lang), legend=t("col.cause", lang)),
                             locale=vega_locale(lang), stack="cause", horizontal=False, height=380,
                             fixed_colours={hidden: CONFIDENTIAL_GREY}).to_dict(validate=False)
    year_rows = d[d["year"] == sel.year]
    if sel.year in rest.index:
        year_rows = pd.concat([year_rows, pd.DataFrame({"year": [sel.year], "cause_group": ["_confidential"],
                                                        "cases": [float(rest[sel.year])]})], ignore_index=True)
    total = year_rows["cases"].sum()
    h_cases = f"{cases.name(lang)}, {sel.year} ({cases.unit_text(lang)})"
    h_share = f"{t('col.share', lang)}, {sel.year} (%)"
    craw = pd.DataFrame({t("col.cause", lang): [hidden if c == "_confidential" else t(f"cause.{c}", lang)
                                                for c in year_rows["cause_group"]],
                         h_cases: year_rows["cases"].astype(float).to_numpy(),
                         h_share: (year_rows["cases"] / total * 100).astype(float).to_numpy() if total else np.nan})
    ctable = make_table(f"disease_causes_{sel.year}", ctitle, craw, {
        h_cases: lambda v: fmt_number(v, lang), h_share: lambda v: fmt_number(v, lang, decimals=1)})
    # downloads: the cause group's code beside its name ("confidential" for the suppressed remainder), rounded as shown
    cdown = craw.assign(**{h_cases: rounded(craw[h_cases], 0), h_share: rounded(craw[h_share], 1)})
    cdown.insert(0, t("col.cause_code", lang), ["confidential" if c == "_confidential" else str(c) for c in year_rows["cause_group"]])
    causes = Chart("disease_causes", ctitle, cspec, Table(ctable.key, ctable.title, ctable.display, cdown), about=(cases.id,))
    # regional concentration
    frame = region_values(data, ind=rate, year=sel.year, basis="current", series=series)
    counts = region_values(data, ind=cases, year=sel.year, basis="current", series=series)
    mtitle = titled(f"{rate.name(lang)}, {sel.year}", series, lang)
    table = ranking_table(frame, ind=rate, year=sel.year, lang=lang, key=f"disease_regions_{sel.year}_{series}",
                          title=t("ranking.title", lang, title=mtitle))
    ok = counts[counts["status"] == "ok"].sort_values("value", ascending=False)
    national = ok["value"].sum()
    top2 = ok.head(2)
    if len(top2) and national:
        concentration = t("diseases.concentration", lang, regions=", ".join(place_name(c, lang) for c in top2["region"]),
                          share=fmt_percent(top2["value"].sum() / national, lang), year=sel.year)
    else:
        concentration = t("diseases.no_concentration", lang, year=sel.year)
    mv = choropleth(frame, env=env, ind=rate, basis="current", lang=lang, title=mtitle, key=f"disease_map_{sel.year}_{series}",
                    table=table)
    return DiseasesView(cards, trend, causes, mv, concentration)
