"""International: Kazakhstan against EU countries and the USA per 100 000 workers (official figures)."""

from __future__ import annotations

import streamlit as st

from dashboard import cache, page, render, views
from dashboard.i18n import t
from dashboard.views import InternationalSelection

ctx = page.start("page.international")
lang = ctx.lang
st.warning(t("intl.underreporting", lang), icon=":material/info:")

view = cache.view(views.international, InternationalSelection(lang=lang, series=ctx.series), maps=False)
if view.demo_note:
    st.caption(view.demo_note)
for item in view.charts:
    render.chart(item, lang)
if not view.charts:
    st.info(t("intl.none", lang))
