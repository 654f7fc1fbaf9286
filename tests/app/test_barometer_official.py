"""Official mode: without a published directory the barometer computes the public tables from the read-only store
(once per store version); with a directory published from the same store version it reads that instead."""

from __future__ import annotations

from pathlib import Path

import pytest

from dashboard.i18n import fmt_number, t

APP = Path(__file__).resolve().parents[2] / "dashboard" / "app.py"


@pytest.fixture(scope="module")
def store_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from data.demo import build_demo
    from data.store import open_store

    data_dir = tmp_path_factory.mktemp("official")
    store = open_store(data_dir / "enbek.duckdb")
    try:
        build_demo(store, seed=13, scale=0.02)
    finally:
        store.close()
    return data_dir


def _run(data_dir: Path, monkeypatch: pytest.MonkeyPatch):
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("ENBEK_MODE", "official")
    monkeypatch.setenv("ENBEK_DATA_DIR", str(data_dir))
    monkeypatch.delenv("ENBEK_STORE", raising=False)
    monkeypatch.delenv("ENBEK_PUBLIC_DIR", raising=False)
    at = AppTest.from_file(str(APP), default_timeout=120)
    at.query_params["lang"] = "en"
    return at.run()


def _expected_injured(data) -> tuple[str, str]:
    f = data.indicators
    year = int(f["year"].max())
    row = f[(f["basis"] == "current") & (f["region"] == "KZ") & (f["section"] == "ALL") & (f["year"] == year)].iloc[0]
    return f"{t('ind.injured', 'en')}, {year}", fmt_number(row["injured"], "en")


def test_official_mode_shows_what_build_public_data_computes_from_the_store(store_dir: Path, monkeypatch) -> None:
    from data.store import open_store
    from osh.public import build_public_data

    store = open_store(store_dir / "enbek.duckdb", read_only=True)
    try:
        expected = build_public_data(store)
    finally:
        store.close()
    at = _run(store_dir, monkeypatch)
    assert not at.exception, [e.message for e in at.exception]
    label, value = _expected_injured(expected)
    assert {m.label: m.value for m in at.metric}[label] == value
    assert at.title[0].value == t("page.overview", "en")


def test_official_mode_reads_a_publication_of_the_same_store_version(store_dir: Path, monkeypatch, tmp_path) -> None:
    from data.store import open_store
    from osh.public import PublicData, build_public_data, write_public_data

    store = open_store(store_dir / "enbek.duckdb", read_only=True)
    try:
        built = build_public_data(store)
    finally:
        store.close()
    # a marker value proves which source was read
    ind = built.indicators.copy()
    year = int(ind["year"].max())
    mask = (ind["basis"] == "current") & (ind["region"] == "KZ") & (ind["section"] == "ALL") & (ind["year"] == year)
    ind.loc[mask, "injured"] = 98765.0
    marked = PublicData(indicators=ind, diseases=built.diseases, targets=built.targets, official=built.official,
                        meta=built.meta)
    write_public_data(marked, out_dir=store_dir / "public")
    try:
        at = _run(store_dir, monkeypatch)
        assert not at.exception, [e.message for e in at.exception]
        assert {m.label: m.value for m in at.metric}[f"Injured, {year}"] == fmt_number(98765, "en")
        # a publication of another store version is ignored: the store is the truth
        stale = PublicData(indicators=ind, diseases=built.diseases, targets=built.targets, official=built.official,
                           meta={**built.meta, "store_version": "something-else"})
        write_public_data(stale, out_dir=store_dir / "public")
        at = _run(store_dir, monkeypatch)
        label, value = _expected_injured(built)
        assert {m.label: m.value for m in at.metric}[label] == value
        assert value != fmt_number(98765, "en")
    finally:
        import shutil

        shutil.rmtree(store_dir / "public")
