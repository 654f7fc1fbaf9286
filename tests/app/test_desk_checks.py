"""The desk-check screen and the card's desk-check section through AppTest, on the demo (scale 0.02): the list is
what osh.desk_checks gives within the user's scope, the map layer has one point per located enterprise, views
and refusals are audited, and the card shows the rules and the OSH-measures reports of the enterprise."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from argon2 import PasswordHasher
from streamlit.testing.v1 import AppTest

from data import auth
from data.scope import Scope
from data.store import open_store
from layers import deck, desk_layer
from layers.numbers import fmt_number
from osh import desk_checks as dc

ROOT = Path(__file__).resolve().parents[2]
PAGE = str(ROOT / "dashboard" / "screens" / "desk_checks.py")
MAP_PAGE = str(ROOT / "dashboard" / "screens" / "enterprise_map.py")
FAST = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)


@pytest.fixture(scope="module")
def store_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from data.demo import build_demo
    from osh.risk import compute_and_store_risk

    path = tmp_path_factory.mktemp("desk") / "enbek.duckdb"
    store = open_store(path)
    try:
        build_demo(store, seed=11, scale=0.02)
        compute_and_store_risk(store)
    finally:
        store.close()
    return path


@pytest.fixture
def env(store_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("ENBEK_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("ENBEK_STORE", str(store_path))
    monkeypatch.setenv("ENBEK_MODE", "official")
    monkeypatch.setenv("ENBEK_AUTH", "password")
    monkeypatch.delenv("ENBEK_TILES", raising=False)
    users = tmp_path / "users.toml"
    auth.add_user(path=users, username="minister", role="ministry", password="pw-minister-1", hasher=FAST)
    auth.add_user(path=users, username="karaganda", role="akimat", regions=["35"], password="pw-karaganda-1", hasher=FAST)
    return tmp_path


@pytest.fixture(scope="module")
def reader(store_path: Path) -> Iterator[Any]:
    store = open_store(store_path, read_only=True)
    yield store
    store.close()


def signed_in(page: str, user: str, *, lang: str = "en") -> AppTest:
    at = AppTest.from_file(page, default_timeout=90)
    identity = auth.default_provider().lookup(username=user)
    now = datetime.now(UTC)
    at.session_state["enbek_session"] = auth.Session(identity, now, now)
    at.query_params["lang"] = lang
    return at


def audit(data_dir: Path) -> list[tuple[str, str]]:
    path = data_dir / "audit.log"
    lines = path.read_text().splitlines() if path.exists() else []
    return [(e["action"], e["object"]) for e in map(json.loads, lines)]


def frame_with(at: AppTest, column: str) -> Any:
    """The dataframe that has `column` (AppTest's dataframes carry no user key)."""
    found = [d.value for d in at.dataframe if column in d.value.columns]
    assert len(found) == 1, f"expected one table with column {column!r}, found {len(found)}"
    return found[0]


def deck_layer(at: AppTest) -> dict[str, Any]:
    charts = at.get("deck_gl_json_chart")
    assert len(charts) == 2, f"expected the desk-check map and the measures map, found {len(charts)}"
    layers = json.loads(charts[0].proto.json)["layers"]
    assert [layer["id"] for layer in layers] == [deck.OUTLINE_ID, desk_layer.LAYER_ID]
    return layers[1]


def test_ministry_region_list_equals_osh_and_is_audited(env: Path, reader: Any) -> None:
    at = signed_in(PAGE, "minister").run()
    assert not at.exception, at.exception
    at.selectbox(key="desk_region").select("35").run()
    assert not at.exception, at.exception
    want = dc.desk_list(reader, scope=Scope.country(), region="35", lang="en")
    assert len(want) > 0
    table = frame_with(at, "Evidence")
    assert table["BIN"].tolist() == want["bin"].tolist()
    assert table["Evidence"].tolist() == want["evidence"].tolist()
    layer = deck_layer(at)
    assert len(layer["data"]) == int(want["lat"].notna().sum())
    assert {p["b"] for p in layer["data"]} <= set(want["bin"])
    assert ("view_list", "desk_checks:35") in audit(env)
    # the rule table names every configured rule
    rules = frame_with(at, "What is compared")
    assert rules["Rule"].tolist() == [r.text("name", "en") for r in dc.load_config().rules]


def test_akimat_sees_only_its_region(env: Path, reader: Any) -> None:
    at = signed_in(PAGE, "karaganda", lang="ru").run()
    assert not at.exception, at.exception
    assert at.selectbox(key="desk_region").options == ["Карагандинская область"]
    table = frame_with(at, "Доказательства")
    regions = reader.sql("SELECT bin, region FROM enterprise_risk")
    in_region = dict(zip(regions["bin"], regions["region"], strict=True))
    assert {in_region[b] for b in table["БИН"]} == {"35"}
    assert at.title[0].value == "Проверки без посещения"
    # the download and letter buttons exist; their files are built only on a click
    keys = {b.proto.id for b in at.get("download_button")}
    assert len(keys) == 3


def test_card_shows_the_rules_and_the_measures(env: Path, reader: Any) -> None:
    flagged = dc.flags(reader, scope=Scope.country())
    measured = set(reader.sql("SELECT DISTINCT bin FROM osh_measures")["bin"])
    candidates = [b for b in flagged["bin"].unique() if b in measured]
    bin_ = candidates[0]
    at = signed_in(MAP_PAGE, "minister").run()
    at.text_input(key="map_search").input(bin_).run()
    assert not at.exception, at.exception
    findings = frame_with(at, "Finding")
    config = dc.load_config()
    want = [config.rule(r).text("name", "en") for r in flagged.loc[flagged["bin"] == bin_, "rule"]]
    assert findings["Finding"].tolist() == want
    reports = frame_with(at, "Indicator")
    years = reader.sql("SELECT year FROM osh_measures WHERE bin = ? ORDER BY year DESC", [bin_])["year"]
    assert list(reports.columns[1:]) == [str(y) for y in years]
    assert "Certified PPE, %" in reports.iloc[:, 0].tolist()


def test_measures_by_region_are_the_osh_aggregate(env: Path, reader: Any) -> None:
    from osh import measures

    at = signed_in(PAGE, "karaganda").run()
    at.selectbox(key="desk_measure").select("ppe_provision_pct").run()
    assert not at.exception, at.exception
    agg = measures.aggregate(reader, scope=Scope.of_regions(["35"]), by="region")
    table = frame_with(at, "Reports")
    assert table["Region"].tolist() == ["Karaganda Region"]
    assert table["PPE provision, %"].tolist() == [fmt_number(round(float(agg["ppe_provision_pct"].iloc[0]), 1), "en", decimals=1)]
    assert table["Reports"].tolist() == [fmt_number(int(agg["reports"].iloc[0]), "en", decimals=0)]
    # in Russian the table writes numbers as the legend does ("54 929", "12,3"), never "54929"
    from dashboard import desk_checks_views as dviews

    ru = dviews.measures_map(reader, scope=Scope.country(), measure="funding_per_worker", lang="ru", outlines=None).table
    money = ru[ru.columns[2]].tolist()
    assert money == [fmt_number(round(float(v)), "ru", decimals=0) for v in
                     measures.aggregate(reader, scope=Scope.country(), by="region")["funding_per_worker"]]
    assert any("\u202f" in v for v in money), money  # some region spends over 1 000 per worker in the demo
    layers = json.loads(at.get("deck_gl_json_chart")[1].proto.json)["layers"]
    regions = next(layer for layer in layers if layer["id"] == deck.REGION_ID)
    assert [f["properties"]["kato"] for f in regions["data"]["features"]] == ["35"]
