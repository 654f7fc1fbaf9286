"""Benchmark: precision and recall of the desk checks against the demo generator's planted truth, and their time.

Uses the demo store named by ENBEK_STORE when it exists and holds demo_truth (make bench builds the national demo
once); otherwise builds the demo at BENCH_DESK_SCALE (default 0.05) with BENCH_DESK_SEED (default 2024). Ends with
one summary line: `deskcheck precision=... recall=... flagged=... planted=... seconds=...`."""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))


def _store() -> tuple[object, str]:
    from data.store import open_store

    path = os.environ.get("ENBEK_STORE")
    if path and Path(path).exists():
        store = open_store(Path(path), read_only=True)
        if store.has_table("demo_truth") and "desk_truth" in store.read("demo_truth").columns:
            return store, f"store {path}"
        store.close()
    from data.demo import build_demo
    from osh.risk import compute_and_store_risk

    scale = float(os.environ.get("BENCH_DESK_SCALE", "0.05"))
    seed = int(os.environ.get("BENCH_DESK_SEED", "2024"))
    tmp = Path(tempfile.mkdtemp(prefix="enbek-bench-desk-"))
    os.environ["ENBEK_DATA_DIR"] = str(tmp)
    store = open_store(tmp / "bench.duckdb")
    build_demo(store, seed=seed, scale=scale)
    compute_and_store_risk(store)
    store.close()
    return open_store(tmp / "bench.duckdb", read_only=True), f"demo built at scale {scale:g}, seed {seed}"


def main() -> int:
    import pandas as pd

    from data.scope import Scope
    from osh import desk_checks

    store, what = _store()
    print(f"desk checks on {what}")
    started = time.perf_counter()
    flagged = desk_checks.flags(store, scope=Scope.country())
    seconds = time.perf_counter() - started
    m = desk_checks.measure(store, flagged=flagged)
    with pd.option_context("display.width", 160, "display.max_columns", 10):
        print("\nper rule (precision: flagged enterprises that conceal the rule's kind; rules without a kind find a "
              "visible breach or a priority and have no hidden truth to measure):")
        print(m.per_rule.to_string(index=False, float_format=lambda v: f"{v:.3f}"))
        print("\nper planted kind:")
        print(m.per_kind.to_string(index=False, float_format=lambda v: f"{v:.3f}"))
    print(f"\nflags of every rule: {len(flagged)} on {flagged['bin'].nunique()} enterprises in {seconds:.2f} s")
    print(f"deskcheck precision={m.precision:.3f} recall={m.recall:.3f} flagged={m.flagged} "
          f"true={m.true_flagged} planted={m.planted} seconds={seconds:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
