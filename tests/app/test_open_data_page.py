"""The methodology page's open-data section (dashboard/open_data.py) in the public app, in kk / ru / en."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from dashboard.i18n import LANGS, t
from tests.app.conftest import APP

CREATED = "2025-01-02T00:00:00+00:00"


def _publish(out: Path, *, bundle: bool) -> Path:
    from data.opendata import write_bundle
    from osh.public import PublicData, write_public_data
    from tests.app.public_fixture import make_public_data

    fake = make_public_data()
    data = PublicData(indicators=fake.indicators, diseases=fake.diseases, targets=fake.targets, official=fake.official,
                      meta=fake.meta)
    if bundle:
        write_bundle(data, out_dir=out, boundaries=None, created=CREATED)
    write_public_data(data, out_dir=out)
    return out


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _publish(tmp_path_factory.mktemp("od_app") / "public", bundle=True)


def _methodology(public_dir: Path, lang: str, monkeypatch: pytest.MonkeyPatch):
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("ENBEK_MODE", "public")
    monkeypatch.setenv("ENBEK_PUBLIC_DIR", str(public_dir))
    monkeypatch.delenv("ENBEK_TILES", raising=False)
    at = AppTest.from_file(str(APP), default_timeout=60)
    at.query_params["lang"] = lang
    at.run()
    at.switch_page("screens/methodology.py").run()
    assert not at.exception, [e.message for e in at.exception]
    return at


@pytest.mark.parametrize("lang", LANGS)
def test_methodology_page_offers_the_open_data_bundle(published: Path, lang: str, monkeypatch: pytest.MonkeyPatch) -> None:
    at = _methodology(published, lang, monkeypatch)
    assert t("opendata.title", lang) in [h.value for h in at.header]
    version = json.loads((published / "opendata" / "datapackage.json").read_text(encoding="utf-8"))["version"]
    assert version == "fixture-7"
    assert t("opendata.version", lang, version=version, created=CREATED) in [c.value for c in at.caption]
    buttons = [b.proto for b in at.get("download_button") if b.proto.id.endswith("-dl_opendata_zip")]
    assert [b.label for b in buttons] == [t("opendata.download", lang)]
    markdown = [m.value for m in at.markdown]
    assert t("opendata.files", lang) in markdown
    assert "](opendata/datapackage.json)" in t("opendata.files", lang)  # relative: served beside the page by the proxy


def test_without_a_bundle_the_page_says_how_to_publish_one(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    public = _publish(tmp_path / "public", bundle=False)
    at = _methodology(public, "ru", monkeypatch)
    assert t("opendata.missing", "ru") in [c.value for c in at.caption]
    assert not [b for b in at.get("download_button") if b.proto.id.endswith("-dl_opendata_zip")]
