"""Enterprise-level downloads exist only inside a signed-in session (Debian Chromium via Playwright): the
inspection list is built on the click, logged, served once from a random /media address, and that address
answers 404 to a browser that never signed in, to the same browser later, and after sign-out. The files are
spreadsheet-safe: a hostile enterprise name is text, never a formula."""

from __future__ import annotations

import dataclasses
import io
import json
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import pytest

from tests.browser.harness import Offline, require_chromium, screenshot
from tests.browser.login_helper import demo_credentials, go_to, log_in, log_out, official_app
from tests.browser.test_enterprise_map import offline_page

pytestmark = pytest.mark.browser
HOSTILE = ['=HYPERLINK("http://x","y")', "@SUM(1+1)", "+7 hostile", "-1+2"]
USER = "demo-akimat-35"


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path, list[str]]]:
    require_chromium()
    from osh.public import PublicData, write_public_data
    from tests.app.map_fixture import make_store
    from tests.app.public_fixture import make_public_data

    data_dir = tmp_path_factory.mktemp("downloads-browser")
    store = make_store(data_dir / "enbek.duckdb", n=1500, seed=7)
    # the top of Karaganda's inspection list gets hostile names
    top = store.sql("SELECT bin FROM enterprise_risk WHERE region = '35' "
                    "ORDER BY score DESC, excess_injuries DESC, bin LIMIT ?", [len(HOSTILE)])["bin"].tolist()
    for b, name in zip(top, HOSTILE, strict=True):
        store.sql("UPDATE enterprise_risk SET name = ? WHERE bin = ?", [name, b])
    version = store.version
    store.close()
    fake = make_public_data()
    meta = {**fake.meta, "store_version": version}
    write_public_data(PublicData(**{f.name: getattr(fake, f.name) for f in dataclasses.fields(fake)} | {"meta": meta}),
                      out_dir=data_dir / "public")
    # a closed tab counts as closed after 4 s here (30 s in production), so its audit test need not wait 50 s
    env = {"ENBEK_STORE": str(data_dir / "enbek.duckdb"), "ENBEK_TILES": "", "ENBEK_CLOSED_TAB_SECONDS": "4"}
    with official_app(data_dir, env=env) as url:
        yield url, data_dir, top


def fetch(url: str, headers: dict[str, str] | None = None) -> tuple[int, bytes]:
    """GET from outside any browser session (no cookies, no websocket): status code and body."""
    try:
        with urllib.request.urlopen(urllib.request.Request(url, headers=headers or {}), timeout=10) as answer:
            return int(answer.status), answer.read()
    except urllib.error.HTTPError as exc:
        return int(exc.code), b""


def fetch_status(url: str) -> int:
    return fetch(url)[0]


def audit(data_dir: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in (data_dir / "audit.log").read_text(encoding="utf-8").splitlines()]


def is_media(url: str) -> bool:
    """Streamlit's /media/<id> route (not /static/media/, the app's fonts)."""
    return urlparse(url).path.startswith("/media/")


def media_requests(page: Any) -> list[str]:
    seen: list[str] = []
    page.on("request", lambda request: seen.append(request.url) if is_media(request.url) else None)
    return seen


def test_inspection_list_download_lives_only_inside_the_session(app: tuple[str, Path, list[str]]) -> None:
    import openpyxl
    from playwright.sync_api import sync_playwright

    url, data_dir, hostile_bins = app
    creds = demo_credentials(data_dir)
    offline = Offline()
    with sync_playwright() as pw, offline_page(pw, offline) as page:
        seen = media_requests(page)
        log_in(page, base_url=url, username=USER, password=creds[USER], lang="en")
        go_to(page, url_path="inspection-list")
        page.get_by_test_id("stDataFrame").first.wait_for(timeout=60_000)
        assert seen == []  # nothing is prepared before the click
        assert not [e for e in audit(data_dir) if e["action"] == "download_list"]

        with page.expect_download(timeout=60_000) as csv_info:
            page.get_by_role("button", name="Download CSV").click()
        csv_download = csv_info.value
        csv_bytes = Path(csv_download.path()).read_bytes()
        with page.expect_download(timeout=60_000) as xlsx_info:
            page.get_by_role("button", name="Download XLSX").click()
        xlsx_bytes = Path(xlsx_info.value.path()).read_bytes()
        screenshot(page, "inspection_list_downloads")
        assert len(seen) == 2, seen
        assert seen[0] != seen[1], seen
        csv_url, xlsx_url = seen
        assert csv_download.suggested_filename == "inspection_list_35_en.csv"

        # the file as the user got it: only Karaganda, hostile names neutralised
        import pandas as pd

        from geo.regions import region_name

        frame = pd.read_csv(io.BytesIO(csv_bytes), dtype={"BIN": str, "KATO": str}, encoding="utf-8-sig")
        assert set(frame["Region"]) == {region_name("35", "en")}
        assert set(frame["KATO"].str[:2]) == {"35"}
        names = dict(zip(frame["BIN"], frame["Name"], strict=True))
        assert [names[b] for b in hostile_bins] == ["'" + h for h in HOSTILE]
        sheet = openpyxl.load_workbook(io.BytesIO(xlsx_bytes)).active
        name_col = [c.value for c in sheet[1]].index("Name") + 1
        cells = [sheet.cell(row=r, column=name_col) for r in range(2, 2 + len(HOSTILE))]
        assert [c.value for c in cells] == ["'" + h for h in HOSTILE]
        assert {c.data_type for c in cells} == {"s"}

        # the addresses are dead: to a client that never signed in, and to this browser too
        assert fetch_status(csv_url) == 404
        assert fetch_status(xlsx_url) == 404
        other = page.context.browser.new_context()
        try:
            assert other.request.get(csv_url).status == 404
        finally:
            other.close()
        assert page.request.get(xlsx_url).status == 404

        # a file built but not fetched yet (the browser's fetch is held back) dies at sign-out
        held: list[str] = []

        def hold(route: Any) -> None:
            held.append(route.request.url)
            route.abort()

        page.route(is_media, hold)
        page.get_by_role("button", name="Download CSV").click()
        page.wait_for_timeout(3000)
        assert len(held) == 1, held
        assert held[0] not in (csv_url, xlsx_url), held
        log_out(page, lang="en")
        assert fetch_status(held[0]) == 404
    assert offline.blocked == [], offline.blocked[:3]

    events = audit(data_dir)
    downloads = [e for e in events if e["action"] == "download_list"]
    assert [(e["user"], e["object"]) for e in downloads] == [
        (USER, "inspection_list_35_en.csv"), (USER, "inspection_list_35_en.xlsx"), (USER, "inspection_list_35_en.csv")]
    assert [e["detail"]["region"] for e in downloads] == ["35"] * 3
    assert len({e["detail"]["request_id"] for e in downloads}) == 3
    assert events[-1]["action"] == "logout"


def test_closed_tab_is_written_to_the_audit_log(app: tuple[str, Path, list[str]]) -> None:
    """Close a signed-in tab; another session's next run (or the sweeper thread) logs its end."""
    import time

    from playwright.sync_api import sync_playwright


    url, data_dir, _ = app
    creds = demo_credentials(data_dir)
    offline = Offline()
    with sync_playwright() as pw, offline_page(pw, offline) as page:
        log_in(page, base_url=url, username="demo-ministry", password=creds["demo-ministry"], lang="en")
        go_to(page, url_path="inspection-list")
        page.get_by_test_id("stDataFrame").first.wait_for(timeout=60_000)
        page.close()  # the tab goes away without signing out
    deadline = time.monotonic() + 4 + 2 * 2 + 30  # the app's grace (4 s) + two sweeps (2 s each) + slack
    while time.monotonic() < deadline:
        ended = [e for e in audit(data_dir) if e["action"] == "session_expired" and e["user"] == "demo-ministry"]
        if ended:
            break
        time.sleep(2)
    assert [(e["detail"]["reason"], e["detail"]["swept"]) for e in ended] == [("tab_closed", True)]


def test_official_briefing_pack_is_served_once(app: tuple[str, Path, list[str]]) -> None:
    """The official briefing pack lists enterprises: the same one-shot serving as the inspection list."""
    from playwright.sync_api import sync_playwright

    url, data_dir, _ = app
    creds = demo_credentials(data_dir)
    offline = Offline()
    with sync_playwright() as pw, offline_page(pw, offline) as page:
        seen = media_requests(page)
        log_in(page, base_url=url, username=USER, password=creds[USER], lang="en")
        button = page.get_by_role("button", name="Briefing pack (PDF)").first
        button.wait_for(timeout=60_000)
        with page.expect_download(timeout=120_000) as info:
            button.click()
        pdf = Path(info.value.path()).read_bytes()
        assert pdf.startswith(b"%PDF")
        pdf_urls = [u for u in seen if urlparse(u).path.endswith(".pdf")]
        assert len(pdf_urls) == 1, seen
        assert len(urlparse(pdf_urls[0]).path.split("/")[-1]) == 32 + len(".pdf")  # a random id, not a content hash
        assert fetch_status(pdf_urls[0]) == 404
        # a request dressed as the front end's check fetch (Fetch Metadata mode cors) never gets the bytes
        forged = fetch(pdf_urls[0], {"Sec-Fetch-Mode": "cors", "Sec-Fetch-Site": "same-origin", "Sec-Fetch-Dest": "empty"})
        assert forged[1] == b"", forged
        assert forged[0] in (200, 404), forged
    events = [e for e in audit(data_dir) if e["action"] == "download_list" and e["object"] == "briefing_inspection_list"]
    assert [e["user"] for e in events][-1:] == [USER]
