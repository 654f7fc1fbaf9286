"""Methodology and data: definitions and formulas, the series, sources, disclosure rules, the demo notice, downloads."""

from __future__ import annotations

import streamlit as st

from dashboard import cache, open_data, page, render, views
from dashboard.catalog import INDICATORS
from dashboard.i18n import t
from dashboard.views import MethodologySelection
from dashboard.views.common import method_anchor

ctx = page.start("page.methodology")
lang = ctx.lang
view = cache.view(views.methodology, MethodologySelection(lang=lang), maps=False)

st.header(t("method.definitions", lang), anchor=False)
render.table(view.definitions, lang, title=False)
st.header(t("method.indicators_title", lang), anchor=False)
for section in view.indicators:  # each indicator's own section: the charts' "about" panels link to its anchor
    st.subheader(f"{section.name} ({section.unit})", anchor=section.anchor)
    st.markdown("\n".join((
        f"- **{t('about.definition', lang)}:** {section.definition}",
        f"- **{t('about.source', lang)}:** {section.source}",
        f"- **{t('about.denominator', lang)}:** {section.denominator or t('about.no_denominator', lang)}",
        f"- **{t('about.caveats', lang)}:** {section.caveats}",
        f"- **{t('about.change_rule', lang)}:** {section.change_rule}",
    )))
st.header(t("method.series", lang), anchor=False)
st.markdown(t("method.series_text", lang))
render.table(view.series, lang, title=False)
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
open_data.section(lang)
asked = st.query_params.get("indicator")  # a chart's "about" link names an indicator: show its section
if asked in INDICATORS:
    render.scroll_to_anchor(method_anchor(str(asked)))
