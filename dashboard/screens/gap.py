"""Gap: the injury rate of the worst fifth of workers against the best fifth, by region and by sector, to 2030."""

from __future__ import annotations

import streamlit as st

from dashboard import cache, page, render, state, views
from dashboard.i18n import t
from dashboard.views import GapSelection

ctx = page.start("page.gap")
lang = ctx.lang
st.caption(t("gap.intro", lang))
state.copy_link(lang, page="gap")
view = cache.view(views.gap, GapSelection(lang=lang, series=ctx.series), maps=False)
for note in view.notes:
    st.info(note, icon=":material/info:")
for chart in view.charts:
    render.chart(chart, lang)
if len(view.trend.raw):  # a trend needs 3 years with a gap
    render.table(view.trend, lang)
