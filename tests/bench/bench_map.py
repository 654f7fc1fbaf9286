"""Benchmark of the enterprise map at national scale, side by side with a naive baseline (all enterprises as one
pydeck ScatterplotLayer of the raw frame): bytes sent at country view, time to first paint in headless Chromium,
server time of a filter change (warm) and the app process's memory. Prints figures (median of several runs) and
ends with one line `map country_bytes=… first_paint_s=… baseline_bytes=… baseline_first_paint_s=… filter_ms=… rss_mb=…`.

Store: $ENBEK_STORE when it names a store with an `enterprise_risk` table; otherwise the scale-1.0 demo is built
(data.demo.build_demo + osh.risk.compute_and_store_risk) into a temporary directory.
"""

from __future__ import annotations

import contextlib
import inspect
import os
import statistics
import sys
import tempfile
import textwrap
import time
from collections.abc import Iterator
from pathlib import Path

import numpy as np
from playwright.sync_api import TimeoutError as PlaywrightTimeout

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

CHROMIUM = "/usr/bin/chromium"
RUNS = int(os.environ.get("BENCH_MAP_RUNS", "3"))
BASELINE_RUNS = int(os.environ.get("BENCH_MAP_BASELINE_RUNS", "2"))

# The two apps measured: the map exactly as the page builds it (official_views.build_map -> CompactDeck), and the naive
# baseline. Neither has the login or the rest of the page, so that only the map's cost is compared.
OURS = """
import sys; sys.path.insert(0, {root!r})
import streamlit as st
from dashboard import official_cache, official_views
from data.scope import Scope
st.set_page_config(layout="wide")
store = official_cache.store()
view = official_cache.map_for(store, scope=Scope.country(), selection=official_views.MapSelection(), lang="en")
st.caption(f"{{view.mode}} {{view.shown}}")
st.pydeck_chart(view.deck, height=600, key="bench_map", on_select="rerun", selection_mode="single-object")
"""
# The floor: the same page with only the region outlines (what Streamlit + deck.gl cost before any data layer).
FLOOR = """
import sys; sys.path.insert(0, {root!r})
import streamlit as st
from dashboard import official_cache
from layers import deck
st.set_page_config(layout="wide")
outlines, attribution = official_cache.outlines("")
st.caption("floor")
st.pydeck_chart(deck.build_deck([deck.outline_layer(outlines)], tooltip=None), height=600)
"""
# The naive page: the columns a simple map needs, unrounded, in one ScatterplotLayer through pydeck's default JSON.
BASELINE_COLUMNS = ("bin", "name", "lat", "lon", "degree", "score", "employees")
BASELINE = """
import sys; sys.path.insert(0, {root!r})
import pydeck as pdk
import streamlit as st
from data.store import open_store
from data import settings
st.set_page_config(layout="wide")
@st.cache_resource
def frame():
    store = open_store(settings.store_path(), read_only=True)
    return store.read("enterprise_risk", columns={columns!r})
df = frame()
st.caption(f"points {{len(df)}}")
st.pydeck_chart(baseline_deck(df), height=600)
"""
def baseline_deck(df):  # type: ignore[no-untyped-def]
    """All enterprises as one ScatterplotLayer of the frame (written into the baseline app verbatim)."""
    import pydeck as pdk

    layer = pdk.Layer("ScatterplotLayer", data=df, get_position="[lon, lat]", get_fill_color=[213, 94, 0],
                      get_radius=400, radius_min_pixels=1, pickable=True, id="all")
    return pdk.Deck(layers=[layer], map_provider=None, map_style="__MAP_STYLE__",
                    initial_view_state=pdk.ViewState(latitude=48, longitude=67.5, zoom=3.6))


def deck_bytes(store_path: Path) -> tuple[int, int]:
    """Bytes of the deck JSON Streamlit sends at country view: ours (as the page builds it) and the baseline's."""
    from streamlit.elements.deck_gl_json_chart import _prepare_pydeck_for_json

    from dashboard import official_views as mv
    from data.scope import Scope
    from data.store import open_store
    from geo.boundaries import ATTRIBUTION, load_boundaries
    from layers.regions_geo import to_geojson

    store = open_store(store_path, read_only=True)
    try:
        outlines = to_geojson(load_boundaries(), tolerance=0.02, precision=3)
        ours = mv.build_map(store, scope=Scope.country(), selection=mv.MapSelection(), lang="en", outlines=outlines,
                            attribution=ATTRIBUTION)
        ours_bytes = len(ours.deck.to_json().encode("utf-8"))
        deck = baseline_deck(store.read("enterprise_risk", columns=list(BASELINE_COLUMNS)))
        _prepare_pydeck_for_json(deck)  # what st.pydeck_chart does first under pandas 3
        base_bytes = len(deck.to_json().encode("utf-8"))
    finally:
        store.close()
    return ours_bytes, base_bytes


def say(msg: str) -> None:
    print(msg, flush=True)


def national_store(work: Path) -> Path:
    given = os.environ.get("ENBEK_STORE")
    if given and Path(given).is_file():
        from data.store import open_store

        store = open_store(Path(given), read_only=True)
        try:
            if store.has_table("enterprise_risk"):
                say(f"store: {given} (ENBEK_STORE), {store.count('enterprise_risk'):,} enterprises")
                return Path(given)
        finally:
            store.close()
        say(f"{given} has no enterprise_risk table; building the demo instead")
    from data.demo import build_demo
    from data.store import open_store
    from osh.risk import compute_and_store_risk

    path = work / "national.duckdb"
    store = open_store(path)
    try:
        t0 = time.perf_counter()
        build_demo(store, seed=2024, scale=1.0)
        compute_and_store_risk(store)
        say(f"store: built the scale-1.0 demo in {time.perf_counter() - t0:.0f} s, "
            f"{store.count('enterprise_risk'):,} enterprises")
    finally:
        store.close()
    return path


def filter_times(store_path: Path) -> tuple[float, dict[str, float]]:
    """Server time of build_map for a sequence of filter changes, warm (base loaded, DuckDB warm)."""
    from dashboard import official_views as mv
    from data.scope import Scope
    from data.store import open_store
    from geo.boundaries import ATTRIBUTION, load_boundaries
    from layers.regions_geo import to_geojson

    store = open_store(store_path, read_only=True)
    outlines = to_geojson(load_boundaries(), tolerance=0.02, precision=3)
    t0 = time.perf_counter()
    base = mv.load_base(store)
    base.hex(mv.COUNTRY_RESOLUTION)
    say(f"cold: map base (all enterprises read once, H3 res {mv.COUNTRY_RESOLUTION}) {time.perf_counter() - t0:.2f} s")
    selections = [
        mv.MapSelection(),
        mv.MapSelection(section="C"),
        mv.MapSelection(size_class="small"),
        mv.MapSelection(degree="high"),
        mv.MapSelection(assessed=False),
        mv.MapSelection(insured=True, layer="insurance"),
        mv.MapSelection(layer="injuries", aggregate_by="regions"),
        mv.MapSelection(region="75"),
        mv.MapSelection(region="35", section="B"),
        mv.MapSelection(measure="expected_harm"),
    ]
    for sel in selections:  # warm-up: DuckDB caches, region-level H3 index
        mv.build_map(store, scope=Scope.country(), selection=sel, lang="en", outlines=outlines,
                     attribution=ATTRIBUTION, base=base)
    per: dict[str, list[float]] = {}
    for _ in range(RUNS):
        for sel in selections:
            t = time.perf_counter()
            view = mv.build_map(store, scope=Scope.country(), selection=sel, lang="en", outlines=outlines,
                                attribution=ATTRIBUTION, base=base)
            view.deck.to_json()  # serialisation is server work too
            per.setdefault(_label(sel, view.mode, view.shown), []).append((time.perf_counter() - t) * 1000)
    store.close()
    medians = {k: statistics.median(v) for k, v in per.items()}
    return statistics.median([x for v in per.values() for x in v]), medians


def _label(sel: object, mode: str, shown: int) -> str:
    from dataclasses import fields

    from dashboard.official_views import MapSelection

    default = MapSelection()
    diff = [f"{f.name}={getattr(sel, f.name)}" for f in fields(MapSelection) if getattr(sel, f.name) != getattr(default, f.name)]
    return f"{','.join(diff) or 'country'} -> {mode} {shown}"


@contextlib.contextmanager
def streamlit_app(script: Path, env: dict[str, str]) -> Iterator[tuple[str, int]]:
    from tests.browser.harness import server_process

    with server_process(env, log_path=script.parent / f"{script.stem}.log", script=str(script), static_serving=False,
                        extra_flags=("--server.maxMessageSize", "1000")) as started:
        yield started.url, started.pid


def _coloured(png: bytes) -> float:
    import io

    from PIL import Image

    img = np.asarray(Image.open(io.BytesIO(png)).convert("RGB")).reshape(-1, 3)
    # neither near-white nor the pale land fill: what a data layer painted
    return float((img.min(axis=1) < 200).mean())


def first_paint(browser: object, url: str, *, timeout_s: float = 600, count_ws: bool = True,
                warm_only: bool = False) -> tuple[float, int]:
    """(seconds from navigation to the map's data layer painted, bytes received over Streamlit's websocket)."""
    page = browser.new_page(viewport={"width": 1400, "height": 900})  # type: ignore[attr-defined]
    received = [0]

    def on_ws(ws: object) -> None:
        ws.on("framereceived", lambda payload: received.__setitem__(0, received[0] + len(payload)))  # type: ignore[attr-defined]

    if count_ws:  # Playwright cannot carry frames of hundreds of MB: the baseline is measured server-side
        page.on("websocket", on_ws)
    try:
        t0 = time.perf_counter()
        page.goto(url)
        chart = page.get_by_test_id("stDeckGlJsonChart").first
        chart.locator("canvas").first.wait_for(state="attached", timeout=timeout_s * 1000)
        if warm_only:  # the server has run the script (its caches are filled); the paint is not waited for
            return time.perf_counter() - t0, received[0]
        while True:
            left = max(1.0, timeout_s - (time.perf_counter() - t0))
            try:
                shot = chart.screenshot(timeout=left * 1000)
            except PlaywrightTimeout:
                shot = b""
            if shot and _coloured(shot) > 0.01:
                elapsed = time.perf_counter() - t0
                break
            if time.perf_counter() - t0 > timeout_s:
                say(f"{url}: the map did not paint within {timeout_s:.0f} s; the figure is a lower bound")
                return timeout_s, received[0]
            page.wait_for_timeout(100)
        page.wait_for_timeout(1500)  # let the websocket finish (the frame count is what was sent)
        return elapsed, received[0]
    finally:
        page.close()


def main() -> int:
    import psutil
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="enbek-bench-map-") as tmp:
        work = Path(tmp)
        store_path = national_store(work)
        ours_json, base_json = deck_bytes(store_path)
        say(f"deck JSON at country view: ours {ours_json / 1e6:.2f} MB, baseline {base_json / 1e6:.2f} MB")
        filter_ms, per = filter_times(store_path)
        say("server time of a filter change, warm (build_map + JSON), median ms:")
        for label, ms in per.items():
            say(f"  {ms:8.1f}  {label}")
        env = {**os.environ, "ENBEK_STORE": str(store_path), "ENBEK_DATA_DIR": str(work), "ENBEK_MODE": "official",
               "ENBEK_TILES": ""}
        ours_script = work / "ours_app.py"
        ours_script.write_text(textwrap.dedent(OURS.format(root=str(ROOT))), encoding="utf-8")
        base_script = work / "baseline_app.py"
        baseline_app = textwrap.dedent(BASELINE.format(root=str(ROOT), columns=list(BASELINE_COLUMNS)))
        base_script.write_text(inspect.getsource(baseline_deck) + baseline_app, encoding="utf-8")
        floor_script = work / "floor_app.py"
        floor_script.write_text(textwrap.dedent(FLOOR.format(root=str(ROOT))), encoding="utf-8")
        results: dict[str, tuple[list[float], list[int], float]] = {}
        say(f"load average before the browser runs: {os.getloadavg()}")
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True,
                                         args=["--use-angle=swiftshader", "--enable-unsafe-swiftshader", "--no-sandbox"])
            try:
                apps = (("floor", floor_script, RUNS), ("ours", ours_script, RUNS), ("baseline", base_script, BASELINE_RUNS))
                for name, script, runs in apps:
                    ws = name != "baseline"
                    with streamlit_app(script, env) as (url, pid):
                        first_paint(browser, url, count_ws=ws, warm_only=True)  # fill the server's caches
                        times, sizes = [], []
                        for _ in range(runs):
                            s, b = first_paint(browser, url, count_ws=ws)
                            times.append(s)
                            sizes.append(b)
                            say(f"{name}: first paint {s:.2f} s" + (f", {b / 1e6:.2f} MB over the websocket" if ws else "")
                                + f" (load average {os.getloadavg()[0]:.1f})")
                        proc = psutil.Process(pid)
                        rss = proc.memory_info().rss + sum(c.memory_info().rss for c in proc.children(recursive=True))
                        results[name] = (times, sizes, rss / 2**20)
                        say(f"{name}: app process RSS {rss / 2**20:.0f} MB")
            finally:
                browser.close()
    ours_t, ours_b, ours_rss = results["ours"]
    base_t, _, base_rss = results["baseline"]
    fp, bfp = statistics.median(ours_t), statistics.median(base_t)
    ws_bytes = int(statistics.median(ours_b))
    cb, bb = ours_json, base_json
    say(f"ours over the websocket (whole page, protobuf): {ws_bytes / 1e6:.2f} MB")
    say(f"country view: {cb / 1e6:.2f} MB vs baseline {bb / 1e6:.2f} MB ({bb / max(cb, 1):.0f}x fewer bytes); "
        f"first paint {fp:.2f} s vs {bfp:.2f} s ({bfp / fp:.1f}x faster); RSS {ours_rss:.0f} MB vs {base_rss:.0f} MB")
    floor_t = statistics.median(results["floor"][0])
    say(f"floor (outlines only, no data layer): first paint {floor_t:.2f} s; the map's own share {fp - floor_t:.2f} s, "
        f"the baseline's {bfp - floor_t:.2f} s")
    say(f"machine: {os.cpu_count()} CPUs, {psutil.virtual_memory().total / 2**30:.1f} GB RAM, Python {sys.version.split()[0]}")
    print(f"map country_bytes={cb} first_paint_s={fp:.2f} baseline_bytes={bb} baseline_first_paint_s={bfp:.2f} "
          f"filter_ms={filter_ms:.1f} rss_mb={ours_rss:.0f}", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
