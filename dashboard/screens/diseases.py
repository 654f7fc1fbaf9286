"""Occupational diseases: trend, structure by cause, regional concentration."""

from __future__ import annotations

import streamlit as st

from dashboard import cache, page, render, state, views
from dashboard.i18n import t
from dashboard.views import DiseasesSelection

ctx = page.start("page.diseases")
lang, opts = ctx.lang, ctx.options

state.url_choice("year", "ds_year", options=list(opts.years), default=opts.latest_year)
year = st.selectbox(t("widget.year", lang), opts.years[::-1], key="ds_year")
state.publish(year=year)
state.copy_link(lang, page="diseases")
view = cache.view(views.diseases, DiseasesSelection(lang=lang, year=int(year), series=ctx.series))
render.cards(view.cards, per_row=2)
render.chart(view.trend, lang)
render.chart(view.causes, lang)
render.map_view(view.map, lang)
st.info(view.concentration)
