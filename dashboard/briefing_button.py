"""The briefing-pack download button of the overview and region pages: the same PDF as `enbek briefing`."""

from __future__ import annotations

from typing import Any

import streamlit as st

from dashboard import cache, official_downloads, official_sessions
from dashboard.i18n import t
from data import settings
from data.auth import Identity
from data.scope import Scope
from geo.regions import region_name, region_of_kato

AUDIT_OBJECT = "briefing_inspection_list"
_COUNTRY = ("*",)  # scope key of a ministry identity: the whole country


def _scope_key(identity: Identity | None, region: str | None) -> tuple[str, ...] | None:
    """None: the public edition. Otherwise the identity's regions (or _COUNTRY): the official edition, whose
    enterprise page holds only those regions. A region pack outside the scope stays public."""
    if settings.mode() != "official" or identity is None:
        return None
    regions = identity.scope.regions
    if regions is None:
        return _COUNTRY
    if region is not None and region not in regions:
        return None
    return tuple(sorted(regions))


@st.cache_data(max_entries=24, show_spinner=False)
def _pdf(version: str, lang: str, year: int, region: str | None, series: str | None, scope_key: tuple[str, ...] | None,
         _data: Any) -> bytes:
    """One pack per data version, language, year, region, series and scope (rendering takes a few seconds)."""
    from layers.briefing import build_briefing

    if scope_key is None:
        return build_briefing(year=year, lang=lang, region_code=region, series=series, mode="public", public=_data).pdf
    from data.store import open_store

    scope = Scope.country() if scope_key == _COUNTRY else Scope.of_regions(scope_key)
    store = open_store(read_only=True)
    try:
        return build_briefing(year=year, lang=lang, region_code=region, series=series, mode="official", public=_data,
                              store=store, scope=scope).pdf
    finally:
        store.close()


def briefing_pdf(*, lang: str, year: int, region: str | None = None, series: str | None = None,
                 identity: Identity | None = None, data: Any = None, version: str | None = None) -> bytes:
    """The PDF bytes the button hands out (`data`, `version`: cache.public_data(), fetched here when not given).
    An official pack with enterprises is written to the audit log first (download_list); if the log refuses,
    AuditError propagates and no file is given."""
    if data is None or version is None:
        data, version = cache.public_data()
    region = _region(region)
    key = _scope_key(identity, region)
    if key is not None and identity is not None:
        from data.audit import audit_log

        audit_log().record(user=identity.user, action="download_list", object=AUDIT_OBJECT,
                           detail={"year": year, "lang": lang, "region": region or "KZ", "scope": list(key)})
    return _pdf(version, lang, int(year), region, series, key, data)


def _region(region: str | None) -> str | None:
    return region_of_kato(str(region)) if region not in (None, "", "KZ") else None


def file_name(*, lang: str, year: int, region: str | None = None, series: str | None = None) -> str:
    tail = f"_{series}" if series else ""
    return f"briefing_{(region or 'kz').lower()}_{year}_{lang}{tail}.pdf"


def briefing_download_button(*, lang: str, year: int, region: str | None = None, series: str | None = None,
                             identity: Identity | None = None) -> None:
    """A download button for the briefing pack of the country (region None) or one region. The PDF is rendered
    only when clicked (Streamlit runs the callable then), and cached per data version."""
    try:
        data, version = cache.public_data()
    except cache.DataUnavailableError as exc:
        st.caption(t("briefing.unavailable", lang, reason=str(exc)))
        return
    region = _region(region)
    area = region_name(region, lang) if region else t("briefing.country", lang)
    key = _scope_key(identity, region)
    if key is None:
        help_text = t("briefing.help_public", lang, area=area, year=year)
    else:
        scope = t("briefing.country", lang) if key == _COUNTRY else ", ".join(region_name(c, lang) for c in key)
        help_text = t("briefing.help_official", lang, area=area, year=year, scope=scope)

    official = key is not None and identity is not None
    session_id = official_sessions.current_session_id() or ""
    if official:
        # the official pack lists enterprises: served once from a random address, like the inspection list
        try:
            official_downloads.FILES.install_current()
        except official_downloads.SecureDownloadUnavailable as exc:
            st.error(t("auth.download_unavailable", lang, error=str(exc)))
            return

    def make() -> bytes:
        # runs on Streamlit's download thread: everything it needs is captured here, not read from the session
        if official and identity is not None and not official_sessions.REGISTRY.is_signed_in(session_id, identity.user):
            raise official_downloads.DownloadRefused(f"the session of {identity.user} is no longer signed in")
        pdf = briefing_pdf(lang=lang, year=int(year), region=region, series=series, identity=identity, data=data,
                           version=version)
        if official and identity is not None:
            official_downloads.FILES.arm(official_downloads.new_ticket(user=identity.user, session_id=session_id, data=pdf))
        return pdf

    st.download_button(
        t("briefing.button", lang),
        data=make,
        file_name=file_name(lang=lang, year=int(year), region=region, series=series),
        mime="application/pdf",
        help=help_text,
        key=f"briefing_{region or 'kz'}_{year}_{lang}" + (f"_{series}" if series else ""),
        icon=":material/picture_as_pdf:",
    )
