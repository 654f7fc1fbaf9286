"""`enbek status`: what is in the store."""

from __future__ import annotations

import argparse
import sys


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--store", default=None, help="store path or postgresql:// URL (default: ENBEK_STORE)")
    parser.add_argument(
        "--check", action="store_true",
        help="read every block of every table (DuckDB checks each block's checksum); exit 1 on corruption",
    )


def run(args: argparse.Namespace) -> int:
    from data.loader import rejects_dir
    from data.schemas import SCHEMAS
    from enbek.cli import open_existing_store

    store = open_existing_store(args.store, read_only=True)
    with store:
        print(f"store: {store.location}")
        print(f"dataset: {store.get_meta('dataset', 'unlabelled')}; data as of: {store.get_meta('data_as_of', 'unknown')}; version: {store.version}")
        tables = store.tables()
        width = max(len(t) for t in tables) if tables else 10
        for table in tables:
            kind = "input" if table in SCHEMAS else "derived"
            print(f"  {table:<{width}}  {store.count(table):>10,}  {kind}".replace(",", " "))
        rejects = sorted(rejects_dir(store).glob("*.rejects.csv"))
        if rejects:
            print(f"rejects reports: {len(rejects)} in {rejects_dir(store)}")
        if args.check:
            problems = store.check_integrity()
            for problem in problems:
                print(f"CORRUPT: table {problem.table}: {problem.message}", file=sys.stderr)
            if problems:
                print(f"store {store.location}: {len(problems)} table(s) cannot be read in full; restore it from a backup "
                      "or rebuild it with 'enbek load'", file=sys.stderr)
                return 1
            print(f"integrity check: every block of {len(store.tables())} tables and the metadata read without error")
    return 0
