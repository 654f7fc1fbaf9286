"""Spreadsheet-safe CSV and XLSX bytes: every file the product hands out or writes goes through here.

A text cell that starts with =, +, -, @, a tab or a carriage return is run as a formula by Excel, LibreOffice
and Google Sheets when the file is opened (CSV injection: an enterprise named =HYPERLINK("http://x","y") would
become a live link, or worse). OWASP's advice is followed: such a text cell gets a leading apostrophe, so it
is shown as the text it is. In XLSX, text cells are moreover written as strings (data type 's'), never as
formulas, and numeric columns stay numbers (a negative number is not text and is not touched).
"""

from __future__ import annotations

import io
import re
from collections.abc import Hashable
from pathlib import Path
from typing import IO, Any

import pandas as pd

FORMULA_TRIGGERS: tuple[str, ...] = ("=", "+", "-", "@", "\t", "\r")
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_MIME = "text/csv"
# RFC 4180 line ends: with "\n" alone Python's csv module leaves a bare "\r" inside a cell unquoted, which
# splits the row in every reader.
CRLF = "\r\n"
_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


def neutralise(value: Any) -> Any:
    """`value` with a leading apostrophe when it is text a spreadsheet would run as a formula; else unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


def _text_column(series: pd.Series) -> bool:
    return (pd.api.types.is_object_dtype(series.dtype) or pd.api.types.is_string_dtype(series.dtype)
            or isinstance(series.dtype, pd.CategoricalDtype))


def safe_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of `frame` whose text cells and headers are neutralised; numbers, dates and booleans unchanged.
    Time-zone-aware datetimes lose their zone (XLSX cannot store one; the values stay as they were in UTC)."""
    out = frame.copy()
    for column in out.columns:
        series = out[column]
        if isinstance(series.dtype, pd.DatetimeTZDtype):
            out[column] = series.dt.tz_localize(None)
        elif _text_column(series):
            if isinstance(series.dtype, pd.CategoricalDtype):
                series = series.astype(object)
            out[column] = series.map(neutralise, na_action="ignore")
    out.columns = pd.Index([_header(c) for c in out.columns])
    return out


def _header(column: Hashable) -> Hashable:
    return neutralise(column) if isinstance(column, str) else column


def csv_bytes(frame: pd.DataFrame, *, float_format: str | None = None) -> bytes:
    """UTF-8 with a byte-order mark (so Excel reads Kazakh and Russian letters), no index, text neutralised."""
    return safe_frame(frame).to_csv(index=False, float_format=float_format, lineterminator=CRLF).encode("utf-8-sig")


def write_csv(frame: pd.DataFrame, target: Path | IO[str], *, float_format: str | None = None) -> None:
    """The same neutralised CSV written to a path (UTF-8, for reports read back by the product) or a text stream."""
    safe_frame(frame).to_csv(target, index=False, float_format=float_format, lineterminator=CRLF)


def sheet_name(name: str) -> str:
    """A name Excel accepts for a sheet: no []:*?/\\, at most 31 characters, never empty."""
    return _SHEET_FORBIDDEN.sub(" ", name)[:31].strip() or "data"


def xlsx_bytes(frame: pd.DataFrame, *, sheet: str = "data") -> bytes:
    """One sheet with a header row; text cells are strings (data type 's'), numbers stay numbers."""
    from openpyxl import Workbook

    safe = safe_frame(frame)
    book = Workbook(write_only=False)
    ws = book.active
    ws.title = sheet_name(sheet)
    ws.append([str(c) for c in safe.columns])
    for row in safe.itertuples(index=False, name=None):
        ws.append([_cell(v) for v in row])
    for cells in ws.iter_rows():
        for cell in cells:
            if isinstance(cell.value, str):
                # openpyxl turns a string starting with "=" into a formula; neutralise() already prevents
                # that, and this makes the promise independent of it.
                cell.data_type = "s"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _cell(value: Any) -> Any:
    if value is None or value is pd.NaT:
        return None
    if isinstance(value, float) and value != value:  # NaN: an empty cell, not the text "nan"
        return None
    if value is pd.NA:
        return None
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime()
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):  # numpy scalars -> Python numbers
        return value.item()
    return value
