"""The login form, lockout, idle expiry, logout and audit records, driven through Streamlit's AppTest."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import timedelta
from pathlib import Path
from typing import Any

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
    at = AppTest.from_function(official_page, default_timeout=60).run()
    assert [t.value for t in at.title] == ["Sign in to the official app"]
    assert "WELCOME" not in page_text(at)
    assert at.text_input(key="enbek_login_password").proto.type == TextInput.PASSWORD


def test_akimat_user_logs_in_with_region_scope(env: Path) -> None:
    at = log_in(AppTest.from_function(official_page, default_timeout=60).run(), "karaganda", PASSWORD)
    assert not at.exception
    assert "WELCOME karaganda scope=['35']" in page_text(at)
    assert "Akimat — Karaganda Region" in [c.value for c in at.sidebar.caption]
    assert audit_actions(env) == [("karaganda", "login")]
    assert not at.text_input  # the form is gone once signed in
    session = at.session_state["enbek_session"]
    assert session.identity.scope.regions == frozenset({"35"})


def test_wrong_password_is_refused_and_audited(env: Path) -> None:
    at = log_in(AppTest.from_function(official_page, default_timeout=60).run(), "karaganda", "wrong password")
    assert [e.value for e in at.error] == ["Unknown user or wrong password."]
    assert "WELCOME" not in page_text(at)
    assert audit_actions(env) == [("karaganda", "login_failed")]


def test_repeated_failures_lock_out_even_the_right_password(env: Path) -> None:
    at = AppTest.from_function(official_page, default_timeout=60).run()
    for _ in range(2):
        at = log_in(at, "karaganda", "wrong password")
        assert [e.value for e in at.error] == ["Unknown user or wrong password."]
    at = log_in(at, "karaganda", "wrong password")
    assert at.error[0].value.startswith("Too many failed attempts. Try again after")
    at = log_in(at, "karaganda", PASSWORD)
    assert at.error[0].value.startswith("Too many failed attempts")
    assert "WELCOME" not in page_text(at)
    # a new browser session (or an app restart) is still locked: the state is on disk
    fresh = log_in(AppTest.from_function(official_page, default_timeout=60).run(), "karaganda", PASSWORD)
    assert fresh.error[0].value.startswith("Too many failed attempts")


def test_idle_session_expires_and_asks_to_sign_in_again(env: Path) -> None:
    at = log_in(AppTest.from_function(official_page, default_timeout=60).run(), "minister", PASSWORD)
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
    last = json.loads((env / "audit.log").read_text().splitlines()[-1])
    assert last["detail"] == {"reason": "idle", "swept": False}  # noticed by its own run, not by a sweep


def test_disabling_a_user_ends_their_open_session(env: Path) -> None:
    at = log_in(AppTest.from_function(official_page, default_timeout=60).run(), "karaganda", PASSWORD)
    assert "WELCOME karaganda" in page_text(at)
    auth.disable_user(path=env / "users.toml", username="karaganda")
    at.run()
    assert "WELCOME" not in page_text(at)
    assert [w.value for w in at.warning] == ["Session ended: the account was changed or disabled."]
    at = log_in(at, "karaganda", PASSWORD)
    # the right password of a disabled account gets the wrong-password message (data/auth.py); the log says why
    assert [e.value for e in at.error] == ["Unknown user or wrong password."]
    events = [json.loads(line) for line in (env / "audit.log").read_text().splitlines()]
    assert (events[-1]["action"], events[-1]["detail"]["reason"]) == ("login_failed", "disabled")


def test_region_change_applies_to_an_open_session(env: Path) -> None:
    at = log_in(AppTest.from_function(official_page, default_timeout=60).run(), "karaganda", PASSWORD)
    auth.add_user(path=env / "users.toml", username="karaganda", role="akimat", regions=["62"], password=PASSWORD, hasher=FAST)
    at.run()
    assert "WELCOME karaganda scope=['62']" in page_text(at)


def test_logout_button_ends_the_session(env: Path) -> None:
    at = log_in(AppTest.from_function(official_page, default_timeout=60).run(), "minister", PASSWORD)
    at.sidebar.button(key="enbek_logout").click().run()
    assert "WELCOME" not in page_text(at)
    assert [t.value for t in at.title] == ["Sign in to the official app"]
    assert audit_actions(env) == [("minister", "login"), ("minister", "logout")]


def test_login_form_follows_the_language(env: Path) -> None:
    def page_kk() -> None:
        from dashboard.login import require_identity

        require_identity(lang="kk")

    at = AppTest.from_function(page_kk, default_timeout=60).run()
    assert [t.value for t in at.title] == ["Қызметтік қосымшаға кіру"]
    at = log_in(at, "nobody", "x")
    assert [e.value for e in at.error] == ["Пайдаланушы аты немесе құпиясөз қате."]


def test_demo_credentials_location_is_shown_not_the_passwords(env: Path, tmp_path: Path) -> None:
    (env / "DEMO_CREDENTIALS.txt").write_text("demo-ministry  password: SECRET\n")
    at = AppTest.from_function(official_page, default_timeout=60).run()
    captions = " ".join(c.value for c in at.caption)
    assert "DEMO_CREDENTIALS.txt" in captions
    assert "SECRET" not in captions


def test_public_mode_never_shows_a_login_or_data(env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ENBEK_MODE", "public")
    at = AppTest.from_function(official_page, default_timeout=60).run()
    assert [e.value for e in at.error] == ["This is the public edition: enterprise-level data is not available here."]
    assert not at.text_input
    assert "WELCOME" not in page_text(at)


def test_unwritable_audit_log_blocks_login(env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = env / "file-not-dir"
    blocker.write_text("")
    monkeypatch.setenv("ENBEK_AUDIT_LOG", str(blocker / "audit.log"))
    at = log_in(AppTest.from_function(official_page, default_timeout=60).run(), "minister", PASSWORD)
    assert at.error[0].value.startswith("The audit log cannot be written, so the data is not shown")
    assert "WELCOME" not in page_text(at)


def test_card_views_are_audited_and_downloads_are_not_built_before_the_click(env: Path) -> None:
    built: list[int] = []

    def page() -> None:
        from dashboard.login import audit_event, audited_download_button, require_identity

        identity = require_identity(lang="en")
        audit_event(identity, action="view_card", object="123456789012")
        audited_download_button(identity, label="CSV", build=lambda: built.append(1) or b"bin\n123456789012\n",
                                file_name="list.csv", mime="text/csv", list_name="inspection_list",
                                detail={"region": "35"}, key="dl", lang="en")

    at = log_in(AppTest.from_function(page, default_timeout=60).run(), "karaganda", PASSWORD)
    assert not at.exception, at.exception
    assert audit_actions(env) == [("karaganda", "login"), ("karaganda", "view_card")]
    button = at.get("download_button")[0].proto
    assert button.HasField("deferred_file_id")
    assert not button.url
    assert button.help == "The file is made when you click, recorded in the audit log and served only once."
    assert built == []


def media_get(storage: Any, name: str, *, mode: str | None = None, method: str = "GET") -> tuple[int, bytes]:
    """One request to Streamlit's real /media handler (create_media_routes) on `storage`: (status, body)."""
    import asyncio

    from starlette.exceptions import HTTPException
    from starlette.requests import Request
    from streamlit.web.server.starlette.starlette_routes import create_media_routes

    route = create_media_routes(storage, None)[0]
    headers = [(b"sec-fetch-site", b"same-origin"), (b"sec-fetch-mode", mode.encode()), (b"sec-fetch-dest", b"empty")] if mode else []
    scope = {"type": "http", "method": method, "path": f"/media/{name}", "path_params": {"file_id": name},
             "headers": headers, "query_string": b"", "scheme": "http", "server": ("127.0.0.1", 80)}
    try:
        answer = asyncio.run(route.endpoint(Request(scope)))  # type: ignore[attr-defined]
    except HTTPException as exc:
        return exc.status_code, b""
    return answer.status_code, bytes(answer.body)


def test_download_click_builds_logs_and_serves_the_file_once(env: Path, registry) -> None:
    from streamlit.runtime.media_file_manager import MediaFileManager
    from streamlit.runtime.media_file_storage import MediaFileStorageError
    from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage

    from dashboard import official_downloads, official_sessions
    from dashboard.login import download_maker

    storage = MemoryMediaFileStorage("/media")
    manager = MediaFileManager(storage)
    official_downloads.FILES.install(storage)
    identity = auth.default_provider().lookup(username="karaganda")
    official_sessions.REGISTRY.touch("tab-1", auth.start_session(identity, now=auth.utc_now()))
    make = download_maker(identity, session_id="tab-1", build=lambda: b"bin\r\n123456789012\r\n",
                          list_name="inspection_list_35.csv", detail={"region": "35", "file_name": "l.csv"})
    placeholder = manager.add_deferred(make, "text/csv", "1.2.3", "inspection_list_35.csv")
    first = manager.execute_deferred(placeholder)
    second = manager.execute_deferred(placeholder)  # a second click: a new file at a new address
    assert first != second
    for url in (first, second):
        assert url.startswith("/media/")
        assert len(url.split("/")[-1].split(".")[0]) == 32
    name = first.split("/")[-1]
    # Streamlit's orphan sweep runs after every script run of every session; its second pass deleted the file
    # before a slow browser fetched it (CI: "Download.path: canceled"). Issued files outlive the sweep.
    manager.remove_orphaned_files()
    manager.remove_orphaned_files()
    # through Streamlit's own /media handler: the front end's check fetch (Fetch Metadata mode cors) gets an empty
    # 200 and spends nothing, the download (a navigation) gets the bytes once, then the address answers 404
    assert media_get(storage, name, mode="cors") == (200, b"")
    assert media_get(storage, name, method="HEAD") == (200, b"")
    assert media_get(storage, name, mode="navigate") == (200, b"bin\r\n123456789012\r\n")
    assert media_get(storage, name, mode="navigate") == (404, b"")
    assert media_get(storage, name) == (404, b"")  # curl, a script: no Fetch Metadata
    assert media_get(storage, name, mode="cors") == (200, b"")  # a check racing behind the download: empty, no error
    with pytest.raises(MediaFileStorageError):
        storage.get_file(name)
    events = [json.loads(line) for line in (env / "audit.log").read_text().splitlines()]
    downloads = [e for e in events if e["action"] == "download_list"]
    assert [(e["user"], e["object"]) for e in downloads] == [("karaganda", "inspection_list_35.csv")] * 2
    assert downloads[0]["detail"]["region"] == "35"
    assert downloads[0]["detail"]["bytes"] == 19
    assert downloads[0]["detail"]["request_id"] != downloads[1]["detail"]["request_id"]
    # signing out deletes the file not fetched yet, and a later click of the old button builds nothing
    assert official_downloads.FILES.revoke_session("tab-1") == 1
    with pytest.raises(MediaFileStorageError):
        storage.get_file(second.split("/")[-1])
    official_sessions.REGISTRY.forget("tab-1")
    with pytest.raises(MediaFileStorageError, match="no longer signed in"):
        manager.execute_deferred(placeholder)
    assert len([line for line in (env / "audit.log").read_text().splitlines() if "download_list" in line]) == 2


def test_unfetched_files_expire(env: Path) -> None:
    from datetime import timedelta

    from streamlit.runtime.media_file_storage import MediaFileKind, MediaFileStorageError
    from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage

    from dashboard import official_downloads

    storage = MemoryMediaFileStorage("/media")
    files = official_downloads.OneShotFiles()
    files.install(storage)
    now = auth.utc_now()
    ticket = official_downloads.new_ticket(user="u", session_id="s", data=b"x", now=now)
    files.arm(ticket)
    file_id = storage.load_and_get_id(b"x", "text/csv", MediaFileKind.DOWNLOADABLE, "x.csv")
    assert files.expire(now=now + timedelta(seconds=5)) == 0
    assert files.expire(now=now + official_downloads.TTL + timedelta(seconds=1)) == 1
    with pytest.raises(MediaFileStorageError):
        storage.get_file(file_id)
    # checks never spend the file; the download does, and a late check is answered empty only for SECOND_FETCH
    ticket = official_downloads.new_ticket(user="u", session_id="s", data=b"z", now=now)
    files.arm(ticket)
    once = storage.load_and_get_id(b"z", "text/csv", MediaFileKind.DOWNLOADABLE, "z.csv")
    assert [media_get(storage, once, mode="cors") for _ in range(3)] == [(200, b"")] * 3
    assert ticket.checks == 3
    assert ticket.first_served is None
    assert media_get(storage, once) == (200, b"z")
    served_at = ticket.first_served
    assert served_at is not None
    assert files.expire(now=served_at + official_downloads.SECOND_FETCH) == 0
    assert media_get(storage, once, mode="cors") == (200, b"")
    files.expire(now=served_at + official_downloads.SECOND_FETCH + timedelta(seconds=1))
    assert media_get(storage, once, mode="cors") == (404, b"")
    assert media_get(storage, once) == (404, b"")
    # bytes nobody armed keep Streamlit's own content-hash id (the public barometer's downloads)
    plain = storage.load_and_get_id(b"y", "text/csv", MediaFileKind.DOWNLOADABLE, "y.csv")
    assert storage.get_file(plain).content == b"y"
    assert storage.get_file(plain).content == b"y"


def test_audit_failure_refuses_the_file(env: Path, registry, monkeypatch: pytest.MonkeyPatch) -> None:
    from streamlit.runtime.media_file_manager import MediaFileManager
    from streamlit.runtime.media_file_storage import MediaFileStorageError
    from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage

    from dashboard import official_downloads, official_sessions
    from dashboard.login import download_maker

    storage = MemoryMediaFileStorage("/media")
    manager = MediaFileManager(storage)
    official_downloads.FILES.install(storage)
    identity = auth.default_provider().lookup(username="minister")
    official_sessions.REGISTRY.touch("tab-2", auth.start_session(identity, now=auth.utc_now()))
    blocker = env / "file-not-dir"
    blocker.write_text("")
    monkeypatch.setenv("ENBEK_AUDIT_LOG", str(blocker / "audit.log"))
    make = download_maker(identity, session_id="tab-2", build=lambda: b"secret", list_name="l.csv", detail={})
    placeholder = manager.add_deferred(make, "text/csv", "1", "l.csv")
    with pytest.raises(MediaFileStorageError, match="cannot open audit log"):
        manager.execute_deferred(placeholder)
    assert official_downloads.FILES.pending() == []
    official_sessions.REGISTRY.forget("tab-2")


def barometer_page() -> None:
    """How app.py uses the module: current_user() picks the pages, sidebar() signs in/out, nothing stops."""
    import streamlit as st

    from dashboard.login import current_user, sidebar

    user = current_user(lang="en")
    sidebar(lang="en")
    st.markdown("BAROMETER")
    st.markdown(f"OFFICIAL PAGES for {user.user}" if user else "NO OFFICIAL PAGES")


def test_sidebar_login_keeps_the_barometer_readable(env: Path) -> None:
    at = AppTest.from_function(barometer_page, default_timeout=60).run()
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
    at = AppTest.from_function(barometer_page, default_timeout=60).run()
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
    at = AppTest.from_function(barometer_page, default_timeout=60).run()
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

    at = log_in(AppTest.from_function(page, default_timeout=60).run(), "karaganda", PASSWORD)
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
    at = AppTest.from_function(official_page, default_timeout=60)
    at.user = {"is_logged_in": False}
    at.run()
    assert not at.exception
    assert [b.label for b in at.button] == ["Sign in with your organisation account"]
    assert not at.text_input  # no password form with OIDC
    assert "WELCOME" not in page_text(at)


def test_oidc_user_gets_role_and_regions_from_the_users_file(oidc_env: Path) -> None:
    at = AppTest.from_function(official_page, default_timeout=60)
    at.user = {"is_logged_in": True, "email": "Aliya@akimat.kz"}
    at.run()
    assert not at.exception
    assert "WELCOME aliya@akimat.kz scope=['35']" in page_text(at)
    events = [json.loads(line) for line in (oidc_env / "audit.log").read_text().splitlines()]
    assert [(e["user"], e["action"], e["detail"].get("method")) for e in events] == [("aliya@akimat.kz", "login", "oidc")]


def test_oidc_user_missing_from_the_users_file_is_refused(oidc_env: Path) -> None:
    at = AppTest.from_function(official_page, default_timeout=60)
    at.user = {"is_logged_in": True, "email": "stranger@example.com"}
    at.run()
    assert [e.value for e in at.error] == ["stranger@example.com has no access to this app; ask an administrator."]
    assert "WELCOME" not in page_text(at)
    assert audit_actions(oidc_env) == [("stranger@example.com", "login_failed")]


def test_oidc_session_expiry_logs_out_of_the_provider_too(oidc_env: Path) -> None:
    at = AppTest.from_function(official_page, default_timeout=60)
    at.user = {"is_logged_in": True, "email": "aliya@akimat.kz"}
    at.run()
    session = at.session_state["enbek_session"]
    at.session_state["enbek_session"] = replace(session, last_seen=session.last_seen - timedelta(minutes=31))
    at.run()
    assert "WELCOME" not in page_text(at)
    assert at.user.get("is_logged_in") is False  # st.logout() was called
    assert audit_actions(oidc_env)[-1] == ("aliya@akimat.kz", "session_expired")


# -- sessions that end without a click: idle past the limit, or the tab closed -----------------------------------


@pytest.fixture
def registry():
    from dashboard import official_sessions

    official_sessions.REGISTRY.clear()
    yield official_sessions.REGISTRY
    official_sessions.REGISTRY.clear()


def _session(user: str, *, minutes_ago: float) -> auth.Session:
    from datetime import UTC, datetime

    from data.scope import Scope

    identity = auth.Identity(user=user, role="ministry", scope=Scope.country())
    then = datetime.now(UTC) - timedelta(minutes=minutes_ago)
    return auth.Session(identity, then, then)


def test_another_tabs_idle_session_is_logged_on_the_next_run_of_any_session(env: Path, registry) -> None:
    registry.touch("other-tab", _session("karaganda", minutes_ago=31))
    registry.touch("fresh-tab", _session("minister", minutes_ago=1))
    at = log_in(AppTest.from_function(official_page, default_timeout=60).run(), "minister", PASSWORD)
    assert "WELCOME minister" in page_text(at)
    events = [json.loads(line) for line in (env / "audit.log").read_text().splitlines()]
    swept = [(e["user"], e["action"], e["detail"].get("reason"), e["detail"].get("swept")) for e in events
             if e["action"] == "session_expired"]
    assert swept == [("karaganda", "session_expired", "idle", True)]
    assert set(registry.users().values()) == {"minister"}  # fresh-tab and this session; other-tab gone


def test_a_session_ended_while_away_is_signed_out_when_it_returns_without_a_second_event(env: Path, registry) -> None:
    from datetime import UTC, datetime

    at = log_in(AppTest.from_function(official_page, default_timeout=60).run(), "karaganda", PASSWORD)
    (sid,) = registry.users()
    ended = registry.sweep(now=datetime.now(UTC), idle=timedelta(minutes=30), alive=lambda s: False,
                           grace=timedelta(0))
    assert [(e.user, e.reason) for e in ended] == [("karaganda", "tab_closed")]
    at.run()
    assert "WELCOME" not in page_text(at)
    assert [w.value for w in at.warning] == ["Your session expired after inactivity. Please sign in again."]
    assert sid not in registry.users()
    assert audit_actions(env) == [("karaganda", "login")]  # the sweep's caller logs; this run adds nothing


def test_closed_tab_is_logged_only_after_the_grace_period(env: Path, registry) -> None:
    from datetime import UTC, datetime

    from dashboard.official_sessions import closed_grace, sweep_and_audit

    registry.touch("closed-tab", _session("karaganda", minutes_ago=2))
    registry.touch("open-tab", _session("minister", minutes_ago=2))
    alive = {"open-tab"}.__contains__
    now = datetime.now(UTC)
    assert sweep_and_audit(now=now, alive=alive) == []  # gone for 0 s: maybe a network blip
    assert sweep_and_audit(now=now + closed_grace() / 2, alive=alive) == []
    ended = sweep_and_audit(now=now + closed_grace(), alive=alive)
    assert [(e.user, e.reason) for e in ended] == [("karaganda", "tab_closed")]
    events = [json.loads(line) for line in (env / "audit.log").read_text().splitlines()]
    assert [(e["user"], e["action"], e["detail"]["reason"]) for e in events] == [("karaganda", "session_expired", "tab_closed")]
    assert registry.users() == {"open-tab": "minister"}


def test_a_tab_that_reconnects_within_the_grace_is_not_ended(env: Path, registry) -> None:
    from datetime import UTC, datetime

    from dashboard.official_sessions import closed_grace

    registry.touch("blip", _session("minister", minutes_ago=1))
    now = datetime.now(UTC)
    assert registry.sweep(now=now, idle=timedelta(minutes=30), alive=lambda s: False) == []
    assert registry.sweep(now=now + closed_grace() / 2, idle=timedelta(minutes=30), alive=lambda s: True) == []
    assert registry.sweep(now=now + closed_grace() * 2, idle=timedelta(minutes=30), alive=lambda s: False) == []
    assert registry.users() == {"blip": "minister"}  # the clock restarted when it came back


def test_sweep_keeps_sessions_whose_event_could_not_be_written(env: Path, registry,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    from dashboard.official_sessions import sweep_and_audit
    from data.audit import AuditError

    registry.touch("idle-tab", _session("karaganda", minutes_ago=40))
    blocker = env / "file-not-dir"
    blocker.write_text("")
    monkeypatch.setenv("ENBEK_AUDIT_LOG", str(blocker / "audit.log"))
    with pytest.raises(AuditError):
        sweep_and_audit()
    assert registry.users() == {"idle-tab": "karaganda"}  # tried again on the next sweep
    monkeypatch.setenv("ENBEK_AUDIT_LOG", str(env / "audit.log"))
    assert [e.reason for e in sweep_and_audit()] == ["idle"]
    assert audit_actions(env) == [("karaganda", "session_expired")]
