"""docs/style.md's layering, declared as import-linter contracts in pyproject.toml and checked here too,
so that `make test` fails on a forbidden import even when `make lint` is not run."""

from __future__ import annotations

import os
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def run_lint_imports(cwd: Path, *extra: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache", *extra], cwd=cwd, capture_output=True, text=True, timeout=120, env=env
    )


def test_the_repository_keeps_its_import_contracts() -> None:
    result = run_lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    contracts = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["importlinter"]
    n = len(contracts["contracts"])
    assert f"Contracts: {n} kept, 0 broken." in result.stdout


def _toml_value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    return '"' + str(value) + '"'


def test_the_contracts_catch_forbidden_imports(tmp_path: Path) -> None:
    """The same contracts over a fake tree of the six packages with one violation of each kind."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["importlinter"]
    lines = ["[tool.importlinter]"]
    lines += [f"{k} = {_toml_value(v)}" for k, v in config.items() if k != "contracts"]
    for contract in config["contracts"]:
        lines += ["", "[[tool.importlinter.contracts]]"]
        lines += [f"{k} = {_toml_value(v)}" for k, v in contract.items()]
    (tmp_path / "pyproject.toml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    modules = {
        "data/__init__.py": "",
        "data/store.py": "import geo.regions\n",
        "geo/__init__.py": "",
        "geo/regions.py": "import data.store\n",  # siblings may import each other: allowed
        "osh/__init__.py": "",
        "osh/rates.py": "from layers import charts\n",  # the domain reaching up into a builder
        "layers/__init__.py": "",
        "layers/charts.py": "import streamlit as st\n",  # Streamlit outside dashboard
        "dashboard/__init__.py": "",
        "dashboard/app.py": "import streamlit\nimport layers.charts\n",
        "enbek/__init__.py": "",
        "enbek/cli.py": "def main():\n    from dashboard import app\n",  # CLI and app are independent
    }
    for name, text in modules.items():
        (tmp_path / name).parent.mkdir(exist_ok=True)
        (tmp_path / name).write_text(text, encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(tmp_path)}
    result = run_lint_imports(tmp_path, env=env)
    out = result.stdout
    assert result.returncode == 1, out + result.stderr
    assert f"Contracts: 0 kept, {len(config['contracts'])} broken." in out
    assert "layers.charts -> streamlit" in out
    assert "osh.rates -> layers.charts" in out
    assert "enbek.cli -> dashboard.app" in out
    assert "data.store -> geo.regions" not in out
