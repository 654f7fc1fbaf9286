"""`enbek load TABLE FILE`: validate a file and load it into the store."""

from __future__ import annotations

import argparse
from pathlib import Path

from data.schemas import SCHEMAS


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("table", choices=list(SCHEMAS), help="the input table the file holds")
    parser.add_argument("file", type=Path, help="CSV (UTF-8, Windows-1251 or UTF-16; ',', ';', tab or '|'), XLSX or Parquet; "
                        "for self_assessments the self-check inbox directory (ENBEK_INBOX_DIR)")
    parser.add_argument("--store", default=None, help="store path or postgresql:// URL (default: ENBEK_STORE)")
    parser.add_argument("--strict", action="store_true", help="exit with status 1 if any row is rejected or the file has no data rows")


def run(args: argparse.Namespace) -> int:
    from data.inbox import InboxError, load_inbox
    from data.loader import InputFileError, SchemaError, load_file
    from data.store import StoreError, writing
    from enbek.cli import CommandError

    # Into a copy of the DuckDB file swapped in at the end (or one PostgreSQL transaction), so a running
    # app keeps serving the old data meanwhile and picks up the new data on its next page run.
    try:
        with writing(args.store) as store:
            # Self-assessments come only from the inbox, whose one-time codes and hash chain are checked on import.
            report = load_inbox(store, args.file) if args.table == "self_assessments" else load_file(store, args.table, args.file)
    except (InputFileError, SchemaError, InboxError) as exc:
        raise CommandError(f"{exc} (nothing was loaded)") from exc
    except StoreError as exc:
        raise CommandError(str(exc)) from exc
    if report.read == 0:
        # A header and no data rows is usually a wrong export; say so instead of a quiet success.
        print(f"{args.file}: 0 rows (the file has a header but no data rows); nothing was loaded")
        return 1 if args.strict else 0
    print(f"{args.file}: read {report.read}, loaded {report.loaded} (replaced {report.replaced}), rejected {report.rejected}")
    for message in report.messages:
        print(f"note: {message}")
    if len(report.notes):
        print(f"{len(report.notes)} loaded value(s) were stored differently from how they were written:")
        for line in report.notes.head(10).itertuples(index=False):
            print(f"  row {line.row}, column {line.column}: {line.value!r} stored as {line.stored!r} ({line.note})")
        if len(report.notes) > 10:
            print(f"  ... and {len(report.notes) - 10} more")
    if report.rejected:
        print(f"rejected rows with their row number, column and reason: {report.rejects_path}")
        for line in report.rejects.head(10).itertuples(index=False):
            value = line.value if len(str(line.value)) <= 60 else str(line.value)[:57] + "..."
            print(f"  row {line.row}, column {line.column}: {line.reason} (value {value!r})")
        if len(report.rejects) > 10:
            print(f"  ... and {len(report.rejects) - 10} more problems in the report")
    return 1 if (args.strict and report.rejected) else 0
