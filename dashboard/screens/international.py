"""International: Kazakhstan against EU countries and the USA per 100 000 workers (official figures)."""

from __future__ import annotations

import streamlit as st

from dashboard import cache, page, render
from dashboard.i18n import t
from dashboard.views import InternationalSelection

lang = page.start("page.international")
st.warning(t("intl.underreporting", lang), icon=":material/info:")

view = cache.view("international", InternationalSelection(lang=lang), maps=False)
if view.demo_note:
    st.caption(view.demo_note)
for item in view.charts:
    render.chart(item, lang)
if not view.charts:
    st.info(t("intl.none", lang))
