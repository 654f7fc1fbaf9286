"""Fixtures of the app tests: a published public-data directory and an AppTest factory in public mode."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
APP = ROOT / "dashboard" / "app.py"


def build_public_dir(out_dir: Path) -> Path:
    """Publish the tables the app reads: by default the real pipeline (demo store at scale 0.02 -> osh.public);
    ENBEK_TEST_PUBLIC=fixture uses the hand-built fixture instead (no demo generator needed)."""
    from osh.public import PublicData, build_public_data, write_public_data

    if os.environ.get("ENBEK_TEST_PUBLIC") == "fixture":
        from tests.app.public_fixture import make_public_data

        fake = make_public_data()
        data = PublicData(indicators=fake.indicators, diseases=fake.diseases, targets=fake.targets,
                          official=fake.official, meta=fake.meta)
    else:
        from data.demo import build_demo
        from data.store import open_store

        store = open_store(out_dir.parent / "store.duckdb")
        try:
            build_demo(store, seed=11, scale=0.02)
            data = build_public_data(store)
        finally:
            store.close()
    write_public_data(data, out_dir=out_dir)
    return out_dir


@pytest.fixture(scope="session")
def public_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_public_dir(tmp_path_factory.mktemp("barometer") / "public")


@pytest.fixture(scope="session")
def public_data(public_dir: Path):
    """What osh.public gives the app: the reference the shown values are checked against."""
    from osh.public import read_public_data

    return read_public_data(directory=public_dir)


@pytest.fixture
def app_env(public_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ENBEK_MODE", "public")
    monkeypatch.setenv("ENBEK_PUBLIC_DIR", str(public_dir))
    monkeypatch.delenv("ENBEK_TILES", raising=False)
    monkeypatch.delenv("ENBEK_LANG", raising=False)


@pytest.fixture
def make_app(app_env: None) -> Callable[..., object]:
    from streamlit.testing.v1 import AppTest

    def factory(*, lang: str | None = None, page: str | None = None) -> AppTest:
        at = AppTest.from_file(str(APP), default_timeout=60)
        if lang is not None:
            at.query_params["lang"] = lang
        at.run()
        if page is not None:
            at.switch_page(page).run()
        return at

    return factory
