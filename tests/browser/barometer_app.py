"""Helpers of the barometer's browser tests (tests/browser/barometer/: two files so that pytest-xdist runs them on
two workers; their fixtures are in that folder's conftest.py)."""

from __future__ import annotations

import contextlib
from typing import Any

from dashboard import navigation
from dashboard.navigation import PAGES
from tests.browser.harness import wait_ready

BAROMETER = [p for p in PAGES if p.group_key == navigation.BAROMETER]  # the self-check page has its own tests


def open_page(page: Any, url: str, spec_path: str, lang: str) -> None:
    # the first (default) page lives at "/", not at its url_path
    path = "" if spec_path == BAROMETER[0].url_path else spec_path
    page.goto(f"{url}/{path}?lang={lang}")
    wait_ready(page)


def heading(page: Any) -> str:
    return page.locator("h1").first.inner_text().strip()


def wait_for_map(page: Any) -> Any:
    frame = page.frame_locator("[data-testid=stIFrame]").first
    paths = frame.locator(".leaflet-overlay-pane svg path")
    paths.first.wait_for(state="attached")
    return frame


def open_folded(pg: Any, box: Any) -> None:
    """Open a folded expander and wait for the table its rerun builds. A click that lands while the page is still
    streaming can be lost (the expander is redrawn closed, or open without its content): looked at again after
    15 s and clicked again (closed first when it stayed open and empty)."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    content = box.locator("[data-testid=stTable], [data-testid=stDataFrame]").first
    for _ in range(4):
        wait_ready(pg)
        if box.locator("details[open]").count() == 0:
            box.locator("summary").click()
        with contextlib.suppress(PlaywrightTimeout):
            content.wait_for(state="visible", timeout=15_000)
            return
        if box.locator("details[open]").count():
            box.locator("summary").click()  # open but empty: close, and open again on the next round
    raise AssertionError(f"the expander {box.locator('summary').inner_text()!r} did not show its table")
