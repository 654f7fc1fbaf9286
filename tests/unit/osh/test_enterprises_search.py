"""The enterprise search of the map page (osh.enterprises.search): by BIN or name fragment, literal % and _,
case-insensitive Cyrillic, always within the user's region scope."""

from __future__ import annotations

import pandas as pd
import pytest

from data.scope import Scope
from osh.enterprises import (
    SEARCH_COLUMNS,
    RiskTableMissing,
    available_years,
    compute_and_store_risk,
    like_pattern,
    query,
    search,
)

KARAGANDA = Scope.of_regions(["35"])
COUNTRY = Scope.country()
NAMES = {
    "35": ["ТОО Шахта_Север", "50% Ltd", "Back\\slash LLP", "Қарағанды Көмір"],
    "71": ["ТОО ШахтаXСевер", "Foreign 50% Ltd"],
}


@pytest.fixture
def named(country):
    """The tiny country scored, with a few enterprises renamed to names holding LIKE's special characters."""
    store, _ = country
    compute_and_store_risk(store)
    everything = query(store, scope=COUNTRY, columns=["bin", "region"])
    renamed: dict[str, str] = {}
    for region, names in NAMES.items():
        bins = everything.loc[everything["region"] == region, "bin"].head(len(names)).tolist()
        for b, name in zip(bins, names, strict=True):
            store.sql("UPDATE enterprise_risk SET name = ? WHERE bin = ?", [name, b])
            renamed[name] = b
    return store, renamed


def names_of(frame: pd.DataFrame) -> set[str]:
    return set(frame["name"])


def test_underscore_is_a_literal_underscore(named) -> None:
    store, renamed = named
    found = search(store, scope=COUNTRY, text="Шахта_Север")
    assert names_of(found) == {"ТОО Шахта_Север"}  # not "ШахтаXСевер", which an unescaped _ would match
    assert found["bin"].tolist() == [renamed["ТОО Шахта_Север"]]


def test_percent_is_a_literal_percent(named) -> None:
    store, _ = named
    assert names_of(search(store, scope=COUNTRY, text="50%")) == {"50% Ltd", "Foreign 50% Ltd"}
    assert names_of(search(store, scope=KARAGANDA, text="50% ltd")) == {"50% Ltd"}


@pytest.mark.parametrize("text", ["%", "_", "%%", "\\"])
def test_a_wildcard_alone_does_not_match_everything(named, text: str) -> None:
    store, _ = named
    found = search(store, scope=COUNTRY, text=text, limit=200)
    assert all(text in name for name in found["name"]), found["name"].tolist()
    assert len(found) <= 3


def test_backslash_is_literal(named) -> None:
    store, _ = named
    assert names_of(search(store, scope=COUNTRY, text="k\\sl")) == {"Back\\slash LLP"}


def test_case_insensitive_in_cyrillic(named) -> None:
    store, _ = named
    assert names_of(search(store, scope=KARAGANDA, text="қарағанды көмір")) == {"Қарағанды Көмір"}


def test_name_search_stays_in_scope(named) -> None:
    store, _ = named
    assert names_of(search(store, scope=KARAGANDA, text="Шахта")) == {"ТОО Шахта_Север"}
    assert names_of(search(store, scope=COUNTRY, text="Шахта")) == {"ТОО Шахта_Север", "ТОО ШахтаXСевер"}
    assert set(search(store, scope=KARAGANDA, text="Firm", limit=200)["region"]) <= {"35"}


def test_bin_search_is_exact_and_scoped(named) -> None:
    store, renamed = named
    foreign = renamed["Foreign 50% Ltd"]
    assert search(store, scope=KARAGANDA, text=f"  {foreign} ").empty
    assert search(store, scope=COUNTRY, text=foreign)["bin"].tolist() == [foreign]
    assert search(store, scope=COUNTRY, text=foreign[:11]).empty  # 11 digits: a name fragment, no name has digits


def test_results_are_ordered_by_score_and_limited(named) -> None:
    store, _ = named
    found = search(store, scope=COUNTRY, text="Firm", limit=5)
    assert list(found.columns) == SEARCH_COLUMNS
    assert len(found) == 5
    assert found["score"].is_monotonic_decreasing


def test_empty_text_and_bad_limit(named) -> None:
    store, _ = named
    empty = search(store, scope=COUNTRY, text="   ")
    assert empty.empty
    assert list(empty.columns) == SEARCH_COLUMNS
    with pytest.raises(ValueError, match="search limit must be between 1 and 200, got 0"):
        search(store, scope=COUNTRY, text="x", limit=0)


def test_like_pattern_escapes() -> None:
    assert like_pattern("a%b_c\\d") == "%a\\%b\\_c\\\\d%"


def test_search_without_a_risk_table_says_what_to_run(tmp_store) -> None:
    with pytest.raises(RiskTableMissing, match="run 'enbek score'"):
        search(tmp_store, scope=COUNTRY, text="x")


def test_available_years_newest_first(named) -> None:
    store, _ = named
    years = available_years(store)
    assert years == sorted(years, reverse=True)
    assert years[0] == int(store.get_meta("risk_year"))
