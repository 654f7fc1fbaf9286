"""The briefing pack's gap table (national pack, trends page): per breakdown the latest gap with its interval, the
average yearly change and where the trend leads by 2030 (osh.gap). Pure: the one-series gap table in, flowables out."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import pandas as pd

from layers.numbers import fmt_number, fmt_signed
from osh import gap as gap_indicator

TEXT: dict[str, tuple[str, str, str]] = {  # kk, ru, en
    "title": ("Жоғары және төмен тәуекел арасындағы алшақтық (жұмыскерлердің ең нашар / ең жақсы бесінші бөлігі)",
              "Разрыв между высоким и низким риском (худшая / лучшая пятая часть работников)",
              "Gap between high and low risk (worst / best fifth of workers)"),
    "dimension": ("Бөліну", "Разрез", "Breakdown"),
    "region": ("Өңірлер", "Регионы", "Regions"),
    "sector": ("Салалар", "Отрасли", "Sectors"),
    "latest": ("Соңғы жыл: алшақтық (95 % аралық)", "Последний год: разрыв (95 % интервал)", "Latest year: gap (95 % interval)"),
    "change": ("Жылдық өзгеріс", "Изменение в год", "Change a year"),
    "projected": ("2030 жылы (үрдіс)", "В 2030 году (тренд)", "In 2030 (trend)"),
    "none": ("жоқ", "нет", "none"),
    "note": ("Алшақтық — жарақаттану деңгейлерінің қатынасы; 1 — алшақтық жоқ. Үрдіс — кемінде 3 жылдың лог-сызықтық бағасы.",
             "Разрыв — отношение уровней травматизма; 1 — разрыва нет. Тренд — лог-линейная оценка не менее чем по 3 годам.",
             "The gap is a ratio of injury rates; 1 means no gap. The trend is a log-linear fit over at least 3 years."),
}
LANGS = ("kk", "ru", "en")


def tr(key: str, lang: str) -> str:
    return TEXT[key][LANGS.index(lang) if lang in LANGS else 0]


def gap_rows(gap: pd.DataFrame, *, lang: str, year: int) -> list[list[str]]:
    """Header and one row per breakdown, up to `year`: latest usable gap with interval, yearly change, 2030."""
    rows = [[tr("dimension", lang), tr("latest", lang), tr("change", lang), tr("projected", lang)]]
    if gap.empty:
        return rows
    part = gap[(gap["measure"] == "injury_rate_1000") & (gap["year"] <= year)]
    trends = gap_indicator.trend(part).set_index("dimension") if len(part) else pd.DataFrame()
    for dim in gap_indicator.DIMENSIONS:
        ok = part[(part["dimension"] == dim) & (part["status"] == "ok")].sort_values("year")
        if ok.empty:
            latest = tr("none", lang)
        else:
            r = ok.iloc[-1]
            latest = (f"{int(r['year'])}: {fmt_number(r['ratio'], lang, decimals=1)} "
                      f"({fmt_number(r['ratio_lo'], lang, decimals=1)}–{fmt_number(r['ratio_hi'], lang, decimals=1)})")
        avg = trends["avg_change"].astype(float).get(dim, np.nan) if len(trends) else np.nan
        if np.isfinite(avg):
            change = fmt_signed(avg * 100, lang, decimals=1, suffix=" %")
            projected = fmt_number(trends["projected_2030"].astype(float)[dim], lang, decimals=1)
        else:
            change = projected = tr("none", lang)
        rows.append([tr(dim, lang), latest, change, projected])
    return rows


def gap_flowables(gap: pd.DataFrame, *, lang: str, year: int, st: dict[str, Any],
                  table: Callable[..., Any], widths: Sequence[float]) -> list[Any]:
    """A heading, the table (drawn with the briefing's own table style) and its note."""
    from reportlab.platypus import Paragraph

    return [Paragraph(tr("title", lang), st["h2"]), table(gap_rows(gap, lang=lang, year=year), widths=widths, st=st,
                                                          small=True), Paragraph(tr("note", lang), st["small"])]
