"""Fixtures of the barometer's browser tests: the public barometer served by `streamlit run` on the small published
fixture (one server per test file), and a Chromium page with every non-local request blocked."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.browser.harness import chromium, offline_page, public_barometer, require_chromium


@pytest.fixture(scope="module")
def app_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    require_chromium()
    with public_barometer(tmp_path_factory.mktemp("barometer-browser")) as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with chromium() as b:
        yield b


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    with offline_page(browser, viewport={"width": 1400, "height": 1000}) as pg:
        yield pg
