"""Benchmark: the full indicator cube (every year x region x section, both bases' shape) and the integral degree
of every enterprise of the national demo store. Prints medians of several runs; the last line is the summary."""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

RUNS = 5


def _store_path() -> tuple[Path, tempfile.TemporaryDirectory[str] | None]:
    given = os.environ.get("ENBEK_STORE")
    if given and Path(given).exists():
        return Path(given), None
    tmp = tempfile.TemporaryDirectory(prefix="enbek-bench-ind-")
    path = Path(tmp.name) / "national.duckdb"
    from data.demo import build_demo
    from data.store import open_store

    print(f"building a national demo store (scale 1.0) in {path}", flush=True)
    started = time.perf_counter()
    with open_store(path) as store:
        build_demo(store, seed=2024, scale=1.0)
    print(f"built in {time.perf_counter() - started:.1f} s", flush=True)
    return path, tmp


def _median(fn, runs: int = RUNS) -> tuple[float, object]:
    times = []
    cpu = []
    result = None
    for _ in range(runs):
        t0, c0 = time.perf_counter(), time.process_time()
        result = fn()
        times.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)
    print(f"  runs: {', '.join(f'{t:.3f}' for t in times)} s wall; CPU median {statistics.median(cpu):.3f} s"
          f" (all threads); load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores", flush=True)
    return statistics.median(times), result


def main() -> int:
    from data.store import open_store
    from osh import indicators, risk

    path, tmp = _store_path()
    with open_store(path, read_only=True) as store:
        print("indicator cube, current basis (national, region, sector, region x sector for every year):")
        cube_s, cube = _median(lambda: indicators.cube(store, basis="current"))
        print(f"  rows {len(cube)}, median {cube_s:.3f} s")  # type: ignore[arg-type]
        print("integral risk degree of every enterprise (enterprise_risk):")
        degree_s, table = _median(lambda: risk.enterprise_risk(store))
        n = len(table)  # type: ignore[arg-type]
        counts = table["degree"].value_counts(normalize=True)  # type: ignore[index]
        print(f"  enterprises {n}, median {degree_s:.3f} s; degrees " + ", ".join(f"{d} {counts.get(d, 0):.1%}" for d in risk.DEGREES))
    if tmp is not None:
        tmp.cleanup()
    print(f"indicators cube_s={cube_s:.3f} degree_s={degree_s:.3f} enterprises={n}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
