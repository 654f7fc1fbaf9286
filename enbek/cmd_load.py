"""`enbek load TABLE FILE`: validate a file and load it into the store."""

from __future__ import annotations

import argparse
from pathlib import Path

from data.schemas import SCHEMAS


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("table", choices=list(SCHEMAS), help="the input table the file holds")
    parser.add_argument("file", type=Path, help="CSV (UTF-8 or Windows-1251; ',', ';' or tab), XLSX or Parquet; "
                        "for self_assessments the self-check inbox directory (ENBEK_INBOX_DIR)")
    parser.add_argument("--store", type=Path, default=None, help="store path (default: ENBEK_STORE)")
    parser.add_argument("--strict", action="store_true", help="exit with status 1 if any row is rejected")


def run(args: argparse.Namespace) -> int:
    from data.loader import InputFileError, SchemaError, load_file
    from data.store import StoreError, open_store
    from enbek.cli import CommandError

    try:
        store = open_store(args.store)
    except StoreError as exc:
        raise CommandError(str(exc)) from exc
    from data.inbox import InboxError, load_inbox

    try:
        # Self-assessments come only from the inbox, whose one-time codes and hash chain are checked on import.
        report = load_inbox(store, args.file) if args.table == "self_assessments" else load_file(store, args.table, args.file)
    except (InputFileError, SchemaError, InboxError) as exc:
        raise CommandError(f"{exc} (nothing was loaded)") from exc
    finally:
        store.close()
    print(f"{args.file}: read {report.read}, loaded {report.loaded}, rejected {report.rejected}")
    if report.rejected:
        print(f"rejected rows with their row number, column and reason: {report.rejects_path}")
        for line in report.rejects.head(10).itertuples(index=False):
            print(f"  row {line.row}, column {line.column}: {line.reason} (value {line.value!r})")
        if len(report.rejects) > 10:
            print(f"  ... and {len(report.rejects) - 10} more problems in the report")
    return 1 if (args.strict and report.rejected) else 0
