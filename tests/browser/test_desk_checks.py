"""The desk-check screen in a real browser (Debian Chromium via Playwright) on the demo at scale 0.02: an akimat of
Karaganda sees its flagged enterprises drawn on the map layer, and downloads the letter to an employer (a PDF built on
the click, logged). Screenshots and the letter go to tests/browser/screenshots/."""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from tests.browser.harness import Offline, require_chromium, screenshot
from tests.browser.login_helper import CHROMIUM, ROOT, demo_credentials, go_to, log_in, official_app

pytestmark = pytest.mark.browser
SHOTS = Path(__file__).resolve().parent / "screenshots"


@pytest.fixture(scope="module")
def app_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    require_chromium()
    data_dir = tmp_path_factory.mktemp("desk-browser")
    env = {**os.environ, "ENBEK_DATA_DIR": str(data_dir), "ENBEK_MODE": "official"}
    subprocess.run([sys.executable, "-m", "enbek.cli", "build-demo", "--scale", "0.02", "--seed", "11"], cwd=ROOT,
                   env=env, check=True, capture_output=True, timeout=600)
    subprocess.run([sys.executable, "-m", "enbek.cli", "publish"], cwd=ROOT, env=env, check=True, capture_output=True,
                   timeout=600)
    with official_app(data_dir, env={"ENBEK_TILES": ""}) as url:
        yield url, data_dir


@contextlib.contextmanager
def offline_page(pw: Any, offline: Offline) -> Iterator[Any]:
    browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True,
                                 args=["--use-angle=swiftshader", "--enable-unsafe-swiftshader", "--no-sandbox"])
    try:
        page = browser.new_page(viewport={"width": 1400, "height": 1100}, accept_downloads=True)
        page.route("**/*", offline.handle)
        yield page
    finally:
        browser.close()


def test_akimat_sees_the_desk_check_layer_and_downloads_a_letter(app_url: tuple[str, Path]) -> None:
    from PIL import Image
    from playwright.sync_api import sync_playwright

    from data.scope import Scope
    from data.store import open_store
    from osh import desk_checks

    url, data_dir = app_url
    store = open_store(data_dir / "enbek.duckdb", read_only=True)
    try:
        want = desk_checks.desk_list(store, scope=Scope.of_regions(["35"]), region="35", lang="ru")
    finally:
        store.close()
    assert len(want) > 0
    creds = demo_credentials(data_dir)
    offline = Offline()
    SHOTS.mkdir(exist_ok=True)
    with sync_playwright() as pw, offline_page(pw, offline) as page:
        log_in(page, base_url=url, username="demo-akimat-35", password=creds["demo-akimat-35"], lang="ru")
        go_to(page, url_path="desk-checks")
        page.get_by_text(f"Отмечено предприятий: {len(want)}").first.wait_for(timeout=90_000)
        chart = page.get_by_test_id("stDeckGlJsonChart").first
        chart.locator("canvas").first.wait_for(state="visible", timeout=60_000)
        page.wait_for_timeout(2500)  # deck.gl draws on the next animation frames
        chart.screenshot(path=str(SHOTS / "desk_checks_map_35.png"))
        page.get_by_text("Меры по охране труда по регионам").first.wait_for(timeout=60_000)
        page.get_by_test_id("stDeckGlJsonChart").nth(1).locator("canvas").first.wait_for(state="visible", timeout=60_000)
        screenshot(page, "desk_checks_page_35")  # the whole page: the list, the letter and the measures map
        pixels = np.asarray(Image.open(SHOTS / "desk_checks_map_35.png").convert("RGB")).reshape(-1, 3).astype(int)
        # the layer's three classes are orange to dark red: at least some points must be painted in them
        reddish = (pixels[:, 0] > 150) & (pixels[:, 1] < 190) & (pixels[:, 2] < 120)
        assert reddish.sum() > 30, "no desk-check point painted"

        with page.expect_download(timeout=60_000) as download:
            page.get_by_role("button", name="Скачать письмо (PDF)").first.click()
        letter = SHOTS / "desk_letter_35.pdf"
        download.value.save_as(str(letter))
        suggested = download.value.suggested_filename
    assert letter.read_bytes()[:5] == b"%PDF-"
    first = str(want["bin"].iloc[0])
    assert suggested == f"desk_letter_{first}_ru.pdf"
    events = (data_dir / "audit.log").read_text(encoding="utf-8").splitlines()
    assert any('"download_list"' in e and f"desk_letter_{first}_ru.pdf" in e and "demo-akimat-35" in e for e in events)
    assert any('"view_list"' in e and "desk_checks:35" in e for e in events)
    assert offline.blocked == [], f"the page asked for outside resources: {offline.blocked[:3]}"
