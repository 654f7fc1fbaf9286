"""The top of every barometer page: language, series picker, the demo-data notice and the title (pages call start() first)."""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from dashboard import cache, state, views
from dashboard.i18n import t


@dataclass(frozen=True)
class PageContext:
    lang: str
    series: str  # the one series every table, chart and card of the page shows (docs/series.md)
    options: views.Options


def start(title_key: str) -> PageContext:
    """Render the series picker (sidebar), the demo notice (when the data are demo data) and the page title."""
    lang = state.current_lang()
    try:
        meta = cache.dataset_meta()
        opts = cache.options()
    except (cache.DataUnavailableError, views.EmptyDataError) as exc:
        st.error(cache.unavailable_message(exc, lang))
        st.stop()
    cache.warm()  # the other pages' (and languages') first views are computed in the background meanwhile
    series = state.current_series(opts.series, opts.default_series)
    state.series_picker(lang, available=opts.series, chosen=series)
    if meta.get("dataset", "demo") == "demo":
        st.warning(t("demo.banner", lang), icon=":material/science:")
    st.title(t(title_key, lang), anchor=False)
    return PageContext(lang, series, opts)
