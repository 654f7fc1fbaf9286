"""`enbek score`: compute the integral risk degree of every enterprise and store table enterprise_risk."""

from __future__ import annotations

import argparse


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--year", type=int, default=None, help="year to score (default: the latest year with data)")
    parser.add_argument("--store", default=None, help="store path or postgresql:// URL (default: ENBEK_STORE)")


def run(args: argparse.Namespace) -> int:
    import time

    from enbek.cli import CommandError, writing_existing_store
    from osh.risk import RiskConfigError, RiskDataError, compute_and_store_risk

    with writing_existing_store(args.store) as store:
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
