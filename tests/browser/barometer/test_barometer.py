"""The barometer in a real browser (Debian Chromium via Playwright) against `streamlit run`, with every non-local
request blocked: each page renders, the choropleth is drawn by Leaflet served from the app itself, the language
switch changes the visible text and survives a page change, downloads deliver files. Screenshots of every page
go to tests/browser/screenshots/."""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Any

import pytest

from dashboard.i18n import t
from tests.browser.barometer_app import BAROMETER, heading, open_folded, open_page, wait_for_map
from tests.browser.harness import SHOTS, offline_page, screenshot, wait_ready

pytestmark = pytest.mark.browser


def test_choropleth_is_drawn_with_leaflet_served_by_the_app(page: Any, app_url: str) -> None:
    leaflet_requests: list[str] = []
    page.on("request", lambda r: leaflet_requests.append(r.url) if "leaflet" in r.url else None)
    open_page(page, app_url, "overview", "en")
    frame = wait_for_map(page)
    paths = frame.locator(".leaflet-overlay-pane svg path")
    assert paths.count() == 20, "one SVG path per region"
    fills = {paths.nth(i).get_attribute("fill") for i in range(paths.count())}
    assert len(fills - {"#ffffff", "url(#enbek-hatch)"}) >= 3, f"classed colours expected, got {fills}"
    legend = frame.locator(".enbek-legend")
    assert "per 1 000 workers" in legend.inner_text()
    assert "confidential" in legend.inner_text()
    assert "no data" in legend.inner_text()
    assert "amCharts" in frame.locator(".leaflet-control-attribution").inner_text()
    assert any(u.startswith(f"{app_url}/app/static/leaflet/leaflet.js") for u in leaflet_requests), leaflet_requests
    page.get_by_test_id("stIFrame").first.screenshot(path=str(SHOTS / "barometer_map_overview_en.png"))


def test_regions_map_highlights_and_change_map_draws(page: Any, app_url: str) -> None:
    open_page(page, app_url, "regions", "en")
    frame = wait_for_map(page)
    # the chosen region is outlined
    assert frame.locator(".leaflet-overlay-pane svg path[stroke='#d7301f']").count() == 1
    page.get_by_text(t("widget.change", "en")).click()
    wait_ready(page)
    page.locator("h3", has_text="→").first.wait_for(state="visible")
    frame = wait_for_map(page)
    assert frame.locator(".leaflet-overlay-pane svg path").count() == 20
    screenshot(page, "barometer_regions_change_en")


def test_series_picker_names_and_defines_the_series(page: Any, app_url: str) -> None:
    from data import series as series_registry

    open_page(page, app_url, "overview", "kk")
    sidebar = page.get_by_test_id("stSidebar")
    sidebar.get_by_text(t("series.label", "kk"), exact=True).first.wait_for(state="visible")
    page.wait_for_function("() => location.search.includes('series=')")
    chosen = page.url.split("series=")[1].split("&")[0]
    assert series_registry.definition(chosen, "kk") in sidebar.inner_text()
    assert series_registry.label(chosen, "kk") in page.get_by_test_id("stMain").locator("h3").first.inner_text()
    screenshot(page, "barometer_series_kk")


def test_language_switch_changes_text_and_survives_page_change(page: Any, app_url: str) -> None:
    open_page(page, app_url, "overview", "kk")
    assert heading(page) == t("page.overview", "kk")
    sidebar = page.get_by_test_id("stSidebar")
    sidebar.get_by_text("Русский", exact=True).click()
    page.locator("h1", has_text=t("page.overview", "ru")).wait_for(state="visible")
    assert "lang=ru" in page.url
    assert page.get_by_text(t("demo.banner", "ru")).count() >= 1
    sidebar.locator("[data-testid=stSidebarNav] a[href$='/sectors']").click()
    page.locator("h1", has_text=t("page.sectors", "ru")).wait_for(state="visible")
    page.wait_for_function("() => location.search.includes('lang=ru')")
    nav_text = sidebar.locator("[data-testid=stSidebarNav]").inner_text()
    assert t("page.regions", "ru") in nav_text
    assert t("page.regions", "kk") not in nav_text
    screenshot(page, "barometer_language_switched_ru")


def test_downloads_deliver_csv_xlsx_and_png(page: Any, app_url: str, tmp_path: Path) -> None:
    open_page(page, app_url, "methodology", "en")
    buttons = page.get_by_test_id("stDownloadButton")
    buttons.first.wait_for(state="visible")
    # the page is long (a section per indicator): wait until all seven tables' buttons are drawn before counting
    page.wait_for_function("() => [...document.querySelectorAll('[data-testid=stDownloadButton]')]"
                           ".filter((b) => b.innerText.includes('CSV')).length >= 7")
    with page.expect_download() as info:
        buttons.filter(has_text="CSV").nth(3).click()  # definitions, series, dataset, then the indicator table
    path = tmp_path / info.value.suggested_filename
    info.value.save_as(path)
    assert path.name == "indicators.csv"
    header = path.read_text(encoding="utf-8-sig").splitlines()[0]
    assert header.startswith("year,basis,series,region,section")
    with page.expect_download() as info:
        buttons.filter(has_text="XLSX").nth(3).click()
    xlsx = tmp_path / info.value.suggested_filename
    info.value.save_as(xlsx)
    assert xlsx.read_bytes()[:2] == b"PK"
    open_page(page, app_url, "targets", "en")
    with page.expect_download() as info:
        page.get_by_test_id("stDownloadButton").filter(has_text="PNG").first.click()
    png = tmp_path / info.value.suggested_filename
    info.value.save_as(png)
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"



def test_a_text_alternative_is_sent_when_opened_and_offers_its_downloads(page: Any, app_url: str) -> None:
    open_page(page, app_url, "overview", "en")
    expander = page.get_by_test_id("stExpander").filter(has_text=t("text_alternative", "en"))
    expander.wait_for(state="visible")
    assert page.get_by_test_id("stDataFrame").count() == 0, "a closed text alternative is not sent"
    open_folded(page, expander)  # reruns the page, which now builds the table
    grid = expander.get_by_test_id("stDataFrame")
    grid.wait_for(state="visible")
    wait_ready(page)
    # (a button's text starts with its icon's ligature name, "download")
    assert [b.inner_text().split()[-1] for b in expander.get_by_test_id("stDownloadButton").all()] == ["CSV", "XLSX"]
    assert page.get_by_test_id("stDataFrame").count() == 1, "the official figures stay folded"
    with page.expect_download() as info:
        expander.get_by_test_id("stDownloadButton").filter(has_text="CSV").click()
    assert info.value.suggested_filename.startswith("ranking_injury_rate_1000_")


def test_clicking_a_ranking_row_opens_that_region(page: Any, app_url: str) -> None:
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    open_page(page, app_url, "regions", "en")
    first = page.locator("h2").first.inner_text()
    grid = page.get_by_test_id("stDataFrame").first
    grid.wait_for(state="visible")
    page.wait_for_timeout(1500)  # the grid becomes interactive after its first paint
    box = grid.bounding_box()
    changed = False
    # the selection column is the left-most; rows are 35 px under a 35 px header. One of the rows tried is
    # not the region already shown.
    for row in (3, 4):
        page.mouse.click(box["x"] + 14, box["y"] + 35 * row + 17)
        try:
            page.wait_for_function("(old) => { const h = document.querySelector('h2'); return h && h.innerText !== old; }",
                                   arg=first, timeout=20_000)
            changed = True
            break
        except PlaywrightTimeout:
            continue
    assert changed, "clicking a ranking row did not change the region profile"
    assert "region profile" in page.locator("h2").first.inner_text()


def test_a_deep_link_opens_karaganda_against_pavlodar_in_kazakh_and_the_first_page_has_its_own_address(
        page: Any, app_url: str) -> None:
    page.goto(f"{app_url}/regions?lang=kk&indicator=fatal_rate_1000&year=2023&region=35&compare=55")
    wait_ready(page)
    page.locator("h1", has_text=t("page.regions", "kk")).wait_for(state="visible")
    assert page.get_by_test_id("stException").count() == 0
    page.locator("h3", has_text="Павлодар облысы").first.wait_for(state="visible")
    page.locator("h2", has_text="Қарағанды облысы").first.wait_for(state="visible")
    for part in ("indicator=fatal_rate_1000", "year=2023", "region=35", "compare=55", "lang=kk"):
        assert part in page.url, page.url
    wait_for_map(page)
    screenshot(page, "barometer_regions_compare_kk")
    # the first page answers under its own name too (it used to open Streamlit's English "Page not found")
    page.goto(f"{app_url}/overview?lang=kk")
    wait_ready(page)
    page.locator("h1", has_text=t("page.overview", "kk")).wait_for(state="visible")
    assert page.get_by_text("Page not found").count() == 0


@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_on_a_phone_the_map_has_labels_and_nothing_is_cut(browser: Any, app_url: str, lang: str) -> None:
    with offline_page(browser, viewport={"width": 390, "height": 844}, device_scale_factor=2, is_mobile=True, has_touch=True) as pg:
        pg.goto(f"{app_url}/regions?lang={lang}&region=35&compare=55")
        wait_ready(pg)
        frame = wait_for_map(pg)
        labels = frame.locator(".enbek-label")
        labels.nth(19).wait_for(state="attached")  # the labels are placed in the browser after the regions are drawn
        assert labels.count() == 20, "one label per region"
        assert "км" in frame.locator(".leaflet-control-scale").inner_text()
        assert "mi" not in frame.locator(".leaflet-control-scale").inner_text()
        # nothing wider than the phone: no horizontal scrolling of the page
        assert pg.evaluate("() => document.documentElement.scrollWidth") <= 390 + 1
        pg.screenshot(path=str(SHOTS / f"barometer_phone_regions_{lang}.png"), full_page=False)
        pg.get_by_test_id("stIFrame").first.screenshot(
            path=str(SHOTS / f"barometer_phone_map_{lang}.png"))


def _click_region(page: Any, code: str) -> None:
    """A real mouse click on the middle of region `code`'s polygon in the map iframe (labels let clicks through)."""
    map_frame = next(f for f in page.frames if f != page.main_frame and f.evaluate("() => typeof L !== 'undefined'"))
    point = map_frame.evaluate(
        """(code) => { let out = null; for (const k in window) { const v = window[k];
             if (v && v.eachLayer && v.toGeoJSON && v.getLayers) { v.eachLayer((l) => {
               if (l.feature && l.feature.properties.kato === code) { const m = l._map;
                 const c = m.latLngToContainerPoint(l.getBounds().getCenter()); const r = m.getContainer().getBoundingClientRect();
                 out = [c.x + r.left, c.y + r.top]; } }); } } return out; }""", code)
    assert point is not None, f"region {code} is not on the map"
    iframe = page.get_by_test_id("stIFrame").first
    iframe.scroll_into_view_if_needed()
    page.get_by_test_id("stBidiComponentIsolated").first.wait_for(state="attached")  # the listener is on the page
    page.wait_for_timeout(500)
    box = iframe.bounding_box()
    page.mouse.click(box["x"] + point[0], box["y"] + point[1])


def _pick(page: Any, code: str, done: str) -> None:
    """Click region `code` until `done` (a JS condition) holds: a click sent while the page still reruns is lost."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    for _attempt in range(3):
        wait_ready(page)
        wait_for_map(page)
        _click_region(page, code)
        try:
            page.wait_for_function(done, timeout=30_000)
            return
        except PlaywrightTimeout:
            continue
    raise AssertionError(f"three clicks on region {code} did not pick it; url {page.url}")


def test_clicking_a_region_on_the_map_opens_it_and_can_pick_the_region_compared(page: Any, app_url: str) -> None:
    """Issue 16 ask 1: pick from the map. The Leaflet map posts the clicked region's KATO code to the page, a custom
    component hands it to Python, and the region (or, with "the region compared", region B) changes with the URL."""
    page.goto(f"{app_url}/regions?lang=en&region=35")
    wait_ready(page)
    wait_for_map(page)
    assert page.locator("h2").first.inner_text().startswith("Karaganda Region")
    _pick(page, "55", "() => document.querySelector('h2')?.innerText.startsWith('Pavlodar Region')")
    assert "region=55" in page.url
    wait_ready(page)
    page.get_by_test_id("stButtonGroup").get_by_text("the region compared").click()
    _pick(page, "35", "() => Array.from(document.querySelectorAll('h3')).some((h) => h.innerText.startsWith("
                      "'Karaganda Region: region profile'))")
    assert "compare=35" in page.url
    assert page.locator("h2").first.inner_text().startswith("Pavlodar Region")  # region A stayed
    page.get_by_text("every indicator").first.wait_for(state="visible")  # the side-by-side table of all indicators
    screenshot(page, "barometer_regions_map_pick_en")


@pytest.mark.parametrize("lang", ["kk", "ru"])
@pytest.mark.parametrize("width", [1440, 390])
def test_no_card_value_is_cut_at_1440_px_or_on_a_phone(browser: Any, app_url: str, lang: str, width: int) -> None:
    """Issue 16 ask 6: "нет данных" was cut to "нет да…" in narrow cards. No number or status word of a card may be
    wider than its box, and the page never scrolls sideways."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    with offline_page(browser, viewport={"width": width, "height": 900}, is_mobile=width < 500) as pg:
        for path in (f"overview?lang={lang}&year=2021", f"regions?lang={lang}&region=35&compare=55"):
            pg.goto(f"{app_url}/{path}")
            wait_ready(pg)
            pg.locator("[data-testid=stMetricValue], p[style*='1.5rem']").first.wait_for(state="visible")
            cut_js = """() => Array.from(document.querySelectorAll(
                    "[data-testid=stMetricValue], [data-testid=stMetricValue] *, p[style*='1.5rem']"))
                .filter((e) => e.scrollWidth > e.clientWidth + 1 || getComputedStyle(e).textOverflow === 'ellipsis')
                .map((e) => [e.innerText, e.scrollWidth, e.clientWidth, getComputedStyle(e).textOverflow])"""
            # the cards' style block may land a moment after the cards on a loaded machine: give it time, then judge
            with contextlib.suppress(PlaywrightTimeout):
                pg.wait_for_function(f"() => ({cut_js})().length === 0", timeout=15_000)
            cut = pg.evaluate(cut_js)
            assert cut == [], (path, width, cut)
            assert pg.evaluate("() => document.documentElement.scrollWidth") <= width + 1, (path, width)
        pg.locator("[data-testid=stMetricValue]").first.scroll_into_view_if_needed()
        pg.screenshot(path=str(SHOTS / f"barometer_cards_{lang}_{width}.png"))


def test_every_chart_offers_its_methodology_and_the_link_opens_its_section(page: Any, app_url: str) -> None:
    """Issue 16 ask 4: definition, source, denominator and caveats one click from a chart; the link lands on the
    indicator's own section of the methodology page (in the same language)."""
    open_page(page, app_url, "sectors", "kk")
    about = page.get_by_test_id("stPopoverButton").filter(has_text=t("about.label", "kk"))
    # the ranking, the heat map, the sector's map, workers in harmful conditions: the page streams them one by one
    # (CI counted 2 while the map was still being drawn), so the fourth is awaited before counting
    about.nth(3).wait_for(state="attached")
    assert about.count() >= 4
    about.first.click()
    body = page.get_by_test_id("stPopoverBody")
    body.get_by_text(t("about.denominator", "kk")).first.wait_for(state="visible")
    href = body.get_by_role("link").first.get_attribute("href")
    assert href == "methodology?lang=kk&indicator=injury_rate_1000#ind-injury_rate_1000", href
    page.goto(f"{app_url}/{href}")
    wait_ready(page)
    section = page.locator("#ind-injury_rate_1000")
    section.wait_for(state="attached")
    page.wait_for_function("() => { const r = document.getElementById('ind-injury_rate_1000').getBoundingClientRect();"
                           " return r.top >= 0 && r.top < 300; }", timeout=20_000)
    screenshot(page, "barometer_methodology_section_kk")


def test_clicking_a_region_on_the_overview_map_opens_it_on_the_regions_page(page: Any, app_url: str) -> None:
    """Issue 16: the Overview map picks like the Regions one: a click on a region opens the Regions page for that
    region with the Overview's language, indicator and year in the address."""
    page.goto(f"{app_url}/overview?lang=en&indicator=fatal_rate_1000&year=2023")
    wait_ready(page)
    page.locator("h1", has_text=t("page.overview", "en")).wait_for(state="visible")
    # a click is repeated only while the Overview is still shown (a click on the Regions map would hide a wrong region)
    _pick(page, "55", "() => location.pathname.endsWith('/regions')")
    page.wait_for_function("() => document.querySelector('h2')?.innerText.startsWith('Pavlodar Region')")
    wait_ready(page)
    page.locator("h1", has_text=t("page.regions", "en")).wait_for(state="visible")
    for part in ("lang=en", "indicator=fatal_rate_1000", "year=2023", "region=55"):
        assert part in page.url, page.url
    assert page.get_by_test_id("stException").count() == 0
    assert page.locator("h2").first.inner_text().startswith("Pavlodar Region: region profile, 2023")
    # the Regions page draws what the link asked for: the map of the Overview's indicator and year
    page.locator("h3", has_text=f"{t('ind.fatal_rate_1000', 'en')}, 2023").first.wait_for(state="visible")
    screenshot(page, "barometer_overview_map_pick_en")


# The ranking grid is drawn on a canvas: its column borders are read from the header row's pixels (the border
# colour of the app's theme) and each header's text is measured in the grid's own font.
_GRID_HEADERS_JS = """(index) => {
  const grid = document.querySelectorAll('[data-testid=stDataFrame]')[index];
  const canvas = grid.querySelector('canvas[data-testid=data-grid-canvas]');
  const px = canvas.getContext('2d').getImageData(0, 3, canvas.width, 1).data;
  const ratio = canvas.width / canvas.clientWidth;
  const borders = [];
  for (let x = 0; x < canvas.width; x++) {
    if (px[4 * x] === 232 && px[4 * x + 1] === 229 && px[4 * x + 2] === 226) { borders.push(x / ratio); }
  }
  const style = getComputedStyle(grid.querySelector('.stDataFrameGlideDataEditor'));
  const font = `${style.getPropertyValue('--gdg-header-font-style').trim()} ${style.getPropertyValue('--gdg-font-family').trim()}`;
  const measure = document.createElement('canvas').getContext('2d');
  measure.font = font;
  const heads = Array.from(grid.querySelectorAll('th[role=columnheader]'))
    .map((h) => [h.innerText, measure.measureText(h.innerText).width]);
  return {visible: canvas.clientWidth, borders, heads};
}"""


def _assert_ranking_reads_in_full(pg: Any, lang: str, *, selectable: bool) -> None:
    """The first ranking grid of the page: rank, region and value lie inside the grid and each header fits its
    column; the value column's full header is the caption above the grid."""
    from dashboard.views.common import header
    from osh.registry import indicator

    grid = pg.get_by_test_id("stDataFrame").first
    grid.scroll_into_view_if_needed()
    grid.locator("th[role=columnheader]").nth(2).wait_for(state="attached")  # its accessible copy of the headers
    pg.wait_for_timeout(1500)  # the grid paints after it is laid out
    shown = pg.evaluate(_GRID_HEADERS_JS, 0)
    labels = [h[0] for h in shown["heads"]]
    assert labels[:3] == [t("col.rank_short", lang), t("col.region", lang), t("col.value", lang)], shown
    borders = [b for i, b in enumerate(shown["borders"]) if i == 0 or b - shown["borders"][i - 1] > 2]
    # a border after each column (the row-selection column first when rows can be picked)
    edges = borders if selectable else [0.0, *borders]
    assert len(edges) >= 4, shown
    assert edges[3] <= shown["visible"], f"the value column ends outside the grid: {shown}"
    for (label, width), left, right in zip(shown["heads"][:3], edges[:3], edges[1:4], strict=True):
        assert width + 2 * 8 <= right - left, f"header {label!r} ({width:.0f} px) is cut in {right - left:.0f} px"
    year = int(pg.url.split("year=")[1].split("&")[0])
    full = header(indicator("injury_rate_1000"), lang, year)
    assert pg.get_by_text(f"{t('col.rank_short', lang)}: {t('col.rank', lang)} · {t('col.value', lang)}: {full}",
                          exact=True).count() == 1, "the full headers are shown above the grid"


@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
def test_at_1440_px_the_ranking_header_and_every_sidebar_entry_read_in_full(browser: Any, app_url: str, lang: str) -> None:
    """Issue 16: the ranking beside the map cut its value header ("Injury rate, 2024 (per 1…") and the sidebar cut
    "Нысаналы көрсеткіштер 2024…". At 1440 × 900 the rank, region and value columns of the ranking (beside the
    Regions map, and the Overview's text alternative of its ranking chart) lie inside the grid, each header fits
    its column (the full value header is the caption above the grid), and no page name is cut."""
    with offline_page(browser, viewport={"width": 1440, "height": 900}) as pg:
        pg.goto(f"{app_url}/regions?lang={lang}&region=35")
        wait_ready(pg)
        wait_for_map(pg)
        _assert_ranking_reads_in_full(pg, lang, selectable=True)
        pg.screenshot(path=str(SHOTS / f"barometer_ranking_1440_{lang}.png"))
        nav = pg.get_by_test_id("stSidebarNav")
        cut = pg.evaluate("""() => Array.from(document.querySelectorAll('[data-testid=stSidebarNavLink], [data-testid=stSidebarNavLink] *'))
            .filter((e) => e.scrollWidth > e.clientWidth + 1)
            .map((e) => [e.tagName, e.innerText, e.scrollWidth, e.clientWidth])""")
        assert cut == [], cut
        for spec in BAROMETER:
            assert nav.get_by_text(t(spec.title_key, lang), exact=True).count() == 1, spec.title_key
        pg.get_by_test_id("stSidebar").screenshot(
            path=str(SHOTS / f"barometer_sidebar_1440_{lang}.png"))
        pg.goto(f"{app_url}/overview?lang={lang}")
        wait_ready(pg)
        wait_for_map(pg)
        open_folded(pg, pg.get_by_test_id("stExpander").filter(has_text=t("text_alternative", lang)).first)
        _assert_ranking_reads_in_full(pg, lang, selectable=False)
        pg.screenshot(path=str(SHOTS / f"barometer_overview_ranking_1440_{lang}.png"))


# (page, its folded expanders, the static tables it shows at least once they are open): the tables of sentences,
# each page in one language (the compare table in both) to keep the suite's time
_PROSE_PAGES = {
    "kk": (("regions?lang=kk&region=35&compare=55&year=2023", 1, 2), ("methodology?lang=kk", 0, 2),
           ("international?lang=kk", 3, 3)),
    "ru": (("regions?lang=ru&region=35&compare=55&year=2023", 1, 2), ("targets?lang=ru", 1, 1),
           ("overview?lang=ru", 2, 1)),
}
# a cell's text wider than its cell; a page-wide table wider than the page (a table in a half-width column, as the
# two sector profiles of a comparison, may scroll sideways in its keyboard-focusable box)
_CUT_JS = """() => Array.from(document.querySelectorAll('[data-testid=stTable]')).flatMap((t, i) =>
    [...(t.clientWidth >= 900 ? [t, ...t.querySelectorAll('[role=region]')] : []), ...t.querySelectorAll('td, th, p')]
      .filter((e) => e.scrollWidth > e.clientWidth + 1)
      .map((e) => [i, e.tagName, e.innerText.slice(0, 60), e.scrollWidth, e.clientWidth]))"""


@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_at_1440_px_tables_of_sentences_wrap_and_nothing_in_them_is_cut(browser: Any, app_url: str, lang: str) -> None:
    """Issue 16 ask 6: grids draw each cell on one line, and at 1440 px they cut the compare table's verdict
    ("аралықтар қиылыса…"), "коэффициент жоқ (өлім…", the targets' indicator names, the methodology's
    definitions, the official figures' citations and the international definitions. Such tables are now static
    tables whose cells wrap (dashboard.render.is_prose): on every page that has them no cell's text is wider than
    its cell, and no page-wide table is wider than the page (scrolling sideways would hide its last columns)."""
    with offline_page(browser, viewport={"width": 1440, "height": 900}) as pg:
        for path, folded, want in _PROSE_PAGES[lang]:
            pg.goto(f"{app_url}/{path}")
            wait_ready(pg)
            pg.locator("h1").first.wait_for(state="visible")
            boxes = pg.get_by_test_id("stExpander")
            if folded:
                boxes.nth(folded - 1).wait_for(state="attached")  # the page streams its parts: the last one drawn
            for i in range(folded):  # open the folded text alternatives; each is built by the rerun it starts
                open_folded(pg, boxes.nth(i))
            pg.get_by_test_id("stTable").nth(want - 1).wait_for(state="visible")
            pg.wait_for_timeout(500)
            assert pg.get_by_test_id("stTable").count() >= want, path
            cut = pg.evaluate(_CUT_JS)
            assert cut == [], (path, cut)
            compare = pg.get_by_test_id("stTable").filter(has_text=t("compare.verdict", lang))
            if path.startswith("regions"):
                compare.scroll_into_view_if_needed()
                compare.screenshot(path=str(SHOTS / f"barometer_compare_table_1440_{lang}.png"))
