"""BIN check digit, KATO and OKED rules."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from data import codes


def _check_by_hand(first11: str) -> int | None:
    d = [int(c) for c in first11]
    s = sum(w * x for w, x in zip(range(1, 12), d, strict=True)) % 11
    if s == 10:
        s = sum(w * x for w, x in zip([3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2], d, strict=True)) % 11
        if s == 10:
            return None
    return s


def test_known_bin_check_digit() -> None:
    # 1*1+2*2+...+11*1 for "12345678901": 1+4+9+16+25+36+49+64+81+0+11 = 296; 296 % 11 = 10 ->
    # second weights 3..11,1,2: 3+8+15+24+35+48+63+80+11+0+2 = 289; 289 % 11 = 3
    assert codes.bin_check_digit("12345678901") == 3
    assert codes.is_valid_bin("123456789013")
    assert not codes.is_valid_bin("123456789012")


def test_bin_with_no_possible_check_digit_is_invalid_for_every_last_digit() -> None:
    # Find an 11-digit body whose both sums are 10 and show every completion is rejected.
    body = next(f"{n:011d}" for n in range(10**10, 10**10 + 200_000) if _check_by_hand(f"{n:011d}") is None)
    assert codes.bin_check_digit(body) is None
    assert codes.make_bin(body) is None
    assert not any(codes.is_valid_bin(body + str(d)) for d in range(10))


@settings(deadline=None)
@given(st.text(alphabet="0123456789", min_size=11, max_size=11))
def test_vectorised_bin_check_matches_definition(body: str) -> None:
    expected = _check_by_hand(body)
    for last in range(10):
        assert codes.is_valid_bin(body + str(last)) == (expected == last)


def test_bin_shape_rules() -> None:
    s = pd.Series(["12345678901", "1234567890133", "12345678901a", None, " 123456789013"])
    assert codes.valid_bins(s).tolist() == [False, False, False, False, False]


def test_kato_prefixes() -> None:
    s = pd.Series(["351010000", "621010000", "511010000", "991010000", "35101000", "3510100001"])
    assert codes.valid_katos(s).tolist() == [True, True, True, False, False, False]


@pytest.mark.parametrize(
    ("raw", "norm", "valid"),
    [("07.10", "07.10", True), ("0710", "07.10", True), ("01111", "01.11.1", True), ("24", "24", True),
     ("04.10", "04.10", False), ("34", "34", False), ("7.10", "7.10", False), ("A", "A", False)],
)
def test_oked_normalisation_and_divisions(raw: str, norm: str, valid: bool) -> None:
    out = codes.normalise_oked(pd.Series([raw]))
    assert out.iloc[0] == norm
    assert bool(codes.valid_okeds(out).iloc[0]) is valid


def test_sections_cover_all_divisions_once() -> None:
    divisions = [d for ds in codes.OKED_SECTIONS.values() for d in ds]
    assert len(divisions) == len(set(divisions)) == 88
    assert codes.section_of_oked(pd.Series(["05.10", "47.11", "99"])).tolist() == ["B", "G", "U"]


def test_size_classes_from_employees() -> None:
    assert codes.size_class_of(pd.Series([0, 15, 16, 100, 101, 250, 251])).tolist() == [
        "micro", "micro", "small", "small", "medium", "medium", "large"]
