"""`enbek score`: compute the integral risk degree of every enterprise and store table enterprise_risk."""

from __future__ import annotations

import argparse
from pathlib import Path


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--year", type=int, default=None, help="year to score (default: the latest year with data)")
    parser.add_argument("--store", type=Path, default=None, help="store path (default: ENBEK_STORE)")


def run(args: argparse.Namespace) -> int:
    import time

    from enbek.cli import CommandError, open_existing_store
    from osh.risk import RiskConfigError, RiskDataError, compute_and_store_risk

    store = open_existing_store(args.store, read_only=False)
    with store:
        started = time.perf_counter()
        try:
            frame = compute_and_store_risk(store, year=args.year)
        except (RiskConfigError, RiskDataError) as exc:
            raise CommandError(str(exc)) from exc
        took = time.perf_counter() - started
    counts = frame["degree"].value_counts()
    print(
        f"scored {len(frame)} enterprises for {frame.attrs['year']} (window {frame.attrs['window']}) in {took:.2f} s: "
        + ", ".join(f"{d} {int(counts.get(d, 0))}" for d in ("low", "medium", "high"))
        + f"; assessed {int(frame['assessed'].sum())}"
    )
    return 0
