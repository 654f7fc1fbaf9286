"""The audit log: one JSON line per event, append-only, hash-chained, private to the app's user."""

from __future__ import annotations

import json
import os
import stat
from datetime import UTC, datetime
from pathlib import Path

import pytest

from data.audit import GENESIS, AuditError, AuditLog, audit_log


def fixed_clock() -> datetime:
    return datetime(2026, 3, 1, 9, 30, 15, 250000, tzinfo=UTC)


def test_records_who_did_what_to_which_object_and_when(tmp_path: Path) -> None:
    log = AuditLog(tmp_path / "audit.log", clock=fixed_clock)
    log.record(user="demo-akimat-35", action="view_card", object="123456789012")
    log.record(user="demo-akimat-35", action="download_list", object="inspection_list", detail={"region": "35", "rows": 40})
    lines = (tmp_path / "audit.log").read_text().splitlines()
    assert len(lines) == 2
    first = json.loads(lines[0])
    assert first == {
        "ts": "2026-03-01T09:30:15.250+00:00",
        "user": "demo-akimat-35",
        "action": "view_card",
        "object": "123456789012",
        "detail": {},
        "prev": GENESIS,
    }
    events = list(log.events())
    assert [(e.action, e.object) for e in events] == [("view_card", "123456789012"), ("download_list", "inspection_list")]
    assert events[1].detail == {"region": "35", "rows": 40}
    assert stat.S_IMODE(os.stat(tmp_path / "audit.log").st_mode) == 0o600


def test_appends_across_instances_and_never_truncates(tmp_path: Path) -> None:
    path = tmp_path / "sub" / "audit.log"
    AuditLog(path).record(user="a", action="login")
    AuditLog(path).record(user="b", action="search", object="Karaganda")  # e.g. after an app restart
    assert [e.user for e in AuditLog(path).events()] == ["a", "b"]
    assert AuditLog(path).verify() == 2


def test_unicode_search_text_is_kept_readable(tmp_path: Path) -> None:
    log = AuditLog(tmp_path / "audit.log")
    log.record(user="m", action="search", object="Қарағанды көмір")
    assert "Қарағанды көмір" in (tmp_path / "audit.log").read_text(encoding="utf-8")


def test_unknown_action_is_refused(tmp_path: Path) -> None:
    with pytest.raises(AuditError, match="unknown audit action 'delete_card'"):
        AuditLog(tmp_path / "audit.log").record(user="m", action="delete_card", object="1")
    assert not (tmp_path / "audit.log").exists()


def test_editing_a_line_breaks_the_chain(tmp_path: Path) -> None:
    path = tmp_path / "audit.log"
    log = AuditLog(path)
    for bin_ in ("111111111111", "222222222222", "333333333333"):
        log.record(user="m", action="view_card", object=bin_)
    assert log.verify() == 3
    lines = path.read_text().splitlines(keepends=True)
    path.write_text(lines[0] + lines[1].replace("222222222222", "999999999999") + lines[2])
    with pytest.raises(AuditError, match="line 3: hash chain broken"):
        log.verify()
    path.write_text(lines[0] + lines[2])  # a line deleted
    with pytest.raises(AuditError, match="line 2: hash chain broken"):
        log.verify()


def test_unwritable_log_raises_so_data_is_not_shown_unlogged(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("")
    with pytest.raises(AuditError, match=r"cannot open audit log .*not-a-dir/audit\.log \(ENBEK_AUDIT_LOG\)"):
        AuditLog(blocker / "audit.log").record(user="m", action="view_card", object="1")


def test_non_json_detail_is_refused(tmp_path: Path) -> None:
    with pytest.raises(AuditError, match="detail for search is not JSON-serialisable"):
        AuditLog(tmp_path / "audit.log").record(user="m", action="search", detail={"when": datetime.now(UTC)})


def test_audit_log_follows_the_setting(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ENBEK_AUDIT_LOG", str(tmp_path / "elsewhere.log"))
    audit_log().record(user="m", action="logout")
    assert json.loads((tmp_path / "elsewhere.log").read_text())["action"] == "logout"


def test_concurrent_writers_keep_every_line_and_the_chain(tmp_path: Path) -> None:
    from concurrent.futures import ThreadPoolExecutor

    path = tmp_path / "audit.log"

    def write(worker: int) -> None:
        log = AuditLog(path)  # one instance per writer, like separate app processes
        for i in range(25):
            log.record(user=f"user{worker}", action="view_card", object=f"{worker:02d}{i:010d}")

    with ThreadPoolExecutor(max_workers=4) as pool:
        list(pool.map(write, range(4)))
    assert AuditLog(path).verify() == 100
    objects = [e.object for e in AuditLog(path).events()]
    assert sorted(objects) == sorted(f"{w:02d}{i:010d}" for w in range(4) for i in range(25))


def test_long_objects_are_cut_and_huge_events_refused(tmp_path: Path) -> None:
    log = AuditLog(tmp_path / "audit.log")
    event = log.record(user="m", action="search", object="x" * 10_000)
    assert len(event.object) == 256
    with pytest.raises(AuditError, match=r"audit event for download_list is \d+ bytes; the limit is 16384"):
        log.record(user="m", action="download_list", detail={"filters": "y" * 20_000})
    assert log.verify() == 1
