"""The top of every page: its language, the demo-data notice and the title (pages call start() first)."""

from __future__ import annotations

import streamlit as st

from dashboard import cache, state
from dashboard.i18n import t


def start(title_key: str) -> str:
    """Render the demo notice (when the data are demo data) and the page title; return the language."""
    lang = state.current_lang()
    try:
        meta = cache.dataset_meta()
    except cache.DataUnavailableError as exc:
        st.error(cache.unavailable_message(exc, lang))
        st.stop()
    if meta.get("dataset", "demo") == "demo":
        st.warning(t("demo.banner", lang), icon=":material/science:")
    st.title(t(title_key, lang), anchor=False)
    return lang
