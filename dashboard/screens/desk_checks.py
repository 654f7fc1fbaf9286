"""Desk checks (official mode): a region's enterprises whose sources disagree, the rules, the map layer, the list
downloads and the letter to the employer asking for the missing documents."""

from __future__ import annotations

import streamlit as st

from dashboard import desk_checks_render as render
from dashboard import official_render, official_widgets, state
from dashboard.i18n import t
from dashboard.login import audit_event, require_identity, scope_guard
from osh import desk_checks as dc
from osh import enterprises as ent

lang = state.current_lang()
identity = require_identity(lang=lang)
st.title(t("page.desk_checks", lang), anchor=False)
st.caption(t("desk.intro", lang))
store = official_render.store_or_stop(lang)

region = official_widgets.region_select(st, lang=lang, scope=identity.scope, key="desk_region")
try:
    with scope_guard(identity, object=f"desk_checks:{region or 'KZ'}", lang=lang):
        view = render.view_for(store, scope=identity.scope, region=region, lang=lang)
except (ent.RiskTableMissing, dc.DeskCheckConfigError) as exc:
    st.error(str(exc))
    st.stop()

audit_event(identity, action="view_list", object=f"desk_checks:{region or 'KZ'}", detail={"rows": len(view.frame)},
            lang=lang)
official_render.demo_notice(store, lang)
with st.expander(t("desk.rules.title", lang)):
    st.dataframe(view.rules, hide_index=True, width="stretch", key="desk_rules")
st.caption(t("desk.count", lang, n=len(view.frame)))
if view.frame.empty:
    st.info(t("desk.empty", lang))
    render.measures_section(store, identity=identity, lang=lang)
    st.stop()
render.map_area(view, lang=lang)
st.dataframe(view.display, hide_index=True, width="stretch", height=420, key="desk_table")
render.list_downloads(store, identity=identity, region=region, rows=len(view.frame), lang=lang)

st.subheader(t("desk.letter.title", lang), anchor=False)
names = dict(zip(view.frame["bin"].astype(str), view.frame["name"].astype(str), strict=True))
c1, c2, c3 = st.columns([3, 1, 2])
bin_ = c1.selectbox(t("desk.letter.pick", lang), render.dviews.letter_options(view.frame), key="desk_letter_bin",
                    format_func=lambda b: f"{b} · {names.get(b, '')}")
with c2:
    letter_lang = render.letter_lang_picker(lang=lang, key="desk_letter_lang")
with c3:
    if bin_:
        render.letter_button(store, identity=identity, bin=str(bin_), letter_lang=letter_lang, lang=lang,
                             key="desk_letter")

render.measures_section(store, identity=identity, lang=lang)
