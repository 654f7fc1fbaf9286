"""Users file, argon2 password checks, lockout that survives restarts, session expiry, demo users."""

from __future__ import annotations

import json
import os
import stat
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from argon2 import PasswordHasher

from data import auth
from data.auth import (
    AccountDisabled,
    Identity,
    IdentityProvider,
    InvalidCredentials,
    LockedOut,
    PasswordProvider,
    UsersFile,
    UsersFileError,
    UsersFileProvider,
)
from data.scope import Scope

# Cheap argon2 parameters keep the tests fast; production uses argon2-cffi's defaults.
FAST = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
PASSWORD = "correct horse battery"


class FakeClock:
    def __init__(self) -> None:
        self.now = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def users_path(tmp_path: Path) -> Path:
    path = tmp_path / "users.toml"
    auth.add_user(path=path, username="Minister", role="ministry", password=PASSWORD, hasher=FAST)
    auth.add_user(path=path, username="karaganda", role="akimat", regions=["62", "35"], password=PASSWORD, hasher=FAST)
    return path


def provider(path: Path, clock: FakeClock, *, attempts: int = 3, minutes: float = 15) -> UsersFileProvider:
    return UsersFileProvider(path, attempts=attempts, lockout_minutes=minutes, hasher=FAST, clock=clock)


def test_users_file_round_trip_stores_argon2_hashes_not_passwords(users_path: Path) -> None:
    text = users_path.read_text()
    assert PASSWORD not in text
    users = UsersFile(users_path).load()
    assert sorted(users) == ["karaganda", "minister"]  # names are normalised to lower case
    assert users["karaganda"].regions == ("35", "62")
    assert users["karaganda"].password_hash.startswith("$argon2id$")
    assert users["minister"].regions == ()
    assert stat.S_IMODE(os.stat(users_path).st_mode) == 0o600


def test_correct_password_gives_identity_with_scope(users_path: Path, clock: FakeClock) -> None:
    p = provider(users_path, clock)
    assert isinstance(p, PasswordProvider)
    assert isinstance(p, IdentityProvider)
    akimat = p.authenticate(username="Karaganda ", password=PASSWORD)
    assert akimat == Identity(user="karaganda", role="akimat", scope=Scope.of_regions(["35", "62"]))
    assert akimat.scope.allows("35")
    assert not akimat.scope.allows("71")
    minister = p.authenticate(username="minister", password=PASSWORD)
    assert minister.role == "ministry"
    assert minister.scope.is_country


def test_wrong_password_and_unknown_user_give_the_same_error(users_path: Path, clock: FakeClock) -> None:
    p = provider(users_path, clock)
    with pytest.raises(InvalidCredentials, match="unknown user or wrong password") as wrong:
        p.authenticate(username="minister", password="not the password")
    with pytest.raises(InvalidCredentials, match="unknown user or wrong password") as unknown:
        p.authenticate(username="nobody", password="not the password")
    assert str(wrong.value) == str(unknown.value)


def test_unknown_user_still_pays_for_a_hash(users_path: Path, clock: FakeClock) -> None:
    # Constant-time behaviour: with a measurable hashing cost an unknown name must not answer
    # measurably faster than a known one (the dummy hash is verified instead).
    medium = PasswordHasher(time_cost=2, memory_cost=16384, parallelism=1)  # slow enough to measure, quick enough to test
    p = UsersFileProvider(users_path, attempts=1000, lockout_minutes=1, hasher=medium, clock=clock)
    auth.add_user(path=users_path, username="slow", role="ministry", password=PASSWORD, hasher=medium)

    def best(name: str) -> float:
        times = []
        for _ in range(5):  # best of 5: robust to other processes sharing the CPU
            start = time.perf_counter()
            with pytest.raises(InvalidCredentials):
                p.authenticate(username=name, password="wrong password!")
            times.append(time.perf_counter() - start)
        return min(times)

    known, unknown = best("slow"), best("nobody-at-all")
    assert unknown > 0.5 * known, (known, unknown)


def test_lockout_after_attempts_refuses_even_the_right_password(users_path: Path, clock: FakeClock) -> None:
    p = provider(users_path, clock, attempts=3, minutes=15)
    for _ in range(2):
        with pytest.raises(InvalidCredentials):
            p.authenticate(username="karaganda", password="guess")
    with pytest.raises(LockedOut, match="too many failed logins; try again after 09:15 UTC") as locked:
        p.authenticate(username="karaganda", password="guess")
    assert locked.value.until == clock.now + timedelta(minutes=15)
    clock.advance(minutes=14)
    with pytest.raises(LockedOut):
        p.authenticate(username="karaganda", password=PASSWORD)
    # other users are not affected
    assert p.authenticate(username="minister", password=PASSWORD).user == "minister"
    clock.advance(minutes=1, seconds=1)
    assert p.authenticate(username="karaganda", password=PASSWORD).user == "karaganda"


def test_restart_is_not_an_unlock_bypass(users_path: Path, clock: FakeClock) -> None:
    first = provider(users_path, clock, attempts=2)
    for _ in range(2):
        with pytest.raises((InvalidCredentials, LockedOut)):
            first.authenticate(username="karaganda", password="guess")
    restarted = provider(users_path, clock, attempts=2)  # a new process reading the same files
    with pytest.raises(LockedOut):
        restarted.authenticate(username="karaganda", password=PASSWORD)
    assert auth.lockout_path_for(users_path).exists()


def test_unknown_usernames_lock_out_like_real_ones(users_path: Path, clock: FakeClock) -> None:
    p = provider(users_path, clock, attempts=2)
    with pytest.raises(InvalidCredentials):
        p.authenticate(username="ghost", password="x")
    with pytest.raises(LockedOut):
        p.authenticate(username="ghost", password="x")


def test_success_resets_the_failure_count_and_old_failures_expire(users_path: Path, clock: FakeClock) -> None:
    p = provider(users_path, clock, attempts=3, minutes=10)
    for _ in range(2):
        with pytest.raises(InvalidCredentials):
            p.authenticate(username="minister", password="guess")
    p.authenticate(username="minister", password=PASSWORD)
    for _ in range(2):
        with pytest.raises(InvalidCredentials):
            p.authenticate(username="minister", password="guess")
    clock.advance(minutes=11)  # the two failures are older than the window now
    with pytest.raises(InvalidCredentials):
        p.authenticate(username="minister", password="guess")
    with pytest.raises(InvalidCredentials):
        p.authenticate(username="minister", password="guess")
    with pytest.raises(LockedOut):
        p.authenticate(username="minister", password="guess")


def test_corrupted_lockout_state_fails_closed(users_path: Path, clock: FakeClock) -> None:
    auth.lockout_path_for(users_path).write_text("{not json")
    with pytest.raises(UsersFileError, match=r"lockout state .*users\.lockout\.json is corrupted"):
        provider(users_path, clock).authenticate(username="minister", password=PASSWORD)


def test_disabled_user_cannot_log_in_and_live_sessions_end(users_path: Path, clock: FakeClock) -> None:
    p = provider(users_path, clock)
    assert p.lookup(username="karaganda").role == "akimat"
    auth.disable_user(path=users_path, username="karaganda")
    with pytest.raises(InvalidCredentials) as wrong:
        p.authenticate(username="karaganda", password="not the password")
    with pytest.raises(InvalidCredentials) as disabled:
        p.authenticate(username="karaganda", password=PASSWORD)
    # The right password of a disabled account tells the person at the form nothing more than a wrong one.
    assert str(disabled.value) == str(wrong.value) == "unknown user or wrong password"
    with pytest.raises(AccountDisabled, match="account 'karaganda' is disabled"):
        p.lookup(username="karaganda")  # require_identity() calls this on every page run
    with pytest.raises(InvalidCredentials, match="'ghost' is not in the users file"):
        p.lookup(username="ghost")
    with pytest.raises(UsersFileError, match=r"user 'ghost' is not in .*known: karaganda, minister"):
        auth.disable_user(path=users_path, username="ghost")


def test_re_adding_a_user_changes_password_and_re_enables(users_path: Path, clock: FakeClock) -> None:
    auth.disable_user(path=users_path, username="karaganda")
    auth.add_user(path=users_path, username="karaganda", role="akimat", regions=["35"], password="a new password", hasher=FAST)
    p = provider(users_path, clock)
    with pytest.raises(InvalidCredentials):
        p.authenticate(username="karaganda", password=PASSWORD)
    assert p.authenticate(username="karaganda", password="a new password").scope == Scope.of_regions(["35"])


def test_old_hash_parameters_are_upgraded_on_login(users_path: Path, clock: FakeClock) -> None:
    stronger = PasswordHasher(time_cost=2, memory_cost=2048, parallelism=1)
    p = UsersFileProvider(users_path, attempts=3, lockout_minutes=1, hasher=stronger, clock=clock)
    p.authenticate(username="minister", password=PASSWORD)
    new_hash = UsersFile(users_path).load()["minister"].password_hash
    assert "m=2048,t=2" in new_hash
    assert not stronger.check_needs_rehash(new_hash)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"username": "x", "role": "ministry"}, "username 'x' must be 2-64 characters"),
        ({"username": "bad name", "role": "ministry"}, "username 'bad name' must be"),
        ({"username": "boss", "role": "admin"}, "role 'admin' must be 'ministry', 'akimat' or 'assessor'"),
        ({"username": "aki", "role": "akimat"}, "an akimat user needs at least one region code"),
        ({"username": "aki", "role": "akimat", "regions": ["36"]}, "unknown region code '36'"),
        ({"username": "min", "role": "ministry", "regions": ["35"]}, r"whole country; remove regions \['35'\]"),
    ],
)
def test_invalid_users_are_refused(tmp_path: Path, kwargs: dict, message: str) -> None:
    with pytest.raises(UsersFileError, match=message):
        auth.add_user(path=tmp_path / "u.toml", password=PASSWORD, hasher=FAST, **kwargs)
    assert not (tmp_path / "u.toml").exists()


def test_short_password_is_refused(tmp_path: Path) -> None:
    with pytest.raises(UsersFileError, match="at least 10 characters"):
        auth.add_user(path=tmp_path / "u.toml", username="min", role="ministry", password="short", hasher=FAST)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[[users]]\nusername = 'a b'\nrole = 'ministry'\n", r"user #1: username 'a b' must be"),
        ("[[users]]\nusername = 'aki'\nrole = 'akimat'\nregions = ['99']\n", r"user #1: user 'aki': unknown region code '99'"),
        ("[[users]]\nusername = 'aki'\nrole = 'akimat'\nregions = [35]\n", "'regions' must be a list of 2-digit strings"),
        ("[[users]]\nusername = 'min'\nrole = 'ministry'\npassword_hash = 'plaintext'\n", "is not an argon2 hash"),
        ("[[users]]\nusername = 'min'\nrole = 'ministry'\nadmin = true\n", r"unknown keys \['admin'\]"),
        ("[[users]]\nusername = 'min'\nrole = 'ministry'\n[[users]]\nusername = 'min'\nrole = 'ministry'\n", "user #2: username 'min' appears twice"),
        ("users = [", "is not valid TOML"),
    ],
)
def test_invalid_users_file_names_file_and_entry(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "users.toml"
    path.write_text(text)
    with pytest.raises(UsersFileError, match=message) as err:
        UsersFile(path).load()
    assert str(path) in str(err.value)


def test_identity_role_and_scope_must_agree() -> None:
    with pytest.raises(ValueError, match="a ministry identity has the whole-country scope"):
        Identity(user="m", role="ministry", scope=Scope.of_regions(["35"]))
    with pytest.raises(ValueError, match="an akimat identity needs at least one region"):
        Identity(user="a", role="akimat", scope=Scope.country())


def test_sessions_expire_when_idle_or_too_old(clock: FakeClock) -> None:
    identity = Identity(user="m", role="ministry", scope=Scope.country())
    session = auth.start_session(identity, now=clock.now)
    idle = timedelta(minutes=30)
    clock.advance(minutes=29)
    assert not session.expired(now=clock.now, idle=idle)
    session = session.touched(now=clock.now)
    clock.advance(minutes=29)
    assert not session.expired(now=clock.now, idle=idle)  # activity keeps it alive
    clock.advance(minutes=2)
    assert session.expired(now=clock.now, idle=idle)
    busy = auth.start_session(identity, now=clock.now)
    for _ in range(13 * 4):  # active every 15 minutes for 13 hours
        clock.advance(minutes=15)
        if busy.expired(now=clock.now, idle=idle):
            break
        busy = busy.touched(now=clock.now)
    assert clock.now - busy.started_at > auth.MAX_SESSION - timedelta(minutes=15)
    assert busy.expired(now=clock.now, idle=idle)


def test_session_idle_limit_comes_from_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ENBEK_SESSION_MINUTES", "5")
    assert auth.session_idle_limit() == timedelta(minutes=5)
    monkeypatch.setenv("ENBEK_SESSION_MINUTES", "0")
    with pytest.raises(ValueError, match=r"ENBEK_SESSION_MINUTES=0\.0 must be positive"):
        auth.session_idle_limit()


def test_default_provider_reads_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, users_path: Path) -> None:
    monkeypatch.setenv("ENBEK_USERS_FILE", str(users_path))
    monkeypatch.setenv("ENBEK_LOCKOUT_ATTEMPTS", "1")
    monkeypatch.setenv("ENBEK_LOCKOUT_MINUTES", "2")
    p = auth.default_provider()
    assert p.lockout.attempts == 1
    assert p.lockout.window == timedelta(minutes=2)
    with pytest.raises(LockedOut):
        p.authenticate(username="minister", password="guess")


def test_demo_users_are_created_once_with_private_credentials(tmp_path: Path, clock: FakeClock) -> None:
    users, creds = tmp_path / "users.toml", tmp_path / "DEMO_CREDENTIALS.txt"
    created = auth.ensure_demo_users(path=users, credentials_path=creds, hasher=FAST)
    assert [(c.username, c.role, c.regions) for c in created] == [
        ("demo-ministry", "ministry", ()),
        ("demo-akimat-35", "akimat", ("35",)),
    ]
    assert created[0].password != created[1].password
    assert len(created[0].password) >= 16
    text = creds.read_text()
    assert "DEMO ONLY" in text
    assert created[1].password in text
    assert stat.S_IMODE(os.stat(creds).st_mode) == 0o600
    p = provider(users, clock)
    assert p.authenticate(username="demo-akimat-35", password=created[1].password).scope == Scope.of_regions(["35"])
    # second start: nothing new, passwords unchanged
    assert auth.ensure_demo_users(path=users, credentials_path=creds, hasher=FAST) == []
    assert creds.read_text() == text


def test_demo_users_are_not_added_next_to_real_users(users_path: Path, tmp_path: Path) -> None:
    creds = tmp_path / "DEMO_CREDENTIALS.txt"
    assert auth.ensure_demo_users(path=users_path, credentials_path=creds, hasher=FAST) == []
    assert not creds.exists()
    assert sorted(UsersFile(users_path).load()) == ["karaganda", "minister"]


def test_oidc_only_user_has_no_password_login_but_maps_to_a_scope(tmp_path: Path, clock: FakeClock) -> None:
    path = tmp_path / "users.toml"
    auth.add_user(path=path, username="Aliya@Karaganda.gov.kz", role="akimat", regions=["35"], password=None)
    assert UsersFile(path).load()["aliya@karaganda.gov.kz"].password_hash == ""
    p = provider(path, clock)
    assert p.lookup(username="aliya@karaganda.gov.kz").scope == Scope.of_regions(["35"])
    with pytest.raises(InvalidCredentials, match="unknown user or wrong password"):
        p.authenticate(username="aliya@karaganda.gov.kz", password="")


def test_login_method_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ENBEK_AUTH", raising=False)
    assert auth.login_method() == "password"
    monkeypatch.setenv("ENBEK_AUTH", "oidc")
    assert auth.login_method() == "oidc"
    monkeypatch.setenv("ENBEK_AUTH", "ldap")
    with pytest.raises(ValueError, match="ENBEK_AUTH='ldap': expected 'password' or 'oidc'"):
        auth.login_method()


def test_huge_usernames_are_bounded_in_the_lockout_state(users_path: Path, clock: FakeClock) -> None:
    p = provider(users_path, clock)
    with pytest.raises(InvalidCredentials):
        p.authenticate(username="x" * 100_000, password="guess")
    assert auth.lockout_path_for(users_path).stat().st_size < 500


def test_lockout_state_stays_bounded_under_username_spraying(
    users_path: Path, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(auth, "MAX_LOCKOUT_ENTRIES", 5)
    p = provider(users_path, clock, attempts=3)
    for i in range(12):
        clock.advance(seconds=1)
        with pytest.raises(InvalidCredentials):
            p.authenticate(username=f"spray{i:02d}", password="guess")
    kept = json.loads(auth.lockout_path_for(users_path).read_text())
    assert sorted(kept) == [f"spray{i:02d}" for i in range(7, 12)]  # the most recent five
    clock.advance(minutes=16)
    with pytest.raises(InvalidCredentials):
        p.authenticate(username="late", password="guess")
    assert sorted(json.loads(auth.lockout_path_for(users_path).read_text())) == ["late"]  # stale entries pruned
