"""Regions: a choropleth with indicator, year and basis pickers; the chosen region's profile."""

from __future__ import annotations

import streamlit as st

from dashboard import cache, login, page, render, views
from dashboard.briefing_button import briefing_download_button
from dashboard.catalog import MAP_INDICATORS
from dashboard.i18n import t
from dashboard.views import RegionsSelection, place_name
from dashboard.views.common import series_label

ctx = page.start("page.regions")
lang, opts = ctx.lang, ctx.options

c1, c2, c3 = st.columns([2, 2, 1])
indicator = c1.selectbox(t("widget.indicator", lang), MAP_INDICATORS, format_func=lambda i: t(f"ind.{i}", lang), key="rg_indicator")
region = c2.selectbox(t("widget.region", lang), opts.regions, format_func=lambda c: place_name(c, lang), key="rg_region")
basis = c3.radio(t("widget.basis", lang), ("current", "harmonised"), format_func=lambda b: t(f"basis.{b}", lang), key="rg_basis")
c4, c5, c6 = st.columns([3, 1, 1])
year = c4.select_slider(t("widget.year", lang), options=list(opts.years), value=opts.latest_year, key="rg_year")
change = c5.toggle(t("widget.change", lang), key="rg_change", disabled=int(year) == opts.years[0])
others = [s for s in opts.series if s != ctx.series]
compare = c6.selectbox(t("widget.compare_series", lang), [None, *others], key="rg_compare", disabled=not others,
                       format_func=lambda s: t("widget.compare_none", lang) if s is None else series_label(s, lang))
st.caption(t(f"basis.{basis}_help", lang))

view = cache.view(views.regions, RegionsSelection(lang=lang, indicator=indicator, year=int(year), basis=basis, region=region,
                                                  series=ctx.series, change=bool(change) and int(year) != opts.years[0],
                                                  compare=compare))
for note in view.notes:
    st.info(note)
left, right = st.columns([3, 2])
with left:
    render.map_view(view.map, lang, ranking_beside=True)


def _pick_from_ranking() -> None:
    """A click on a ranking row chooses that region (the map itself is a static Leaflet page)."""
    rows = st.session_state["rg_ranking"].selection.rows
    codes = st.session_state.get("_rg_ranking_codes", ())
    if rows and rows[0] < len(codes) and codes[rows[0]] in opts.regions:
        st.session_state["rg_region"] = codes[rows[0]]


st.session_state["_rg_ranking_codes"] = view.map.table.row_keys
with right:
    st.caption(t("regions.pick_hint", lang))
    render.table(view.map.table, lang, height=460, select_key="rg_ranking", on_select=_pick_from_ranking)

head, button = st.columns([4, 1], vertical_alignment="bottom")
head.header(view.profile_title, anchor=False)
with button:
    briefing_download_button(lang=lang, year=int(year), region=region, series=ctx.series, identity=login.current_user())
render.cards(view.cards, per_row=5)
render.chart(view.trend, lang)
render.table(view.sectors, lang)
render.table(view.targets, lang)
