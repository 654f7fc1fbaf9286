"""Benchmark: the PostgreSQL store beside DuckDB on the same scaled demo (ENBEK_BENCH_PG_SCALE, default 0.1 =
about 40 000 enterprises): the indicator cube, the integral degree of every enterprise, one map filter, and a
300 000-row upsert. A throwaway cluster is started (tests/pg_cluster.py) unless ENBEK_BENCH_PG_URL names a
server. Prints medians of several runs; the last line is the summary."""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

RUNS = 5
LOAD_ROWS = 300_000


def _median(label: str, fn: Callable[[], Any], runs: int = RUNS, *,
            setup: Callable[[], Any] | None = None) -> tuple[float, Any]:
    times: list[float] = []
    result = None
    for _ in range(runs):
        if setup is not None:
            setup()
        t0 = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t0)
    print(f"  {label}: {', '.join(f'{t:.3f}' for t in times)} s; median {statistics.median(times):.3f} s; "
          f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores", flush=True)
    return statistics.median(times), result


def _big_frame(n: int) -> pd.DataFrame:
    """n enterprise rows (the store does not validate; the loader's validation is benchmarked elsewhere)."""
    rng = np.random.default_rng(7)
    return pd.DataFrame({
        "bin": [f"{i:012d}" for i in range(n)],
        "name": [f"Enterprise {i}" for i in range(n)],
        "kato": rng.choice(["351010000", "751010000", "711010000"], n),
        "oked": rng.choice(["07.10", "47.11", "41.20"], n),
        "employees": rng.integers(1, 500, n),
        "lat": rng.uniform(41, 55, n),
        "lon": rng.uniform(47, 87, n),
        "size_class": None,
        "active": True,
        "harmful_workers": None,
    })


def main() -> int:
    from data.demo import build_demo
    from data.schemas import SCHEMAS
    from data.scope import Scope
    from data.store import DuckDBStore, Store
    from osh import enterprises as ent
    from osh import indicators, risk

    scale = float(os.environ.get("ENBEK_BENCH_PG_SCALE", "0.1"))
    tmp = tempfile.TemporaryDirectory(prefix="enbek-bench-pg-")
    os.environ["ENBEK_DATA_DIR"] = tmp.name
    cluster = None
    url = os.environ.get("ENBEK_BENCH_PG_URL")
    if not url:
        from tests.pg_cluster import start_cluster

        cluster = start_cluster()
        url = cluster.url(schema=cluster.new_schema())
    from data.pg import PostgresStore

    duck = DuckDBStore(Path(tmp.name) / "demo.duckdb")
    pg = PostgresStore(url)
    try:
        print(f"building the demo at scale {scale:g} into DuckDB and copying it into PostgreSQL", flush=True)
        t0 = time.perf_counter()
        build_demo(duck, seed=2024, scale=scale)
        for table, schema in SCHEMAS.items():
            frame = duck.read(table)
            pg.upsert(table, frame, key=list(schema.key))
        for store in (duck, pg):
            risk.compute_and_store_risk(store)
        n = duck.count("enterprises")
        print(f"  {n} enterprises in {time.perf_counter() - t0:.1f} s", flush=True)

        engines: dict[str, Store] = {"duckdb": duck, "postgres": pg}
        filters = ent.EnterpriseFilter(regions=frozenset({"35"}), degrees=frozenset({"high", "medium"}))
        out: dict[str, dict[str, float]] = {}
        for name, store in engines.items():
            print(f"{name}:", flush=True)
            cube_s, cube = _median("indicator cube (current basis)", lambda s=store: indicators.cube(s, basis="current"))
            degree_s, _ = _median("integral degree of every enterprise", lambda s=store: risk.enterprise_risk(s))
            filter_s, rows = _median("map filter (region 35, high+medium degree)",
                                     lambda s=store: ent.query(s, scope=Scope.country(), filters=filters, columns=["bin", "lat", "lon", "score"]))
            print(f"    cube rows {len(cube)}, filtered enterprises {len(rows)}", flush=True)
            out[name] = {"cube_s": cube_s, "degree_s": degree_s, "filter_ms": filter_s * 1000}

        big = _big_frame(LOAD_ROWS)
        for name in ("duckdb", "postgres"):
            target: Store = DuckDBStore(Path(tmp.name) / "load.duckdb") if name == "duckdb" else PostgresStore(
                cluster.url(schema=cluster.new_schema()) if cluster else url)
            try:
                load_s, loaded = _median(f"{name}: upsert {LOAD_ROWS} enterprise rows into an empty table (one transaction)",
                                         lambda t=target: t.upsert("enterprises", big, key=["bin"]), runs=3,
                                         setup=lambda t=target: t.clear(["enterprises"]))
                assert loaded == LOAD_ROWS
                out[name]["load_300k_s"] = load_s
            finally:
                target.close()
    finally:
        pg.close()
        duck.close()
        if cluster is not None:
            cluster.stop()
        tmp.cleanup()
    p, d = out["postgres"], out["duckdb"]
    print(f"postgres cube_s={p['cube_s']:.3f} degree_s={p['degree_s']:.3f} filter_ms={p['filter_ms']:.1f} "
          f"load_300k_s={p['load_300k_s']:.2f} duckdb_cube_s={d['cube_s']:.3f} duckdb_degree_s={d['degree_s']:.3f} "
          f"duckdb_filter_ms={d['filter_ms']:.1f} duckdb_load_300k_s={d['load_300k_s']:.2f} enterprises={n} scale={scale:g}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
