"""The README's settings table, docs/contracts.md and the registries must not drift; settings resolve as documented."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from data import settings

ROOT = Path(__file__).resolve().parents[2]
README = ROOT / "README.md"
CONTRACTS = ROOT / "docs" / "contracts.md"


def readme_settings() -> dict[str, tuple[str, str]]:
    text = README.read_text(encoding="utf-8")
    block = text.split("<!-- settings:start -->")[1].split("<!-- settings:end -->")[0]
    rows = {}
    for line in block.splitlines():
        m = re.match(r"\|\s*`(ENBEK_\w+)`\s*\|\s*`([^`]*)`\s*\|\s*(.+?)\s*\|\s*$", line)
        if m:
            rows[m.group(1)] = (m.group(2), m.group(3))
    return rows


def test_readme_table_matches_registry() -> None:
    documented = readme_settings()
    registry = {s.name: (s.default, s.help) for s in settings.SETTINGS}
    assert documented.keys() == registry.keys(), (
        f"only in README: {sorted(documented.keys() - registry.keys())}; "
        f"only in registry: {sorted(registry.keys() - documented.keys())}"
    )
    for name, (default, help_text) in registry.items():
        assert documented[name] == (default, help_text), f"README row for {name} differs from data/settings.py"


def test_environment_overrides_and_expansion(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("ENBEK_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("ENBEK_STORE", raising=False)
    assert settings.store_path() == tmp_path / "enbek.duckdb"
    monkeypatch.setenv("ENBEK_STORE", "elsewhere.duckdb")
    assert settings.store_path() == Path.cwd() / "elsewhere.duckdb"


def test_defaults_resolve_from_project_root(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("ENBEK_DATA_DIR", "ENBEK_STORE", "ENBEK_BOUNDARIES"):
        monkeypatch.delenv(name, raising=False)
    assert settings.store_path() == settings.PROJECT_ROOT / "var" / "enbek.duckdb"
    assert settings.boundaries_path() == settings.PROJECT_ROOT / "geo" / "boundaries" / "kz_regions.geojson"


def test_bad_values_are_named(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ENBEK_MODE", "private")
    with pytest.raises(settings.SettingError, match=r"ENBEK_MODE='private': expected 'official' or 'public'"):
        settings.mode()
    monkeypatch.setenv("ENBEK_MAP_POINT_LIMIT", "lots")
    with pytest.raises(settings.SettingError, match=r"ENBEK_MAP_POINT_LIMIT='lots' is not a whole number"):
        settings.get_int("ENBEK_MAP_POINT_LIMIT")
    with pytest.raises(settings.SettingError, match="unknown setting 'ENBEK_NOPE'"):
        settings.get("ENBEK_NOPE")


def test_docs_document_the_input_contracts() -> None:
    from data.schemas import markdown

    text = CONTRACTS.read_text(encoding="utf-8")
    block = text.split("<!-- contracts:start -->")[1].split("<!-- contracts:end -->")[0]
    assert block.strip() == markdown().strip(), "docs/contracts.md input contracts differ from data/schemas.py; regenerate"
