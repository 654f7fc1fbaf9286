"""`enbek user`: add, list, disable and the demo users that `make run` creates on first start."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from data.auth import UsersFile
from enbek.cli import main


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("ENBEK_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("ENBEK_USERS_FILE", raising=False)
    monkeypatch.delenv("ENBEK_MODE", raising=False)
    return tmp_path


def test_add_list_disable(data_dir: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("a long enough password\n"))
    assert main(["user", "add", "Aki", "--role", "akimat", "--region", "35", "--region", "62", "--password-stdin"]) == 0
    assert "user aki: role akimat (35, 62) saved in" in capsys.readouterr().out
    assert UsersFile(data_dir / "users.toml").load()["aki"].regions == ("35", "62")
    assert main(["user", "disable", "aki"]) == 0
    assert main(["user", "list"]) == 0
    listing = capsys.readouterr().out
    assert "aki" in listing
    assert "35,62" in listing
    assert "disabled" in listing
    assert "argon2" not in listing


def test_bad_region_is_refused_before_asking_for_a_password(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["user", "add", "aki", "--role", "akimat", "--region", "99"]) == 2
    assert "unknown region code '99'" in capsys.readouterr().err
    assert not (data_dir / "users.toml").exists()


def test_without_terminal_the_password_must_come_from_stdin(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    assert main(["user", "add", "min", "--role", "ministry"]) == 2
    assert "pipe it in with --password-stdin" in capsys.readouterr().err


def test_demo_prints_credentials_on_first_start_only(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["user", "demo"]) == 0
    first = capsys.readouterr().out
    assert "demo-ministry" in first
    assert "demo-akimat-35" in first
    assert "DEMO_CREDENTIALS.txt" in first
    password = first.split("demo-akimat-35")[1].split("password:")[1].split()[0]
    assert password in (data_dir / "DEMO_CREDENTIALS.txt").read_text()
    assert main(["user", "demo"]) == 0
    second = capsys.readouterr().out
    assert "already has 2 user(s)" in second
    assert password not in second


def test_demo_does_nothing_in_public_mode(data_dir: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("ENBEK_MODE", "public")
    assert main(["user", "demo"]) == 0
    assert "no demo users needed" in capsys.readouterr().out
    assert not (data_dir / "users.toml").exists()


def test_oidc_only_user_needs_no_password(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["user", "add", "aliya@akimat.kz", "--role", "akimat", "--region", "35", "--oidc-only"]) == 0
    assert main(["user", "list"]) == 0
    assert "oidc-only" in capsys.readouterr().out


def test_audit_shows_events_and_fails_on_a_broken_chain(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from data.audit import AuditLog

    log = AuditLog(data_dir / "audit.log")
    log.record(user="aki", action="view_card", object="350000000001")
    log.record(user="min", action="download_list", object="inspection_list", detail={"rows": 40})
    assert main(["user", "audit", "--user", "min"]) == 0
    out = capsys.readouterr().out
    assert "download_list" in out
    assert "rows=40" in out
    assert "350000000001" not in out
    assert "2 events, hash chain intact, none removed from the end" in out
    lines = (data_dir / "audit.log").read_text().splitlines(keepends=True)
    (data_dir / "audit.log").write_text(lines[0].replace("350000000001", "710000000001") + lines[1])
    assert main(["user", "audit"]) == 2
    assert "line 2: hash chain broken" in capsys.readouterr().err


def test_audit_reports_a_trimmed_log(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from data.audit import AuditLog

    log = AuditLog(data_dir / "audit.log")
    for i in range(3):
        log.record(user="aki", action="view_card", object=f"35000000000{i}")
    lines = (data_dir / "audit.log").read_text().splitlines(keepends=True)
    (data_dir / "audit.log").write_text("".join(lines[:2]))
    assert main(["user", "audit"]) == 2
    assert "was trimmed: the anchor records 3 events, the log holds 2 (the last 1 removed)" in capsys.readouterr().err
