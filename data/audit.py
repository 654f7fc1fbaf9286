"""Append-only audit log of who logged in, viewed which enterprise card, searched or downloaded which list."""

from __future__ import annotations

import fcntl
import hashlib
import json
import logging
import os
import sys
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from logging.handlers import SysLogHandler
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
    "plan_mark",  # object: the enterprise BIN; detail: status (planned, inspected, removed), date, region
)
# Each line carries the SHA-256 of the previous line: editing or deleting a line in the middle breaks
# the chain (verify() reports where). Someone who can rewrite the whole file can rebuild the chain,
# which is why production ships the log off the host (see docs/threat-model.md).
# Deleting lines at the END leaves the chain intact, so an anchor outside the log (`<log>.anchor`: the
# number of lines and the hash of the last one) is replaced atomically with every append, under the same
# lock; verify() compares the two. Whoever can rewrite both files can still hide a trim: forward each event
# to syslog (ENBEK_AUDIT_SYSLOG) so a copy lives where the app's account cannot edit it.
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


@dataclass(frozen=True)
class Anchor:
    """What the log held after the last append: its line count and the hash of its last line."""

    lines: int
    last: str
    rebuilt: str | None = None  # when the anchor was missing and re-made from the log (trims before it are unseen)
    rebuilt_lines: int = 0


def anchor_path(log_path: Path) -> Path:
    return log_path.with_name(log_path.name + ".anchor")


class _StrictSysLogHandler(SysLogHandler):
    """A forwarding failure raises (logging's default prints and carries on): an event that must go off the host
    and cannot is an audit failure like an unwritable local log."""

    def handleError(self, record: logging.LogRecord) -> None:  # noqa: N802 - logging's name
        raise AuditError(f"cannot forward the audit event to syslog {self.address!r} (ENBEK_AUDIT_SYSLOG): {sys.exc_info()[1]}")


def syslog_handler(target: str) -> SysLogHandler | None:
    """ENBEK_AUDIT_SYSLOG: '' off; 'local' the host's /dev/log; '/path' a Unix socket; 'HOST:PORT' UDP."""
    if not target:
        return None
    address: str | tuple[str, int]
    if target == "local":
        address = "/dev/log"
    elif target.startswith("/"):
        address = target
    elif ":" in target and target.rsplit(":", 1)[1].isdigit():
        host, port = target.rsplit(":", 1)
        address = (host, int(port))
    else:
        raise AuditError(f"ENBEK_AUDIT_SYSLOG={target!r}: expected '' (off), 'local', a socket path or HOST:PORT")
    try:
        handler = _StrictSysLogHandler(address=address, facility=SysLogHandler.LOG_AUTHPRIV)
    except OSError as exc:
        raise AuditError(f"cannot connect to syslog {address!r} (ENBEK_AUDIT_SYSLOG): {exc}") from exc
    handler.ident = "enbek-audit: "
    return handler


class AuditLog:
    """A JSON-lines file opened only with O_APPEND; writers serialise on an flock of the file itself."""

    def __init__(self, path: Path, *, clock: Callable[[], datetime] | None = None, syslog: str = "") -> None:
        self.path = Path(path)
        self.anchor_path = anchor_path(self.path)
        self.clock = clock or (lambda: datetime.now(UTC))
        self.syslog = syslog
        self._syslog: SysLogHandler | None = None

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
            anchor = self.anchor()
            if anchor is None:
                # First append, or the anchor was lost: start it from the log as it is, and say so for ever after.
                count = self._count_lines()
                anchor = Anchor(count, event.prev, event.ts if count else None, count)
            os.write(fd, line)
            os.fsync(fd)
            self._write_anchor(Anchor(anchor.lines + 1, _line_hash(line), anchor.rebuilt, anchor.rebuilt_lines))
        except OSError as exc:
            raise AuditError(f"cannot write audit log {self.path}: {exc}") from exc
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
            os.close(fd)
        self._forward(line)
        return event

    def _forward(self, line: bytes) -> None:
        if not self.syslog:
            return
        if self._syslog is None:
            self._syslog = syslog_handler(self.syslog)
        if self._syslog is not None:
            message = line.decode("utf-8").rstrip("\n")
            self._syslog.emit(logging.LogRecord("enbek.audit", logging.INFO, __file__, 0, message, None, None))

    def anchor(self) -> Anchor | None:
        try:
            data = json.loads(self.anchor_path.read_text(encoding="utf-8"))
            return Anchor(int(data["lines"]), str(data["last"]), data.get("rebuilt"), int(data.get("rebuilt_lines", 0)))
        except FileNotFoundError:
            return None
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise AuditError(f"audit anchor {self.anchor_path} is unreadable ({exc}); the log cannot be checked for trimmed lines") from None

    def _write_anchor(self, anchor: Anchor) -> None:
        """Replace the anchor atomically (temporary file, fsync, rename): a crash leaves the old or the new one."""
        tmp = self.anchor_path.with_name(self.anchor_path.name + f".{os.getpid()}.tmp")
        body = json.dumps({"lines": anchor.lines, "last": anchor.last, "rebuilt": anchor.rebuilt,
                           "rebuilt_lines": anchor.rebuilt_lines}, sort_keys=True).encode("utf-8")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        try:
            os.write(fd, body)
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp, self.anchor_path)

    def _count_lines(self) -> int:
        try:
            with self.path.open("rb") as fh:
                return sum(1 for raw in fh if raw.strip())
        except FileNotFoundError:
            return 0

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
        """Check the hash chain and the anchor; returns the number of events, or raises AuditError naming the
        first bad line, or saying that lines were removed from the end."""
        expected = GENESIS
        count = 0
        hashes: dict[int, str] = {}
        anchor = self.anchor()
        try:
            fh = self.path.open("rb")
        except FileNotFoundError:
            self._check_anchor(anchor, 0, {})
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
                if anchor is not None and number == anchor.lines:
                    hashes[number] = expected
        self._check_anchor(anchor, count, hashes)
        return count

    def _check_anchor(self, anchor: Anchor | None, count: int, hashes: Mapping[int, str]) -> None:
        if anchor is None:
            if count:
                raise AuditError(
                    f"audit log {self.path}: its anchor {self.anchor_path} is missing, so lines removed from the end "
                    "cannot be ruled out; compare with the syslog copy (ENBEK_AUDIT_SYSLOG)"
                )
            return
        if count < anchor.lines:
            raise AuditError(
                f"audit log {self.path} was trimmed: the anchor records {anchor.lines} events, the log holds {count} "
                f"(the last {anchor.lines - count} removed)"
            )
        if anchor.lines and hashes.get(anchor.lines) != anchor.last:
            raise AuditError(
                f"audit log {self.path} line {anchor.lines} is not the line the anchor recorded "
                "(lines were removed from the end and others written in their place)"
            )


def audit_log(*, clock: Callable[[], datetime] | None = None) -> AuditLog:
    """The log named by ENBEK_AUDIT_LOG, forwarded to ENBEK_AUDIT_SYSLOG when that is set."""
    return AuditLog(settings.get_path("ENBEK_AUDIT_LOG"), clock=clock, syslog=settings.get("ENBEK_AUDIT_SYSLOG"))
