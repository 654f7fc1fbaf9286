"""Playwright helpers for browser tests of the official app: read the demo credentials, sign in, sign out.

Functions, not tests: a browser test that needs an official user calls
    creds = demo_credentials(data_dir)
    log_in(page, base_url=url, username="demo-akimat-35", password=creds["demo-akimat-35"], lang="en")
against a `streamlit run dashboard/app.py` started with ENBEK_MODE=official and ENBEK_DATA_DIR=data_dir
after `enbek user demo` (which writes DEMO_CREDENTIALS.txt there).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

from dashboard.i18n import t

if TYPE_CHECKING:
    from playwright.sync_api import Locator, Page

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


def log_out(page: Page, *, lang: str = "en", timeout_ms: float = 30_000) -> None:
    """Press the sidebar's sign-out button and wait for the sign-in form."""
    side = sidebar(page)
    side.get_by_role("button", name=t("auth.logout", lang)).click()
    side.get_by_label(t("auth.username", lang), exact=True).wait_for(state="visible", timeout=timeout_ms)
