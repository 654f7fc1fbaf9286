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
import subprocess
import sys
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


def go_to(page: Page, *, url_path: str, timeout_ms: float = 60_000) -> None:
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


@contextlib.contextmanager
def official_app(data_dir: Path, *, env: dict[str, str] | None = None, timeout_s: float = 90) -> Iterator[str]:
    """Run `enbek user demo` then `streamlit run dashboard/app.py` in official mode over `data_dir`
    (which must already hold a store, e.g. from `enbek build-demo --scale 0.02`); yields the base URL
    and stops the server (its whole process group) afterwards."""
    from tests.browser.harness import streamlit_server

    full_env = {**os.environ, "ENBEK_DATA_DIR": str(data_dir), "ENBEK_MODE": "official", **(env or {})}
    subprocess.run([sys.executable, "-m", "enbek.cli", "user", "demo"], cwd=ROOT, env=full_env, check=True,
                   capture_output=True, timeout=120)
    with streamlit_server(full_env, log_path=Path(data_dir) / "streamlit.log", timeout_s=timeout_s) as url:
        yield url
