"""Shared test fixtures: an isolated data directory per test session so tests never touch var/."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import settings as hypothesis_settings

# Timing deadlines make property tests flaky on a loaded 2-core CI machine; correctness is what they test.
hypothesis_settings.register_profile("enbek", deadline=None)
hypothesis_settings.load_profile("enbek")

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
