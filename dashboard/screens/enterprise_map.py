"""The digital map of enterprises (official mode): filters, the pydeck map, search by BIN or name, the enterprise card."""

from __future__ import annotations

import html

import streamlit as st

from dashboard import map_view, state
from dashboard.i18n import t
from dashboard.login import require_identity
from data.scope import ScopeError
from layers import deck
from osh import enterprises as ent

MAP_KEY = "enterprise_map"

lang = state.current_lang()
identity = require_identity(lang=lang)
scope = identity.scope
st.title(t("page.enterprise_map", lang), anchor=False)
store = map_view.store()
if store is None:
    st.stop()


def _on_pick() -> None:
    # A click on a region polygon drills down: set the region filter before the next run draws the widgets.
    code = map_view.selected_region(st.session_state.get(MAP_KEY))
    if code and scope.allows(code):
        st.session_state["map_region"] = code


try:
    years = map_view.years(store)
except map_view.MapDataError as exc:
    st.error(str(exc))
    st.stop()

c1, c2, c3 = st.columns([2, 2, 1])
layer = c1.selectbox(t("emap.widget.layer", lang), deck.THEMES, format_func=lambda v: t(f"emap.layer.{v}", lang),
                     key="map_layer")
measure = "share_high"
if layer == "degree":
    measure = c2.selectbox(t("emap.widget.measure", lang), deck.MEASURES,
                           format_func=lambda v: t(f"emap.measure.{v}", lang), key="map_measure")
aggregate_by = c3.radio(t("emap.widget.aggregate_by", lang), map_view.AGGREGATE_BY,
                        format_func=lambda v: t(f"emap.aggregate_by.{v}", lang), key="map_aggregate_by")
filters = map_view.filter_widgets(lang=lang, scope=scope, years=years, key_prefix="map")
selection = map_view.MapSelection(layer=layer, measure=measure, aggregate_by=aggregate_by, **filters)

try:
    view = map_view.map_for(store, scope=scope, selection=selection, lang=lang)
except (map_view.MapDataError, ent.FilterError, ScopeError) as exc:
    st.error(str(exc))
    st.stop()

st.caption(view.note)
if map_view.is_demo(store):
    st.warning(t("emap.demo", lang), icon=":material/science:")
left, right = st.columns([4, 1])
with left:
    event = st.pydeck_chart(view.deck, on_select=_on_pick, selection_mode="single-object", key=MAP_KEY, height=560,
                            alt=t("emap.alt", lang, title=view.title))
with right:
    st.markdown(f"**{html.escape(view.title)}**")
    if view.legend_title:
        st.caption(view.legend_title)
    st.markdown(map_view.legend_html(view.legend), unsafe_allow_html=True)
st.caption(view.attribution)

st.subheader(t("emap.search.title", lang), anchor=False)
text = st.text_input(t("emap.search.label", lang), key="map_search", placeholder=t("emap.search.placeholder", lang))
chosen = map_view.selected_bin(event)
if text.strip():
    found = map_view.search(store, scope=scope, text=text)
    map_view.audit(identity, action="search", object=text.strip()[:64], detail={"results": len(found)})
    if found.empty and map_view.is_bin(text) and not scope.is_country:
        # A full BIN outside the user's regions is refused (and logged as access_denied) by the card
        # itself, not answered with "no results" as if it did not exist.
        chosen = text.strip()
    elif found.empty:
        st.info(t("emap.search.none", lang))
    else:
        options = found["bin"].tolist()
        labels = dict(zip(found["bin"], found["name"], strict=True))
        chosen = st.selectbox(t("emap.search.pick", lang), options, format_func=lambda b: f"{b} · {labels[b]}",
                              key="map_search_pick")
if chosen:
    map_view.render_card(store, identity=identity, bin=chosen, lang=lang)
else:
    st.caption(t("emap.card.hint", lang))
