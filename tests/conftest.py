"""Shared test fixtures: an isolated data directory per test session so tests never touch var/."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

# Timing deadlines and the "too slow" health check make property tests flaky on a loaded 2-core CI machine (seen with
# the loader's malformed-rows test on PostgreSQL); correctness is what they test.
hypothesis_settings.register_profile("enbek", deadline=None, suppress_health_check=[HealthCheck.too_slow])
hypothesis_settings.load_profile("enbek")

ROOT = Path(__file__).resolve().parent.parent


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--postgres",
        action="store_true",
        default=False,
        help="also run every test that uses tmp_store against a throwaway PostgreSQL cluster (or ENBEK_TEST_POSTGRES=1)",
    )


def _with_postgres(config: pytest.Config) -> bool:
    return bool(config.getoption("--postgres")) or os.environ.get("ENBEK_TEST_POSTGRES") == "1"


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    # Every test that uses tmp_store (directly or through another fixture) runs once per engine.
    if "store_engine" in metafunc.fixturenames:
        engines = ["duckdb", "postgres"] if _with_postgres(metafunc.config) else ["duckdb"]
        metafunc.parametrize("store_engine", engines, indirect=True)


@pytest.fixture
def store_engine(request: pytest.FixtureRequest) -> str:
    return str(getattr(request, "param", "duckdb"))


@pytest.fixture(scope="session")
def pg_cluster():
    """One throwaway PostgreSQL cluster for the session (tests/pg_cluster.py), stopped and deleted at the end."""
    from tests.pg_cluster import ClusterUnavailable, start_cluster

    try:
        cluster = start_cluster()
    except ClusterUnavailable as exc:
        if os.environ.get("CI") == "true":
            raise
        pytest.skip(str(exc))
    yield cluster
    cluster.stop()


@pytest.fixture
def pg_url(pg_cluster) -> str:
    """The URL of a fresh, empty schema in the session's cluster (dropped afterwards)."""
    schema = pg_cluster.new_schema()
    yield pg_cluster.url(schema=schema)
    pg_cluster.drop_schema(schema)


@pytest.fixture
def tmp_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, store_engine: str, request: pytest.FixtureRequest):
    """A fresh writable store in a temporary ENBEK_DATA_DIR: the DuckDB file tmp_path/enbek.duckdb, or (with
    --postgres) also a fresh schema of the throwaway PostgreSQL cluster. ENBEK_STORE names it, so the CLI
    and the app open the same store."""
    from data.store import open_store

    monkeypatch.setenv("ENBEK_DATA_DIR", str(tmp_path))
    if store_engine == "postgres":
        location: str | Path = request.getfixturevalue("pg_url")
    else:
        location = tmp_path / "enbek.duckdb"
    monkeypatch.setenv("ENBEK_STORE", str(location))
    store = open_store(location)
    yield store
    store.close()


def pytest_configure(config: pytest.Config) -> None:
    os.environ.setdefault("MPLBACKEND", "Agg")
