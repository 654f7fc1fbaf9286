"""Enterprise-level files handed out only inside a signed-in session.

Streamlit serves a download_button's bytes at /media/<hash>.<ext> to anyone who asks, with an address derived
from the content (the same in every session) and kept until two script runs after no session shows the button.
For the inspection list (BIN, name, coordinates) that is not acceptable, so:

* the file is never prepared before the click: the button gets a callable, which Streamlit runs on the click;
* that callable first checks the session is still signed in as the user who saw the button, then builds the
  file with the user's scope, writes `download_list` to the audit log (no log, no file), and arms a ticket;
* the file is stored under a random 128-bit id instead of its content hash (unique per click), served to the
  click's own requests only, and deleted unfetched after TTL and when its session signs out or is swept.

"The click's own requests" are two: Streamlit's front end (1.67, DownloadButton) fetches the new address with
`fetch()` to check that it answers, and at the same moment clicks a link to it for the download; the two race
(measured 9 ms apart, either order). The browser marks them apart (Fetch Metadata): the check is
`Sec-Fetch-Mode: cors`, the download a navigation (`navigate`). So the /media request is read (the route's own
`request`, found on the call stack of Streamlit's `_media_endpoint`, which calls `storage.get_file`): a check (cors
mode, or HEAD) is answered 200 with an empty body and consumes nothing; any other request — the download, or anyone
else's GET — is served once (SERVES = 1) and the file is deleted at once. A check that arrives after the download
still gets an empty 200 for SECOND_FETCH (so the front end logs no error); every other later request gets 404.
A forged check header gains nothing: the check answer never carries the bytes. A browser without Fetch Metadata
(Chrome < 76, Firefox < 90, Safari < 16.4) would spend the file on the check: the download then fails, never leaks.

The one-shot serving wraps three methods of the storage object of Streamlit's MediaFileManager (the same object
its /media route reads). That is Streamlit internals (checked on 1.67): `install` refuses, and the page
shows no enterprise download, if the storage is not the in-memory kind it knows.
"""

from __future__ import annotations

import hashlib
import os
import secrets
import sys
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from types import FrameType
from typing import Any

from data.auth import utc_now

TTL = timedelta(seconds=30)  # an armed or issued file not fetched by then is deleted
SERVES = 1  # the download itself; the front end's check fetch is answered without the bytes (module docstring)
SECOND_FETCH = timedelta(seconds=10)  # a check arriving after the download still gets its empty answer this long
_ENDPOINT = "_media_endpoint"  # Streamlit's /media handler (streamlit.web.server.starlette.starlette_routes)
_MARK = "_enbek_one_shot"


class DownloadRefused(PermissionError):
    """The click came from a session that is no longer signed in as the user who saw the button."""


class SecureDownloadUnavailable(RuntimeError):
    """Streamlit's media storage is not one this module can make one-shot (an unknown version or a plug-in)."""


@dataclass
class Ticket:
    request_id: str
    user: str
    session_id: str
    digest: str  # SHA-256 of the bytes: how the stored file is recognised as this ticket's
    created: datetime
    file_id: str | None = None
    storage: Any = None
    serves: int = 0  # downloads answered (at most SERVES)
    first_served: datetime | None = None
    checks: int = 0  # the front end's check fetches answered (without the bytes)
    mimetype: str = ""
    kind: Any = None
    extra: dict[str, Any] = field(default_factory=dict)


class OneShotFiles:
    """Process-wide: armed tickets (built, not yet stored) and issued files (stored, not yet fetched)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._armed: dict[str, list[Ticket]] = {}  # by digest: two users may take identical bytes at once
        self._issued: dict[str, Ticket] = {}
        self._spent: dict[str, Ticket] = {}  # served: a late check still gets its empty answer until SECOND_FETCH
        self._local = threading.local()

    # -- wiring into Streamlit's storage -----------------------------------------------------------------------

    def install(self, storage: Any) -> None:
        """Wrap `storage` (a MemoryMediaFileStorage) so that armed files get a random id, answer the front end's check
        without their bytes and are served once (SERVES) to the download."""
        from streamlit.runtime.memory_media_file_storage import MemoryFile, MemoryMediaFileStorage

        if getattr(storage, _MARK, False):
            return
        if not isinstance(storage, MemoryMediaFileStorage) or not isinstance(getattr(storage, "_files_by_id", None), dict):
            raise SecureDownloadUnavailable(f"media storage {type(storage).__name__} cannot serve one-shot files")
        if not media_route_known():
            raise SecureDownloadUnavailable(f"Streamlit's /media route has no {_ENDPOINT} calling get_file")
        load, get_url, get_file = storage.load_and_get_id, storage.get_url, storage.get_file
        delete = storage.delete_file

        def load_and_get_id(path_or_data: Any, mimetype: str, kind: Any, filename: str | None = None) -> str:
            if isinstance(path_or_data, bytes):
                ticket = self._take_armed(hashlib.sha256(path_or_data).hexdigest())
                if ticket is not None:
                    return self._store(storage, ticket, path_or_data, mimetype, kind, filename)
            return str(load(path_or_data, mimetype, kind, filename))

        def url(file_id: str) -> str:
            self._local.issuing = True  # get_url reads the file to learn its extension: not a fetch
            try:
                return str(get_url(file_id))
            finally:
                self._local.issuing = False

        def fetch(filename: str) -> Any:
            file_id = os.path.splitext(filename)[0]
            if getattr(self._local, "issuing", False):
                return get_file(filename)
            check = is_check(media_request_headers())
            last = False
            with self._lock:
                ticket = self._issued.get(file_id) or (self._spent.get(file_id) if check else None)
                if ticket is not None and check:
                    ticket.checks += 1
                    return MemoryFile(content=b"", mimetype=ticket.mimetype, kind=ticket.kind, filename=None)
                if ticket is not None:
                    ticket.serves += 1
                    ticket.first_served = ticket.first_served or utc_now()
                    last = ticket.serves >= SERVES
                    if last:
                        del self._issued[file_id]
                        self._spent[file_id] = ticket
            found = get_file(filename)  # raises MediaFileStorageError (404) when deleted or unknown
            if last:
                storage.delete_file(file_id)  # the download is answered: the address is dead from now on
            return found

        def guarded_delete(file_id: str) -> None:
            # Streamlit's orphan sweep (after every script run of any session) deletes a generated download at its
            # second pass; on a loaded server that came before the browser's fetch and the download failed. An
            # issued file lives until it is fetched, its TTL passes or its session ends (those paths pop it first).
            with self._lock:
                if file_id in self._issued:
                    return
            delete(file_id)

        # instance attributes shadow the class's methods; the /media route calls storage.get_file on this object
        setattr(storage, "load_and_get_id", load_and_get_id)  # noqa: B010
        setattr(storage, "get_url", url)  # noqa: B010
        setattr(storage, "get_file", fetch)  # noqa: B010
        setattr(storage, "delete_file", guarded_delete)  # noqa: B010
        setattr(storage, _MARK, True)

    def install_current(self) -> None:
        """Install on the running app's media storage (no-op without a Streamlit runtime)."""
        from streamlit import runtime

        if not runtime.exists():
            return
        manager = runtime.get_instance().media_file_mgr
        self.install(getattr(manager, "_storage", None))

    def _store(self, storage: Any, ticket: Ticket, data: bytes, mimetype: str, kind: Any, filename: str | None) -> str:
        from streamlit.runtime.memory_media_file_storage import MemoryFile

        file_id = secrets.token_hex(16)
        storage._files_by_id[file_id] = MemoryFile(content=data, mimetype=mimetype, kind=kind, filename=filename)
        with self._lock:
            ticket.file_id, ticket.storage, ticket.mimetype, ticket.kind = file_id, storage, mimetype, kind
            self._issued[file_id] = ticket
        return file_id

    # -- tickets ----------------------------------------------------------------------------------------------

    def arm(self, ticket: Ticket) -> None:
        with self._lock:
            self._armed.setdefault(ticket.digest, []).append(ticket)

    def _take_armed(self, digest: str) -> Ticket | None:
        with self._lock:
            waiting = self._armed.get(digest)
            if not waiting:
                return None
            ticket = waiting.pop(0)
            if not waiting:
                del self._armed[digest]
            return ticket

    def _drop(self, keep: Callable[[Ticket], bool]) -> int:
        with self._lock:
            gone = [t for t in self._issued.values() if not keep(t)]
            for t in gone:
                del self._issued[t.file_id]  # type: ignore[arg-type]
            for digest, waiting in list(self._armed.items()):
                waiting[:] = [t for t in waiting if keep(t)]
                if not waiting:
                    del self._armed[digest]
        for t in gone:
            t.storage.delete_file(t.file_id)
        return len(gone)

    def revoke_session(self, session_id: str) -> int:
        """Delete every file of this session not yet fetched (sign-out, expiry, closed tab)."""
        with self._lock:
            self._spent = {k: t for k, t in self._spent.items() if t.session_id != session_id}
        return self._drop(lambda t: t.session_id != session_id)

    def expire(self, *, now: datetime | None = None) -> int:
        """Delete the files not fetched within TTL; forget the served ones SECOND_FETCH after their download."""
        now = now or utc_now()
        with self._lock:
            for file_id, t in list(self._spent.items()):
                if t.first_served is None or now - t.first_served > SECOND_FETCH:
                    del self._spent[file_id]
        return self._drop(lambda t: now - t.created <= TTL)

    def pending(self) -> list[Ticket]:
        with self._lock:
            return [*(t for waiting in self._armed.values() for t in waiting), *self._issued.values()]


FILES = OneShotFiles()


def media_route_known() -> bool:
    """Streamlit's /media handler is the `_media_endpoint` (a closure of create_media_routes) that calls
    `storage.get_file` with its `request` in scope: what media_request_headers reads. Checked on 1.67."""
    from streamlit.web.server.starlette import starlette_routes

    codes = [c for c in starlette_routes.create_media_routes.__code__.co_consts if getattr(c, "co_name", None) == _ENDPOINT]
    return bool(codes) and "get_file" in codes[0].co_names and "request" in codes[0].co_varnames


def media_request_headers() -> Mapping[str, str] | None:
    """The headers of the /media request being answered (None when get_file is called outside the route)."""
    frame: FrameType | None = sys._getframe(2)  # fetch's caller and up: the route calls storage.get_file directly
    for _ in range(8):
        if frame is None:
            return None
        if frame.f_code.co_name == _ENDPOINT:
            request = frame.f_locals.get("request")
            headers = getattr(request, "headers", None)
            method = str(getattr(request, "method", "GET"))
            if headers is None:
                return None
            return {**{k.lower(): v for k, v in headers.items()}, ":method": method}
        frame = frame.f_back
    return None


def is_check(headers: Mapping[str, str] | None) -> bool:
    """The front end's `fetch()` of a new download address (Fetch Metadata mode cors) or a HEAD probe: answered
    without the bytes. A navigation (the download itself), a request without these headers (curl, a script) and
    calls from outside the route are not checks."""
    if headers is None:
        return False
    return headers.get(":method") == "HEAD" or headers.get("sec-fetch-mode", "").lower() == "cors"


def new_ticket(*, user: str, session_id: str, data: bytes, now: datetime | None = None) -> Ticket:
    return Ticket(request_id=secrets.token_hex(8), user=user, session_id=session_id,
                  digest=hashlib.sha256(data).hexdigest(), created=now or utc_now())
