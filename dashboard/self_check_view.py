"""View model of the self-check page: answers in, the tables and texts to show out (no Streamlit here)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

import pandas as pd

from dashboard.i18n import t
from data.inbox import IntakeError
from layers.selfcheck_plan import fmt_date, indicator_value_text
from osh.selfcheck import scoring
from osh.selfcheck.content import INDICATOR_NAMES, ROLES, SCREENING, TOOLS, Question, Screening


@dataclass(frozen=True)
class SelfCheckSelection:
    lang: str
    tool_id: str
    employees: int | None  # None = not entered yet
    screening: Mapping[str, bool | None] = field(default_factory=dict)  # None = not answered yet
    answers: Mapping[str, str | None] = field(default_factory=dict)
    today: date = field(default_factory=date.today)


@dataclass(frozen=True)
class SelfCheckView:
    stage: str  # "screening" (not all answered), "full" (sent to the full procedure), "questions", "result"
    reasons: tuple[str, ...] = ()  # texts: why the full procedure is needed
    missing: int = 0  # questions not answered yet
    assessment: scoring.Assessment | None = None
    profile: pd.DataFrame | None = None
    plan: pd.DataFrame | None = None


def screening_questions() -> tuple[Screening, ...]:
    return SCREENING


def questions_by_topic(tool_id: str) -> list[tuple[str, list[Question]]]:
    """The tool's questions grouped by topic, topics in order of first appearance."""
    groups: dict[str, list[Question]] = {}
    for q in scoring.tool(tool_id).questions:
        groups.setdefault(q.topic, []).append(q)
    return list(groups.items())


def tool_ids() -> list[str]:
    return list(TOOLS)


def level_text(level: str, lang: str) -> str:
    return t(f"sc.level.{level}", lang)


def build(selection: SelfCheckSelection) -> SelfCheckView:
    """Where the employer is and what to show: screening first, then questions, then profile and plan."""
    lang = selection.lang
    if selection.employees is None or any(selection.screening.get(s.id) is None for s in SCREENING):
        return SelfCheckView(stage="screening")
    result = scoring.screen(answers={k: bool(v) for k, v in selection.screening.items()}, employees=selection.employees)
    if not result.eligible:
        texts = tuple(t("sc.reason.too_large", lang) if r == "too_large" else
                      next(s.reason(lang) for s in SCREENING if s.id == r) for r in result.reasons)
        return SelfCheckView(stage="full", reasons=texts)
    questions = scoring.tool(selection.tool_id).questions
    missing = sum(1 for q in questions if selection.answers.get(q.id) not in scoring.ANSWERS)
    if missing:
        return SelfCheckView(stage="questions", missing=missing)
    answers = {q.id: str(selection.answers[q.id]) for q in questions}
    assessment = scoring.assess(tool_id=selection.tool_id, answers=answers, employees=selection.employees,
                                assessed_on=selection.today)
    profile = pd.DataFrame({
        t("sc.col.indicator", lang): [INDICATOR_NAMES[r.indicator](lang) for r in assessment.indicators],
        t("sc.col.level", lang): [level_text(r.level, lang) for r in assessment.indicators],
        t("sc.col.value", lang): [indicator_value_text(r.value, r.indicator, lang) for r in assessment.indicators],
        t("sc.col.gaps", lang): [f"{r.gaps} / {r.applicable}" for r in assessment.indicators],
    })
    plan = pd.DataFrame({
        t("sc.col.measure", lang): [i.question.measure(lang) for i in assessment.plan],
        t("sc.col.who", lang): [ROLES[i.question.who](lang) for i in assessment.plan],
        t("sc.col.when", lang): [fmt_date(i.due, lang) for i in assessment.plan],
        t("sc.col.priority", lang): [level_text(i.priority, lang) for i in assessment.plan],
    })
    return SelfCheckView(stage="result", assessment=assessment, profile=profile, plan=plan)


def intake_message(error: IntakeError, lang: str) -> str:
    """The employer-facing text of a refused submission (the reason key of data.inbox's error class)."""
    if error.reason == "invalid":
        return t("sc.err.invalid", lang, error=str(error))
    return t(f"sc.err.{error.reason}", lang)
