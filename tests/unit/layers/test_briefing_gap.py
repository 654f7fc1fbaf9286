"""The briefing pack's gap table: the latest usable gap with its interval, the yearly change and the 2030 trend
(osh.gap), on the trends page of the national pack only, in each language."""

from __future__ import annotations

import dataclasses
import io
import re

import pytest
from pypdf import PdfReader

from layers.briefing import render_briefing
from layers.briefing_gap import gap_rows
from tests.unit.dashboard.test_gap_view import _table
from tests.unit.layers.test_briefing import GENERATED, country  # noqa: F401 - the module's small country


def test_rows_are_osh_gap_numbers() -> None:
    rows = gap_rows(_table()[lambda f: f["series"] == "bns"], lang="en", year=2024)
    assert rows[0] == ["Breakdown", "Latest year: gap (95 % interval)", "Change a year", "In 2030 (trend)"]
    # regions: 6 x 0.9^4 = 3.94 in 2024; sectors: 2024 has no usable gap, so 2023 is the latest
    assert rows[1] == ["Regions", "2024: 3.9 (3.1–4.9)", "−10.0 %", "2.1"]
    assert rows[2] == ["Sectors", "2023: 10.0 (8.0–12.5)", "0.0 %", "10.0"]
    ru = gap_rows(_table()[lambda f: f["series"] == "bns"], lang="ru", year=2021)
    assert ru[1] == ["Регионы", "2021: 5,4 (4,3–6,8)", "нет", "нет"]  # two years: no trend yet


def _pages(pdf: bytes) -> list[str]:
    return [re.sub(r"[\s\u00a0]+", " ", p.extract_text() or "") for p in PdfReader(io.BytesIO(pdf)).pages]


@pytest.mark.parametrize(("lang", "title"), [
    ("kk", "Жоғары және төмен тәуекел арасындағы алшақтық"),
    ("ru", "Разрыв между высоким и низким риском"),
])
def test_national_pack_prints_the_table_on_the_trends_page(country, lang: str, title: str) -> None:  # noqa: F811
    _store, public, _ent, _dir = country
    gap = _table().assign(series=public.meta.get("default_series", "bns"))
    with_gap = dataclasses.replace(public, gap=gap)
    pack = render_briefing(with_gap, year=2024, lang=lang, generated_on=GENERATED)
    pages = _pages(pack.pdf)
    trends = pack.pages.index("trends")
    assert title in pages[trends]
    assert "3,9 (3,1–4,9)" in pages[trends]
    assert sum(title in p for p in pages) == 1
    region_pack = render_briefing(with_gap, year=2024, lang=lang, region_code="35", generated_on=GENERATED)
    assert not any(title in p for p in _pages(region_pack.pdf))
