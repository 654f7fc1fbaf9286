"""`enbek load-official`: load the published national series of both official systems (data/published/)."""

from __future__ import annotations

import argparse


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--store", default=None,
                        help="store path or postgresql:// URL (default: ENBEK_STORE); created if missing")
    parser.add_argument("--series", action="append", default=None, metavar="ID",
                        help="load only this series (bns or mlsp; repeatable; default: both)")
    parser.add_argument("--strict", action="store_true", help="exit with status 1 if any row is rejected")


def run(args: argparse.Namespace) -> int:
    from data.loader import InputFileError, SchemaError
    from data.published import PUBLISHED_DIR, SOURCES_FILE, PublishedDataError, load_published
    from data.series import normalise
    from data.store import StoreError, writing
    from enbek.cli import CommandError

    series = tuple(normalise(s) for s in args.series) if args.series else None
    # Into a copy of the DuckDB store swapped in at the end (data.store.writing): a running app keeps serving.
    try:
        with writing(args.store) as store:
            done = load_published(store, series=series)
    except (InputFileError, SchemaError, PublishedDataError) as exc:
        raise CommandError(f"{exc} (the published dataset is broken)") from exc
    except StoreError as exc:
        raise CommandError(str(exc)) from exc
    for report in done.reports:
        print(report.summary())
        for line in report.rejects.head(10).itertuples(index=False):
            print(f"  row {line.row}, column {line.column}: {line.reason} (value {line.value!r})")
    print(f"citations of every figure: {PUBLISHED_DIR / SOURCES_FILE}")
    if done.labelled_real:
        print("the store holds no demo tables: labelled dataset=real")
    else:
        print("the store holds the demo country: it stays labelled as demo")
    return 1 if (args.strict and done.rejected) else 0
