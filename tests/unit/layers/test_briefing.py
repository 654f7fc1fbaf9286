"""The briefing pack: pages, headline numbers as osh computes them, Kazakh letters, scope and public mode."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from pypdf import PdfReader

from data.scope import Scope
from layers import briefing_text
from layers.briefing import (
    BriefingError,
    build_briefing,
    fmt_indicator,
    headline_rows,
    load_map_layer,
    render_briefing,
)
from tests.unit.osh.conftest import bins as make_bins
from tests.unit.osh.conftest import put

ROOT = Path(__file__).resolve().parents[3]
KAZAKH_LETTERS = "әғқңөұүһі"
# the CLI as installed (`python -m enbek.cli` would load cli.py twice and miss its CommandError handler)
ENBEK = (sys.executable, "-c", "import sys; from enbek.cli import main; sys.exit(main(sys.argv[1:]))")
YEARS = (2020, 2021, 2022, 2023, 2024)
GENERATED = date(2025, 2, 1)
# Enterprise names with Kazakh letters (һ appears in no fixed text of the pack, but in company names).
NAMES = {"35": "Гауһар Құрылыс ЖШС", "71": "Шаһар Көлік ЖШС", "63": "Өскемен Кен АҚ", "62": "Ұлытау Мыс ЖШС"}


# --- a tiny country, computed by osh exactly as the app does ------------------------------------------


def _tiny_country(store, *, seed: int = 3, n: int = 400) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    bins = make_bins(n, start=30_000_000)
    regions = np.array(list(NAMES))
    sections = {"B": "07.10", "C": "24.10", "F": "41.20", "G": "47.11"}
    sec = rng.choice(list(sections), n)
    reg = rng.choice(regions, n)
    emp = np.maximum(2, rng.lognormal(3.0, 1.3, n).astype(int))
    names = [f"{NAMES[r]} №{i}" for i, r in enumerate(reg)]
    ent = pd.DataFrame({
        "bin": bins, "name": names, "kato": [f"{r}1010000" for r in reg], "oked": [sections[s] for s in sec],
        "employees": emp, "lat": 50.0, "lon": 70.0,
        "harmful_workers": (emp * np.where(np.isin(sec, ["B", "C"]), 0.4, 0.05)).astype(int), "active": True,
    })
    put(store, "enterprises", ent)
    base = {"B": 3.0, "C": 1.8, "F": 1.2, "G": 0.3}
    latent = rng.gamma(2.0, 0.5, n)
    rows = []
    for y in YEARS:
        lam = emp * np.array([base[s] for s in sec]) / 1000 * latent * 4
        k = rng.poisson(lam)
        for i in np.nonzero(k)[0]:
            for j in range(k[i]):
                rows.append((f"A{y}-{i}-{j}", f"{y}-06-01", bins[i], ent.kato[i], ent.oked[i], 1, int(rng.random() < 0.12)))
    put(store, "accidents", pd.DataFrame(rows, columns=["accident_id", "date", "bin", "kato", "oked", "injured", "fatal"]))
    grouped = ent.assign(region=reg, oked_section=sec).groupby(["region", "oked_section"], as_index=False)
    emp_rows = grouped[["employees", "harmful_workers"]].sum()
    employment = pd.concat([emp_rows.assign(year=y) for y in YEARS]).rename(columns={"harmful_workers": "harmful_conditions"})
    put(store, "employment", employment)
    dis = pd.concat([pd.DataFrame({"year": y, "bin": bins[i * 7:(i + 1) * 7], "cause_group": c, "cases": 1})
                     for i, (y, c) in enumerate(zip(YEARS, ("physical", "industrial_aerosols", "chemical", "physical",
                                                              "functional_overload"), strict=True))])
    put(store, "occupational_diseases", dis)
    put(store, "insurance", pd.DataFrame({"bin": bins, "year": YEARS[-1], "covered": rng.random(n) < 0.4}))
    return ent.assign(region=reg, section=sec)


@pytest.fixture(scope="module")
def country(tmp_path_factory: pytest.TempPathFactory):
    from data.store import open_store
    from osh.public import build_public_data
    from osh.risk import compute_and_store_risk

    directory = tmp_path_factory.mktemp("briefing")
    old = os.environ.get("ENBEK_DATA_DIR")
    os.environ["ENBEK_DATA_DIR"] = str(directory)
    store = open_store(directory / "enbek.duckdb")
    try:
        ent = _tiny_country(store)
        compute_and_store_risk(store)
        public = build_public_data(store)
        yield store, public, ent, directory
    finally:
        store.close()
        if old is None:
            os.environ.pop("ENBEK_DATA_DIR", None)
        else:
            os.environ["ENBEK_DATA_DIR"] = old


def _text(pdf: bytes) -> list[str]:
    import io

    reader = PdfReader(io.BytesIO(pdf))
    return [re.sub(r"[\s\u00a0]+", " ", page.extract_text() or "") for page in reader.pages]


def _norm(s: str) -> str:
    return re.sub(r"[\s\u00a0]+", " ", s)


@pytest.fixture(scope="module")
def national_kk(country):
    _store, public, _ent, _dir = country
    boundaries, attribution = load_map_layer()
    b = render_briefing(public, year=2024, lang="kk", boundaries=boundaries, attribution=attribution, generated_on=GENERATED)
    return b, _text(b.pdf)


@pytest.fixture(scope="module")
def akimat_pack_kk(country):
    store, public, _ent, _dir = country
    return build_briefing(year=2024, lang="kk", region_code="351010000", mode="official", public=public, store=store,
                          scope=Scope.of_regions({"35"}), generated_on=GENERATED)


# --- pages and numbers --------------------------------------------------------------------------------------


def test_public_pack_has_the_six_pages_in_order(national_kk) -> None:
    b, pages = national_kk
    assert b.pages == ("headline", "map", "trends", "sectors", "diseases", "sources")
    assert len(pages) == 6
    headings = ["1. Негізгі көрсеткіштер, 2024", "2. Өңірлер: Жарақаттану жиілігі, 1000 жұмыскерге, 2024",
                "3. Серпін және нысаналы мәндер", "4. Ең жоғары жарақаттану деңгейі бар салалар, 2024",
                "5. Кәсіптік аурулар", "6. Дереккөздер, анықтамалар және деректер туралы"]
    for number, (page, heading) in enumerate(zip(pages, headings, strict=True), start=1):
        assert heading in page, f"page {number} lacks its heading {heading!r}"
        assert f"{number}-бет" in page
    assert "ДЕМО-ДЕРЕКТЕР" not in " ".join(pages)  # the tiny store is labelled "real"


def test_demo_data_is_flagged_on_every_page(country) -> None:
    from dataclasses import replace

    _store, public, _ent, _dir = country
    demo = replace(public, meta={**public.meta, "dataset": "demo", "data_as_of": "2024-12-31"})
    pages = _text(render_briefing(demo, year=2024, lang="en", generated_on=GENERATED).pdf)
    for page in pages:
        assert "DEMO DATA — not official statistics" in page
        assert "Data as of 2024-12-31" in page
    assert "This briefing is built from synthetic demo data" in pages[-1]
    assert "The boundary layer is unavailable" in pages[1]  # no boundaries given: said, not left blank


def test_headline_numbers_are_osh_numbers_as_printed(country, national_kk) -> None:
    _store, public, _ent, _dir = country
    _b, pages = national_kk
    ind = public.indicators
    nat = ind[(ind["basis"] == "current") & (ind["region"] == "KZ") & (ind["section"] == "ALL")].set_index("year")
    # independent of the briefing's own formatter: kk writes a decimal comma and groups with a space
    injured = int(nat.loc[2024, "injured"])
    assert f"{injured:,}".replace(",", " ") in pages[0]
    rate = f"{nat.loc[2024, 'injury_rate_1000']:.2f}".replace(".", ",")
    assert rate in pages[0]
    fatal_rate = f"{nat.loc[2024, 'fatal_rate_1000']:.3f}".replace(".", ",")
    assert fatal_rate in pages[0]
    ratio = f"{nat.loc[2024, 'hidden_ratio']:.1f}".replace(".", ",") + ":1"
    assert ratio in pages[0]
    change = (nat.loc[2024, "injured"] - nat.loc[2023, "injured"]) / nat.loc[2023, "injured"] * 100
    sign = "+" if change > 0 else "−"
    assert f"{sign}{abs(change):.1f}".replace(".", ",") + " %" in pages[0]
    insured = f"{nat.loc[2024, 'insured_share'] * 100:.1f}".replace(".", ",") + " %"
    assert insured in pages[0]
    # the injured count equals the accident records of 2024 (what osh counts)
    assert injured > 0


def test_region_ranking_lists_every_region_with_its_rate(country, national_kk) -> None:
    _store, public, _ent, _dir = country
    _b, pages = national_kk
    ind = public.indicators
    reg = ind[(ind["basis"] == "current") & (ind["year"] == 2024) & (ind["section"] == "ALL") & (ind["region"] != "KZ")]
    ok = reg[reg["status"] == "ok"]
    assert len(ok) >= 2
    for row in ok.itertuples():
        assert f"{row.injury_rate_1000:.2f}".replace(".", ",") in pages[1]


def test_kazakh_letters_survive_in_the_pdf_text(national_kk, akimat_pack_kk) -> None:
    _b, pages = national_kk
    text = " ".join(pages)
    # the fixed kk texts carry eight of the nine letters; һ is only in names (checked in the official pack)
    for letter in "әғқңөұүі":
        assert letter in text, f"Kazakh letter {letter} missing from the extracted text"
    all_text = " ".join(_text(akimat_pack_kk.pdf))
    for letter in KAZAKH_LETTERS:
        assert letter in all_text, f"Kazakh letter {letter} missing from the official pack"
    assert "Гауһар Құрылыс ЖШС" in all_text


def test_pdf_embeds_the_unicode_font(national_kk) -> None:
    import io

    b, _ = national_kk
    reader = PdfReader(io.BytesIO(b.pdf))
    fonts = set()
    for page in reader.pages:
        for f in page["/Resources"]["/Font"].values():
            fonts.add(str(f.get_object()["/BaseFont"]))
    assert any("DejaVuSans" in f for f in fonts), fonts


def test_same_input_gives_the_same_bytes(country, national_kk) -> None:
    _store, public, _ent, _dir = country
    boundaries, attribution = load_map_layer()
    again = render_briefing(public, year=2024, lang="kk", boundaries=boundaries, attribution=attribution,
                            generated_on=GENERATED)
    assert again.pdf == national_kk[0].pdf


# --- scope and modes ------------------------------------------------------------------------------------------


def test_akimat_region_pack_holds_only_its_region_enterprises(country, akimat_pack_kk) -> None:
    _store, _public, ent, _dir = country
    b = akimat_pack_kk
    assert b.pages == ("headline", "map", "trends", "sectors", "diseases", "inspections", "sources")
    pages = _text(b.pdf)
    listing = pages[5]
    assert "6. Тәуекелге бағдарланған тексеру тізімі" in listing
    own = ent[ent["region"] == "35"]
    others = ent[ent["region"] != "35"]
    shown = [bn for bn in own["bin"] if bn in listing]
    assert shown, "the Karaganda pack lists none of its enterprises"
    text = " ".join(pages)
    leaked = [bn for bn in others["bin"] if bn in text]
    assert leaked == []
    for code in ("71", "63", "62"):
        assert NAMES[code] not in text
    assert "Қарағанды облысы" in pages[0]


def test_akimat_national_pack_lists_only_the_users_regions(country) -> None:
    store, public, ent, _dir = country
    b = build_briefing(year=2024, lang="en", mode="official", public=public, store=store, scope=Scope.of_regions({"71"}),
                       generated_on=GENERATED)
    listing = _text(b.pdf)[5]
    others = ent[ent["region"] != "71"]
    assert [bn for bn in others["bin"] if bn in listing] == []
    assert any(bn in listing for bn in ent.loc[ent["region"] == "71", "bin"])
    assert "scope: Astana (city)" in listing


def test_region_outside_the_scope_gets_no_enterprise_page(country) -> None:
    store, public, _ent, _dir = country
    b = build_briefing(year=2024, lang="en", region_code="63", mode="official", public=public, store=store,
                       scope=Scope.of_regions({"35"}), generated_on=GENERATED)
    assert "inspections" not in b.pages


def test_region_pack_refuses_enterprises_of_another_region(country) -> None:
    store, public, _ent, _dir = country
    from osh.enterprises import inspection_list

    listing = inspection_list(store, scope=Scope.country(), limit=40)
    assert set(listing["region"]) - {"35"}, "the fixture needs enterprises outside region 35"
    with pytest.raises(BriefingError, match=r"inspection list for region 35 holds enterprises of region\(s\) "):
        render_briefing(public, year=2024, lang="en", region_code="35", inspections=listing)


def test_public_mode_reads_the_published_directory_and_has_no_enterprise_page(country, tmp_path: Path) -> None:
    store, public, ent, _dir = country
    from osh.public import write_public_data

    out = tmp_path / "published"
    write_public_data(public, out_dir=out)
    # a store and a scope handed over by mistake are ignored in public mode
    b = build_briefing(year=2024, lang="ru", mode="public", public_dir=out, store=store, scope=Scope.country(),
                       generated_on=GENERATED)
    assert "inspections" not in b.pages
    text = " ".join(_text(b.pdf))
    assert "БИН" not in text
    assert not any(bn in text for bn in ent["bin"])
    assert "Публичная версия" in text


def test_cli_public_mode_writes_the_public_pack(country, tmp_path: Path) -> None:
    _store, public, ent, _dir = country
    from osh.public import write_public_data

    published = tmp_path / "pub"
    write_public_data(public, out_dir=published)
    pdf = tmp_path / "pack.pdf"
    env = {**os.environ, "ENBEK_MODE": "public", "ENBEK_DATA_DIR": str(tmp_path), "MPLBACKEND": "Agg"}
    done = subprocess.run(
        [*ENBEK, "briefing", "--year", "2024", "--lang", "kk", "--region", "35",
         "--public-dir", str(published), "--out", str(pdf)],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=180,
    )
    assert done.returncode == 0, done.stderr
    assert "6 pages (headline, map, trends, sectors, diseases, sources)" in done.stdout
    pages = _text(pdf.read_bytes())
    assert len(pages) == 6
    assert "Қарағанды облысы" in pages[0]
    assert not any(bn in " ".join(pages) for bn in ent["bin"])
    assert not (tmp_path / "enbek.duckdb").exists()


def test_cli_public_mode_refuses_store_options(tmp_path: Path) -> None:
    env = {**os.environ, "ENBEK_MODE": "public", "ENBEK_DATA_DIR": str(tmp_path)}
    done = subprocess.run(
        [*ENBEK, "briefing", "--year", "2024", "--store", str(tmp_path / "x.duckdb"),
         "--out", str(tmp_path / "x.pdf")],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )
    assert done.returncode == 2
    assert "ENBEK_MODE=public: the public pack reads only the published directory" in done.stderr


# --- errors and helpers ---------------------------------------------------------------------------------------------


def test_unknown_year_and_region_are_refused(country) -> None:
    _store, public, _ent, _dir = country
    with pytest.raises(BriefingError, match=r"no indicators for 2031; the public tables hold 2020, 2021, 2022, 2023, 2024"):
        render_briefing(public, year=2031, lang="kk")
    with pytest.raises(BriefingError, match=r"--region '99': unknown region code '99'"):
        render_briefing(public, year=2024, lang="kk", region_code="99")
    with pytest.raises(BriefingError, match=r"language 'de': expected kk, ru or en"):
        render_briefing(public, year=2024, lang="de")


def test_headline_of_a_region_compares_with_the_country(country) -> None:
    _store, public, _ent, _dir = country
    rows = {r.indicator: r for r in headline_rows(public, year=2024, lang="en", region_code="35")}
    ind = public.indicators
    nat = ind[(ind["basis"] == "current") & (ind["year"] == 2024) & (ind["region"] == "KZ") & (ind["section"] == "ALL")]
    assert rows["injured"].country == pytest.approx(float(nat["injured"].iloc[0]))
    assert rows["injury_rate_1000"].value_text == f"{rows['injury_rate_1000'].value:.2f}"


def test_formats_match_the_dashboard() -> None:
    from dashboard.i18n import fmt_number, fmt_percent, fmt_signed

    for lang in ("kk", "ru", "en"):
        for value in (0.0, 0.0374, 2449.0, 1234567.891, -3.25, float("nan")):
            for d in (0, 1, 3):
                assert briefing_text.fmt_number(value, lang, decimals=d) == fmt_number(value, lang, decimals=d)
            assert briefing_text.fmt_signed(value, lang) == fmt_signed(value, lang)
        assert briefing_text.fmt_percent(0.3217, lang) == fmt_percent(0.3217, lang)
    assert fmt_indicator("hidden_ratio", 10.94, "ru") == "10,9:1"
    assert fmt_indicator("insured_share", 0.32, "en") == "32.0%"


def test_every_text_has_three_languages_and_kazakh_is_kazakh() -> None:
    for key in briefing_text.text_keys():
        texts = [briefing_text.tr(key, lang) for lang in ("kk", "ru", "en")]
        assert all(t.strip() for t in texts), key
    kk = " ".join(briefing_text.tr(k, "kk") for k in briefing_text.text_keys())
    assert set("әғқңөұүі") <= set(kk)
    with pytest.raises(briefing_text.BriefingTextError, match="'nope' is missing"):
        briefing_text.tr("nope", "kk")


# --- series (docs/series.md) ---------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def two_series():
    """The hand-built two-series public tables (bns every year, mlsp from 2022; the 2022 split before 2022)."""
    from tests.app.public_fixture import make_public_data

    return make_public_data()


@pytest.mark.parametrize(("series", "label"), [("bns", "Data series: BNS (Bureau of National Statistics)"),
                                               ("mlsp", "Data series: MLSP (labour inspectorate)")])
def test_every_table_and_chart_page_names_the_one_series(two_series, series, label) -> None:
    b = render_briefing(two_series, year=2024, lang="en", series=series, generated_on=GENERATED)
    pages = _text(b.pdf)
    for key, page in zip(b.pages, pages, strict=True):
        if key != "sources":
            assert label in page, f"page {key} does not name its series"
    assert "Targets are tracked on the BNS (Bureau of National Statistics) series only" in pages[0]
    assert b.filename == f"briefing_kz_2024_en_{series}.pdf"


def test_the_pack_shows_the_chosen_series_figures_only(two_series) -> None:
    f = two_series.indicators
    nat = f[(f["basis"] == "current") & (f["region"] == "KZ") & (f["section"] == "ALL") & (f["year"] == 2024)]
    rows = {r.indicator: r for r in headline_rows(_one_series(two_series, "mlsp"), year=2024, lang="en")}
    mlsp = nat[nat["series"] == "mlsp"].iloc[0]
    assert rows["injured"].value == pytest.approx(mlsp["injured"])
    assert rows["injured"].change_text == "–"  # mlsp has no national 2023 total: no change, never the bns one
    assert rows["injured"].previous_text == "no data"


def _one_series(public, series: str):
    from layers.briefing import one_series

    return one_series(public, series)


def test_a_series_the_tables_do_not_hold_is_refused(two_series) -> None:
    with pytest.raises(BriefingError, match=r"--series 'nope': the public tables hold the series bns, mlsp"):
        render_briefing(two_series, year=2024, lang="en", series="nope")


def test_regions_before_the_split_are_not_ranked_and_parents_say_what_they_include(two_series) -> None:
    pages = _text(render_briefing(two_series, year=2021, lang="kk", series="bns", generated_on=GENERATED).pdf)
    assert pages[1].count("әлі құрылмаған") == 3  # Abai, Zhetisu, Ulytau in the ranking
    assert "Шығыс Қазақстан (құрамында: Абай)" in pages[1]
    ru = _text(render_briefing(two_series, year=2021, lang="ru", series="bns", generated_on=GENERATED).pdf)
    assert ru[1].count("ещё не существовала") == 3


def test_cli_series_option_reaches_the_pack(two_series, tmp_path: Path) -> None:
    from osh.public import PublicData, write_public_data

    published = tmp_path / "pub"
    write_public_data(PublicData(indicators=two_series.indicators, diseases=two_series.diseases, targets=two_series.targets,
                                 official=two_series.official, meta=two_series.meta), out_dir=published)
    env = {**os.environ, "ENBEK_MODE": "public", "ENBEK_DATA_DIR": str(tmp_path), "MPLBACKEND": "Agg"}
    bad = subprocess.run([*ENBEK, "briefing", "--year", "2024", "--series", "nope", "--public-dir", str(published),
                          "--out", str(tmp_path / "x.pdf")], cwd=ROOT, env=env, capture_output=True, text=True, timeout=180)
    assert bad.returncode == 2
    assert "--series 'nope': the public tables hold the series bns, mlsp" in bad.stderr
    pdf = tmp_path / "pack.pdf"
    done = subprocess.run([*ENBEK, "briefing", "--year", "2024", "--lang", "ru", "--series", "МТСЗН", "--public-dir",
                           str(published), "--out", str(pdf)], cwd=ROOT, env=env, capture_output=True, text=True, timeout=180)
    assert done.returncode == 0, done.stderr
    assert "Ряд данных: МТСЗН (трудовая инспекция)" in _text(pdf.read_bytes())[0]
def test_inspection_page_says_why_in_the_plan_pages_words(country, akimat_pack_kk) -> None:
    """The same reason sentences (osh.reasons) reach the PDF as the plan page and its files; ordered by the score."""
    store, _public, _ent, _dir = country
    from osh.enterprises import inspection_list
    from osh.reasons import render_all

    listing = inspection_list(store, scope=Scope.of_regions({"35"}), region="35", limit=3)
    assert listing["score"].is_monotonic_decreasing
    page = _text(akimat_pack_kk.pdf)[5]
    for why in listing["reason"]:
        sentence = re.sub(r"[\s\u00a0]+", " ", render_all(why, "kk"))
        assert sentence[:60] in page
    assert "injured" not in page
    assert "peers" not in page


def test_target_one_is_shown_with_self_assessments_as_a_separate_note(country) -> None:
    from dataclasses import replace

    _store, public, _ent, _dir = country
    tg = public.targets.copy()
    # a 2024 row of target 1 as the tables would hold it once the express procedure runs (the plan starts in 2025)
    row = tg[(tg["indicator"] == "insurance_coverage") & (tg["region"] == "KZ") & (tg["year"] == 2024)].iloc[[0]]
    row = row.assign(indicator="risk_assessment_coverage", plan=30.0, actual=25.0, actual_self=3.5, status="off_track")
    pack = render_briefing(replace(public, targets=pd.concat([tg, row], ignore_index=True)), year=2024, lang="ru",
                           boundaries=None, attribution="", generated_on=GENERATED)
    text = _norm(" ".join(_text(pack.pdf)))
    assert _norm("Охват оценкой рисков: аккредитованная оценка 25,0 % (по ней оценивается цель); только самооценка "
                 "работодателя — ещё 3,5 %, учитывается отдельно.") in text
