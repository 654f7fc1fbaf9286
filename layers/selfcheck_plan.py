"""The employer's action plan of an express self-assessment as a PDF (kk, ru, en; DejaVu embedded, so Kazakh letters extract)."""

from __future__ import annotations

import io
from datetime import date
from typing import Any

from layers.briefing import FONT, FONT_BOLD, register_fonts
from osh.selfcheck.content import INDICATOR_NAMES, ROLES, TOPICS, Text
from osh.selfcheck.scoring import Assessment, tool

# layers/ cannot read dashboard/locales: the few texts of the page live here, like layers/briefing_text.py.
_T: dict[str, Text] = {
    "title": Text("Кәсіптік тәуекелдерді экспресс-бағалау: іс-шаралар жоспары",
                  "Экспресс-оценка профессиональных рисков: план мероприятий",
                  "Express occupational risk self-assessment: action plan"),
    "subtitle": Text("Шағын және микрокәсіпорындардың өзін-өзі тексеруі («Қауіпсіз Еңбек»)",
                     "Самопроверка малых и микропредприятий («Қауіпсіз Еңбек»)",
                     "Self-check of micro and small enterprises (Qauipsiz Enbek)"),
    "bin": Text("БСН", "БИН", "BIN"),
    "firm": Text("Кәсіпорын", "Предприятие", "Firm"),
    "tool": Text("Сала құралы", "Отраслевой инструмент", "Sector tool"),
    "date": Text("Бағалау күні", "Дата оценки", "Date of assessment"),
    "employees": Text("Қызметкерлер саны", "Численность работников", "Employees"),
    "answered": Text("Жауаптар: иә {yes}, жоқ {no}, қатысы жоқ {na}", "Ответы: да {yes}, нет {no}, не относится {na}",
                     "Answers: yes {yes}, no {no}, not applicable {na}"),
    "profile": Text("Тәуекел бейіні: бес көрсеткіш", "Профиль риска: пять показателей", "Risk profile: the five indicators"),
    "indicator": Text("Көрсеткіш", "Показатель", "Indicator"),
    "level": Text("Деңгей", "Уровень", "Level"),
    "scale": Text("Шкала бойынша мәні", "Значение по шкале", "Value on the scale"),
    "gaps": Text("Кемшіліктер", "Недостатки", "Gaps"),
    "level_low": Text("төмен", "низкий", "low"),
    "level_medium": Text("орташа", "средний", "medium"),
    "level_high": Text("жоғары", "высокий", "high"),
    "class": Text("{v}-сынып", "класс {v}", "class {v}"),
    "percent": Text("{v} %", "{v} %", "{v}%"),
    "plan": Text("Іс-шаралар жоспары", "План мероприятий", "Action plan"),
    "no_measures": Text("Барлық сұраққа «иә» деп жауап берілді: жаңа іс-шара қажет емес. Бағалауды жыл сайын және жағдай өзгергенде қайталаңыз.",
                        "На все вопросы дан ответ «да»: новых мероприятий не требуется. Повторяйте оценку ежегодно и при изменении условий.",
                        "Every question was answered yes: no new measures are needed. Repeat the assessment every year and when conditions change."),
    "n": Text("№", "№", "No."),
    "measure": Text("Іс-шара", "Мероприятие", "Measure"),
    "who": Text("Кім орындайды", "Исполнитель", "Who"),
    "when": Text("Мерзімі", "Срок", "By when"),
    "priority": Text("Басымдық", "Приоритет", "Priority"),
    "done": Text("Орындалды", "Выполнено", "Done"),
    "why": Text("Себебі", "Почему", "Why"),
    "note": Text("Бұл өзін-өзі бағалау аккредиттелген ұйымның кәсіптік тәуекелдерді бағалауын және еңбек жағдайларын өлшеуді алмастырмайды. "
                 "Жерасты, ашық ауадағы және биіктіктегі жұмыстар үшін толық рәсім қолданылады.",
                 "Эта самооценка не заменяет оценку профессиональных рисков аккредитованной организацией и замеры условий труда. "
                 "Для подземных работ, работ на открытом воздухе и на высоте применяется полная процедура.",
                 "This self-assessment does not replace an occupational risk assessment by an accredited organisation or measurements of "
                 "working conditions. Underground, open-air and work at height need the full procedure."),
    "signature": Text("Басшы: ____________________  (қолы, күні)", "Руководитель: ____________________  (подпись, дата)",
                      "Head of the firm: ____________________  (signature, date)"),
    "page": Text("{n}-бет", "Стр. {n}", "Page {n}"),
}


class PlanError(ValueError):
    """The action plan cannot be drawn (unknown language)."""


def tr(key: str, lang: str, **fmt: object) -> str:
    text = _T[key](lang)
    return text.format(**fmt) if fmt else text


def fmt_date(day: date, lang: str) -> str:
    return day.isoformat() if lang == "en" else day.strftime("%d.%m.%Y")


def _number(value: float, lang: str) -> str:
    text = f"{value:.0f}" if float(value).is_integer() else f"{value:.1f}"
    return text if lang == "en" else text.replace(".", ",")


def indicator_value_text(value: str | int | float, indicator: str, lang: str) -> str:
    if indicator == "ppe":
        return tr("percent", lang, v=_number(float(value), lang))
    shown = str(value) if lang == "en" else str(value).replace(".", ",")
    return tr("class", lang, v=shown)


def _esc(text: object) -> str:
    return str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def render_action_plan(assessment: Assessment, *, lang: str, bin: str, firm_name: str = "") -> bytes:
    """The plan as PDF bytes: firm, the five-indicator profile, then every measure with who and by when."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    if lang not in ("kk", "ru", "en"):
        raise PlanError(f"language {lang!r}: expected kk, ru or en")
    register_fonts()
    base = ParagraphStyle("base", fontName=FONT, fontSize=9, leading=11.5)
    small = ParagraphStyle("small", parent=base, fontSize=7.5, leading=9.5, textColor=colors.HexColor("#444444"))
    cell = ParagraphStyle("cell", parent=base, fontSize=8, leading=10)
    head = ParagraphStyle("head", parent=cell, fontName=FONT_BOLD)
    h1 = ParagraphStyle("h1", parent=base, fontName=FONT_BOLD, fontSize=15, leading=19, spaceAfter=3)
    h2 = ParagraphStyle("h2", parent=base, fontName=FONT_BOLD, fontSize=11, leading=14, spaceBefore=8, spaceAfter=4,
                        textColor=colors.HexColor("#0b3d66"))
    level_colour = {"low": "#1a7f37", "medium": "#b35900", "high": "#b2182b"}

    def table(rows: list[list[Any]], widths: list[float]) -> Table:
        data = [[Paragraph(_esc(c), head if r == 0 else cell) if isinstance(c, str) else c for c in row]
                for r, row in enumerate(rows)]
        t = Table(data, colWidths=widths, repeatRows=1)
        t.setStyle(TableStyle([
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eef3f7")),
            ("LINEBELOW", (0, 0), (-1, 0), 0.8, colors.HexColor("#0b3d66")),
            ("LINEBELOW", (0, 1), (-1, -1), 0.25, colors.HexColor("#cccccc")),
            ("TOPPADDING", (0, 0), (-1, -1), 2.5), ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
            ("LEFTPADDING", (0, 0), (-1, -1), 3), ("RIGHTPADDING", (0, 0), (-1, -1), 3),
        ]))
        return t

    sector = tool(assessment.tool)
    counts = {k: sum(1 for a in assessment.answers.values() if a == k) for k in ("yes", "no", "na")}
    story: list[Any] = [
        Paragraph(_esc(tr("title", lang)), h1),
        Paragraph(_esc(tr("subtitle", lang)), small),
        Spacer(1, 4 * mm),
    ]
    facts = [[tr("bin", lang), bin]]
    if firm_name.strip():
        facts.append([tr("firm", lang), firm_name.strip()[:200]])
    facts += [
        [tr("tool", lang), sector.name(lang)],
        [tr("date", lang), fmt_date(assessment.assessed_on, lang)],
        [tr("employees", lang), str(assessment.employees)],
    ]
    info = Table([[Paragraph(_esc(k), head), Paragraph(_esc(v), cell)] for k, v in facts], colWidths=[45 * mm, 135 * mm])
    info.setStyle(TableStyle([("LINEBELOW", (0, 0), (-1, -1), 0.25, colors.HexColor("#cccccc")),
                              ("TOPPADDING", (0, 0), (-1, -1), 2), ("BOTTOMPADDING", (0, 0), (-1, -1), 2)]))
    story += [info, Spacer(1, 1.5 * mm), Paragraph(_esc(tr("answered", lang, **counts)), small)]

    story.append(Paragraph(_esc(tr("profile", lang)), h2))
    rows: list[list[Any]] = [[tr("indicator", lang), tr("level", lang), tr("scale", lang), tr("gaps", lang)]]
    for result in assessment.indicators:
        level = Paragraph(f"<font color='{level_colour[result.level]}'><b>{_esc(tr('level_' + result.level, lang))}</b></font>", cell)
        rows.append([INDICATOR_NAMES[result.indicator](lang), level,
                     indicator_value_text(result.value, result.indicator, lang), f"{result.gaps} / {result.applicable}"])
    story.append(table(rows, [78 * mm, 30 * mm, 42 * mm, 30 * mm]))

    story.append(Paragraph(_esc(tr("plan", lang)), h2))
    if not assessment.plan:
        story.append(Paragraph(_esc(tr("no_measures", lang)), base))
    else:
        plan_rows: list[list[Any]] = [[tr("n", lang), tr("measure", lang), tr("who", lang), tr("when", lang),
                                       tr("priority", lang), tr("done", lang)]]
        for number, item in enumerate(assessment.plan, start=1):
            q = item.question
            measure = Paragraph(
                f"<b>{_esc(q.measure(lang))}</b><br/><font size=6.8 color='#555555'>{_esc(TOPICS[q.topic](lang))} · "
                f"{_esc(INDICATOR_NAMES[q.indicator](lang))}. {_esc(tr('why', lang))}: {_esc(q.why(lang))}</font>", cell)
            priority = Paragraph(f"<font color='{level_colour[item.priority]}'>{_esc(tr('level_' + item.priority, lang))}</font>", cell)
            plan_rows.append([str(number), measure, ROLES[q.who](lang), fmt_date(item.due, lang), priority, "☐"])
        story.append(table(plan_rows, [7 * mm, 79 * mm, 31 * mm, 19 * mm, 21 * mm, 23 * mm]))
    story += [Spacer(1, 5 * mm), Paragraph(_esc(tr("signature", lang)), base), Spacer(1, 4 * mm),
              Paragraph(_esc(tr("note", lang)), small)]

    def footer(canvas: Any, doc: Any) -> None:
        canvas.saveState()
        canvas.setFont(FONT, 7)
        canvas.setFillColor(colors.HexColor("#666666"))
        canvas.drawString(15 * mm, 9 * mm, f"{tr('bin', lang)} {bin} · {fmt_date(assessment.assessed_on, lang)}")
        canvas.drawRightString(A4[0] - 15 * mm, 9 * mm, tr("page", lang, n=doc.page))
        canvas.restoreState()

    buf = io.BytesIO()
    doc = SimpleDocTemplate(buf, pagesize=A4, leftMargin=15 * mm, rightMargin=15 * mm, topMargin=14 * mm,
                            bottomMargin=16 * mm, title=tr("title", lang), author="Qauipsiz Enbek",
                            subject=tr("subtitle", lang), invariant=1, lang=lang)
    doc.build(story, onFirstPage=footer, onLaterPages=footer)
    return buf.getvalue()
