"""The digital map of enterprises (official mode): filters, the pydeck map, search by BIN or name, the enterprise card."""

from __future__ import annotations

import streamlit as st

from dashboard import official_cache, official_render, official_widgets, state
from dashboard import official_views as views
from dashboard.i18n import t
from dashboard.login import require_identity
from data.scope import ScopeError
from osh import enterprises as ent

lang = state.current_lang()
identity = require_identity(lang=lang)
scope = identity.scope
st.title(t("page.enterprise_map", lang), anchor=False)
store = official_render.store_or_stop(lang)


def _on_pick() -> None:
    # A click on a region polygon drills down: set the region filter before the next run draws the widgets.
    code = views.selected_region(st.session_state.get(official_render.MAP_KEY))
    if code and scope.allows(code):
        st.session_state["map_region"] = code


try:
    years = official_cache.years(store)
except views.MapDataError as exc:
    st.error(str(exc))
    st.stop()

try:
    selection = official_widgets.map_selection(
        lang=lang, scope=scope, years=years,
        is_points=lambda s: official_cache.is_points(store, scope=scope, selection=s))

    view = official_cache.map_for(store, scope=scope, selection=selection, lang=lang,
                                  districts=official_render.districts_or_note(lang))
except (views.MapDataError, ent.FilterError, ScopeError) as exc:
    st.error(str(exc))
    st.stop()

official_render.demo_notice(store, lang)
event = official_render.map_area(view, lang=lang, on_select=_on_pick)
chosen = official_render.search_box(store, identity=identity, lang=lang, picked=views.selected_bin(event))
if chosen:
    official_render.card(store, identity=identity, bin=chosen, lang=lang)
else:
    st.caption(t("emap.card.hint", lang))
