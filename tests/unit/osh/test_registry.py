"""The indicator registry: one fact per indicator, and the one change rule the cards, the PDF and publish use."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from osh import registry
from osh.registry import INDICATORS, TARGETS, RegistryError, change, change_values, in_series


def test_every_indicator_has_names_and_a_unit_in_three_languages() -> None:
    for ind in INDICATORS.values():
        for lang in registry.LANGS:
            assert ind.name(lang).strip(), (ind.id, lang)
            assert ind.unit_text(lang).strip(), (ind.id, lang)
        assert ind.name("kk") != ind.name("ru") != ind.name("en"), ind.id


def test_targets_link_to_indicators_that_track_them() -> None:
    for ind in INDICATORS.values():
        if ind.target is not None:
            assert TARGETS[ind.target].column == ind.id
    for tgt in TARGETS.values():
        if tgt.column is not None:
            assert INDICATORS[tgt.column].target == tgt.id
            assert tgt.factor == (100.0 if INDICATORS[tgt.column].kind == "share" else 1.0)
    assert TARGETS["fatal_rate_1000"].interval == ("fatal_rate_1000_lo", "fatal_rate_1000_hi")
    assert registry.TARGET_SERIES == "bns"


def test_headline_is_declared_in_the_registry() -> None:
    assert registry.HEADLINE == ("injured", "fatal", "injury_rate_1000", "fatal_rate_1000", "hidden_ratio", "disease_cases",
                                 "disease_rate_100k", "insured_share", "assessed_share", "harmful_share")


def test_unknown_ids_are_refused_with_the_known_ones() -> None:
    with pytest.raises(RegistryError, match=r"unknown indicator 'nope'; known: injured, fatal, "):
        registry.indicator("nope")
    with pytest.raises(RegistryError, match=r"unknown target 'nope'; known: fatal_rate_1000, "):
        registry.target("nope")


def test_change_of_the_hidden_ratio_is_in_points_and_an_improvement() -> None:
    c = change("hidden_ratio", value=11.9, previous=10.9)
    assert c is not None
    assert c.mode == "points"
    assert c.delta == pytest.approx(1.0)
    assert c.better is True  # a higher ratio means fuller reporting


def test_change_of_rates_and_counts_is_relative() -> None:
    c = change("injury_rate_1000", value=0.40, previous=0.44)
    assert c is not None
    assert c.mode == "relative"
    assert c.delta == pytest.approx(-9.0909, rel=1e-4)
    assert c.better is True
    worse = change("injured", value=2449, previous=2041)
    assert worse is not None
    assert worse.better is False
    assert worse.delta == pytest.approx(19.99, abs=0.01)


def test_change_of_shares_is_in_percentage_points() -> None:
    c = change("insured_share", value=0.55, previous=0.32)
    assert c is not None
    assert c.mode == "points"
    assert c.delta == pytest.approx(23.0)
    assert c.better is True
    harmful = change("harmful_share", value=0.30, previous=0.29)
    assert harmful is not None
    assert harmful.better is False


def test_no_change_without_both_values_or_from_zero() -> None:
    assert change("injured", value=5, previous=None) is None
    assert change("injured", value=float("nan"), previous=3) is None
    assert change("injured", value=5, previous=0) is None
    assert change("injured", value="5", previous=3) is None
    assert change("hidden_ratio", value=3.0, previous=0.0) is not None  # points: a difference is defined
    same = change("workers", value=10, previous=8)
    assert same is not None
    assert same.better is None
    flat = change("fatal", value=8, previous=8)
    assert flat is not None
    assert flat.better is None
    assert flat.delta == 0


def test_vectorised_change_agrees_with_the_scalar_rule() -> None:
    value = pd.Series([11.9, 5.0, float("nan"), 2.0])
    previous = pd.Series([10.9, 0.0, 3.0, 4.0])
    for ind in ("hidden_ratio", "injury_rate_1000", "insured_share"):
        got = change_values(ind, value=value, previous=previous)
        for v, p, g in zip(value, previous, got, strict=True):
            c = change(ind, value=v, previous=p)
            assert (c is None and math.isnan(g)) or (c is not None and c.delta == pytest.approx(g)), (ind, v, p, g)


def test_in_series_keeps_one_series_and_passes_a_table_without_series() -> None:
    f = pd.DataFrame({"series": ["bns", "mlsp", "bns"], "x": [1, 2, 3]})
    assert in_series(f, "bns")["x"].tolist() == [1, 3]
    assert in_series(f, "other").empty
    legacy = pd.DataFrame({"x": [1, 2]})
    assert in_series(legacy, "bns") is legacy
