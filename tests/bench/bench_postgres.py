"""Benchmark: the PostgreSQL store beside DuckDB on the same demo: the indicator cube, the integral degree of every
enterprise, the map's filter change (dashboard.official_views.build_map, warm: the page's server work for one
widget change; goal <= 250 ms) and the bare filtered read under it, and a 300 000-row load.

Input: under `make bench` the national demo store that tests/bench/run_all.py built (ENBEK_STORE, read-only, 400 000
enterprises), copied table by table into PostgreSQL (COPY, through PostgresStore.upsert/write_table); standalone, a
demo built here at ENBEK_BENCH_PG_SCALE (default 1.0, the national scale). A throwaway cluster is started
(tests/pg_cluster.py: Unix socket only, no TCP listener) unless ENBEK_BENCH_PG_URL names a server.
Prints every run and its median (RUNS runs, ENBEK_BENCH_PG_RUNS); the last line is the summary with the ratios
PostgreSQL / DuckDB.
"""

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

RUNS = int(os.environ.get("ENBEK_BENCH_PG_RUNS", "5"))
LOAD_ROWS = 300_000


_TICK = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
_server_pid: int | None = None  # the local cluster's postmaster, whose CPU counts as PostgreSQL's work


def _proc_cpu(pid: int, *, children: bool) -> float:
    """CPU seconds of a process from /proc (with the reaped children's when `children`); 0 when it is gone."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    ticks = int(fields[11]) + int(fields[12]) + ((int(fields[13]) + int(fields[14])) if children else 0)
    return ticks / _TICK


def _cpu_now() -> float:
    """CPU seconds used so far by this process (all threads: DuckDB's work and the client's decoding) and, when a
    local cluster runs, by the whole PostgreSQL server: the postmaster with its exited children (parallel workers)
    and its live backends. On a shared, busy machine this is the stable measure of the work; wall time is not."""
    total = time.process_time()
    if _server_pid is not None:
        total += _proc_cpu(_server_pid, children=True)
        for child in Path("/proc").iterdir():
            if child.name.isdigit():
                try:
                    stat = (child / "stat").read_text()
                except OSError:
                    continue
                if int(stat.rsplit(")", 1)[1].split()[1]) == _server_pid:
                    total += _proc_cpu(int(child.name), children=False)
    return total


CPU: dict[str, float] = {}  # label -> median CPU seconds of the last _median call with that label


def _median(label: str, fn: Callable[[], Any], runs: int = RUNS, *,
            setup: Callable[[], Any] | None = None) -> tuple[float, Any]:
    times: list[float] = []
    cpus: list[float] = []
    result = None
    for _ in range(runs):
        if setup is not None:
            setup()
        c0 = _cpu_now()
        t0 = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t0)
        cpus.append(_cpu_now() - c0)
    CPU[label] = statistics.median(cpus)
    print(f"  {label}: {', '.join(f'{t:.3f}' for t in times)} s; median {statistics.median(times):.3f} s wall, "
          f"{CPU[label]:.3f} s CPU; load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores", flush=True)
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


# The map page's widget changes, as tests/bench/bench_map.py measures them on DuckDB: country aggregates, one
# filter at a time, a region, a region and a section (points), another measure.
def _map_selections() -> list[Any]:
    from dashboard.official_views import MapSelection

    return [
        MapSelection(),
        MapSelection(section="C"),
        MapSelection(size_class="small"),
        MapSelection(degree="high"),
        MapSelection(assessed=False),
        MapSelection(insured=True, layer="insurance"),
        MapSelection(layer="injuries", aggregate_by="regions"),
        MapSelection(region="75"),
        MapSelection(region="35", section="B"),
        MapSelection(measure="expected_harm"),
    ]


def _map_filter_ms(store: Any) -> tuple[float, float, float, dict[str, float]]:
    """Server time of one map filter change, warm: the map base (every enterprise's aggregation inputs, read once per
    store version and shared by all sessions) loaded, each selection drawn once; then RUNS rounds over the
    selections. Returns (median ms over all changes, mean CPU ms per change, base load s, median ms per selection)."""
    from dashboard import official_views as mv
    from data.scope import Scope
    from geo.boundaries import ATTRIBUTION, load_boundaries
    from layers.regions_geo import to_geojson

    outlines = to_geojson(load_boundaries(), tolerance=0.02, precision=3)
    t0 = time.perf_counter()
    base = mv.load_base(store)
    base.hex(mv.COUNTRY_RESOLUTION)
    base_s = time.perf_counter() - t0
    selections = _map_selections()

    def draw(sel: Any) -> Any:
        view = mv.build_map(store, scope=Scope.country(), selection=sel, lang="en", outlines=outlines,
                            attribution=ATTRIBUTION, base=base)
        view.deck.to_json()  # serialisation is server work too
        return view

    for sel in selections:  # warm-up: caches, the region-level H3 index
        draw(sel)
    per: dict[str, list[float]] = {}
    c0 = _cpu_now()
    for _ in range(RUNS):
        for sel in selections:
            t = time.perf_counter()
            view = draw(sel)
            label = ",".join(f"{k}={v}" for k, v in vars(sel).items() if v != getattr(mv.MapSelection(), k)) or "country"
            per.setdefault(f"{label} -> {view.mode} {view.shown}", []).append((time.perf_counter() - t) * 1000)
    cpu_ms = (_cpu_now() - c0) * 1000 / (RUNS * len(selections))
    every = [x for v in per.values() for x in v]
    return statistics.median(every), cpu_ms, base_s, {k: statistics.median(v) for k, v in per.items()}


def _copy_into(pg: Any, duck: Any) -> None:
    """Every table of the DuckDB store into PostgreSQL: contract tables by upsert (COPY + one INSERT), derived
    tables (enterprise_risk, demo_truth, ...) by write_table (COPY), then the metadata."""
    from data.schemas import SCHEMAS

    for table in duck.tables():
        frame = duck.read(table)
        if table in SCHEMAS:
            pg.upsert(table, frame, key=list(SCHEMAS[table].key))
        else:
            pg.write_table(table, frame)
    meta = duck.sql("SELECT key, value FROM _meta")
    for key, value in zip(meta["key"], meta["value"], strict=True):
        if key != "version":
            pg.set_meta(str(key), str(value))


def main() -> int:
    from data.scope import Scope
    from data.store import DuckDBStore, Store
    from osh import enterprises as ent
    from osh import indicators, risk

    tmp = tempfile.TemporaryDirectory(prefix="enbek-bench-pg-")
    given = os.environ.get("ENBEK_STORE", "")
    national = bool(given) and Path(given).is_file()
    scale = 1.0 if national else float(os.environ.get("ENBEK_BENCH_PG_SCALE", "1.0"))
    os.environ["ENBEK_DATA_DIR"] = tmp.name
    cluster = None
    url = os.environ.get("ENBEK_BENCH_PG_URL")
    if not url:
        from tests.pg_cluster import start_cluster

        cluster = start_cluster()
        url = cluster.url(schema=cluster.new_schema())
        global _server_pid
        _server_pid = int((cluster.data / "postmaster.pid").read_text().split()[0])
    from data.pg import PostgresStore

    pg = PostgresStore(url)
    duck: DuckDBStore | None = None
    try:
        t0 = time.perf_counter()
        if national:
            print(f"the national demo store {given} (read-only) copied into PostgreSQL", flush=True)
            duck = DuckDBStore(Path(given), read_only=True)
        else:
            from data.demo import build_demo

            print(f"building the demo at scale {scale:g} into DuckDB and copying it into PostgreSQL", flush=True)
            duck = DuckDBStore(Path(tmp.name) / "demo.duckdb")
            build_demo(duck, seed=2024, scale=scale)
            risk.compute_and_store_risk(duck)
        t_copy = time.perf_counter()
        _copy_into(pg, duck)
        n = duck.count("enterprises")
        print(f"  {n} enterprises; {time.perf_counter() - t_copy:.1f} s to copy every table into PostgreSQL "
              f"({time.perf_counter() - t0:.1f} s in all)", flush=True)
        assert pg.count("enterprises") == n
        assert pg.count("enterprise_risk") == duck.count("enterprise_risk")

        engines: dict[str, Store] = {"duckdb": duck, "postgres": pg}
        filters = ent.EnterpriseFilter(regions=frozenset({"35"}), degrees=frozenset({"high", "medium"}))
        out: dict[str, dict[str, float]] = {}
        for name, store in engines.items():
            print(f"{name}:", flush=True)
            cube_s, cube = _median(f"{name} indicator cube (current basis)", lambda s=store: indicators.cube(s, basis="current"))
            degree_s, degrees = _median(f"{name} integral degree of every enterprise", lambda s=store: risk.enterprise_risk(s))
            read_s, rows = _median(f"{name} filtered read (region 35, high+medium degree; bin, lat, lon, score)",
                                   lambda s=store: ent.query(s, scope=Scope.country(), filters=filters,
                                                             columns=["bin", "lat", "lon", "score"]))
            map_ms, map_cpu_ms, base_s, per = _map_filter_ms(store)
            print(f"  map base (every enterprise read once per store version, cold): {base_s:.2f} s", flush=True)
            print(f"  map filter change, warm (build_map + JSON), median {map_ms:.0f} ms wall, mean {map_cpu_ms:.0f} ms "
                  f"CPU over {RUNS} rounds:", flush=True)
            for label, ms in per.items():
                print(f"    {label}: {ms:.0f} ms", flush=True)
            print(f"    cube rows {len(cube)}, degrees {len(degrees)}, filtered enterprises {len(rows)}", flush=True)
            out[name] = {"cube_s": cube_s, "degree_s": degree_s, "read_ms": read_s * 1000, "filter_ms": map_ms,
                         "base_s": base_s, "cpu_cube_s": CPU[f"{name} indicator cube (current basis)"],
                         "cpu_degree_s": CPU[f"{name} integral degree of every enterprise"], "cpu_filter_ms": map_cpu_ms}

        big = _big_frame(LOAD_ROWS)
        for name in ("duckdb", "postgres"):
            target: Store = DuckDBStore(Path(tmp.name) / "load.duckdb") if name == "duckdb" else PostgresStore(
                cluster.url(schema=cluster.new_schema()) if cluster else url)
            try:
                load_s, loaded = _median(f"{name}: upsert {LOAD_ROWS} enterprise rows into an empty table (one transaction)",
                                         lambda t=target: t.upsert("enterprises", big, key=["bin"]), runs=3,
                                         setup=lambda t=target: t.clear(["enterprises"]))
                assert loaded == LOAD_ROWS
                again_s, _ = _median(f"{name}: upsert the same {LOAD_ROWS} rows again (every row replaced)",
                                     lambda t=target: t.upsert("enterprises", big, key=["bin"]), runs=3)
                out[name]["load_300k_s"] = load_s
                out[name]["cpu_load_300k_s"] = CPU[f"{name}: upsert {LOAD_ROWS} enterprise rows into an empty table (one transaction)"]
                out[name]["reload_300k_s"] = again_s
            finally:
                target.close()
    finally:
        pg.close()
        if duck is not None:
            duck.close()
        if cluster is not None:
            cluster.stop()
        tmp.cleanup()
    p, d = out["postgres"], out["duckdb"]
    keys = ("cube_s", "degree_s", "filter_ms", "read_ms", "load_300k_s")
    ratios = " ".join(f"x_{k.rsplit('_', 1)[0]}={p[k] / d[k]:.2f}" for k in keys)
    cpu_keys = ("cpu_cube_s", "cpu_degree_s", "cpu_filter_ms", "cpu_load_300k_s")
    cpu_ratios = " ".join(f"x_{k.rsplit('_', 1)[0]}={p[k] / d[k]:.2f}" for k in cpu_keys)
    print("CPU seconds (this process + the PostgreSQL server), median: " + " ".join(
        f"{engine}_{k}={v[k]:.3f}" for engine, v in (("postgres", p), ("duckdb", d)) for k in cpu_keys) + f" {cpu_ratios}")
    print(f"postgres cube_s={p['cube_s']:.3f} degree_s={p['degree_s']:.3f} filter_ms={p['filter_ms']:.0f} "
          f"read_ms={p['read_ms']:.1f} load_300k_s={p['load_300k_s']:.2f} "
          f"duckdb_cube_s={d['cube_s']:.3f} duckdb_degree_s={d['degree_s']:.3f} duckdb_filter_ms={d['filter_ms']:.0f} "
          f"duckdb_read_ms={d['read_ms']:.1f} duckdb_load_300k_s={d['load_300k_s']:.2f} {ratios} {cpu_ratios} "
          f"enterprises={n} scale={scale:g} load_avg={os.getloadavg()[0]:.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
