"""Shared test fixtures: an isolated data directory per test session so tests never touch var/."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def tmp_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """A fresh writable DuckDB store in a temporary ENBEK_DATA_DIR."""
    from data.store import open_store

    monkeypatch.setenv("ENBEK_DATA_DIR", str(tmp_path))
    store = open_store(tmp_path / "enbek.duckdb")
    yield store
    store.close()


def pytest_configure(config: pytest.Config) -> None:
    os.environ.setdefault("MPLBACKEND", "Agg")
