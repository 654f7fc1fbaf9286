"""Region scope is enforced in the data layer: an akimat user cannot reach another region's enterprises
through a filter, a BIN search, a card, an inspection list or a download, whatever the UI sends."""

from __future__ import annotations

import inspect

import pandas as pd
import pytest

from data.scope import Scope, ScopeError
from osh import enterprises
from osh.enterprises import EnterpriseFilter, card, compute_and_store_risk, inspection_list, query, search

KARAGANDA = Scope.of_regions(["35"])
COUNTRY = Scope.country()


@pytest.fixture
def scored(country):
    store, _ = country
    compute_and_store_risk(store)
    everything = query(store, scope=COUNTRY)
    assert set(everything["region"]) == {"35", "62", "63", "71"}  # the fixture spans several regions
    return store, everything


def a_bin_in(frame: pd.DataFrame, region: str) -> str:
    return str(frame.loc[frame["region"] == region, "bin"].iloc[0])


def test_every_enterprise_read_requires_a_scope() -> None:
    for function in (query, card, inspection_list, search):
        parameter = inspect.signature(function).parameters["scope"]
        assert parameter.kind is inspect.Parameter.KEYWORD_ONLY
        assert parameter.default is inspect.Parameter.empty, f"{function.__name__} must not default to a scope"


def test_akimat_query_returns_only_its_region(scored) -> None:
    store, everything = scored
    mine = query(store, scope=KARAGANDA)
    assert len(mine) > 0
    assert set(mine["region"]) == {"35"}
    assert set(mine["bin"]) == set(everything.loc[everything["region"] == "35", "bin"])


def test_scope_applies_even_when_the_region_column_is_not_requested(scored) -> None:
    store, everything = scored
    listed = query(store, scope=KARAGANDA, columns=["bin", "name", "score"])  # e.g. a CSV download
    assert list(listed.columns) == ["bin", "name", "score"]
    assert set(listed["bin"]) == set(everything.loc[everything["region"] == "35", "bin"])


@pytest.mark.parametrize("requested", [{"71"}, {"35", "71"}, {"62"}])
def test_filter_reaching_outside_the_scope_is_refused_not_narrowed(scored, requested: set[str]) -> None:
    store, _ = scored
    outside = ", ".join(sorted(set(requested) - {"35"}))
    with pytest.raises(ScopeError, match=f"regions {outside} are outside this user's scope"):
        query(store, scope=KARAGANDA, filters=EnterpriseFilter(regions=frozenset(requested)))


def test_other_filters_cannot_widen_the_scope(scored) -> None:
    store, everything = scored
    wide = EnterpriseFilter(sections=frozenset({"B", "C", "F", "G"}), assessed=None, insured=None)
    got = query(store, scope=KARAGANDA, filters=wide)
    assert set(got["region"]) == {"35"}
    assert len(got) == int((everything["region"] == "35").sum())


def test_rescoring_another_year_keeps_the_scope(scored) -> None:
    store, _ = scored
    stored = enterprises.stored_year(store)
    assert stored is not None
    other = query(store, scope=KARAGANDA, filters=EnterpriseFilter(year=stored - 1))  # computed on the fly
    assert len(other) > 0
    assert set(other["region"]) == {"35"}
    with pytest.raises(ScopeError):
        query(store, scope=KARAGANDA, filters=EnterpriseFilter(year=stored - 1, regions=frozenset({"71"})))


def test_card_outside_the_region_is_refused(scored) -> None:
    store, everything = scored
    foreign = a_bin_in(everything, "71")
    with pytest.raises(ScopeError, match=f"enterprise {foreign} is in region 71, outside this user's scope"):
        card(store, scope=KARAGANDA, bin=foreign)
    own = a_bin_in(everything, "35")
    assert card(store, scope=KARAGANDA, bin=own).region == "35"
    assert card(store, scope=COUNTRY, bin=foreign).region == "71"  # the ministry sees it


def test_bin_search_does_not_find_other_regions(scored) -> None:
    store, everything = scored
    foreign = a_bin_in(everything, "63")
    # The map's search box (osh.enterprises.search) does not find it, and its card refuses it.
    assert search(store, scope=KARAGANDA, text=foreign).empty
    assert search(store, scope=COUNTRY, text=foreign)["bin"].tolist() == [foreign]
    foreign_name = str(everything.loc[everything["bin"] == foreign, "name"].iloc[0])
    assert foreign not in set(search(store, scope=KARAGANDA, text=foreign_name, limit=200)["bin"])
    assert foreign not in set(query(store, scope=KARAGANDA, columns=["bin"])["bin"])
    with pytest.raises(ScopeError):
        card(store, scope=KARAGANDA, bin=foreign)


def test_inspection_list_is_scoped(scored) -> None:
    store, _ = scored
    national = inspection_list(store, scope=COUNTRY)
    assert set(national["region"]) > {"35"}
    mine = inspection_list(store, scope=KARAGANDA)
    assert len(mine) > 0
    assert set(mine["region"]) == {"35"}
    assert list(mine["bin"]) == list(national.loc[national["region"] == "35", "bin"])  # same ranking order
    assert list(mine["rank"]) == list(range(1, len(mine) + 1))
    assert len(inspection_list(store, scope=KARAGANDA, region="35", limit=3)) == min(3, len(mine))
    with pytest.raises(ScopeError, match="regions 71 are outside this user's scope"):
        inspection_list(store, scope=KARAGANDA, region="71")


def test_multi_region_akimat_sees_exactly_its_regions(scored) -> None:
    store, everything = scored
    two = Scope.of_regions(["35", "62"])
    got = query(store, scope=two)
    assert set(got["region"]) == {"35", "62"}
    assert len(got) == int(everything["region"].isin(["35", "62"]).sum())
    assert set(query(store, scope=two, filters=EnterpriseFilter(regions=frozenset({"62"})))["region"]) == {"62"}
