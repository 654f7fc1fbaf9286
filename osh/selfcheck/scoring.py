"""Screening, scoring and the action plan of the express self-assessment: answers in, risk profile and measures out.

Each of the five indicators is scored from the questions that feed it: the shortfall is the weighted
share of "no" among the applicable answers (weights 1 minor, 2 serious, 3 critical). The shortfall is
then put on the same scales as an accredited workplace assessment (data.schemas.WORKPLACE_ASSESSMENTS),
so the risk model can read both:

    shortfall        0       (0, 0.25]   (0.25, 0.5]   above 0.5
    danger, equipment, morbidity class   1   2   3   4
    harmfulness class                    2   2   3.1 3.2   (a questionnaire cannot show the optimal class 1,
                                                            nor the measured classes 3.3-4)
    ppe_provision_pct = 100 x (1 - shortfall)  (100 when no PPE question applies)

A level per indicator (low / medium / high) is shown to the employer: low below 0.15, high from 0.40;
any "no" to a critical question makes the level at least medium.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

from osh.selfcheck.content import (
    INDICATORS,
    MAX_EMPLOYEES,
    MEASUREMENTS,
    SCREENING,
    TOOLS,
    Indicator,
    Question,
    Tool,
)

Answer = Literal["yes", "no", "na"]
ANSWERS: tuple[Answer, ...] = ("yes", "no", "na")
Level = Literal["low", "medium", "high"]
LEVELS: tuple[Level, ...] = ("low", "medium", "high")
LOW_BELOW = 0.15
HIGH_FROM = 0.40
HARMFUL_CLASSES: tuple[str, ...] = ("3.1", "3.2", "3.3", "3.4", "4")
PRIORITY: dict[int, Level] = {3: "high", 2: "medium", 1: "low"}


class SelfCheckError(ValueError):
    """Answers that do not fit the questionnaire (unknown tool or question, missing or invalid answer)."""


def tool(tool_id: str) -> Tool:
    try:
        return TOOLS[tool_id]
    except KeyError:
        raise SelfCheckError(f"unknown sector tool {tool_id!r}; expected one of {', '.join(TOOLS)}") from None


# --- screening -----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ScreeningResult:
    eligible: bool
    reasons: tuple[str, ...]  # ids of the screening questions answered "yes", and "too_large" above MAX_EMPLOYEES


def screen(*, answers: Mapping[str, bool], employees: int) -> ScreeningResult:
    """Whether the express procedure fits: small enough, and no special condition or high-risk activity."""
    if isinstance(employees, bool) or not isinstance(employees, int) or employees < 1:
        raise SelfCheckError(f"employees must be a whole number >= 1, got {employees!r}")
    missing = [s.id for s in SCREENING if s.id not in answers]
    if missing:
        raise SelfCheckError(f"screening question(s) not answered: {', '.join(missing)}")
    unknown = sorted(set(answers) - {s.id for s in SCREENING})
    if unknown:
        raise SelfCheckError(f"unknown screening question(s): {', '.join(unknown)}")
    reasons = [s.id for s in SCREENING if bool(answers[s.id])]
    if employees > MAX_EMPLOYEES:
        reasons.append("too_large")
    return ScreeningResult(eligible=not reasons, reasons=tuple(reasons))


# --- scoring -------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class IndicatorResult:
    indicator: Indicator
    applicable: int  # questions answered yes or no
    gaps: int  # questions answered no
    shortfall: float  # weighted share of "no", 0..1
    critical_gap: bool  # a "no" to a weight-3 question
    level: Level
    value: str | int | float  # harmfulness class (str), class 1-4 (int) or PPE percent (float)


@dataclass(frozen=True)
class ActionItem:
    question: Question
    priority: Level
    due: date


@dataclass(frozen=True)
class Assessment:
    tool: str
    assessed_on: date
    employees: int
    answers: Mapping[str, Answer]
    indicators: tuple[IndicatorResult, ...]
    plan: tuple[ActionItem, ...]

    def indicator(self, name: str) -> IndicatorResult:
        for result in self.indicators:
            if result.indicator == name:
                return result
        raise KeyError(f"no indicator {name!r}; expected one of {', '.join(INDICATORS)}")

    def record(self) -> dict[str, str | int | float]:
        """The five indicators on the workplace-assessment scales, plus the compliance share and plan size."""
        answered = [a for a in self.answers.values() if a != "na"]
        yes = sum(1 for a in answered if a == "yes")
        return {
            "harmfulness_class": str(self.indicator("harmfulness").value),
            "danger_class": int(self.indicator("danger").value),
            "equipment_class": int(self.indicator("equipment").value),
            "ppe_provision_pct": float(self.indicator("ppe").value),
            "morbidity_class": int(self.indicator("morbidity").value),
            "compliance_pct": round(100.0 * yes / len(answered), 1) if answered else 100.0,
            "measures": len(self.plan),
        }


def _class_of(shortfall: float) -> int:
    if shortfall <= 0:
        return 1
    if shortfall <= 0.25:
        return 2
    if shortfall <= 0.5:
        return 3
    return 4


def _harmfulness_class(shortfall: float) -> str:
    return {1: "2", 2: "2", 3: "3.1", 4: "3.2"}[_class_of(shortfall)]


def _level(shortfall: float, *, critical_gap: bool) -> Level:
    if shortfall >= HIGH_FROM:
        return "high"
    if shortfall >= LOW_BELOW or critical_gap:
        return "medium"
    return "low"


def score_indicator(indicator: Indicator, questions: tuple[Question, ...], answers: Mapping[str, Answer]) -> IndicatorResult:
    mine = [q for q in questions if q.indicator == indicator and answers[q.id] != "na"]
    total = sum(q.weight for q in mine)
    gaps = [q for q in mine if answers[q.id] == "no"]
    shortfall = sum(q.weight for q in gaps) / total if total else 0.0
    critical = any(q.weight == 3 for q in gaps)
    value: str | int | float
    if indicator == "harmfulness":
        value = _harmfulness_class(shortfall)
    elif indicator == "ppe":
        value = round(100.0 * (1.0 - shortfall), 1)
    else:
        value = _class_of(shortfall)
    return IndicatorResult(indicator, len(mine), len(gaps), shortfall, critical, _level(shortfall, critical_gap=critical), value)


def check_answers(tool_id: str, answers: Mapping[str, str]) -> dict[str, Answer]:
    """Every question of the tool answered with yes / no / na, and nothing else; the message names the question."""
    questions = tool(tool_id).questions
    ids = {q.id for q in questions}
    unknown = sorted(set(answers) - ids)
    if unknown:
        raise SelfCheckError(f"tool {tool_id}: unknown question(s) {', '.join(unknown)}")
    missing = [q.id for q in questions if q.id not in answers]
    if missing:
        raise SelfCheckError(f"tool {tool_id}: question(s) not answered: {', '.join(missing)}")
    checked: dict[str, Answer] = {}
    for q in questions:
        value = answers[q.id]
        if value not in ANSWERS:
            raise SelfCheckError(f"tool {tool_id}: answer to {q.id} must be one of {', '.join(ANSWERS)}, got {value!r}")
        checked[q.id] = value
    return checked


def assess(*, tool_id: str, answers: Mapping[str, str], employees: int, assessed_on: date) -> Assessment:
    """The risk profile by the five indicators and the action plan (measures, who, when) of one questionnaire."""
    if isinstance(employees, bool) or not isinstance(employees, int) or not 1 <= employees <= MAX_EMPLOYEES:
        raise SelfCheckError(f"employees must be a whole number from 1 to {MAX_EMPLOYEES}, got {employees!r}")
    checked = check_answers(tool_id, answers)
    questions = tool(tool_id).questions
    results = tuple(score_indicator(ind, questions, checked) for ind in INDICATORS)
    gaps = [q for q in questions if checked[q.id] == "no"]
    if str(next(r for r in results if r.indicator == "harmfulness").value) in HARMFUL_CLASSES:
        gaps.append(MEASUREMENTS)
    gaps.sort(key=lambda q: (-q.weight, q.days))
    plan = tuple(ActionItem(q, PRIORITY[q.weight], assessed_on + timedelta(days=q.days)) for q in gaps)
    return Assessment(tool_id, assessed_on, employees, checked, results, plan)
