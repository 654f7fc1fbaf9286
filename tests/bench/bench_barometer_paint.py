"""Warm first paint of the public pages in a real browser, against an empty Streamlit page served the same way in
the same run (the floor). Prints `barometer_paint overview_s=… regions_s=… floor_s=…` (medians of 5 fresh
sessions, after one warm-up visit each), the first visit after the start (`first_s`) and the seconds from the
server's launch to its first healthy answer (`start_s`, which includes the cache warm-up). The visits alternate
(floor, overview, regions, five rounds), so the floor is measured under the same load as the pages;
`barometer_paint_spread` gives each page's fastest and slowest paint.

The app is started as `make run` starts it, `python -m dashboard.serve` (the caches are warmed before the server
takes visitors); BENCH_PAINT_LAUNCHER=streamlit starts it with a bare `streamlit run dashboard/app.py` instead (no
warm-up at start: the first visitor pays for it), to compare.

Input: a small demo store published to a temporary directory (ENBEK_STORE names another store); needs
/usr/bin/chromium and playwright, like the browser tests.
"""

from __future__ import annotations

import contextlib
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

RUNS = 5
TIMEOUT_MS = 120_000
FLOOR_SCRIPT = 'import streamlit as st\nst.set_page_config(layout="wide")\nst.title("floor")\n'


def paint_seconds(browser, url: str, *, needs_map: bool) -> tuple[float, float]:
    """Seconds from navigation to (the title painted and the script run finished, the map drawn as well: the
    same as the first for a page without a map)."""
    context = browser.new_context(viewport={"width": 1440, "height": 900})
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    start = time.perf_counter()
    page.goto(url)
    page.locator("h1").first.wait_for(state="visible")
    page.wait_for_function("() => document.querySelector('[data-testid=stApp]')?.dataset?.teststate !== 'running'")
    painted = time.perf_counter() - start
    if needs_map:
        page.frame_locator("[data-testid=stIFrame]").first.locator(".leaflet-overlay-pane svg path").first.wait_for(
            state="attached")
    drawn = time.perf_counter() - start
    context.close()
    return painted, drawn


@contextlib.contextmanager
def app_server(env: dict[str, str], *, log_path: Path, timeout_s: float = 600) -> Iterator[tuple[str, float]]:
    """The app as `make run` serves it (python -m dashboard.serve, or `streamlit run` with
    BENCH_PAINT_LAUNCHER=streamlit) on a free port; yields (base URL, seconds from launch to healthy)."""
    from tests.browser.harness import server_process

    module = "streamlit" if os.environ.get("BENCH_PAINT_LAUNCHER") == "streamlit" else "dashboard.serve"
    with server_process(env, log_path=log_path, timeout_s=timeout_s, module=module) as started:
        yield started.url, started.start_s


def main() -> int:
    from playwright.sync_api import sync_playwright

    from tests.bench.bench_barometer import publish
    from tests.browser.harness import CHROMIUM, CHROMIUM_ARGS, streamlit_server

    tmp = Path(tempfile.mkdtemp(prefix="enbek-bench-paint-"))
    publish(tmp / "public")
    floor_script = tmp / "floor.py"
    floor_script.write_text(FLOOR_SCRIPT, encoding="utf-8")
    env = {"ENBEK_MODE": "public", "ENBEK_PUBLIC_DIR": str(tmp / "public"), "ENBEK_DATA_DIR": str(tmp),
           "ENBEK_TILES": "", "ENBEK_LANG": "kk"}
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        with app_server(env, log_path=tmp / "app.log") as (app, start_s), \
                streamlit_server({}, log_path=tmp / "floor.log", script=str(floor_script)) as floor:
            first = paint_seconds(browser, f"{app}/overview?lang=ru", needs_map=True)[0]
            pages = (("floor", f"{floor}/", False), ("overview", f"{app}/overview?lang=ru", True),
                     ("regions", f"{app}/regions?lang=ru", True))
            for _name, url, needs_map in pages:
                paint_seconds(browser, url, needs_map=needs_map)  # warm-up visit
            # Round after round (floor, overview, regions): the load of the shared box drifts within a run, and
            # page after page in blocks of five compared each page with a floor measured under another load.
            runs: dict[str, list[tuple[float, float]]] = {name: [] for name, _url, _map in pages}
            for _ in range(RUNS):
                for name, url, needs_map in pages:
                    runs[name].append(paint_seconds(browser, url, needs_map=needs_map))
        browser.close()
    results = {name: statistics.median(r[0] for r in rs) for name, rs in runs.items()}
    maps = {name: statistics.median(r[1] for r in rs) for name, rs in runs.items()}
    floor_s = results["floor"]
    print(f"barometer_paint overview_s={results['overview']:.2f} regions_s={results['regions']:.2f} "
          f"floor_s={floor_s:.2f} first_s={first:.2f} start_s={start_s:.1f} overview_x={results['overview'] / floor_s:.1f} "
          f"regions_x={results['regions'] / floor_s:.1f}")
    print(f"barometer_map_drawn overview_s={maps['overview']:.2f} regions_s={maps['regions']:.2f} floor_s={floor_s:.2f}")
    print("barometer_paint_spread " + " ".join(
        f"{name}_s={min(r[0] for r in rs):.2f}-{max(r[0] for r in rs):.2f}" for name, rs in runs.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
