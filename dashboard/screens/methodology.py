"""Methodology and data: definitions and formulas, sources, disclosure rules, the demo notice, downloads."""

from __future__ import annotations

import streamlit as st

from dashboard import cache, page, render
from dashboard.i18n import t
from dashboard.views import MethodologySelection

lang = page.start("page.methodology")
view = cache.view("methodology", MethodologySelection(lang=lang), maps=False)

st.header(t("method.definitions", lang), anchor=False)
render.table(view.definitions, lang, title=False)
st.header(t("method.sources_title", lang), anchor=False)
st.markdown(t("method.sources", lang))
st.header(t("method.disclosure_title", lang), anchor=False)
st.markdown(t("method.disclosure", lang))
st.header(t("method.demo_title", lang), anchor=False)
st.markdown(t("method.demo", lang))
st.header(t("method.dataset", lang), anchor=False)
render.table(view.meta, lang, title=False)
st.header(t("method.downloads", lang), anchor=False)
for item in view.downloads:
    st.markdown(f"**{item.title}**")
    render.downloads(item, lang)
