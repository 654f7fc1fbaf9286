"""The enterprise map and inspection-list pages through AppTest: every layer and filter renders, the deck JSON has
the expected layers, ids and row counts, and the card and list show the values osh.enterprises gives."""

from __future__ import annotations

import io
import json
import os
import re
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from argon2 import PasswordHasher
from streamlit.testing.v1 import AppTest

from dashboard.i18n import t
from data import auth
from data.scope import Scope
from data.store import open_store
from geo.regions import region_name
from layers import deck
from osh import enterprises as ent
from osh.reasons import render, render_all
from tests.app.map_fixture import make_store

ROOT = Path(__file__).resolve().parents[2]
MAP_PAGE = str(ROOT / "dashboard" / "screens" / "enterprise_map.py")
LIST_PAGE = str(ROOT / "dashboard" / "screens" / "inspection_list.py")
FAST = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)


@pytest.fixture(scope="module")
def store_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real pipeline by default (demo at scale 0.02, scored by osh.risk); ENBEK_TEST_MAP=fixture uses the
    hand-built risk table of tests/app/map_fixture.py instead."""
    path = tmp_path_factory.mktemp("emap") / "enbek.duckdb"
    if os.environ.get("ENBEK_TEST_MAP") == "fixture":
        make_store(path, n=1500, seed=3).close()
        return path
    from data.demo import build_demo
    from osh.risk import compute_and_store_risk

    store = open_store(path)
    try:
        build_demo(store, seed=11, scale=0.02)
        compute_and_store_risk(store)
    finally:
        store.close()
    return path


@pytest.fixture(scope="module")
def limit(store_path: Path) -> int:
    """The point limit: the largest region fits (a region shows points), the whole country does not."""
    store = open_store(store_path, read_only=True)
    try:
        return int(store.sql("SELECT max(n) AS m FROM (SELECT count(*) AS n FROM enterprise_risk GROUP BY region)")["m"].iloc[0])
    finally:
        store.close()


@pytest.fixture
def env(store_path: Path, limit: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("ENBEK_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("ENBEK_STORE", str(store_path))
    monkeypatch.setenv("ENBEK_MODE", "official")
    monkeypatch.setenv("ENBEK_AUTH", "password")
    monkeypatch.setenv("ENBEK_MAP_POINT_LIMIT", str(limit))
    monkeypatch.delenv("ENBEK_TILES", raising=False)
    users = tmp_path / "users.toml"
    auth.add_user(path=users, username="minister", role="ministry", password="pw-minister-1", hasher=FAST)
    auth.add_user(path=users, username="almaty", role="akimat", regions=["75"], password="pw-almaty-12", hasher=FAST)
    return tmp_path


@pytest.fixture(scope="module")
def reader(store_path: Path) -> Iterator[Any]:
    store = open_store(store_path, read_only=True)
    yield store
    store.close()


def signed_in(page: str, user: str, *, lang: str = "en") -> AppTest:
    at = AppTest.from_file(page, default_timeout=60)
    provider = auth.default_provider()
    identity = provider.lookup(username=user)
    now = datetime.now(UTC)
    at.session_state["enbek_session"] = auth.Session(identity, now, now)
    at.query_params["lang"] = lang
    return at


def deck_spec(at: AppTest) -> dict[str, Any]:
    charts = at.get("deck_gl_json_chart")
    assert len(charts) == 1, f"expected one pydeck chart, found {len(charts)}"
    return json.loads(charts[0].proto.json)


def data_layer(spec: dict[str, Any]) -> dict[str, Any]:
    # the self-assessment rings are an overlay of the points, not a data layer of their own
    layers = [layer for layer in spec["layers"] if layer["id"] not in (deck.OUTLINE_ID, deck.SELF_RING_ID)]
    assert len(layers) == 1
    return layers[0]


def audit_events(data_dir: Path) -> list[dict[str, Any]]:
    path = data_dir / "audit.log"
    return [json.loads(line) for line in path.read_text().splitlines()] if path.exists() else []


def shown_count(layer: dict[str, Any]) -> int:
    """Enterprises drawn by a data layer: points, or the n of every hexagon or region."""
    if layer["id"] == deck.HEX_ID:
        return sum(h["n"] for h in layer["data"])
    if layer["id"] == deck.REGION_ID:
        return sum(f["properties"]["n"] for f in layer["data"]["features"])
    return len(layer["data"])


def test_country_view_is_the_regions_choropleth_and_hexagons_read(env: Path, reader: Any) -> None:
    at = signed_in(MAP_PAGE, "minister").run()
    assert not at.exception, at.exception
    spec = deck_spec(at)
    assert [layer["id"] for layer in spec["layers"]] == [deck.OUTLINE_ID, deck.REGION_ID]
    assert shown_count(data_layer(spec)) == reader.sql("SELECT count(*) AS n FROM enterprise_risk")["n"].iloc[0]
    at.radio(key="map_aggregate_by").set_value("hex").run()
    spec = deck_spec(at)
    ids = [layer["id"] for layer in spec["layers"]]
    assert ids == [deck.OUTLINE_ID, deck.HEX_ID]
    types = {layer["id"]: layer["@@type"] for layer in spec["layers"]}
    assert types == {deck.OUTLINE_ID: "GeoJsonLayer", deck.HEX_ID: "H3HexagonLayer"}
    hexes = data_layer(spec)["data"]
    import h3

    # cells big enough to read at the country view (res 5 drew 2-3 px specks)
    assert {h3.get_resolution(h["h"]) for h in hexes} == {3}
    # every located enterprise is counted in exactly one hexagon
    located = reader.sql("SELECT count(*) AS n FROM enterprise_risk WHERE lat IS NOT NULL AND lon IS NOT NULL")
    assert sum(h["n"] for h in hexes) == located["n"].iloc[0]
    assert len({h["h"] for h in hexes}) == len(hexes)
    # no basemap: the app works offline
    assert spec.get("mapProvider") in (None, "")
    from geo.boundaries import ATTRIBUTION

    assert ATTRIBUTION in [c.value for c in at.caption]
    assert "Demo data — not real enterprises" in [w.value for w in at.warning]


def test_point_mode_hides_the_controls_that_do_nothing(env: Path) -> None:
    at = signed_in(MAP_PAGE, "minister").run()
    assert [r.key for r in at.radio] == ["map_aggregate_by"]
    assert "map_measure" in [s.key for s in at.selectbox]
    at.selectbox(key="map_region").select("75").run()
    assert data_layer(deck_spec(at))["id"] == deck.POINTS_ID
    assert [r.key for r in at.radio] == []
    assert "map_measure" not in [s.key for s in at.selectbox]


@pytest.mark.parametrize("layer", deck.THEMES)
def test_each_layer_renders_at_country_and_region_level(env: Path, reader: Any, layer: str) -> None:
    at = signed_in(MAP_PAGE, "minister").run()
    at.selectbox(key="map_layer").select(layer).run()
    assert not at.exception, at.exception
    assert data_layer(deck_spec(at))["id"] == deck.REGION_ID
    at.selectbox(key="map_region").select("75").run()
    assert not at.exception, at.exception
    points = data_layer(deck_spec(at))
    expected = ent.query(reader, scope=Scope.country(), filters=ent.EnterpriseFilter(regions=frozenset({"75"})),
                         columns=["bin"])
    assert points["id"] == deck.POINTS_ID
    assert points["@@type"] == "ScatterplotLayer"
    assert sorted(p["b"] for p in points["data"]) == sorted(expected["bin"])
    legend = " ".join(m.value for m in at.markdown)
    for cls in deck.POINT_CLASSES[layer]:
        assert cls.colour in legend


def test_points_have_rounded_coordinates_and_compact_keys(env: Path) -> None:
    at = signed_in(MAP_PAGE, "minister").run()
    at.selectbox(key="map_region").select("71").run()
    row = data_layer(deck_spec(at))["data"][0]
    assert set(row) == {"b", "m", "p", "c", "s", "e"}
    assert all(len(str(x).split(".")[-1]) <= deck.COORD_DECIMALS for x in row["p"])


@pytest.mark.parametrize(
    ("key", "value", "column", "expected"),
    [
        ("map_section", "C", "section", "C"),
        ("map_size", "micro", "size_class", "micro"),
        ("map_degree", "high", "degree", "high"),
        ("map_assessed", "no", "assessed", False),
        ("map_assessed", "self", "self_assessed", True),
        ("map_insured", "yes", "insured", True),
    ],
)
def test_each_filter_counts_what_the_store_counts(env: Path, reader: Any, key: str, value: str, column: str,
                                                  expected: object) -> None:
    at = signed_in(MAP_PAGE, "minister").run()
    at.selectbox(key=key).select(value).run()
    assert not at.exception, at.exception
    want = reader.sql(f"SELECT count(*) AS n FROM enterprise_risk WHERE {column} = ?", [expected])["n"].iloc[0]
    assert shown_count(data_layer(deck_spec(at))) == want


def test_year_filter_offers_the_stored_year(env: Path) -> None:
    at = signed_in(MAP_PAGE, "minister").run()
    assert at.selectbox(key="map_year").options[0] == "2024"


def test_measures_and_region_aggregation(env: Path, reader: Any) -> None:
    at = signed_in(MAP_PAGE, "minister").run()
    at.radio(key="map_aggregate_by").set_value("hex").run()
    at.selectbox(key="map_measure").select("expected_harm").run()
    hexes = data_layer(deck_spec(at))["data"]
    total = reader.sql("SELECT sum(excess_injuries) AS s FROM enterprise_risk")["s"].iloc[0]
    assert sum(h["v"] for h in hexes) == pytest.approx(total, abs=0.01 * len(hexes))
    at.radio(key="map_aggregate_by").set_value("regions").run()
    assert not at.exception, at.exception
    layer = data_layer(deck_spec(at))
    assert layer["id"] == deck.REGION_ID
    assert layer["@@type"] == "GeoJsonLayer"
    counts = {f["properties"]["kato"]: f["properties"]["n"] for f in layer["data"]["features"]}
    by_region = reader.sql("SELECT region, count(*) AS n FROM enterprise_risk GROUP BY region")
    assert counts == dict(zip(by_region["region"], by_region["n"], strict=True))


def test_search_by_bin_opens_the_card_with_osh_values_and_is_audited(env: Path, reader: Any) -> None:
    bin_ = reader.sql("SELECT bin FROM enterprise_risk ORDER BY score DESC LIMIT 1")["bin"].iloc[0]
    card = ent.card(reader, scope=Scope.country(), bin=bin_)
    at = signed_in(MAP_PAGE, "minister").run()
    at.text_input(key="map_search").input(bin_).run()
    assert not at.exception, at.exception
    assert at.subheader[-1].value == f"{card.name} · {card.bin}" or any(
        s.value == f"{card.name} · {card.bin}" for s in at.subheader)
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Integral score"] == f"{card.score:.1f}"
    assert metrics["Employees"].replace("\u00a0", "") == str(card.employees)
    parts = next(d.value for d in at.dataframe if "Points" in d.value.columns)
    assert parts["Points"].tolist() == [f"{p:.1f}" for _, p, _ in card.parts]
    assert parts["Reason"].tolist() == [render(r, "en") for _, _, r in card.parts]
    assert sum(float(p) for p in parts["Points"]) == pytest.approx(card.score, abs=0.3)
    actions = [(e["action"], e["object"]) for e in audit_events(env)]
    assert ("view_card", bin_) in actions
    assert ("search", bin_) in actions


def test_a_self_assessed_firm_shows_its_badge_and_reason_on_the_card(env: Path, reader: Any) -> None:
    bins = reader.sql("SELECT bin FROM enterprise_risk WHERE self_assessed ORDER BY score DESC LIMIT 1")["bin"]
    assert len(bins) == 1, "the demo has self-assessed firms (data/demo/self_checks.py)"
    card = ent.card(reader, scope=Scope.country(), bin=bins.iloc[0])
    at = signed_in(MAP_PAGE, "minister", lang="kk").run()
    at.text_input(key="map_search").input(card.bin).run()
    assert not at.exception, at.exception
    badge = t("emap.badge.self_assessed", "kk")
    assert any(badge in m.value and ":violet-badge[" in m.value for m in at.markdown)
    sentence = render(next(r for p, _, r in card.parts if p == "assessment"), "kk")
    assert sentence.startswith("жұмыс орындарын бағалау — жұмыс берушінің өз экспресс-бағалауы")
    assert sentence in [c.value for c in at.caption]
    facts = next(d.value for d in at.dataframe if t("plan.card.field", "kk") in d.value.columns)
    assert dict(facts.to_numpy().tolist())[t("emap.self_assessed", "kk")] == t("emap.yes", "kk")


def test_card_history_matches_osh(env: Path, reader: Any) -> None:
    bin_ = reader.sql("SELECT bin FROM accidents LIMIT 1")["bin"].iloc[0]
    card = ent.card(reader, scope=Scope.country(), bin=bin_)
    at = signed_in(MAP_PAGE, "minister").run()
    at.text_input(key="map_search").input(bin_).run()
    history = next(d.value for d in at.dataframe if "Accidents" in d.value.columns)
    shown = history.set_index("Year")["Injured"]
    want = card.accidents_by_year.set_index("year")["injured"]
    assert {int(k): int(v) for k, v in shown.items() if int(v)} == {int(k): int(v) for k, v in want.items()}


def test_akimat_sees_only_its_region_and_cannot_open_other_cards(env: Path, reader: Any) -> None:
    at = signed_in(MAP_PAGE, "almaty").run()
    assert not at.exception, at.exception
    assert at.selectbox(key="map_region").options == ["Almaty"] or len(at.selectbox(key="map_region").options) == 1
    points = data_layer(deck_spec(at))
    in_scope = reader.sql("SELECT count(*) AS n FROM enterprise_risk WHERE region = '75'")["n"].iloc[0]
    assert points["id"] == deck.POINTS_ID
    assert len(points["data"]) == in_scope
    outside = reader.sql("SELECT bin FROM enterprise_risk WHERE region <> '75' LIMIT 1")["bin"].iloc[0]
    at.text_input(key="map_search").input(outside).run()
    assert "This enterprise is outside your regions." in [e.value for e in at.error]
    assert not at.metric
    assert ("access_denied", outside) in [(e["action"], e["object"]) for e in audit_events(env)]
    other_name = reader.sql("SELECT name FROM enterprise_risk WHERE region <> '75' AND name NOT IN "
                            "(SELECT name FROM enterprise_risk WHERE region = '75') LIMIT 1")["name"].iloc[0]
    at.text_input(key="map_search").input(other_name).run()
    assert "No such enterprise in your regions." in [i.value for i in at.info]
    assert not at.metric


def test_inspection_list_equals_osh_and_downloads_are_audited(env: Path, reader: Any) -> None:
    at = signed_in(LIST_PAGE, "minister").run()
    assert not at.exception, at.exception
    at.selectbox(key="list_region").select("75").run()
    want = ent.inspection_list(reader, scope=Scope.country(), region="75", limit=50)
    shown = at.dataframe[0].value
    assert shown["BIN"].tolist() == want["bin"].tolist()
    assert shown["Rank"].tolist() == list(range(1, len(want) + 1))
    assert shown["Why on the list"].tolist() == [render_all(r, "en") for r in want["reason"]]
    # one order, said once: the integral score, the number the map and the card show
    scores = want["score"].tolist()
    assert scores == sorted(scores, reverse=True)
    assert any(c.value.startswith("Ordered by the integral risk score") for c in at.caption)
    assert ("view_list", "inspection_list:75") in [(e["action"], e["object"]) for e in audit_events(env)]


def test_preventable_order_is_a_named_choice(env: Path, reader: Any) -> None:
    at = signed_in(LIST_PAGE, "minister").run()
    at.selectbox(key="plan_order").select("preventable").run()
    assert not at.exception, at.exception
    want = reader.sql("SELECT bin FROM enterprise_risk WHERE excess_injuries > 0 "
                      "ORDER BY excess_injuries DESC, score DESC, bin LIMIT 50")["bin"].tolist()
    assert at.dataframe[0].value["BIN"].tolist() == want
    assert any(c.value.startswith("Ordered by expected preventable injuries") for c in at.caption)


def test_list_files_hold_the_scoped_osh_rows_in_the_language(env: Path, reader: Any) -> None:
    from dashboard.official_render import list_file
    from dashboard.official_views import PlanSelection

    identity = auth.default_provider().lookup(username="almaty")
    want = ent.inspection_list(reader, scope=Scope.of_regions(["75"]), limit=50)
    files = {lang: list_file(reader, identity=identity, selection=PlanSelection(limit=50), kind="csv", lang=lang)
             for lang in ("kk", "ru", "en")}
    assert len(set(files.values())) == 3  # one file per language
    ru = pd.read_csv(io.BytesIO(files["ru"]), dtype={"BIN": str, "KATO": str}, encoding="utf-8-sig")
    assert ru["BIN"].tolist() == want["bin"].tolist()
    assert ru["KATO"].tolist() == want["kato"].tolist()
    assert set(ru["Регион"]) == {region_name("75", "ru")}
    assert ru["Оценка риска"].tolist() == want["score"].round(1).tolist()  # rounded as shown, not 65.89210016
    assert ru["Почему в списке"].tolist() == [render_all(r, "ru") for r in want["reason"]]
    back = pd.read_excel(io.BytesIO(list_file(reader, identity=identity, selection=PlanSelection(region="75", limit=50),
                                              kind="xlsx", lang="kk")), dtype={"BIN": str})
    assert back["BIN"].tolist() == want["bin"].tolist()
    assert back["Тәуекел дәрежесі"].tolist() == [{"low": "Төмен", "medium": "Орташа", "high": "Жоғары"}[d]
                                                for d in want["degree"]]


def test_map_clicks_are_read_from_the_selection_state() -> None:
    from dashboard.official_views import selected_bin, selected_region

    point = {"selection": {"indices": {deck.POINTS_ID: [3]}, "objects": {deck.POINTS_ID: [{"b": "000000000001"}]}}}
    region = {"selection": {"indices": {deck.REGION_ID: [0]},
                            "objects": {deck.REGION_ID: [{"properties": {"kato": "35", "n": 4}}]}}}
    empty = {"selection": {"indices": {}, "objects": {}}}
    assert selected_bin(point) == "000000000001"
    assert selected_bin(region) is None
    assert selected_region(region) == "35"
    assert selected_region(point) is None
    assert selected_bin(empty) is None
    assert selected_bin(None) is None


@pytest.fixture
def odd_names(tmp_path_factory: pytest.TempPathFactory, env: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """A store of its own whose enterprises include names with LIKE's wildcards and a hostile formula name."""
    path = tmp_path_factory.mktemp("odd") / "enbek.duckdb"
    store = make_store(path, n=300, seed=4)
    names = {"Шахта_Север ЖШС": "", "Шахта-Север ЖШС": "", "100% Steel": "", '=HYPERLINK("http://x","y")': ""}
    bins = store.sql("SELECT bin FROM enterprise_risk ORDER BY bin LIMIT ?", [len(names)])["bin"].tolist()
    for b, name in zip(bins, names, strict=True):
        store.sql("UPDATE enterprise_risk SET name = ? WHERE bin = ?", [name, b])
        names[name] = b
    store.close()
    monkeypatch.setenv("ENBEK_STORE", str(path))
    return names


def picked_names(at: AppTest) -> list[str]:
    boxes = [b for b in at.selectbox if b.key == "map_search_pick"]
    return [o.split(" · ", 1)[1] for o in boxes[0].options] if boxes else []


def test_page_search_finds_underscore_and_percent_names_literally(odd_names: dict[str, str]) -> None:
    at = signed_in(MAP_PAGE, "minister").run()
    at.text_input(key="map_search").input("Шахта_Север").run()
    assert not at.exception, at.exception
    assert picked_names(at) == ["Шахта_Север ЖШС"]  # "_" is not a wildcard: Шахта-Север is not found
    at.text_input(key="map_search").input("100%").run()
    assert picked_names(at) == ["100% Steel"]
    at.text_input(key="map_search").input("%").run()
    assert picked_names(at) == ["100% Steel"]  # "%" alone is a character, not "everything"
    at.text_input(key="map_search").input("_").run()
    assert picked_names(at) == ["Шахта_Север ЖШС"]


def test_page_search_is_logged_through_the_login_helper(odd_names: dict[str, str], env: Path) -> None:
    at = signed_in(MAP_PAGE, "minister").run()
    at.text_input(key="map_search").input("100%").run()
    searches = [e for e in audit_events(env) if e["action"] == "search"]
    assert [(e["user"], e["object"], e["detail"]) for e in searches] == [("minister", "100%", {"results": 1})]


def test_inspection_list_offers_downloads_only_as_click_built_files(env: Path) -> None:
    at = signed_in(LIST_PAGE, "almaty").run()
    assert not at.exception, at.exception
    buttons = at.get("download_button")
    assert [b.proto.label for b in buttons] == ["Download CSV", "Download XLSX"]
    assert all(b.proto.HasField("deferred_file_id") and not b.proto.url for b in buttons)
    assert [e["action"] for e in audit_events(env)] == ["view_list"]  # nothing downloaded by drawing the page



def test_official_view_models_are_pure_and_read_only_through_osh() -> None:
    """The split of the official side: views import no Streamlit, and no dashboard module runs its own SQL."""
    import ast

    views_file = ROOT / "dashboard" / "official_views.py"
    imported = {n.module.split(".")[0] for n in ast.walk(ast.parse(views_file.read_text(encoding="utf-8")))
                if isinstance(n, ast.ImportFrom) and n.module}
    imported |= {a.name.split(".")[0] for n in ast.walk(ast.parse(views_file.read_text(encoding="utf-8")))
                 if isinstance(n, ast.Import) for a in n.names}
    assert "streamlit" not in imported
    for path in sorted((ROOT / "dashboard").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        calls = [n.func.attr for n in ast.walk(tree) if isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute)]
        assert "sql" not in calls, f"{path.relative_to(ROOT)} runs SQL itself; enterprise reads go through osh.enterprises"
    assert not (ROOT / "dashboard" / "map_view.py").exists()


def test_region_aggregate_is_settlement_clusters_with_labels(env: Path, reader: Any,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ENBEK_MAP_POINT_LIMIT", "10")  # the region no longer fits as points
    at = signed_in(MAP_PAGE, "minister", lang="ru").run()
    at.selectbox(key="map_region").select("35").run()
    assert not at.exception, at.exception
    radio = at.radio(key="map_aggregate_by")
    assert radio.options == ["Населённые пункты", "Шестиугольники"]
    spec = deck_spec(at)
    assert [layer["id"] for layer in spec["layers"]] == [deck.OUTLINE_ID, deck.SETTLEMENTS_ID,
                                                          deck.SETTLEMENT_LABELS_ID]
    circles = spec["layers"][1]["data"]
    located = reader.sql("SELECT count(*) AS n, sum(CASE WHEN degree = 'high' THEN 1 ELSE 0 END) AS h "
                         "FROM enterprise_risk WHERE region = '35' AND lat IS NOT NULL")
    assert sum(c["n"] for c in circles) == located["n"].iloc[0]
    assert len(circles) > 1
    assert all(c["name"] for c in circles)
    labels = spec["layers"][2]["data"]
    assert [x["name"] for x in labels] == [c["name"] for c in sorted(circles, key=lambda c: -c["n"])[:25]]
    assert all(re.fullmatch(r"[^A-Za-z]+", x["name"]) for x in labels), labels[:3]  # Cyrillic on a Russian page
    assert "map_measure" not in [s.key for s in at.selectbox]  # the clusters do not use it: hidden
    at.selectbox(key="map_layer").select("injuries").run()  # clusters show the degree mix only
    assert at.radio(key="map_aggregate_by").options == ["Шестиугольники"]
    assert data_layer(deck_spec(at))["id"] == deck.HEX_ID
