"""AppTest of the barometer: every page in every language, every widget path, shown values against osh.public."""

from __future__ import annotations

import pandas as pd
import pytest

from dashboard import navigation
from dashboard.catalog import MAP_INDICATORS, SECTOR_INDICATORS
from dashboard.i18n import LANGS, fmt_number, fmt_percent, t
from dashboard.navigation import PAGES
from dashboard.render import FOLDED_PREFIX
from geo.regions import REGION_CODES, region_name
from tests.app.folding import tables, unfold

BAROMETER = [p for p in PAGES if p.group_key == navigation.BAROMETER]  # the self-check page has its own tests


def latest(data) -> int:
    return int(data.indicators["year"].max())


def default_rows(data) -> pd.DataFrame:
    """The rows of the series the app shows by default (meta default_series; the whole table before series)."""
    f = data.indicators
    if "series" not in f.columns:
        return f
    return f[f["series"] == data.meta.get("default_series", "bns")]


def national(data, year: int) -> pd.Series:
    f = default_rows(data)
    return f[(f["basis"] == "current") & (f["region"] == "KZ") & (f["section"] == "ALL") & (f["year"] == year)].iloc[0]


def assert_clean(at) -> None:
    assert not at.exception, [e.message for e in at.exception]
    assert not at.error, [e.value for e in at.error]


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("spec", BAROMETER, ids=lambda s: s.url_path)
def test_every_page_renders_in_every_language_with_the_demo_notice(make_app, spec, lang) -> None:
    at = make_app(lang=lang, page=spec.script)
    assert_clean(at)
    assert [x.value for x in at.title] == [t(spec.title_key, lang)]
    assert any(w.value == t("demo.banner", lang) for w in at.warning), "demo data must be marked on every page"
    assert at.query_params["lang"] == lang


def test_kazakh_is_the_default_language(make_app) -> None:
    at = make_app()
    assert_clean(at)
    assert at.title[0].value == t("page.overview", "kk")
    assert at.query_params["lang"] == "kk"


@pytest.mark.parametrize("lang", LANGS)
def test_overview_cards_show_the_latest_national_figures(make_app, public_data, lang) -> None:
    at = make_app(lang=lang)
    year = latest(public_data)
    row = national(public_data, year)
    shown = {m.label: m.value for m in at.metric}
    assert shown[f"{t('ind.injured', lang)}, {year}"] == fmt_number(row["injured"], lang)
    assert shown[f"{t('ind.fatal', lang)}, {year}"] == fmt_number(row["fatal"], lang)
    assert shown[f"{t('ind.injury_rate_1000', lang)}, {year}"] == fmt_number(row["injury_rate_1000"], lang, decimals=2)
    units = [c.value for c in at.caption]
    assert t("unit.persons", lang) in units
    assert t("unit.per_1000", lang) in units
    assert shown[f"{t('ind.insured_share', lang)}, {year}"] == fmt_percent(row["insured_share"], lang)
    if pd.notna(row["hidden_ratio"]):
        assert shown[f"{t('ind.hidden_ratio', lang)}, {year}"] == f"{fmt_number(row['hidden_ratio'], lang, decimals=1)}:1"


def test_overview_card_delta_is_the_change_against_the_previous_year(make_app, public_data) -> None:
    at = make_app(lang="en")
    year = latest(public_data)
    now, before = national(public_data, year), national(public_data, year - 1)
    card = next(m for m in at.metric if m.label == f"Injured, {year}")
    change = (now["injured"] / before["injured"] - 1) * 100  # counts: relative change (osh/registry.py)
    sign = "+" if change > 0 else "-"  # st.metric needs an ASCII minus to colour and point the arrow
    assert card.delta == f"{sign}{fmt_number(abs(change), 'en', decimals=1)}%"
    ratio = next(m for m in at.metric if m.label == f"Hidden-injury ratio, {year}")
    if pd.notna(now["hidden_ratio"]) and pd.notna(before["hidden_ratio"]):  # ratios: points of the ratio
        points = now["hidden_ratio"] - before["hidden_ratio"]
        assert ratio.delta.lstrip("+-") == fmt_number(abs(points), "en", decimals=1)


def _ranking(at) -> pd.DataFrame:
    return next(df for df in tables(unfold(at)) if t("col.rank", "en") in df.columns)


def test_overview_indicator_picker_ranks_the_regions_as_osh_does(make_app, public_data) -> None:
    at = make_app(lang="en")
    for indicator in MAP_INDICATORS:
        at.selectbox(key="ov_indicator").set_value(indicator).run()
        assert_clean(at)
        _check_ranking(at, public_data, indicator)


def test_overview_tables_are_sent_only_when_their_expander_is_opened(make_app, public_data) -> None:
    at = make_app(lang="en")
    assert_clean(at)
    assert [e.label for e in at.expander] == [t("text_alternative", "en"), t("official.title", "en")]

    def downloads() -> list[str]:  # the tables' and the chart's (dl_<format>_<key>), not the briefing's
        return sorted(b.key.split("_")[1] for b in at.get("download_button") if b.key.startswith("dl_"))

    assert tables(at) == [], "closed: no table is sent"
    assert downloads() == ["png", "svg"], "closed: only the chart's downloads"
    unfold(at)
    assert_clean(at)
    ranking, official = tables(at)
    assert list(ranking.columns[:2]) == [t("col.rank", "en"), t("col.region", "en")]
    assert len(ranking) == 20
    assert len(official) == int((public_data.official["scope"] == "KZ").sum())
    assert downloads() == ["csv", "csv", "png", "svg", "xlsx", "xlsx"], "open: each table brings its CSV and XLSX"
    at.session_state[f"{FOLDED_PREFIX}ov_official"] = False
    at.run()
    assert [df.columns[0] for df in tables(at)] == [t("col.rank", "en")]


def _check_ranking(at, public_data, indicator: str) -> None:
    year = int(at.selectbox(key="ov_year").value)
    f = default_rows(public_data)
    rows = f[(f["basis"] == "current") & (f["section"] == "ALL") & (f["year"] == year) & f["region"].isin(REGION_CODES)
             & (f["status"] == "ok")].dropna(subset=[indicator])
    table = _ranking(at)
    ranked = table[table["Rank"] != ""]
    assert len(ranked) == len(rows)
    top = rows.sort_values(indicator, ascending=False).iloc[0]
    assert ranked.iloc[0]["Region"].startswith(region_name(top["region"], "en"))
    # confidential and no-data regions (and regions without a ratio) are listed, last, without a rank
    assert (table["Rank"] == "").sum() == 20 - len(rows)
    assert all(table.iloc[len(rows):]["Status"].str.startswith(
        ("confidential", "no data", "no ratio (no fatal accident)", "did not exist yet")))


def test_overview_year_picker(make_app, public_data) -> None:
    at = make_app(lang="ru")
    for year in sorted(public_data.indicators["year"].unique()):
        at.selectbox(key="ov_year").set_value(int(year)).run()
        assert_clean(at)
        assert any(s.value.startswith(f"{t('ind.injury_rate_1000', 'ru')}, {int(year)} · ") for s in at.subheader)


def _regions(make_app, lang: str = "en"):
    at = make_app(lang=lang, page="screens/regions.py")
    assert_clean(at)
    return at


def test_regions_every_indicator_on_both_bases_and_as_change(make_app) -> None:
    at = _regions(make_app)
    for indicator in MAP_INDICATORS:
        at.selectbox(key="rg_indicator").set_value(indicator)
        for basis in ("harmonised", "current"):
            at.radio(key="rg_basis").set_value(basis)
            for change in (True, False):
                at.toggle(key="rg_change").set_value(change).run()
                assert_clean(at)
                assert any("→" in s.value for s in at.subheader) is change, "the change map is titled with both years"


def test_regions_profile_of_every_region(make_app, public_data) -> None:
    at = _regions(make_app)
    for region in REGION_CODES:
        at.selectbox(key="rg_region").set_value(region).run()
        assert_clean(at)
        _check_profile(at, public_data, region)


def _check_profile(at, public_data, region: str) -> None:
    year = latest(public_data)
    assert at.header[0].value == t("regions.profile", "en", region=region_name(region, "en"), year=year)
    f = default_rows(public_data)
    row = f[(f["basis"] == "current") & (f["region"] == region) & (f["section"] == "ALL") & (f["year"] == year)].iloc[0]
    card = next(m for m in at.metric if m.label == f"Injury rate, {year}")
    expected = t(f"status.{row['status']}", "en") if row["status"] != "ok" else fmt_number(row["injury_rate_1000"], "en", decimals=2)
    assert card.value.startswith(expected)
    assert any(m.label == "Area" for m in at.metric)
    assert "km²" in [c.value for c in at.caption]


def test_regions_split_child_on_the_harmonised_basis_shows_its_parent(make_app) -> None:
    at = _regions(make_app)
    at.selectbox(key="rg_region").set_value("10").run()
    at.radio(key="rg_basis").set_value("harmonised").run()
    assert_clean(at)
    assert any("East Kazakhstan Region" in i.value for i in at.info)
    assert at.header[0].value.startswith("East Kazakhstan Region")


def test_regions_year_slider(make_app, public_data) -> None:
    at = _regions(make_app, lang="kk")
    for year in sorted(public_data.indicators["year"].unique()):
        at.select_slider(key="rg_year").set_value(int(year)).run()
        assert_clean(at)


def test_sectors_every_indicator_ranks_sections_as_osh_does(make_app, public_data) -> None:
    at = make_app(lang="en", page="screens/sectors.py")
    for indicator in SECTOR_INDICATORS:
        at.selectbox(key="sc_indicator").set_value(indicator).run()
        assert_clean(at)
        _check_sector_ranking(at, public_data, indicator)


def _check_sector_ranking(at, public_data, indicator: str) -> None:
    year = int(at.selectbox(key="sc_year").value)
    f = default_rows(public_data)
    rows = f[(f["basis"] == "current") & (f["region"] == "KZ") & (f["section"] != "ALL") & (f["year"] == year)]
    top = rows[rows["status"] == "ok"].sort_values(indicator, ascending=False).iloc[0]
    table = next(df for df in tables(unfold(at)) if "Sector" in df.columns and len(df) == len(rows))
    assert table.iloc[0]["Sector"].startswith(f"{top['section']} · ")


def test_sectors_every_section_and_year(make_app, public_data) -> None:
    at = make_app(lang="ru", page="screens/sectors.py")
    for section in at.selectbox(key="sc_section").options:
        at.selectbox(key="sc_section").set_value(section.split(" · ")[0]).run()
        assert_clean(at)
    for year in sorted(public_data.indicators["year"].unique()):
        at.selectbox(key="sc_year").set_value(int(year)).run()
        assert_clean(at)


def test_diseases_every_year_shows_osh_case_counts(make_app, public_data) -> None:
    at = make_app(lang="en", page="screens/diseases.py")
    for year in sorted(public_data.indicators["year"].unique()):
        at.selectbox(key="ds_year").set_value(int(year)).run()
        assert_clean(at)
        row = national(public_data, int(year))
        card = next(m for m in at.metric if m.label == f"Occupational disease cases, {int(year)}")
        assert card.value == fmt_number(row["disease_cases"], "en")


def test_targets_every_region_and_indicator(make_app, public_data) -> None:
    at = make_app(lang="kk", page="screens/targets.py")
    for region in at.selectbox(key="tg_region").options[:3]:
        at.selectbox(key="tg_region").set_value(next(c for c in ("KZ", *REGION_CODES) if c == region or
                                                     region in (t("kz", "kk"), region_name(c, "kk") if c != "KZ" else ""))).run()
        assert_clean(at)
    ids = list(dict.fromkeys(public_data.targets["indicator"]))
    for indicator in ids:
        at.selectbox(key="tg_indicator").set_value(indicator).run()
        assert_clean(at)


def test_targets_table_matches_osh(make_app, public_data) -> None:
    at = make_app(lang="en", page="screens/targets.py")
    table = next(df for df in tables(at) if "Plan" in df.columns and "Status" in df.columns)
    national_targets = public_data.targets[public_data.targets["region"] == "KZ"]
    if "series" in national_targets.columns:  # the Concept's targets are tracked on BNS only
        national_targets = national_targets[national_targets["series"] == "bns"]
    assert len(table) == len(national_targets)
    status_names = {s: t(f"tstatus.{s}", "en") for s in national_targets["status"].unique()}
    assert sorted(table["Status"]) == sorted(national_targets["status"].map(status_names))


def test_international_shows_official_figures_with_their_source(make_app, public_data) -> None:
    at = make_app(lang="en", page="screens/international.py")
    assert_clean(at)
    assert any("under-reporting" in w.value for w in at.warning)
    table = next(df for df in tables(unfold(at)) if "Country" in df.columns and "Germany" in set(df["Country"]))
    germany = public_data.official[(public_data.official["figure"] == "injury_rate") & (public_data.official["scope"] == "Germany")]
    row = table[table["Country"] == "Germany"].iloc[0]
    assert row.iloc[2] == fmt_number(germany["value"].iloc[0], "en", decimals=1)
    # the reader is told the year (the Concept gives none) and the definition of every country's figure
    assert row["Year"] == "not stated in the Concept"
    assert row["Definition"] == t("intl.def.injury_rate", "en")
    # cited by the Concept's section a reader can find (the Germany figure is in section 2), not by a text line
    assert row["Source"] == "Safe Labour Concept 2024–2030, section 2 “Analysis of the current situation”"


def test_methodology_offers_every_public_table_for_download(make_app) -> None:
    at = make_app(lang="en", page="screens/methodology.py")
    assert_clean(at)
    ids = [b.proto.id for b in at.get("download_button")]
    for name in ("indicators", "diseases", "targets", "official"):
        for kind in ("csv", "xlsx"):
            assert any(i.endswith(f"-dl_{kind}_{name}") for i in ids), ids


def test_language_picker_switches_text_and_url_and_survives_page_change(make_app) -> None:
    at = make_app(lang="kk")
    at.sidebar.radio[0].set_value("ru").run()
    assert at.query_params["lang"] == "ru"
    at.run()  # the rerun after the callback
    assert at.title[0].value == t("page.overview", "ru")
    at.switch_page("screens/sectors.py").run()
    assert at.title[0].value == t("page.sectors", "ru")
    assert at.query_params["lang"] == "ru"


def test_no_data_is_reported_with_the_command_to_publish(make_app, monkeypatch, tmp_path) -> None:
    monkeypatch.setenv("ENBEK_PUBLIC_DIR", str(tmp_path / "nothing"))
    at = make_app(lang="en")
    assert not at.exception
    assert any("enbek publish" in e.value for e in at.error)


def test_a_new_publication_is_picked_up_without_restart(make_app, public_data, monkeypatch, tmp_path) -> None:
    """Caches are keyed by the data version (meta.json's stamp), not by process lifetime."""
    from osh.public import PublicData, write_public_data

    out = tmp_path / "public"
    write_public_data(public_data, out_dir=out)
    monkeypatch.setenv("ENBEK_PUBLIC_DIR", str(out))
    at = make_app(lang="en")
    year = latest(public_data)
    label = f"Injured, {year}"
    before = next(m.value for m in at.metric if m.label == label)
    ind = public_data.indicators.copy()
    mask = (ind["basis"] == "current") & (ind["region"] == "KZ") & (ind["section"] == "ALL") & (ind["year"] == year)
    if "series" in ind.columns:
        mask &= ind["series"] == public_data.meta.get("default_series", "bns")
    ind.loc[mask, "injured"] = 123456.0
    write_public_data(PublicData(indicators=ind, diseases=public_data.diseases, targets=public_data.targets,
                                 official=public_data.official, meta={**public_data.meta, "built_at": "later"}), out_dir=out)
    at.run()
    after = next(m.value for m in at.metric if m.label == label)
    assert after != before
    assert after == fmt_number(123456, "en")


@pytest.mark.parametrize(("page", "key_of"), [
    ("screens/overview.py", lambda year, region: f"briefing_kz_{year}_en"),
    ("screens/regions.py", lambda year, region: f"briefing_{region}_{year}_en"),
])
def test_overview_and_region_pages_offer_the_briefing_pack(make_app, public_data, page, key_of) -> None:
    at = make_app(lang="en", page=page)
    assert_clean(at)
    year = latest(public_data)
    region = at.selectbox(key="rg_region").value if page.endswith("regions.py") else None
    buttons = at.get("download_button")
    labels = [b.proto.label for b in buttons]
    assert t("briefing.button", "en") in labels
    ids = [b.proto.id for b in buttons if b.proto.label == t("briefing.button", "en")]
    assert any(key_of(year, region) in i for i in ids), ids


@pytest.mark.parametrize("lang", LANGS)
def test_regions_compare_shows_every_indicator_of_both_regions_with_intervals(make_app, public_data, lang) -> None:
    """Issue 16 ask 1: region A against region B on one page: cards, one table of every indicator with its interval,
    the trend with both lines, both sector profiles; and a click on the map or the ranking may pick region B."""
    at = _regions(make_app, lang)
    at.selectbox(key="rg_region").set_value("35").run()
    at.selectbox(key="rg_versus").set_value("55").run()
    assert_clean(at)
    year = latest(public_data)
    title = t("compare.title", lang, a=region_name("35", lang), b=region_name("55", lang), year=year)
    assert any(m.value.startswith(f"**{title}") for m in at.markdown), "the comparison table is titled with both regions"
    table = next(d for d in tables(at) if region_name("55", lang) in d.columns and t("compare.verdict", lang) in d.columns)
    assert len(table) == len(MAP_INDICATORS) + 2  # every map indicator, workers in harmful conditions, workers
    f = default_rows(public_data)
    row = f[(f["basis"] == "current") & (f["region"] == "55") & (f["section"] == "ALL") & (f["year"] == year)].iloc[0]
    fatal = table[table[t("col.indicator", lang)] == t("ind.fatal_rate_1000", lang)].iloc[0][region_name("55", lang)]
    if row["status"] == "ok":
        assert fatal.startswith(fmt_number(row["fatal_rate_1000"], lang, decimals=3))
        assert fmt_number(row["fatal_rate_1000_lo"], lang, decimals=3) in fatal  # the interval beside the value
    assert t("compare.note", lang) in [c.value for c in at.caption]
    # "the region compared": a ranking click now sets region B, region A stays
    assert at.session_state["rg_pick"] == "region"
    assert at.query_params["compare"] == "55"


def test_every_barometer_chart_and_map_has_its_about_panel(make_app) -> None:
    """Issue 16 ask 4: every chart and map carries "about this indicator" (its definition, source, denominator,
    caveats, a link to the methodology section); AppTest draws a popover's content into the page's markdown."""
    from osh.registry import method

    charts = {"overview": 2, "regions": 2, "sectors": 4, "diseases": 3, "targets": 1, "gap": 1, "international": 1}
    for spec in BAROMETER:
        if spec.url_path not in charts:
            continue
        at = make_app(lang="ru", page=spec.script)
        assert_clean(at)
        panels = [m.value for m in at.markdown if f"**{t('about.denominator', 'ru')}:**" in m.value]
        assert len(panels) >= charts[spec.url_path], (spec.url_path, len(panels))
        assert all("methodology?lang=ru&indicator=" in p for p in panels), spec.url_path
    at = make_app(lang="ru", page="screens/sectors.py")
    first = next(m.value for m in at.markdown if f"**{t('about.definition', 'ru')}:**" in m.value)
    assert method("injury_rate_1000").text("definition", "ru") in first


def test_a_region_clicked_on_the_overview_map_opens_it_on_the_regions_page(make_app) -> None:
    """The Overview map is pickable; the code its click brings (render.map_pick's callback notes it) opens the
    Regions page for that region with the Overview's indicator and year, in the URL and in the widgets."""
    at = make_app(lang="en")
    at.selectbox(key="ov_indicator").set_value("fatal_rate_1000").run()
    at.selectbox(key="ov_year").set_value(2023).run()
    assert_clean(at)
    assert t("overview.pick_hint", "en") in [c.value for c in at.caption]
    at.session_state["_ov_open_region"] = "99"  # not a region of the page: nothing opens
    at.run()
    assert at.title[0].value == t("page.overview", "en")
    at.session_state["_ov_open_region"] = "55"
    at.run()
    assert_clean(at)
    assert at.title[0].value == t("page.regions", "en")
    assert (at.selectbox(key="rg_region").value, at.selectbox(key="rg_indicator").value) == ("55", "fatal_rate_1000")
    assert int(at.select_slider(key="rg_year").value) == 2023
    for param, value in (("region", "55"), ("indicator", "fatal_rate_1000"), ("year", "2023"), ("lang", "en"),
                         ("basis", "current")):
        assert at.query_params[param] == value, (param, dict(at.query_params))
    assert at.header[0].value.startswith(f"{region_name('55', 'en')}: region profile, 2023")


@pytest.mark.parametrize("lang", LANGS)
def test_the_ranking_shows_short_column_labels_with_the_full_header_as_help_and_caption(make_app, public_data, lang) -> None:
    """The ranking beside the map cut "Injury rate, 2024 (per 1…" at 1440 px: the grid labels the value column
    "Value" (the rank "No."), the full header is the column's tooltip and the caption above; the table's own
    columns (what AppTest and the downloads read) keep the full header."""
    import json

    from dashboard.views.common import header
    from osh.registry import indicator

    at = _regions(make_app, lang)
    full = header(indicator("injury_rate_1000"), lang, latest(public_data))
    grid = next(d for d in at.dataframe if full in d.value.columns)
    config = json.loads(grid.proto.columns)
    shown = {c["label"]: c.get("help") for c in config.values() if c.get("label")}  # (the index has no label)
    assert shown == {t("col.value", lang): full, t("col.rank_short", lang): t("col.rank", lang)}
    assert f"{t('col.rank_short', lang)}: {t('col.rank', lang)} · {t('col.value', lang)}: {full}" in [c.value for c in at.caption]
