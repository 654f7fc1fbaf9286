"""Streamlit drawing of the official views: the store check, the map with its legend, the enterprise card, the
inspection list and its downloads. Every enterprise-level read or file goes through dashboard.login's audit and
scope helpers (audit_event, scope_guard, audited_download_button): one path, the one the tests exercise."""

from __future__ import annotations

import html
from collections.abc import Callable
from functools import partial
from typing import Any

import streamlit as st

from dashboard import login, official_cache
from dashboard import official_views as views
from dashboard.i18n import fmt_number, t
from data import exports
from data.auth import Identity
from data.store import Store, StoreError
from osh import enterprises as ent

MAP_KEY = "enterprise_map"


def store_or_stop(lang: str) -> Store:
    """The read-only store, or an error naming what to run, and the page stops."""
    try:
        return official_cache.store()
    except official_cache.StoreMissing as exc:
        st.error(t("emap.error.no_store", lang, path=exc.path))
    except StoreError as exc:
        st.error(str(exc))
    st.stop()
    raise AssertionError("st.stop() returned")


def demo_notice(store: Store, lang: str) -> None:
    if views.is_demo(store):
        st.warning(t("emap.demo", lang), icon=":material/science:")


def map_area(view: views.MapView, *, lang: str, on_select: Callable[[], None]) -> Any:
    """The pydeck map beside its legend; returns the selection event (a clicked point or region)."""
    st.caption(view.note)
    left, right = st.columns([4, 1])
    with left:
        event = st.pydeck_chart(view.deck, on_select=on_select, selection_mode="single-object", key=MAP_KEY,
                                height=560, alt=t("emap.alt", lang, title=view.title))
    with right:
        st.markdown(f"**{html.escape(view.title)}**")
        if view.legend_title:
            st.caption(view.legend_title)
        st.markdown(views.legend_html(view.legend), unsafe_allow_html=True)
    st.caption(view.attribution)
    return event


def search_box(store: Store, *, identity: Identity, lang: str, picked: str | None) -> str | None:
    """The BIN/name search (osh.enterprises.search with the user's scope, logged); returns the BIN to open."""
    st.subheader(t("emap.search.title", lang), anchor=False)
    text = st.text_input(t("emap.search.label", lang), key="map_search", placeholder=t("emap.search.placeholder", lang))
    if not text.strip():
        return picked
    try:
        found = views.search(store, scope=identity.scope, text=text)
    except views.MapDataError as exc:
        st.error(str(exc))
        return None
    login.audit_event(identity, action="search", object=text.strip()[:64], detail={"results": len(found)}, lang=lang)
    if found.empty and views.is_bin(text) and not identity.scope.is_country:
        # A full BIN outside the user's regions is refused (and logged as access_denied) by the card itself,
        # not answered with "no results" as if it did not exist.
        return text.strip()
    if found.empty:
        st.info(t("emap.search.none", lang))
        return None
    labels = dict(zip(found["bin"], found["name"], strict=True))
    return st.selectbox(t("emap.search.pick", lang), found["bin"].tolist(), format_func=lambda b: f"{b} · {labels[b]}",
                        key="map_search_pick")


def card(store: Store, *, identity: Identity, bin: str, lang: str) -> None:
    """The enterprise card: refused and logged outside the scope, logged as view_card before it is drawn."""
    try:
        with login.scope_guard(identity, object=bin, lang=lang, message_key="emap.card.denied"):
            view = views.card_view(store, scope=identity.scope, bin=bin, lang=lang)
    except ent.EnterpriseNotFound as exc:
        st.error(str(exc))
        return
    login.audit_event(identity, action="view_card", object=bin, lang=lang)
    c = view.card
    st.subheader(f"{c.name} · {c.bin}", anchor=False)
    m = st.columns(4)
    m[0].metric(t("emap.score", lang), fmt_number(c.score, lang, decimals=1))
    m[1].metric(t("emap.degree", lang), t(f"emap.class.degree.{c.degree}", lang))
    m[2].metric(t("emap.employees", lang), fmt_number(c.employees, lang))
    m[3].metric(t("emap.tariff_factor", lang), fmt_number(c.tariff_factor, lang, decimals=2))
    left, right = st.columns(2)
    with left:
        st.dataframe(view.facts, hide_index=True, width="stretch", key="card_facts")
    with right:
        st.markdown(f"**{t('emap.card.parts', lang)}**")
        st.dataframe(view.parts, hide_index=True, width="stretch", key="card_parts")
        st.markdown(f"**{t('emap.card.peers', lang)}**")
        st.write(view.peer_text)
        st.markdown(f"**{t('emap.card.assessment', lang)}**")
        st.json({k: (str(v) if v is not None else None) for k, v in c.assessment.items()}, expanded=False)
    st.markdown(f"**{t('emap.card.history', lang)}**")
    st.dataframe(view.history, hide_index=True, width="stretch", key="card_history")
    st.markdown(f"**{t('emap.card.inspections', lang)}**")
    st.dataframe(view.inspections, hide_index=True, width="stretch", key="card_inspections")
    from dashboard import desk_checks_render  # the desk checks and OSH-measures reports of this enterprise

    desk_checks_render.card_section(store, identity=identity, bin=bin, region=c.region, lang=lang)


def list_file(store: Store, *, identity: Identity, region: str | None, limit: int, kind: str) -> bytes:
    """The inspection list as a spreadsheet-safe CSV or XLSX, read again with the user's scope (on the click)."""
    frame = ent.inspection_list(store, scope=identity.scope, region=region, limit=limit)
    if kind == "csv":
        return exports.csv_bytes(frame)
    return exports.xlsx_bytes(frame, sheet="inspection_list")


def list_downloads(store: Store, *, identity: Identity, region: str | None, limit: int, rows: int, lang: str) -> None:
    name = views.list_name(region)
    detail = {"region": region or "KZ", "rows": rows, "limit": limit}
    d1, d2, _ = st.columns([1, 1, 4])
    for column, kind, mime in ((d1, "csv", exports.CSV_MIME), (d2, "xlsx", exports.XLSX_MIME)):
        build: Callable[[], bytes] = partial(list_file, store, identity=identity, region=region, limit=limit, kind=kind)
        with column:
            login.audited_download_button(
                identity, label=t(f"emap.list.{kind}", lang), build=build,
                file_name=f"{name}.{kind}", mime=mime, list_name=f"{name}.{kind}", detail=detail,
                key=f"list_{kind}", lang=lang)
