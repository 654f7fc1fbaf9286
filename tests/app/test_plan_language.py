"""The official pages and their files speak the user's language: walk the inspection plan, the enterprise map with
a card open, and every plan download in kk and ru, and fail on any English word of the product's vocabulary."""

from __future__ import annotations

import io
import json
import re
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from dashboard.i18n import load_table
from data import auth
from data.scope import Scope
from osh import plan
from osh import reasons as rs
from tests.app import test_enterprise_map as emap
from tests.app.test_enterprise_map import LIST_PAGE, MAP_PAGE, audit_events, signed_in

# the map tests' fixtures: the same module-scoped store, users and environment
store_path, limit, env, reader = emap.store_path, emap.limit, emap.env, emap.reader

_WORD = re.compile(r"[A-Za-z]{3,}")
# Latin text that is not English: the code columns of the files and the OKED/KATO/BIN abbreviations.
_ALLOWED = {"bin", "kato", "oked", "csv", "xlsx", "osh"}


def english_vocabulary() -> set[str]:
    """Every word of the product's English texts (locales, reasons) and of its enum codes, minus words that
    appear in the kk or ru texts too (abbreviations, codes)."""
    table = load_table()
    en = [e["en"] for e in table.values()] + [v[2] for v in rs.TEXTS.values()]
    other = " ".join([e["kk"] + " " + e["ru"] for e in table.values()] + [v[0] + v[1] for v in rs.TEXTS.values()])
    words = {w.lower() for text in en for w in _WORD.findall(re.sub(r"\{[^}]*\}", " ", text))}
    words |= {"micro", "small", "medium", "large", "low", "high", "planned", "inspected", "injured", "fatal",
              "expected", "peers", "credible", "preventable", "none", "true", "false", "nan"}
    return words - {w.lower() for w in _WORD.findall(re.sub(r"\{[^}]*\}", " ", other))} - _ALLOWED


VOCABULARY = english_vocabulary()


def english_in(texts: list[str]) -> list[str]:
    return sorted({w for text in texts for w in _WORD.findall(str(text)) if w.lower() in VOCABULARY})


def page_texts(at: Any) -> list[str]:
    out: list[str] = []
    for kind in ("title", "subheader", "caption", "markdown", "success", "info", "warning", "error"):
        out += [str(e.value) for e in getattr(at, kind)]
    for frame in at.dataframe:
        value: pd.DataFrame = frame.value
        out += [str(c) for c in value.columns] + [str(v) for v in value.to_numpy().ravel()]
    for widget in [*at.selectbox, *at.radio]:
        out.append(str(widget.label))
        out += [str(o) for o in widget.options]
    out += [str(m.label) + " " + str(m.value) for m in at.metric]
    return [re.sub(r"<[^>]+>", " ", text) for text in out]  # what is read, not the legend's HTML markup


def test_vocabulary_catches_the_reported_english() -> None:
    report = "87 injured (12 fatal) in 5 years vs 24.8 expected for B/large peers; credible rate 3.5x peers"
    assert english_in([report]) == ["credible", "expected", "fatal", "for", "injured", "large", "peers", "rate", "years"]
    assert english_in(["Караганда, ТОО «Қарағанды», BIN, KATO, OKED"]) == []


@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_plan_page_card_and_files_have_no_english(env: Path, reader: Any, lang: str) -> None:
    from dashboard.official_render import list_file, region_plan_file
    from dashboard.official_views import PlanSelection

    at = signed_in(LIST_PAGE, "minister", lang=lang).run()
    assert not at.exception, at.exception
    at.selectbox(key="list_region").select("75").run()
    shown = at.dataframe[0].value
    assert len(shown) == 50
    # numbers on screen use the decimal comma, dates read dd.mm.yyyy
    score_col = {"kk": "Тәуекел бағасы", "ru": "Оценка риска"}[lang]
    assert all(re.fullmatch(r"\d{1,3},\d", s) for s in shown[score_col])
    dates = [d for d in shown[{"kk": "Соңғы тексеру", "ru": "Последняя проверка"}[lang]] if d != "–"]
    assert dates
    assert all(re.fullmatch(r"\d\d\.\d\d\.\d{4}", d) for d in dates)
    texts = page_texts(at)
    assert english_in(texts) == []
    settlements = [x for x in shown[{"kk": "Жақын елді мекен", "ru": "Ближайший населённый пункт"}[lang]] if x]
    assert settlements
    assert all(re.fullmatch(r"[^A-Za-z]+", x) for x in settlements), settlements[:5]  # not GeoNames' Latin

    bin_ = shown[{"kk": "БСН", "ru": "БИН"}[lang]].iloc[0]
    card = signed_in(MAP_PAGE, "minister", lang=lang).run()
    card.text_input(key="map_search").input(str(bin_)).run()
    assert not card.exception, card.exception
    card_texts = page_texts(card)
    assert not any(t.lstrip().startswith("{") for t in card_texts)  # no raw JSON widget
    assert not any(re.search(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d", t) for t in card_texts)
    assert english_in(card_texts) == [], [t for t in card_texts if english_in([t])]

    # mark one planned so the region's plan file is not empty, then every file in this language
    identity = auth.default_provider().lookup(username="minister")
    with plan.open_plan() as store:
        plan.mark(store, risk=reader, scope=Scope.country(), bin=str(bin_), status="planned", on=date(2026, 12, 1),
                  note="", user="minister", now=pd.Timestamp("2026-11-30").to_pydatetime())
    for kind in ("csv", "xlsx"):
        for data in (list_file(reader, identity=identity, selection=PlanSelection(region="75"), kind=kind, lang=lang),
                     region_plan_file(reader, identity=identity, region="75", kind=kind, lang=lang)):
            frame = (pd.read_csv(io.BytesIO(data), dtype=str, encoding="utf-8-sig", keep_default_na=False)
                     if kind == "csv" else pd.read_excel(io.BytesIO(data), dtype=str).fillna(""))
            cells = [str(c) for c in frame.columns] + [str(v) for v in frame.to_numpy().ravel()]
            assert english_in(cells) == [], kind
            assert {"BIN", "KATO", "OKED"} <= set(frame.columns)
    from pypdf import PdfReader

    pdf = region_plan_file(reader, identity=identity, region="75", kind="pdf", lang=lang)
    text = re.sub(r"\s+", " ", " ".join(p.extract_text() or "" for p in PdfReader(io.BytesIO(pdf)).pages))
    assert english_in([text]) == []
    assert str(bin_) in text.replace(" ", "")  # a narrow column may wrap the 12 digits
    assert {"kk": "Өңірдің тексеру жоспары", "ru": "План проверок региона"}[lang] in text


def test_marks_are_shared_in_the_region_audited_and_refused_outside(env: Path, reader: Any) -> None:
    at = signed_in(LIST_PAGE, "almaty", lang="ru").run()
    assert not at.exception, at.exception
    next(b for b in at.button if b.label == "Сохранить").click().run()
    assert [w.value for w in at.warning if w.value.startswith("Сначала")] == ["Сначала выберите предприятия."]
    shown = at.dataframe[0].value["БИН"].astype(str).tolist()
    first, second = shown[0], shown[1]
    at.multiselect(key="plan_mark_bins").select(first).select(second)
    at.radio(key="plan_mark_status").set_value("inspected")
    at.date_input(key="plan_mark_date").set_value(date(2026, 11, 20))
    at.text_input(key="plan_mark_note").input("нарушения устранены")
    next(b for b in at.button if b.label == "Сохранить").click().run()
    assert not at.exception, at.exception
    assert any(s.value.startswith("Сохранено: ") for s in at.success)
    region_plan = at.dataframe[-1].value
    assert sorted(region_plan["БИН"].astype(str)) == sorted([first, second])
    assert region_plan["План"].tolist() == ["проверено"] * 2
    assert region_plan["Дата по плану"].tolist() == ["20.11.2026"] * 2
    events = [e for e in audit_events(env) if e["action"] == "plan_mark"]
    assert [(e["user"], e["object"], e["detail"]["status"]) for e in events] == [
        ("almaty", first, "inspected"), ("almaty", second, "inspected")]
    # the ministry sees every region's plan; another region's akimat would not
    with plan.open_plan() as store:
        assert sorted(plan.marks(store, scope=Scope.country())["bin"]) == sorted([first, second])
        assert plan.marks(store, scope=Scope.of_regions(["35"])).empty
        other = reader.sql("SELECT bin FROM enterprise_risk WHERE region <> '75' LIMIT 1")["bin"].iloc[0]
        with pytest.raises(plan.ScopeError, match=f"enterprise {other} is in region .*, outside this user's scope"):
            plan.mark(store, risk=reader, scope=Scope.of_regions(["75"]), bin=other, status="planned",
                      on=date(2026, 12, 1), note="", user="almaty", now=pd.Timestamp("2026-11-30").to_pydatetime())
    assert json.dumps(events[0]["detail"], ensure_ascii=False).count("нарушения") == 0  # the note is not logged


def test_the_ministry_sees_every_region_s_plan_drills_down_and_exports(env: Path, reader: Any) -> None:
    from dashboard.official_render import summary_file

    astana = reader.sql("SELECT bin FROM enterprise_risk WHERE region = '71' ORDER BY bin LIMIT 2")["bin"].tolist()
    almaty = reader.sql("SELECT bin FROM enterprise_risk WHERE region = '75' ORDER BY bin LIMIT 1")["bin"].tolist()
    now = pd.Timestamp("2026-11-30 08:00").to_pydatetime()
    with plan.open_plan() as store:
        plan.mark(store, risk=reader, scope=Scope.country(), bin=astana[0], status="planned", on=date(2020, 1, 15),
                  note="", user="minister", now=now)  # long past and not inspected: overdue
        plan.mark(store, risk=reader, scope=Scope.country(), bin=astana[1], status="inspected", on=date(2020, 2, 1),
                  note="", user="minister", now=now)
        plan.mark(store, risk=reader, scope=Scope.of_regions(["75"]), bin=almaty[0], status="planned",
                  on=date(2099, 1, 1), note="", user="almaty", now=now)

    at = signed_in(LIST_PAGE, "minister", lang="ru").run()
    assert not at.exception, at.exception
    assert "Планы проверок регионов" in [s.value for s in at.subheader]
    assert "В планах 3 предприятия в 2 регионах." in " ".join(c.value for c in at.caption)
    table = next(f.value for f in at.dataframe if "Просрочено" in f.value.columns)
    assert list(table.columns) == ["Регион", "В плане", "Запланировано", "Проверено", "Просрочено",
                                   "Последнее изменение"]
    assert len(table) == 20
    rows = table.set_index("Регион")
    assert rows.loc["город Астана", ["В плане", "Запланировано", "Проверено", "Просрочено"]].tolist() == [2, 1, 1, 1]
    assert rows.loc["город Алматы", ["В плане", "Просрочено"]].tolist() == [1, 0]
    assert rows.loc["город Астана", "Последнее изменение"] == "30.11.2026"
    assert english_in(page_texts(at)) == [], [x for x in page_texts(at) if english_in([x])]
    assert any(e["action"] == "view_list" and e["object"] == "inspection_plan_summary:KZ" and e["detail"]["marked"] == 3
               for e in audit_events(env))

    # drill down: the region's plan, and no summary any more
    at.selectbox(key="plan_summary_open").select("71").run()
    assert not at.exception, at.exception
    assert at.selectbox(key="list_region").value == "71"
    assert "Планы проверок регионов" not in [s.value for s in at.subheader]
    assert sorted(at.dataframe[-1].value["БИН"].astype(str)) == sorted(astana)

    identity = auth.default_provider().lookup(username="minister")
    data = summary_file(identity, kind="csv", lang="kk")
    frame = pd.read_csv(io.BytesIO(data), dtype=str, encoding="utf-8-sig", keep_default_na=False)
    assert list(frame.columns) == ["KATO", "Өңір", "Жоспарда", "Жоспарланған", "Тексерілген", "Мерзімі өткен",
                                   "Соңғы өзгеріс"]
    assert frame.set_index("KATO").loc["71", "Мерзімі өткен"] == "1"
    assert english_in([str(v) for v in frame.to_numpy().ravel()]) == []

    # an akimat of one region never gets the summary (its region box has no "all regions")
    akimat = signed_in(LIST_PAGE, "almaty", lang="ru").run()
    assert not akimat.exception, akimat.exception
    assert "Планы проверок регионов" not in [s.value for s in akimat.subheader]


def _district_file(reader: Any, path: Path, *, region: str = "75") -> dict[str, str]:
    """A small hand-built district file (geopandas-written) for the districts the store's enterprises of `region`
    fall in, all but the last named (so one district shows its code); returns {code: Russian name}."""
    import geopandas as gpd
    import shapely

    codes = reader.sql("SELECT DISTINCT substr(kato, 1, 4) AS d FROM enterprise_risk WHERE region = ? ORDER BY d",
                       [region])["d"].tolist()
    assert len(codes) >= 2, codes
    named = codes[:-1]
    frame = gpd.GeoDataFrame(
        {"kato": [f"{c}00000" for c in named],  # 9-digit KATO codes, as an official file writes them
         "name_kk": [f"{i + 1}-аудан" for i in range(len(named))],
         "name_ru": [f"Район №{i + 1}" for i in range(len(named))],
         "name_en": [f"District {i + 1}" for i in range(len(named))]},
        geometry=[shapely.box(76.8 + 0.05 * i, 43.1, 76.85 + 0.05 * i, 43.4) for i in range(len(named))], crs=4326)
    frame.to_file(path)
    return {c: f"Район №{i + 1}" for i, c in enumerate(named)}


def test_a_configured_district_file_names_districts_and_draws_outlines(env: Path, reader: Any,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    from dashboard.official_render import list_file
    from dashboard.official_views import PlanSelection
    from layers import deck

    path = env / "districts.gpkg"
    names = _district_file(reader, path)
    monkeypatch.setenv("ENBEK_DISTRICT_BOUNDARIES", str(path))
    at = signed_in(LIST_PAGE, "almaty", lang="ru").run()
    assert not at.exception, at.exception
    shown = at.dataframe[0].value
    bins = shown["БИН"].astype(str).tolist()
    kato = reader.sql(f"SELECT bin, kato FROM enterprise_risk WHERE bin IN ({', '.join('?' for _ in bins)})",
                      bins).set_index("bin")["kato"]
    expected = [names.get(kato[b][:4], kato[b][:4]) for b in bins]
    assert shown["Район (КАТО)"].tolist() == expected
    assert set(expected) & set(names.values())
    assert not at.warning or all("район" not in w.value.lower() for w in at.warning)

    identity = auth.default_provider().lookup(username="almaty")
    data = list_file(reader, identity=identity, selection=PlanSelection(region="75"), kind="csv", lang="ru")
    frame = pd.read_csv(io.BytesIO(data), dtype=str, encoding="utf-8-sig", keep_default_na=False)
    assert set(frame["Район (КАТО)"]) & set(names.values())

    m = signed_in(MAP_PAGE, "minister", lang="ru").run()
    m.selectbox(key="map_region").select("75").run()
    assert not m.exception, m.exception
    spec = emap.deck_spec(m)
    district = [layer for layer in spec["layers"] if layer["id"] == deck.DISTRICT_ID]
    assert len(district) == 1
    assert sorted(f["properties"]["kato"] for f in district[0]["data"]["features"]) == sorted(names)
    m.selectbox(key="map_region").select("71").run()  # a region the file does not cover: no outlines, no error
    assert not m.exception, m.exception
    assert deck.DISTRICT_ID not in [layer["id"] for layer in emap.deck_spec(m)["layers"]]


def test_district_outlines_lie_under_clusters_and_over_hexagons(reader: Any, tmp_path: Path) -> None:
    from dashboard import official_views as views
    from geo.boundaries import load_district_boundaries
    from layers import deck

    path = tmp_path / "districts.gpkg"
    _district_file(reader, path)
    districts = views.districts_view(load_district_boundaries(path))
    ids = {}
    for aggregate_by in ("regions", "hex"):  # "regions" inside a region = settlement clusters
        view = views.build_map(reader, scope=Scope.country(), lang="ru", outlines=None, attribution="",
                               selection=views.MapSelection(region="75", aggregate_by=aggregate_by), point_limit=1,
                               tiles="", districts=districts)
        ids[view.mode] = list(view.layer_ids)
    assert ids["settlements"][0] == deck.DISTRICT_ID
    assert len(ids["settlements"]) > 1
    assert ids["hex"] == [deck.HEX_ID, deck.DISTRICT_ID]


def test_a_broken_district_file_is_named_and_the_page_goes_on(env: Path, reader: Any,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    import geopandas as gpd
    import shapely

    path = env / "broken_districts.geojson"
    gpd.GeoDataFrame({"kato": ["7511"], "name_kk": ["а"], "name_ru": [""], "name_en": ["b"]},
                     geometry=[shapely.box(76.8, 43.1, 76.9, 43.2)], crs=4326).to_file(path)
    monkeypatch.setenv("ENBEK_DISTRICT_BOUNDARIES", str(path))
    at = signed_in(LIST_PAGE, "almaty", lang="kk").run()
    assert not at.exception, at.exception
    [warning] = [w.value for w in at.warning if "broken_districts" in w.value]
    assert warning.startswith("Аудандар файлын пайдалану мүмкін емес, сондықтан аудандар көрсетілмейді: ")
    assert "feature 1 (code 7511): empty name_ru" in warning
    assert len(at.dataframe[0].value) == 50
