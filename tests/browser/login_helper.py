"""Playwright helpers for browser tests of the official app: read the demo credentials, sign in, sign out.

Functions, not tests. A browser test that needs an official user does
    with official_app(data_dir) as url:          # enbek user demo + streamlit run, official mode
        creds = demo_credentials(data_dir)       # DEMO_CREDENTIALS.txt written by `enbek user demo`
        log_in(page, base_url=url, username="demo-akimat-35", password=creds["demo-akimat-35"], lang="en")
"""

from __future__ import annotations

import contextlib
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from dashboard.i18n import t

if TYPE_CHECKING:
    from playwright.sync_api import Locator, Page

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"  # Debian's browser; never `playwright install`
_LINE = re.compile(r"^(?P<user>\S+)\s+password:\s+(?P<password>\S+)\s+role:", re.MULTILINE)


class LoginFailed(AssertionError):
    """The app did not show the signed-in state; the message carries what it showed instead."""


def demo_credentials(data_dir: Path) -> dict[str, str]:
    """username -> password from DEMO_CREDENTIALS.txt written by `enbek user demo`."""
    path = Path(data_dir) / "DEMO_CREDENTIALS.txt"
    found = {m["user"]: m["password"] for m in _LINE.finditer(path.read_text(encoding="utf-8"))}
    if not found:
        raise LoginFailed(f"{path} has no 'USER  password: ...  role: ...' lines")
    return found


def sidebar(page: Page) -> Locator:
    return page.get_by_test_id("stSidebar")


def log_in(page: Page, *, base_url: str, username: str, password: str, lang: str = "en", timeout_ms: float = 30_000) -> None:
    """Open the app in `lang`, sign in through the sidebar form and wait for "Signed in as USER"."""
    page.goto(f"{base_url.rstrip('/')}/?lang={lang}")
    side = sidebar(page)
    user_box = side.get_by_label(t("auth.username", lang), exact=True)
    user_box.wait_for(state="visible", timeout=timeout_ms)
    user_box.fill(username)
    side.get_by_label(t("auth.password", lang), exact=True).fill(password)
    side.get_by_role("button", name=t("auth.submit", lang)).click()
    signed_in = side.get_by_text(t("auth.signed_in_as", lang, user=username.strip().lower()), exact=True)
    refused = side.get_by_test_id("stAlert")
    signed_in.or_(refused).first.wait_for(state="visible", timeout=timeout_ms)
    if not signed_in.is_visible():
        raise LoginFailed(f"signing in as {username!r} failed: {refused.first.inner_text()!r}")


def go_to(page: Page, *, url_path: str, timeout_ms: float = 30_000) -> None:
    """Open an app page through the sidebar navigation (e.g. url_path="enterprise-map").

    Never page.goto() after log_in(): a full page load opens a new Streamlit session, which starts
    signed out (sessions live in server memory, not in a cookie) - the official pages would not exist.
    """
    link = page.locator(f'[data-testid="stSidebarNav"] a[href$="/{url_path}"]')
    link.wait_for(state="visible", timeout=timeout_ms)
    link.click()
    page.wait_for_url(f"**/{url_path}*", timeout=timeout_ms)


def log_out(page: Page, *, lang: str = "en", timeout_ms: float = 30_000) -> None:
    """Press the sidebar's sign-out button and wait for the sign-in form."""
    side = sidebar(page)
    side.get_by_role("button", name=t("auth.logout", lang)).click()
    side.get_by_label(t("auth.username", lang), exact=True).wait_for(state="visible", timeout=timeout_ms)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextlib.contextmanager
def official_app(data_dir: Path, *, env: dict[str, str] | None = None, timeout_s: float = 90) -> Iterator[str]:
    """Run `enbek user demo` then `streamlit run dashboard/app.py` in official mode over `data_dir`
    (which must already hold a store, e.g. from `enbek build-demo --scale 0.02`); yields the base URL
    and stops the server (its whole process group) afterwards."""
    port = free_port()
    full_env = {**os.environ, "ENBEK_DATA_DIR": str(data_dir), "ENBEK_MODE": "official", **(env or {})}
    subprocess.run([sys.executable, "-m", "enbek.cli", "user", "demo"], cwd=ROOT, env=full_env, check=True,
                   capture_output=True, timeout=120)
    log = (Path(data_dir) / "streamlit.log").open("wb")
    server = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "dashboard/app.py", "--server.address", "127.0.0.1",
         "--server.port", str(port), "--server.headless", "true", "--browser.gatherUsageStats", "false"],
        cwd=ROOT, env=full_env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + timeout_s
        while True:
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as answer:
                    if answer.status == 200:
                        break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            if server.poll() is not None or time.monotonic() > deadline:
                raise LoginFailed(f"streamlit did not start on {url}; see {log.name}")
            time.sleep(0.3)
        yield url
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()
        log.close()
