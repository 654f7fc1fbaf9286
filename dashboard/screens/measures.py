"""OSH measures in aggregate: funding, PPE, medical examinations, guarantees, nutrition and milk, sanitary
facilities by region and sector, confidential cells marked (views/measures.py, public table `measures`)."""

from __future__ import annotations

import streamlit as st

from dashboard import cache, page, render, state
from dashboard.i18n import t
from dashboard.views import EmptyDataError
from dashboard.views.measures import (
    MEASURES,
    MeasuresSelection,
    MeasureYearsSelection,
    measure_years_view,
    measures,
)

ctx = page.start("page.measures")
lang = ctx.lang
st.caption(t("mpub.intro", lang))
try:
    years = cache.view(measure_years_view, MeasureYearsSelection(), maps=False)
except EmptyDataError:
    st.info(t("mpub.none", lang))
    st.stop()

state.url_choice("measure", "mp_measure", options=MEASURES, default=MEASURES[0])
state.url_choice("year", "mp_year", options=list(years), default=years[-1])
c1, c2 = st.columns([3, 1])
measure = c1.selectbox(t("mpub.widget.measure", lang), MEASURES, format_func=lambda m: t(f"ind.{m}", lang), key="mp_measure")
year = c2.selectbox(t("widget.year", lang), years[::-1], key="mp_year")
state.publish(measure=measure, year=year)
state.copy_link(lang, page="measures")

view = cache.view(measures, MeasuresSelection(lang=lang, measure=str(measure), year=int(year)))
st.caption(view.counts)
st.subheader(t("mpub.cards_title", lang), anchor=False)
render.cards(view.cards)
render.map_view(view.map, lang)
render.chart(view.sectors, lang)
render.chart(view.trend, lang)
render.table(view.table, lang)
with st.expander(t("mpub.methodology_title", lang)):
    for note in view.notes:
        st.markdown(f"- {note}")
