"""Registry of the signed-in Streamlit sessions of this process, so that a session that ends without a click
(idle past ENBEK_SESSION_MINUTES, or its tab closed) is still written to the audit log.

A Streamlit session lives in server memory and ends silently: a closed tab only drops its websocket, and an
idle session is noticed by login.py only if that same session runs again. So every signed-in run records
itself here (`touch`), and a sweep - at the start of every run of any session, and every sweep_seconds() from a
background thread - ends the sessions that are idle too long (reason "idle") or whose websocket has been gone
for closed_grace() (reason "tab_closed"), writes `session_expired` for each, and revokes them: if such a session
ever comes back (a reconnect after a long network cut), login.py signs it out instead of resuming it.

Not caught: a server crash or restart (the registry is in memory; the sessions die with it, and their last
event in the log is their last action), and a tab closed less than closed_grace() before the server stops.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from data.audit import AuditError, AuditLog, audit_log
from data.auth import Session, session_idle_limit, utc_now


def closed_grace() -> timedelta:
    """A websocket gone this long (ENBEK_CLOSED_TAB_SECONDS, default 30) is a closed tab, not a network blip."""
    from data.settings import get_float

    return timedelta(seconds=max(1.0, get_float("ENBEK_CLOSED_TAB_SECONDS")))


def sweep_seconds() -> float:
    """How often the background sweeper looks: twice per grace period, at most every 15 s."""
    return min(15.0, closed_grace().total_seconds() / 2)

_LOG = logging.getLogger(__name__)


@dataclass(frozen=True)
class Ended:
    session_id: str
    user: str
    reason: str  # "idle" | "tab_closed"
    last_seen: datetime


class SessionRegistry:
    """Signed-in sessions by Streamlit session id; thread-safe (page runs and the sweeper thread share it)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._sessions: dict[str, Session] = {}
        self._gone_since: dict[str, datetime] = {}
        self._revoked: set[str] = set()

    def touch(self, session_id: str, session: Session) -> None:
        with self._lock:
            self._sessions[session_id] = session
            self._gone_since.pop(session_id, None)
            self._revoked.discard(session_id)

    def forget(self, session_id: str) -> None:
        """The session ended itself (logout, or expiry noticed by its own run, already logged)."""
        with self._lock:
            self._sessions.pop(session_id, None)
            self._gone_since.pop(session_id, None)

    def is_signed_in(self, session_id: str, user: str) -> bool:
        with self._lock:
            session = self._sessions.get(session_id)
            return session is not None and session.identity.user == user and session_id not in self._revoked

    def take_revoked(self, session_id: str) -> bool:
        """True once if a sweep ended this session while it was away (it must sign out, without a second event)."""
        with self._lock:
            if session_id in self._revoked:
                self._revoked.discard(session_id)
                return True
            return False

    def users(self) -> dict[str, str]:
        with self._lock:
            return {sid: s.identity.user for sid, s in self._sessions.items()}

    def sweep(self, *, now: datetime, idle: timedelta, alive: Callable[[str], bool], skip: str | None = None,
              grace: timedelta | None = None) -> list[Ended]:
        """Remove and return the sessions that ended without telling: idle past `idle` (or older than the
        maximum session age), or not `alive` for `grace`. `skip` is the running session (login.py checks it)."""
        ended: list[Ended] = []
        grace = closed_grace() if grace is None else grace
        with self._lock:
            for sid, session in list(self._sessions.items()):
                if sid == skip:
                    continue
                reason = None
                if session.expired(now=now, idle=idle):
                    reason = "idle"
                elif not alive(sid):
                    since = self._gone_since.setdefault(sid, now)
                    if now - since >= grace:
                        reason = "tab_closed"
                else:
                    self._gone_since.pop(sid, None)
                if reason is not None:
                    del self._sessions[sid]
                    self._gone_since.pop(sid, None)
                    self._revoked.add(sid)
                    ended.append(Ended(sid, session.identity.user, reason, session.last_seen))
        return ended

    def restore(self, ended: list[Ended], sessions: dict[str, Session]) -> None:
        """Put swept sessions back (their audit event could not be written; the next sweep tries again)."""
        with self._lock:
            for e in ended:
                self._sessions.setdefault(e.session_id, sessions[e.session_id])
                self._revoked.discard(e.session_id)

    def snapshot(self) -> dict[str, Session]:
        with self._lock:
            return dict(self._sessions)

    def clear(self) -> None:
        with self._lock:
            self._sessions.clear()
            self._gone_since.clear()
            self._revoked.clear()


REGISTRY = SessionRegistry()


def current_session_id() -> str | None:
    """The Streamlit session id of the running script, None outside a script run."""
    from streamlit.runtime.scriptrunner import get_script_run_ctx

    ctx = get_script_run_ctx(suppress_warning=True)
    return ctx.session_id if ctx is not None else None


def is_alive(session_id: str) -> bool:
    """Whether Streamlit still has this session's websocket. Without a running server (tests, bare mode) no
    session can be judged closed, so every one counts as alive."""
    from streamlit import runtime

    if not runtime.exists():
        return True
    try:
        return bool(runtime.get_instance().is_active_session(session_id))
    except RuntimeError:  # the runtime is stopping
        return True


def sweep_and_audit(*, now: datetime | None = None, audit: AuditLog | None = None, skip: str | None = None,
                    alive: Callable[[str], bool] = is_alive, registry: SessionRegistry = REGISTRY) -> list[Ended]:
    """Sweep the registry and write `session_expired` (detail: reason, last_seen, swept) for each session ended.
    Raises AuditError if the log cannot be written; the swept sessions are then kept for the next sweep."""
    from dashboard import official_downloads

    now = now or utc_now()
    before = registry.snapshot()
    ended = registry.sweep(now=now, idle=session_idle_limit(), alive=alive, skip=skip)
    log = audit or audit_log()
    for i, e in enumerate(ended):
        try:
            log.record(user=e.user, action="session_expired",
                       detail={"reason": e.reason, "last_seen": e.last_seen.isoformat(timespec="seconds"), "swept": True})
        except AuditError:
            registry.restore(ended[i:], before)
            raise
        official_downloads.FILES.revoke_session(e.session_id)
    return ended


_sweeper_lock = threading.Lock()
_sweeper: threading.Thread | None = None


def start_sweeper() -> None:
    """Start the background sweep once per process (a daemon thread: it dies with the server). Only under a
    real `streamlit run`: AppTest's stand-in runtime cannot tell which sessions are alive."""
    global _sweeper
    from streamlit import runtime

    if not runtime.exists() or type(runtime.get_instance()) is not runtime.Runtime:
        return
    with _sweeper_lock:
        if _sweeper is not None and _sweeper.is_alive():
            return
        _sweeper = threading.Thread(target=_sweep_forever, name="enbek-session-sweeper", daemon=True)
        _sweeper.start()


def _sweep_forever() -> None:
    stop = threading.Event()
    from dashboard import official_downloads
    from data.settings import SettingError

    while not stop.wait(sweep_seconds()):
        official_downloads.FILES.expire()
        try:
            sweep_and_audit()
        except (AuditError, SettingError) as exc:  # the next sweep tries again; page runs show the error
            _LOG.error("session sweep could not write the audit log: %s", exc)
