"""Targets 2024-2030: actual against plan, gap and status, national and per region (on the BNS series only)."""

from __future__ import annotations

import streamlit as st

from dashboard import cache, page, render, state, views
from dashboard.i18n import t
from dashboard.views import TargetsSelection, place_name, target_label

ctx = page.start("page.targets")
lang, opts = ctx.lang, ctx.options
st.caption(t("targets.intro", lang))

state.url_choice("region", "tg_region", options=list(opts.target_regions), default=opts.target_regions[0])
state.url_choice("indicator", "tg_indicator", options=list(opts.target_indicators), default=opts.target_indicators[0])
c1, c2 = st.columns(2)
region = c1.selectbox(t("widget.region", lang), opts.target_regions, format_func=lambda c: place_name(c, lang), key="tg_region")
indicator = c2.selectbox(t("widget.target", lang), opts.target_indicators, format_func=lambda i: target_label(i, lang), key="tg_indicator")
state.publish(region=region, indicator=indicator)
state.copy_link(lang, page="targets")
view = cache.view(views.targets, TargetsSelection(lang=lang, region=region, indicator=indicator), maps=False)

st.info(view.basis_note, icon=":material/info:")
if view.summary:
    st.markdown(t("targets.summary", lang, year=view.summary_year) + " " + " · ".join(f"**{label}**: {count}" for label, count in view.summary))
if view.separate_note:
    st.caption(view.separate_note)
if view.chart is not None:
    render.chart(view.chart, lang)
render.table(view.table, lang)
