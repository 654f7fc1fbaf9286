"""The app's pages in one place: add a PageSpec here (and its strings in a locale file) to add a page."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

DASHBOARD_DIR = Path(__file__).resolve().parent
# Page scripts live in dashboard/screens/, NOT dashboard/pages/: a directory named "pages" next to app.py
# switches Streamlit into its old multipage mode, which runs page files directly (no st.navigation, no
# language picker, no login hook). tests/app/test_navigation.py fails if such a directory appears.
SCREENS_DIR = DASHBOARD_DIR / "screens"


@dataclass(frozen=True)
class PageSpec:
    url_path: str  # stable across languages; also the AppTest/Playwright handle
    script: str  # relative to dashboard/
    title_key: str  # i18n key of the title in the navigation
    group_key: str  # i18n key of the navigation section
    icon: str = ""
    official_only: bool = False  # shown only in ENBEK_MODE=official to a logged-in user
    roles: tuple[str, ...] = ("ministry", "akimat")  # official pages: the roles that see them


BAROMETER = "nav.barometer"
OFFICIAL = "nav.official"
EMPLOYERS = "nav.employers"

PAGES: list[PageSpec] = [
    PageSpec("overview", "screens/overview.py", "page.overview", BAROMETER, ":material/dashboard:"),
    PageSpec("regions", "screens/regions.py", "page.regions", BAROMETER, ":material/map:"),
    PageSpec("sectors", "screens/sectors.py", "page.sectors", BAROMETER, ":material/factory:"),
    PageSpec("diseases", "screens/diseases.py", "page.diseases", BAROMETER, ":material/medical_services:"),
    PageSpec("targets", "screens/targets.py", "page.targets", BAROMETER, ":material/flag:"),
    PageSpec("gap", "screens/gap.py", "page.gap", BAROMETER, ":material/compare_arrows:"),
    PageSpec("measures", "screens/measures.py", "page.measures", BAROMETER, ":material/health_and_safety:"),
    PageSpec("international", "screens/international.py", "page.international", BAROMETER, ":material/public:"),
    PageSpec("methodology", "screens/methodology.py", "page.methodology", BAROMETER, ":material/menu_book:"),
    PageSpec("self-check", "screens/self_check.py", "page.self_check", EMPLOYERS, ":material/fact_check:"),
    PageSpec("enterprise-map", "screens/enterprise_map.py", "page.enterprise_map", OFFICIAL, ":material/pin_drop:", official_only=True),
    PageSpec("inspection-list", "screens/inspection_list.py", "page.inspection_list", OFFICIAL, ":material/checklist:", official_only=True),
    PageSpec("desk-checks", "screens/desk_checks.py", "page.desk_checks", OFFICIAL, ":material/plagiarism:", official_only=True),
    PageSpec("register-upload", "screens/register_upload.py", "page.register_upload", OFFICIAL, ":material/upload_file:",
             official_only=True, roles=("ministry", "assessor")),
]


def visible_pages(*, mode: str, logged_in: bool, role: str | None = None) -> list[PageSpec]:
    """Public mode shows the public pages only; official mode adds the official pages of the user's role once a
    user is logged in (an unknown role gets the pages every enterprise role may see, never the assessor's)."""
    def allowed(spec: PageSpec) -> bool:
        return role in spec.roles if role is not None else {"ministry", "akimat"} <= set(spec.roles)

    return [p for p in PAGES if not p.official_only or (mode == "official" and logged_in and allowed(p))]


def script_path(spec: PageSpec) -> Path:
    return DASHBOARD_DIR / spec.script
