"""The desk-check letter to an employer (kk, ru or en PDF): what the sources disagree on, and the documents asked for.

Pure: the enterprise and its findings in (osh.desk_checks.enterprise_flags in the letter's language), PDF bytes out.
The DejaVu fonts of the briefing pack are embedded, so Kazakh letters print.
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from xml.sax.saxutils import escape

import pandas as pd

LETTER_LANGS: tuple[str, ...] = ("kk", "ru", "en")
REPLY_DAYS = 10

TEXT: dict[str, dict[str, str]] = {
    "title": {"kk": "Құжаттарды ұсыну туралы сұрау салу", "ru": "Запрос о представлении документов",
              "en": "Request for documents"},
    "ref": {"kk": "Шығыс №", "ru": "Исх. №", "en": "Ref."},
    "date": {"kk": "Күні", "ru": "Дата", "en": "Date"},
    "to": {"kk": "Кімге", "ru": "Кому", "en": "To"},
    "bin": {"kk": "БСН", "ru": "БИН", "en": "BIN"},
    "kato": {"kk": "КАТО", "ru": "КАТО", "en": "KATO"},
    "head": {"kk": "Басшыға", "ru": "Руководителю", "en": "The head of"},
    "dear": {"kk": "Құрметті басшы!", "ru": "Уважаемый руководитель!", "en": "Dear Sir or Madam,"},
    "intro": {
        "kk": "Еңбек инспекциясы кәсіпорынға бармай, өзінде бар деректерді салыстырып (барусыз профилактикалық бақылау), "
              "кәсіпорныңыздың деректерінде мынадай сәйкессіздіктерді анықтады:",
        "ru": "Инспекция труда без выезда на предприятие, сопоставив имеющиеся у неё сведения (профилактический контроль "
              "без посещения), выявила следующие расхождения в данных вашего предприятия:",
        "en": "Without visiting the enterprise, the labour inspectorate compared the data it already holds (preventive "
              "control without visits) and found the following disagreements in your enterprise's records:",
    },
    "no": {"kk": "№", "ru": "№", "en": "No."},
    "finding": {"kk": "Сәйкессіздік", "ru": "Расхождение", "en": "Finding"},
    "evidence": {"kk": "Дерек", "ru": "Сведения", "en": "Evidence"},
    "ask": {
        "kk": "Осы хатты алған күннен бастап {days} жұмыс күні ішінде мына құжаттарды ұсынуыңызды сұраймыз:",
        "ru": "Просим в течение {days} рабочих дней со дня получения письма представить:",
        "en": "Please send the following within {days} working days of receiving this letter:",
    },
    "note": {
        "kk": "Бұл хат тексеру емес: ол сәйкессіздікті түсіндіруге мүмкіндік береді. Құжаттар ұсынылмаса, "
              "кәсіпорын тәуекелге негізделген тексерулер жоспарына енгізілуі мүмкін.",
        "ru": "Это письмо не является проверкой: оно даёт возможность объяснить расхождения. Если документы не будут "
              "представлены, предприятие может быть включено в план проверок на основе оценки риска.",
        "en": "This letter is not an inspection: it gives you the chance to explain the disagreements. If the documents "
              "are not sent, the enterprise may be included in the risk-based inspection plan.",
    },
    "sign": {"kk": "Еңбек инспекциясының аумақтық бөлімі, {region}", "ru": "Территориальное подразделение инспекции труда, {region}",
             "en": "Territorial office of the labour inspectorate, {region}"},
    "demo": {"kk": "Демо деректер: хат синтетикалық кәсіпорын үшін жасалған.",
             "ru": "Демонстрационные данные: письмо составлено для синтетического предприятия.",
             "en": "Demo data: this letter was written for a synthetic enterprise."},
    "none": {"kk": "Сәйкессіздік табылмады: хат қажет емес.", "ru": "Расхождений не найдено: письмо не требуется.",
             "en": "No disagreement found: no letter is needed."},
}


class LetterError(ValueError):
    """The letter cannot be written (an unsupported language, no findings, a findings frame without a column)."""


@dataclass(frozen=True)
class Addressee:
    bin: str
    name: str
    kato: str
    region_name: str  # in the letter's language


def _t(key: str, lang: str, **fmt: object) -> str:
    text = TEXT[key][lang]
    return text.format(**fmt) if fmt else text


def letter_pdf(*, addressee: Addressee, findings: pd.DataFrame, lang: str, issued: date, demo: bool = False,
               meta: Mapping[str, str] | None = None) -> bytes:
    """A one- or two-page A4 letter. `findings` has columns name, evidence, request (one row per rule that fired),
    already in `lang`."""
    if lang not in LETTER_LANGS:
        raise LetterError(f"letter language {lang!r}: expected one of {', '.join(LETTER_LANGS)}")
    missing = [c for c in ("name", "evidence", "request") if c not in findings.columns]
    if missing:
        raise LetterError(f"findings lack column(s) {', '.join(missing)}")
    if findings.empty:
        raise LetterError(_t("none", lang))
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import ListFlowable, ListItem, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    from layers.briefing import register_fonts

    font, bold = register_fonts()
    base = ParagraphStyle("base", fontName=font, fontSize=10, leading=13.5)
    small = ParagraphStyle("small", parent=base, fontSize=8.5, leading=11)
    title = ParagraphStyle("title", parent=base, fontName=bold, fontSize=14, leading=18, spaceBefore=8, spaceAfter=8)
    cell = ParagraphStyle("cell", parent=base, fontSize=9, leading=11.5)
    cell_bold = ParagraphStyle("cellb", parent=cell, fontName=bold)

    def p(text: str, style: ParagraphStyle = base) -> Paragraph:
        return Paragraph(escape(text), style)

    ref = f"DC-{addressee.bin}-{issued:%Y%m%d}"
    head = Table(
        [[p(f"{_t('ref', lang)} {ref}", small), p(f"{_t('to', lang)}: {_t('head', lang)} {addressee.name}", small)],
         [p(f"{_t('date', lang)}: {issued:%d.%m.%Y}", small),
          p(f"{_t('bin', lang)} {addressee.bin} · {_t('kato', lang)} {addressee.kato} · {addressee.region_name}", small)]],
        colWidths=[60 * mm, 110 * mm])
    head.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0)]))
    rows = [[p(_t("no", lang), cell_bold), p(_t("finding", lang), cell_bold), p(_t("evidence", lang), cell_bold)]]
    for i, row in enumerate(findings.itertuples(index=False), start=1):
        rows.append([p(str(i), cell), p(str(row.name), cell), p(str(row.evidence), cell)])
    table = Table(rows, colWidths=[10 * mm, 62 * mm, 98 * mm], repeatRows=1)
    table.setStyle(TableStyle([
        ("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor("#888888")),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eeeeee")),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ]))
    requests = list(dict.fromkeys(str(r) for r in findings["request"]))  # one line per distinct document
    asked = ListFlowable([ListItem(p(r), leftIndent=12) for r in requests], bulletType="1", bulletFontName=font,
                         bulletFontSize=10)
    story = [head, p(_t("title", lang), title), p(_t("dear", lang)), Spacer(1, 4), p(_t("intro", lang)), Spacer(1, 6),
             table, Spacer(1, 8), p(_t("ask", lang, days=REPLY_DAYS)), asked, Spacer(1, 8), p(_t("note", lang)),
             Spacer(1, 18), p(_t("sign", lang, region=addressee.region_name))]
    if demo:
        story += [Spacer(1, 10), p(_t("demo", lang), small)]
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(buffer, pagesize=A4, leftMargin=20 * mm, rightMargin=20 * mm, topMargin=18 * mm,
                            bottomMargin=18 * mm, title=f"{_t('title', lang)} {ref}", author=(meta or {}).get("author", ""),
                            lang=lang)
    doc.build(story)
    return buffer.getvalue()
