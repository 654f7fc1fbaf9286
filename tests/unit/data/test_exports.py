"""Spreadsheet-safe exports: hostile enterprise names never become formulas in CSV or XLSX; numbers stay numbers."""

from __future__ import annotations

import io
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from data.exports import csv_bytes, neutralise, safe_frame, sheet_name, write_csv, xlsx_bytes

HOSTILE = [
    '=HYPERLINK("http://x","y")',
    "+7 701 000 00 00",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1,1)",
    "\t=1+1",
    "\r=1+1",
]


def hostile_frame() -> pd.DataFrame:
    n = len(HOSTILE)
    return pd.DataFrame({
        "bin": [f"{i:012d}" for i in range(n)],
        "name": HOSTILE,
        "employees": list(range(-1, n - 1)),  # a negative number is a number, not a formula
        "score": [-1.5 + i for i in range(n)],
        "insured": [True, False] * (n // 2),
    })


@pytest.mark.parametrize("text", HOSTILE)
def test_formula_triggers_get_an_apostrophe(text: str) -> None:
    assert neutralise(text) == "'" + text


@pytest.mark.parametrize("value", ["Ақ жол ЖШС", "ТОО «Шахта»", "", "'already", 5, -3.2, None, True])
def test_everything_else_is_left_alone(value: object) -> None:
    assert neutralise(value) == value


def test_csv_neutralises_text_and_keeps_numbers() -> None:
    back = pd.read_csv(io.BytesIO(csv_bytes(hostile_frame())), dtype={"bin": str, "name": str}, encoding="utf-8-sig",
                       keep_default_na=False)
    assert back["name"].tolist() == ["'" + h for h in HOSTILE]
    assert back["employees"].tolist() == list(range(-1, len(HOSTILE) - 1))
    assert back["score"].tolist() == [-1.5 + i for i in range(len(HOSTILE))]
    assert back["bin"].tolist() == [f"{i:012d}" for i in range(len(HOSTILE))]


def test_csv_starts_with_a_byte_order_mark_for_excel() -> None:
    assert csv_bytes(pd.DataFrame({"a": ["Ә"]})).startswith(b"\xef\xbb\xbfa\r\n")


def test_xlsx_cells_are_strings_not_formulas_and_numbers_stay_numbers() -> None:
    book = openpyxl.load_workbook(io.BytesIO(xlsx_bytes(hostile_frame(), sheet="inspection_list")))
    ws = book["inspection_list"]
    header = [c.value for c in ws[1]]
    assert header == ["bin", "name", "employees", "score", "insured"]
    for row, text in zip(ws.iter_rows(min_row=2), HOSTILE, strict=True):
        bin_cell, name_cell, employees, score, insured = row
        assert name_cell.data_type == "s", f"{text!r} was written as {name_cell.data_type}"
        assert name_cell.value == ("'" + text).replace("\r", "\n")  # XML reads a bare CR back as LF
        assert bin_cell.data_type == "s"
        assert employees.data_type == "n"
        assert isinstance(employees.value, int)
        assert score.data_type == "n"
        assert isinstance(score.value, float)
        assert insured.data_type == "b"
    assert ws["C2"].value == -1  # a negative number is still a number


def test_hyperlink_name_in_xlsx_is_not_a_formula_even_without_apostrophe_logic() -> None:
    book = openpyxl.load_workbook(io.BytesIO(xlsx_bytes(pd.DataFrame({"name": ['=HYPERLINK("http://x","y")']}))))
    cell = book.active["A2"]
    assert cell.data_type == "s"
    assert not str(cell.value).startswith("=")


def test_headers_and_categorical_and_string_columns_are_neutralised() -> None:
    frame = pd.DataFrame({"=bad header": pd.Categorical(["=1+1", "ok"]), "s": pd.array(["@x", None], dtype="string")})
    safe = safe_frame(frame)
    assert list(safe.columns) == ["'=bad header", "s"]
    assert safe["'=bad header"].tolist() == ["'=1+1", "ok"]
    assert safe["s"].iloc[0] == "'@x"
    assert pd.isna(safe["s"].iloc[1])
    assert frame["s"].iloc[0] == "@x"  # the input is not changed


def test_missing_values_are_empty_cells_and_timezones_dropped() -> None:
    frame = pd.DataFrame({"x": [1.0, float("nan")], "when": pd.to_datetime(["2024-01-01", None]).tz_localize("UTC")})
    ws = openpyxl.load_workbook(io.BytesIO(xlsx_bytes(frame))).active
    assert ws["A3"].value is None
    assert ws["B2"].value.year == 2024
    assert ws["B3"].value is None


def test_write_csv_to_a_file_is_neutralised(tmp_path: Path) -> None:
    path = tmp_path / "rejects.csv"
    write_csv(pd.DataFrame({"value": ["=cmd"], "row": [3]}), path)
    assert path.read_bytes() == b"value,row\r\n'=cmd,3\r\n"


@pytest.mark.parametrize(("name", "expected"), [("a/b:c", "a b c"), ("x" * 40, "x" * 31), ("[]", "data")])
def test_sheet_names_excel_accepts(name: str, expected: str) -> None:
    assert sheet_name(name) == expected
