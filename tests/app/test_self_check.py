"""The public self-check page through AppTest: screening routes, the questionnaire, the result and plan, sending
with a one-time code; and the official register-upload page for the ministry and the assessor role."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd
import pytest
from argon2 import PasswordHasher
from streamlit.testing.v1 import AppTest

from dashboard.i18n import t
from data import auth
from data.codes import make_bin
from data.inbox import SUBMISSIONS, issue_codes
from osh.selfcheck.content import SCREENING, TOOLS

ROOT = Path(__file__).resolve().parents[2]
PAGE = str(ROOT / "dashboard" / "screens" / "self_check.py")
UPLOAD = str(ROOT / "dashboard" / "screens" / "register_upload.py")
MAP_PAGE = str(ROOT / "dashboard" / "screens" / "enterprise_map.py")
FAST = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
BIN = make_bin("06010140001") or ""


@pytest.fixture
def public(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("ENBEK_MODE", "public")
    monkeypatch.setenv("ENBEK_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("ENBEK_STORE", str(tmp_path / "must-not-exist.duckdb"))
    monkeypatch.delenv("ENBEK_INBOX_DIR", raising=False)
    monkeypatch.delenv("ENBEK_LANG", raising=False)
    return tmp_path / "inbox"


def opened(lang: str = "kk") -> AppTest:
    at = AppTest.from_file(PAGE, default_timeout=60)
    at.query_params["lang"] = lang
    at.run()
    assert not at.exception, at.exception
    return at


def screened(at: AppTest, *, employees: int = 6, tool: str = "office", **conditions: bool) -> AppTest:
    at.selectbox(key="sc_tool").set_value(tool)
    at.number_input(key="sc_employees").set_value(employees)
    for s in SCREENING:
        at.radio(key=f"sc_screen_{s.id}").set_value("yes" if conditions.get(s.id) else "no")
    at.run()
    assert not at.exception, at.exception
    return at


def answered(at: AppTest, *, tool: str = "office", lang: str = "kk", default: str = "yes", skip: int = 0,
             **answers: str) -> AppTest:
    questions = TOOLS[tool].questions
    for q in questions[skip:]:
        at.radio(key=f"sc_q_{tool}_{q.id}").set_value(answers.get(q.id, default))
    submit = [b for b in at.button if b.label == t("sc.show_result", lang)]
    assert len(submit) == 1
    submit[0].click().run()
    assert not at.exception, at.exception
    return at


def test_page_opens_in_kazakh_with_screening_first_and_never_touches_the_store(public: Path) -> None:
    at = opened("kk")
    assert at.title[0].value == "Тәуекелдерді өзін-өзі бағалау"
    assert at.selectbox(key="sc_tool").options == [TOOLS[i].name("kk") for i in TOOLS]
    assert [r.label for r in at.radio] == [s.text("kk") for s in SCREENING]
    assert at.info[0].value == t("sc.screening.pending", "kk")
    assert not at.get("form")  # no questionnaire before the screening is answered
    assert not (public.parent / "must-not-exist.duckdb").exists()


@pytest.mark.parametrize(("conditions", "employees", "reason"), [
    ({"underground": True}, 5, next(s.reason("ru") for s in SCREENING if s.id == "underground")),
    ({"height": True}, 5, next(s.reason("ru") for s in SCREENING if s.id == "height")),
    ({}, 150, t("sc.reason.too_large", "ru")),
])
def test_special_conditions_and_size_send_to_the_full_procedure(public: Path, conditions: dict[str, bool], employees: int,
                                                                reason: str) -> None:
    at = screened(opened("ru"), employees=employees, **conditions)
    assert len(at.warning) == 1
    assert t("sc.full.title", "ru") in at.warning[0].value
    assert reason in at.warning[0].value
    assert not at.get("form")


def test_questionnaire_groups_questions_and_asks_for_missing_answers(public: Path) -> None:
    at = screened(opened("en"), tool="car")
    questions = TOOLS["car"].questions
    radios = [r for r in at.radio if r.key.startswith("sc_q_car_")]
    assert [r.label for r in radios] == [q.text("en") for q in sorted(questions, key=lambda q: [q.topic for q in questions].index(q.topic))]
    assert len(radios) == len(questions) >= 20
    at = answered(at, tool="car", lang="en", skip=3)
    assert at.warning[0].value == "Answer every question: 3 left."
    assert not at.get("download_button")


def test_result_shows_the_profile_and_the_plan_and_offers_the_pdf(public: Path) -> None:
    at = answered(screened(opened("kk")), glare="no", wiring="no", fire="na")
    profile = at.dataframe[0].value
    assert len(profile) == 5
    equipment = profile.set_index(t("sc.col.indicator", "kk")).loc["Өндірістік жабдықтың қауіпсіздігі"]
    assert equipment[t("sc.col.level", "kk")] == "жоғары"
    assert equipment[t("sc.col.value", "kk")] == "4-сынып"
    plan = at.dataframe[1].value
    assert plan[t("sc.col.measure", "kk")].tolist() == [
        next(q.measure("kk") for q in TOOLS["office"].questions if q.id == "wiring"),
        next(q.measure("kk") for q in TOOLS["office"].questions if q.id == "glare"),
    ]
    buttons = at.get("download_button")
    assert len(buttons) == 1
    assert buttons[0].proto.label == t("sc.download", "kk")


def test_the_page_says_what_the_plan_will_carry_and_a_name_cannot_format_the_page(public: Path) -> None:
    at = answered(screened(opened("ru")), lang="ru")
    assert [c.value for c in at.caption if c.value.startswith("В плане")] == ["В плане будет напечатано: БИН — · —"]
    at.text_input(key="sc_plan_bin").input(BIN)
    at.text_input(key="sc_firm_name").input("**ТОО** [x](http://evil)").run()
    carried = [c.value for c in at.caption if c.value.startswith("В плане")]
    assert carried == [f"В плане будет напечатано: БИН {BIN} · \\*\\*ТОО\\*\\* \\[x\\]\\(http://evil\\)"]


def test_a_bad_bin_for_the_plan_is_refused_in_the_page(public: Path) -> None:
    at = answered(screened(opened("ru")), lang="ru")
    at.text_input(key="sc_plan_bin").input("123456789012").run()
    assert at.error[0].value == t("sc.bin_invalid", "ru")
    assert not at.get("download_button")


def send_button(at: AppTest):  # AppTest's Button type is internal
    return next(b for b in at.button if b.label == t("sc.send", "kk"))


def test_sending_with_a_one_time_code_appends_once_and_a_second_use_is_refused(public: Path) -> None:
    code = issue_codes(bins=[BIN], region_code="35", inbox=public, iterations=1000)[0].code
    at = answered(screened(opened("kk")), glare="no")
    at.text_input(key="sc_send_bin").input(BIN)
    at.text_input(key="sc_send_code").input("WRONG-CODE-0")
    send_button(at).click().run()
    assert at.error[0].value == t("sc.err.code", "kk")
    at.text_input(key="sc_send_code").input(code.lower())
    send_button(at).click().run()
    assert at.success
    assert at.success[-1].value.startswith("Қабылданды. Тіркеу нөмірі:")
    lines = (public / SUBMISSIONS).read_text(encoding="utf-8").splitlines()
    assert len(lines) == 1
    assert json.loads(lines[0])["answers"]["glare"] == "no"
    send_button(at).click().run()
    assert at.error[0].value == t("sc.err.used", "kk")
    assert len((public / SUBMISSIONS).read_text(encoding="utf-8").splitlines()) == 1


def test_the_page_is_in_the_public_navigation(make_app) -> None:
    at = make_app(lang="en", page="screens/self_check.py")
    assert not at.exception
    assert at.title[0].value == "Risk self-check"


# --- the register upload page (official) ---------------------------------------------------------------------


@pytest.fixture
def official(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    from data.loader import load_frame
    from data.store import open_store

    monkeypatch.setenv("ENBEK_MODE", "official")
    monkeypatch.setenv("ENBEK_AUTH", "password")
    monkeypatch.setenv("ENBEK_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("ENBEK_STORE", str(tmp_path / "enbek.duckdb"))
    users = tmp_path / "users.toml"
    auth.add_user(path=users, username="minister", role="ministry", password="pw-minister-1", hasher=FAST)
    auth.add_user(path=users, username="akimat35", role="akimat", regions=["35"], password="pw-akimat-351", hasher=FAST)
    auth.add_user(path=users, username="ktb-assessor", role="assessor", password="pw-assessor-1", hasher=FAST)
    store = open_store(tmp_path / "enbek.duckdb")
    firms = pd.DataFrame({"bin": [BIN], "name": ["A"], "kato": ["351010000"], "oked": ["56.10"], "employees": [12]})
    load_frame(store, "enterprises", firms, source="firms")
    store.close()
    return tmp_path


def signed_in(page: str, user: str, *, lang: str = "en") -> AppTest:
    at = AppTest.from_file(page, default_timeout=60)
    identity = auth.default_provider().lookup(username=user)
    now = datetime.now(UTC)
    at.session_state["enbek_session"] = auth.Session(identity, now, now)
    at.query_params["lang"] = lang
    return at


def audit(data_dir: Path) -> list[dict[str, object]]:
    path = data_dir / "audit.log"
    return [json.loads(line) for line in path.read_text().splitlines()] if path.exists() else []


def assessments_csv() -> bytes:
    return (
        "assessment_id,bin,workplace,assessment_date,workers,harmfulness_class,danger_class,equipment_class,"
        "ppe_provision_pct,morbidity_class,assessor\n"
        f"W1,{BIN},cook,2025-04-01,3,3.1,2,2,80,1,KTB-Lab\n"
        f"W2,{BIN},cashier,2025-04-01,2,2,1,1,100,1,KTB-Lab\n"
        "W3,123456789012,porter,2025-04-01,1,2,1,1,100,1,KTB-Lab\n"
        f"W4,{BIN},driver,2025-04-01,1,5,1,1,100,1,KTB-Lab\n"
    ).encode()


def test_an_assessor_upload_loads_valid_rows_reports_rejects_and_is_audited(official: Path) -> None:
    from dashboard import uploads
    from data.audit import audit_log
    from data.store import open_store

    identity = auth.default_provider().lookup(username="ktb-assessor")
    assert identity.role == "assessor"
    assert identity.scope.regions == frozenset()
    result = uploads.save_and_load(identity=identity, audit=audit_log(), table="workplace_assessments",
                                   name="ktb 2025.csv", data=assessments_csv())
    report = result.report
    assert (report.read, report.loaded, report.rejected) == (4, 2, 2)
    assert report.rejects[["row", "column", "reason"]].values.tolist() == [
        [4, "bin", "BIN must be 12 digits with a valid check digit"],
        [5, "harmfulness_class", "must be one of 1, 2, 3.1, 3.2, 3.3, 3.4, 4"],
    ]
    assert result.saved.read_bytes() == assessments_csv()
    assert oct(result.saved.stat().st_mode & 0o777) == "0o600"
    store = open_store(official / "enbek.duckdb", read_only=True)
    try:
        assert sorted(store.sql("SELECT assessment_id FROM workplace_assessments")["assessment_id"]) == ["W1", "W2"]
    finally:
        store.close()
    events = [(e["user"], e["action"], e["object"], e["detail"].get("stage"), e["detail"].get("rejected"))  # type: ignore[union-attr]
              for e in audit(official)]
    assert events == [("ktb-assessor", "upload", "workplace_assessments:ktb_2025.csv", "received", None),
                      ("ktb-assessor", "upload", "workplace_assessments:ktb_2025.csv", "loaded", 2)]
    # an akimat may not upload, whatever the page shows
    akimat = auth.default_provider().lookup(username="akimat35")
    with pytest.raises(uploads.UploadError, match=r"role 'akimat' may not upload table 'workplace_assessments'"):
        uploads.save_and_load(identity=akimat, audit=audit_log(), table="workplace_assessments", name="x.csv", data=b"x")


def test_upload_page_shows_the_reject_report_and_its_download(official: Path) -> None:
    from dashboard import uploads
    from data.audit import audit_log

    identity = auth.default_provider().lookup(username="minister")
    report = uploads.save_and_load(identity=identity, audit=audit_log(), table="workplace_assessments",
                                   name="ktb.csv", data=assessments_csv()).report
    at = signed_in(UPLOAD, "minister", lang="ru")
    at.session_state["reg_last"] = ("ktb.csv", report)
    at.run()
    assert not at.exception, at.exception
    assert at.title[0].value == "Загрузка результатов оценки"
    assert at.warning[0].value == "ktb.csv: прочитано 4, загружено 2, отклонено 2"
    shown = at.dataframe[0].value
    assert list(shown.columns) == ["Строка", "Столбец", "Значение", "Причина"]
    assert len(shown) == 2
    assert at.get("download_button")[0].proto.label == t("reg.download_rejects", "ru")


def test_assessor_is_refused_on_enterprise_pages_and_akimat_on_the_upload_page(official: Path) -> None:
    at = signed_in(MAP_PAGE, "ktb-assessor")
    at.run()
    assert at.error
    assert at.error[0].value == t("auth.out_of_scope", "en")
    assert not at.get("deck_gl_json_chart")
    at = signed_in(UPLOAD, "akimat35")
    at.run()
    assert at.error[0].value == t("reg.not_allowed", "en")
    denied = [(e["user"], e["action"]) for e in audit(official)]
    assert denied == [("ktb-assessor", "access_denied"), ("akimat35", "access_denied")]


def test_an_upload_succeeds_while_the_enterprise_pages_hold_the_read_only_store(official: Path) -> None:
    # DuckDB refuses a writer while this process holds a read-only connection: the upload must release it.
    from dashboard import official_cache, uploads
    from data.audit import audit_log

    reader = official_cache.store()
    assert reader is not None
    identity = auth.default_provider().lookup(username="minister")
    report = uploads.save_and_load(identity=identity, audit=audit_log(), table="workplace_assessments",
                                   name="ktb.csv", data=assessments_csv()).report
    assert report.loaded == 2
    again = official_cache.store()  # the enterprise pages reopen it on their next run
    assert again is not None
    assert again.count("workplace_assessments") == 2
