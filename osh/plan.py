"""The region's inspection plan: enterprises marked planned or inspected (a date and a note), shared by the users
of that region and read by the ministry for every region.

The marks are user-entered state, not derived from inputs, so they live in their own DuckDB file
(<ENBEK_DATA_DIR>/inspection_plan.duckdb, table `inspection_plan`) written through data.store's upsert: the
enterprise store is opened read-only by the app and rebuilt by `enbek build-demo` / `enbek score`, and neither
may lose or lock a plan. Every read and write checks the user's scope against the enterprise's region in the
risk table, as every other enterprise read does. Auditing is the caller's (dashboard) job, before the write.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pandas as pd

from data import settings
from data.scope import Scope, ScopeError
from data.store import Store, StoreError, open_store
from geo.regions import REGION_CODES

PLAN_TABLE = "inspection_plan"
PLAN_FILE = "inspection_plan.duckdb"
STATUSES: tuple[str, ...] = ("planned", "inspected")
MAX_NOTE_CHARS = 500
COLUMNS: tuple[str, ...] = ("bin", "region", "status", "date", "note", "user", "updated")
_DDL = (f"CREATE TABLE IF NOT EXISTS {PLAN_TABLE} (bin VARCHAR PRIMARY KEY, region VARCHAR NOT NULL, "
        "status VARCHAR NOT NULL, date DATE NOT NULL, note VARCHAR NOT NULL, \"user\" VARCHAR NOT NULL, "
        "updated TIMESTAMP NOT NULL)")
_LOCK = threading.Lock()  # one writer per process; DuckDB itself locks the file against other processes


class PlanError(ValueError):
    """A mark that cannot be stored or a plan file that cannot be read. `code` (ERROR_CODES) and `params` let the
    page say it in the user's language (dashboard/locales/plan.json `plan.error.<code>`); the message is for logs."""

    def __init__(self, message: str, *, code: str, **params: object) -> None:
        super().__init__(message)
        self.code = code
        self.params = params


ERROR_CODES: tuple[str, ...] = ("status", "date", "note", "unknown", "store")


@dataclass(frozen=True)
class Mark:
    bin: str
    region: str
    status: str
    date: date
    note: str
    user: str
    updated: datetime


def plan_path() -> Path:
    return settings.data_dir() / PLAN_FILE


@contextmanager
def open_plan(path: Path | None = None) -> Iterator[Store]:
    """The plan file, opened for the length of one operation (so no connection is held between page runs). Raises
    PlanError (code "store") when it cannot be opened."""
    where = path or plan_path()
    with _LOCK:
        try:
            store = open_store(where)
        except (StoreError, OSError) as exc:  # locked by another process, not writable, no directory
            raise PlanError(f"plan file {where}: {exc}", code="store", path=str(where)) from exc
        try:
            try:
                store.sql(_DDL)
            except StoreError as exc:
                raise PlanError(f"plan file {where}: {exc}", code="store", path=str(where)) from exc
            yield store
        finally:
            store.close()


def _region_of(risk: Store, bin: str) -> str:
    found = risk.sql("SELECT region FROM enterprise_risk WHERE bin = ?", [bin])
    if found.empty:
        raise PlanError(f"no enterprise with BIN {bin} in the register", code="unknown", bin=bin)
    return str(found["region"].iloc[0])


def mark(plan: Store, *, risk: Store, scope: Scope, bin: str, status: str, on: date, note: str, user: str,
         now: datetime) -> Mark:
    """Mark `bin` planned or inspected on `on` with a note; replaces the enterprise's earlier mark. Raises
    ScopeError outside the user's regions and PlanError for a bad value."""
    if status not in STATUSES:
        raise PlanError(f"status must be one of {', '.join(STATUSES)}, got {status!r}", code="status", status=status)
    if not isinstance(on, date):
        raise PlanError(f"date must be a date, got {on!r}", code="date")
    note = note.strip()
    if len(note) > MAX_NOTE_CHARS:
        raise PlanError(f"note is {len(note)} characters; the limit is {MAX_NOTE_CHARS}", code="note", chars=len(note),
                        limit=MAX_NOTE_CHARS)
    region = _region_of(risk, bin)
    if not scope.allows(region):
        raise ScopeError(f"enterprise {bin} is in region {region}, outside this user's scope")
    row = Mark(bin, region, status, on, note, user, now.replace(tzinfo=None))
    plan.upsert(PLAN_TABLE, pd.DataFrame([row.__dict__]), key=("bin",))
    return row


def unmark(plan: Store, *, risk: Store, scope: Scope, bin: str) -> bool:
    """Take `bin` off the plan; True if it was on it."""
    region = _region_of(risk, bin)
    if not scope.allows(region):
        raise ScopeError(f"enterprise {bin} is in region {region}, outside this user's scope")
    before = plan.sql(f"SELECT count(*) AS n FROM {PLAN_TABLE} WHERE bin = ?", [bin])["n"].iloc[0]
    plan.sql(f"DELETE FROM {PLAN_TABLE} WHERE bin = ?", [bin])
    return bool(before)


def marks(plan: Store, *, scope: Scope, region: str | None = None) -> pd.DataFrame:
    """The marks within the scope (one region, or all the user may see): COLUMNS, by region then date."""
    regions = scope.narrow([region] if region is not None else None)
    params: list[object] = []
    clause = ""
    if regions is not None:
        clause = f" WHERE region IN ({', '.join('?' for _ in regions)})"
        params.extend(sorted(regions))
    cols = ", ".join(f'"{c}"' for c in COLUMNS)
    try:
        frame = plan.sql(f"SELECT {cols} FROM {PLAN_TABLE}{clause} ORDER BY region, date, bin", params)
    except StoreError as exc:
        raise PlanError(str(exc), code="store", path=str(getattr(plan, "path", ""))) from exc
    if frame.empty:
        return pd.DataFrame({c: pd.Series(dtype="object") for c in COLUMNS})
    frame["date"] = pd.to_datetime(frame["date"]).dt.date
    return frame


SUMMARY_COLUMNS: tuple[str, ...] = ("region", "marked", "planned", "inspected", "overdue", "last_update")


def summary(plan: Store, *, scope: Scope, today: date) -> pd.DataFrame:
    """Every region of the scope (the ministry: all 20, with zeros where nothing is marked; an akimat: its own)
    with its plan's counts: marked, planned, inspected, overdue (planned for a day before `today` and not yet
    marked inspected) and the last update (None if never marked). SUMMARY_COLUMNS, by region code."""
    regions = sorted(scope.regions) if scope.regions is not None else list(REGION_CODES)
    found = marks(plan, scope=scope)
    out = pd.DataFrame({"region": regions})
    if found.empty:
        counts = pd.DataFrame({"region": regions, "planned": 0, "inspected": 0, "overdue": 0, "last_update": None})
    else:
        found = found.assign(planned=found["status"].eq("planned"), inspected=found["status"].eq("inspected"),
                             overdue=found["status"].eq("planned") & (found["date"] < today))
        counts = found.groupby("region", as_index=False).agg(
            planned=("planned", "sum"), inspected=("inspected", "sum"), overdue=("overdue", "sum"),
            last_update=("updated", "max"))
    out = out.merge(counts, on="region", how="left", validate="one_to_one")
    for column in ("planned", "inspected", "overdue"):
        out[column] = out[column].fillna(0).astype(int)
    out["marked"] = out["planned"] + out["inspected"]
    out["last_update"] = out["last_update"].astype("object").where(out["last_update"].notna(), None)
    return out[list(SUMMARY_COLUMNS)].reset_index(drop=True)


RECONCILE_COLUMNS: tuple[str, ...] = ("bin", "region", "status", "date", "user", "problem")
# no_event: a mark with no plan_mark event for its BIN (written past the app); differs: the latest event says
# another status, date or user; not_stored: the latest event marks it but the file has no mark (removed past the
# app, or a write that failed after it was logged).
PROBLEMS: tuple[str, ...] = ("no_event", "differs", "not_stored")


def reconcile(plan: Store, *, events: Iterable[Any], scope: Scope) -> pd.DataFrame:
    """The marks the audit log does not account for. The app logs every mark and removal (`plan_mark`: object the
    BIN; detail status, date) before it writes, so in an untouched plan file each mark equals its BIN's latest
    event. `events`: data.audit.AuditLog.events() (objects with user, action, object, detail). Returns
    RECONCILE_COLUMNS, one row per problem (PROBLEMS); not_stored is checked for the whole country only, since an
    event does not name its region."""
    latest: dict[str, Any] = {}
    for event in events:
        if event.action == "plan_mark":
            latest[str(event.object)] = event
    found = marks(plan, scope=scope)
    rows: list[tuple[object, ...]] = []
    for m in found.itertuples(index=False):
        event = latest.get(str(m.bin))
        if event is None:
            rows.append((m.bin, m.region, m.status, m.date, m.user, "no_event"))
        elif (event.detail.get("status"), event.detail.get("date"), event.user) != (m.status, str(m.date), m.user):
            rows.append((m.bin, m.region, m.status, m.date, m.user, "differs"))
    if scope.is_country:
        stored = set(found["bin"].astype(str))
        for bin, event in latest.items():
            if event.detail.get("status") in STATUSES and bin not in stored:
                rows.append((bin, None, event.detail.get("status"), event.detail.get("date"), event.user, "not_stored"))
    return pd.DataFrame(rows, columns=list(RECONCILE_COLUMNS))


__all__ = ["COLUMNS", "ERROR_CODES", "PLAN_TABLE", "STATUSES", "SUMMARY_COLUMNS", "Mark", "PlanError", "ScopeError", "mark", "marks",
           "open_plan", "plan_path", "reconcile", "summary", "unmark"]
