"""Chart builders: required columns, number locale, CI error bars, confidential cells, PNG/SVG export."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from layers.charts import Axes, ChartError, bar_chart, heatmap_chart, ranking_chart, to_png, to_svg, trend_chart

RU = {"number": {"decimal": ",", "thousands": "\u00a0", "grouping": [3], "currency": ["", ""]}}
AXES = Axes(x="Год", y="Частота", number_format=",.2f", interval=("Нижняя граница 95 %", "Верхняя граница 95 %"))


def marks(spec: dict) -> list[str]:
    out = []
    for layer in spec.get("layer", [spec]):
        mark = layer.get("mark")
        out.append(mark["type"] if isinstance(mark, dict) else mark)
    return out


def test_trend_chart_has_ci_band_lines_and_a_dashed_plan() -> None:
    f = pd.DataFrame({"year": [2020, 2021], "series": ["KZ", "KZ"], "value": [0.4, 0.5], "lo": [0.3, 0.4], "hi": [0.5, 0.6]})
    spec = trend_chart(f, axes=AXES, locale=RU, targets=pd.DataFrame({"year": [2021], "plan": [0.45]}), target_label="План").to_dict()
    assert marks(spec) == ["area", "line", "line"]
    assert spec["layer"][2]["mark"]["strokeDash"] == [6, 4]
    assert spec["config"]["locale"] == RU


def test_ranking_chart_draws_error_bars_only_with_an_interval() -> None:
    f = pd.DataFrame({"label": ["a", "b"], "value": [1.0, 2.0], "lo": [0.5, 1.5], "hi": [1.5, 2.5]})
    assert marks(ranking_chart(f, axes=AXES, locale=RU).to_dict()) == ["bar", "errorbar"]
    assert marks(ranking_chart(f[["label", "value"]], axes=AXES, locale=RU).to_dict()) == ["bar"]
    tips = ranking_chart(f, axes=AXES, locale=RU).to_dict()["layer"][0]["encoding"]["tooltip"]
    assert [tip["title"] for tip in tips] == ["Частота", "Год", "Нижняя граница 95 %", "Верхняя граница 95 %"]
    long = ranking_chart(f, axes=Axes(x="Жарақаттану жиілігі (1000 жұмыскерге)", y="", interval=("т", "ж")), locale=RU)
    assert long.to_dict()["layer"][0]["encoding"]["x"]["title"] == ["Жарақаттану жиілігі (1000", "жұмыскерге)"]
    with pytest.raises(ChartError, match=r"axes\.interval gives no names"):  # never an English "95% CI" by default
        ranking_chart(f, axes=Axes(x="Год", y="Частота"), locale=RU)


def test_heatmap_draws_confidential_and_no_data_cells_apart_from_the_scale() -> None:
    f = pd.DataFrame({"row": ["r1", "r1", "r2"], "col": ["A", "B", "A"], "value": [1.0, None, 2.0],
                      "status": ["ok", "confidential", "no_data"]})
    spec = heatmap_chart(f, axes=AXES, locale=RU, confidential_label="конф.", no_data_label="нет данных").to_dict()
    assert marks(spec) == ["rect", "rect", "text"]
    blank_scale = spec["layer"][1]["encoding"]["color"]["scale"]
    assert blank_scale == {"domain": ["конф.", "нет данных"], "range": ["#bdbdbd", "#ffffff"]}


def test_missing_columns_are_named() -> None:
    with pytest.raises(ChartError, match=r"ranking chart: frame lacks columns value; has label"):
        ranking_chart(pd.DataFrame({"label": ["a"]}), axes=AXES, locale=RU)
    with pytest.raises(ChartError, match=r"bar chart: frame lacks columns cause"):
        bar_chart(pd.DataFrame({"category": ["a"], "value": [1.0]}), axes=AXES, locale=RU, stack="cause")


def test_svg_export_uses_the_locale_and_png_is_a_png() -> None:
    f = pd.DataFrame({"category": ["a", "b"], "value": [1234.5, 10.0]})
    spec = bar_chart(f, axes=Axes(x="v", y="c", number_format=",.1f"), locale=RU).to_dict()
    svg = to_svg(spec)
    assert svg.startswith("<svg")
    assert re.search(r">\d\u00a0\d{3},0<", svg), "axis labels with a no-break-space thousands separator and a decimal comma"
    assert not re.search(r">\d,\d{3}\.0<", svg)
    assert to_png(spec)[:8] == b"\x89PNG\r\n\x1a\n"
