"""Per-session state: the language (URL ?lang= and session, surviving page changes) and the official-mode login hook."""

from __future__ import annotations

import importlib
from types import ModuleType

import streamlit as st

from dashboard.i18n import LANG_NAMES, LANGS, normalise_lang, t
from data import settings

LANG_KEY = "lang"
_WIDGET_KEY = "_lang_picker"


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


def login_module() -> ModuleType | None:
    """dashboard.login (the auth helper's module) if it exists yet."""
    try:
        return importlib.import_module("dashboard.login")
    except ModuleNotFoundError as exc:
        if exc.name != "dashboard.login":
            raise
        return None


def official_user(lang: str) -> object | None:
    """The logged-in official user, or None. Hook: dashboard.login.current_user(lang=...) when that module exists."""
    module = login_module()
    if module is None or not hasattr(module, "current_user"):
        return None
    return module.current_user(lang=lang)
