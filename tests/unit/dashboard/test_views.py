"""View models of the barometer: one series per page, statuses of the 2022 split, coverage, the change rule."""

from __future__ import annotations

import pandas as pd
import pytest

from dashboard import views
from dashboard.i18n import fmt_number, t
from dashboard.views.common import available_series, cell_status_text, default_series, region_values
from data import series as series_registry
from osh.registry import indicator
from tests.app.public_fixture import PARTIAL, SPLITS


def rows(data, *, series: str, year: int, region: str = "KZ", section: str = "ALL", basis: str = "current") -> pd.Series:
    f = data.indicators
    hit = f[(f["series"] == series) & (f["year"] == year) & (f["region"] == region) & (f["section"] == section)
            & (f["basis"] == basis)]
    assert len(hit) == 1
    return hit.iloc[0]


def card(view_cards, label: str):
    return next(c for c in view_cards if c.label == label)


def test_series_options_default_to_meta_and_list_both(data) -> None:
    assert available_series(data) == ("bns", "mlsp")
    assert default_series(data) == "bns"
    opts = views.options(data)
    assert opts.series == ("bns", "mlsp")
    assert opts.default_series == "bns"


def test_default_series_falls_back_to_the_setting_when_meta_has_none(data, monkeypatch) -> None:
    from dataclasses import replace

    monkeypatch.setenv("ENBEK_SERIES", "mlsp")
    bare = replace(data, meta={k: v for k, v in data.meta.items() if k != "default_series"})
    assert default_series(bare) == "mlsp"


@pytest.mark.parametrize("series", ["bns", "mlsp"])
def test_overview_cards_show_the_chosen_series_only(data, env, series) -> None:
    view = views.overview(data, env, views.OverviewSelection("en", "injury_rate_1000", 2024, series))
    now = rows(data, series=series, year=2024)
    assert card(view.cards, "Injured, 2024").value == fmt_number(now["injured"], "en")
    assert series_registry.label(series, "en") in view.period
    assert view.map.title.endswith(f" · {series_registry.label(series, 'en')}")
    assert series_registry.label(series, "en") in view.map.table.title


def test_a_change_is_never_computed_across_a_gap_of_the_series(data, env) -> None:
    # mlsp has no national figure for 2023 (6 of 20 regions published): its 2024 cards have no change
    view = views.overview(data, env, views.OverviewSelection("en", "injury_rate_1000", 2024, "mlsp"))
    assert all(c.delta is None for c in view.cards)
    bns = views.overview(data, env, views.OverviewSelection("en", "injury_rate_1000", 2024, "bns"))
    assert card(bns.cards, "Injured, 2024").delta is not None


def test_a_year_the_series_lacks_is_no_data_never_another_series(data, env) -> None:
    view = views.diseases(data, env, views.DiseasesSelection("kk", 2021, "mlsp"))  # mlsp starts in 2022
    assert {c.value for c in view.cards} == {t("status.no_data", "kk")}
    ranking = view.map.table.display
    assert set(ranking[t("col.status", "kk")]) == {t("status.no_data", "kk")}
    assert (ranking[t("col.rank", "kk")] == "").all()


def test_partial_coverage_is_said(data, env) -> None:
    view = views.diseases(data, env, views.DiseasesSelection("ru", 2023, "mlsp"))
    shown = card(view.cards, f"{indicator('disease_cases').name('ru')}, 2023")
    assert shown.value == "нет данных"
    assert shown.unit == f"опубликовано {PARTIAL['covered']} из {PARTIAL['cover_of']} регионов"
    ranking = view.map.table.display  # the regional cells of that year are published: no coverage note there
    assert "опубликовано" not in " ".join(ranking.iloc[:, -1])
    assert cell_status_text("no_data", "en", covered=1, cover_of=2) == "no data (1 of 2 parts published)"
    assert cell_status_text("no_data", "kk", covered=None, cover_of=20) == "деректер жоқ"
    assert cell_status_text("no_data", "kk", covered=6, cover_of=20) == "деректер жоқ (6 / 20 өңір жарияланған)"


@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
def test_regions_that_did_not_exist_yet_are_listed_last_unranked_with_their_own_word(data, env, lang) -> None:
    view = views.regions(data, env, views.RegionsSelection(lang, "injury_rate_1000", 2021, "current", "10", "bns"))
    table = view.map.table.display
    word = {"kk": "әлі құрылмаған", "ru": "ещё не существовала", "en": "did not exist yet"}[lang]
    assert t("status.not_existing", lang) == word
    tail = table.tail(len(SPLITS) + 1)  # the three children and the one no-data region
    children = [view.map.table.row_keys[i] for i in tail.index]
    assert set(SPLITS) <= set(children)
    child_rows = tail[[c in SPLITS for c in children]]
    assert (child_rows[t("col.rank", lang)] == "").all()
    assert set(child_rows[t("col.status", lang)]) == {word}
    assert any(word in n or "2022" in n for n in view.notes)


def test_a_parent_before_2022_is_labelled_with_the_child_it_includes(data, env) -> None:
    view = views.regions(data, env, views.RegionsSelection("en", "injury_rate_1000", 2021, "current", "63", "bns"))
    names = view.map.table.display[t("col.region", "en")].tolist()
    assert "East Kazakhstan Region (incl. Abai Region)" in names
    assert "Almaty Region (incl. Zhetisu Region)" in names
    assert any("incl. Abai Region" in n for n in view.notes)
    after = views.regions(data, env, views.RegionsSelection("en", "injury_rate_1000", 2023, "current", "63", "bns"))
    assert "East Kazakhstan Region" in after.map.table.display[t("col.region", "en")].tolist()


def test_not_existing_is_never_a_value_of_the_map_frame(data) -> None:
    frame = region_values(data, ind=indicator("injury_rate_1000"), year=2020, basis="current", series="bns")
    gone = frame[frame["status"] == "not_existing"]
    assert sorted(gone["region"]) == sorted(SPLITS)
    assert gone["value"].isna().all()


def test_change_map_uses_the_registry_rule(data, env) -> None:
    sel = views.RegionsSelection("en", "hidden_ratio", 2024, "current", "71", "bns", change=True)
    view = views.regions(data, env, sel)
    now = rows(data, series="bns", year=2024, region="71")
    before = rows(data, series="bns", year=2023, region="71")
    i = view.map.table.row_keys.index("71")
    shown = view.map.table.display.iloc[i, 2]
    points = now["hidden_ratio"] - before["hidden_ratio"]
    assert shown.lstrip("+\u2212") == fmt_number(abs(points), "en", decimals=1)  # points of the ratio, not per cent


def test_targets_are_tracked_on_bns_whatever_the_series(data) -> None:
    view = views.targets(data, views.TargetsSelection("en", "KZ", "fatal_rate_1000"))
    assert "BNS" in view.basis_note
    assert "only" in view.basis_note
    assert view.table.title.endswith(series_registry.label("bns", "en"))
    assert view.chart is not None
    assert series_registry.label("bns", "en") in view.chart.title


def test_plan_lines_are_drawn_only_on_the_bns_series(data, env) -> None:
    bns = views.regions(data, env, views.RegionsSelection("en", "fatal_rate_1000", 2024, "current", "71", "bns"))
    mlsp = views.regions(data, env, views.RegionsSelection("en", "fatal_rate_1000", 2024, "current", "71", "mlsp"))
    assert t("chart.plan_note", "en") in bns.trend.note
    assert t("chart.plan_note", "en") not in mlsp.trend.note
    assert len(bns.trend.spec["layer"]) == len(mlsp.trend.spec["layer"]) + 1


def test_sector_views_name_their_series(data, env) -> None:
    view = views.sectors(data, env, views.SectorsSelection("kk", "injury_rate_1000", 2023, "B", "mlsp"))
    label = series_registry.label("mlsp", "kk")
    for title in (view.ranking.title, view.heatmap.title, view.map.title, view.harmful.title):
        assert title.endswith(label), title


def test_methodology_lists_the_series_with_their_definitions(data) -> None:
    view = views.methodology(data, views.MethodologySelection("ru"))
    assert view.series.display.iloc[:, 0].tolist() == [series_registry.label("bns", "ru"), series_registry.label("mlsp", "ru")]
    assert view.series.display.iloc[0, 1] == series_registry.definition("bns", "ru")


@pytest.mark.parametrize("empty", [None, "", float("nan"), pd.NA])
def test_an_empty_includes_cell_adds_nothing(empty) -> None:
    from dashboard.views.common import place_label

    assert place_label("63", empty, "en") == "East Kazakhstan Region"
    assert place_label("63", "10", "ru").endswith("(включая: область Абай)")


def test_a_second_series_is_its_own_labelled_trend_line(data, env) -> None:
    sel = views.RegionsSelection("en", "injury_rate_1000", 2024, "current", "71", "bns", compare="mlsp")
    view = views.regions(data, env, sel)
    columns = view.trend.table.display.columns.tolist()
    assert columns == ["Year", "Astana (city) · BNS (Bureau of National Statistics)",
                       "Kazakhstan · BNS (Bureau of National Statistics)", "Astana (city) · MLSP (labour inspectorate)",
                       "Kazakhstan · MLSP (labour inspectorate)"]
    mlsp_2021 = view.trend.table.display.set_index("Year").loc["2021", "Kazakhstan · MLSP (labour inspectorate)"]
    assert mlsp_2021 == "no data"  # mlsp starts in 2022: a gap, never the bns figure
    assert t("chart.compare_note", "en") in view.trend.note


def test_coverage_shows_self_assessments_as_a_second_number_never_added(data) -> None:
    import json
    from dataclasses import replace

    from layers.numbers import fmt_target

    assert views.targets(data, views.TargetsSelection("ru", "KZ", "risk_assessment_coverage")).separate_note == ""
    tg = data.targets.copy()
    hit = (tg["indicator"] == "risk_assessment_coverage") & (tg["region"] == "KZ") & (tg["year"] == 2025)
    assert hit.sum() == 1
    tg.loc[hit, ["actual", "actual_self", "status"]] = [25.0, 3.5, "off_track"]
    view = views.targets(replace(data, targets=tg), views.TargetsSelection("ru", "KZ", "risk_assessment_coverage"))
    ind = "risk_assessment_coverage"
    assert view.separate_note == t("targets.self_note", "ru", year=2025, acc=fmt_target(ind, 25.0, "ru"),
                                   plan=fmt_target(ind, 30.0, "ru"), self=fmt_target(ind, 3.5, "ru"))
    assert "25,0" in view.separate_note
    assert "3,5" in view.separate_note
    assert view.chart is not None
    table = view.chart.table.display.set_index(t("col.year", "ru"))
    assert table.loc["2025", t("targets.actual", "ru")] == "25,0"
    assert table.loc["2025", t("targets.self", "ru")] == "3,5"
    assert t("targets.self", "ru") in json.dumps(view.chart.spec, ensure_ascii=False)  # a line of its own
    # the status is the accredited figure's: 25 % against 30 % is off track whatever the self-assessments add
    row = view.table.raw[view.table.raw[t("col.year", "ru")] == 2025]
    assert t("tstatus.off_track", "ru") in row[t("col.status", "ru")].tolist()
