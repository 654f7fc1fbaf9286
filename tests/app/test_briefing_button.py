"""The briefing download button: public edition from the published tables; official edition scoped and audited."""

from __future__ import annotations

import io
import json
import os
from pathlib import Path

import pytest
from pypdf import PdfReader

from data.auth import Identity
from data.scope import Scope
from tests.unit.layers.test_briefing import _tiny_country

pytestmark = pytest.mark.filterwarnings("ignore::UserWarning")


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory):
    """A closed store (the app opens it read-only) with the risk table, and its published public tables."""
    from data.store import open_store
    from osh.public import build_public_data, write_public_data
    from osh.risk import compute_and_store_risk

    directory = tmp_path_factory.mktemp("button")
    old = os.environ.get("ENBEK_DATA_DIR")
    os.environ["ENBEK_DATA_DIR"] = str(directory)
    try:
        store = open_store(directory / "enbek.duckdb")
        ent = _tiny_country(store)
        compute_and_store_risk(store)
        write_public_data(build_public_data(store), out_dir=directory / "public")
        store.close()
    finally:
        if old is None:
            os.environ.pop("ENBEK_DATA_DIR", None)
        else:
            os.environ["ENBEK_DATA_DIR"] = old
    return directory, ent


def _pages(pdf: bytes) -> list[str]:
    return [p.extract_text() or "" for p in PdfReader(io.BytesIO(pdf)).pages]


@pytest.fixture
def public_env(published, monkeypatch: pytest.MonkeyPatch):
    directory, ent = published
    monkeypatch.setenv("ENBEK_MODE", "public")
    monkeypatch.setenv("ENBEK_DATA_DIR", str(directory / "elsewhere"))
    monkeypatch.setenv("ENBEK_PUBLIC_DIR", str(directory / "public"))
    return directory, ent


@pytest.fixture
def official_env(published, monkeypatch: pytest.MonkeyPatch, tmp_path: Path):
    directory, ent = published
    monkeypatch.setenv("ENBEK_MODE", "official")
    monkeypatch.setenv("ENBEK_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("ENBEK_STORE", str(directory / "enbek.duckdb"))
    monkeypatch.setenv("ENBEK_PUBLIC_DIR", str(directory / "public"))
    monkeypatch.setenv("ENBEK_AUDIT_LOG", str(tmp_path / "audit.log"))
    return directory, ent, tmp_path / "audit.log"


def test_public_button_gives_the_public_pack(public_env) -> None:
    from dashboard.briefing_button import briefing_pdf

    _directory, ent = public_env
    # an identity handed over in public mode changes nothing: there is no enterprise page to give
    identity = Identity(user="ak", role="akimat", scope=Scope.of_regions({"35"}))
    pages = _pages(briefing_pdf(lang="ru", year=2024, region="35", identity=identity))
    assert len(pages) == 6
    assert "Карагандинская область" in pages[0]
    text = " ".join(pages)
    assert not any(b in text for b in ent["bin"])


def test_akimat_download_is_scoped_and_audited(official_env) -> None:
    from dashboard.briefing_button import AUDIT_OBJECT, briefing_pdf

    _directory, ent, audit = official_env
    identity = Identity(user="akimat35", role="akimat", scope=Scope.of_regions({"35"}))
    pages = _pages(briefing_pdf(lang="en", year=2024, identity=identity))
    assert len(pages) == 7
    listing = pages[5]
    assert "6. Risk-based inspection list" in listing
    assert any(b in listing for b in ent.loc[ent["region"] == "35", "bin"])
    text = " ".join(pages)
    assert not any(b in text for b in ent.loc[ent["region"] != "35", "bin"])
    events = [json.loads(line) for line in audit.read_text(encoding="utf-8").splitlines()]
    assert [(e["user"], e["action"], e["object"]) for e in events] == [("akimat35", "download_list", AUDIT_OBJECT)]
    assert events[0]["detail"]["scope"] == ["35"]


def test_signed_out_official_visitor_gets_no_enterprise_page(official_env) -> None:
    from dashboard.briefing_button import briefing_pdf

    _directory, _ent, audit = official_env
    pages = _pages(briefing_pdf(lang="kk", year=2024, identity=None))
    assert len(pages) == 6
    assert not audit.exists()


def test_button_renders_in_the_page(public_env) -> None:
    from streamlit.testing.v1 import AppTest

    def script() -> None:
        from dashboard.briefing_button import briefing_download_button

        briefing_download_button(lang="kk", year=2024, region="35")

    at = AppTest.from_function(script, default_timeout=60)
    at.run()
    assert not at.exception
    buttons = at.get("download_button")
    assert len(buttons) == 1
    assert buttons[0].proto.label == "Брифинг (PDF)"
    assert "Қарағанды облысы, 2024" in buttons[0].proto.help


def test_button_pack_is_of_the_page_series(public_env) -> None:
    from dashboard.briefing_button import briefing_pdf, file_name
    from data.series import label
    from layers.briefing import BriefingError, available_series
    from osh.public import read_public_data

    directory, _ent = public_env
    present = available_series(read_public_data(directory=directory / "public"))
    series = present[0]
    pages = [" ".join(p.split()) for p in _pages(briefing_pdf(lang="en", year=2024, series=series))]
    assert f"Data series: {label(series, 'en')}" in pages[0]
    assert file_name(lang="ru", year=2024, series="mlsp") == "briefing_kz_2024_ru_mlsp.pdf"
    other = next(s for s in ("bns", "mlsp", "other") if s not in present)
    with pytest.raises(BriefingError, match=rf"--series '{other}': the public tables hold the series {', '.join(present)}"):
        briefing_pdf(lang="en", year=2024, series=other)
