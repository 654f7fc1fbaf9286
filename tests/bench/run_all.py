"""`make bench`: run every tests/bench/bench_*.py in its own process and collect their summary lines.

A national-scale demo store is built once into a temporary directory and shared through ENBEK_STORE
(unless ENBEK_STORE already names an existing store), so each benchmark measures its own work."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]


def main() -> int:
    benches = sorted(HERE.glob("bench_*.py"))
    only = sys.argv[1:]
    if only:
        benches = [b for b in benches if any(name in b.stem for name in only)]
    env = dict(os.environ)
    tmp = tempfile.TemporaryDirectory(prefix="enbek-bench-")
    store = env.get("ENBEK_STORE")
    if not store or not Path(store).exists():
        env["ENBEK_DATA_DIR"] = tmp.name
        env["ENBEK_STORE"] = str(Path(tmp.name) / "national.duckdb")
        print(f"building the national demo store once for the benchmarks: {env['ENBEK_STORE']}", flush=True)
        started = time.perf_counter()
        subprocess.run([sys.executable, "-m", "enbek.cli", "build-demo", "--store", env["ENBEK_STORE"]], cwd=ROOT, env=env, check=True)
        print(f"store built in {time.perf_counter() - started:.1f} s", flush=True)
    summaries: list[str] = []
    failed: list[str] = []
    for bench in benches:
        print(f"\n=== {bench.name}", flush=True)
        proc = subprocess.run([sys.executable, str(bench)], cwd=ROOT, env=env, capture_output=True, text=True)
        sys.stdout.write(proc.stdout)
        sys.stderr.write(proc.stderr[-4000:])
        lines = [line for line in proc.stdout.strip().splitlines() if line.strip()]
        if proc.returncode != 0 or not lines:
            failed.append(bench.name)
            continue
        summaries.append(lines[-1])
    tmp.cleanup()
    print("\n=== summary")
    for line in summaries:
        print(line)
    for name in failed:
        print(f"FAILED {name}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
