"""AppTest of the series picker (docs/series.md) on the hand-built two-series tables: one series per page, the URL
keeps it, a year the series lacks is 'no data', regions before the 2022 split 'did not exist yet'."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from dashboard.i18n import fmt_number, t
from data import series as series_registry
from tests.app.conftest import APP
from tests.app.folding import tables, unfold


@pytest.fixture(scope="module")
def fixture_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from osh.public import PublicData, write_public_data
    from tests.app.public_fixture import make_public_data

    fake = make_public_data()
    out = tmp_path_factory.mktemp("series") / "public"
    write_public_data(PublicData(indicators=fake.indicators, diseases=fake.diseases, targets=fake.targets,
                                 official=fake.official, meta=fake.meta), out_dir=out)
    return out


@pytest.fixture
def series_app(fixture_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[..., object]:
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("ENBEK_MODE", "public")
    monkeypatch.setenv("ENBEK_PUBLIC_DIR", str(fixture_dir))
    monkeypatch.delenv("ENBEK_SERIES", raising=False)

    def factory(*, lang: str = "en", page: str | None = None, series: str | None = None) -> AppTest:
        at = AppTest.from_file(str(APP), default_timeout=60)
        at.query_params["lang"] = lang
        if series is not None:
            at.query_params["series"] = series
        at.run()
        if page is not None:
            at.switch_page(page).run()
        return at

    return factory


def _clean(at) -> None:
    assert not at.exception, [e.message for e in at.exception]
    assert not at.error, [e.value for e in at.error]


def _national(fixture_dir: Path, series: str, year: int):
    from osh.public import read_public_data

    f = read_public_data(directory=fixture_dir).indicators
    return f[(f["series"] == series) & (f["basis"] == "current") & (f["region"] == "KZ") & (f["section"] == "ALL")
             & (f["year"] == year)].iloc[0]


def test_the_default_series_is_the_published_one_and_is_written_to_the_url(series_app) -> None:
    at = series_app()
    _clean(at)
    assert at.query_params["series"] == "bns"
    picker = at.sidebar.radio(key="_series_picker")
    assert picker.value == "bns"
    assert picker.options == [series_registry.label("bns", "en"), series_registry.label("mlsp", "en")]
    assert series_registry.definition("bns", "en") in [c.value for c in at.sidebar.caption]


@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
def test_picking_a_series_switches_every_card_and_keeps_it_across_pages(series_app, fixture_dir, lang) -> None:
    at = series_app(lang=lang)
    at.sidebar.radio(key="_series_picker").set_value("mlsp").run()
    at.run()
    _clean(at)
    assert at.query_params["series"] == "mlsp"
    row = _national(fixture_dir, "mlsp", 2024)
    label = f"{t('ind.injured', lang)}, 2024"
    assert next(m.value for m in at.metric if m.label == label) == fmt_number(row["injured"], lang)
    # mlsp has no national 2023 total: no change is shown, never one against another series
    assert all(not m.delta for m in at.metric)
    assert any(series_registry.label("mlsp", lang) in s.value for s in at.subheader)
    assert series_registry.definition("mlsp", lang) in [c.value for c in at.sidebar.caption]
    at.switch_page("screens/sectors.py").run()
    _clean(at)
    assert at.query_params["series"] == "mlsp"


def test_a_year_the_series_lacks_is_no_data(series_app) -> None:
    at = series_app(lang="ru", page="screens/diseases.py", series="mlsp")
    at.selectbox(key="ds_year").set_value(2021).run()
    _clean(at)
    # a card without a number shows its status as a word (set as text, so that it wraps instead of being cut)
    assert not at.metric
    words = [m.value for m in at.markdown if m.value.startswith("<p style=")]
    assert len(words) == 2  # cases and rate
    assert all(">нет данных</p>" in w for w in words), words


def test_a_series_name_in_the_url_is_understood(series_app) -> None:
    at = series_app(series="МТСЗН")
    _clean(at)
    assert at.query_params["series"] == "mlsp"


def test_regions_before_the_split_did_not_exist_yet(series_app) -> None:
    at = series_app(lang="kk", page="screens/regions.py")
    at.select_slider(key="rg_year").set_value(2021).run()
    at.selectbox(key="rg_region").set_value("10").run()
    _clean(at)
    ranking = next(df for df in tables(at) if t("col.rank", "kk") in df.columns)
    gone = ranking[ranking[t("col.status", "kk")] == "әлі құрылмаған"]
    assert len(gone) == 3
    assert (gone[t("col.rank", "kk")] == "").all()
    assert any("(құрамында: Абай облысы)" in n for n in ranking[t("col.region", "kk")])
    assert any("әлі құрылмаған" in i.value for i in at.info)


def test_the_targets_page_says_targets_are_tracked_on_bns(series_app) -> None:
    at = series_app(lang="ru", page="screens/targets.py", series="mlsp")
    _clean(at)
    assert any("только по ряду БНС" in i.value for i in at.info)


def test_a_second_series_can_be_drawn_beside_the_first(series_app) -> None:
    at = series_app(page="screens/regions.py")
    at.selectbox(key="rg_compare").set_value("mlsp").run()
    _clean(at)
    trend = next(df for df in tables(unfold(at)) if "Kazakhstan · MLSP (labour inspectorate)" in df.columns)
    assert "Kazakhstan · BNS (Bureau of National Statistics)" in trend.columns
