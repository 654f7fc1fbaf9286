"""Regions: a choropleth with indicator, year and basis pickers; the chosen region's profile."""

from __future__ import annotations

import streamlit as st

from dashboard import cache, login, page, render, state, views
from dashboard.briefing_button import briefing_download_button
from dashboard.catalog import MAP_INDICATORS
from dashboard.i18n import t
from dashboard.views import RegionsSelection, place_name
from dashboard.views.common import NATIONAL, series_label

ctx = page.start("page.regions")
lang, opts = ctx.lang, ctx.options

# Deep links: ?indicator=&year=&region=&compare=&basis= seed the widgets and are written back on every run.
NONE = ""  # "compare with nobody"
versus_options = [NONE, NATIONAL, *opts.regions]
state.url_choice("indicator", "rg_indicator", options=MAP_INDICATORS, default=MAP_INDICATORS[0])
state.url_choice("region", "rg_region", options=opts.regions, default=opts.regions[0])
state.url_choice("compare", "rg_versus", options=versus_options, default=NONE)
state.url_choice("basis", "rg_basis", options=("current", "harmonised"), default="current")
state.url_choice("year", "rg_year", options=list(opts.years), default=opts.latest_year)

c1, c2, c3, c4 = st.columns([2, 2, 2, 1])
indicator = c1.selectbox(t("widget.indicator", lang), MAP_INDICATORS, format_func=lambda i: t(f"ind.{i}", lang), key="rg_indicator")
region = c2.selectbox(t("widget.region", lang), opts.regions, format_func=lambda c: place_name(c, lang), key="rg_region")
versus = c3.selectbox(t("widget.versus", lang), versus_options, key="rg_versus",
                      format_func=lambda c: t("widget.compare_none", lang) if c == NONE else place_name(c, lang))
basis = c4.radio(t("widget.basis", lang), ("current", "harmonised"), format_func=lambda b: t(f"basis.{b}", lang), key="rg_basis")
c5, c6, c7 = st.columns([2, 1, 1])  # the toggle's label ("Алдыңғы жылмен өзгеріс") whole at 1440 px
year = c5.select_slider(t("widget.year", lang), options=list(opts.years), key="rg_year")
change = c6.toggle(t("widget.change", lang), key="rg_change", disabled=int(year) == opts.years[0])
others = [s for s in opts.series if s != ctx.series]
# placeholder: with one series the disabled box showed Streamlit's English "Choose an option" in kk and ru too
compare = c7.selectbox(t("widget.compare_series", lang), [None, *others], key="rg_compare", disabled=not others,
                       format_func=lambda s: t("widget.compare_none", lang) if s is None else series_label(s, lang),
                       placeholder=t("widget.compare_none", lang))
state.publish(indicator=indicator, year=year, region=region, compare=versus or None, basis=basis)
st.caption(t(f"basis.{basis}_help", lang))
state.copy_link(lang, page="regions")

view = cache.view(views.regions, RegionsSelection(lang=lang, indicator=indicator, year=int(year), basis=basis, region=region,
                                                  series=ctx.series, change=bool(change) and int(year) != opts.years[0],
                                                  compare=compare, versus=versus or None))
for note in view.notes:
    st.info(note)


def _choose(code: str) -> None:
    """A region clicked on the map or in the ranking becomes region A, or region B when "compared with" is chosen
    (a code the page does not offer, or B equal to A, changes nothing)."""
    if code not in opts.regions:
        return
    if st.session_state.get("rg_pick") == "versus":
        if code != st.session_state.get("rg_region"):
            st.session_state["rg_versus"] = code
    else:
        st.session_state["rg_region"] = code


def _pick_from_ranking() -> None:
    rows = st.session_state["rg_ranking"].selection.rows
    codes = st.session_state.get("_rg_ranking_codes", ())
    if rows and rows[0] < len(codes):
        _choose(codes[rows[0]])


left, right = st.columns([3, 2])
with left:
    render.map_view(view.map, lang, ranking_beside=True)
    render.map_pick(key="rg_map_pick", on_pick=_choose)

st.session_state["_rg_ranking_codes"] = view.map.table.row_keys
with right:
    st.segmented_control(t("pick.label", lang), ("region", "versus"), key="rg_pick", default="region",
                         format_func=lambda p: t(f"pick.{p}", lang), required=True)
    st.caption(t("regions.pick_hint", lang))
    render.table(view.map.table, lang, height=460, select_key="rg_ranking", on_select=_pick_from_ranking)

head, button = st.columns([4, 1], vertical_alignment="bottom")
head.header(view.profile_title, anchor=False)
with button:
    briefing_download_button(lang=lang, year=int(year), region=region, series=ctx.series, identity=login.current_user())
if view.versus_title:  # region A and region B (or Kazakhstan) side by side, then one trend chart with both lines
    a, b = st.columns(2)
    with a:
        st.subheader(place_name(region, lang), anchor=False)
        render.cards(view.cards, per_row=2)
    with b:
        st.subheader(view.versus_title, anchor=False)
        render.cards(view.versus_cards, per_row=2)
    if view.versus_table is not None:
        render.table(view.versus_table, lang)
        st.caption(t("compare.note", lang))
    render.chart(view.trend, lang)
    a, b = st.columns(2)
    with a:
        render.table(view.sectors, lang)
    with b:
        if view.versus_sectors is not None:
            render.table(view.versus_sectors, lang)
else:
    render.cards(view.cards, per_row=5)
    render.chart(view.trend, lang)
    render.table(view.sectors, lang)
render.table(view.targets, lang)
