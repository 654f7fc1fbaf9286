"""Who may use the official app: users file with argon2 hashes, lockout, sessions, behind IdentityProvider."""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import re
import secrets
import tomllib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Literal, Protocol, runtime_checkable

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from data import settings
from data.scope import Scope
from geo.regions import UnknownRegionError, region

Role = Literal["ministry", "akimat", "assessor"]
ROLES: tuple[Role, ...] = ("ministry", "akimat", "assessor")
# An assessor (accredited risk-assessment organisation) may only upload workplace_assessments: it reads no
# enterprise data, so its scope holds no region at all (every scoped read is empty or refused).
NO_REGIONS = frozenset[str]()
Clock = Callable[[], datetime]

# Lower-case names, digits and . _ @ - so an OIDC e-mail claim can be a username too.
USERNAME_PATTERN = re.compile(r"^[a-z0-9][a-z0-9._@-]{1,63}$")
# However active the user, a session ends after this long (idle expiry is ENBEK_SESSION_MINUTES).
MAX_SESSION = timedelta(hours=12)
# Bound on remembered lockout entries, so guessing random usernames cannot grow the file forever.
MAX_LOCKOUT_ENTRIES = 10_000

DEMO_MINISTRY_USER = "demo-ministry"
DEMO_AKIMAT_USER = "demo-akimat-35"
DEMO_AKIMAT_REGION = "35"  # Karaganda
DEMO_CREDENTIALS_FILE = "DEMO_CREDENTIALS.txt"


def utc_now() -> datetime:
    return datetime.now(UTC)


# -- errors ---------------------------------------------------------------------------------------


class AuthError(Exception):
    """A login or session cannot proceed; the message is safe to show to the person logging in."""


class InvalidCredentials(AuthError):
    """Unknown user or wrong password (deliberately the same error for both)."""


class LockedOut(AuthError):
    """Too many failed logins for this username; `until` says when it may try again."""

    def __init__(self, message: str, *, until: datetime) -> None:
        super().__init__(message)
        self.until = until


class AccountDisabled(InvalidCredentials):
    """The account exists but has been disabled by an administrator. At the password form it carries the
    wrong-password message (and is caught as InvalidCredentials), so a correct password reveals nothing
    about a disabled account; lookup() of a live session raises it with its own message."""


class SessionExpired(AuthError):
    """The session was idle too long or reached its maximum age."""


class UsersFileError(ValueError):
    """The users file cannot be read, or an entry in it is invalid (message names file and entry)."""


# -- identities -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Identity:
    """A logged-in official: the ministry sees the country, an akimat its regions only."""

    user: str
    role: Role
    scope: Scope

    def __post_init__(self) -> None:
        if self.role == "ministry" and not self.scope.is_country:
            raise ValueError(f"user {self.user!r}: a ministry identity has the whole-country scope")
        if self.role == "akimat" and (self.scope.is_country or not self.scope.regions):
            raise ValueError(f"user {self.user!r}: an akimat identity needs at least one region")
        if self.role == "assessor" and self.scope.regions != NO_REGIONS:
            raise ValueError(f"user {self.user!r}: an assessor identity reads no enterprise data (empty scope)")
        if self.role not in ROLES:
            raise ValueError(f"user {self.user!r}: role {self.role!r} is not one of {', '.join(ROLES)}")


@runtime_checkable
class IdentityProvider(Protocol):
    """Maps an already-authenticated username to an Identity.

    Both login methods end here: the password form (PasswordProvider.authenticate) and OIDC
    (Streamlit's st.login authenticates, then lookup() maps the e-mail claim to role and regions).
    Pages call dashboard.login.require_identity(), never a provider, so switching method touches no page.
    lookup() runs on every page run so that disabling a user ends their live sessions.
    """

    def lookup(self, *, username: str) -> Identity: ...


@runtime_checkable
class PasswordProvider(IdentityProvider, Protocol):
    """An IdentityProvider that also checks passwords itself (the users-file provider)."""

    def authenticate(self, *, username: str, password: str) -> Identity: ...


# -- the users file ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class UserRecord:
    username: str
    role: Role
    regions: tuple[str, ...]
    password_hash: str  # argon2 PHC string; empty for users who log in only through OIDC
    disabled: bool = False

    def identity(self) -> Identity:
        if self.role == "assessor":
            return Identity(user=self.username, role="assessor", scope=Scope(NO_REGIONS))
        scope = Scope.country() if self.role == "ministry" else Scope.of_regions(self.regions)
        return Identity(user=self.username, role=self.role, scope=scope)


def normalise_username(username: str) -> str:
    return username.strip().lower()


def validate_user(*, username: str, role: str, regions: Iterable[str], where: str = "") -> tuple[Role, tuple[str, ...]]:
    """Check a user's name, role and regions; returns the role and sorted region codes."""
    prefix = f"{where}: " if where else ""
    if not USERNAME_PATTERN.match(username):
        raise UsersFileError(
            f"{prefix}username {username!r} must be 2-64 characters: lower-case letters, digits, '.', '_', '@', '-'"
        )
    codes = tuple(sorted(set(regions)))
    if role == "ministry":
        if codes:
            raise UsersFileError(f"{prefix}user {username!r}: a ministry user sees the whole country; remove regions {list(codes)}")
        return "ministry", ()
    if role == "assessor":
        if codes:
            raise UsersFileError(f"{prefix}user {username!r}: an assessor uploads assessments only and has no regions; remove regions {list(codes)}")
        return "assessor", ()
    if role == "akimat":
        if not codes:
            raise UsersFileError(f"{prefix}user {username!r}: an akimat user needs at least one region code (e.g. 35)")
        for code in codes:
            try:
                region(code)
            except UnknownRegionError as exc:
                raise UsersFileError(f"{prefix}user {username!r}: {exc}") from None
        return "akimat", codes
    raise UsersFileError(f"{prefix}user {username!r}: role {role!r} must be 'ministry', 'akimat' or 'assessor'")


def _toml_str(value: str) -> str:
    # Values are validated names, region codes and argon2 PHC strings: ASCII without quotes or
    # control characters, so a basic TOML string needs no escapes; refuse anything else.
    if not value.isascii() or any(ch in value for ch in '"\\') or any(ord(ch) < 32 for ch in value):
        raise UsersFileError(f"value {value!r} cannot be written to the users file")
    return f'"{value}"'


class UsersFile:
    """The TOML users file: one [[users]] table per user. Written atomically with mode 0600."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._cache: tuple[tuple[int, int], dict[str, UserRecord]] | None = None

    def load(self) -> dict[str, UserRecord]:
        """Users by name; an absent file means no users. Re-read only when the file changes."""
        try:
            stat = self.path.stat()
        except FileNotFoundError:
            return {}
        key = (stat.st_mtime_ns, stat.st_size)
        if self._cache is not None and self._cache[0] == key:
            return dict(self._cache[1])
        try:
            with self.path.open("rb") as fh:
                raw = tomllib.load(fh)
        except tomllib.TOMLDecodeError as exc:
            raise UsersFileError(f"users file {self.path} is not valid TOML: {exc}") from None
        entries = raw.get("users", [])
        if not isinstance(entries, list):
            raise UsersFileError(f"users file {self.path}: 'users' must be an array of tables ([[users]])")
        users: dict[str, UserRecord] = {}
        for number, entry in enumerate(entries, start=1):
            where = f"{self.path} user #{number}"
            if not isinstance(entry, dict):
                raise UsersFileError(f"{where}: expected a table")
            unknown = set(entry) - {"username", "role", "regions", "password_hash", "disabled"}
            if unknown:
                raise UsersFileError(f"{where}: unknown keys {sorted(unknown)}")
            username = entry.get("username")
            if not isinstance(username, str):
                raise UsersFileError(f"{where}: 'username' is missing or not a string")
            regions = entry.get("regions", [])
            if not isinstance(regions, list) or not all(isinstance(r, str) for r in regions):
                raise UsersFileError(f"{where}: 'regions' must be a list of 2-digit strings such as [\"35\"]")
            password_hash = entry.get("password_hash", "")
            disabled = entry.get("disabled", False)
            if not isinstance(password_hash, str) or not isinstance(disabled, bool):
                raise UsersFileError(f"{where}: 'password_hash' must be a string and 'disabled' true/false")
            if password_hash and not password_hash.startswith("$argon2"):
                raise UsersFileError(f"{where}: 'password_hash' is not an argon2 hash; set it with 'enbek user add'")
            role, codes = validate_user(username=username, role=str(entry.get("role")), regions=regions, where=where)
            if username in users:
                raise UsersFileError(f"{where}: username {username!r} appears twice")
            users[username] = UserRecord(username, role, codes, password_hash, disabled)
        self._cache = (key, users)
        return dict(users)

    def save(self, users: Iterable[UserRecord]) -> None:
        lines = ["# Users of the official app. Manage with 'enbek user add|list|disable'; hashes are argon2id.", ""]
        for user in sorted(users, key=lambda u: u.username):
            lines += [
                "[[users]]",
                f"username = {_toml_str(user.username)}",
                f"role = {_toml_str(user.role)}",
                f"regions = [{', '.join(_toml_str(r) for r in user.regions)}]",
                f"password_hash = {_toml_str(user.password_hash)}",
                f"disabled = {'true' if user.disabled else 'false'}",
                "",
            ]
        _write_private(self.path, "\n".join(lines))
        self._cache = None

    def put(self, user: UserRecord) -> None:
        """Add or replace one user (read-modify-write under an exclusive lock)."""
        with _file_lock(self.path):
            users = self.load()
            users[user.username] = user
            self.save(users.values())


def _write_private(path: Path, text: str) -> None:
    """Atomically replace `path` with `text`, readable by the owner only."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()


@contextlib.contextmanager
def _file_lock(path: Path) -> Iterator[None]:
    """An exclusive advisory lock on `path`.lock: serialises writers across processes."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path.with_name(path.name + ".lock"), os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)


# -- lockout ----------------------------------------------------------------------------------------


class LockoutStore:
    """Failed-login counters kept in a JSON file beside the users file.

    A file rather than process memory: restarting the app (or running several app processes over
    one data directory) must not reset the counters, or a restart would be an unlock bypass.
    Unknown usernames are counted too, so lockout behaviour does not reveal which names exist.
    """

    def __init__(self, path: Path, *, attempts: int, minutes: float, clock: Clock = utc_now) -> None:
        if attempts < 1 or minutes <= 0:
            raise ValueError(f"lockout needs attempts >= 1 and minutes > 0, got {attempts} and {minutes}")
        self.path = Path(path)
        self.attempts = attempts
        self.window = timedelta(minutes=minutes)
        self.clock = clock

    def _read(self) -> dict[str, dict[str, str | int]]:
        try:
            raw = json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {}
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            # Fail closed: a corrupted file must not silently unlock everyone.
            raise UsersFileError(f"lockout state {self.path} is corrupted ({exc}); inspect or delete it to reset") from None
        if not isinstance(raw, dict):
            raise UsersFileError(f"lockout state {self.path} must be a JSON object")
        return raw

    def locked_until(self, username: str) -> datetime | None:
        entry = self._read().get(username)
        if not entry or not entry.get("locked_until"):
            return None
        until = datetime.fromisoformat(str(entry["locked_until"]))
        return until if until > self.clock() else None

    def check(self, username: str) -> None:
        until = self.locked_until(username)
        if until is not None:
            raise LockedOut(_locked_message(until), until=until)

    def failure(self, username: str) -> datetime | None:
        """Count one failed login; returns the lock's end if this failure locked the name."""
        now = self.clock()
        with _file_lock(self.path):
            state = self._read()
            entry = state.get(username, {})
            last = entry.get("last_failure")
            failures = int(entry.get("failures", 0))
            if last is None or now - datetime.fromisoformat(str(last)) > self.window:
                failures = 0  # old failures are forgotten after one lockout period
            failures += 1
            entry = {"failures": failures, "last_failure": now.isoformat()}
            until = None
            if failures >= self.attempts:
                until = now + self.window
                entry = {"failures": 0, "last_failure": now.isoformat(), "locked_until": until.isoformat()}
            state[username] = entry
            self._write(state, now=now)
        return until

    def success(self, username: str) -> None:
        with _file_lock(self.path):
            state = self._read()
            if username in state:
                del state[username]
                self._write(state, now=self.clock())

    def _write(self, state: dict[str, dict[str, str | int]], *, now: datetime) -> None:
        def stale(entry: dict[str, str | int]) -> bool:
            latest = max(str(entry.get("last_failure", "")), str(entry.get("locked_until", "")))
            return not latest or datetime.fromisoformat(latest) + self.window < now

        kept = {name: entry for name, entry in state.items() if not stale(entry)}
        if len(kept) > MAX_LOCKOUT_ENTRIES:
            newest = sorted(kept, key=lambda n: str(kept[n].get("last_failure", "")), reverse=True)
            kept = {name: kept[name] for name in newest[:MAX_LOCKOUT_ENTRIES]}
        _write_private(self.path, json.dumps(kept, indent=1, sort_keys=True))


def _locked_message(until: datetime) -> str:
    return f"too many failed logins; try again after {until.strftime('%H:%M')} UTC"


# -- the users-file provider ------------------------------------------------------------------------


_WRONG_PASSWORD = "unknown user or wrong password"


def lockout_path_for(users_path: Path) -> Path:
    return users_path.with_name(users_path.stem + ".lockout.json")


class UsersFileProvider:
    """Password login against the users file (argon2id via argon2-cffi), with persistent lockout."""

    def __init__(
        self,
        path: Path,
        *,
        attempts: int,
        lockout_minutes: float,
        hasher: PasswordHasher | None = None,
        clock: Clock = utc_now,
    ) -> None:
        self.users = UsersFile(path)
        self.hasher = hasher or PasswordHasher()
        self.clock = clock
        self.lockout = LockoutStore(lockout_path_for(Path(path)), attempts=attempts, minutes=lockout_minutes, clock=clock)
        # Verified against for unknown users, so "no such user" costs the same time as a wrong password.
        self._dummy_hash = self.hasher.hash(secrets.token_urlsafe(16))

    def authenticate(self, *, username: str, password: str) -> Identity:
        # No valid name is longer than 64; truncating bounds what an attacker can write into the lockout file.
        name = normalise_username(username)[:64]
        self.lockout.check(name)
        record = self.users.load().get(name)
        stored = record.password_hash if record is not None and record.password_hash else None
        try:
            self.hasher.verify(stored or self._dummy_hash, password)
            ok = stored is not None
        except VerifyMismatchError:
            ok = False
        except (VerificationError, InvalidHashError):
            raise UsersFileError(
                f"users file {self.users.path}: the password hash of {name!r} is unreadable; reset it with 'enbek user add {name}'"
            ) from None
        if not ok or record is None or record.disabled:
            # A disabled account counts as a failure and gets the same message as a wrong password: otherwise a
            # right password would confirm itself ("disabled") to whoever guessed it.
            until = self.lockout.failure(name)
            if until is not None:
                raise LockedOut(_locked_message(until), until=until)
            if record is not None and record.disabled and ok:
                raise AccountDisabled(_WRONG_PASSWORD)
            raise InvalidCredentials(_WRONG_PASSWORD)
        self.lockout.success(name)
        if self.hasher.check_needs_rehash(record.password_hash):
            # Upgrade hashes made with older argon2 parameters; a read-only users file just keeps the old one.
            with contextlib.suppress(OSError):
                self.users.put(replace(record, password_hash=self.hasher.hash(password)))
        return record.identity()

    def lookup(self, *, username: str) -> Identity:
        record = self.users.load().get(normalise_username(username))
        if record is None:
            raise InvalidCredentials(f"user {username!r} is not in the users file")
        if record.disabled:
            raise AccountDisabled(f"account {record.username!r} is disabled; ask an administrator")
        return record.identity()


def default_provider(*, clock: Clock = utc_now) -> UsersFileProvider:
    """The provider configured by ENBEK_USERS_FILE, ENBEK_LOCKOUT_ATTEMPTS and ENBEK_LOCKOUT_MINUTES."""
    return UsersFileProvider(
        settings.get_path("ENBEK_USERS_FILE"),
        attempts=settings.get_int("ENBEK_LOCKOUT_ATTEMPTS"),
        lockout_minutes=settings.get_float("ENBEK_LOCKOUT_MINUTES"),
        clock=clock,
    )


# -- managing users ---------------------------------------------------------------------------------


def add_user(
    *,
    path: Path,
    username: str,
    role: str,
    regions: Iterable[str] = (),
    password: str | None,
    hasher: PasswordHasher | None = None,
) -> UserRecord:
    """Add a user, or replace the role, regions and password of an existing one (re-enabling it).
    password None: an OIDC-only user (ENBEK_AUTH=oidc), who can never log in with a password."""
    name = normalise_username(username)
    checked_role, codes = validate_user(username=name, role=role, regions=regions)
    if password is not None and len(password) < 10:
        raise UsersFileError(f"user {name!r}: the password must have at least 10 characters")
    password_hash = "" if password is None else (hasher or PasswordHasher()).hash(password)
    record = UserRecord(name, checked_role, codes, password_hash, False)
    UsersFile(path).put(record)
    return record


def disable_user(*, path: Path, username: str) -> UserRecord:
    name = normalise_username(username)
    users_file = UsersFile(path)
    with _file_lock(users_file.path):
        users = users_file.load()
        if name not in users:
            raise UsersFileError(f"user {name!r} is not in {path}; known: {', '.join(sorted(users)) or 'none'}")
        users[name] = replace(users[name], disabled=True)
        users_file.save(users.values())
    return users[name]


@dataclass(frozen=True)
class DemoCredentials:
    username: str
    role: Role
    regions: tuple[str, ...]
    password: str


def ensure_demo_users(
    *, path: Path, credentials_path: Path, hasher: PasswordHasher | None = None
) -> list[DemoCredentials]:
    """Create a demo ministry user and a demo akimat user (Karaganda) if the users file has no users.

    Returns the new credentials (also written to `credentials_path`, mode 0600), or [] when the file
    already has users: a deployment with real users never gets demo accounts added.
    """
    users_file = UsersFile(path)
    with _file_lock(users_file.path):
        if users_file.load():
            return []
        hasher = hasher or PasswordHasher()
        created = [
            DemoCredentials(DEMO_MINISTRY_USER, "ministry", (), secrets.token_urlsafe(12)),
            DemoCredentials(DEMO_AKIMAT_USER, "akimat", (DEMO_AKIMAT_REGION,), secrets.token_urlsafe(12)),
        ]
        users_file.save(UserRecord(c.username, c.role, c.regions, hasher.hash(c.password)) for c in created)
    lines = [
        "DEMO ONLY - do not use these accounts with real data. Created by 'enbek user demo'.",
        f"Users file: {path}",
        "",
    ]
    for c in created:
        where = f"region {', '.join(c.regions)}" if c.regions else "whole country"
        lines.append(f"{c.username}  password: {c.password}  role: {c.role} ({where})")
    _write_private(credentials_path, "\n".join(lines) + "\n")
    return created


# -- sessions ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Session:
    identity: Identity
    started_at: datetime
    last_seen: datetime

    def expired(self, *, now: datetime, idle: timedelta, max_age: timedelta = MAX_SESSION) -> bool:
        return now - self.last_seen > idle or now - self.started_at > max_age

    def touched(self, *, now: datetime) -> Session:
        return replace(self, last_seen=now)


def start_session(identity: Identity, *, now: datetime) -> Session:
    return Session(identity=identity, started_at=now, last_seen=now)


def session_idle_limit() -> timedelta:
    minutes = settings.get_float("ENBEK_SESSION_MINUTES")
    if minutes <= 0:
        raise settings.SettingError(f"ENBEK_SESSION_MINUTES={minutes} must be positive")
    return timedelta(minutes=minutes)


def login_method() -> Literal["password", "oidc"]:
    """ENBEK_AUTH: the password form against the users file, or OIDC through Streamlit's st.login."""
    value = settings.get("ENBEK_AUTH")
    if value == "password":
        return "password"
    if value == "oidc":
        return "oidc"
    raise settings.SettingError(f"ENBEK_AUTH={value!r}: expected 'password' or 'oidc'")
