"""Read the files users actually have (CSV in UTF-8, Windows-1251 or UTF-16 with ',' ';' tab or '|', XLSX, Parquet)
into frames of raw text, detecting format, encoding and delimiter instead of asking."""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pandas as pd


class InputFileError(ValueError):
    """A file that cannot be read at all (format, encoding, header); nothing is loaded from it."""


@dataclass(frozen=True)
class RawTable:
    """A file's cells as text (missing cells as ""), with the row number a user would see for each row."""

    frame: pd.DataFrame
    rows: pd.Series  # 1-based row in the file as a spreadsheet shows it (header = row 1); record number for Parquet
    path: Path
    format: str  # "csv", "xlsx" or "parquet"
    encoding: str | None = None
    delimiter: str | None = None


_PARQUET_MAGIC = b"PAR1"
_ZIP_MAGIC = b"PK\x03\x04"


def read_raw(path: Path) -> RawTable:
    path = Path(path)
    if not path.exists():
        raise InputFileError(f"{path}: file not found")
    if path.is_dir():
        raise InputFileError(f"{path}: is a directory, expected a CSV, XLSX or Parquet file")
    with path.open("rb") as fh:
        head = fh.read(8)
    if not head:
        raise InputFileError(f"{path}: the file is empty")
    if head.startswith(_PARQUET_MAGIC):
        return _read_parquet(path)
    if head.startswith(_ZIP_MAGIC):
        return _read_xlsx(path)
    if path.suffix.lower() in {".xls"}:
        raise InputFileError(f"{path}: old binary .xls is not supported; save it as .xlsx or CSV")
    return _read_csv(path)


def _as_text(frame: pd.DataFrame) -> pd.DataFrame:
    """Every cell as a stripped string; missing values become ""."""
    out = {}
    for col in frame.columns:
        s = frame[col]
        if pd.api.types.is_float_dtype(s):
            # Integers that a spreadsheet stored as floats (12.0) keep their integer spelling.
            as_int = s.dropna()
            if len(as_int) and (as_int == as_int.round()).all() and as_int.abs().max() < 1e15:
                s = s.astype("Int64")
        elif pd.api.types.is_datetime64_any_dtype(s):
            s = s.dt.strftime("%Y-%m-%d")
        text = s.astype("string").fillna("").str.strip()
        out[str(col).strip()] = text
    return pd.DataFrame(out, index=pd.RangeIndex(len(frame)))


def _read_parquet(path: Path) -> RawTable:
    try:
        frame = pd.read_parquet(path)
    except (OSError, ValueError) as exc:
        raise InputFileError(f"{path}: not a readable Parquet file ({exc})") from exc
    return RawTable(_as_text(frame), pd.Series(range(1, len(frame) + 1)), path, "parquet")


def _read_xlsx(path: Path) -> RawTable:
    try:
        frame = pd.read_excel(path, sheet_name=0, dtype=object, engine="openpyxl")
    except (OSError, ValueError, KeyError, zipfile.BadZipFile) as exc:
        raise InputFileError(f"{path}: not a readable XLSX workbook ({exc})") from exc
    frame = frame.dropna(how="all")
    rows = pd.Series(frame.index.to_numpy() + 2)  # header is spreadsheet row 1
    frame = frame.reset_index(drop=True)
    text = {}
    for col in frame.columns:
        values = []
        for v in frame[col].tolist():
            if v is None or (isinstance(v, float) and pd.isna(v)):
                values.append("")
            elif isinstance(v, float) and v.is_integer() and abs(v) < 1e15:
                values.append(str(int(v)))
            elif hasattr(v, "strftime"):
                values.append(v.strftime("%Y-%m-%d"))
            else:
                values.append(str(v).strip())
        text[str(col).strip()] = values
    return RawTable(pd.DataFrame(text, dtype="string"), rows.reset_index(drop=True), path, "xlsx")


_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")


def _decode(path: Path, data: bytes) -> tuple[str, str]:
    # Excel's "Unicode text" export is UTF-16 with a byte-order mark (tab-separated); its bytes are full of
    # NULs, so it is recognised by the BOM before the NUL test below.
    if data.startswith(_UTF16_BOMS):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError as exc:
            raise InputFileError(f"{path}: starts with a UTF-16 byte-order mark but is not valid UTF-16 ({exc})") from None
    for encoding in ("utf-8-sig", "cp1251"):
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    raise InputFileError(f"{path}: text is neither UTF-8 nor Windows-1251")


_DELIMITERS = (";", ",", "\t", "|")  # ties go to the first: ';' is what Russian-locale Excel writes


def _delimiter(path: Path, text: str) -> str:
    """The delimiter that splits the header and most of the first rows into the same number of fields (none
    into more), the most fields winning. Rows are split by the csv module, so a quoted header cell holding a comma
    ("Численность, тыс. человек") does not make a ';' file look comma-separated."""
    lines = [line for line in text.splitlines()[:50] if line.strip()]
    best, best_fields = "", 1
    for delimiter in _DELIMITERS:
        widths = [len(r) for r in csv.reader(lines, delimiter=delimiter, quotechar='"')]
        if not widths or widths[0] <= 1:
            continue
        # Short rows are allowed (trailing empty cells left out); a row wider than the header is not.
        same = sum(w == widths[0] for w in widths) / len(widths)
        wider = any(w > widths[0] for w in widths)
        if same >= 0.5 and not wider and widths[0] > best_fields:
            best, best_fields = delimiter, widths[0]
    if not best:
        raise InputFileError(
            f"{path}: cannot find the column delimiter in the header line; expected ',', ';', tab or '|' "
            "splitting the header and the rows into the same number of fields"
        )
    return best


def _read_csv(path: Path) -> RawTable:
    text, encoding = _decode(path, path.read_bytes())
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        raise InputFileError(f"{path}: binary content (a NUL character on line {line}); expected a CSV, XLSX or Parquet file")
    if not text.strip():
        raise InputFileError(f"{path}: the file is empty (only blank lines)")
    delimiter = _delimiter(path, text)
    try:
        frame = pd.read_csv(
            io.StringIO(text),
            sep=delimiter,
            dtype=str,
            keep_default_na=False,
            skip_blank_lines=True,
            on_bad_lines="error",
            engine="python" if delimiter == "|" else "c",
        )
    except (pd.errors.ParserError, ValueError) as exc:
        raise InputFileError(f"{path}: cannot parse as CSV with delimiter {delimiter!r} ({exc})") from exc
    # Row numbers as a spreadsheet shows them: header on line 1. Blank lines are skipped by the
    # parser, so map data rows to their physical line numbers.
    physical = [i + 1 for i, line in enumerate(text.splitlines()) if line.strip()]
    data_lines = physical[1 : 1 + len(frame)]
    if len(data_lines) != len(frame):  # quoted multi-line cells: fall back to record numbers + 1
        data_lines = list(range(2, len(frame) + 2))
    return RawTable(_as_text(frame), pd.Series(data_lines, dtype="int64"), path, "csv", encoding, delimiter)
