"""Benchmark of the inspection plan page and the region map, side by side with the floor: an empty Streamlit page with
the same region outlines (what Streamlit + deck.gl cost before any data). First paint in headless Chromium (seconds
from navigation to the map's data painted), median of BENCH_PLAN_RUNS (5), plus the server time of the plan view.
Ends with one line `plan first_paint_s=… region_map_first_paint_s=… floor_s=… ratio=… region_ratio=… server_ms=…`;
the target (issue 15) is a ratio of at most 2. Prints figures, asserts nothing.

Store: $ENBEK_STORE when it names a store with an `enterprise_risk` table; otherwise the demo at BENCH_PLAN_SCALE
(default 1.0, the national demo) is built into a temporary directory. Region: BENCH_PLAN_REGION (35, Karaganda).
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import textwrap
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tests.bench.bench_map import CHROMIUM, FLOOR, first_paint, say, streamlit_app  # noqa: E402

RUNS = int(os.environ.get("BENCH_PLAN_RUNS", "5"))
SCALE = float(os.environ.get("BENCH_PLAN_SCALE", "1.0"))
REGION = os.environ.get("BENCH_PLAN_REGION", "35")

# The plan page as the akimat sees it after sign-in (no login form: only the page's own cost is compared): the
# caption, the ranked table in Kazakh, and "show these on the map".
PLAN = """
import sys; sys.path.insert(0, {root!r})
import streamlit as st
from dashboard import official_cache, official_render
from dashboard import official_views as views
from data.scope import Scope
from osh import plan
st.set_page_config(layout="wide")
store = official_cache.store()
with plan.open_plan() as p:
    marks = plan.marks(p, scope=Scope.of_regions([{region!r}]), region={region!r})
view = views.inspection_view(store, scope=Scope.of_regions([{region!r}]),
                             selection=views.PlanSelection(region={region!r}, limit=50), marks=marks, lang="kk")
st.caption(view.caption)
st.dataframe(view.display, hide_index=True, height=420)
official_render.plan_map(view, lang="kk")
"""
# The enterprise map of the region as the page draws it (points or settlement clusters, per ENBEK_MAP_POINT_LIMIT).
REGION_MAP = """
import sys; sys.path.insert(0, {root!r})
import streamlit as st
from dashboard import official_cache
from dashboard import official_views as views
from data.scope import Scope
st.set_page_config(layout="wide")
store = official_cache.store()
view = official_cache.map_for(store, scope=Scope.of_regions([{region!r}]),
                              selection=views.MapSelection(region={region!r}), lang="kk")
st.caption(f"{{view.mode}} {{view.shown}}")
st.pydeck_chart(view.deck, height=600, key="bench_map", on_select="rerun", selection_mode="single-object")
"""


def bench_store(work: Path) -> Path:
    given = os.environ.get("ENBEK_STORE")
    if given and Path(given).is_file():
        say(f"store: {given} (ENBEK_STORE)")
        return Path(given)
    from data.demo import build_demo
    from data.store import open_store
    from osh.risk import compute_and_store_risk

    path = work / "plan.duckdb"
    store = open_store(path)
    try:
        t0 = time.perf_counter()
        build_demo(store, seed=2024, scale=SCALE)
        compute_and_store_risk(store)
        say(f"store: built the scale-{SCALE} demo in {time.perf_counter() - t0:.0f} s, "
            f"{store.count('enterprise_risk'):,} enterprises")
    finally:
        store.close()
    return path


def server_ms(store_path: Path) -> float:
    """Median server time of the plan view (query, last inspections, settlements, reasons in Kazakh), warm."""
    import pandas as pd

    from dashboard import official_views as views
    from data.scope import Scope
    from data.store import open_store

    store = open_store(store_path, read_only=True)
    try:
        n = int(store.sql("SELECT count(*) AS n FROM enterprise_risk WHERE region = ?", [REGION])["n"].iloc[0])
        say(f"region {REGION}: {n:,} enterprises")
        marks = pd.DataFrame({c: pd.Series(dtype="object") for c in ("bin", "status", "date", "note")})
        sel = views.PlanSelection(region=REGION, limit=50)
        views.inspection_view(store, scope=Scope.country(), selection=sel, marks=marks, lang="kk")
        times = []
        for _ in range(RUNS):
            t = time.perf_counter()
            views.inspection_view(store, scope=Scope.country(), selection=sel, marks=marks, lang="kk")
            times.append((time.perf_counter() - t) * 1000)
    finally:
        store.close()
    return statistics.median(times)


def main() -> int:
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="enbek-bench-plan-") as tmp:
        work = Path(tmp)
        store_path = bench_store(work)
        ms = server_ms(store_path)
        say(f"plan view on the server (warm, median of {RUNS}): {ms:.0f} ms")
        env = {**os.environ, "ENBEK_STORE": str(store_path), "ENBEK_DATA_DIR": str(work), "ENBEK_MODE": "official",
               "ENBEK_TILES": ""}
        scripts = {}
        for name, text in (("floor", FLOOR), ("plan", PLAN), ("region_map", REGION_MAP)):
            scripts[name] = work / f"{name}_app.py"
            scripts[name].write_text(textwrap.dedent(text.format(root=str(ROOT), region=REGION)), encoding="utf-8")
        results: dict[str, list[float]] = {}
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True,
                                         args=["--use-angle=swiftshader", "--enable-unsafe-swiftshader", "--no-sandbox"])
            try:
                for name in ("floor", "plan", "region_map"):
                    with streamlit_app(scripts[name], env) as (url, _pid):
                        first_paint(browser, url, warm_only=True)  # fill the server's caches
                        results[name] = []
                        for _ in range(RUNS):
                            s, _b = first_paint(browser, url)
                            results[name].append(s)
                            say(f"{name}: first paint {s:.2f} s (load average {os.getloadavg()[0]:.1f})")
            finally:
                browser.close()
    floor = statistics.median(results["floor"])
    fp = statistics.median(results["plan"])
    rm = statistics.median(results["region_map"])
    say(f"plan {fp:.2f} s, region map {rm:.2f} s, floor {floor:.2f} s: {fp / floor:.2f}x and {rm / floor:.2f}x "
        f"the floor (target <= 2x)")
    print(f"plan first_paint_s={fp:.2f} region_map_first_paint_s={rm:.2f} floor_s={floor:.2f} "
          f"ratio={fp / floor:.2f} region_ratio={rm / floor:.2f} server_ms={ms:.0f}", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
