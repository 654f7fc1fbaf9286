"""`enbek status`: what is in the store."""

from __future__ import annotations

import argparse
from pathlib import Path


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--store", type=Path, default=None, help="store path (default: ENBEK_STORE)")


def run(args: argparse.Namespace) -> int:
    from data.schemas import SCHEMAS
    from enbek.cli import open_existing_store

    store = open_existing_store(args.store, read_only=True)
    with store:
        print(f"store: {store.path}")
        print(f"dataset: {store.get_meta('dataset', 'unlabelled')}; data as of: {store.get_meta('data_as_of', 'unknown')}; version: {store.version}")
        tables = store.tables()
        width = max(len(t) for t in tables) if tables else 10
        for table in tables:
            kind = "input" if table in SCHEMAS else "derived"
            print(f"  {table:<{width}}  {store.count(table):>10,}  {kind}".replace(",", " "))
        rejects = sorted((store.path.parent / "rejects").glob("*.rejects.csv"))
        if rejects:
            print(f"rejects reports: {len(rejects)} in {store.path.parent / 'rejects'}")
    return 0
