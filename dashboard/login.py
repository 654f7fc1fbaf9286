"""Login for the official app: the password form (or OIDC via st.login), session expiry, logout, and the one
audit/scope helper set the official pages use (audit_event, scope_guard, audited_download_button)."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from datetime import datetime
from typing import Any, NoReturn

import streamlit as st

from dashboard import official_downloads, official_sessions
from dashboard.i18n import t
from data import auth, settings
from data.audit import AuditError, AuditLog, audit_log
from data.auth import (
    AccountDisabled,
    AuthError,
    Identity,
    IdentityProvider,
    InvalidCredentials,
    LockedOut,
    PasswordProvider,
    Session,
    UsersFileError,
)
from data.scope import ScopeError
from geo.regions import region_name

SESSION_KEY = "enbek_session"
NOTICE_KEY = "enbek_login_notice"  # why the last session ended, shown once above the form
FORM_KEY = "enbek_login"  # widget keys: enbek_login_user / _password (main), enbek_login_side_user / ... (sidebar)

Clock = Callable[[], datetime]


def current_lang() -> str:
    """The interface language the dashboard chose (session state "lang"), else ENBEK_LANG."""
    return str(st.session_state.get("lang") or settings.get("ENBEK_LANG"))


@st.cache_resource(show_spinner=False)
def _provider(users_file: str, attempts: int, minutes: float) -> auth.UsersFileProvider:
    # One provider per configuration: its dummy hash is computed once, the users file re-read on change.
    del users_file, attempts, minutes  # cache key only; default_provider reads the same settings
    return auth.default_provider()


def get_provider() -> IdentityProvider:
    """The configured identity provider (the users file; with ENBEK_AUTH=oidc it only maps e-mails to scopes)."""
    return _provider(
        str(settings.get_path("ENBEK_USERS_FILE")),
        settings.get_int("ENBEK_LOCKOUT_ATTEMPTS"),
        settings.get_float("ENBEK_LOCKOUT_MINUTES"),
    )


def get_audit() -> AuditLog:
    return audit_log()


def _stop() -> NoReturn:
    st.stop()
    raise AssertionError("st.stop() returned")  # for type checkers: st.stop never returns


def _audit(log: AuditLog, *, lang: str | None = None, user: str, action: str, object: str = "", detail: Mapping[str, Any] | None = None) -> None:
    """Record an event or stop the page: nothing is shown that could not be logged."""
    try:
        log.record(user=user, action=action, object=object, detail=detail)
    except AuditError as exc:
        st.error(t("auth.audit_failed", lang or current_lang(), error=str(exc)))
        _stop()


def scope_label(identity: Identity, *, lang: str) -> str:
    if identity.role == "assessor":
        return t("auth.role_assessor", lang)
    if identity.scope.regions is None:
        return t("auth.role_ministry", lang)
    names = ", ".join(region_name(code, lang) for code in sorted(identity.scope.regions))
    return t("auth.role_akimat", lang, regions=names)


def _check_session(*, lang: str, provider: IdentityProvider, audit: AuditLog, clock: Clock) -> Identity | None:
    """The identity of a live session (idle time and age checked, user looked up again), else None."""
    now = clock()
    sid = official_sessions.current_session_id()
    _sweep_others(lang=lang, audit=audit, now=now, skip=sid)
    session: Session | None = st.session_state.get(SESSION_KEY)
    if session is None:
        return None
    user = session.identity.user
    if sid is not None and official_sessions.REGISTRY.take_revoked(sid):
        # A sweep already ended (and logged) this session while it was away: sign it out, no second event.
        _end_session()
        st.session_state[NOTICE_KEY] = "auth.expired"
        return None
    if session.expired(now=now, idle=auth.session_idle_limit()):
        _end_session()
        st.session_state[NOTICE_KEY] = "auth.expired"
        _audit(audit, lang=lang, user=user, action="session_expired", detail={"reason": "idle", "swept": False})
        return None
    try:
        identity = provider.lookup(username=user)
    except (AuthError, UsersFileError) as exc:
        _end_session()
        st.session_state[NOTICE_KEY] = "auth.ended"
        _audit(audit, lang=lang, user=user, action="logout", detail={"reason": str(exc)})
        return None
    st.session_state[SESSION_KEY] = live = Session(identity, session.started_at, now)
    if sid is not None:
        official_sessions.REGISTRY.touch(sid, live)
    return identity


def _sweep_others(*, lang: str, audit: AuditLog, now: datetime, skip: str | None) -> None:
    """End (and log) the sessions of other tabs that went idle or were closed; drop stale unfetched files."""
    official_sessions.start_sweeper()
    official_downloads.FILES.expire(now=now)
    try:
        official_sessions.sweep_and_audit(now=now, audit=audit, skip=skip)
    except AuditError as exc:
        st.error(t("auth.audit_failed", lang, error=str(exc)))
        _stop()


def current_user(
    *,
    lang: str | None = None,
    provider: IdentityProvider | None = None,
    audit: AuditLog | None = None,
    clock: Clock = auth.utc_now,
) -> Identity | None:
    """The logged-in official or None, without drawing anything (app.py uses it to choose the pages)."""
    if settings.mode() == "public":
        return None
    return _check_session(lang=lang or current_lang(), provider=provider or get_provider(),
                          audit=audit or get_audit(), clock=clock)


# Roles that may open enterprise-level pages; an assessor may only open pages that name it.
ENTERPRISE_ROLES: tuple[str, ...] = ("ministry", "akimat")


def require_identity(
    *,
    lang: str | None = None,
    provider: IdentityProvider | None = None,
    audit: AuditLog | None = None,
    clock: Clock = auth.utc_now,
    roles: tuple[str, ...] = ENTERPRISE_ROLES,
) -> Identity:
    """The logged-in official, or render the login form and stop the page.

    Every official page calls this first and passes `identity.scope` to osh.enterprises. On each run
    the session's idle time and age are checked and the user is looked up again, so a disabled
    user or a changed region list takes effect at once.
    """
    lang = lang or current_lang()
    if settings.mode() == "public":
        # Enterprise pages are not registered in public mode; this is the backstop if one is reached.
        st.error(t("auth.public_mode", lang))
        _stop()
    provider = provider or get_provider()
    audit = audit or get_audit()
    identity = _check_session(lang=lang, provider=provider, audit=audit, clock=clock)
    if identity is None:
        identity = _login(lang=lang, provider=provider, audit=audit, clock=clock, in_sidebar=False)
    if identity is None:
        _stop()
    if identity.role not in roles:
        _audit(audit, lang=lang, user=identity.user, action="access_denied", object="page",
               detail={"role": identity.role, "allowed": list(roles)})
        st.error(t("reg.not_allowed", lang) if "assessor" in roles else t("auth.out_of_scope", lang))
        _stop()
    return identity


def sidebar(*, lang: str | None = None, provider: IdentityProvider | None = None, audit: AuditLog | None = None,
            clock: Clock = auth.utc_now) -> None:
    """The sidebar block of the official app: who is signed in and the logout button, or the sign-in form.
    Never stops the page: the barometer stays readable while signed out."""
    lang = lang or current_lang()
    if settings.mode() == "public":
        return
    provider = provider or get_provider()
    audit = audit or get_audit()
    identity = _check_session(lang=lang, provider=provider, audit=audit, clock=clock)
    if identity is not None:
        account_sidebar(identity, lang=lang)
        return
    with st.sidebar:
        _login(lang=lang, provider=provider, audit=audit, clock=clock, in_sidebar=True)


def _login(*, lang: str, provider: IdentityProvider, audit: AuditLog, clock: Clock, in_sidebar: bool) -> Identity | None:
    if in_sidebar:
        st.subheader(t("auth.title", lang))
    else:
        st.title(t("auth.title", lang))
    notice = st.session_state.pop(NOTICE_KEY, None)
    if notice:
        st.warning(t(str(notice), lang))
    if auth.login_method() == "oidc":
        return _oidc_login(lang=lang, provider=provider, audit=audit, clock=clock)
    if not isinstance(provider, PasswordProvider):
        raise TypeError(f"ENBEK_AUTH=password needs a provider that checks passwords, got {type(provider).__name__}")
    _password_form(lang=lang, provider=provider, audit=audit, clock=clock, form_key=FORM_KEY + ("_side" if in_sidebar else ""))
    return None


def _start_session(identity: Identity, *, now: datetime) -> None:
    st.session_state[SESSION_KEY] = session = auth.start_session(identity, now=now)
    sid = official_sessions.current_session_id()
    if sid is not None:
        official_sessions.REGISTRY.touch(sid, session)


def _end_session() -> None:
    """Forget the session here and in the registry, and delete its files that were never fetched."""
    st.session_state.pop(SESSION_KEY, None)
    sid = official_sessions.current_session_id()
    if sid is not None:
        official_sessions.REGISTRY.forget(sid)
        official_downloads.FILES.revoke_session(sid)
    if auth.login_method() == "oidc" and st.user.is_logged_in:
        st.logout()


def _password_form(*, lang: str, provider: PasswordProvider, audit: AuditLog, clock: Clock, form_key: str) -> None:
    with st.form(form_key):
        username = st.text_input(t("auth.username", lang), key=f"{form_key}_user", max_chars=64)
        password = st.text_input(t("auth.password", lang), type="password", key=f"{form_key}_password", max_chars=256)
        submitted = st.form_submit_button(t("auth.submit", lang))
    demo = settings.data_dir() / auth.DEMO_CREDENTIALS_FILE
    if demo.exists():
        st.caption(t("auth.demo_hint", lang, path=str(demo)))
    if not submitted:
        return
    attempted = auth.normalise_username(username)[:64]
    try:
        identity = provider.authenticate(username=username, password=password)
    except LockedOut as exc:
        _audit(audit, lang=lang, user=attempted, action="login_failed", detail={"reason": "locked", **_client()})
        st.error(t("auth.locked", lang, until=exc.until.strftime("%H:%M")))
        return
    except AccountDisabled:
        # the audit log says why; the person sees the same message as for a wrong password (no account probing)
        _audit(audit, lang=lang, user=attempted, action="login_failed", detail={"reason": "disabled", **_client()})
        st.error(t("auth.invalid", lang))
        return
    except InvalidCredentials:
        _audit(audit, lang=lang, user=attempted, action="login_failed", detail={"reason": "invalid", **_client()})
        st.error(t("auth.invalid", lang))
        return
    except UsersFileError as exc:
        st.error(t("auth.users_file_error", lang, error=str(exc)))
        return
    _audit(audit, lang=lang, user=identity.user, action="login", detail=_scope_detail(identity))
    _start_session(identity, now=clock())
    st.rerun()


def _oidc_login(*, lang: str, provider: IdentityProvider, audit: AuditLog, clock: Clock) -> Identity | None:
    """Streamlit authenticates ([auth] in secrets.toml); the users file decides role and regions."""
    if not st.user.is_logged_in:
        st.button(t("auth.oidc_login", lang), on_click=st.login)
        return None
    email = str(st.user.get("email") or "")
    try:
        identity = provider.lookup(username=email)
    except (AuthError, UsersFileError):
        _audit(audit, lang=lang, user=email[:64], action="login_failed", detail={"reason": "not in users file", "method": "oidc"})
        st.error(t("auth.oidc_unknown", lang, user=email))
        st.button(t("auth.logout", lang), on_click=st.logout)
        return None
    _audit(audit, lang=lang, user=identity.user, action="login", detail={**_scope_detail(identity), "method": "oidc"})
    _start_session(identity, now=clock())
    return identity


def _scope_detail(identity: Identity) -> dict[str, Any]:
    regions = sorted(identity.scope.regions) if identity.scope.regions is not None else "KZ"
    return {"role": identity.role, "regions": regions, **_client()}


def _client() -> dict[str, str]:
    """The client's address as Streamlit sees it (the proxy's, behind one) - context for the audit log only."""
    address = getattr(st.context, "ip_address", None)
    return {"ip": str(address)} if address else {}


def logout(*, audit: AuditLog | None = None) -> None:
    """End the session now (logged), e.g. from the sidebar button."""
    session: Session | None = st.session_state.get(SESSION_KEY)
    if session is not None:
        _audit(audit or get_audit(), user=session.identity.user, action="logout")
    _end_session()


def account_sidebar(identity: Identity, *, lang: str | None = None) -> None:
    """Who is logged in, what they may see, and the logout button."""
    lang = lang or current_lang()
    with st.sidebar:
        st.caption(t("auth.signed_in_as", lang, user=identity.user))
        st.caption(scope_label(identity, lang=lang))
        st.button(t("auth.logout", lang), key="enbek_logout", on_click=logout)


def audit_event(identity: Identity, *, action: str, object: str = "", detail: Mapping[str, Any] | None = None,
                lang: str | None = None) -> None:
    """Log what an official looks at (view_card, search, view_list, access_denied) BEFORE it is rendered;
    if the log cannot be written the page shows why and stops: nothing enterprise-level is shown unlogged."""
    _audit(get_audit(), lang=lang, user=identity.user, action=action, object=object, detail=detail)


@contextmanager
def scope_guard(identity: Identity, *, object: str, lang: str | None = None,
                message_key: str = "auth.out_of_scope") -> Iterator[None]:
    """Wrap an enterprise-level read: a ScopeError from osh.enterprises (another region's BIN typed into the
    search, an edited URL or filter) is logged as access_denied, shown as a refusal, and stops the page.

        with scope_guard(identity, object=bin):
            card = osh.enterprises.card(store, scope=identity.scope, bin=bin)
    """
    try:
        yield
    except ScopeError as exc:
        _audit(get_audit(), lang=lang, user=identity.user, action="access_denied", object=object, detail={"reason": str(exc)})
        st.error(t(message_key, lang or current_lang()))
        _stop()


def audited_download_button(
    identity: Identity,
    *,
    label: str,
    build: Callable[[], bytes],
    file_name: str,
    mime: str,
    list_name: str,
    detail: Mapping[str, Any] | None = None,
    key: str | None = None,
    lang: str | None = None,
) -> None:
    """A download button for an enterprise-level file that exists only inside this signed-in session.

    Nothing is built when the page is drawn. On the click, Streamlit runs `make` (on its own thread, so it
    reads nothing from the session): it refuses if this session is no longer signed in as `identity`, builds
    the bytes with `build` (which must read through osh.enterprises with identity.scope), writes download_list
    (object=list_name, detail: file name, rows, request id) - no log, no file - and arms a one-shot ticket, so
    the file is served to the click's own requests from a random address and deleted (see dashboard/official_downloads.py).
    """
    lang = lang or current_lang()
    try:
        official_downloads.FILES.install_current()
    except official_downloads.SecureDownloadUnavailable as exc:
        st.error(t("auth.download_unavailable", lang, error=str(exc)))
        return
    make = download_maker(identity, session_id=official_sessions.current_session_id() or "", build=build,
                          list_name=list_name, detail={**(detail or {}), "file_name": file_name})
    st.download_button(label, data=make, file_name=file_name, mime=mime, key=key, on_click="ignore",
                       help=t("auth.download_help", lang), icon=":material/download:")


def download_maker(identity: Identity, *, session_id: str, build: Callable[[], bytes], list_name: str,
                   detail: Mapping[str, Any]) -> Callable[[], bytes]:
    """What Streamlit runs on a download click (on its own thread: it reads nothing from the session)."""
    user = identity.user
    context = dict(detail)

    def make() -> bytes:
        if not official_sessions.REGISTRY.is_signed_in(session_id, user):
            raise official_downloads.DownloadRefused(f"the session of {user} is no longer signed in; {list_name} not built")
        data = build()
        ticket = official_downloads.new_ticket(user=user, session_id=session_id, data=data)
        # AuditError propagates: Streamlit then answers "failed to generate file" and no file exists
        get_audit().record(user=user, action="download_list", object=list_name,
                           detail={**context, "request_id": ticket.request_id, "bytes": len(data)})
        official_downloads.FILES.arm(ticket)
        return data

    return make
