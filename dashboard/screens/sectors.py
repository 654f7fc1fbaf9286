"""Sectors: OKED sections with confidence intervals, region x sector heat map, a sector's map, harmful conditions."""

from __future__ import annotations

import streamlit as st

from dashboard import cache, page, render, state, views
from dashboard.catalog import SECTOR_INDICATORS
from dashboard.i18n import t
from dashboard.views import SectorsSelection, section_name

ctx = page.start("page.sectors")
lang, opts = ctx.lang, ctx.options

state.url_choice("indicator", "sc_indicator", options=SECTOR_INDICATORS, default=SECTOR_INDICATORS[0])
state.url_choice("year", "sc_year", options=list(opts.years), default=opts.latest_year)
state.url_choice("section", "sc_section", options=list(opts.sections), default=opts.sections[0])
c1, c2, c3 = st.columns([2, 1, 2])
indicator = c1.selectbox(t("widget.indicator", lang), SECTOR_INDICATORS, format_func=lambda i: t(f"ind.{i}", lang), key="sc_indicator")
year = c2.selectbox(t("widget.year", lang), opts.years[::-1], key="sc_year")
section = c3.selectbox(t("widget.section", lang), opts.sections, format_func=lambda s: f"{s} · {section_name(s, lang)}", key="sc_section")

state.publish(indicator=indicator, year=year, section=section)
state.copy_link(lang, page="sectors")
view = cache.view(views.sectors, SectorsSelection(lang=lang, indicator=indicator, year=int(year), section=section,
                                                  series=ctx.series))
render.chart(view.ranking, lang)
render.chart(view.heatmap, lang)
render.map_view(view.map, lang)
render.chart(view.harmful, lang)
