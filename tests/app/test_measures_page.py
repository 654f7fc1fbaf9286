"""The OSH-measures page (barometer) on the published demo tables, in every language: the national cards, the map's
ranking and the full table are the public measure table's numbers, confidential cells are listed with their status,
and the measure picker changes what is shown. (The view's arithmetic is checked on hand-built tables in
tests/unit/dashboard/test_measures_view.py.)"""

from __future__ import annotations

import pytest

from dashboard.i18n import LANGS, fmt_number, t
from layers.numbers import fmt_percent
from tests.app.folding import tables, unfold

PAGE = "screens/measures.py"


def _frames(at) -> list:
    return tables(at)


@pytest.mark.parametrize("lang", LANGS)
def test_page_shows_the_published_measures(make_app, public_data, lang: str) -> None:
    at = make_app(lang=lang, page=PAGE)
    assert not at.exception, [e.message for e in at.exception]
    assert not at.error, [e.value for e in at.error]
    assert [x.value for x in at.title] == [t("page.measures", lang)]
    table = public_data.measures
    if table.empty:
        assert [i.value for i in at.info] == [t("mpub.none", lang)]
        return
    year = int(table["year"].max())
    country = table[(table["year"] == year) & (table["region"] == "KZ") & (table["section"] == "ALL")].iloc[0]
    shown = {m.label: m.value for m in at.metric}
    assert shown[f"{t('ind.ppe_share', lang)}, {year}"] == fmt_percent(country["ppe_share"], lang)
    assert shown[f"{t('ind.funding_per_worker', lang)}, {year}"] == fmt_number(country["funding_per_worker"], lang)
    assert shown[f"{t('ind.reporting_enterprises', lang)}, {year}"] == fmt_number(country["reporting_enterprises"], lang)
    # the full table: every region and sector of the year, and the country; hidden cells say so
    full = next(f for f in _frames(at) if t("mpub.col.unit", lang) in f.columns)
    rows = table[table["year"] == year]
    assert len(full) == len(rows)
    status = full[t("col.status", lang)].tolist()
    assert status.count(t("status.confidential", lang)) == int((rows["status"] == "confidential").sum())
    assert status.count(t("status.no_data", lang)) == int((rows["status"] == "no_data").sum())
    assert len(at.get("vega_lite_chart")) == 2  # sectors and the country's trend
    # the full table's csv/xlsx and the charts' png/svg; the map's ranking and the charts' tables once unfolded
    assert len(at.get("download_button")) >= 6
    assert len(unfold(at).get("download_button")) >= 12


def test_picker_changes_the_measure(make_app, public_data) -> None:
    if public_data.measures.empty:
        pytest.skip("no measure table published")
    at = make_app(lang="ru", page=PAGE)
    at.selectbox(key="mp_measure").select("medical_exam_share").run()
    assert not at.exception, [e.message for e in at.exception]
    year = int(public_data.measures["year"].max())
    assert f"{t('ind.medical_exam_share', 'ru')}, {year}" in [s.value for s in at.subheader]
    assert at.query_params["measure"] == "medical_exam_share"
