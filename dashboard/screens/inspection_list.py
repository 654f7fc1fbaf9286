"""Risk-based inspection list (official mode): enterprises of a region ranked by expected preventable harm, with reasons."""

from __future__ import annotations

import streamlit as st

from dashboard import official_render, official_widgets, state
from dashboard import official_views as views
from dashboard.i18n import t
from dashboard.login import audit_event, require_identity, scope_guard
from osh import enterprises as ent

lang = state.current_lang()
identity = require_identity(lang=lang)
st.title(t("page.inspection_list", lang), anchor=False)
st.caption(t("emap.list.intro", lang))
store = official_render.store_or_stop(lang)

c1, c2 = st.columns([3, 1])
region = official_widgets.region_select(c1, lang=lang, scope=identity.scope, key="list_region")
limit = int(c2.number_input(t("emap.list.limit", lang), min_value=10, max_value=5000, value=200, step=50,
                            key="list_limit"))
try:
    with scope_guard(identity, object=f"inspection_list:{region or 'KZ'}", lang=lang):
        view = views.inspection_view(store, scope=identity.scope, region=region, lang=lang, limit=limit)
except (ent.RiskTableMissing, ValueError) as exc:
    st.error(str(exc))
    st.stop()

audit_event(identity, action="view_list", object=f"inspection_list:{region or 'KZ'}", detail={"rows": len(view.frame)},
            lang=lang)
st.caption(t("emap.list.count", lang, n=len(view.frame)))
st.dataframe(view.display, hide_index=True, width="stretch", height=520, key="inspection_table")
official_render.list_downloads(store, identity=identity, region=region, limit=limit, rows=len(view.frame), lang=lang)
if views.is_demo(store):
    st.markdown(f":orange-badge[{t('emap.demo', lang)}]")
