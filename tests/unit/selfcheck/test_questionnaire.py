"""The questionnaire content (five tools, >= 20 questions each, kk/ru/en) and its scoring: screening, the five
indicators on the workplace-assessment scales, the action plan."""

from __future__ import annotations

import re
from datetime import date

import pytest

from data.schemas import SELF_CHECK_TOOLS
from osh.selfcheck import scoring
from osh.selfcheck.content import INDICATORS, MEASUREMENTS, ROLES, SCREENING, TOOLS, TOPICS, Text
from osh.selfcheck.scoring import SelfCheckError, assess, check_answers, screen

DAY = date(2026, 3, 2)
KAZAKH_LETTERS = set("әғқңөұүһі")
LATIN_WORD = re.compile(r"[A-Za-z]{3,}")
ALLOWED_LATIN = {"IT", "OKED"}  # acronyms kept as such in Kazakh and Russian texts


def all_texts() -> list[tuple[str, Text]]:
    out: list[tuple[str, Text]] = []
    for tool in TOOLS.values():
        out += [(f"{tool.id}.name", tool.name), (f"{tool.id}.intro", tool.intro)]
        for q in tool.questions:
            out += [(f"{q.id}.text", q.text), (f"{q.id}.why", q.why), (f"{q.id}.measure", q.measure)]
    for s in SCREENING:
        out += [(f"screen.{s.id}", s.text), (f"screen.{s.id}.reason", s.reason)]
    out += [(f"topic.{k}", v) for k, v in TOPICS.items()] + [(f"role.{k}", v) for k, v in ROLES.items()]
    return out


def test_five_sector_tools_with_at_least_twenty_questions_grouped_by_topic() -> None:
    assert set(TOOLS) == {"office", "retail", "food", "repair", "car"}
    assert tuple(TOOLS) == SELF_CHECK_TOOLS  # the input contract lists the same tools
    for tool in TOOLS.values():
        ids = [q.id for q in tool.questions]
        assert len(ids) >= 20, tool.id
        assert len(ids) == len(set(ids)), f"{tool.id}: repeated question ids"
        assert len({q.topic for q in tool.questions}) >= 5, tool.id
        assert {q.indicator for q in tool.questions} == set(INDICATORS), f"{tool.id} misses an indicator"
        for q in tool.questions:
            assert q.topic in TOPICS, q.id
            assert q.who in ROLES, q.id
            assert q.weight in (1, 2, 3), q.id
            assert 0 <= q.days <= 365, q.id


def test_every_text_exists_in_three_languages_and_is_not_a_copy() -> None:
    for where, text in all_texts():
        kk, ru, en = text.kk.strip(), text.ru.strip(), text.en.strip()
        assert all((kk, ru, en)), where
        assert len({kk, ru, en}) == 3, f"{where}: a language was copied into another"
        assert re.search(r"[А-Яа-яЁё]", kk), f"{where}: kk must be Cyrillic"
        assert re.search(r"[А-Яа-яЁё]", ru), f"{where}: ru must be Cyrillic"
        for lang, value in (("kk", kk), ("ru", ru)):
            stray = set(LATIN_WORD.findall(value)) - ALLOWED_LATIN
            assert not stray, f"{where} ({lang}) has English words {sorted(stray)}"


def test_kazakh_texts_use_kazakh_letters() -> None:
    # Most Kazakh sentences need at least one of ә ғ қ ң ө ұ ү һ і; a Russian text pasted as kk would not.
    questions = [q for tool in TOOLS.values() for q in tool.questions]
    without = [q.id for q in questions if not (set(q.text.kk.lower()) & KAZAKH_LETTERS)]
    assert without == []


def test_unknown_language_is_refused() -> None:
    with pytest.raises(KeyError, match=r"language 'de': expected one of kk, ru, en"):
        TOOLS["office"].name("de")


# --- screening ---------------------------------------------------------------------------------------------


def no_special_conditions() -> dict[str, bool]:
    return {s.id: False for s in SCREENING}


def test_screening_lets_a_small_firm_without_special_conditions_through() -> None:
    result = screen(answers=no_special_conditions(), employees=12)
    assert result.eligible
    assert result.reasons == ()


@pytest.mark.parametrize("condition", ["underground", "open_air", "height", "hazardous_facility", "hazardous_agents", "serious_accident"])
def test_each_special_condition_sends_the_firm_to_the_full_procedure(condition: str) -> None:
    answers = no_special_conditions() | {condition: True}
    result = screen(answers=answers, employees=5)
    assert not result.eligible
    assert result.reasons == (condition,)


def test_more_than_one_hundred_employees_is_not_a_small_firm() -> None:
    assert screen(answers=no_special_conditions(), employees=100).eligible
    result = screen(answers=no_special_conditions() | {"height": True}, employees=101)
    assert result.reasons == ("height", "too_large")


def test_screening_refuses_missing_unknown_answers_and_bad_employee_counts() -> None:
    partial = no_special_conditions()
    del partial["height"]
    with pytest.raises(SelfCheckError, match=r"screening question\(s\) not answered: height"):
        screen(answers=partial, employees=3)
    with pytest.raises(SelfCheckError, match=r"unknown screening question\(s\): night_shift"):
        screen(answers=no_special_conditions() | {"night_shift": True}, employees=3)
    with pytest.raises(SelfCheckError, match=r"employees must be a whole number >= 1, got 0"):
        screen(answers=no_special_conditions(), employees=0)


# --- scoring -----------------------------------------------------------------------------------------------


def answers_for(tool_id: str, *, default: str = "yes", **overrides: str) -> dict[str, str]:
    return {q.id: overrides.get(q.id, default) for q in TOOLS[tool_id].questions}


def test_all_yes_gives_the_best_classes_and_an_empty_plan() -> None:
    result = assess(tool_id="office", answers=answers_for("office"), employees=7, assessed_on=DAY)
    assert result.record() == {
        "harmfulness_class": "2", "danger_class": 1, "equipment_class": 1, "ppe_provision_pct": 100.0,
        "morbidity_class": 1, "compliance_pct": 100.0, "measures": 0,
    }
    assert all(r.level == "low" for r in result.indicators)
    assert result.plan == ()


def test_all_no_gives_the_worst_classes_and_a_measure_per_question_plus_measurements() -> None:
    tool = TOOLS["repair"]
    result = assess(tool_id="repair", answers=answers_for("repair", default="no"), employees=7, assessed_on=DAY)
    assert result.record() == {
        "harmfulness_class": "3.2", "danger_class": 4, "equipment_class": 4, "ppe_provision_pct": 0.0,
        "morbidity_class": 4, "compliance_pct": 0.0, "measures": len(tool.questions) + 1,
    }
    assert MEASUREMENTS in [item.question for item in result.plan]
    assert all(r.level == "high" for r in result.indicators)


def test_shortfall_is_the_weighted_share_of_no_among_applicable_answers() -> None:
    # Food-service PPE questions: kitchen_ppe (weight 2) and detergents (weight 2).
    ppe = [q for q in TOOLS["food"].questions if q.indicator == "ppe"]
    assert [(q.id, q.weight) for q in ppe] == [("kitchen_ppe", 2), ("detergents", 2)]
    result = assess(tool_id="food", answers=answers_for("food", kitchen_ppe="no"), employees=4, assessed_on=DAY)
    assert result.indicator("ppe").shortfall == pytest.approx(0.5)
    assert result.indicator("ppe").value == 50.0
    assert result.indicator("ppe").level == "high"  # 0.5 >= HIGH_FROM
    # "not applicable" leaves the question out: the remaining PPE question is answered yes
    result = assess(tool_id="food", answers=answers_for("food", kitchen_ppe="na"), employees=4, assessed_on=DAY)
    assert result.indicator("ppe").applicable == 1
    assert result.indicator("ppe").value == 100.0


def test_class_bands_of_danger_and_harmfulness() -> None:
    danger = [q for q in TOOLS["car"].questions if q.indicator == "danger"]
    total = sum(q.weight for q in danger)
    # one weight-1 "no" among the danger questions: shortfall 1/total (> 0, <= 0.25) -> class 2, level low
    light = next(q for q in danger if q.weight == 1)
    r = assess(tool_id="car", answers=answers_for("car", **{light.id: "no"}), employees=2, assessed_on=DAY).indicator("danger")
    assert r.shortfall == pytest.approx(1 / total)
    assert r.value == 2
    assert r.level == "low"
    # a critical "no" lifts the level to medium even when the shortfall is small
    critical = next(q for q in danger if q.weight == 3)
    r = assess(tool_id="car", answers=answers_for("car", **{critical.id: "no"}), employees=2, assessed_on=DAY).indicator("danger")
    assert r.critical_gap
    assert r.level == "medium"
    assert r.value == 2
    # harmfulness: the questionnaire never reports class 1 (only measurement can) nor above 3.2
    harm = {q.id: "no" for q in TOOLS["office"].questions if q.indicator == "harmfulness"}
    r = assess(tool_id="office", answers=answers_for("office", **harm), employees=2, assessed_on=DAY).indicator("harmfulness")
    assert r.value == "3.2"


def test_action_plan_orders_by_priority_and_sets_who_and_when() -> None:
    answers = answers_for("retail", lifting="no", racks="no", cutters="no", fire="no")
    result = assess(tool_id="retail", answers=answers, employees=9, assessed_on=DAY)
    plan = [(i.question.id, i.priority, i.question.who, i.due) for i in result.plan]
    assert plan == [
        ("fire", "high", "head", date(2026, 3, 9)),
        ("racks", "medium", "manager", date(2026, 3, 16)),
        ("lifting", "medium", "head", date(2026, 4, 1)),
        # lifting beyond the norms is heavy work: harmfulness shortfall 2/6 -> class 3.1 -> measure conditions
        ("measurements", "medium", "head", date(2026, 5, 31)),
        ("cutters", "low", "manager", date(2026, 3, 16)),
    ]
    assert result.indicator("harmfulness").value == "3.1"


def test_answers_that_do_not_fit_the_tool_are_refused_naming_the_question() -> None:
    answers = answers_for("office")
    with pytest.raises(SelfCheckError, match=r"unknown sector tool 'mining'"):
        check_answers("mining", answers)
    with pytest.raises(SelfCheckError, match=r"tool office: answer to glare must be one of yes, no, na, got 'maybe'"):
        check_answers("office", answers | {"glare": "maybe"})
    missing = dict(answers)
    del missing["glare"]
    with pytest.raises(SelfCheckError, match=r"tool office: question\(s\) not answered: glare"):
        check_answers("office", missing)
    with pytest.raises(SelfCheckError, match=r"tool office: unknown question\(s\) gas"):
        check_answers("office", answers | {"gas": "yes"})
    with pytest.raises(SelfCheckError, match=r"employees must be a whole number from 1 to 100, got 250"):
        assess(tool_id="office", answers=answers, employees=250, assessed_on=DAY)


def test_compliance_share_counts_applicable_answers_only() -> None:
    ids = [q.id for q in TOOLS["office"].questions]
    answers = answers_for("office", **{ids[0]: "no", ids[1]: "na", ids[2]: "na"})
    record = assess(tool_id="office", answers=answers, employees=1, assessed_on=DAY).record()
    applicable = len(ids) - 2
    assert record["compliance_pct"] == round(100 * (applicable - 1) / applicable, 1)
    assert record["measures"] == 1
    assert scoring.LEVELS == ("low", "medium", "high")
