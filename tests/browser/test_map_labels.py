"""Region labels of the barometer's choropleths in a real browser (Debian Chromium, every non-local request blocked):
on a 390 px phone and at 1440 px every label (short name and value) lies whole inside its map, no two labels cover
each other, and a phone's labels keep a legible size (issue 16: "nothing cut at 1440 px or on a 390 px phone").
Screenshots of each map go to tests/browser/screenshots/map_labels_*.png."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

import pytest

from tests.browser.harness import SHOTS, chromium, offline_page, public_barometer, require_chromium, wait_ready

pytestmark = pytest.mark.browser
EDGE_TOLERANCE_PX = 0.5  # sub-pixel rounding of text boxes
OVERLAP_TOLERANCE_PX = 1.5  # two labels may touch (shared edge, rounding), not cover each other's letters
PHONE_FONT_FLOOR_PX = 9.0  # the smallest label text a phone reader is asked to read

# Every map frame's labels, measured where the reader sees them: the box of the text itself (a Range over the
# label's contents, so text overflowing a narrower box counts), the map container's box, the label's font size.
MEASURE_JS = """() => Array.from(document.querySelectorAll('.folium-map')).map((map) => {
    const c = map.getBoundingClientRect();
    const labels = Array.from(map.querySelectorAll('.enbek-label'))
        .filter((l) => getComputedStyle(l).visibility !== 'hidden' && l.getClientRects().length > 0)
        .map((l) => {
            const range = document.createRange();
            range.selectNodeContents(l);
            const r = range.getBoundingClientRect();
            const sizes = Array.from(l.querySelectorAll('*')).concat([l])
                .filter((e) => e.textContent.trim() !== '')
                .map((e) => parseFloat(getComputedStyle(e).fontSize));
            return {text: l.innerText.replace(/\\s+/g, ' ').trim(), left: r.left, top: r.top, right: r.right,
                    bottom: r.bottom, font: Math.min(...sizes)};
        });
    return {map: {left: c.left, top: c.top, right: c.right, bottom: c.bottom}, labels: labels};
})"""


def clipped(measured: dict[str, Any]) -> list[str]:
    """Labels whose text reaches past an edge of their map container (the container hides it there)."""
    box = measured["map"]
    return [
        f"{lab['text']!r} [{lab['left']:.1f}, {lab['top']:.1f}, {lab['right']:.1f}, {lab['bottom']:.1f}] outside "
        f"[{box['left']:.1f}, {box['top']:.1f}, {box['right']:.1f}, {box['bottom']:.1f}]"
        for lab in measured["labels"]
        if lab["left"] < box["left"] - EDGE_TOLERANCE_PX or lab["top"] < box["top"] - EDGE_TOLERANCE_PX
        or lab["right"] > box["right"] + EDGE_TOLERANCE_PX or lab["bottom"] > box["bottom"] + EDGE_TOLERANCE_PX
    ]


def overlapping(measured: dict[str, Any]) -> list[str]:
    """Pairs of labels whose text boxes cover each other by more than the tolerance in both directions."""
    labels = measured["labels"]
    out = []
    for i, a in enumerate(labels):
        for b in labels[i + 1:]:
            dx = min(a["right"], b["right"]) - max(a["left"], b["left"])
            dy = min(a["bottom"], b["bottom"]) - max(a["top"], b["top"])
            if dx > OVERLAP_TOLERANCE_PX and dy > OVERLAP_TOLERANCE_PX:
                out.append(f"{a['text']!r} × {b['text']!r} ({dx:.1f} × {dy:.1f} px)")
    return out


def test_the_checks_themselves_catch_a_cut_and_an_overlap() -> None:
    box = {"left": 0, "top": 0, "right": 100, "bottom": 50}
    inside = {"text": "A", "left": 10, "top": 10, "right": 40, "bottom": 30}
    cut = {"text": "B", "left": 80, "top": 10, "right": 104, "bottom": 30}
    touching = {"text": "C", "left": 40, "top": 10, "right": 60, "bottom": 30}
    covering = {"text": "D", "left": 30, "top": 20, "right": 50, "bottom": 40}
    assert clipped({"map": box, "labels": [inside, touching]}) == []
    assert clipped({"map": box, "labels": [inside, cut]}) == ["'B' [80.0, 10.0, 104.0, 30.0] outside [0.0, 0.0, 100.0, 50.0]"]
    assert overlapping({"map": box, "labels": [inside, touching]}) == []
    assert overlapping({"map": box, "labels": [inside, covering]}) == ["'A' × 'D' (10.0 × 10.0 px)"]


@pytest.fixture(scope="module")
def app_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    require_chromium()
    with public_barometer(tmp_path_factory.mktemp("map-labels-browser")) as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with chromium() as b:
        yield b


def _map_frames(page: Any) -> list[Any]:
    """The frames in which a folium map has drawn its regions (Leaflet loaded, paths in the overlay pane)."""
    page.frame_locator("[data-testid=stIFrame]").first.locator(".leaflet-overlay-pane svg path").first.wait_for(
        state="attached")
    page.frame_locator("[data-testid=stIFrame]").first.locator(".enbek-label").first.wait_for(state="attached")
    return [f for f in page.frames if f != page.main_frame and f.evaluate("() => typeof L !== 'undefined'")]


PAGES = {"overview": "overview?lang={lang}", "regions": "regions?lang={lang}&region=35&compare=55"}
PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 3, "is_mobile": True, "has_touch": True}
DESKTOP = {"viewport": {"width": 1440, "height": 900}}


@pytest.mark.parametrize("lang", ["kk", "ru"])
@pytest.mark.parametrize("width", [390, 1440])
def test_every_region_label_lies_whole_inside_its_map_and_none_covers_another(
        browser: Any, app_url: str, lang: str, width: int) -> None:
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    SHOTS.mkdir(exist_ok=True)
    problems: dict[str, list[str]] = {}
    with offline_page(browser, **(PHONE if width == 390 else DESKTOP)) as pg:
        for name, path in PAGES.items():
            pg.goto(f"{app_url}/{path.format(lang=lang)}")
            wait_ready(pg)
            frames = _map_frames(pg)
            assert frames, f"{name}: no map frame"
            for frame in frames:
                # labels are placed once Leaflet has fitted the bounds: give that a moment on a loaded machine,
                # then judge what is on screen
                with contextlib.suppress(PlaywrightTimeout):
                    frame.wait_for_function(
                        f"() => ({MEASURE_JS})().every((m) => m.labels.length === 20 && m.labels.every((l) => "
                        "l.left >= m.map.left && l.right <= m.map.right && l.top >= m.map.top && l.bottom <= m.map.bottom))",
                        timeout=10_000)
                all_measured = frame.evaluate(MEASURE_JS)
                # the picture first, so that a failure can be looked at
                iframe = pg.get_by_test_id("stIFrame").first
                iframe.scroll_into_view_if_needed()
                iframe.screenshot(path=str(SHOTS / f"map_labels_{name}_{lang}_{width}.png"))
                for measured in all_measured:
                    texts = [lab["text"] for lab in measured["labels"]]
                    assert len(texts) == 20, f"{name} {lang} {width}px: one visible label per region, got {texts}"
                    problems[f"{name}: cut by the map's edge"] = clipped(measured)
                    problems[f"{name}: covering each other"] = overlapping(measured)
                    if width == 390:
                        problems[f"{name}: text under {PHONE_FONT_FLOOR_PX} px on a phone"] = [
                            f"{lab['text']!r} {lab['font']} px" for lab in measured["labels"]
                            if lab["font"] < PHONE_FONT_FLOOR_PX]
    assert {k: v for k, v in problems.items() if v} == {}, f"{lang} {width}px"


# Labels whose point lies inside the map (each label's marker is a point at its region's label point).
IN_VIEW_JS = """() => Array.from(document.querySelectorAll('.folium-map')).map((map) => {
    const c = map.getBoundingClientRect();
    return Array.from(map.querySelectorAll('.enbek-label-icon')).filter((i) => {
        const r = i.getBoundingClientRect();
        return r.left >= c.left && r.left <= c.right && r.top >= c.top && r.top <= c.bottom;
    }).length;
})"""


def test_labels_are_placed_again_after_a_zoom_and_a_resize(browser: Any, app_url: str) -> None:
    """A reader zooms in on a phone (the labels of regions now off the map are hidden, the others kept inside and
    apart), then turns the phone (the map's width changes; the labels are placed again)."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    with offline_page(browser, **PHONE) as pg:
        pg.goto(f"{app_url}/{PAGES['regions'].format(lang='ru')}")
        wait_ready(pg)
        frame = _map_frames(pg)[0]
        frame.locator(".leaflet-control-zoom-in").click()
        frame.wait_for_function("() => !document.querySelector('.leaflet-zoom-anim')")
        pg.wait_for_timeout(800)  # the zoom animation ends, then the labels are placed
        measured = frame.evaluate(MEASURE_JS)[0]
        in_view = frame.evaluate(IN_VIEW_JS)[0]
        iframe = pg.get_by_test_id("stIFrame").first
        iframe.screenshot(path=str(SHOTS / "map_labels_regions_ru_390_zoomed.png"))
        assert 0 < len(measured["labels"]) < 20, "zoomed in, some regions leave the map"
        assert len(measured["labels"]) == in_view, "a label is shown exactly when its point is on the map"
        assert clipped(measured) == []
        assert overlapping(measured) == []
        portrait = measured["map"]["right"] - measured["map"]["left"]
        pg.set_viewport_size({"width": 844, "height": 390})  # the page puts the ranking beside a narrower map
        with contextlib.suppress(PlaywrightTimeout):
            frame.wait_for_function(f"(w) => Math.abs(({MEASURE_JS})()[0].map.right - ({MEASURE_JS})()[0].map.left - w) > 20",
                                    arg=portrait, timeout=20_000)
        pg.wait_for_timeout(800)
        measured = frame.evaluate(MEASURE_JS)[0]
        assert abs(measured["map"]["right"] - measured["map"]["left"] - portrait) > 20, "the map's width changed"
        assert len(measured["labels"]) == frame.evaluate(IN_VIEW_JS)[0]
        assert clipped(measured) == []
        assert overlapping(measured) == []
