"""The desk-check letter (kk/ru/en PDF) and the desk-check map layer: pure builders, checked on their output."""

from __future__ import annotations

import io
from datetime import date

import pandas as pd
import pytest
from pypdf import PdfReader

from layers import desk_layer
from layers.deck import DeckError
from layers.desk_letter import Addressee, LetterError, letter_pdf

TO = Addressee(bin="081140309796", name="ТОО «Қазақфуд-89»", kato="351040000", region_name="Қарағанды облысы")
FINDINGS = pd.DataFrame({
    "name": ["Зиянды жағдайдағы қызметкерлер бар, тәуекелді бағалау жоқ", "Сақтандырусыз жылы жазатайым оқиға"],
    "evidence": ["тіркелімде зиянды жағдайда 13 қызметкер", "2024 ж. 1 оқиға, 1 зардап шеккен"],
    "request": ["бағалау нәтижелері", "ЖОМС шарты"],
})


def _text(pdf: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    return "\n".join(page.extract_text() for page in reader.pages)


def test_kazakh_letter_lists_findings_and_requests_with_embedded_fonts() -> None:
    pdf = letter_pdf(addressee=TO, findings=FINDINGS, lang="kk", issued=date(2025, 1, 15), demo=True)
    text = _text(pdf)
    for part in ("Құжаттарды ұсыну туралы сұрау салу", "Қазақфуд-89", "081140309796", "DC-081140309796-20250115",
                 "15.01.2025", "13 қызметкер", "ЖОМС шарты", "10 жұмыс күні", "Демо деректер"):
        assert part in text.replace("\n", " "), part
    fonts = {str(f.get("/BaseFont")) for page in PdfReader(io.BytesIO(pdf)).pages
             for f in page["/Resources"]["/Font"].values()}
    assert any("DejaVuSans" in f for f in fonts), fonts


def test_russian_letter_has_no_kazakh_or_english_boilerplate() -> None:
    findings = FINDINGS.assign(name="Несчастный случай в год без страхования", evidence="1 случай",
                               request="договор ОСНС")
    text = _text(letter_pdf(addressee=TO, findings=findings, lang="ru", issued=date(2025, 1, 15)))
    assert "Запрос о представлении документов" in text
    assert "Просим в течение 10 рабочих дней" in text.replace("\n", " ")
    assert "Демонстрационные" not in text  # not demo
    assert "Request" not in text
    assert "сұрау" not in text
    # the two findings ask for one document: listed once
    assert text.count("договор ОСНС") == 1


def test_letter_errors() -> None:
    with pytest.raises(LetterError, match="letter language 'de': expected one of kk, ru, en"):
        letter_pdf(addressee=TO, findings=FINDINGS, lang="de", issued=date(2025, 1, 1))
    with pytest.raises(LetterError, match="findings lack column\\(s\\) request"):
        letter_pdf(addressee=TO, findings=FINDINGS.drop(columns="request"), lang="kk", issued=date(2025, 1, 1))
    with pytest.raises(LetterError, match="Расхождений не найдено"):
        letter_pdf(addressee=TO, findings=FINDINGS.head(0), lang="ru", issued=date(2025, 1, 1))


def test_layer_points_classes_and_order() -> None:
    frame = pd.DataFrame({
        "bin": ["1", "2", "3", "4"], "name": ["A", "B", "C", "D"], "lat": [49.0, 50.0, None, 51.0],
        "lon": [73.0, 74.0, 75.0, 76.0], "n_rules": [3, 1, 2, 2], "priority": [9.0, 3.0, 6.0, 5.0],
        "rules": ["x, y, z", "x", "x, y", "y, z"]})
    assert desk_layer.class_codes(frame["n_rules"]).tolist() == [2, 0, 1, 1]
    layer = desk_layer.desk_layer(frame)
    data = layer.data  # pydeck keeps the rows as records
    assert [d["b"] for d in data] == ["2", "4", "1"]  # no coordinates: left out; more rules drawn last
    assert [d["p"] for d in data] == [[74.0, 50.0], [76.0, 51.0], [73.0, 49.0]]
    assert [d["c"][:3] for d in data] == [[253, 174, 97], [244, 109, 67], [165, 0, 38]]
    assert [d["r"] for d in data] == ["x", "y, z", "x, y, z"]
    assert layer.id == desk_layer.LAYER_ID
    with pytest.raises(DeckError, match="desk-check points need column\\(s\\) rules"):
        desk_layer.desk_layer(frame.drop(columns="rules"))
