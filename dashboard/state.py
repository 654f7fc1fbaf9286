"""Per-session state: the language and the series (URL ?lang= / ?series= and session, surviving page changes)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import NoReturn
from urllib.parse import urlencode

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
    # a radio, not a selectbox: the series' full names ("ҰСБ (Ұлттық статистика бюросы)") wrap in the narrow
    # sidebar instead of being cut, and the reader sees both series without opening anything
    st.sidebar.radio(
        t("series.label", lang), options=list(available), format_func=lambda s: series_registry.label(s, lang),
        key=_SERIES_WIDGET_KEY, on_change=_on_series_change, help=t("series.help", lang),
    )
    definition = series_registry.definition(chosen, lang)
    if definition:
        st.sidebar.caption(definition)


# --- deep links: every page's choices live in the URL (docs/pages.md lists the parameter names) ------------------

_SEEN = "_url_seen"  # per parameter, the URL value this session last wrote or honoured


def url_choice(param: str, key: str, *, options: Sequence[object], default: object) -> None:
    """Seed the widget `key` from ?`param`= before the widget is drawn: a value the URL brings (a link just opened,
    or edited by hand) wins when it is one of `options`; otherwise the widget keeps its value, else `default`.
    The URL's own value is remembered so that the stale query string of a rerun never undoes a widget change."""
    by_text = {url_text(o): o for o in options}
    asked = st.query_params.get(param)
    seen: dict[str, str] = st.session_state.setdefault(_SEEN, {})
    if asked is not None and asked != seen.get(param) and asked in by_text:
        st.session_state[key] = by_text[asked]
    if st.session_state.get(key, _MISSING) not in options:
        st.session_state[key] = default


_MISSING = object()


def url_text(value: object) -> str:
    """A choice as the URL writes it: '' for none, whole numbers without '.0', else str()."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def publish(**params: object) -> None:
    """Write the page's current choices to the URL (None removes a parameter), so the address can be shared."""
    seen: dict[str, str] = st.session_state.setdefault(_SEEN, {})
    for param, value in params.items():
        text = url_text(value)
        if not text:
            if param in st.query_params:
                del st.query_params[param]
            seen.pop(param, None)
            continue
        if st.query_params.get(param) != text:
            st.query_params[param] = text
        seen[param] = text


def open_page(script: Path, **params: object) -> NoReturn:
    """Switch to the page of `script` with these choices in its address (lang and series are carried over). The
    page honours them even where it last showed the same value (its widgets are gone once another page ran, and
    url_choice skips a URL value it has seen before)."""
    query = {LANG_KEY: st.session_state.get(LANG_KEY), SERIES_KEY: st.session_state.get(SERIES_KEY), **params}
    texts = {k: url_text(v) for k, v in query.items() if url_text(v)}
    seen: dict[str, str] = st.session_state.setdefault(_SEEN, {})
    for param in texts:
        seen.pop(param, None)
    st.switch_page(script, query_params=texts)


def copy_link(lang: str, *, page: str) -> None:
    """The page's address with all its choices, ready to copy (st.code has a copy button)."""
    with st.popover(t("link.copy", lang), icon=":material/link:"):
        st.caption(t("link.help", lang))
        st.code(page_link(base=st.context.url or "", page=page, params=dict(st.query_params.items())), language=None)


def page_link(*, base: str, page: str, params: Mapping[str, str]) -> str:
    """'https://host/app' + 'regions' + {lang: kk, region: 35} -> 'https://host/app/regions?lang=kk&region=35'
    (lang first, then the page's parameters in a fixed order so equal states give equal links)."""
    order = ("lang", "indicator", "year", "region", "compare", "basis", "series")
    keys = sorted(params, key=lambda k: (order.index(k) if k in order else len(order), k))
    return f"{base.rstrip('/')}/{page}?{urlencode([(k, params[k]) for k in keys])}"
