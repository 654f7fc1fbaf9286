"""Build time of the default (national-scale) demo store, with the calibration table it reaches.

Builds the demo at ENBEK_DEMO_SEED / ENBEK_DEMO_SCALE (defaults: seed 2024, scale 1.0) into a temporary
store, through the same Parquet files and loader as `enbek build-demo`. Prints each step, the calibration
table, the generation share of the time, and ends with one line `demo build_s=... enterprises=... employees=...`.
Usage: python tests/bench/bench_demo.py [--runs N]   (default 1 run: a build takes about a minute)
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))


def _printer(started: float):  # a tiny closure: progress lines with elapsed time
    def say(message: str) -> None:
        print(f"  [{time.perf_counter() - started:5.1f} s] {message}", flush=True)

    return say


def main() -> int:
    from data import settings
    from data.demo import build_demo, generate
    from data.demo.calibration import format_table
    from data.store import open_store

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=1)
    args = parser.parse_args()
    seed = settings.get_int("ENBEK_DEMO_SEED")
    scale = settings.get_float("ENBEK_DEMO_SCALE")

    t0 = time.perf_counter()
    c0 = time.process_time()
    generate(seed=seed, scale=scale)
    print(f"generation alone: {time.perf_counter() - t0:.1f} s wall, {time.process_time() - c0:.1f} s CPU", flush=True)

    times: list[float] = []
    cpu: list[float] = []
    summary = None
    for run in range(args.runs):
        with tempfile.TemporaryDirectory(prefix="enbek-bench-demo-") as tmp:
            store = open_store(Path(tmp) / "demo.duckdb")
            started = time.perf_counter()
            c0 = time.process_time()
            summary = build_demo(store, seed=seed, scale=scale, progress=_printer(started))
            cpu.append(time.process_time() - c0)
            store.close()
        times.append(summary.seconds)
        print(f"run {run + 1}: {summary.seconds:.1f} s wall, {cpu[-1]:.1f} s CPU (this process)", flush=True)
    assert summary is not None
    print()
    print(format_table(summary.calibration))
    checked = summary.calibration[summary.calibration["checked"]]
    print(f"\nchecked figures within tolerance: {int(checked['ok'].sum())} of {len(checked)}")
    print(f"demo build_s={statistics.median(times):.1f} enterprises={summary.enterprises} employees={summary.employees}")
    return 0 if summary.calibrated else 1


if __name__ == "__main__":
    sys.exit(main())
