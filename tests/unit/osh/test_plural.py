"""Plural forms after a count (osh.reasons.plural, used by dashboard.i18n.t and the reason sentences): Russian
one/few/many (+ fractions), English one/other, Kazakh one form; every plural choice in the texts is well formed."""

from __future__ import annotations

import re
import string

import pytest

from dashboard.i18n import fmt_number, load_table, t
from osh import reasons as rs
from osh.reasons import PLURAL_FORMS, PluralError, Reason, plural, render

RU = ("предприятие", "предприятия", "предприятий")


@pytest.mark.parametrize(("n", "form"), [
    (0, "предприятий"), (1, "предприятие"), (2, "предприятия"), (4, "предприятия"), (5, "предприятий"),
    (11, "предприятий"), (12, "предприятий"), (14, "предприятий"), (21, "предприятие"), (22, "предприятия"),
    (101, "предприятие"), (111, "предприятий"), (1004, "предприятия"), (2.5, "предприятия"),
])
def test_russian_one_few_many(n: float, form: str) -> None:
    assert plural(n, RU, "ru") == form


def test_the_count_may_be_the_formatted_text() -> None:
    assert plural(fmt_number(21, "ru"), RU, "ru") == "предприятие"
    assert plural(fmt_number(29322, "ru"), RU, "ru") == "предприятия"  # "29 322" with a narrow space
    assert plural(fmt_number(29314, "ru"), RU, "ru") == "предприятий"
    assert plural(fmt_number(1, "ru", decimals=1), RU, "ru") == "предприятия"  # "1,0" reads as a fraction
    assert plural("1,23", ("травмы", "травм", "травм", "травмы"), "ru") == "травмы"  # a fourth form for fractions
    assert plural("\u22125", RU, "ru") == "предприятий"


def test_english_and_kazakh() -> None:
    assert [plural(n, ("year", "years"), "en") for n in (0, 1, 2, "1.0")] == ["years", "year", "years", "years"]
    assert [plural(n, ("кәсіпорын",), "kk") for n in (1, 5, 21)] == ["кәсіпорын"] * 3


def test_wrong_forms_and_counts_are_named() -> None:
    with pytest.raises(PluralError, match=r"ru: a plural choice needs 3 or 4 forms, got 2 \(год\|лет\)"):
        plural(5, ("год", "лет"), "ru")
    with pytest.raises(PluralError, match="en: a plural choice needs 2 forms, got 1"):
        plural(5, ("year",), "en")
    with pytest.raises(PluralError, match="a plural choice needs a count, got 'много'"):
        plural("много", RU, "ru")
    with pytest.raises(PluralError, match="language 'de'"):
        plural(1, RU, "de")


def test_t_writes_the_form_that_follows_the_count() -> None:
    assert t("plan.region_plan.count", "ru", n=fmt_number(1, "ru")) == "В плане 1 предприятие"
    assert t("plan.region_plan.count", "ru", n=fmt_number(3, "ru")) == "В плане 3 предприятия"
    assert t("plan.region_plan.count", "ru", n=fmt_number(25, "ru")) == "В плане 25 предприятий"
    assert t("plan.region_plan.count", "en", n=1) == "1 enterprise in the plan"
    assert t("plan.region_plan.count", "kk", n=5) == "Жоспарда 5 кәсіпорын"
    assert t("plan.map.settlements_note", "ru", n=21, places=1).startswith(
        "21 предприятие сгруппировано по 1 населённому пункту:")


def test_reason_sentences_agree_with_their_counts() -> None:
    one = Reason("list.injuries", {"injured": 1, "fatal": 1, "window": 1, "expected": 0.2, "section": "C",
                                   "size": "small", "rr": 2.0, "excess": 0.5})
    assert render(one, "ru").startswith("1 пострадавший (1 погибший) за 1 год при 0,2 ожидаемых")
    assert render(one, "ru").endswith("около 0,50 предотвратимой травмы в год")
    assert render(one, "en").startswith("1 injured (1 fatal) in 1 year vs 0.2 expected")
    few = Reason("part.compliance.inspected", {"violations": 3, "inspections": 2})
    assert render(few, "ru") == "нарушений по охране труда: 3 за 2 проверки"
    assert render(few, "en") == "3 OSH violations in 2 inspections"
    assert render(Reason("part.insurance.uninsured", {"points": 21}), "ru") == "нет договора страхования: +21 балл"


def _choices(text: str) -> list[list[str]]:
    return [spec.split("|") for _, _, spec, _ in string.Formatter().parse(text) if spec and "|" in spec]


def test_every_plural_choice_in_the_texts_has_its_language_s_forms() -> None:
    texts = [(f"locale {k}", lang, e[lang]) for k, e in load_table().items() for lang in ("kk", "ru", "en")]
    texts += [(f"reason {k}", lang, v[i]) for k, v in rs.TEXTS.items() for i, lang in enumerate(rs.LANGS)]
    bad = [(where, lang, forms) for where, lang, text in texts for forms in _choices(text)
           if len(forms) not in PLURAL_FORMS[lang]]
    assert bad == []
    assert sum(bool(_choices(text)) for _, lang, text in texts if lang == "ru") >= 10


def test_no_russian_count_sentence_uses_a_fixed_genitive_plural() -> None:
    """'{n} предприятий' is wrong for 1, 2-4, 21…: a count followed by a noun goes through a plural choice."""
    table = load_table()
    fixed = [k for k in table if k.startswith(("plan.", "emap.")) and re.search(r"\{n\} предприятий", table[k]["ru"])]
    assert fixed == []
