"""The self-check page in a real browser: a Kazakh employer fills the food-service questionnaire, gets the profile,
downloads the action plan as PDF (Kazakh letters extractable) and sends it with a one-time code. No other host
is contacted. Screenshot: tests/browser/screenshots/self_check_kk.png; the PDF is kept beside it."""

from __future__ import annotations

import io
import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from dashboard.i18n import t
from data.codes import make_bin
from osh.selfcheck.content import SCREENING, TOOLS
from tests.browser.harness import (
    CHROMIUM,
    CHROMIUM_ARGS,
    SHOTS,
    Offline,
    require_chromium,
    screenshot,
    streamlit_server,
)

pytestmark = pytest.mark.browser
TIMEOUT = 60_000
BIN = make_bin("06010140001") or ""
NO_ANSWERS = ("gas", "burns", "kitchen_ppe", "sanitary_book")  # the employer answers "Жоқ" to these


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path, str]]:
    require_chromium()
    from data.inbox import issue_codes

    work = tmp_path_factory.mktemp("selfcheck-browser")
    inbox = work / "inbox"
    code = issue_codes(bins=[BIN], region_code="35", inbox=inbox, iterations=1000)[0].code
    (work / "public").mkdir()
    env = {"ENBEK_MODE": "public", "ENBEK_PUBLIC_DIR": str(work / "public"), "ENBEK_DATA_DIR": str(work),
           "ENBEK_INBOX_DIR": str(inbox), "ENBEK_TILES": "", "ENBEK_LANG": "kk"}
    with streamlit_server(env, log_path=work / "streamlit.log") as url:
        yield url, inbox, code


@pytest.fixture(scope="module")
def page(server: tuple[str, Path, str]) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        context = browser.new_context(viewport={"width": 1400, "height": 1000}, accept_downloads=True)
        offline = Offline()
        context.route("**/*", offline.handle)
        pg = context.new_page()
        pg.set_default_timeout(TIMEOUT)
        yield pg
        context.close()
        browser.close()
        assert offline.blocked == [], f"the app tried to reach other hosts: {offline.blocked[:5]}"


def wait_ready(page: Any) -> None:
    page.get_by_test_id("stApp").wait_for(state="visible")
    page.wait_for_function("() => document.querySelector('[data-testid=stApp]')?.dataset?.teststate !== 'running'")
    page.wait_for_timeout(300)
    page.wait_for_function("() => document.querySelector('[data-testid=stApp]')?.dataset?.teststate !== 'running'")


def choose(group: Any, label: str) -> None:
    group.get_by_text(label, exact=True).click()


def test_kazakh_employer_fills_the_questionnaire_downloads_the_plan_and_sends_it(
    page: Any, server: tuple[str, Path, str], tmp_path: Path
) -> None:
    url, inbox, code = server
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
