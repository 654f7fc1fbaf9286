"""Overview: headline cards for the latest year, a choropleth of one indicator and the regional ranking."""

from __future__ import annotations

import streamlit as st

from dashboard import cache, login, navigation, page, render, state, views
from dashboard.briefing_button import briefing_download_button
from dashboard.catalog import MAP_INDICATORS
from dashboard.i18n import t
from dashboard.views import OverviewSelection

ctx = page.start("page.overview")
lang, opts = ctx.lang, ctx.options
st.caption(t("overview.intro", lang))

state.url_choice("indicator", "ov_indicator", options=MAP_INDICATORS, default=MAP_INDICATORS[0])
state.url_choice("year", "ov_year", options=list(opts.years), default=opts.latest_year)
c1, c2 = st.columns(2)
indicator = c1.selectbox(t("widget.indicator", lang), MAP_INDICATORS, format_func=lambda i: t(f"ind.{i}", lang), key="ov_indicator")
year = c2.selectbox(t("widget.year", lang), opts.years[::-1], key="ov_year")
state.publish(indicator=indicator, year=year)
OPEN = "_ov_open_region"  # the region clicked on the map: its page opens with this page's indicator and year
if (picked := st.session_state.pop(OPEN, None)) in opts.regions:
    regions_page = next(p for p in navigation.PAGES if p.url_path == "regions")
    state.open_page(navigation.script_path(regions_page), indicator=indicator, year=year, region=picked, basis="current")
state.copy_link(lang, page="overview")
view = cache.view(views.overview, OverviewSelection(lang=lang, indicator=indicator, year=int(year), series=ctx.series))

head, button = st.columns([4, 1], vertical_alignment="bottom")
head.subheader(view.period, anchor=False)
with button:
    briefing_download_button(lang=lang, year=int(year), series=ctx.series, identity=login.current_user())
render.cards(view.cards, per_row=5)
left, right = st.columns([3, 2])
with left:
    render.map_view(view.map, lang, ranking_beside=True)
    # a callback may not switch pages: it notes the region, and the run it triggers opens the Regions page
    render.map_pick(key="ov_map_pick", on_pick=lambda code: st.session_state.__setitem__(OPEN, code))
    if view.map.pickable:
        st.caption(t("overview.pick_hint", lang))
with right:
    render.chart(view.ranking, lang)  # its text alternative is the map's ranking table
if (official := render.folded(view.official.title, key="ov_official")) is not None:
    with official:
        st.caption(t("official.caption", lang))
        render.table(view.official, lang, title=False)
