"""Append-only audit log of who logged in, viewed which enterprise card, searched or downloaded which list."""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from data import settings

ACTIONS: tuple[str, ...] = (
    "login",  # object: "" ; detail: role and regions
    "login_failed",  # object: "" ; detail: reason (wrong password, locked, disabled)
    "logout",
    "session_expired",
    "view_card",  # object: the enterprise BIN
    "search",  # object: the searched text (a BIN or a name fragment)
    "download_list",  # object: the list's name, detail: filters and row count
    "view_list",  # object: the page / list shown (e.g. "inspection_list:35")
    "access_denied",  # object: what was refused (e.g. a BIN outside the user's regions)
    "upload",  # object: "TABLE:FILE"; detail: read, loaded, rejected, bytes, sha256
)
# Each line carries the SHA-256 of the previous line: editing or deleting a line in the middle breaks
# the chain (verify() reports where). Someone who can rewrite the whole file can rebuild the chain,
# which is why production ships the log off the host (see README, threat model).
GENESIS = "0" * 64
_TAIL_BYTES = 65536
MAX_LINE_BYTES = 16384
MAX_OBJECT_CHARS = 256  # e.g. a pasted search text is logged, but not without bound


class AuditError(RuntimeError):
    """The audit log cannot be written, or its hash chain is broken (message names the line)."""


@dataclass(frozen=True)
class AuditEvent:
    ts: str  # ISO 8601, UTC
    user: str
    action: str
    object: str
    detail: dict[str, Any]
    prev: str  # SHA-256 (hex) of the previous line, GENESIS for the first

    def to_json(self) -> str:
        return json.dumps(
            {"ts": self.ts, "user": self.user, "action": self.action, "object": self.object,
             "detail": self.detail, "prev": self.prev},
            ensure_ascii=False,
            sort_keys=True,
            separators=(",", ":"),
        )


def _line_hash(line: bytes) -> str:
    return hashlib.sha256(line.rstrip(b"\n")).hexdigest()


class AuditLog:
    """A JSON-lines file opened only with O_APPEND; writers serialise on an flock of the file itself."""

    def __init__(self, path: Path, *, clock: Callable[[], datetime] | None = None) -> None:
        self.path = Path(path)
        self.clock = clock or (lambda: datetime.now(UTC))

    def record(self, *, user: str, action: str, object: str = "", detail: Mapping[str, Any] | None = None) -> AuditEvent:
        """Append one event. Raises AuditError if it cannot be written: callers must not show data unlogged."""
        if action not in ACTIONS:
            raise AuditError(f"unknown audit action {action!r}; expected one of {', '.join(ACTIONS)}")
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        except OSError as exc:
            raise AuditError(f"cannot open audit log {self.path} (ENBEK_AUDIT_LOG): {exc}") from exc
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            event = AuditEvent(
                ts=self.clock().astimezone(UTC).isoformat(timespec="milliseconds"),
                user=user,
                action=action,
                object=str(object)[:MAX_OBJECT_CHARS],
                detail=dict(detail or {}),
                prev=self._last_hash(),
            )
            try:
                line = (event.to_json() + "\n").encode("utf-8")
            except TypeError as exc:
                raise AuditError(f"audit detail for {action} is not JSON-serialisable: {exc}") from exc
            if len(line) > MAX_LINE_BYTES:
                # _last_hash reads only the file's tail; a longer line would break the chain.
                raise AuditError(f"audit event for {action} is {len(line)} bytes; the limit is {MAX_LINE_BYTES}")
            os.write(fd, line)
            os.fsync(fd)
        except OSError as exc:
            raise AuditError(f"cannot write audit log {self.path}: {exc}") from exc
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
            os.close(fd)
        return event

    def _last_hash(self) -> str:
        try:
            with self.path.open("rb") as fh:
                fh.seek(0, os.SEEK_END)
                size = fh.tell()
                fh.seek(max(0, size - _TAIL_BYTES))
                tail = fh.read()
        except FileNotFoundError:
            return GENESIS
        lines = [ln for ln in tail.split(b"\n") if ln]
        return _line_hash(lines[-1]) if lines else GENESIS

    def events(self) -> Iterator[AuditEvent]:
        try:
            fh = self.path.open("rb")
        except FileNotFoundError:
            return
        with fh:
            for number, raw in enumerate(fh, start=1):
                try:
                    data = json.loads(raw)
                    yield AuditEvent(data["ts"], data["user"], data["action"], data["object"], data["detail"], data["prev"])
                except (json.JSONDecodeError, KeyError, TypeError) as exc:
                    raise AuditError(f"audit log {self.path} line {number} is not an audit event: {exc}") from None

    def verify(self) -> int:
        """Check the hash chain; returns the number of events, or raises AuditError naming the first bad line."""
        expected = GENESIS
        count = 0
        try:
            fh = self.path.open("rb")
        except FileNotFoundError:
            return 0
        with fh:
            for number, raw in enumerate(fh, start=1):
                try:
                    prev = json.loads(raw)["prev"]
                except (json.JSONDecodeError, KeyError, TypeError):
                    raise AuditError(f"audit log {self.path} line {number} is not an audit event") from None
                if prev != expected:
                    raise AuditError(
                        f"audit log {self.path} line {number}: hash chain broken (a line before it was changed or removed)"
                    )
                expected = _line_hash(raw)
                count += 1
        return count


def audit_log(*, clock: Callable[[], datetime] | None = None) -> AuditLog:
    """The log named by ENBEK_AUDIT_LOG."""
    return AuditLog(settings.get_path("ENBEK_AUDIT_LOG"), clock=clock)
