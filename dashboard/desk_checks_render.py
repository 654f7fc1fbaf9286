"""Streamlit side of the desk checks: the cached list view, the card's section, the audited list and letter downloads.
Caching is keyed by the store's path and version and the user's scope; computing lives in desk_checks_views."""

from __future__ import annotations

import html
from collections.abc import Callable
from functools import partial

import streamlit as st

from dashboard import desk_checks_views as dviews
from dashboard import login, official_cache
from dashboard.i18n import t
from data import exports, settings
from data.auth import Identity
from data.scope import Scope
from data.store import Store
from osh import desk_checks as dc
from osh import enterprises as ent


def _key(store: Store) -> str:
    return str(getattr(store, "path", id(store)))


@st.cache_resource(show_spinner=False)
def config() -> dc.DeskCheckConfig:
    return dc.load_config()


@st.cache_resource(max_entries=16, show_spinner=False)
def _view(path: str, version: str, scope: Scope, region: str | None, lang: str, tiles: str,
          _store: Store) -> dviews.DeskView:
    del path, version  # cache key only
    shapes, _attribution = official_cache.outlines(tiles)
    return dviews.desk_view(_store, scope=scope, region=region, lang=lang, config=config(), tiles=tiles,
                            outlines=shapes)


def view_for(store: Store, *, scope: Scope, region: str | None, lang: str) -> dviews.DeskView:
    """The desk-check view of this scope and region, cached per store version (the scope is part of the key)."""
    return _view(_key(store), store.version, scope, region, lang, settings.get("ENBEK_TILES"), store)


def map_area(view: dviews.DeskView, *, lang: str) -> None:
    left, right = st.columns([4, 1])
    with left:
        st.pydeck_chart(view.deck, key="desk_map", height=480, alt=t("desk.map.alt", lang, n=view.located))
    with right:
        st.markdown(f"**{html.escape(t('desk.legend.title', lang))}**")
        rows = "".join(
            f'<div style="display:flex;align-items:center;gap:6px;font-size:0.85rem">'
            f'<span style="display:inline-block;width:14px;height:14px;border-radius:7px;background:{html.escape(e.colour)}"></span>'
            f"{html.escape(e.label)}</div>" for e in view.legend)
        st.markdown(f'<div role="list" class="enbek-desk-legend">{rows}</div>', unsafe_allow_html=True)
    missing = len(view.frame) - view.located
    if missing:
        st.caption(t("desk.map.unlocated", lang, n=missing))


def list_file(store: Store, *, identity: Identity, region: str | None, lang: str, kind: str) -> bytes:
    """The desk-check list as a spreadsheet-safe CSV or XLSX, read again with the user's scope (on the click)."""
    frame = dc.desk_list(store, scope=identity.scope, region=region, lang=lang, config=config())
    if kind == "csv":
        return exports.csv_bytes(frame)
    return exports.xlsx_bytes(frame, sheet="desk_checks")


def list_downloads(store: Store, *, identity: Identity, region: str | None, rows: int, lang: str) -> None:
    name = dviews.list_name(region)
    detail = {"region": region or "KZ", "rows": rows, "lang": lang}
    d1, d2, _ = st.columns([1, 1, 4])
    for column, kind, mime in ((d1, "csv", exports.CSV_MIME), (d2, "xlsx", exports.XLSX_MIME)):
        build: Callable[[], bytes] = partial(list_file, store, identity=identity, region=region, lang=lang, kind=kind)
        with column:
            login.audited_download_button(identity, label=t(f"desk.{kind}", lang), build=build,
                                          file_name=f"{name}.{kind}", mime=mime, list_name=f"{name}.{kind}",
                                          detail=detail, key=f"desk_{kind}", lang=lang)


def letter_button(store: Store, *, identity: Identity, bin: str, letter_lang: str, lang: str, key: str) -> None:
    """The letter to the employer: built on the click with the user's scope, logged, served once."""
    build: Callable[[], bytes] = partial(dviews.letter_bytes, store, scope=identity.scope, bin=bin, lang=letter_lang,
                                         config=config())
    name = f"desk_letter_{bin}_{letter_lang}.pdf"
    login.audited_download_button(identity, label=t("desk.letter.button", lang), build=build, file_name=name,
                                  mime="application/pdf", list_name=name, detail={"bin": bin, "lang": letter_lang},
                                  key=key, lang=lang)


def letter_lang_picker(*, lang: str, key: str) -> str:
    default = 0 if lang == "kk" else 1
    return str(st.radio(t("desk.letter.lang", lang), ("kk", "ru"), index=default, horizontal=True, key=key,
                        format_func=lambda v: {"kk": "Қазақша", "ru": "Русский"}[v]))


def card_section(store: Store, *, identity: Identity, bin: str, region: str, lang: str) -> None:
    """Under the enterprise card: the rules that fire for it (from its region's cached desk checks), its
    OSH-measures reports, the letter. The card itself has already checked the scope and logged view_card."""
    try:
        with login.scope_guard(identity, object=bin, lang=lang, message_key="emap.card.denied"):
            flagged = view_for(store, scope=identity.scope, region=region, lang=lang).flags
            view = dviews.card_desk(store, scope=identity.scope, bin=bin, lang=lang, config=config(), flagged=flagged)
    except (ent.EnterpriseNotFound, ent.RiskTableMissing, dc.DeskCheckConfigError) as exc:
        st.error(str(exc))
        return
    st.markdown(f"**{t('desk.card.title', lang)}**")
    if view.has_findings:
        st.dataframe(view.findings, hide_index=True, width="stretch", key="card_desk_findings")
        left, right = st.columns([1, 2])
        with left:
            letter_lang = letter_lang_picker(lang=lang, key="card_letter_lang")
        with right:
            letter_button(store, identity=identity, bin=bin, letter_lang=letter_lang, lang=lang, key="card_letter")
    else:
        st.caption(t("desk.card.none", lang))
    st.markdown(f"**{t('measures.card.title', lang)}**")
    if view.measures.empty:
        st.caption(t("measures.card.none", lang))
    else:
        st.dataframe(view.measures, hide_index=True, width="stretch", key="card_measures")


def measures_section(store: Store, *, identity: Identity, lang: str) -> None:
    """The OSH-measures reports by region within the user's scope: a region layer and its table."""
    st.subheader(t("measures.map.title", lang), anchor=False)
    measure = st.selectbox(t("measures.map.measure", lang), dviews.MEASURE_CHOICES, key="desk_measure",
                           format_func=lambda m: t(f"measures.agg.{m}", lang))
    shapes, _attribution = official_cache.outlines(settings.get("ENBEK_TILES"))
    view = dviews.measures_map(store, scope=identity.scope, measure=str(measure), lang=lang, outlines=shapes,
                               tiles=settings.get("ENBEK_TILES"))
    left, right = st.columns([4, 1])
    with left:
        st.pydeck_chart(view.deck, key="desk_measures_map", height=420, alt=t("measures.map.title", lang))
    with right:
        rows = "".join(
            f'<div style="display:flex;align-items:center;gap:6px;font-size:0.85rem">'
            f'<span style="display:inline-block;width:16px;height:12px;background:{html.escape(e.colour)}"></span>'
            f"{html.escape(e.label)}</div>" for e in view.legend)
        st.markdown(rows, unsafe_allow_html=True)
    st.dataframe(view.table, hide_index=True, width="stretch", key="desk_measures_table")
