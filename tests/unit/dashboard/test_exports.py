"""Issue 16 ask 5: every downloadable table of the barometer is for people and machines — numbers as numbers
(pandas reads numeric columns, openpyxl number cells), rounded as shown, intervals as two columns, codes beside
names, whole ranks, and the same content in every language (only the words change)."""

from __future__ import annotations

import io
import re

import numpy as np
import pandas as pd
import pytest
from openpyxl import load_workbook

from dashboard import views
from dashboard.i18n import t
from dashboard.views import Table
from dashboard.views.regions import compare_table, verdict
from data import exports

LANGS = ("kk", "ru", "en")
# a number written as text, as a person would type it ("3,69", "1 234", "12.5") — never allowed in a data column
NUMBER_TEXT = re.compile(r"^[+\-\u2212]?\d[\d\u202f\u00a0 ]*([.,]\d+)?$")


def all_tables(data, env, lang: str) -> dict[str, Table]:
    """Every table a public page offers for download (map rankings, chart data, profiles, targets, official
    figures, the comparison), keyed by the file stem (which does not depend on the language)."""
    found: list[Table] = []
    ov = views.overview(data, env, views.OverviewSelection(lang, "injury_rate_1000", 2024, "bns"))
    found += [ov.map.table, ov.ranking.table, ov.official]
    for indicator_id in ("fatal_rate_1000", "harmful_share", "hidden_ratio"):
        rg = views.regions(data, env, views.RegionsSelection(lang, indicator_id, 2024, "current", "35", "bns", versus="55"))
        found += [rg.map.table, rg.trend.table, rg.sectors, rg.targets, rg.versus_table, rg.versus_sectors]
    ch = views.regions(data, env, views.RegionsSelection(lang, "injury_rate_1000", 2024, "current", "35", "bns", change=True))
    found += [ch.map.table]
    sc = views.sectors(data, env, views.SectorsSelection(lang, "injury_rate_1000", 2024, "C", "bns"))
    found += [sc.ranking.table, sc.heatmap.table, sc.map.table, sc.harmful.table]
    ds = views.diseases(data, env, views.DiseasesSelection(lang, 2023, "bns"))
    found += [ds.trend.table, ds.causes.table, ds.map.table]
    tg = views.targets(data, views.TargetsSelection(lang, "KZ", "fatal_rate_1000"))
    found += [tg.table, *([tg.chart.table] if tg.chart else [])]
    intl = views.international(data, views.InternationalSelection(lang, "bns"))
    found += [c.table for c in intl.charts]
    return {table.key: table for table in found if table is not None}


@pytest.fixture(scope="module")
def tables(data, env) -> dict[str, dict[str, Table]]:
    return {lang: all_tables(data, env, lang) for lang in LANGS}


def test_every_page_table_is_collected(tables) -> None:
    keys = set(tables["en"])
    for stem in ("compare_35_55", "heatmap_", "trend_", "targets_KZ", "official", "international_", "disease_causes",
                 "harmful_", "sectors_35"):
        assert any(k.startswith(stem) for k in keys), stem
    assert set(tables["kk"]) == set(tables["ru"]) == keys


@pytest.mark.parametrize("lang", LANGS)
def test_csv_opens_in_pandas_with_numeric_columns_and_no_numbers_as_text(tables, lang) -> None:
    for key, table in tables[lang].items():
        back = pd.read_csv(io.BytesIO(exports.csv_bytes(table.raw)), encoding="utf-8-sig")
        assert list(back.columns) == list(table.raw.columns), key
        for col in table.raw.columns:
            shown = table.raw[col]
            if pd.api.types.is_numeric_dtype(shown.dtype) and shown.notna().any():
                assert pd.api.types.is_numeric_dtype(back[col].dtype), (key, col, back[col].dtype)
            elif not pd.api.types.is_numeric_dtype(shown.dtype):
                texts = [str(v) for v in shown.dropna() if str(v) != ""]
                as_numbers = [v for v in texts if NUMBER_TEXT.match(v)]
                # a code column (KATO "35", a year) may be digits; a formatted number with a separator may not
                assert not [v for v in as_numbers if re.search(r"[,\u202f\u00a0 ]", v)], (key, col, as_numbers[:3])


@pytest.mark.parametrize("lang", LANGS)
def test_xlsx_numbers_are_number_cells(tables, lang) -> None:
    for key, table in tables[lang].items():
        book = load_workbook(io.BytesIO(exports.xlsx_bytes(table.raw, sheet=key)))
        sheet = book.active
        header = [c.value for c in sheet[1]]
        assert header == [str(c) for c in table.raw.columns], key
        for j, col in enumerate(table.raw.columns, start=1):
            if not pd.api.types.is_numeric_dtype(table.raw[col].dtype):
                continue
            for i, value in enumerate(table.raw[col], start=2):
                cell = sheet.cell(row=i, column=j)
                if pd.isna(value):
                    assert cell.value is None, (key, col, i)
                else:
                    assert cell.data_type == "n", (key, col, i, cell.value)
                    assert cell.value == pytest.approx(float(value)), (key, col, i)


@pytest.mark.parametrize("lang", LANGS)
def test_numbers_are_rounded_as_shown_and_ranks_are_whole(tables, lang) -> None:
    rank = t("col.rank", lang)
    for key, table in tables[lang].items():
        for col in table.raw.columns:
            values = table.raw[col]
            if not pd.api.types.is_numeric_dtype(values.dtype):
                continue
            finite = values.dropna().to_numpy(dtype=float)
            assert np.allclose(finite, np.round(finite, 3), rtol=0, atol=1e-9), (key, col)  # at most 3 decimals shown
        if rank in table.raw.columns:
            assert str(table.raw[rank].dtype) == "Int64", key
            text = exports.csv_bytes(table.raw[[rank]]).decode("utf-8-sig").split("\r\n")[1:]
            assert all(re.fullmatch(r"\d*", line) for line in text if line), (key, text[:3])


@pytest.mark.parametrize("lang", LANGS)
def test_codes_stand_beside_names(tables, lang) -> None:
    kato, oked, region, section = t("col.kato", lang), t("col.oked", lang), t("col.region", lang), t("col.section", lang)
    for key, table in tables[lang].items():
        cols = list(table.raw.columns)
        if region in cols:
            assert kato in cols, (key, cols)
            assert cols.index(kato) < cols.index(region), (key, cols)
            assert table.raw[kato].astype(str).str.fullmatch(r"\d{2}|KZ").all(), key
        if section in cols:
            assert oked in cols, (key, cols)
            assert table.raw[oked].astype(str).str.fullmatch(r"[A-U]").all(), key
    official = tables[lang]["official"].raw
    assert {t("col.indicator_id", lang), t("col.scope_code", lang)} <= set(official.columns)


def test_the_same_content_in_every_language(tables) -> None:
    """Only headers and words change with the language: the same rows, columns, codes and numbers."""
    for key, en in tables["en"].items():
        for lang in ("kk", "ru"):
            other = tables[lang][key].raw
            assert other.shape == en.raw.shape, (key, lang)
            for j in range(en.raw.shape[1]):
                a, b = en.raw.iloc[:, j], other.iloc[:, j]
                if pd.api.types.is_numeric_dtype(a.dtype):
                    assert pd.api.types.is_numeric_dtype(b.dtype), (key, lang, j)
                    np.testing.assert_array_equal(a.to_numpy(dtype=float), b.to_numpy(dtype=float), err_msg=f"{key} {lang} {j}")


def test_interval_bounds_are_two_numeric_columns_never_text(tables) -> None:
    for lang in LANGS:
        lo, hi = t("col.ci95_lo", lang), t("col.ci95_hi", lang)
        trend = next(tb for k, tb in tables[lang].items() if k.startswith("trend_fatal_rate_1000"))
        assert {lo, hi} <= set(trend.raw.columns)
        ok = trend.raw.dropna(subset=[lo])
        value = trend.raw.columns[3]
        assert len(ok)
        assert (ok[lo] <= ok[value]).all()
        assert (ok[value] <= ok[hi]).all()
        assert not any("–" in str(v) for col in trend.raw.columns for v in trend.raw[col])


def test_the_comparison_lists_every_indicator_of_both_regions_with_intervals(data) -> None:
    from dashboard.views.common import _one
    from dashboard.views.regions import COMPARED

    table = compare_table(data, a="35", b="55", year=2024, basis="current", lang="en", series="bns")
    raw = table.raw.set_index(t("col.indicator_id", "en"))
    assert list(raw.index) == list(COMPARED)
    a = _one(data, series="bns", year=2024, region="35")
    b = _one(data, series="bns", year=2024, region="55")
    assert raw.loc["fatal_rate_1000", "Karaganda Region"] == pytest.approx(round(a["fatal_rate_1000"], 3))
    assert raw.loc["fatal_rate_1000", "Karaganda Region: 95 % CI lower"] == pytest.approx(round(a["fatal_rate_1000_lo"], 3))
    assert raw.loc["fatal_rate_1000", "Pavlodar Region: 95 % CI upper"] == pytest.approx(round(b["fatal_rate_1000_hi"], 3))
    assert raw.loc["harmful_share", "Pavlodar Region"] == pytest.approx(round(b["harmful_share"] * 100, 1))
    assert np.isnan(raw.loc["workers", "Karaganda Region: 95 % CI lower"])  # no interval: an empty cell, not 0
    shown = table.display.set_index(t("col.indicator", "en"))
    assert "(" in shown.loc["Fatal injury rate", "Karaganda Region"]  # value (lower – upper)
    assert table.title.startswith("Karaganda Region and Pavlodar Region: every indicator, 2024")


def test_a_difference_is_named_only_when_the_intervals_do_not_overlap() -> None:
    def row(value: float, lo: float, hi: float) -> pd.Series:
        return pd.Series({"status": "ok", "injury_rate_1000": value, "injury_rate_1000_lo": lo, "injury_rate_1000_hi": hi})

    assert verdict("injury_rate_1000", row(3.0, 2.5, 3.5), row(1.0, 0.8, 1.2)) == "higher"
    assert verdict("injury_rate_1000", row(1.0, 0.8, 1.2), row(3.0, 2.5, 3.5)) == "lower"
    assert verdict("injury_rate_1000", row(1.1, 0.8, 1.4), row(1.3, 1.2, 1.5)) == "overlap"
    assert verdict("injured", row(3.0, 2.5, 3.5), row(1.0, 0.8, 1.2)) == ""  # a count has no interval
    assert verdict("injury_rate_1000", None, row(1.0, 0.8, 1.2)) == ""
