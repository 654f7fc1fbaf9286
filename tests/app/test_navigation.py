"""Navigation and translations: page registry, the missing 'pages/' directory, every key in kk/ru/en, every used key defined."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from dashboard import i18n
from dashboard.i18n import LANGS, TranslationError, load_table, t
from dashboard.navigation import DASHBOARD_DIR, PAGES, script_path, visible_pages

ROOT = Path(__file__).resolve().parents[2]


def test_no_pages_directory_next_to_app_py() -> None:
    # A dashboard/pages/ directory makes Streamlit ignore st.navigation (old multipage mode) in a real server.
    assert not (DASHBOARD_DIR / "pages").exists(), "move page scripts to dashboard/screens/ and list them in navigation.PAGES"


def test_every_page_script_exists_and_url_paths_are_unique() -> None:
    for spec in PAGES:
        assert script_path(spec).is_file(), spec
    urls = [p.url_path for p in PAGES]
    assert len(urls) == len(set(urls))


def test_public_mode_and_signed_out_official_mode_show_only_the_barometer() -> None:
    barometer = [p for p in PAGES if not p.official_only]
    assert visible_pages(mode="public", logged_in=True) == barometer
    assert visible_pages(mode="official", logged_in=False) == barometer
    enterprise_pages = [p for p in PAGES if not p.official_only or {"ministry", "akimat"} <= set(p.roles)]
    assert visible_pages(mode="official", logged_in=True) == enterprise_pages
    assert visible_pages(mode="official", logged_in=True, role="ministry") == PAGES
    assert visible_pages(mode="official", logged_in=True, role="akimat") == enterprise_pages
    # an assessor sees the public pages and the upload page only, never an enterprise page
    assert [p.url_path for p in visible_pages(mode="official", logged_in=True, role="assessor") if p.official_only] == ["register-upload"]


def test_every_key_has_all_three_languages() -> None:
    table = load_table()
    for key, entry in table.items():
        assert set(entry) == set(LANGS), key
        assert all(entry[lang].strip() for lang in LANGS), key


def test_a_locale_file_lacking_a_language_is_refused(tmp_path: Path) -> None:
    (tmp_path / "x.json").write_text(json.dumps({"greeting": {"kk": "Сәлем", "ru": "Привет"}}), encoding="utf-8")
    with pytest.raises(TranslationError, match=r"x.json: key 'greeting' lacks a text for en"):
        load_table(tmp_path)


def test_a_key_defined_in_two_files_is_refused(tmp_path: Path) -> None:
    entry = {"kk": "а", "ru": "б", "en": "c"}
    (tmp_path / "a.json").write_text(json.dumps({"k": entry}), encoding="utf-8")
    (tmp_path / "b.json").write_text(json.dumps({"k": entry}), encoding="utf-8")
    with pytest.raises(TranslationError, match=r"key 'k' is defined in both a.json and b.json"):
        load_table(tmp_path)


def test_an_unknown_key_names_the_locales_directory() -> None:
    with pytest.raises(TranslationError, match=r"no translation for key 'nope.nothing'; add it to a file in .*locales"):
        t("nope.nothing", "en")


# Literal keys: t("key", ...) ; prefixed keys built with an f-string: t(f"prefix.{x}", ...)
_LITERAL = re.compile(r"""\bt\(\s*["']([A-Za-z0-9_.\-]+)["']""")
_PREFIX = re.compile(r"""\bt\(\s*f["']([A-Za-z0-9_\-]+)\.\{""")
_TITLE_KEYS = re.compile(r"""PageSpec\([^)]*?["'](page\.[a-z_]+)["'],\s*(\w+|["'][a-z.]+["'])""")


def _sources() -> list[Path]:
    return sorted(DASHBOARD_DIR.rglob("*.py"))


def test_every_literal_key_used_by_the_dashboard_exists() -> None:
    table = load_table()
    missing = {}
    for path in _sources():
        for key in _LITERAL.findall(path.read_text(encoding="utf-8")):
            if key not in table:
                missing.setdefault(str(path.relative_to(ROOT)), []).append(key)
    assert not missing, missing


def test_every_key_prefix_used_with_an_f_string_has_keys() -> None:
    table = load_table()
    prefixes = {p for path in _sources() for p in _PREFIX.findall(path.read_text(encoding="utf-8"))}
    assert {"ind", "unit", "section", "status", "tstatus", "cause", "basis"} <= prefixes
    for prefix in prefixes - {"target"}:  # "target.*" only overrides data.official's own kk/ru/en names
        assert any(k.startswith(prefix + ".") for k in table), prefix


def test_navigation_titles_and_groups_exist() -> None:
    table = load_table()
    for spec in PAGES:
        assert spec.title_key in table, spec
        assert spec.group_key in table, spec


def test_closed_vocabularies_are_translated() -> None:
    from dashboard.catalog import INDICATORS
    from data.codes import DISEASE_CAUSES, SECTION_CODES

    table = load_table()
    expected = [f"ind.{i}" for i in INDICATORS] + [f"unit.{i.unit}" for i in INDICATORS.values()]
    expected += [f"section.{s}" for s in (*SECTION_CODES, "ALL")] + [f"cause.{c}" for c in DISEASE_CAUSES]
    expected += [f"status.{s}" for s in ("ok", "confidential", "no_data", "not_existing")]
    expected += [f"tstatus.{s}" for s in ("on_track", "at_risk", "off_track", "no_data", "not_yet")]
    assert [k for k in expected if k not in table] == []


def test_dashboard_number_formats_are_the_shared_module() -> None:
    """One formatting module for screen and paper (tests/unit/layers/test_numbers.py checks the formats)."""
    from layers import briefing_text, numbers

    for name in ("fmt_number", "fmt_percent", "fmt_signed", "vega_locale"):
        assert getattr(i18n, name) is getattr(numbers, name), name
    for name in ("fmt_number", "fmt_percent", "fmt_signed"):
        assert getattr(briefing_text, name) is getattr(numbers, name), name
    assert i18n.fmt_number(float("nan"), "kk") == i18n.t("status.no_data", "kk")


def test_indicator_names_come_from_the_registry_only() -> None:
    """ind.* and unit.* of the indicators are not copied into any locale file (a second copy would drift)."""


    from osh.registry import INDICATORS, UNITS

    for path in i18n.LOCALES_DIR.glob("*.json"):
        keys = set(json.loads(path.read_text(encoding="utf-8")))
        assert not keys & {f"ind.{i}" for i in INDICATORS}, path.name
        assert not keys & {f"unit.{u}" for u in UNITS}, path.name
        assert not {k for k in keys if k.startswith("formula.")}, path.name  # definitions: osh.registry.method
    assert i18n.t("ind.hidden_ratio", "ru") == INDICATORS["hidden_ratio"].name("ru")
