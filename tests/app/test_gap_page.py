"""The gap page (barometer) in every language on the published demo tables: it renders, says when no year has a
usable gap, writes one trend sentence per breakdown with a trend, and its text alternative has one row per
published gap row of the series. (The chart's numbers are checked on a hand-built table in
tests/unit/dashboard/test_gap_view.py.)"""

from __future__ import annotations

import pytest

from dashboard.i18n import LANGS, t
from osh import gap as gap_indicator
from tests.app.folding import tables, unfold

PAGE = "screens/gap.py"


@pytest.mark.parametrize("lang", LANGS)
def test_page_shows_the_published_gap(make_app, public_data, lang: str) -> None:
    at = make_app(lang=lang, page=PAGE)
    assert not at.exception, [e.message for e in at.exception]
    assert not at.error, [e.value for e in at.error]
    assert [x.value for x in at.title] == [t("page.gap", lang)]
    table = public_data.gap
    if table is None or table.empty:
        assert [i.value for i in at.info] == [t("gap.none", lang)]
        return
    series = public_data.meta.get("default_series") or str(table["series"].iloc[0])
    rows = table[(table["series"] == series) & (table["measure"] == "injury_rate_1000")]
    assert len(at.get("vega_lite_chart")) == 1
    no_points = t("gap.no_points", lang) in [i.value for i in at.info]
    assert no_points == (rows["status"] != "ok").all()
    sentences = [m.value for m in at.markdown if m.value.startswith("- ")]
    assert len(sentences) == len(gap_indicator.trend(rows))
    alt_table = next(d for d in tables(unfold(at)) if t("gap.col.ratio", lang) in d.columns)
    assert len(alt_table) == len(rows)
