"""The public barometer's CSV/XLSX downloads (dashboard/render.py) are spreadsheet-safe like the official ones."""

from __future__ import annotations

import io

import openpyxl
import pandas as pd

from dashboard.render import csv_bytes, xlsx_bytes


def test_barometer_table_downloads_neutralise_formula_text_and_keep_numbers() -> None:
    frame = pd.DataFrame({"Region": ["=HYPERLINK(\"http://x\",\"y\")", "Abai"], "Rate": [-1.25, 3.5]})
    back = pd.read_csv(io.BytesIO(csv_bytes(frame)), encoding="utf-8-sig")
    assert back["Region"].tolist() == ["'=HYPERLINK(\"http://x\",\"y\")", "Abai"]
    assert back["Rate"].tolist() == [-1.25, 3.5]
    ws = openpyxl.load_workbook(io.BytesIO(xlsx_bytes(frame, sheet="regions/2024"))).active
    assert ws.title == "regions 2024"
    assert (ws["A2"].data_type, ws["A2"].value) == ("s", "'=HYPERLINK(\"http://x\",\"y\")")
    assert (ws["B2"].data_type, ws["B2"].value) == ("n", -1.25)
