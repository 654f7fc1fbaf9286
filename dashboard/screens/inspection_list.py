"""The inspection plan (official mode): the region's enterprises ranked by one named order with the reason in the
user's language, filters, the chosen ones on a map, marks planned / inspected, and the region's plan file."""

from __future__ import annotations

import streamlit as st

from dashboard import official_render, official_widgets, state
from dashboard import official_views as views
from dashboard.i18n import fmt_number, t
from dashboard.login import audit_event, require_identity, scope_guard
from data.store import StoreError
from osh import enterprises as ent
from osh.plan import PlanError

lang = state.current_lang()
identity = require_identity(lang=lang)
st.title(t("page.inspection_list", lang), anchor=False)
store = official_render.store_or_stop(lang)

selection = official_widgets.plan_selection(lang=lang, scope=identity.scope)
districts = official_render.districts_or_note(lang)
try:
    with scope_guard(identity, object=f"inspection_list:{selection.region or 'KZ'}", lang=lang):
        marks = official_render.read_marks(identity, region=selection.region)
        view = views.inspection_view(store, scope=identity.scope, selection=selection, marks=marks, lang=lang,
                                     districts=districts)
except PlanError as exc:
    st.error(official_render.plan_error_text(exc, lang))
    st.stop()
except (ent.RiskTableMissing, ent.FilterError, StoreError, ValueError) as exc:
    st.error(str(exc))
    st.stop()

audit_event(identity, action="view_list", object=f"inspection_list:{selection.region or 'KZ'}",
            detail={"rows": len(view.frame), "order": selection.order}, lang=lang)
flash = st.session_state.pop("plan_flash", None)
if flash:
    st.success(flash)
st.caption(view.caption)
st.caption(t("plan.count", lang, n=fmt_number(len(view.frame), lang)))
st.dataframe(view.display, hide_index=True, width="stretch", height=420, key="inspection_table")
official_render.list_downloads(store, identity=identity, selection=selection, rows=len(view.frame), lang=lang)
if st.toggle(t("plan.show_map", lang), key="plan_show_map"):
    official_render.plan_map(view, lang=lang, districts=districts)
official_render.mark_form(store, identity=identity, view=view, lang=lang)
if selection.region is None:  # the ministry (or a multi-region akimat) looking at all its regions
    official_render.plan_summary(identity, lang=lang)
official_render.region_plan(store, identity=identity, region=selection.region, lang=lang)
if views.is_demo(store):
    st.markdown(f":orange-badge[{t('emap.demo', lang)}]")
