"""Overview page: headline cards of the latest year, a choropleth of one indicator and the regional ranking."""

from __future__ import annotations

from dataclasses import dataclass

from dashboard.catalog import indicator
from dashboard.i18n import t
from dashboard.views.common import (
    NATIONAL,
    Card,
    Chart,
    MapEnv,
    MapView,
    PublicTables,
    Table,
    choropleth,
    headline_cards,
    official_table,
    ranking_chart,
    ranking_table,
    region_values,
    series_label,
    titled,
)


@dataclass(frozen=True)
class OverviewSelection:
    lang: str
    indicator: str
    year: int
    series: str


@dataclass(frozen=True)
class OverviewView:
    title: str
    period: str
    cards: tuple[Card, ...]
    map: MapView
    ranking: Chart
    official: Table


def overview(data: PublicTables, env: MapEnv, sel: OverviewSelection) -> OverviewView:
    lang, ind = sel.lang, indicator(sel.indicator)
    frame = region_values(data, ind=ind, year=sel.year, basis="current", series=sel.series)
    title = titled(f"{ind.name(lang)}, {sel.year}", sel.series, lang)
    key = f"ranking_{ind.id}_{sel.year}_{sel.series}"
    table = ranking_table(frame, ind=ind, year=sel.year, lang=lang, key=key, title=t("ranking.title", lang, title=title))
    mv = choropleth(frame, env=env, ind=ind, basis="current", lang=lang, title=title, key=f"map_{ind.id}_{sel.year}_{sel.series}",
                    table=table, pickable=True)  # a click on a region opens it on the Regions page
    ranking = ranking_chart(frame, ind=ind, lang=lang, title=t("ranking.title", lang, title=title), table=table, key=key)
    # the cards follow the chosen year (they used to stay on the latest year while the map beside them changed)
    return OverviewView(
        title=t("page.overview", lang),
        period=t("overview.period", lang, year=sel.year, prev=sel.year - 1, series=series_label(sel.series, lang)),
        cards=headline_cards(data, year=sel.year, lang=lang, series=sel.series),
        map=mv,
        ranking=ranking,
        official=official_table(data, lang=lang, scopes=[NATIONAL]),
    )
