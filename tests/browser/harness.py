"""Browser-test harness of the barometer: a real `streamlit run` on 127.0.0.1 and Debian Chromium with every
request to another host blocked (and recorded, so a test can prove the app made none)."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"  # Debian's browser; never `playwright install`
CHROMIUM_ARGS = ["--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
SHOTS = Path(__file__).resolve().parent / "screenshots"
LOCAL_HOSTS = ("127.0.0.1",)
TIMEOUT_MS = 60_000  # a page's default wait: the shared 2-core box is slow under a full parallel run


class ServerDidNotStart(RuntimeError):
    """streamlit run exited or did not answer its health check in time; the message names its log."""


def require_chromium() -> None:
    """Skip when Debian Chromium is missing locally; fail under CI=true, where it must be installed."""
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"{CHROMIUM} is missing: CI must install Debian's chromium (apt-get install chromium)")
        pytest.skip(f"{CHROMIUM} is not installed")
    try:
        import playwright.sync_api  # noqa: F401
    except ModuleNotFoundError:
        if os.environ.get("CI") == "true":
            pytest.fail("the playwright package is missing: pip install -e '.[dev]'")
        pytest.skip("the playwright package is not installed")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass(frozen=True)
class Started:
    url: str
    pid: int  # the server's process (its group is stopped at the end); benchmarks read its memory
    start_s: float  # from the launch to the first healthy answer (includes dashboard.serve's warm-up)


@contextlib.contextmanager
def server_process(env: dict[str, str], *, log_path: Path, timeout_s: float = 120, script: str = "dashboard/app.py",
                   module: str = "streamlit", static_serving: bool = True,
                   extra_flags: Sequence[str] = ()) -> Iterator[Started]:
    """`python -m streamlit run <script>` (or `python -m dashboard.serve` with module="dashboard.serve", which
    takes the same flags and serves the app) on a free 127.0.0.1 port, waited for until healthy; stops the
    process group at the end. The tests' and the benchmarks' one way to start an app server."""
    port = free_port()
    launch = ["streamlit", "run", script] if module == "streamlit" else [module]
    flags = ["--server.address", "127.0.0.1", "--server.port", str(port), "--server.headless", "true",
             *(["--server.enableStaticServing", "true"] if static_serving else []),
             "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none", *extra_flags]
    log = log_path.open("wb")
    t0 = time.perf_counter()
    server = subprocess.Popen([sys.executable, "-m", *launch, *flags], cwd=ROOT, env={**os.environ, **env}, stdout=log,
                              stderr=subprocess.STDOUT, start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    try:
        while True:
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as answer:
                    if answer.status == 200:
                        break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            if server.poll() is not None or time.perf_counter() - t0 > timeout_s:
                raise ServerDidNotStart(f"streamlit did not start on {url}; see {log_path}")
            time.sleep(0.3)
        yield Started(url, server.pid, time.perf_counter() - t0)
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()
        log.close()


@contextlib.contextmanager
def streamlit_server(env: dict[str, str], *, log_path: Path, timeout_s: float = 120,
                     script: str = "dashboard/app.py") -> Iterator[str]:
    """`streamlit run <script>` (the app by default) on a free 127.0.0.1 port; yields the base URL, stops the
    process group."""
    with server_process(env, log_path=log_path, timeout_s=timeout_s, script=script) as started:
        yield started.url


@dataclass
class Offline:
    """Aborts every request whose host is not 127.0.0.1 and remembers it."""

    blocked: list[str] = field(default_factory=list)

    def handle(self, route: Any) -> None:
        url = route.request.url
        parsed = urlparse(url)
        if parsed.scheme in ("http", "https", "ws", "wss") and parsed.hostname not in LOCAL_HOSTS:
            self.blocked.append(url)
            route.abort()
        else:
            route.continue_()


@contextlib.contextmanager
def public_barometer(work: Path) -> Iterator[str]:
    """The public barometer (`streamlit run`, ENBEK_MODE=public) on the small published fixture written under
    `work`; yields its base URL."""
    from tests.app.conftest import build_public_dir

    public = build_public_dir(work / "public")
    env = {"ENBEK_MODE": "public", "ENBEK_PUBLIC_DIR": str(public), "ENBEK_DATA_DIR": str(work), "ENBEK_TILES": "",
           "ENBEK_LANG": "kk"}
    with streamlit_server(env, log_path=work / "streamlit.log") as url:
        yield url


@contextlib.contextmanager
def chromium() -> Iterator[Any]:
    """Debian Chromium through Playwright's sync API (which cannot be started twice at once: one per module)."""
    require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            yield browser
        finally:
            browser.close()


@contextlib.contextmanager
def offline_page(browser: Any, **options: Any) -> Iterator[Any]:
    """A page in a new context (`options` as for new_context) with every request to another host blocked; after
    the block, fails if any was tried."""
    context = browser.new_context(accept_downloads=True, **options)
    offline = Offline()
    context.route("**/*", offline.handle)
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    try:
        yield page
    finally:
        context.close()
    assert offline.blocked == [], f"the app tried to reach other hosts: {offline.blocked[:5]}"


def wait_ready(page: Any) -> None:
    """Until Streamlit's script run is over (the app marks itself "running" meanwhile), twice: a rerun triggered
    by the last action may start a moment after the first look."""
    page.get_by_test_id("stApp").wait_for(state="visible")
    page.wait_for_function("() => document.querySelector('[data-testid=stApp]')?.dataset?.teststate !== 'running'")
    page.wait_for_timeout(300)
    page.wait_for_function("() => document.querySelector('[data-testid=stApp]')?.dataset?.teststate !== 'running'")


def screenshot(page: Any, name: str, *, max_height: int = 9000) -> Path:
    """The whole page: Streamlit scrolls inside its main container, so the viewport is stretched to fit it."""
    SHOTS.mkdir(exist_ok=True)
    path = SHOTS / f"{name}.png"
    size = page.viewport_size
    height = page.evaluate(
        "() => Math.max(...[...document.querySelectorAll('[data-testid=stMain], [data-testid=stAppViewContainer]')]"
        ".map(e => e.scrollHeight), window.innerHeight)"
    )
    page.set_viewport_size({"width": size["width"], "height": min(int(height), max_height)})
    page.wait_for_timeout(1500)  # charts and tables re-layout (and lazily mount) after the resize
    page.screenshot(path=str(path), full_page=True)
    page.set_viewport_size(size)
    return path
