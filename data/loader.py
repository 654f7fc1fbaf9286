"""Load a file or frame into the store: validate every row, keep rejected rows in a report, upsert
the rest atomically. read = loaded + rejected, always."""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa

from data.exports import write_csv
from data.readers import InputFileError, RawTable, read_raw
from data.schemas import Schema, schema
from data.store import Store, owner_only
from data.validate import SchemaError, validate

__all__ = ["InputFileError", "LoadReport", "SchemaError", "load_file", "load_frame", "rejects_dir", "rejects_path"]


@dataclass(frozen=True)
class LoadReport:
    table: str
    source: str
    read: int
    loaded: int
    rejected: int
    rejects: pd.DataFrame = field(repr=False)  # row, column, value, reason (one line per problem)
    rejects_path: Path | None = None
    replaced: int = 0  # of the loaded rows, how many replaced a stored row with the same key
    # loaded rows whose value was stored differently from how it was written (padded BIN, retired code):
    # row, column, value, stored, note
    notes: pd.DataFrame = field(default_factory=pd.DataFrame, repr=False)
    messages: tuple[str, ...] = ()  # file-level facts: a header in thousands, the order of slash dates

    def summary(self) -> str:
        line = f"{self.table}: read {self.read}, loaded {self.loaded} (replaced {self.replaced}), rejected {self.rejected}"
        if self.rejects_path is not None and self.rejected:
            line += f" (rejected rows: {self.rejects_path})"
        return line


def _known_refs(store: Store, table_schema: Schema) -> dict[str, pa.Array]:
    refs: dict[str, pa.Array] = {}
    for target in set(table_schema.references.values()):
        table, column = target.split(".")
        known = store.sql(f'SELECT DISTINCT "{column}" AS v FROM "{table}" WHERE "{column}" IS NOT NULL')["v"]
        refs[target] = pa.array(known.astype(str).to_numpy(dtype=object), type=pa.string())
    return refs


def rejects_dir(store: Store) -> Path:
    return store.rejects_dir


def rejects_path(store: Store, table: str, source: str) -> Path:
    """One report per table and input: the file name plus a short hash of the absolute path, so that
    'jan/accidents.csv' and 'feb/accidents.csv' keep separate reports; loading the same file again replaces its report."""
    stem = re.sub(r"[^\w.-]+", "_", Path(source).name)[:80] or "input"
    where = str(Path(source).expanduser().resolve()) if Path(source).name else source
    digest = hashlib.sha256(where.encode("utf-8")).hexdigest()[:8]
    return rejects_dir(store) / f"{table}__{stem}__{digest}.rejects.csv"


def _write_private(path: Path, frame: pd.DataFrame) -> Path:
    """Write the report beside its final name, owner-only, flushed to disk; the caller renames it into place."""
    with owner_only():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.parent.chmod(0o700)
        tmp = path.with_name(path.name + f".{os.getpid()}.tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
        write_csv(frame, fh)  # formula-looking cells neutralised (data.exports)
        fh.flush()
        os.fsync(fh.fileno())
    return tmp


def load_raw(store: Store, table: str, raw: RawTable | pd.DataFrame, *, source: str,
             extra_errors: pd.DataFrame | None = None) -> LoadReport:
    """Validate raw text cells and upsert the valid rows; write the rejected rows beside the store.
    extra_errors (pos, column, value, reason) are problems a reader found before validation (data.inbox).

    The rejects report is part of the load: it is written (to a temporary name) before the transaction,
    renamed into place inside it, and the load commits only if that worked. A load without rejects removes
    the report an earlier load of the same file left, so a report on disk always describes the latest load."""
    table_schema = schema(table)
    if isinstance(raw, RawTable):
        frame, rows = raw.frame, raw.rows
    else:
        frame = raw.reset_index(drop=True)
        rows = pd.Series(range(1, len(frame) + 1))
    result = validate(table_schema, frame, source=source, known_refs=_known_refs(store, table_schema), rows=rows)
    clean = result.clean
    errors = result.errors
    if extra_errors is not None and len(extra_errors):
        errors = pd.concat([errors, extra_errors[["pos", "column", "value", "reason"]]], ignore_index=True)
        errors = errors.sort_values(["pos", "column"], kind="stable").reset_index(drop=True)
        clean = clean[~clean.index.isin(extra_errors["pos"].tolist())]

    rejects = pd.DataFrame(
        {
            "row": rows.iloc[errors["pos"].to_numpy()].to_numpy() if len(errors) else pd.Series(dtype="int64"),
            "column": errors["column"].to_numpy(),
            "value": errors["value"].to_numpy(),
            "reason": errors["reason"].to_numpy(),
        }
    )
    kept_notes = result.notes[~result.notes["pos"].isin(errors["pos"].tolist())]
    notes = pd.DataFrame(
        {
            "row": rows.iloc[kept_notes["pos"].to_numpy()].to_numpy() if len(kept_notes) else pd.Series(dtype="int64"),
            "column": kept_notes["column"].to_numpy(),
            "value": kept_notes["value"].to_numpy(),
            "stored": kept_notes["stored"].to_numpy(),
            "note": kept_notes["note"].to_numpy(),
        }
    )
    rejected_rows = int(errors["pos"].nunique())
    final = rejects_path(store, table, source)
    tmp: Path | None = None
    if rejected_rows:
        # One line per problem, followed by the rejected row's original cells, so nothing is lost.
        original = frame.iloc[errors["pos"].to_numpy()].reset_index(drop=True).add_prefix("original_")
        tmp = _write_private(final, pd.concat([rejects.reset_index(drop=True), original], axis=1))

    def publish_report() -> None:
        if tmp is not None:
            os.replace(tmp, final)
        else:
            final.unlink(missing_ok=True)

    try:
        outcome = store.upsert_counted(
            table, clean[list(table_schema.names)], key=table_schema.key, before_commit=publish_report
        )
    finally:
        if tmp is not None:
            tmp.unlink(missing_ok=True)  # still there only if the load failed
    report = LoadReport(
        table, source, len(frame), outcome.loaded, rejected_rows, rejects, final if rejected_rows else None,
        replaced=outcome.replaced, notes=notes, messages=result.messages,
    )
    if report.read != report.loaded + report.rejected:  # pragma: no cover - invariant guard
        raise AssertionError(f"counts do not reconcile: {report.summary()}")
    return report


def load_file(store: Store, table: str, path: Path | str) -> LoadReport:
    """Read a CSV/XLSX/Parquet file and load it into `table`. A file that cannot be read at all
    raises InputFileError or SchemaError naming the file, and changes nothing."""
    path = Path(path)
    schema(table)  # unknown table: fail before reading
    raw = read_raw(path)
    return load_raw(store, table, raw, source=str(path))


def load_frame(store: Store, table: str, frame: pd.DataFrame, *, source: str) -> LoadReport:
    """Load an in-memory frame through exactly the validation a file gets (values as text)."""
    text = frame.copy()
    for col in text.columns:
        s = text[col]
        if pd.api.types.is_datetime64_any_dtype(s):
            text[col] = s.dt.strftime("%Y-%m-%d")
        elif pd.api.types.is_float_dtype(s) and col not in ("lat", "lon", "ppe_provision_pct"):
            present = s.dropna()
            # Whole floats print as integers ("12", not "12.0"); 1e19 or inf keep their float spelling and are
            # rejected by the column's range, instead of failing the cast (or wrapping) here.
            exact = np.isfinite(present) & (present.abs() < 2**53) & present.eq(present.round())
            if exact.all():
                text[col] = s.astype("Int64")
            else:
                text[col] = s.map(lambda v: "" if pd.isna(v) else (str(int(v)) if v == v // 1 and abs(v) < 2**53 else repr(float(v))))
    text = text.astype("string").fillna("")
    return load_raw(store, table, text, source=source)
