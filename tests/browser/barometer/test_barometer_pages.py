"""Every public barometer page in every language in a real browser (Debian Chromium via Playwright) against
`streamlit run`, with every non-local request blocked: it renders without an exception, carries the demo notice,
draws its map and charts. Screenshots of every page go to tests/browser/screenshots/."""

from __future__ import annotations

from typing import Any

import pytest

from dashboard.i18n import t
from tests.browser.barometer_app import BAROMETER, open_page, wait_for_map
from tests.browser.harness import screenshot

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
@pytest.mark.parametrize("spec", BAROMETER, ids=lambda s: s.url_path)
def test_every_page_renders(page: Any, app_url: str, spec: Any, lang: str) -> None:
    open_page(page, app_url, spec.url_path, lang)
    page.locator("h1", has_text=t(spec.title_key, lang)).wait_for(state="visible")
    assert page.get_by_test_id("stException").count() == 0
    assert page.get_by_text(t("demo.banner", lang)).count() >= 1
    if spec.url_path in ("overview", "regions", "sectors", "diseases", "measures"):
        wait_for_map(page)
    if spec.url_path == "gap":  # the small demo has too few injured for a gap: the page must say so, not draw nothing
        chart = page.locator("[data-testid=stVegaLiteChart] canvas, [data-testid=stVegaLiteChart] svg")
        none = page.get_by_text(t("gap.no_points", lang))
        chart.or_(none).first.wait_for(state="visible")
    elif spec.url_path != "methodology":
        page.locator("[data-testid=stVegaLiteChart] canvas, [data-testid=stVegaLiteChart] svg").first.wait_for(state="visible")
    page.wait_for_timeout(500)
    screenshot(page, f"barometer_{spec.url_path}_{lang}")
