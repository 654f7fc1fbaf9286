"""The assessor role: an accredited organisation that uploads workplace_assessments and reads no enterprise data."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from argon2 import PasswordHasher

from data import auth
from data.audit import ACTIONS
from data.auth import Identity, UsersFileError, validate_user
from data.scope import Scope, ScopeError

FAST = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)


def test_assessor_has_an_empty_scope_that_allows_no_region() -> None:
    record = auth.UserRecord("ktb-lab", "assessor", (), "")
    identity = record.identity()
    assert identity.role == "assessor"
    assert identity.scope.regions == frozenset()
    assert not identity.scope.is_country
    assert not identity.scope.allows("35")
    with pytest.raises(ScopeError, match=r"regions 35 are outside this user's scope"):
        identity.scope.narrow(["35"])


def test_assessor_identity_cannot_carry_a_region_or_the_country() -> None:
    with pytest.raises(ValueError, match=r"an assessor identity reads no enterprise data \(empty scope\)"):
        Identity(user="x", role="assessor", scope=Scope.country())
    with pytest.raises(ValueError, match=r"an akimat identity needs at least one region"):
        Identity(user="x", role="akimat", scope=Scope(frozenset()))


def test_users_file_accepts_assessors_without_regions(tmp_path: Path) -> None:
    assert validate_user(username="ktb-lab", role="assessor", regions=[]) == ("assessor", ())
    with pytest.raises(UsersFileError, match=r"an assessor uploads assessments only and has no regions; remove regions \['35'\]"):
        validate_user(username="ktb-lab", role="assessor", regions=["35"])
    path = tmp_path / "users.toml"
    auth.add_user(path=path, username="ktb-lab", role="assessor", password="pw-assessor-1", hasher=FAST)
    provider = auth.UsersFileProvider(path, attempts=5, lockout_minutes=15, hasher=FAST)
    assert provider.authenticate(username="ktb-lab", password="pw-assessor-1").role == "assessor"
    assert "upload" in ACTIONS


def test_cli_adds_an_assessor(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    from enbek.cli import main

    monkeypatch.setenv("ENBEK_DATA_DIR", str(tmp_path))
    monkeypatch.setattr("sys.stdin", io.StringIO("pw-assessor-1\n"))
    assert main(["user", "add", "ktb-lab", "--role", "assessor", "--password-stdin"]) == 0
    assert "user ktb-lab: role assessor" in capsys.readouterr().out
    assert auth.UsersFile(tmp_path / "users.toml").load()["ktb-lab"].role == "assessor"
