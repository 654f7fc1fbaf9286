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
from data import exports, settings
from data.auth import Identity, utc_now
from data.store import Store, StoreError
from geo.regions import region_name
from osh import enterprises as ent
from osh import plan

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


def districts_or_note(lang: str) -> views.Districts | None:
    """The configured district file (names, outlines), or None: silently when none is configured, with a warning
    naming the file and what is wrong when it cannot be used (the page goes on without districts)."""
    from geo.boundaries import BoundaryError

    try:
        return official_cache.districts()
    except (BoundaryError, OSError) as exc:
        st.warning(t("plan.districts.error", lang, error=str(exc)), icon=":material/map:")
        return None


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
    st.caption(views.attribution_text(view.attribution, lang))
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
    if view.badge:  # the score leans on the employer's own answers: said before any number
        st.markdown(f":violet-badge[:material/assignment_ind: {view.badge}]")
        st.caption(view.badge_note)
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
        st.dataframe(view.assessment, hide_index=True, width="stretch", key="card_assessment")
    st.markdown(f"**{t('emap.card.history', lang)}**")
    st.dataframe(view.history, hide_index=True, width="stretch", key="card_history")
    st.markdown(f"**{t('emap.card.inspections', lang)}**")
    st.dataframe(view.inspections, hide_index=True, width="stretch", key="card_inspections")
    from dashboard import desk_checks_render  # the desk checks and OSH-measures reports of this enterprise

    desk_checks_render.card_section(store, identity=identity, bin=bin, region=c.region, lang=lang)


def list_file(store: Store, *, identity: Identity, selection: views.PlanSelection, kind: str, lang: str) -> bytes:
    """The plan as shown, in `lang` (headers, enums, dates, reasons; BIN, KATO, OKED as code columns), as a
    spreadsheet-safe CSV or XLSX, read again with the user's scope (on the click)."""
    frame = ent.inspection_list(store, scope=identity.scope, region=selection.region, limit=selection.limit,
                                order=selection.order, filters=selection.filters())
    frame = views.with_marks(frame, read_marks(identity, region=selection.region))
    return _file(views.plan_file_frame(frame, lang=lang, districts=_quiet_districts()), kind=kind,
                 sheet=t("page.inspection_list", lang))


def _quiet_districts() -> views.Districts | None:
    """The district names for a file built on a click (the page already warned if the district file is bad)."""
    from geo.boundaries import BoundaryError

    try:
        return official_cache.districts()
    except (BoundaryError, OSError):
        return None


def _file(frame: Any, *, kind: str, sheet: str) -> bytes:
    if kind == "csv":
        return exports.csv_bytes(frame)
    return exports.xlsx_bytes(frame, sheet=sheet)


def list_downloads(store: Store, *, identity: Identity, selection: views.PlanSelection, rows: int, lang: str) -> None:
    name = views.list_name(selection.region, lang)
    detail = {"region": selection.region or "KZ", "rows": rows, "limit": selection.limit, "order": selection.order,
              "lang": lang}
    d1, d2, _ = st.columns([1, 1, 4])
    for column, kind, mime in ((d1, "csv", exports.CSV_MIME), (d2, "xlsx", exports.XLSX_MIME)):
        build: Callable[[], bytes] = partial(list_file, store, identity=identity, selection=selection, kind=kind,
                                             lang=lang)
        with column:
            login.audited_download_button(
                identity, label=t(f"emap.list.{kind}", lang), build=build,
                file_name=f"{name}.{kind}", mime=mime, list_name=f"{name}.{kind}", detail=detail,
                key=f"list_{kind}", lang=lang)


# -- the plan: marks, map, the region's plan file ---------------------------------------------------------------


def plan_error_text(exc: plan.PlanError, lang: str) -> str:
    """A plan error in the user's language (osh.plan.PlanError carries a code and its values)."""
    return t(f"plan.error.{exc.code}", lang, **exc.params) if exc.params else t(f"plan.error.{exc.code}", lang)


def read_marks(identity: Identity, *, region: str | None) -> Any:
    """The plan marks the user may see (their regions; the ministry all), from the plan file."""
    with plan.open_plan() as store:
        return plan.marks(store, scope=identity.scope, region=region)


def plan_map(view: views.InspectionListView, *, lang: str, districts: views.Districts | None = None) -> None:
    """The plan's enterprises on a map: coloured by degree, planned or inspected ones ringed in white, over the
    region's district outlines when a district file is configured."""
    from layers import deck

    points = views.plan_points(view.frame)
    if points.empty:
        return
    shapes, attribution = official_cache.outlines(settings.get("ENBEK_TILES"))
    marked = view.frame.loc[points.index, "plan_status"].notna().to_numpy()
    layers = [deck.outline_layer(shapes)] if shapes else []
    if districts is not None and view.region is not None and view.region in districts.outlines:
        layers.append(deck.district_layer(districts.outlines[view.region]))
    layers.append(deck.points_layer(points, theme="degree"))
    layers.append(deck.ring_layer(points[marked]))
    dk = deck.build_deck(layers, tooltip={"html": "<b>{m}</b><br/>{b}"}, tiles=settings.get("ENBEK_TILES") or "",
                         view=deck.view_of(points["lat"].to_numpy(dtype=float), points["lon"].to_numpy(dtype=float)))
    st.pydeck_chart(dk, height=420, key="plan_map", alt=t("plan.show_map", lang))
    st.caption(t("plan.map.legend", lang) + " · " + views.attribution_text(attribution, lang))


def mark_form(risk: Store, *, identity: Identity, view: views.InspectionListView, lang: str) -> None:
    """Mark any of the shown enterprises planned or inspected (one date and note for all chosen), or remove them:
    each change is audited before it is stored."""
    if view.frame.empty:
        return
    st.subheader(t("plan.mark.title", lang), anchor=False)
    names = dict(zip(view.frame["bin"], view.frame["name"], strict=True))
    with st.form("plan_mark_form", clear_on_submit=False):
        c = st.columns([3, 1, 1])
        chosen = c[0].multiselect(t("plan.mark.pick", lang), list(names), key="plan_mark_bins",
                                  format_func=lambda b: f"{b} · {names[b]}", placeholder=t("plan.mark.placeholder", lang))
        status = c[1].radio(t("plan.mark.status", lang), plan.STATUSES, key="plan_mark_status",
                            format_func=lambda v: t(f"plan.status.{v}", lang))
        on = c[2].date_input(t("plan.mark.date", lang), key="plan_mark_date",
                             format="YYYY-MM-DD" if lang == "en" else "DD.MM.YYYY")
        note = st.text_input(t("plan.mark.note", lang), key="plan_mark_note", max_chars=plan.MAX_NOTE_CHARS)
        b1, b2 = st.columns(2)
        save = b1.form_submit_button(t("plan.mark.save", lang), type="primary")
        remove = b2.form_submit_button(t("plan.mark.remove", lang))
    if not (save or remove):
        return
    if not chosen:
        st.warning(t("plan.mark.none", lang))
        return
    status_out = "removed" if remove else status
    try:
        with plan.open_plan() as store:
            for bin in chosen:
                login.audit_event(identity, action="plan_mark", object=bin, lang=lang,
                                  detail={"status": status_out, "date": str(on), "note_chars": len(note.strip())})
                with login.scope_guard(identity, object=bin, lang=lang):
                    if remove:
                        plan.unmark(store, risk=risk, scope=identity.scope, bin=bin)
                    else:
                        plan.mark(store, risk=risk, scope=identity.scope, bin=bin, status=status, on=on, note=note,
                                  user=identity.user, now=utc_now())
    except plan.PlanError as exc:
        st.error(t("plan.mark.error", lang, error=plan_error_text(exc, lang)))
        return
    except StoreError:  # the write itself failed (disk full, file taken away): say so in the user's language
        st.error(t("plan.mark.error", lang, error=t("plan.error.store", lang, path=str(plan.plan_path()))))
        return
    who = ", ".join(names[b] for b in chosen[:3]) + (" …" if len(chosen) > 3 else "")
    st.session_state["plan_flash"] = (t("plan.mark.removed", lang, name=who) if remove else
                                      t("plan.mark.saved", lang, name=who, status=t(f"plan.status.{status}", lang),
                                        date=views.fmt_date(on, lang)))
    st.rerun()


def region_plan_file(store: Store, *, identity: Identity, region: str | None, kind: str, lang: str) -> bytes:
    """The region's plan (every marked enterprise in the scope), in `lang`, read again with the user's scope."""
    rows = region_plan_rows(store, identity=identity, region=region)
    if kind == "pdf":
        from layers.plan_pdf import plan_pdf

        table = views.plan_table(rows, lang=lang, columns=views.REGION_PLAN_COLUMNS, for_file=False,
                                 districts=_quiet_districts())
        area = region_name(region, lang) if region else login.scope_label(identity, lang=lang)
        return plan_pdf(table, title=f"{t('plan.region_plan.title', lang)}: {area}",
                        subtitle=t("plan.region_plan.count", lang, n=fmt_number(len(rows), lang)),
                        footer=t("plan.pdf.footer", lang, date=views.fmt_date(utc_now().date(), lang)),
                        wide=(t("plan.col.name", lang), t("plan.col.reason", lang), t("plan.col.plan_note", lang)))
    return _file(views.plan_file_frame(rows, lang=lang, districts=_quiet_districts()), kind=kind,
                 sheet=t("plan.region_plan.title", lang))


def region_plan_rows(store: Store, *, identity: Identity, region: str | None) -> Any:
    marks = read_marks(identity, region=region)
    if marks.empty:
        return views.with_marks(ent.inspection_list(store, scope=identity.scope, region=region, limit=1).iloc[0:0],
                                marks)
    rows = ent.inspection_list(store, scope=identity.scope, region=region, bins=tuple(marks["bin"]))
    return views.with_marks(rows, marks).assign(rank=lambda f: range(1, len(f) + 1))


SUMMARY_OPEN_KEY = "plan_summary_open"


def _open_region() -> None:
    """Drill down from the summary: the chosen region becomes the page's region (a callback runs before the
    widgets of the next run exist, so the region box may be set)."""
    chosen = st.session_state.get(SUMMARY_OPEN_KEY)
    if chosen:
        st.session_state["list_region"] = chosen
        st.session_state[SUMMARY_OPEN_KEY] = None


def summary_file(identity: Identity, *, kind: str, lang: str) -> bytes:
    """Every region's plan in figures, in `lang`, read again with the user's scope (on the click)."""
    with plan.open_plan() as store:
        summary = plan.summary(store, scope=identity.scope, today=utc_now().date())
    return _file(views.plan_summary_table(summary, lang=lang, for_file=True), kind=kind,
                 sheet=t("plan.summary.title", lang))


def plan_summary(identity: Identity, *, lang: str) -> None:
    """The regions' plans in figures (the ministry: all 20; a multi-region akimat: its own), logged before it is
    shown, with a drill-down into one region's plan and the table as CSV/XLSX."""
    with plan.open_plan() as store:
        summary = plan.summary(store, scope=identity.scope, today=utc_now().date())
    login.audit_event(identity, action="view_list", object="inspection_plan_summary:KZ",
                      detail={"regions": len(summary), "marked": int(summary["marked"].sum())}, lang=lang)
    st.subheader(t("plan.summary.title", lang), anchor=False)
    st.caption(t("plan.summary.caption", lang, n=fmt_number(int(summary["marked"].sum()), lang),
                 regions=fmt_number(int((summary["marked"] > 0).sum()), lang)))
    st.dataframe(views.plan_summary_table(summary, lang=lang, for_file=False), hide_index=True, width="stretch",
                 key="plan_summary_table")
    left, d1, d2, _ = st.columns([3, 1, 1, 2], vertical_alignment="bottom")
    left.selectbox(t("plan.summary.open", lang), [None, *summary["region"].astype(str)], key=SUMMARY_OPEN_KEY,
                   on_change=_open_region, placeholder=t("plan.summary.open_placeholder", lang),
                   format_func=lambda v: t("plan.summary.open_placeholder", lang) if v is None else
                   region_name(v, lang))
    name = f"inspection_plan_summary_{lang}"
    for column, kind, mime in ((d1, "csv", exports.CSV_MIME), (d2, "xlsx", exports.XLSX_MIME)):
        build: Callable[[], bytes] = partial(summary_file, identity, kind=kind, lang=lang)
        with column:
            login.audited_download_button(
                identity, label=t(f"plan.summary.{kind}", lang), build=build, file_name=f"{name}.{kind}",
                mime=mime, list_name=f"{name}.{kind}", detail={"regions": len(summary), "lang": lang},
                key=f"plan_summary_{kind}", lang=lang)


def region_plan(store: Store, *, identity: Identity, region: str | None, lang: str) -> None:
    """The marked enterprises of the region (the ministry: of every region) and the plan files."""
    st.subheader(t("plan.region_plan.title", lang), anchor=False)
    rows = region_plan_rows(store, identity=identity, region=region)
    if rows.empty:
        st.caption(t("plan.region_plan.empty", lang))
        return
    st.caption(t("plan.region_plan.count", lang, n=fmt_number(len(rows), lang)))
    shown = views.plan_table(rows, lang=lang, columns=views.REGION_PLAN_COLUMNS, for_file=False,
                             districts=_quiet_districts())
    st.dataframe(shown, hide_index=True, width="stretch", key="region_plan_table")
    name = f"inspection_plan_{region or 'KZ'}_{lang}"
    d1, d2, d3, _ = st.columns([1, 1, 1, 3])
    for column, kind, mime in ((d1, "csv", exports.CSV_MIME), (d2, "xlsx", exports.XLSX_MIME),
                               (d3, "pdf", "application/pdf")):
        build: Callable[[], bytes] = partial(region_plan_file, store, identity=identity, region=region, kind=kind,
                                             lang=lang)
        with column:
            login.audited_download_button(
                identity, label=t(f"plan.region_plan.{kind}", lang), build=build, file_name=f"{name}.{kind}",
                mime=mime, list_name=f"{name}.{kind}", detail={"region": region or "KZ", "rows": len(rows),
                                                                "lang": lang},
                key=f"region_plan_{kind}", lang=lang)
