"""The measures page's view model on a measure table made by osh.public.protect_measures: the cards, the map's
ranking, the sector chart and the full table show its numbers, and confidential cells are marked, never dropped,
ranked or drawn."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd
import pytest

from dashboard.i18n import fmt_number, t
from dashboard.views import EmptyDataError
from dashboard.views.common import sec_label
from dashboard.views.measures import MEASURES, MeasuresSelection, measure_years, measures
from geo.regions import REGION_CODES
from layers.numbers import fmt_percent
from osh.public import protect_measures
from tests.unit.osh.test_public_measures import _cell


@dataclass
class Tables:
    measures: pd.DataFrame
    indicators: pd.DataFrame = field(default_factory=pd.DataFrame)
    diseases: pd.DataFrame = field(default_factory=pd.DataFrame)
    targets: pd.DataFrame = field(default_factory=pd.DataFrame)
    official: pd.DataFrame = field(default_factory=pd.DataFrame)
    meta: dict[str, str] = field(default_factory=dict)


def _sums() -> pd.DataFrame:
    rows = []
    for year, ppe in ((2023, 70.0), (2024, 80.0)):
        rows += [_cell(year, r, s, [100 if r == "35" else 50] * 6, ppe_pct=ppe)  # 35: never the cheapest complement
                 for r in ("35", "71", "75", "55", "63") for s in ("C", "F")]
        rows.append(_cell(year, "62", "B", [40, 40, 40], ppe_pct=20.0))  # three reporters: confidential
    return pd.DataFrame(rows)


@pytest.fixture(scope="module")
def tables() -> Tables:
    return Tables(protect_measures(_sums()))


def _sel(lang: str = "en", measure: str = "ppe_share", year: int = 2024) -> MeasuresSelection:
    return MeasuresSelection(lang=lang, measure=measure, year=year)


def test_years_and_the_unknown_choices(tables, env) -> None:
    assert measure_years(tables) == (2023, 2024)
    with pytest.raises(ValueError, match="unknown measure 'nope'; expected one of funding_per_worker, ppe_share"):
        measures(tables, env, _sel(measure="nope"))
    with pytest.raises(EmptyDataError, match="no OSH-measure aggregates for 2019; years published: 2023, 2024"):
        measures(tables, env, _sel(year=2019))
    with pytest.raises(EmptyDataError, match="hold no OSH-measure aggregates"):
        measures(Tables(protect_measures(_sums().iloc[0:0])), env, _sel())


@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
def test_cards_show_the_country_and_the_change_in_points(tables, env, lang) -> None:
    view = measures(tables, env, _sel(lang=lang))
    card = next(c for c in view.cards if c.label == f"{t('ind.ppe_share', lang)}, 2024")
    country = tables.measures.query("year == 2024 and region == 'KZ' and section == 'ALL'").iloc[0]
    assert card.value == fmt_percent(country["ppe_share"], lang)
    # 2023 -> 2024: every reporter's PPE provision rose by 10 points (62's three are in the country's figure too)
    before = tables.measures.query("year == 2023 and region == 'KZ' and section == 'ALL'").iloc[0]
    delta = (country["ppe_share"] - before["ppe_share"]) * 100
    assert card.delta is not None
    assert card.delta.startswith("+")
    assert fmt_number(delta, lang, decimals=1) in card.delta
    assert len(view.cards) == len(MEASURES) + 1


@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
def test_confidential_region_is_listed_with_its_status_and_never_ranked(tables, env, lang) -> None:
    view = measures(tables, env, _sel(lang=lang))
    ranking = view.map.table
    assert len(ranking.display) == len(REGION_CODES)
    status_col = t("col.status", lang)
    words = ranking.display[status_col].tolist()
    assert words.count(t("status.confidential", lang)) == 2  # 62 and its complement
    ulytau = ranking.raw[ranking.raw[t("col.kato", lang)] == "62"].iloc[0]
    assert pd.isna(ulytau[t("col.rank", lang)])
    ok = set(tables.measures.query("year == 2024 and section == 'ALL' and status == 'ok'")["region"]) - {"KZ"}
    ranked = ranking.raw[ranking.raw[t("col.rank", lang)].notna()]
    assert set(ranked[t("col.kato", lang)]) == ok
    assert len(ok) == 4
    assert list(ranked[t("col.rank", lang)]) == [1, 2, 3, 4]
    assert view.map.html is None
    assert view.map.error == "no boundaries in this test"


def test_sector_chart_draws_published_sectors_and_its_table_lists_the_hidden_one(tables, env) -> None:
    view = measures(tables, env, _sel())
    rows = tables.measures.query("year == 2024 and region == 'KZ' and section != 'ALL'")
    published = set(rows.loc[rows["status"] == "ok", "section"])
    # B (62's three reporters only) is hidden, and one more sector with it (B = the country minus the others)
    assert rows.set_index("section").loc["B", "status"] == "confidential"
    assert len(published) == 1
    assert published < {"C", "F"}
    drawn = next(v for v in view.sectors.spec["datasets"].values() if v and "label" in v[0])
    assert {d["label"] for d in drawn} == {sec_label(s, "en") for s in published}
    table = view.sectors.table.display
    assert len(table) == 21  # every sector listed, with a value or its status
    value_col = next(c for c in table.columns if c.startswith(t("ind.ppe_share", "en")))
    mining = table[table[t("col.section", "en")] == sec_label("B", "en")].iloc[0]
    assert mining[t("col.status", "en")] == t("status.confidential", "en")
    assert mining[value_col] == t("status.confidential", "en")
    agriculture = table[table[t("col.section", "en")] == sec_label("A", "en")].iloc[0]
    assert agriculture[t("col.status", "en")] == t("status.no_data", "en")
    raw = view.sectors.table.raw
    shown = raw[raw[t("col.oked", "en")] == next(iter(published))].iloc[0]
    assert shown[value_col] == pytest.approx(80.0)


def test_full_table_has_every_region_sector_and_the_country_for_download(tables, env) -> None:
    view = measures(tables, env, _sel(lang="ru"))
    raw = view.table.raw
    assert len(raw) == len(REGION_CODES) + 21 + 1
    code = t("mpub.col.code", "ru")
    ulytau = raw[raw[code] == "62"].iloc[0]
    assert ulytau[t("col.status", "ru")] == t("status.confidential", "ru")
    funding = next(c for c in raw.columns if c.startswith(t("ind.funding_per_worker", "ru")))
    assert pd.isna(ulytau[funding])
    assert raw[raw[code] == "35"].iloc[0][funding] == pytest.approx(10_000.0)
    shown = view.table.display
    assert shown.iloc[list(raw[code]).index("62")][funding] == t("status.confidential", "ru")
    assert code not in shown.columns
    assert view.counts == t("mpub.counts", "ru", reports=fmt_number(63, "ru"), hidden=4)


def test_trend_is_the_country_by_year(tables, env) -> None:
    view = measures(tables, env, _sel(measure="funding_per_worker"))
    points = next(v for v in view.trend.spec["datasets"].values() if v and "value" in v[0])
    assert [p["year"] for p in points] == [2023, 2024]
    assert points[0]["value"] == pytest.approx(10_000.0)
    assert view.notes[0] == t("mpub.note.coverage", "en")
    assert "5" in view.notes[1]


def test_methodology_offers_the_measure_table_for_download(tables) -> None:
    from dashboard.views import MethodologySelection, methodology

    data = Tables(tables.measures, indicators=pd.DataFrame({"series": ["bns"]}), meta={"default_series": "bns"})
    view = methodology(data, MethodologySelection(lang="kk"))
    item = next(d for d in view.downloads if d.key == "measures")
    assert item.title == t("mpub.download", "kk")
    assert item.raw.equals(tables.measures)
