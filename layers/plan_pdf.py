"""The region's inspection plan as a PDF (landscape A4): a translated table in, bytes out. The caller (dashboard)
writes every header and cell in the user's language (dashboard.official_views.plan_table); this only lays it out,
with the briefing pack's embedded DejaVu Sans so Kazakh and Russian letters print."""

from __future__ import annotations

import io
from typing import Any

import pandas as pd

from layers.briefing import FONT, FONT_BOLD, register_fonts

WIDE_COLUMNS = 3.0  # a text column (name, reason) gets this many shares of the width; others one


class PlanPdfError(ValueError):
    """The plan table cannot be laid out (no columns)."""


def _esc(text: object) -> str:
    return str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def plan_pdf(table: pd.DataFrame, *, title: str, subtitle: str, footer: str, wide: tuple[str, ...] = ()) -> bytes:
    """`table` as a PDF: `title` and `subtitle` on top, `footer` on every page; `wide` names the long text columns."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    if table.shape[1] == 0:
        raise PlanPdfError("the plan table has no columns")
    register_fonts()
    base = ParagraphStyle("plan", fontName=FONT, fontSize=7, leading=8.6)
    head = base.clone("plan_head", fontName=FONT_BOLD)
    big = base.clone("plan_title", fontName=FONT_BOLD, fontSize=14, leading=18)
    page_w, page_h = landscape(A4)
    usable = page_w - 20 * mm
    shares = [WIDE_COLUMNS if str(c) in wide else 1.0 for c in table.columns]
    widths = [usable * s / sum(shares) for s in shares]
    rows: list[list[Any]] = [[Paragraph(_esc(c), head) for c in table.columns]]
    rows += [[Paragraph(_esc("" if pd.isna(v) else v), base) for v in row]
             for row in table.itertuples(index=False, name=None)]
    grid = Table(rows, colWidths=widths, repeatRows=1)
    grid.setStyle(TableStyle([
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eef3f7")),
        ("LINEBELOW", (0, 0), (-1, 0), 0.8, colors.HexColor("#0b3d66")),
        ("LINEBELOW", (0, 1), (-1, -1), 0.25, colors.HexColor("#cccccc")),
        ("LEFTPADDING", (0, 0), (-1, -1), 2), ("RIGHTPADDING", (0, 0), (-1, -1), 2),
    ]))

    def on_page(canvas: Any, doc: Any) -> None:
        canvas.setFont(FONT, 7)
        canvas.drawString(10 * mm, 6 * mm, f"{footer} · {doc.page}")

    buffer = io.BytesIO()
    doc = SimpleDocTemplate(buffer, pagesize=(page_w, page_h), leftMargin=10 * mm, rightMargin=10 * mm,
                            topMargin=10 * mm, bottomMargin=12 * mm, title=title)
    doc.build([Paragraph(_esc(title), big), Paragraph(_esc(subtitle), base), Spacer(1, 4 * mm), grid],
              onFirstPage=on_page, onLaterPages=on_page)
    return buffer.getvalue()
