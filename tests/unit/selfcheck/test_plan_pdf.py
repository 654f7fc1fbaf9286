"""The action-plan PDF: Kazakh letters survive text extraction, every measure is printed with who and when."""

from __future__ import annotations

import io
from datetime import date

import pytest
from pypdf import PdfReader

from layers.selfcheck_plan import PlanError, render_action_plan
from osh.selfcheck.content import ROLES, TOOLS
from osh.selfcheck.scoring import assess

DAY = date(2026, 3, 2)


def text_of(pdf: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    return "\n".join(page.extract_text() for page in reader.pages)


def flat(text: str) -> str:
    return " ".join(text.split())


def plan_for(lang: str, **answers: str):
    base = {q.id: answers.get(q.id, "yes") for q in TOOLS["food"].questions}
    return assess(tool_id="food", answers=base, employees=8, assessed_on=DAY)


def test_kazakh_plan_extracts_with_kazakh_letters_and_lists_measures() -> None:
    assessment = plan_for("kk", gas="no", burns="no")
    pdf = render_action_plan(assessment, lang="kk", bin="060101400016", firm_name="«Ақжол» ЖШС")
    assert pdf.startswith(b"%PDF")
    text = flat(text_of(pdf))
    assert "Кәсіптік тәуекелдерді экспресс-бағалау" in text
    assert "«Ақжол» ЖШС" in text
    assert "060101400016" in text
    assert "02.03.2026" in text
    for letter in "әғқңөұүі":
        assert letter in text.lower(), letter
    gas = next(q for q in TOOLS["food"].questions if q.id == "gas")
    assert flat(gas.measure("kk")) in text
    assert ROLES["head"]("kk") in text
    assert "16.03.2026" in text  # gas: within 14 days
    assert "Тәуекел бейіні: бес көрсеткіш" in text


@pytest.mark.parametrize(("lang", "title", "due"), [("ru", "План мероприятий", "09.03.2026"), ("en", "Action plan", "2026-03-09")])
def test_russian_and_english_plans(lang: str, title: str, due: str) -> None:
    text = flat(text_of(render_action_plan(plan_for(lang, burns="no"), lang=lang, bin="—")))
    assert title in text
    assert due in text
    burns = next(q for q in TOOLS["food"].questions if q.id == "burns")
    assert flat(burns.measure(lang)) in text


def test_a_plan_without_gaps_says_so_and_bad_language_is_refused() -> None:
    clean = plan_for("en")
    assert "no new measures are needed" in flat(text_of(render_action_plan(clean, lang="en", bin="—")))
    with pytest.raises(PlanError, match=r"language 'de': expected kk, ru or en"):
        render_action_plan(clean, lang="de", bin="—")
