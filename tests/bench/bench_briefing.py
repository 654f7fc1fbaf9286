"""Benchmark: seconds to render the briefing PDF (national official pack, region pack, each language, CLI end to end).

Uses the store named by ENBEK_STORE when it exists (make bench builds the national demo store once);
otherwise a small synthetic country. Prints medians of several runs and ends with one summary line."""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("MPLBACKEND", "Agg")
RUNS = int(os.environ.get("BENCH_RUNS", "5"))


CPU: dict[str, float] = {}  # median CPU seconds of the last _median call: the work, whatever the box's load


def _median(fn, runs: int = RUNS) -> tuple[float, object]:
    times, cpu, result = [], [], None
    for _ in range(runs):
        started, started_cpu = time.perf_counter(), time.process_time()
        result = fn()
        times.append(time.perf_counter() - started)
        cpu.append(time.process_time() - started_cpu)
    CPU["last"] = statistics.median(cpu)
    return statistics.median(times), result


def _store() -> tuple[object, str, Path | None]:
    from data.store import open_store

    path = os.environ.get("ENBEK_STORE")
    if path and Path(path).exists():
        return open_store(Path(path), read_only=True), f"store {path}", Path(path)
    from osh.risk import compute_and_store_risk
    from tests.unit.layers.test_briefing import _tiny_country

    tmp = Path(tempfile.mkdtemp(prefix="enbek-bench-briefing-"))
    os.environ["ENBEK_DATA_DIR"] = str(tmp)
    store = open_store(tmp / "bench.duckdb")
    _tiny_country(store, n=2000)
    compute_and_store_risk(store)
    store.close()
    return open_store(tmp / "bench.duckdb", read_only=True), "synthetic country of 2 000 enterprises (no ENBEK_STORE)", tmp / "bench.duckdb"


def main() -> int:
    started = time.perf_counter()
    from data.scope import Scope
    from layers.briefing import build_briefing, render_briefing  # noqa: F401 - import cost measured here
    from osh.public import build_public_data

    import_s = time.perf_counter() - started
    store, source, path = _store()
    print(f"data: {source}")
    started = time.perf_counter()
    public = build_public_data(store)  # type: ignore[arg-type]
    public_s = time.perf_counter() - started
    year = int(public.indicators["year"].max())
    print(f"imports {import_s:.2f} s; public tables built once in {public_s:.2f} s; year {year}; {RUNS} runs each")

    def national(lang: str = "kk") -> object:
        return build_briefing(year=year, lang=lang, mode="official", public=public, store=store, scope=Scope.country())

    build_briefing(year=year, lang="kk", mode="public", public=public)  # warm-up: fonts, matplotlib caches
    pdf_s, briefing = _median(national)
    pdf_cpu_s = CPU["last"]
    pages = len(briefing.pages)  # type: ignore[attr-defined]
    size_kib = len(briefing.pdf) // 1024  # type: ignore[attr-defined]
    print(f"national official pack (kk, {pages} pages, {size_kib} KiB): median {pdf_s:.2f} s wall, {pdf_cpu_s:.2f} s CPU")
    per_lang = {}
    for lang in ("ru", "en"):
        per_lang[lang], _ = _median(lambda lang=lang: national(lang), runs=max(1, RUNS // 2))
        print(f"national official pack ({lang}): median {per_lang[lang]:.2f} s")
    public_pdf_s, _ = _median(lambda: build_briefing(year=year, lang="ru", mode="public", public=public))
    print(f"national public pack (ru): median {public_pdf_s:.2f} s")
    region_s, _ = _median(lambda: build_briefing(year=year, lang="kk", region_code="35", mode="official", public=public,
                                                 store=store, scope=Scope.of_regions({"35"})))
    print(f"Karaganda akimat pack (kk): median {region_s:.2f} s wall, {CPU['last']:.2f} s CPU")
    store.close()  # type: ignore[attr-defined]

    # end to end as an operator runs it: a fresh process, imports, tables (published dir or built), PDF
    # (after `enbek publish`: the published tables of this store version are read, not rebuilt)
    from osh.public import write_public_data

    with tempfile.TemporaryDirectory() as tmp:
        write_public_data(public, out_dir=Path(tmp) / "public")
        env = {**os.environ, "ENBEK_MODE": "official", "ENBEK_STORE": str(path), "ENBEK_AUDIT_LOG": f"{tmp}/audit.log",
               "ENBEK_PUBLIC_DIR": f"{tmp}/public"}
        cmd = [sys.executable, "-c", "import sys; from enbek.cli import main; sys.exit(main(sys.argv[1:]))", "briefing",
               "--year", str(year), "--lang", "kk", "--out", f"{tmp}/b.pdf"]
        cli_s, _ = _median(lambda: subprocess.run(cmd, cwd=ROOT, env=env, check=True, capture_output=True), runs=3)
    print(f"enbek briefing end to end (fresh process): median {cli_s:.2f} s")
    load = os.getloadavg()[0]
    print(f"load average during the run: {load:.1f} on {os.cpu_count()} CPUs (wall times grow with it; CPU times do not)")
    print(f"briefing pdf_s={pdf_s:.2f} pdf_cpu_s={pdf_cpu_s:.2f} region_pdf_s={region_s:.2f} public_pdf_s={public_pdf_s:.2f} cli_s={cli_s:.2f} "
          f"pages={pages}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
