"""Risk-based inspection list (official mode): enterprises of a region ranked by expected preventable harm, with reasons."""

from __future__ import annotations

import streamlit as st

from dashboard import map_view, state
from dashboard.i18n import t
from dashboard.login import require_identity
from data.scope import ScopeError
from geo.regions import region_name
from osh import enterprises as ent

lang = state.current_lang()
identity = require_identity(lang=lang)
scope = identity.scope
st.title(t("page.inspection_list", lang), anchor=False)
st.caption(t("emap.list.intro", lang))
store = map_view.store()
if store is None:
    st.stop()

options = map_view.region_options(scope)
c1, c2 = st.columns([3, 1])
region = c1.selectbox(t("emap.filter.region", lang), options, key="list_region",
                      format_func=lambda v: t("emap.choice.all", lang) if v is None else region_name(v, lang))
limit = int(c2.number_input(t("emap.list.limit", lang), min_value=10, max_value=5000, value=200, step=50,
                            key="list_limit"))
try:
    view = map_view.inspection_view(store, scope=scope, region=region, lang=lang, limit=limit)
except (ent.RiskTableMissing, ScopeError, ValueError) as exc:
    st.error(str(exc))
    st.stop()

name = f"inspection_list_{region or 'KZ'}"
map_view.audit(identity, action="view_list", object=f"inspection_list:{region or 'KZ'}", detail={"rows": len(view.frame)})
st.caption(t("emap.list.count", lang, n=len(view.frame)))
st.dataframe(view.display, hide_index=True, width="stretch", height=520, key="inspection_table")
detail = {"region": region or "KZ", "rows": len(view.frame), "limit": limit}
d1, d2, _ = st.columns([1, 1, 4])
d1.download_button(t("emap.list.csv", lang), map_view.to_csv(view.frame), file_name=f"{name}.csv", mime="text/csv",
                   key="list_csv", on_click=map_view.audit, args=(identity,),
                   kwargs={"action": "download_list", "object": f"{name}.csv", "detail": detail})
d2.download_button(t("emap.list.xlsx", lang), map_view.to_xlsx(view.frame), file_name=f"{name}.xlsx",
                   mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", key="list_xlsx",
                   on_click=map_view.audit, args=(identity,),
                   kwargs={"action": "download_list", "object": f"{name}.xlsx", "detail": detail})
if map_view.is_demo(store):
    st.markdown(f":orange-badge[{t('emap.demo', lang)}]")
