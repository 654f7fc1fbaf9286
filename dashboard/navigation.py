"""The app's pages in one place: add a PageSpec here (and its strings in a locale file) to add a page."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

DASHBOARD_DIR = Path(__file__).resolve().parent


@dataclass(frozen=True)
class PageSpec:
    url_path: str  # stable across languages; also the AppTest/Playwright handle
    script: str  # relative to dashboard/
    title_key: str  # i18n key of the title in the navigation
    group_key: str  # i18n key of the navigation section
    icon: str = ""
    official_only: bool = False  # shown only in ENBEK_MODE=official to a logged-in user


BAROMETER = "nav.barometer"
OFFICIAL = "nav.official"

PAGES: list[PageSpec] = [
    PageSpec("overview", "pages/overview.py", "page.overview", BAROMETER, ":material/dashboard:"),
    PageSpec("regions", "pages/regions.py", "page.regions", BAROMETER, ":material/map:"),
    PageSpec("sectors", "pages/sectors.py", "page.sectors", BAROMETER, ":material/factory:"),
    PageSpec("diseases", "pages/diseases.py", "page.diseases", BAROMETER, ":material/medical_services:"),
    PageSpec("targets", "pages/targets.py", "page.targets", BAROMETER, ":material/flag:"),
    PageSpec("international", "pages/international.py", "page.international", BAROMETER, ":material/public:"),
    PageSpec("methodology", "pages/methodology.py", "page.methodology", BAROMETER, ":material/menu_book:"),
    # Official pages (enterprise map, inspection list, ...) are appended here by their helpers, e.g.
    # PageSpec("enterprises", "pages/enterprises.py", "page.enterprises", OFFICIAL, ":material/pin_drop:", official_only=True),
    PageSpec("enterprise-map", "pages/enterprise_map.py", "page.enterprise_map", OFFICIAL, ":material/pin_drop:", official_only=True),
    PageSpec("inspection-list", "pages/inspection_list.py", "page.inspection_list", OFFICIAL, ":material/checklist:", official_only=True),
]


def visible_pages(*, mode: str, logged_in: bool) -> list[PageSpec]:
    """Public mode shows the barometer only; official mode adds official pages once a user is logged in."""
    return [p for p in PAGES if not p.official_only or (mode == "official" and logged_in)]


def script_path(spec: PageSpec) -> Path:
    return DASHBOARD_DIR / spec.script
