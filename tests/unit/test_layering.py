"""docs/style.md's layering, enforced by walking every module's imports (AST, no execution)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("data", "geo", "osh", "layers", "dashboard", "enbek")
# package -> top-level packages it must never import
FORBIDDEN = {
    "data": {"layers", "dashboard", "streamlit", "enbek"},
    "geo": {"layers", "dashboard", "streamlit", "enbek"},
    "osh": {"layers", "dashboard", "streamlit", "enbek"},
    "layers": {"dashboard", "streamlit", "enbek"},
    "enbek": {"dashboard", "streamlit"},
}


def imports_of(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module.split(".")[0])
    return found


def modules() -> list[tuple[str, Path]]:
    return [(pkg, p) for pkg in PACKAGES for p in sorted((ROOT / pkg).rglob("*.py"))]


@pytest.mark.parametrize(("package", "path"), modules(), ids=lambda v: str(v.relative_to(ROOT)) if isinstance(v, Path) else v)
def test_module_respects_layering(package: str, path: Path) -> None:
    bad = imports_of(path) & FORBIDDEN.get(package, set())
    assert not bad, f"{path.relative_to(ROOT)} imports {sorted(bad)}, which docs/style.md forbids for {package}/"


def test_the_walker_sees_imports(tmp_path: Path) -> None:
    probe = tmp_path / "probe.py"
    probe.write_text("import streamlit as st\nfrom dashboard.i18n import t\nfrom . import sibling\n")
    assert imports_of(probe) == {"streamlit", "dashboard"}
