"""The open-data bundle from the public app in a real browser (Debian Chromium via Playwright, non-local requests
blocked): the methodology page's button delivers the zip `enbek publish` wrote, byte for byte, and the package in it
is valid for the frictionless library."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from dashboard.i18n import t
from tests.browser.harness import CHROMIUM, CHROMIUM_ARGS, Offline, require_chromium, screenshot, streamlit_server

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    require_chromium()
    from data.opendata import write_bundle
    from geo.boundaries import EMBEDDED_LAYER, load_boundaries
    from osh.public import PublicData, write_public_data
    from tests.app.public_fixture import make_public_data

    work = tmp_path_factory.mktemp("opendata-browser")
    fake = make_public_data()
    data = PublicData(indicators=fake.indicators, diseases=fake.diseases, targets=fake.targets, official=fake.official,
                      meta=fake.meta)
    public = work / "public"
    write_bundle(data, out_dir=public, boundaries=load_boundaries(EMBEDDED_LAYER), created="2025-01-02T00:00:00+00:00",
                 embedded_boundaries=True)
    write_public_data(data, out_dir=public)
    env = {"ENBEK_MODE": "public", "ENBEK_PUBLIC_DIR": str(public), "ENBEK_DATA_DIR": str(work), "ENBEK_TILES": ""}
    with streamlit_server(env, log_path=work / "streamlit.log") as url:
        yield url, public


@pytest.fixture
def page() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        context = browser.new_context(viewport={"width": 1400, "height": 1000}, accept_downloads=True)
        offline = Offline()
        context.route("**/*", offline.handle)
        pg = context.new_page()
        pg.set_default_timeout(60_000)
        yield pg
        context.close()
        browser.close()
        assert offline.blocked == [], f"the app tried to reach other hosts: {offline.blocked[:5]}"


def test_methodology_page_delivers_the_open_data_zip(app: tuple[str, Path], page: Any, tmp_path: Path) -> None:
    import frictionless

    url, public = app
    page.goto(f"{url}/methodology?lang=kk")
    button = page.get_by_test_id("stDownloadButton").filter(has_text=t("opendata.download", "kk"))
    button.wait_for(state="visible")
    screenshot(page, "methodology_open_data_kk")
    with page.expect_download() as info:
        button.click()
    saved = tmp_path / info.value.suggested_filename
    info.value.save_as(saved)
    assert saved.name == "qauipsiz-enbek-opendata-fixture-7.zip"
    assert saved.read_bytes() == (public / "opendata.zip").read_bytes()
    with zipfile.ZipFile(io.BytesIO(saved.read_bytes())) as archive:
        archive.extractall(tmp_path / "unzipped")
    report = frictionless.validate(str(tmp_path / "unzipped" / "opendata" / "datapackage.json"))
    assert report.valid, report.flatten(["type", "note"])[:5]
