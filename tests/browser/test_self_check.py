"""The self-check page in a real browser: a Kazakh employer fills the food-service questionnaire, gets the profile,
downloads the action plan as PDF (Kazakh letters extractable) and sends it with a one-time code. No other host
is contacted. Screenshot: tests/browser/screenshots/self_check_kk.png; the PDF is kept beside it.

The same in Kazakh on a phone (390 x 844, touch): a shop owner fills the retail tool, gets the plan and sends it;
the inbox is then imported with `enbek load self_assessments` and the akimat's card, plan and map see the shop as
self-assessed (tests/browser/screenshots/self_check_kk_phone.png)."""

from __future__ import annotations

import io
import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from dashboard.i18n import t
from data.codes import make_bin
from osh.selfcheck.content import SCREENING, TOOLS
from tests.browser.harness import (
    SHOTS,
    chromium,
    offline_page,
    require_chromium,
    screenshot,
    streamlit_server,
    wait_ready,
)

pytestmark = pytest.mark.browser
BIN = make_bin("06010140001") or ""
SHOP = next(b for b in (make_bin(f"0601014{i:04d}") for i in range(2, 50)) if b)  # the phone test's shop
PHONE = {"width": 390, "height": 844}
SHOP_NO = ("fire", "robbery")  # what the shop owner still has to do (if the tool asks it)
NO_ANSWERS = ("gas", "burns", "kitchen_ppe", "sanitary_book")  # the employer answers "Жоқ" to these


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path, str, str]]:
    require_chromium()
    from data.inbox import issue_codes

    work = tmp_path_factory.mktemp("selfcheck-browser")
    inbox = work / "inbox"
    codes = {c.bin: c.code for c in issue_codes(bins=[BIN, SHOP], region_code="35", inbox=inbox, iterations=1000)}
    (work / "public").mkdir()
    env = {"ENBEK_MODE": "public", "ENBEK_PUBLIC_DIR": str(work / "public"), "ENBEK_DATA_DIR": str(work),
           "ENBEK_INBOX_DIR": str(inbox), "ENBEK_TILES": "", "ENBEK_LANG": "kk"}
    with streamlit_server(env, log_path=work / "streamlit.log") as url:
        yield url, inbox, codes[BIN], codes[SHOP]


@pytest.fixture(scope="module")
def browser(server: tuple[str, Path, str, str]) -> Iterator[Any]:
    """One Chromium for the module, started after the server."""
    with chromium() as b:
        yield b


@pytest.fixture(scope="module")
def page(browser: Any) -> Iterator[Any]:
    with offline_page(browser, viewport={"width": 1400, "height": 1000}) as pg:
        yield pg


def choose(group: Any, label: str) -> None:
    group.get_by_text(label, exact=True).click()


def test_kazakh_employer_fills_the_questionnaire_downloads_the_plan_and_sends_it(
    page: Any, server: tuple[str, Path, str, str], tmp_path: Path
) -> None:
    url, inbox, code, _ = server
    page.goto(f"{url}/self-check?lang=kk")
    wait_ready(page)
    assert page.locator("h1").first.inner_text().strip() == "Тәуекелдерді өзін-өзі бағалау"

    # 1. screening: activity, size, six "Жоқ"
    page.get_by_test_id("stMain").get_by_test_id("stSelectbox").first.click()
    page.get_by_role("option", name=TOOLS["food"].name("kk")).click()
    wait_ready(page)
    page.get_by_label(t("sc.employees", "kk")).fill("8")
    page.get_by_label(t("sc.employees", "kk")).press("Enter")
    wait_ready(page)
    radios = page.get_by_test_id("stMain").get_by_test_id("stRadio")  # the sidebar's language picker is a radio too
    for i in range(len(SCREENING)):
        choose(radios.nth(i), "Жоқ")
        wait_ready(page)

    # 2. the questionnaire (a form: no rerun per click)
    questions = TOOLS["food"].questions
    form = page.get_by_test_id("stForm").first
    form.wait_for(state="visible")
    groups = form.get_by_test_id("stRadio")
    groups.nth(len(questions) - 1).wait_for(state="attached")  # the form's questions arrive one by one
    wait_ready(page)
    assert groups.count() == len(questions)
    order = {topic: i for i, topic in enumerate(dict.fromkeys(q.topic for q in questions))}
    shown = sorted(questions, key=lambda q: order[q.topic])  # grouped by topic as the page shows them
    for i, q in enumerate(shown):
        assert q.text("kk") in groups.nth(i).inner_text()
        choose(groups.nth(i), "Жоқ" if q.id in NO_ANSWERS else "Иә")
    form.get_by_role("button", name=t("sc.show_result", "kk")).click()
    wait_ready(page)

    # 3. the result and the plan
    page.get_by_text(t("sc.step.result", "kk")).wait_for(state="visible")
    assert page.get_by_text(t("sc.plan", "kk", n=len(NO_ANSWERS))).is_visible()
    page.get_by_label(t("sc.bin_for_plan", "kk")).fill(BIN)
    page.get_by_label(t("sc.bin_for_plan", "kk")).press("Enter")
    wait_ready(page)
    page.get_by_label(t("sc.firm_name", "kk")).fill("«Ақжол» ЖШС")
    page.get_by_label(t("sc.firm_name", "kk")).press("Enter")
    wait_ready(page)
    # the rerun that takes the typed values in has drawn the button whose PDF carries them
    page.get_by_text(t("sc.plan_for", "kk", bin=BIN, name="«Ақжол» ЖШС")).wait_for(state="visible")
    with page.expect_download() as info:
        page.get_by_test_id("stDownloadButton").get_by_role("button").click()
    download = info.value
    assert download.suggested_filename == "action_plan_food_kk.pdf"
    pdf_path = tmp_path / download.suggested_filename
    download.save_as(str(pdf_path))
    SHOTS.mkdir(exist_ok=True)
    shutil.copy(pdf_path, SHOTS / "self_check_kk.pdf")

    from pypdf import PdfReader

    text = " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf_path.read_bytes())).pages).split())
    assert "Кәсіптік тәуекелдерді экспресс-бағалау" in text
    assert "«Ақжол» ЖШС" in text
    assert BIN in text
    gas = next(q for q in questions if q.id == "gas")
    assert " ".join(gas.measure("kk").split()) in text
    assert {"ә", "ғ", "қ", "ң", "ө", "ұ", "ү", "і"} <= set(text.lower())

    # 4. sending with the one-time code
    page.get_by_label(t("sc.bin", "kk"), exact=True).fill(BIN)
    page.get_by_label(t("sc.code", "kk")).fill(code)
    page.get_by_role("button", name=t("sc.send", "kk"), exact=True).click()
    wait_ready(page)
    page.get_by_text("Қабылданды. Тіркеу нөмірі:").wait_for(state="visible")
    lines = (inbox / "submissions.jsonl").read_text(encoding="utf-8").splitlines()
    entry = json.loads(lines[-1])
    assert entry["bin"] == BIN
    assert entry["tool"] == "food"
    assert entry["lang"] == "kk"
    assert sorted(k for k, v in entry["answers"].items() if v == "no") == sorted(NO_ANSWERS)
    screenshot(page, "self_check_kk")


@pytest.fixture(scope="module")
def phone(browser: Any) -> Iterator[Any]:
    """A phone: 390 x 844 CSS pixels, touch, mobile viewport meta honoured."""
    with offline_page(browser, viewport=PHONE, device_scale_factor=3, is_mobile=True, has_touch=True) as pg:
        yield pg


def fits_the_screen(page: Any) -> None:
    """Nothing wider than the phone: no sideways scrolling of the page, every answer button inside the screen."""
    overflow = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"the page is {overflow} px wider than the phone"
    right = page.evaluate("() => Math.max(...[...document.querySelectorAll('[data-testid=stMain] [role=radiogroup] label')]"
                          ".map(e => e.getBoundingClientRect().right), 0)")
    assert right <= PHONE["width"], f"an answer reaches {right} px on a {PHONE['width']} px screen"


def test_a_shop_owner_on_a_phone_completes_it_in_kazakh_and_the_akimat_sees_the_shop_as_self_assessed(
    phone: Any, server: tuple[str, Path, str, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    import time

    url, inbox, _, code = server
    started = time.monotonic()
    taps = 0
    phone.goto(f"{url}/self-check?lang=kk")
    wait_ready(phone)
    assert phone.locator("h1").first.inner_text().strip() == "Тәуекелдерді өзін-өзі бағалау"
    main = phone.get_by_test_id("stMain")
    main.get_by_test_id("stSelectbox").first.tap()
    phone.get_by_role("option", name=TOOLS["retail"].name("kk")).tap()
    taps += 2
    wait_ready(phone)
    phone.get_by_label(t("sc.employees", "kk")).fill("3")
    phone.get_by_label(t("sc.employees", "kk")).press("Enter")
    wait_ready(phone)
    radios = main.get_by_test_id("stRadio")
    for i in range(len(SCREENING)):
        radios.nth(i).get_by_text("Жоқ", exact=True).tap()
        taps += 1
        wait_ready(phone)
    fits_the_screen(phone)

    questions = TOOLS["retail"].questions
    no = [q.id for q in questions if q.id in SHOP_NO] or [questions[0].id]
    form = phone.get_by_test_id("stForm").first
    form.wait_for(state="visible")
    groups = form.get_by_test_id("stRadio")
    groups.nth(len(questions) - 1).wait_for(state="attached")  # the form's questions arrive one by one (CI: 1 of 23)
    wait_ready(phone)
    assert groups.count() == len(questions) >= 20
    order = {topic: i for i, topic in enumerate(dict.fromkeys(q.topic for q in questions))}
    for i, q in enumerate(sorted(questions, key=lambda q: order[q.topic])):
        assert q.text("kk") in groups.nth(i).inner_text()
        groups.nth(i).get_by_text("Жоқ" if q.id in no else "Иә", exact=True).tap()
        taps += 1
    fits_the_screen(phone)
    form.get_by_role("button", name=t("sc.show_result", "kk")).tap()
    taps += 1
    wait_ready(phone)
    phone.get_by_text(t("sc.step.result", "kk")).wait_for(state="visible")
    assert phone.get_by_text(t("sc.plan", "kk", n=len(no))).is_visible()
    phone.get_by_label(t("sc.bin_for_plan", "kk")).fill(SHOP)
    phone.get_by_label(t("sc.bin_for_plan", "kk")).press("Enter")
    wait_ready(phone)
    phone.get_by_text(t("sc.plan_for", "kk", bin=SHOP, name="—")).wait_for(state="visible")
    with phone.expect_download() as info:
        phone.get_by_test_id("stDownloadButton").get_by_role("button").tap()
    taps += 1
    pdf = tmp_path / info.value.suggested_filename
    info.value.save_as(str(pdf))
    assert pdf.name == "action_plan_retail_kk.pdf"
    from pypdf import PdfReader

    text = " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.read_bytes())).pages).split())
    assert SHOP in text
    first_no = next(q for q in questions if q.id == no[0])
    assert " ".join(first_no.measure("kk").split()) in text

    phone.get_by_label(t("sc.bin", "kk"), exact=True).fill(SHOP)
    phone.get_by_label(t("sc.code", "kk")).fill(code)
    phone.get_by_role("button", name=t("sc.send", "kk"), exact=True).tap()
    taps += 1
    wait_ready(phone)
    phone.get_by_text("Қабылданды. Тіркеу нөмірі:").wait_for(state="visible")
    fits_the_screen(phone)
    elapsed = time.monotonic() - started
    screenshot(phone, "self_check_kk_phone")
    SHOTS.mkdir(exist_ok=True)
    shutil.copy(pdf, SHOTS / "self_check_kk_phone.pdf")
    with capsys.disabled():
        print(f"\nphone self-check (retail, kk): {len(questions)} questions, {taps} taps, "
              f"{elapsed:.1f} s of browser time")

    # the ministry imports the inbox the next day; the akimat of Karaganda opens the map, the card and the plan
    from dashboard import official_views as views
    from data.scope import Scope
    from data.store import open_store
    from enbek.cli import main
    from osh import enterprises as ents
    from osh.reasons import render
    from osh.risk import compute_and_store_risk
    from tests.unit.osh.conftest import put, tiny_country

    year = json.loads((inbox / "submissions.jsonl").read_text(encoding="utf-8").splitlines()[-1])["received_at"][:4]
    path = tmp_path / "official.duckdb"
    store = open_store(path)
    try:
        tiny_country(store, years=(int(year) - 2, int(year) - 1, int(year)))
        put(store, "enterprises", pd.DataFrame({
            "bin": [BIN, SHOP], "name": ["«Ақжол» ЖШС", "«Береке» дүкені"], "kato": ["351010000"] * 2,
            "oked": ["56.10", "47.11"], "employees": [8, 3], "lat": 49.8, "lon": 73.1, "active": True}))
    finally:
        store.close()
    monkeypatch.setenv("ENBEK_DATA_DIR", str(tmp_path))
    lines = len((inbox / "submissions.jsonl").read_text(encoding="utf-8").splitlines())
    assert main(["load", "self_assessments", str(inbox), "--store", str(path)]) == 0
    assert f"read {lines}, loaded {lines} (replaced 0), rejected 0" in capsys.readouterr().out
    store = open_store(path)
    try:
        compute_and_store_risk(store, year=int(year))
        scope = Scope.of_regions(["35"])
        card = views.card_view(store, scope=scope, bin=SHOP, lang="kk")
        assert card.card.self_assessed
        assert not card.card.assessed
        assert card.badge == t("emap.badge.self_assessed", "kk")
        assert "жұмыс берушінің өз экспресс-бағалауы" in card.badge_note
        plan = ents.inspection_list(store, scope=scope, bins=(SHOP,))
        assert bool(plan["self_assessed"].iloc[0])
        assert "тек жұмыс берушінің өзін-өзі бағалауы бар (салмағы 0,5)" in " ".join(
            render(r, "kk") for r in plan["reason"].iloc[0])
        shown = views.build_map(store, scope=scope, selection=views.MapSelection(region="35", self_assessed=True),
                                lang="kk", outlines=None, attribution="", point_limit=10_000, tiles="")
        assert shown.count == lines  # every firm that sent its self-check, and no other
        assert shown.legend[-1].ring
    finally:
        store.close()
