"""Enterprise-level files handed out only inside a signed-in session.

Streamlit serves a download_button's bytes at /media/<hash>.<ext> to anyone who asks, with an address derived
from the content (the same in every session) and kept until two script runs after no session shows the button.
For the inspection list (BIN, name, coordinates) that is not acceptable, so:

* the file is never prepared before the click: the button gets a callable, which Streamlit runs on the click;
* that callable first checks the session is still signed in as the user who saw the button, then builds the
  file with the user's scope, writes `download_list` to the audit log (no log, no file), and arms a ticket;
* the file is stored under a random 128-bit id instead of its content hash (unique per click), served to the
  click's own requests only, and deleted unfetched after TTL and when its session signs out or is swept.

"The click's own requests" are two: Streamlit's front end (1.67, DownloadButton) first fetches the new address to
check it answers, and at the same moment clicks a link to it for the download; the two race. Serving only the first
made the download fail whenever the check won ("Download.path: canceled" in CI). So an issued file answers
SERVES = 2 requests, the second within SECOND_FETCH of the first, and is deleted at the second (or when that window
passes); every later request gets 404.

The one-shot serving wraps three methods of the storage object of Streamlit's MediaFileManager (the same object
its /media route reads). That is Streamlit internals (checked on 1.67): `install` refuses, and the page
shows no enterprise download, if the storage is not the in-memory kind it knows.
"""

from __future__ import annotations

import hashlib
import os
import secrets
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from data.auth import utc_now

TTL = timedelta(seconds=30)  # an armed or issued file not fetched by then is deleted
SERVES = 2  # the front end's check fetch and the download itself (module docstring)
SECOND_FETCH = timedelta(seconds=10)  # the second of the two comes within this of the first, or the file is deleted
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
    serves: int = 0  # requests answered (at most SERVES)
    first_served: datetime | None = None
    extra: dict[str, Any] = field(default_factory=dict)


class OneShotFiles:
    """Process-wide: armed tickets (built, not yet stored) and issued files (stored, not yet fetched)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._armed: dict[str, list[Ticket]] = {}  # by digest: two users may take identical bytes at once
        self._issued: dict[str, Ticket] = {}
        self._local = threading.local()

    # -- wiring into Streamlit's storage -----------------------------------------------------------------------

    def install(self, storage: Any) -> None:
        """Wrap `storage` (a MemoryMediaFileStorage) so that armed files get a random id and answer only the click's requests (SERVES)."""
        from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage

        if getattr(storage, _MARK, False):
            return
        if not isinstance(storage, MemoryMediaFileStorage) or not isinstance(getattr(storage, "_files_by_id", None), dict):
            raise SecureDownloadUnavailable(f"media storage {type(storage).__name__} cannot serve one-shot files")
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
            last = False
            with self._lock:
                ticket = self._issued.get(file_id)
                if ticket is not None:
                    ticket.serves += 1
                    ticket.first_served = ticket.first_served or utc_now()
                    last = ticket.serves >= SERVES
                    if last:
                        del self._issued[file_id]
            found = get_file(filename)  # raises MediaFileStorageError (404) when deleted or unknown
            if last:
                storage.delete_file(file_id)  # the click's requests are answered: the address is dead from now on
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
            ticket.file_id, ticket.storage = file_id, storage
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
        return self._drop(lambda t: t.session_id != session_id)

    def expire(self, *, now: datetime | None = None) -> int:
        """Delete the files not fetched within TTL, and those fetched once whose second request did not come."""
        now = now or utc_now()
        return self._drop(lambda t: now - t.created <= TTL and (t.first_served is None or now - t.first_served <= SECOND_FETCH))

    def pending(self) -> list[Ticket]:
        with self._lock:
            return [*(t for waiting in self._armed.values() for t in waiting), *self._issued.values()]


FILES = OneShotFiles()


def new_ticket(*, user: str, session_id: str, data: bytes, now: datetime | None = None) -> Ticket:
    return Ticket(request_id=secrets.token_hex(8), user=user, session_id=session_id,
                  digest=hashlib.sha256(data).hexdigest(), created=now or utc_now())
