"""The region's plan PDF: a translated table laid out with Kazakh and Russian letters intact."""

from __future__ import annotations

import io
import re

import pandas as pd
import pytest
from pypdf import PdfReader

from layers.plan_pdf import PlanPdfError, plan_pdf


def _text(pdf: bytes) -> str:
    return re.sub(r"\s+", " ", " ".join(p.extract_text() or "" for p in PdfReader(io.BytesIO(pdf)).pages))


def test_plan_pdf_prints_the_table_in_its_language() -> None:
    table = pd.DataFrame({"Жоспар": ["жоспарланған", "тексерілген"], "Атауы": ["ЖШС «Қарағанды көмір»", "АҚ «Өскемен»"],
                          "Неге тізімде": ["сақтандырылмаған", "тәуекел бағаланбаған"]})
    text = _text(plan_pdf(table, title="Өңірдің тексеру жоспары: Қарағанды облысы", subtitle="Жоспарда 2 кәсіпорын",
                          footer="Қызметтік пайдалану үшін", wide=("Атауы", "Неге тізімде")))
    for expected in ("Өңірдің тексеру жоспары: Қарағанды облысы", "ЖШС «Қарағанды көмір»", "тәуекел бағаланбаған",
                     "Қызметтік пайдалану үшін · 1"):
        assert expected in text


def test_plan_pdf_repeats_the_header_on_every_page() -> None:
    table = pd.DataFrame({"БИН": [f"{i:012d}" for i in range(200)], "Наименование": ["ТОО «Тест»"] * 200})
    reader = PdfReader(io.BytesIO(plan_pdf(table, title="План", subtitle="", footer="ДСП")))
    assert len(reader.pages) > 1
    assert all("Наименование" in (p.extract_text() or "") for p in reader.pages)


def test_plan_pdf_without_columns_is_refused() -> None:
    with pytest.raises(PlanPdfError, match="the plan table has no columns"):
        plan_pdf(pd.DataFrame(), title="x", subtitle="", footer="")


def test_a_note_with_markup_is_printed_as_written() -> None:
    """A note is free text: reportlab's paragraph markup in it is escaped, neither parsed nor an error."""
    table = pd.DataFrame({"Примечание": ["<b>срочно</b> & <para>повторно</font>"]})
    text = _text(plan_pdf(table, title="План", subtitle="", footer="ДСП"))
    assert "<b>срочно</b> & <para>повторно</font>" in text
