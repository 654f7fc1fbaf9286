"""Issue 16 ask 4: the methodology of an indicator (definition, source, denominator, caveats) in kk / ru / en from the
registry, one click from every chart and map of every public page, and its own section on the methodology page."""

from __future__ import annotations

import pytest

from dashboard import views
from dashboard.views.common import about, method_anchor, methodology_link
from osh.registry import INDICATORS, LANGS, MEASURE_INDICATORS, RegistryError, method

CYRILLIC = set("абвгдеёжзийклмнопрстуфхцчшщъыьэюяәғқңөұүһі")


@pytest.mark.parametrize("indicator_id", [*INDICATORS, *MEASURE_INDICATORS])
def test_every_indicator_has_its_methodology_in_three_languages(indicator_id) -> None:
    m = method(indicator_id)
    for part in ("definition", "source", "caveats"):
        texts = {lang: m.text(part, lang) for lang in LANGS}
        assert all(texts.values()), (indicator_id, part)
        assert len(set(texts.values())) == 3, (indicator_id, part)  # three translations, not one copied
        assert CYRILLIC & set(texts["kk"].lower()), (indicator_id, part)
        assert CYRILLIC & set(texts["ru"].lower()), (indicator_id, part)
        assert not CYRILLIC & set(texts["en"].lower()), (indicator_id, part)
    kind = (INDICATORS.get(indicator_id) or MEASURE_INDICATORS[indicator_id]).kind
    assert (m.denominator is None) == (kind == "count"), indicator_id  # rates, shares and ratios divide by something


def test_an_unknown_indicator_is_refused_by_name() -> None:
    with pytest.raises(RegistryError, match=r"unknown indicator 'injury_rate'; known: injured, fatal"):
        method("injury_rate")


def test_the_about_panel_reads_the_registry() -> None:
    a = about("fatal_rate_1000", "ru")
    assert a.definition == method("fatal_rate_1000").text("definition", "ru")
    assert a.definition.startswith("Частота смертельного травматизма = погибшие ÷ работники × 1000")
    assert a.denominator.startswith("Работники того же ряда")
    assert a.anchor == "ind-fatal_rate_1000"
    assert about("injured", "en").denominator == ""
    assert methodology_link("hidden_ratio", "kk") == "methodology?lang=kk&indicator=hidden_ratio#ind-hidden_ratio"


def test_every_chart_and_map_of_every_page_has_its_indicator_one_click_away(data, env) -> None:
    pages = [
        views.overview(data, env, views.OverviewSelection("kk", "fatal_rate_1000", 2024, "bns")),
        views.regions(data, env, views.RegionsSelection("kk", "harmful_share", 2024, "current", "35", "bns", versus="55")),
        views.regions(data, env, views.RegionsSelection("kk", "injury_rate_1000", 2024, "current", "35", "bns", change=True)),
        views.sectors(data, env, views.SectorsSelection("kk", "hidden_ratio", 2024, "C", "bns")),
        views.diseases(data, env, views.DiseasesSelection("kk", 2023, "bns")),
        views.targets(data, views.TargetsSelection("kk", "KZ", "fatal_rate_1000")),
    ]
    seen = 0
    for page in pages:
        for name, item in vars(page).items():
            if isinstance(item, views.Chart | views.MapView):
                assert item.about, (type(page).__name__, name)
                assert all(i in INDICATORS for i in item.about), (type(page).__name__, name, item.about)
                seen += 1
    assert seen == 14  # overview 2, regions 2 + 2, sectors 4, diseases 3, targets 1
    ov = pages[0]
    assert ov.map.about == ov.ranking.about == ("fatal_rate_1000",)
    assert pages[3].harmful.about == ("harmful_workers", "harmful_share")
    assert pages[5].chart is not None
    assert pages[5].chart.about == ("fatal_rate_1000",)
    assert pages[5].chart.about_series == "bns"  # targets are tracked on BNS whatever the page's series
    intl = views.international(data, views.InternationalSelection("kk", "bns"))
    assert [c.about for c in intl.charts] == [("injury_rate_1000",), ("fatal_rate_1000",), ("hidden_ratio",)][: len(intl.charts)]
    assert all(c.about_series == "" for c in intl.charts)  # official figures belong to no series of ours


@pytest.mark.parametrize("lang", LANGS)
def test_the_methodology_page_has_a_section_per_indicator(data, lang) -> None:
    view = views.methodology(data, views.MethodologySelection(lang))
    assert [a.indicator for a in view.indicators] == list(INDICATORS)
    assert [a.anchor for a in view.indicators] == [method_anchor(i) for i in INDICATORS]
    definitions = view.definitions.raw
    assert definitions.iloc[:, 0].tolist() == [i for i in INDICATORS if i != "workers"]  # the stable code first
    assert definitions.iloc[0, 2] == method("injured").text("definition", lang)


def test_a_target_the_barometer_does_not_measure_says_whose_figures_it_shows(data) -> None:
    from dashboard.i18n import t

    view = views.targets(data, views.TargetsSelection("en", "KZ", "osh_knowledge_check"))
    if view.chart is None:
        pytest.skip("the fixture has no rows of this target")
    assert view.chart.about == ()
    assert view.chart.note.endswith(t("about.not_measured", "en"))


def test_the_measure_methodology_names_the_reporters_and_the_owed_measures() -> None:
    from osh.registry import has_method

    assert all(has_method(i) for i in [*INDICATORS, *MEASURE_INDICATORS])  # so every measure chart gets its panel
    assert method("funding_per_worker").text("definition", "ru").startswith("Расходы на охрану труда на работника = ")
    assert method("ppe_share").text("caveats", "en").startswith("The figure describes the reporting enterprises only")
    owed = {i for i in MEASURE_INDICATORS if "owed for harmful work" in method(i).text("caveats", "en")}
    assert owed == {"guarantee_share", "nutrition_share", "milk_share"} == {
        i for i, ind in MEASURE_INDICATORS.items() if ind.higher_is_worse is None and ind.kind == "share"}
    assert method("sanitary_share").text("denominator", "kk") == "Есеп берген кәсіпорындар."
