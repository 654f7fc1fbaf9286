"""Loading an uploaded file from the official app (the register module): kept as evidence, audited, then loaded
through data.loader exactly as `enbek load` does."""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from data import settings
from data.audit import AuditLog
from data.auth import Identity
from data.loader import LoadReport, load_file
from data.store import writing

MAX_UPLOAD_BYTES = 50 * 1024 * 1024
UPLOAD_TABLES: dict[str, tuple[str, ...]] = {
    # table -> roles that may upload it
    "workplace_assessments": ("ministry", "assessor"),
}


class UploadError(ValueError):
    """The upload is refused before anything is loaded (role, size, name)."""


@dataclass(frozen=True)
class Upload:
    report: LoadReport
    saved: Path
    sha256: str


def save_and_load(*, identity: Identity, audit: AuditLog, table: str, name: str, data: bytes) -> Upload:
    """Keep the file under <data dir>/uploads (mode 0600), audit it, load it, audit the counts."""
    allowed = UPLOAD_TABLES.get(table)
    if allowed is None or identity.role not in allowed:
        raise UploadError(f"role {identity.role!r} may not upload table {table!r}")
    if len(data) > MAX_UPLOAD_BYTES:
        raise UploadError(f"{name}: {len(data)} bytes; the limit is {MAX_UPLOAD_BYTES}")
    digest = hashlib.sha256(data).hexdigest()
    safe = re.sub(r"[^\w.-]+", "_", Path(name).name)[:80] or "upload"
    folder = settings.data_dir() / "uploads"
    folder.mkdir(parents=True, exist_ok=True)
    saved = folder / f"{datetime.now(UTC).strftime('%Y%m%dT%H%M%S')}-{digest[:8]}-{safe}"
    fd = os.open(saved, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)
    # Logged before the store changes: if the log cannot be written (AuditError), nothing is loaded.
    audit.record(user=identity.user, action="upload", object=f"{table}:{safe}",
                 detail={"stage": "received", "bytes": len(data), "sha256": digest, "role": identity.role})
    # Into a copy of the store swapped in at the end (data.store.writing): the pages of every user keep reading
    # the old data meanwhile and reopen the store on their next run; a failed load leaves it unchanged.
    with writing() as store:
        report = load_file(store, table, saved)
    audit.record(user=identity.user, action="upload", object=f"{table}:{safe}",
                 detail={"stage": "loaded", "read": report.read, "loaded": report.loaded, "rejected": report.rejected,
                         "sha256": digest})
    return Upload(report, saved, digest)
