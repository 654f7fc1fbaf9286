"""The OSH-measure indicators in the registry: one entry per public measure column, names and units in three
languages, ids that never collide with the indicator table's, and the one change rule applied to them."""

from __future__ import annotations

import pytest

from osh import registry
from osh.measure_sums import PUBLIC_MEASURES
from osh.public import MEASURE_VALUES
from osh.registry import INDICATORS, MEASURE_INDICATORS, RegistryError, change, indicator


def test_every_public_measure_column_has_one_registry_entry() -> None:
    assert list(MEASURE_INDICATORS) == [*PUBLIC_MEASURES, "reporting_enterprises", "reporting_workers"]
    assert set(MEASURE_INDICATORS) == set(MEASURE_VALUES)
    assert not set(MEASURE_INDICATORS) & set(INDICATORS)
    for ind in MEASURE_INDICATORS.values():
        assert indicator(ind.id) is ind
        assert ind.target is None
        assert not ind.headline
        for lang in registry.LANGS:
            assert ind.name(lang).strip(), (ind.id, lang)
            assert ind.unit_text(lang).strip(), (ind.id, lang)
        assert len({ind.name("kk"), ind.name("ru"), ind.name("en")}) == 3, ind.id


def test_kinds_decimals_and_directions() -> None:
    funding = indicator("funding_per_worker")
    assert (funding.kind, funding.unit, funding.decimals, funding.higher_is_worse) == ("rate", "tenge_per_worker", 0, False)
    assert indicator("ppe_share").unit_text("ru") == "% от нормы"
    # guarantees, nutrition and milk are owed for harmful work: neither better nor worse
    assert [indicator(i).higher_is_worse for i in ("guarantee_share", "nutrition_share", "milk_share")] == [None] * 3
    assert indicator("sanitary_share").unit == "percent_enterprises"


def test_the_change_rule_applies_to_measures() -> None:
    ppe = change("ppe_share", value=0.85, previous=0.80)
    assert ppe is not None
    assert ppe.mode == "points"
    assert ppe.delta == pytest.approx(5.0)
    assert ppe.better is True
    money = change("funding_per_worker", value=11_000.0, previous=10_000.0)
    assert money is not None
    assert money.mode == "relative"
    assert money.delta == pytest.approx(10.0)
    assert money.better is True
    milk = change("milk_share", value=0.3, previous=0.2)
    assert milk is not None
    assert milk.better is None


def test_unknown_ids_name_both_tables() -> None:
    with pytest.raises(RegistryError, match=r"unknown indicator 'nope'; known: injured, .*, workers, funding_per_worker, "):
        indicator("nope")
