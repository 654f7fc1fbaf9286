"""The inspection plan in a real browser, in Kazakh and Russian: an akimat official signs in, sees the ranked plan
with its reasons in their language, shows the chosen enterprises on the map, marks one planned; the enterprise map
of the region draws settlement clusters with labels. Screenshots go to tests/browser/screenshots/ (look at them)."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from dashboard.i18n import t
from tests.browser.harness import Offline, require_chromium
from tests.browser.login_helper import demo_credentials, go_to, log_in, official_app
from tests.browser.test_enterprise_map import SHOTS, _coloured_share, _map_pixels, offline_page

pytestmark = pytest.mark.browser
N = 3000
LIMIT = 100  # below the region's count: the region map draws settlement clusters, not points


def _district_file(store: object, path: Path) -> Path:
    """A hand-built district file for Karaganda (35): the box around its enterprises cut into four districts,
    3500 (the fixture's enterprises' KATO prefix) and three neighbours, names in kk/ru/en."""
    import geopandas as gpd
    import shapely

    pts = store.sql("SELECT lat, lon FROM enterprise_risk WHERE region = '35'")  # type: ignore[attr-defined]
    x0, x1, y0, y1 = pts["lon"].min() - 0.2, pts["lon"].max() + 0.2, pts["lat"].min() - 0.2, pts["lat"].max() + 0.2
    xm, ym = (x0 + x1) / 2, (y0 + y1) / 2
    boxes = [shapely.box(x0, y0, xm, ym), shapely.box(xm, y0, x1, ym), shapely.box(x0, ym, xm, y1),
             shapely.box(xm, ym, x1, y1)]
    gpd.GeoDataFrame({"kato": ["350000000", "350100000", "350200000", "350300000"],
                      "name_kk": ["Бірінші аудан", "Екінші аудан", "Үшінші аудан", "Төртінші аудан"],
                      "name_ru": ["Первый район", "Второй район", "Третий район", "Четвёртый район"],
                      "name_en": ["First district", "Second district", "Third district", "Fourth district"]},
                     geometry=boxes, crs=4326).to_file(path)
    return path


@pytest.fixture(scope="module")
def app_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    require_chromium()
    from osh.public import PublicData, write_public_data
    from tests.app.map_fixture import make_store
    from tests.app.public_fixture import make_public_data

    data_dir = tmp_path_factory.mktemp("plan-browser")
    store = make_store(data_dir / "enbek.duckdb", n=N, seed=5)
    version = store.version
    districts = _district_file(store, data_dir / "districts.gpkg")
    store.close()
    fake = make_public_data()
    meta = {**fake.meta, "store_version": version}
    write_public_data(PublicData(**{f.name: getattr(fake, f.name) for f in dataclasses.fields(fake)} | {"meta": meta}),
                      out_dir=data_dir / "public")
    env = {"ENBEK_STORE": str(data_dir / "enbek.duckdb"), "ENBEK_MAP_POINT_LIMIT": str(LIMIT), "ENBEK_TILES": "",
           "ENBEK_DISTRICT_BOUNDARIES": str(districts)}
    with official_app(data_dir, env=env) as url:
        yield url, data_dir


@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_akimat_plans_in_its_language(app_url: tuple[str, Path], lang: str) -> None:
    from playwright.sync_api import TimeoutError as PlaywrightTimeout
    from playwright.sync_api import sync_playwright

    url, data_dir = app_url
    creds = demo_credentials(data_dir)
    offline = Offline()
    with sync_playwright() as pw, offline_page(pw, offline) as page:
        log_in(page, base_url=url, username="demo-akimat-35", password=creds["demo-akimat-35"], lang=lang)
        go_to(page, url_path="inspection-list")
        page.get_by_text(t("plan.order.score.caption", lang)).first.wait_for(timeout=60_000)
        table = page.get_by_test_id("stDataFrame").first
        table.wait_for(state="visible", timeout=60_000)
        page.wait_for_timeout(1500)
        page.screenshot(path=str(SHOTS / f"plan_{lang}.png"), full_page=True)
        body = page.locator("body").inner_text()
        for english in ("injured", "expected", "peers", "Rank", "Reason", "large", "medium"):
            assert not re.search(rf"\b{english}\b", body), f"{english!r} on the {lang} plan page"

        page.get_by_text(t("plan.show_map", lang)).first.click()
        shot = _map_pixels(page, f"plan_map_{lang}")
        assert _coloured_share(shot) > 0.002, "the plan's enterprises were not painted"

        picker = page.get_by_test_id("stMultiSelect").first.locator("input").first
        option = page.get_by_role("option").first
        for _ in range(6):  # under load a rerun (the map's) can redraw the box and close the list just opened
            picker.click()
            page.keyboard.press("ArrowDown")  # opens the list even when the click only focused the box
            try:
                option.wait_for(state="visible", timeout=10_000)
                break
            except PlaywrightTimeout:
                page.keyboard.press("Escape")
        option.click(timeout=60_000)
        page.keyboard.press("Escape")
        page.get_by_role("button", name=t("plan.mark.save", lang)).click()
        page.get_by_text(re.compile("^" + re.escape(t("plan.mark.saved", lang, name="\0", status="\0", date="\0")
                                                    .split("\0")[0]))).first.wait_for(timeout=30_000)
        page.get_by_text(t("plan.region_plan.title", lang)).first.wait_for(timeout=30_000)
        page.screenshot(path=str(SHOTS / f"plan_marked_{lang}.png"), full_page=True)

        go_to(page, url_path="enterprise-map")
        page.get_by_text(t("plan.map.settlements_legend", lang)).first.wait_for(timeout=60_000)
        region = _map_pixels(page, f"enterprise_map_settlements_{lang}")
        assert _coloured_share(region) > 0.002
        region_box = page.get_by_test_id("stSelectbox").first
        assert region_box.bounding_box()["width"] > 200  # the region's name has room (was cut at 1/7 of the row)
    assert offline.blocked == [], offline.blocked[:3]
    marks = [line for line in (data_dir / "audit.log").read_text(encoding="utf-8").splitlines() if "plan_mark" in line]
    assert any("demo-akimat-35" in line for line in marks)
