"""Per-session state: the language and the series (URL ?lang= / ?series= and session, surviving page changes)."""

from __future__ import annotations

from collections.abc import Sequence

import streamlit as st

from dashboard.i18n import LANG_NAMES, LANGS, normalise_lang, t
from data import series as series_registry
from data import settings

LANG_KEY = "lang"
SERIES_KEY = "series"
_WIDGET_KEY = "_lang_picker"
_SERIES_WIDGET_KEY = "_series_picker"


def current_lang() -> str:
    """The language of this run: ?lang= wins, then the session's choice, then ENBEK_LANG; written back to the URL."""
    asked = st.query_params.get(LANG_KEY)
    if asked in LANGS:
        lang = str(asked)
    elif st.session_state.get(LANG_KEY) in LANGS:
        lang = st.session_state[LANG_KEY]
    else:
        lang = normalise_lang(settings.get("ENBEK_LANG"))
    st.session_state[LANG_KEY] = lang
    if st.query_params.get(LANG_KEY) != lang:  # page changes drop the query string; put it back
        st.query_params[LANG_KEY] = lang
    return lang


def _on_lang_change() -> None:
    lang = st.session_state[_WIDGET_KEY]
    if lang not in LANGS:
        return
    st.session_state[LANG_KEY] = lang
    st.query_params[LANG_KEY] = lang


def language_picker(lang: str) -> None:
    st.session_state[_WIDGET_KEY] = lang
    st.sidebar.radio(
        t("lang.label", lang), options=list(LANGS), format_func=LANG_NAMES.__getitem__,
        key=_WIDGET_KEY, on_change=_on_lang_change,
    )


def current_series(available: Sequence[str], default: str) -> str:
    """The series of this run: ?series= (an id or a name releases use) wins, then the session's choice, then
    `default` (meta.json's default_series, else ENBEK_SERIES); written back to the URL like the language."""
    asked = st.query_params.get(SERIES_KEY)
    normalised = series_registry.normalise(str(asked)) if asked else None
    if normalised in available:
        chosen = str(normalised)
    elif st.session_state.get(SERIES_KEY) in available:
        chosen = st.session_state[SERIES_KEY]
    else:
        chosen = default
    st.session_state[SERIES_KEY] = chosen
    if st.query_params.get(SERIES_KEY) != chosen:
        st.query_params[SERIES_KEY] = chosen
    return chosen


def _on_series_change() -> None:
    chosen = st.session_state[_SERIES_WIDGET_KEY]
    st.session_state[SERIES_KEY] = chosen
    st.query_params[SERIES_KEY] = chosen


def series_picker(lang: str, *, available: Sequence[str], chosen: str) -> None:
    """The sidebar picker of the series with the one-line definition of the chosen one under it."""
    st.session_state[_SERIES_WIDGET_KEY] = chosen
    st.sidebar.selectbox(
        t("series.label", lang), options=list(available), format_func=lambda s: series_registry.label(s, lang),
        key=_SERIES_WIDGET_KEY, on_change=_on_series_change, help=t("series.help", lang),
    )
    definition = series_registry.definition(chosen, lang)
    if definition:
        st.sidebar.caption(definition)
