"""Fixtures of the barometer's browser tests: the public barometer served by `streamlit run` on the small published
fixture (one server per test file), and a Chromium page with every non-local request blocked."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.browser.barometer_app import TIMEOUT
from tests.browser.harness import CHROMIUM, CHROMIUM_ARGS, Offline, require_chromium, streamlit_server


@pytest.fixture(scope="module")
def app_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    require_chromium()
    from tests.app.conftest import build_public_dir

    work = tmp_path_factory.mktemp("barometer-browser")
    public = build_public_dir(work / "public")
    env = {"ENBEK_MODE": "public", "ENBEK_PUBLIC_DIR": str(public), "ENBEK_DATA_DIR": str(work), "ENBEK_TILES": "",
           "ENBEK_LANG": "kk"}
    with streamlit_server(env, log_path=work / "streamlit.log") as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield b
        b.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, accept_downloads=True)
    offline = Offline()
    context.route("**/*", offline.handle)
    pg = context.new_page()
    pg.set_default_timeout(TIMEOUT)
    yield pg
    context.close()
    assert offline.blocked == [], f"the app tried to reach other hosts: {offline.blocked[:5]}"
