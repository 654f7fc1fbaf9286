"""The briefing pack's gap table (national pack, trends page): per breakdown the latest gap with its interval, the
average yearly change and where the trend leads by 2030 (osh.gap). Pure: the one-series gap table in, flowables out."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import pandas as pd

from layers.briefing_text import tr
from layers.numbers import fmt_number, fmt_signed
from osh import gap as gap_indicator


def gap_rows(gap: pd.DataFrame, *, lang: str, year: int) -> list[list[str]]:
    """Header and one row per breakdown, up to `year`: latest usable gap with interval, yearly change, 2030."""
    rows = [[tr("gap.dimension", lang), tr("gap.latest", lang), tr("gap.change", lang), tr("gap.projected", lang)]]
    if gap.empty:
        return rows
    part = gap[(gap["measure"] == "injury_rate_1000") & (gap["year"] <= year)]
    trends = gap_indicator.trend(part).set_index("dimension") if len(part) else pd.DataFrame()
    for dim in gap_indicator.DIMENSIONS:
        ok = part[(part["dimension"] == dim) & (part["status"] == "ok")].sort_values("year")
        if ok.empty:
            latest = tr("gap.none", lang)
        else:
            r = ok.iloc[-1]
            latest = (f"{int(r['year'])}: {fmt_number(r['ratio'], lang, decimals=1)} "
                      f"({fmt_number(r['ratio_lo'], lang, decimals=1)}–{fmt_number(r['ratio_hi'], lang, decimals=1)})")
        avg = trends["avg_change"].astype(float).get(dim, np.nan) if len(trends) else np.nan
        if np.isfinite(avg):
            change = fmt_signed(avg * 100, lang, decimals=1, suffix=" %")
            projected = fmt_number(trends["projected_2030"].astype(float)[dim], lang, decimals=1)
        else:
            change = projected = tr("gap.none", lang)
        rows.append([tr(f"gap.{dim}", lang), latest, change, projected])
    return rows


def gap_flowables(gap: pd.DataFrame, *, lang: str, year: int, st: dict[str, Any],
                  table: Callable[..., Any], widths: Sequence[float]) -> list[Any]:
    """A heading, the table (drawn with the briefing's own table style) and its note."""
    from reportlab.platypus import Paragraph

    return [Paragraph(tr("gap.title", lang), st["h2"]),
            table(gap_rows(gap, lang=lang, year=year), widths=widths, st=st, small=True),
            Paragraph(tr("gap.note", lang), st["small"])]
