"""The gap page's view model on a hand-built gap table: points, intervals, the trend line to 2030, the sentences
and the text alternative are osh.gap's numbers, translated."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import pytest

from dashboard.views import EmptyDataError
from dashboard.views.gap import GapSelection, gap
from osh import gap as gap_indicator


@dataclass
class Tables:
    gap: pd.DataFrame
    indicators: pd.DataFrame = field(default_factory=pd.DataFrame)
    diseases: pd.DataFrame = field(default_factory=pd.DataFrame)
    targets: pd.DataFrame = field(default_factory=pd.DataFrame)
    official: pd.DataFrame = field(default_factory=pd.DataFrame)
    meta: dict[str, str] = field(default_factory=dict)


def _table() -> pd.DataFrame:
    rows = []
    for dim, start, step in (("region", 6.0, 0.9), ("sector", 10.0, 1.0)):
        for i, year in enumerate(range(2020, 2025)):
            ratio = start * step ** i
            rows.append({"year": year, "series": "bns", "dimension": dim, "measure": "injury_rate_1000", "units": 19,
                         "worst": "35", "best": "75", "worst_rate": ratio * 0.1, "best_rate": 0.1, "ratio": ratio,
                         "ratio_lo": ratio * 0.8, "ratio_hi": ratio * 1.25, "status": "ok"})
    rows[-1].update(ratio=np.nan, ratio_lo=np.nan, ratio_hi=np.nan, status="no_data")  # sector 2024: no usable gap
    rows.append({**rows[0], "series": "mlsp", "ratio": 99.0})  # another series: never mixed in
    return pd.DataFrame(rows, columns=list(gap_indicator.COLUMNS))


def _layer_data(spec: dict, column: str) -> list[dict]:
    return next(v for v in spec["datasets"].values() if v and column in v[0])


def test_points_intervals_and_trend_are_osh_gap() -> None:
    table = _table()
    view = gap(Tables(table), GapSelection(lang="en", series="bns"))
    assert view.has_points
    points = _layer_data(view.chart.spec, "ratio")
    assert len(points) == 9  # 5 region years + 4 sector years (the no-data year is not a point)
    region_2022 = next(p for p in points if p["group"] == "Regions" and p["year"] == 2022)
    assert (region_2022["ratio"], region_2022["lo"], region_2022["hi"]) == pytest.approx((4.86, 3.888, 6.075))
    line = _layer_data(view.chart.spec, "value")
    trend = gap_indicator.trend(table[table["series"] == "bns"]).set_index("dimension")
    at_2030 = {p["group"]: p["value"] for p in line if p["year"] == 2030}
    assert at_2030 == pytest.approx({"Regions": trend.loc["region", "projected_2030"],
                                     "Sectors": trend.loc["sector", "projected_2030"]})
    assert at_2030["Regions"] == pytest.approx(6.0 * 0.9 ** 10)  # an exact geometric path: the fit is exact
    assert min(p["year"] for p in line if p["group"] == "Sectors") == 2020
    assert view.trends[0] == ("Regions: from 2020 to 2024 the gap changed by −10.0 % a year on average (narrowing); "
                              "on this trend it would be 2.1 times in 2030.")
    assert "changed by 0.0 % a year on average (about unchanged)" in view.trends[1]
    raw = view.chart.table.raw
    assert len(raw) == 10
    assert 99.0 not in raw["Gap"].tolist()
    assert view.chart.table.display["Gap"].iloc[0] == "6.00"


def test_russian_and_kazakh_labels() -> None:
    ru = gap(Tables(_table()), GapSelection(lang="ru", series="bns"))
    assert {p["group"] for p in _layer_data(ru.chart.spec, "ratio")} == {"Регионы", "Отрасли"}
    assert ru.trends[0].startswith("Регионы: в 2020–2024 гг. разрыв менялся в среднем на −10,0 % в год (сокращается)")
    kk = gap(Tables(_table()), GapSelection(lang="kk", series="bns"))
    assert "Разрыв" not in kk.chart.title
    assert "Gap" not in kk.chart.title


def test_without_a_gap_table_the_page_is_told_to_publish() -> None:
    with pytest.raises(EmptyDataError, match="run 'enbek publish'"):
        gap(Tables(pd.DataFrame(columns=list(gap_indicator.COLUMNS))), GapSelection(lang="en", series="bns"))
