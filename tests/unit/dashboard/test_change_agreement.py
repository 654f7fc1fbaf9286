"""The card on screen and the briefing PDF print the same change for every indicator (one rule, osh/registry.py).

They once disagreed: for a hidden-injury ratio going from 10.9 to 11.9 the card showed "+9.2 %" and the PDF "+1.0".
"""

from __future__ import annotations

import io
import re
from dataclasses import replace
from datetime import date

import pytest
from pypdf import PdfReader

from dashboard.views.common import headline_cards
from layers.briefing import change_text, headline_rows, render_briefing
from layers.briefing_text import MISSING
from osh.registry import HEADLINE, INDICATORS


def _with_ratio(data, *, before: float, now: float):
    """The fixture with the national BNS hidden-injury ratio set to `before` (2023) and `now` (2024)."""
    f = data.indicators.copy()
    base = (f["series"] == "bns") & (f["basis"] == "current") & (f["region"] == "KZ") & (f["section"] == "ALL")
    f.loc[base & (f["year"] == 2023), "hidden_ratio"] = before
    f.loc[base & (f["year"] == 2024), "hidden_ratio"] = now
    return replace(data, indicators=f)


def _pdf_text(pdf: bytes) -> list[str]:
    return [re.sub(r"[\s\u00a0\u202f]+", " ", p.extract_text() or "") for p in PdfReader(io.BytesIO(pdf)).pages]


def _norm(text: str) -> str:
    return re.sub(r"[\s\u00a0\u202f]+", " ", text)


@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
@pytest.mark.parametrize("series", ["bns", "mlsp"])
@pytest.mark.parametrize("region", ["KZ", "35"])
def test_card_and_briefing_change_agree_for_every_indicator(data, lang, series, region) -> None:
    cards = headline_cards(data, year=2024, lang=lang, series=series, region=region, ids=tuple(INDICATORS))
    pdf_rows = {r.indicator: r for r in headline_rows(_one(data, series), year=2024, lang=lang,
                                                      region_code=None if region == "KZ" else region)}
    for ind_id, card in zip(INDICATORS, cards, strict=True):
        expected = card.delta if card.delta is not None else MISSING
        if ind_id in pdf_rows:
            assert pdf_rows[ind_id].change_text == expected, (ind_id, lang, series, region)
        f = data.indicators
        base = (f["series"] == series) & (f["basis"] == "current") & (f["region"] == region) & (f["section"] == "ALL")
        now, before = f[base & (f["year"] == 2024)].iloc[0], f[base & (f["year"] == 2023)].iloc[0]
        value = now[ind_id] if now["status"] == "ok" else None
        previous = before[ind_id] if before["status"] == "ok" else None
        assert change_text(ind_id, value, previous, lang) == expected, (ind_id, lang, series, region)


def _one(data, series: str):
    from layers.briefing import one_series

    return one_series(data, series)


def test_the_hidden_ratio_case_reads_the_same_on_screen_and_paper(data) -> None:
    doctored = _with_ratio(data, before=10.9, now=11.9)
    card = next(c for c in headline_cards(doctored, year=2024, lang="en", series="bns") if c.label.startswith("Hidden"))
    assert card.delta == "+1.0"
    pages = _pdf_text(render_briefing(doctored, year=2024, lang="en", series="bns", generated_on=date(2025, 2, 1)).pdf)
    assert "Hidden-injury ratio, non-fatal : fatal (N:1) 11.9:1 10.9:1 +1.0" in pages[0]


def test_every_headline_change_of_the_cards_is_printed_on_the_first_pdf_page(data) -> None:
    cards = headline_cards(data, year=2024, lang="ru", series="bns")
    pages = _pdf_text(render_briefing(data, year=2024, lang="ru", series="bns", generated_on=date(2025, 2, 1)).pdf)
    assert [c.label.rsplit(",", 1)[0] for c in cards] == [INDICATORS[i].name("ru") for i in HEADLINE]
    for c in cards:
        assert c.delta is not None
        assert f"{_norm(c.value)} " in pages[0]
        assert f" {_norm(c.delta)}" in pages[0], (c.label, c.delta)
    assert "Ряд данных: БНС (Бюро национальной статистики)" in pages[0]
