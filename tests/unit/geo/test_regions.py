"""Tests of the region registry: codes, names in three languages, lineage and basis aggregation."""

from __future__ import annotations

import unicodedata

import numpy as np
import pandas as pd
import pycountry
import pytest

from geo import regions
from geo.regions import REGION_CODES, REGIONS, aggregate_to_basis

# first letters of Kazakh Cyrillic in the BGN/PCGN romanisation pycountry uses
_LATIN = {"а": "a", "ә": "a", "б": "b", "в": "v", "г": "g", "ғ": "gh", "д": "d", "е": "e", "ж": "zh", "з": "z",
          "и": "i", "й": "y", "к": "k", "қ": "q", "л": "l", "м": "m", "н": "n", "ң": "ng", "о": "o", "ө": "o",
          "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ұ": "u", "ү": "u", "ф": "f", "х": "kh", "һ": "h",
          "ц": "ts", "ч": "ch", "ш": "sh", "ы": "y", "і": "i", "э": "e", "ю": "yu", "я": "ya"}


def _latin(text: str) -> str:
    return "".join(_LATIN.get(ch, ch) for ch in text.lower())


def _plain(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text.lower()) if not unicodedata.combining(c))


def test_twenty_codes_match_iso_3166_2():
    iso = {s.code.removeprefix("KZ-"): s for s in pycountry.subdivisions.get(country_code="KZ")}
    assert set(REGION_CODES) == set(iso)
    assert len(REGION_CODES) == 20
    assert list(REGION_CODES) == sorted(REGION_CODES)
    for r in REGIONS:
        assert r.iso == f"KZ-{r.code}"
        assert (r.kind == "city") == (iso[r.code].type == "City"), r.code


def test_kazakh_names_agree_with_iso_romanisation():
    iso = {s.code.removeprefix("KZ-"): s.name for s in pycountry.subdivisions.get(country_code="KZ")}
    for r in REGIONS:
        first_word = r.kk.split()[0]
        assert _latin(first_word)[:3] == _plain(iso[r.code])[:3], (r.code, r.kk, iso[r.code])


def test_names_in_three_languages():
    for r in REGIONS:
        assert all((r.kk, r.ru, r.en))
        assert len({r.kk, r.ru, r.en}) == 3
        assert r.name("kk") == r.kk
        assert r.name("ru") == r.ru
        assert r.name("en") == r.en
        if r.kind == "city":
            assert r.kk.endswith("қаласы")
            assert r.ru.startswith("город ")
        else:
            assert r.kk.endswith("облысы")
            assert "област" in r.ru
    assert regions.region_name("62", "kk") == "Ұлытау облысы"
    assert regions.region_name("33", "ru") == "область Жетісу"
    assert regions.region_name("71", "en") == "Astana (city)"


def test_unknown_code_message():
    with pytest.raises(regions.UnknownRegionError, match=r"unknown region code '99'; expected one of 10, 11"):
        regions.region("99")


def test_lineage():
    assert regions.SPLITS == {"10": "63", "33": "19", "62": "35"}
    assert regions.region("10").parent == "63"
    assert regions.children("35") == ("62",)
    assert regions.children("11") == ()
    assert len(regions.harmonised_codes()) == 17
    assert not set(regions.harmonised_codes()) & {"10", "33", "62"}
    assert regions.basis_code("101010000", basis="harmonised") == "63"
    assert regions.basis_code("101010000", basis="current") == "10"
    assert regions.region_of_kato("511010000") == "61"  # retired South Kazakhstan prefix


@pytest.fixture
def series() -> pd.DataFrame:
    # 2021: before the split, East Kazakhstan (63) reports for Abai's territory too.
    # 2023: Abai (10) and Ulytau (62) report their own figures; Zhetisu (33) did not report.
    return pd.DataFrame(
        {
            "year": [2021, 2021, 2021, 2021, 2023, 2023, 2023, 2023, 2023, 2023],
            "region": ["63", "35", "19", "71", "63", "10", "35", "62", "19", "71"],
            "injuries": [50, 80, 40, 30, 30, 25, 60, 22, 41, 33],
            "employees": [500, 800, 400, 300, 300, 250, 600, 220, 410, 330],
        }
    )


def test_harmonised_aggregation_merges_children_into_parents(series):
    out = aggregate_to_basis(series, basis="harmonised", values=["injuries", "employees"])
    got = out.set_index(["year", "region"])["injuries"]
    assert got[(2023, "63")] == 30 + 25
    assert got[(2023, "35")] == 60 + 22
    assert got[(2021, "63")] == 50
    assert not set(out["region"]) & {"10", "33", "62"}
    # totals are preserved per year
    assert out.groupby("year")["employees"].sum().to_dict() == series.groupby("year")["employees"].sum().to_dict()


def test_current_aggregation_blanks_parents_of_unreported_children(series):
    out = aggregate_to_basis(series, basis="current", values=["injuries"]).set_index(["year", "region"])["injuries"]
    # 2021: no child reports, so the three parents' figures cover their children's territory
    assert np.isnan(out[(2021, "63")])
    assert np.isnan(out[(2021, "35")])
    assert np.isnan(out[(2021, "19")])
    assert out[(2021, "71")] == 30
    # 2023: Abai and Ulytau report, Zhetisu does not -> only Almaty oblast is blanked
    assert out[(2023, "63")] == 30
    assert out[(2023, "10")] == 25
    assert out[(2023, "62")] == 22
    assert np.isnan(out[(2023, "19")])
    assert regions.comparable_on_current_basis(["10", "33", "62"])
    assert not regions.comparable_on_current_basis(["10", "62"])


def test_nine_digit_codes_are_aggregated_by_prefix():
    frame = pd.DataFrame({"year": [2023, 2023, 2023], "region": ["101010000", "631010000", "631020000"],
                          "n": [1, 2, 3]})
    out = aggregate_to_basis(frame, basis="harmonised", values=["n"])
    assert out.to_dict("records") == [{"year": 2023, "region": "63", "n": 6}]
