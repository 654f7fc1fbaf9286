"""Load test of ONE public replica (ENBEK_MODE=public, `streamlit run` on 127.0.0.1): 10, 25 and 50 concurrent
browser sessions, each a fresh browser context (its own cookies, cache and Streamlit session) of ONE Debian Chromium
(Playwright), all arriving at once, each opening the overview page (ENBEK_LOAD_PAGES adds more pages per session). For every level it
prints `load sessions=… p50_s=… p95_s=… errors=… rss_mb=…` and then the server's and the browser's CPU seconds:

- p50_s / p95_s: seconds from navigation until the page's main content is rendered: the title painted, the script
  run finished (stApp no longer "running") and the Leaflet choropleth's region paths in the map frame; over every
  page view of the level;
- errors: page views that did not get there within PAGE_TIMEOUT_S, showed a Streamlit exception, or tried to
  reach a host other than 127.0.0.1 (every such request is aborted);
- rss_mb: peak resident memory of the server process tree during the level (psutil, sampled every 0.25 s);
- server_cpu_s, cpu_s_per_view: CPU seconds the server process tree used during the level, and per page view:
  the server's own cost, which does not depend on the browsers sharing the machine (the sizing basis).

Bounded: nothing leaves 127.0.0.1 (the server binds it, the browser aborts every other host, no map tiles), a
hard overall limit (ENBEK_LOAD_LIMIT_S, default 2400 s) after which the remaining levels are reported as not run,
and the server and the browser are stopped at the end in any case. ENBEK_LOAD_LEVELS (default "10,25,50")
chooses the levels. The published directory comes from the store named by ENBEK_STORE (make bench: the
national demo) or a small demo built here (tests/bench/bench_barometer.publish).

Both the browser and the server run on this machine, so on a small box the browser's rendering competes with the
server for the cores: the times are an upper bound of what a user behind a network would see from this replica.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import statistics
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

# The landing page (the choropleth, the headline figures); ENBEK_LOAD_PAGES="overview,regions" adds a page change.
# One page per session by default: on a small box each fresh browser session costs ~10x the server's CPU.
PAGES = tuple(x.strip() for x in os.environ.get("ENBEK_LOAD_PAGES", "overview").split(",") if x.strip())
PAGE_TIMEOUT_S = float(os.environ.get("ENBEK_LOAD_PAGE_TIMEOUT_S", "600"))
LIMIT_S = float(os.environ.get("ENBEK_LOAD_LIMIT_S", "2400"))
LEVELS = tuple(int(x) for x in os.environ.get("ENBEK_LOAD_LEVELS", "10,25,50").split(",") if x.strip())
LOCAL = "127.0.0.1"
READY_JS = "() => document.querySelector('[data-testid=stApp]')?.dataset?.teststate !== 'running'"


@dataclass
class View:
    page: str
    seconds: float | None  # None: the page view failed
    error: str = ""


@dataclass
class Level:
    sessions: int
    views: list[View] = field(default_factory=list)
    wall_s: float = 0.0
    rss_peak_mb: float = 0.0
    server_cpu_s: float = 0.0
    client_cpu_s: float = 0.0
    blocked: list[str] = field(default_factory=list)
    ready: int = 0  # sessions whose context and tab exist
    cut: bool = False  # the overall limit ended the level before every session finished


def _tree(pid: int) -> list[Any]:
    import psutil

    try:
        root = psutil.Process(pid)
        return [root, *root.children(recursive=True)]
    except psutil.NoSuchProcess:
        return []


def _cpu(procs: list[Any]) -> float:
    import psutil

    total = 0.0
    for p in procs:
        try:
            t = p.cpu_times()
            total += t.user + t.system
        except psutil.NoSuchProcess:
            continue
    return total


def _rss_mb(procs: list[Any]) -> float:
    import psutil

    total = 0
    for p in procs:
        try:
            total += p.memory_info().rss
        except psutil.NoSuchProcess:
            continue
    return total / 2**20


def _server_pid(port: int) -> int:
    """The `streamlit run` process serving `port` (a child of this process, started by the harness)."""
    import psutil

    for child in psutil.Process().children(recursive=True):
        try:
            cmd = child.cmdline()
        except psutil.NoSuchProcess:
            continue
        if "--server.port" in cmd and cmd[cmd.index("--server.port") + 1] == str(port):
            return int(child.pid)
    raise RuntimeError(f"no streamlit process serving port {port} among this process's children")


class Sampler:
    """While a level runs, in a thread: the peak RSS of the server tree, and the CPU time of every other descendant
    of this process (the Playwright driver and Chromium's processes; a renderer that exits between two samples
    loses its last <= 0.25 s, so the browser figure is a slight underestimate)."""

    def __init__(self, server_pid: int) -> None:
        import psutil

        self.server_pid = server_pid
        self.peak = 0.0
        self._me = psutil.Process()
        self._client_cpu: dict[int, float] = {}
        self._client_cpu0 = dict(self._clients())
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _clients(self) -> list[tuple[int, float]]:
        server = {p.pid for p in _tree(self.server_pid)}
        return [(p.pid, _cpu([p])) for p in self._me.children(recursive=True) if p.pid not in server]

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, _rss_mb(_tree(self.server_pid)))
            for pid, cpu in self._clients():
                self._client_cpu[pid] = max(cpu, self._client_cpu.get(pid, 0.0))
            self._stop.wait(0.25)

    @property
    def client_cpu_s(self) -> float:
        return sum(cpu - self._client_cpu0.get(pid, 0.0) for pid, cpu in self._client_cpu.items())

    def __enter__(self) -> Sampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


async def _view(page: Any, url: str) -> float:
    start = time.perf_counter()
    await page.goto(url)
    await page.locator("h1").first.wait_for(state="visible")
    await page.wait_for_function(READY_JS)
    await page.frame_locator("[data-testid=stIFrame]").first.locator(".leaflet-overlay-pane svg path").first.wait_for(
        state="attached")
    elapsed = time.perf_counter() - start
    if await page.get_by_test_id("stException").count():
        raise RuntimeError("the page shows a Streamlit exception")
    return elapsed


async def _session(browser: Any, base: str, level: Level, gate: asyncio.Event) -> None:
    async def route(r: Any) -> None:
        host = urlparse(r.request.url).hostname
        if urlparse(r.request.url).scheme in ("http", "https", "ws", "wss") and host != LOCAL:
            level.blocked.append(r.request.url)
            await r.abort()
        else:
            await r.continue_()

    context = await browser.new_context(viewport={"width": 1440, "height": 900})
    try:
        await context.route("**/*", route)
        page = await context.new_page()
        page.set_default_timeout(PAGE_TIMEOUT_S * 1000)
        level.ready += 1
        await gate.wait()  # every session of the level starts at the same moment
        for name in PAGES:
            try:
                # one bound for the whole view (each Playwright wait has its own timeout besides)
                seconds = await asyncio.wait_for(_view(page, f"{base}/{name}?lang=ru"), timeout=PAGE_TIMEOUT_S)
                level.views.append(View(name, seconds))
            except Exception as exc:  # noqa: BLE001 -- any failure of a page view (timeout, crash) is an error to count
                level.views.append(View(name, None, f"{type(exc).__name__}: {str(exc).splitlines()[0][:160]}"))
    finally:
        await context.close()


async def _level(browser: Any, base: str, sessions: int, server_pid: int, *, limit_s: float) -> Level:
    """One level; sessions still running after `limit_s` are cancelled and their missing views count as errors."""
    level = Level(sessions)
    gate = asyncio.Event()
    tasks = [asyncio.create_task(_session(browser, base, level, gate)) for _ in range(sessions)]
    waited = 0.0
    while level.ready < sessions and waited < 120:  # every context and tab exists before the clock starts
        await asyncio.sleep(0.2)
        waited += 0.2
    cpu0 = _cpu(_tree(server_pid))
    with Sampler(server_pid) as sampler:
        t0 = time.perf_counter()
        gate.set()
        _, pending = await asyncio.wait(tasks, timeout=limit_s)
        for task in pending:
            task.cancel()
        await asyncio.gather(*pending, return_exceptions=True)
        level.wall_s = time.perf_counter() - t0
        level.cut = bool(pending)
        missing = sessions * len(PAGES) - len(level.views)
        level.views.extend(View("?", None, "not finished within the overall limit") for _ in range(missing))
    level.rss_peak_mb = sampler.peak
    level.server_cpu_s = _cpu(_tree(server_pid)) - cpu0
    level.client_cpu_s = sampler.client_cpu_s
    return level


def _quantile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def _report(level: Level) -> str:
    ok = [v.seconds for v in level.views if v.seconds is not None]
    errors = sum(1 for v in level.views if v.seconds is None) + len(level.blocked)
    p50 = f"{statistics.median(ok):.2f}" if ok else "nan"
    p95 = f"{_quantile(ok, 0.95):.2f}" if ok else "nan"
    views = len(level.views)
    return (f"load sessions={level.sessions} p50_s={p50} p95_s={p95} errors={errors} rss_mb={level.rss_peak_mb:.0f} "
            f"views={views} wall_s={level.wall_s:.1f} server_cpu_s={level.server_cpu_s:.1f} "
            f"cpu_s_per_view={level.server_cpu_s / max(views, 1):.2f} browser_cpu_s={level.client_cpu_s:.1f} "
            f"load_avg={os.getloadavg()[0]:.1f} cores={os.cpu_count()}")


async def _run(base: str, server_pid: int, deadline: float) -> list[str]:
    from playwright.async_api import async_playwright

    from tests.browser.harness import CHROMIUM, CHROMIUM_ARGS

    lines: list[str] = []
    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            warm = Level(1)
            warm_gate = asyncio.Event()
            warm_gate.set()
            await _session(browser, base, warm, warm_gate)  # the first visit fills the server's caches
            first = ", ".join(f"{v.page} {v.seconds:.1f} s" if v.seconds is not None else f"{v.page} {v.error}"
                              for v in warm.views)
            print(f"warm-up session (one visitor, cold caches): {first}; server rss "
                  f"{_rss_mb(_tree(server_pid)):.0f} MB", flush=True)
            for sessions in LEVELS:
                remaining = deadline - time.monotonic()
                if remaining < 30:
                    line = f"load sessions={sessions} not run: the overall limit of {LIMIT_S:.0f} s was reached"
                    print(line, flush=True)
                    lines.append(line)
                    continue
                level = await _level(browser, base, sessions, server_pid, limit_s=remaining)
                line = _report(level) + (" cut_by_limit=1" if level.cut else "")
                print(line, flush=True)
                failed = [v for v in level.views if v.seconds is None]
                for v in failed[:5]:
                    print(f"    failed {v.page}: {v.error}", flush=True)
                if level.blocked:
                    print(f"    requests to other hosts (aborted): {level.blocked[:5]}", flush=True)
                lines.append(line)
                await asyncio.sleep(5)  # the closed sessions' state is released before the next level
        finally:
            await browser.close()
    return lines


def main() -> int:
    from tests.bench.bench_barometer import publish

    deadline = time.monotonic() + LIMIT_S

    def overrun(signum: int, frame: Any) -> None:
        # the backstop of the overall limit: unwinding stops the server (harness) and the browser (Playwright)
        raise SystemExit(f"bench_public_load: stopped after the hard limit of {LIMIT_S + 180:.0f} s")

    signal.signal(signal.SIGALRM, overrun)
    signal.alarm(int(LIMIT_S + 180))
    tmp = Path(tempfile.mkdtemp(prefix="enbek-bench-load-"))
    publish(tmp / "public")
    env = {"ENBEK_MODE": "public", "ENBEK_PUBLIC_DIR": str(tmp / "public"), "ENBEK_DATA_DIR": str(tmp),
           "ENBEK_TILES": "", "ENBEK_LANG": "ru"}
    try:
        return _measure(env, tmp, deadline)
    finally:
        # whatever an interrupted run left behind (Playwright's driver, Chromium): only this process's descendants
        import psutil

        for child in psutil.Process().children(recursive=True):
            with contextlib.suppress(psutil.NoSuchProcess):
                child.kill()


def _measure(env: dict[str, str], tmp: Path, deadline: float) -> int:
    from tests.browser.harness import streamlit_server

    with streamlit_server(env, log_path=tmp / "app.log") as base:
        port = urlparse(base).port
        assert port is not None
        server_pid = _server_pid(port)
        import psutil

        print(f"public replica {base} (pid {server_pid}), rss {_rss_mb(_tree(server_pid)):.0f} MB at start; "
              f"{psutil.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}; levels {LEVELS}, "
              f"page timeout {PAGE_TIMEOUT_S:.0f} s, overall limit {LIMIT_S:.0f} s", flush=True)
        lines = asyncio.run(_run(base, server_pid, deadline))
    done = [line for line in lines if " p50_s=" in line]
    summary = " ".join(
        f"s{line.split('sessions=')[1].split()[0]}_p95_s={line.split('p95_s=')[1].split()[0]}" for line in done)
    errors = sum(int(line.split("errors=")[1].split()[0]) for line in done)
    rss = max((float(line.split("rss_mb=")[1].split()[0]) for line in done), default=0.0)
    print(f"public_load {summary} errors={errors} rss_mb={rss:.0f} levels_run={len(done)}/{len(LEVELS)}")
    return 0 if len(done) == len(LEVELS) else 1


if __name__ == "__main__":
    sys.exit(main())
