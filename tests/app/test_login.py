"""The login form, lockout, idle expiry, logout and audit records, driven through Streamlit's AppTest."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from streamlit.proto.TextInput_pb2 import TextInput
from streamlit.testing.v1 import AppTest

from data import auth

FAST = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
PASSWORD = "karaganda password"


def official_page() -> None:
    """A stand-in official page: what every enterprise page does first."""
    import streamlit as st

    from dashboard.login import account_sidebar, require_identity

    identity = require_identity(lang="en")
    account_sidebar(identity, lang="en")
    st.markdown(f"WELCOME {identity.user} scope={sorted(identity.scope.regions or ['KZ'])}")


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("ENBEK_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("ENBEK_MODE", "official")
    monkeypatch.setenv("ENBEK_AUTH", "password")
    monkeypatch.setenv("ENBEK_LOCKOUT_ATTEMPTS", "3")
    monkeypatch.setenv("ENBEK_SESSION_MINUTES", "30")
    users = tmp_path / "users.toml"
    auth.add_user(path=users, username="karaganda", role="akimat", regions=["35"], password=PASSWORD, hasher=FAST)
    auth.add_user(path=users, username="minister", role="ministry", password=PASSWORD, hasher=FAST)
    return tmp_path


def audit_actions(data_dir: Path) -> list[tuple[str, str]]:
    path = data_dir / "audit.log"
    if not path.exists():
        return []
    return [(e["user"], e["action"]) for e in map(json.loads, path.read_text().splitlines())]


def log_in(at: AppTest, username: str, password: str) -> AppTest:
    at.text_input(key="enbek_login_user").input(username)
    at.text_input(key="enbek_login_password").input(password)
    return at.button[0].click().run()


def page_text(at: AppTest) -> str:
    return " ".join(m.value for m in at.markdown)


def test_page_shows_only_the_login_form_until_signed_in(env: Path) -> None:
    at = AppTest.from_function(official_page).run()
    assert [t.value for t in at.title] == ["Sign in to the official app"]
    assert "WELCOME" not in page_text(at)
    assert at.text_input(key="enbek_login_password").proto.type == TextInput.PASSWORD


def test_akimat_user_logs_in_with_region_scope(env: Path) -> None:
    at = log_in(AppTest.from_function(official_page).run(), "karaganda", PASSWORD)
    assert not at.exception
    assert "WELCOME karaganda scope=['35']" in page_text(at)
    assert "Akimat — Karaganda Region" in [c.value for c in at.sidebar.caption]
    assert audit_actions(env) == [("karaganda", "login")]
    assert not at.text_input  # the form is gone once signed in
    session = at.session_state["enbek_session"]
    assert session.identity.scope.regions == frozenset({"35"})


def test_wrong_password_is_refused_and_audited(env: Path) -> None:
    at = log_in(AppTest.from_function(official_page).run(), "karaganda", "wrong password")
    assert [e.value for e in at.error] == ["Unknown user or wrong password."]
    assert "WELCOME" not in page_text(at)
    assert audit_actions(env) == [("karaganda", "login_failed")]


def test_repeated_failures_lock_out_even_the_right_password(env: Path) -> None:
    at = AppTest.from_function(official_page).run()
    for _ in range(2):
        at = log_in(at, "karaganda", "wrong password")
        assert [e.value for e in at.error] == ["Unknown user or wrong password."]
    at = log_in(at, "karaganda", "wrong password")
    assert at.error[0].value.startswith("Too many failed attempts. Try again after")
    at = log_in(at, "karaganda", PASSWORD)
    assert at.error[0].value.startswith("Too many failed attempts")
    assert "WELCOME" not in page_text(at)
    # a new browser session (or an app restart) is still locked: the state is on disk
    fresh = log_in(AppTest.from_function(official_page).run(), "karaganda", PASSWORD)
    assert fresh.error[0].value.startswith("Too many failed attempts")


def test_idle_session_expires_and_asks_to_sign_in_again(env: Path) -> None:
    at = log_in(AppTest.from_function(official_page).run(), "minister", PASSWORD)
    assert "WELCOME minister scope=['KZ']" in page_text(at)
    session = at.session_state["enbek_session"]
    at.session_state["enbek_session"] = replace(session, last_seen=session.last_seen - timedelta(minutes=29))
    at.run()
    assert "WELCOME minister" in page_text(at)  # 29 idle minutes: still signed in, and the clock restarts
    session = at.session_state["enbek_session"]
    at.session_state["enbek_session"] = replace(session, last_seen=session.last_seen - timedelta(minutes=31))
    at.run()
    assert "WELCOME" not in page_text(at)
    assert [w.value for w in at.warning] == ["Your session expired after inactivity. Please sign in again."]
    assert "enbek_session" not in at.session_state
    assert audit_actions(env) == [("minister", "login"), ("minister", "session_expired")]


def test_disabling_a_user_ends_their_open_session(env: Path) -> None:
    at = log_in(AppTest.from_function(official_page).run(), "karaganda", PASSWORD)
    assert "WELCOME karaganda" in page_text(at)
    auth.disable_user(path=env / "users.toml", username="karaganda")
    at.run()
    assert "WELCOME" not in page_text(at)
    assert [w.value for w in at.warning] == ["Session ended: the account was changed or disabled."]
    at = log_in(at, "karaganda", PASSWORD)
    assert [e.value for e in at.error] == ["This account is disabled; ask an administrator."]


def test_region_change_applies_to_an_open_session(env: Path) -> None:
    at = log_in(AppTest.from_function(official_page).run(), "karaganda", PASSWORD)
    auth.add_user(path=env / "users.toml", username="karaganda", role="akimat", regions=["62"], password=PASSWORD, hasher=FAST)
    at.run()
    assert "WELCOME karaganda scope=['62']" in page_text(at)


def test_logout_button_ends_the_session(env: Path) -> None:
    at = log_in(AppTest.from_function(official_page).run(), "minister", PASSWORD)
    at.sidebar.button(key="enbek_logout").click().run()
    assert "WELCOME" not in page_text(at)
    assert [t.value for t in at.title] == ["Sign in to the official app"]
    assert audit_actions(env) == [("minister", "login"), ("minister", "logout")]


def test_login_form_follows_the_language(env: Path) -> None:
    def page_kk() -> None:
        from dashboard.login import require_identity

        require_identity(lang="kk")

    at = AppTest.from_function(page_kk).run()
    assert [t.value for t in at.title] == ["Қызметтік қосымшаға кіру"]
    at = log_in(at, "nobody", "x")
    assert [e.value for e in at.error] == ["Пайдаланушы аты немесе құпиясөз қате."]


def test_demo_credentials_location_is_shown_not_the_passwords(env: Path, tmp_path: Path) -> None:
    (env / "DEMO_CREDENTIALS.txt").write_text("demo-ministry  password: SECRET\n")
    at = AppTest.from_function(official_page).run()
    captions = " ".join(c.value for c in at.caption)
    assert "DEMO_CREDENTIALS.txt" in captions
    assert "SECRET" not in captions


def test_public_mode_never_shows_a_login_or_data(env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ENBEK_MODE", "public")
    at = AppTest.from_function(official_page).run()
    assert [e.value for e in at.error] == ["This is the public edition: enterprise-level data is not available here."]
    assert not at.text_input
    assert "WELCOME" not in page_text(at)


def test_unwritable_audit_log_blocks_login(env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = env / "file-not-dir"
    blocker.write_text("")
    monkeypatch.setenv("ENBEK_AUDIT_LOG", str(blocker / "audit.log"))
    at = log_in(AppTest.from_function(official_page).run(), "minister", PASSWORD)
    assert at.error[0].value.startswith("The audit log cannot be written, so the data is not shown")
    assert "WELCOME" not in page_text(at)


def test_card_views_and_downloads_are_audited(env: Path) -> None:
    def page() -> None:
        from dashboard.login import audit_event, audited_download_button, require_identity

        identity = require_identity(lang="en")
        audit_event(identity, action="view_card", object="123456789012")
        audited_download_button(identity, label="CSV", data="bin\n123456789012\n", file_name="list.csv",
                                mime="text/csv", list_name="inspection_list", detail={"region": "35"}, key="dl")

    at = log_in(AppTest.from_function(page).run(), "karaganda", PASSWORD)
    assert audit_actions(env) == [("karaganda", "login"), ("karaganda", "view_card")]
    at.get("download_button")[0].click().run()
    events = [json.loads(line) for line in (env / "audit.log").read_text().splitlines()]
    assert events[1]["object"] == "123456789012"
    assert ("download_list", "inspection_list") in [(e["action"], e["object"]) for e in events]
    download = next(e for e in events if e["action"] == "download_list")
    assert download["detail"] == {"region": "35", "file_name": "list.csv"}


def barometer_page() -> None:
    """How app.py uses the module: current_user() picks the pages, sidebar() signs in/out, nothing stops."""
    import streamlit as st

    from dashboard.login import current_user, sidebar

    user = current_user(lang="en")
    sidebar(lang="en")
    st.markdown("BAROMETER")
    st.markdown(f"OFFICIAL PAGES for {user.user}" if user else "NO OFFICIAL PAGES")


def test_sidebar_login_keeps_the_barometer_readable(env: Path) -> None:
    at = AppTest.from_function(barometer_page).run()
    assert "BAROMETER" in page_text(at)
    assert "NO OFFICIAL PAGES" in page_text(at)
    assert [s.value for s in at.sidebar.subheader] == ["Sign in to the official app"]
    at.sidebar.text_input(key="enbek_login_side_user").input("karaganda")
    at.sidebar.text_input(key="enbek_login_side_password").input(PASSWORD)
    at.sidebar.button[0].click().run()
    assert "OFFICIAL PAGES for karaganda" in page_text(at)
    assert "Akimat — Karaganda Region" in [c.value for c in at.sidebar.caption]
    at.sidebar.button(key="enbek_logout").click().run()
    assert "NO OFFICIAL PAGES" in page_text(at)
    assert audit_actions(env) == [("karaganda", "login"), ("karaganda", "logout")]


def test_current_user_expires_idle_sessions_too(env: Path) -> None:
    at = AppTest.from_function(barometer_page).run()
    at.sidebar.text_input(key="enbek_login_side_user").input("minister")
    at.sidebar.text_input(key="enbek_login_side_password").input(PASSWORD)
    at.sidebar.button[0].click().run()
    session = at.session_state["enbek_session"]
    at.session_state["enbek_session"] = replace(session, last_seen=session.last_seen - timedelta(minutes=45))
    at.run()
    assert "NO OFFICIAL PAGES" in page_text(at)
    assert [w.value for w in at.sidebar.warning] == ["Your session expired after inactivity. Please sign in again."]


def test_public_mode_sidebar_has_no_login(env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ENBEK_MODE", "public")
    at = AppTest.from_function(barometer_page).run()
    assert "NO OFFICIAL PAGES" in page_text(at)
    assert not at.sidebar.text_input
    assert not (env / "audit.log").exists()


def test_scope_guard_refuses_logs_and_stops(env: Path) -> None:
    def page() -> None:
        import streamlit as st

        from dashboard.login import require_identity, scope_guard

        identity = require_identity(lang="en")
        wanted = st.text_input("BIN", key="bin")
        if wanted:
            with scope_guard(identity, object=wanted, lang="en"):
                identity.scope.check("71" if wanted.startswith("71") else "35")  # stands in for osh.enterprises.card
            st.markdown(f"CARD {wanted}")

    at = log_in(AppTest.from_function(page).run(), "karaganda", PASSWORD)
    at.text_input(key="bin").input("350000000001").run()
    assert "CARD 350000000001" in page_text(at)
    at.text_input(key="bin").input("710000000001").run()
    assert "CARD" not in page_text(at)
    assert [e.value for e in at.error] == ["This enterprise is outside your region: access refused."]
    events = [json.loads(line) for line in (env / "audit.log").read_text().splitlines()]
    assert (events[-1]["action"], events[-1]["object"]) == ("access_denied", "710000000001")
    assert events[-1]["detail"] == {"reason": "region 71 is outside this user's scope"}


@pytest.fixture
def oidc_env(env: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("ENBEK_AUTH", "oidc")
    auth.add_user(path=env / "users.toml", username="aliya@akimat.kz", role="akimat", regions=["35"], password=None)
    return env


def test_oidc_signed_out_user_sees_only_the_provider_button(oidc_env: Path) -> None:
    at = AppTest.from_function(official_page)
    at.user = {"is_logged_in": False}
    at.run()
    assert not at.exception
    assert [b.label for b in at.button] == ["Sign in with your organisation account"]
    assert not at.text_input  # no password form with OIDC
    assert "WELCOME" not in page_text(at)


def test_oidc_user_gets_role_and_regions_from_the_users_file(oidc_env: Path) -> None:
    at = AppTest.from_function(official_page)
    at.user = {"is_logged_in": True, "email": "Aliya@akimat.kz"}
    at.run()
    assert not at.exception
    assert "WELCOME aliya@akimat.kz scope=['35']" in page_text(at)
    events = [json.loads(line) for line in (oidc_env / "audit.log").read_text().splitlines()]
    assert [(e["user"], e["action"], e["detail"].get("method")) for e in events] == [("aliya@akimat.kz", "login", "oidc")]


def test_oidc_user_missing_from_the_users_file_is_refused(oidc_env: Path) -> None:
    at = AppTest.from_function(official_page)
    at.user = {"is_logged_in": True, "email": "stranger@example.com"}
    at.run()
    assert [e.value for e in at.error] == ["stranger@example.com has no access to this app; ask an administrator."]
    assert "WELCOME" not in page_text(at)
    assert audit_actions(oidc_env) == [("stranger@example.com", "login_failed")]


def test_oidc_session_expiry_logs_out_of_the_provider_too(oidc_env: Path) -> None:
    at = AppTest.from_function(official_page)
    at.user = {"is_logged_in": True, "email": "aliya@akimat.kz"}
    at.run()
    session = at.session_state["enbek_session"]
    at.session_state["enbek_session"] = replace(session, last_seen=session.last_seen - timedelta(minutes=31))
    at.run()
    assert "WELCOME" not in page_text(at)
    assert at.user.get("is_logged_in") is False  # st.logout() was called
    assert audit_actions(oidc_env)[-1] == ("aliya@akimat.kz", "session_expired")
