"""`enbek build-demo`: generate the calibrated demo country and load it into the store."""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--seed", type=int, default=None, help="generator seed (default: ENBEK_DEMO_SEED)")
    parser.add_argument("--scale", type=float, default=None,
                        help="fraction of the national scale, 1.0 = about 400 000 enterprises (default: ENBEK_DEMO_SCALE)")
    parser.add_argument("--store", default=None, help="store path or postgresql:// URL (default: ENBEK_STORE)")
    parser.add_argument("--workdir", default=None,
                        help="keep the generated Parquet files in this directory (default: a temporary directory)")
    parser.add_argument("--no-score", action="store_true",
                        help="do not compute the enterprise risk table afterwards (run 'enbek score' later)")


def run(args: argparse.Namespace) -> int:
    from pathlib import Path

    from data import settings
    from data.demo import DemoBuildError, DemoError, build_demo
    from data.demo.calibration import format_table
    from data.store import StoreError, resolve_location, writing
    from enbek.cli import CommandError

    try:
        seed = args.seed if args.seed is not None else settings.get_int("ENBEK_DEMO_SEED")
        scale = args.scale if args.scale is not None else settings.get_float("ENBEK_DEMO_SCALE")
    except settings.SettingError as exc:
        raise CommandError(str(exc)) from exc
    path = resolve_location(args.store)
    started = time.perf_counter()

    def progress(message: str) -> None:
        print(f"[{time.perf_counter() - started:5.1f} s] {message}", flush=True)

    # A new DuckDB file swapped in at the end (data.store.writing), so an interrupted build never leaves a
    # half-filled store that `make run` would then reuse, and a running app keeps reading the old one.
    try:
        with writing(path, fresh=True) as store:
            shown = store.location if isinstance(path, str) else str(path)  # a URL without its password
            summary = build_demo(store, seed=seed, scale=scale,
                                 workdir=Path(args.workdir) if args.workdir else None, progress=progress)
            if not args.no_score:
                _score(store, progress)
    except (DemoError, DemoBuildError, StoreError) as exc:
        raise CommandError(str(exc)) from exc
    print()
    print(f"Calibration (seed {seed}, scale {scale:g}; counts compared with official x scale):")
    print(format_table(summary.calibration))
    print()
    print(f"demo store {shown}: {summary.enterprises:,} enterprises, {summary.employees:,} employees, "
          f"built in {summary.seconds:.1f} s")
    if not summary.calibrated:
        print("warning: some checked figures are outside their tolerance (see 'NO' above)", file=sys.stderr)
        return 1
    return 0


def _score(store: object, progress: Callable[[str], None]) -> None:
    """Store the enterprise risk table (osh.risk) so the app finds it, as `enbek score` would."""
    from enbek.cli import CommandError
    from osh.risk import RiskConfigError, RiskDataError, compute_and_store_risk

    progress("scoring the enterprises (enterprise_risk)")
    try:
        frame = compute_and_store_risk(store, year=None)  # type: ignore[arg-type]
    except (RiskConfigError, RiskDataError) as exc:
        raise CommandError(f"the demo was built but scoring failed: {exc}") from exc
    progress(f"scored {len(frame):,} enterprises")
