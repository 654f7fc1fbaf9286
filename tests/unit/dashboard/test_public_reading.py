"""Issue 16: what a member of the public reads and downloads — official figures named and cited, rankings that a
spreadsheet reads as numbers (KATO code, whole ranks, rounded values, interval bounds as two columns)."""

from __future__ import annotations

import pandas as pd
import pytest

from dashboard import views
from dashboard.i18n import t
from dashboard.views.common import official_table, source_text
from data import official


@pytest.mark.parametrize(("line", "section"), [("85", 2), ("85-86", 2), ("75", 1), ("421", 3), ("1142", 6), ("1200", 7)])
def test_a_concept_line_is_cited_by_its_section(line, section) -> None:
    assert official.concept_section(f"{official.DOCUMENT}:{line}") == section


def test_a_reference_outside_the_concept_is_refused_by_name() -> None:
    with pytest.raises(ValueError, match=r"not a line of the Concept .*'other.txt:12'"):
        official.concept_section("other.txt:12")


def test_sources_read_as_sections_in_every_language() -> None:
    src = f"{official.DOCUMENT}:85"
    assert source_text(src, "en") == "Safe Labour Concept 2024–2030, section 2 “Analysis of the current situation”"
    assert source_text(src, "ru") == "Концепция «Безопасный труд» 2024–2030, раздел 2 «Анализ текущей ситуации»"
    assert source_text(src, "kk") == "Қауіпсіз еңбек тұжырымдамасы 2024–2030, 2-бөлім «Ағымдағы жағдайды талдау»"
    assert source_text(f"{official.DOCUMENT}:1300", "en") == "Safe Labour Concept 2024–2030, “Action plan for the Concept (annex)”"
    assert source_text("BNS bulletin 2024", "en") == "BNS bulletin 2024"  # other sources are shown as given


@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
def test_every_official_figure_has_a_name_not_its_id(data, lang) -> None:
    table = official_table(data, lang=lang)
    names = table.raw[t("col.figure", lang)]
    ids = set(data.official["figure"])
    assert not set(names) & ids, sorted(set(names) & ids)
    assert not any("line" in s or "строка" in s for s in table.raw[t("col.source", lang)])


@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
def test_ranking_downloads_are_numbers_with_kato_codes_and_two_interval_bounds(data, env, lang) -> None:
    view = views.overview(data, env, views.OverviewSelection(lang, "injury_rate_1000", 2024, "bns"))
    raw, display = view.map.table.raw, view.map.table.display
    kato, rank = t("col.kato", lang), t("col.rank", lang)
    lo, hi = t("col.ci95_lo", lang), t("col.ci95_hi", lang)
    assert list(raw.columns[:3]) == [kato, rank, t("col.region", lang)]
    assert raw[kato].tolist() == list(view.map.table.row_keys)
    assert raw[kato].str.fullmatch(r"\d{2}").all()
    assert str(raw[rank].dtype) == "Int64"
    ranked = raw[raw[rank].notna()]
    assert ranked[rank].tolist() == list(range(1, len(ranked) + 1))
    assert display[rank].iloc[0] == "1"  # never "1.0"
    value = raw.columns[3]
    assert (ranked[value] == ranked[value].round(2)).all()
    assert pd.api.types.is_float_dtype(raw[lo])
    assert pd.api.types.is_float_dtype(raw[hi])
    assert (ranked[lo] <= ranked[value]).all()
    assert (ranked[value] <= ranked[hi]).all()
    assert t("col.ci95", lang) in display.columns
    assert t("col.ci95", lang) not in raw.columns


def test_the_cause_bars_add_up_to_the_national_count_with_a_confidential_remainder(data, env) -> None:
    from dashboard.views.common import ALL, NATIONAL, _slice

    view = views.diseases(data, env, views.DiseasesSelection("ru", 2023, "bns"))
    national = _slice(data, series="bns", region=NATIONAL, section=ALL)
    national = national[national["status"] == "ok"].set_index("year")["disease_cases"]
    bars = pd.DataFrame(view.causes.spec["datasets"][next(iter(view.causes.spec["datasets"]))])
    per_year = bars.groupby("category")["value"].sum()
    for year, total in per_year.items():
        assert total == pytest.approx(float(national[int(year)])), year
    assert "Конфиденциально" in set(bars["cause"])
    colours = view.causes.spec["encoding"]["color"]["scale"]
    assert colours["range"][colours["domain"].index("Конфиденциально")] == "#9e9e9e"
    table = view.causes.table.raw
    assert table.iloc[-1, 0] == "confidential"  # the stable code beside the name
    assert table.iloc[-1, 1] == "Конфиденциально"
    assert table.iloc[:, 3].sum() == pytest.approx(100.0, abs=0.1)  # shares rounded to one decimal as shown


def test_a_section_nobody_works_in_is_left_out_of_the_sector_ranking() -> None:
    from dashboard.views.sectors import empty_sections

    rows = pd.DataFrame({"section": ["C", "T", "U", "B"], "workers": [400000.0, 0.0, None, None],
                         "status": ["ok", "ok", "ok", "confidential"]})
    assert empty_sections(rows) == {"T", "U"}  # B is confidential: it keeps its row and says so
    assert empty_sections(rows.drop(columns="workers")) == set()


def test_the_heat_map_legend_has_one_swatch_per_class(data, env) -> None:
    view = views.sectors(data, env, views.SectorsSelection("kk", "injury_rate_1000", 2024, "C", "bns"))
    legend = view.heatmap.spec["layer"][0]["encoding"]["color"]["legend"]
    assert legend["type"] == "symbol"


@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
def test_sector_downloads_carry_the_oked_code_and_rounded_numbers(data, env, lang) -> None:
    view = views.sectors(data, env, views.SectorsSelection(lang, "injury_rate_1000", 2024, "C", "bns"))
    raw = view.ranking.table.raw
    assert raw.columns[0] == t("col.oked", lang)
    assert set(raw[t("col.oked", lang)]) <= set("ABCDEFGHIJKLMNOPQRSTU")
    value = raw.columns[2]
    assert (raw[value].dropna() == raw[value].dropna().round(2)).all()
    region = views.regions(data, env, views.RegionsSelection(lang, "injury_rate_1000", 2024, "current", "35", "bns"))
    assert region.sectors.raw.columns[0] == t("col.oked", lang)
    assert region.sectors.raw.columns[1] == t("col.section", lang)
