"""The one number format of the dashboard and the briefing: separators, minus, missing values, bad input."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from layers import numbers
from layers.numbers import NumberFormatError, change_text, fmt_number, fmt_percent, fmt_signed, fmt_target, fmt_value

NNBSP = "\u202f"


@pytest.mark.parametrize(("lang", "value", "decimals", "text"), [
    ("kk", 2449.5, 1, f"2{NNBSP}449,5"), ("ru", 1234567, 0, f"1{NNBSP}234{NNBSP}567"), ("en", 2449.5, 1, f"2{NNBSP}449.5"),
    ("ru", 0.037, 3, "0,037"), ("en", -0.0001, 2, "0.00"), ("ru", -1234.5, 1, f"\u22121{NNBSP}234,5"),
    ("kk", np.float32(0.5), 1, "0,5"), ("en", np.int64(12), 0, "12"),
])
def test_separators_and_minus_per_language(lang: str, value: float, decimals: int, text: str) -> None:
    assert fmt_number(value, lang, decimals=decimals) == text


@pytest.mark.parametrize("missing", [None, float("nan"), np.nan, math.inf, -math.inf, pd.NA])
def test_missing_values_are_the_localised_no_data(missing: object) -> None:
    assert fmt_number(missing, "kk") == "деректер жоқ"
    assert fmt_number(missing, "ru") == "нет данных"
    assert fmt_percent(missing, "en") == "no data"
    assert fmt_signed(missing, "en") == "no data"
    assert fmt_value("hidden_ratio", missing, "en") == "no data"  # never 'no data:1'
    assert fmt_number(missing, "en", missing="") == ""


@pytest.mark.parametrize("bad", ["12", "abc", b"1", object(), [1]])
def test_bad_input_is_refused_naming_the_value(bad: object) -> None:
    with pytest.raises(NumberFormatError, match="cannot format"):
        fmt_number(bad, "en")
    with pytest.raises(NumberFormatError, match="cannot format"):
        fmt_value("injured", bad, "kk")


def test_indicator_and_target_values() -> None:
    assert fmt_value("hidden_ratio", 10.94, "ru") == "10,9:1"
    assert fmt_value("insured_share", 0.32, "en") == "32.0%"
    assert fmt_value("insured_share", 0.32, "kk") == "32,0\u00a0%"
    assert fmt_value("fatal_rate_1000", 0.0374, "en") == "0.037"
    assert fmt_target("insurance_coverage", 55, "ru") == "55,0\u00a0%"
    assert fmt_target("hidden_injury_ratio", 12, "en") == "12.0:1"
    assert fmt_target("science_programmes", 4, "en") == "4"


def test_change_texts_follow_the_registry_rule() -> None:
    assert change_text("hidden_ratio", 11.9, 10.9, "en") == "+1.0"  # the card once said +9.2 %
    assert change_text("injured", 2449, 2041, "ru") == "+20,0\u00a0%"
    assert change_text("insured_share", 0.55, 0.32, "kk") == "+23,0\u00a0п.т."
    assert change_text("fatal_rate_1000", 0.036, 0.037, "en") == "\u22122.7%"
    assert change_text("fatal", 8, 8, "en") == "0.0%"
    assert change_text("injured", 5, 0, "en") == "no data"
    assert change_text("injured", None, 3, "en", missing="–") == "–"


def test_vega_locale_matches_the_table_format() -> None:
    assert numbers.vega_locale("ru")["number"] == {"decimal": ",", "thousands": NNBSP, "grouping": [3], "currency": ["", "\u00a0₸"]}
    assert numbers.vega_locale("en")["number"]["decimal"] == "."  # type: ignore[index]
