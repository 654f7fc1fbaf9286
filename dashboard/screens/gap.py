"""The gap between high- and low-risk regions and sectors: yearly ratio, its interval, the trend to 2030."""

from __future__ import annotations

import streamlit as st

from dashboard import cache, page, render
from dashboard.i18n import t
from dashboard.views import EmptyDataError
from dashboard.views.gap import GapSelection, gap

ctx = page.start("page.gap")
lang = ctx.lang
st.caption(t("gap.intro", lang))
try:
    view = cache.view(gap, GapSelection(lang=lang, series=ctx.series), maps=False)
except EmptyDataError:
    st.info(t("gap.none", lang))
    st.stop()
if not view.has_points:
    st.info(t("gap.no_points", lang))
for sentence in view.trends:
    st.markdown(f"- {sentence}")
render.chart(view.chart, lang)
