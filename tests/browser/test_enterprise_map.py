"""The enterprise map draws in a real browser (Debian Chromium via Playwright): at country view (H3 hexagons over
region outlines) and after a region filter (individual enterprises). Screenshots go to tests/browser/screenshots/."""

from __future__ import annotations

import contextlib
import dataclasses
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from tests.browser.harness import Offline, require_chromium
from tests.browser.login_helper import CHROMIUM, demo_credentials, go_to, log_in, official_app

pytestmark = pytest.mark.browser
SHOTS = Path(__file__).resolve().parent / "screenshots"
N = 3000
LIMIT = 1000


@pytest.fixture(scope="module")
def app_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    require_chromium()
    from osh.public import PublicData, write_public_data
    from tests.app.map_fixture import make_store
    from tests.app.public_fixture import make_public_data

    data_dir = tmp_path_factory.mktemp("emap-browser")
    store = make_store(data_dir / "enbek.duckdb", n=N, seed=5)
    version = store.version
    store.close()
    # The app header reads the public tables; published for this very store version they are read, not rebuilt.
    fake = make_public_data()
    meta = {**fake.meta, "store_version": version}
    write_public_data(PublicData(**{f.name: getattr(fake, f.name) for f in dataclasses.fields(fake)} | {"meta": meta}),
                      out_dir=data_dir / "public")
    env = {"ENBEK_STORE": str(data_dir / "enbek.duckdb"), "ENBEK_MAP_POINT_LIMIT": str(LIMIT), "ENBEK_TILES": ""}
    with official_app(data_dir, env=env) as url:
        yield url, data_dir


@contextlib.contextmanager
def offline_page(pw: Any, offline: Offline) -> Iterator[Any]:
    """A Chromium page (software WebGL for deck.gl) whose requests off 127.0.0.1 are blocked and recorded."""
    browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True,
                                 args=["--use-angle=swiftshader", "--enable-unsafe-swiftshader", "--no-sandbox"])
    try:
        page = browser.new_page(viewport={"width": 1400, "height": 1100})
        page.route("**/*", offline.handle)
        yield page
    finally:
        browser.close()


def _map_pixels(page, name: str) -> np.ndarray:  # type: ignore[no-untyped-def]
    from PIL import Image

    chart = page.get_by_test_id("stDeckGlJsonChart").first
    chart.locator("canvas").first.wait_for(state="visible", timeout=60_000)
    page.wait_for_timeout(2500)  # deck.gl draws on the next animation frames after the data arrives
    SHOTS.mkdir(exist_ok=True)
    path = SHOTS / f"{name}.png"
    chart.screenshot(path=str(path))
    page.screenshot(path=str(SHOTS / f"{name}_page.png"), full_page=True)
    return np.asarray(Image.open(path).convert("RGB"))


def _coloured_share(img: np.ndarray) -> float:
    """Share of pixels that are neither near-white nor the land fill: what the data layers painted."""
    flat = img.reshape(-1, 3).astype(int)
    light = (flat.min(axis=1) > 225)
    return float((~light).mean())


def test_map_draws_at_country_view_and_after_region_filter(app_url: tuple[str, Path]) -> None:
    from playwright.sync_api import sync_playwright

    from geo.regions import region_name

    url, data_dir = app_url
    creds = demo_credentials(data_dir)
    offline = Offline()
    with sync_playwright() as pw, offline_page(pw, offline) as page:
        log_in(page, base_url=url, username="demo-ministry", password=creds["demo-ministry"], lang="en")
        go_to(page, url_path="enterprise-map")
        country = _map_pixels(page, "enterprise_map_country")
        assert _coloured_share(country) > 0.05, "country view: the hexagon layer painted almost nothing"
        colours = {tuple(c) for c in country.reshape(-1, 3)[::7].tolist()}
        assert len(colours) > 20

        box = page.get_by_test_id("stSelectbox").filter(has_text="Region").first
        box.click()
        page.get_by_role("option", name=region_name("75", "en")).click()
        page.get_by_text("enterprises shown as points").first.wait_for(timeout=60_000)
        region = _map_pixels(page, "enterprise_map_region_75")
        assert _coloured_share(region) > 0.002, "region view: no enterprise points painted"
        assert not np.array_equal(region, country)
    assert offline.blocked == [], f"the page asked for outside resources (offline use broken): {offline.blocked[:3]}"


def test_akimat_sees_only_its_region_and_is_refused_another_regions_bin(app_url: tuple[str, Path]) -> None:
    from playwright.sync_api import sync_playwright

    from data.store import open_store

    url, data_dir = app_url
    creds = demo_credentials(data_dir)
    store = open_store(data_dir / "enbek.duckdb", read_only=True)
    try:
        in_region = int(store.sql("SELECT count(*) AS n FROM enterprise_risk WHERE region = '35'")["n"].iloc[0])
        outside = str(store.sql("SELECT bin FROM enterprise_risk WHERE region <> '35' ORDER BY bin LIMIT 1")["bin"].iloc[0])
    finally:
        store.close()
    assert 0 < in_region <= LIMIT
    offline = Offline()
    with sync_playwright() as pw, offline_page(pw, offline) as page:
        log_in(page, base_url=url, username="demo-akimat-35", password=creds["demo-akimat-35"], lang="en")
        go_to(page, url_path="enterprise-map")
        page.get_by_text(f"{in_region} enterprises shown as points").first.wait_for(timeout=60_000)
        _map_pixels(page, "enterprise_map_akimat_35")
        search = page.get_by_label("BIN or name").first
        search.fill(outside)
        search.press("Enter")
        page.get_by_text("This enterprise is outside your regions.").first.wait_for(timeout=30_000)
        page.screenshot(path=str(SHOTS / "enterprise_map_akimat_refused.png"), full_page=True)
        assert page.get_by_text(outside).count() <= 1  # only the search box echoes it; no card opened
    assert offline.blocked == [], offline.blocked[:3]
    events = [line for line in (data_dir / "audit.log").read_text(encoding="utf-8").splitlines() if "access_denied" in line]
    assert any(outside in line and "demo-akimat-35" in line for line in events)
