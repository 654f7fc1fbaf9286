"""The audit log: one JSON line per event, append-only, hash-chained, private to the app's user."""

from __future__ import annotations

import hashlib
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


def test_deleting_the_last_lines_is_reported_as_trimmed(tmp_path: Path) -> None:
    path = tmp_path / "audit.log"
    log = AuditLog(path)
    for bin_ in ("111111111111", "222222222222", "333333333333"):
        log.record(user="m", action="view_card", object=bin_)
    anchor = json.loads((tmp_path / "audit.log.anchor").read_text())
    assert anchor["lines"] == 3
    assert anchor["rebuilt"] is None
    assert stat.S_IMODE(os.stat(tmp_path / "audit.log.anchor").st_mode) == 0o600
    lines = path.read_text().splitlines(keepends=True)
    path.write_text("".join(lines[:2]))  # the chain of the first two lines is intact
    with pytest.raises(AuditError, match=r"audit\.log was trimmed: the anchor records 3 events, the log holds 2 \(the last 1 removed\)"):
        log.verify()
    path.write_text("")
    with pytest.raises(AuditError, match=r"the anchor records 3 events, the log holds 0 \(the last 3 removed\)"):
        log.verify()
    path.unlink()
    with pytest.raises(AuditError, match=r"the log holds 0"):
        log.verify()


def test_a_trim_stays_visible_after_new_events(tmp_path: Path) -> None:
    path = tmp_path / "audit.log"
    log = AuditLog(path)
    for i in range(3):
        log.record(user="m", action="view_card", object=str(i))
    lines = path.read_text().splitlines(keepends=True)
    path.write_text("".join(lines[:1]))
    log.record(user="m", action="logout")  # the app goes on logging after the trim
    with pytest.raises(AuditError, match=r"trimmed: the anchor records 4 events, the log holds 2"):
        log.verify()
    log.record(user="m", action="login")
    log.record(user="m", action="logout")  # 4 lines now, the anchor expects 6
    with pytest.raises(AuditError, match=r"trimmed: the anchor records 6 events, the log holds 4"):
        log.verify()
    # Forged lines written to make up the count are caught by the anchor's hash of its last line.
    lines = path.read_text().splitlines(keepends=True)
    prev = hashlib.sha256(lines[-1].rstrip("\n").encode()).hexdigest()
    forged = []
    for i in range(2):
        line = json.dumps({"action": "logout", "detail": {}, "object": "", "prev": prev, "ts": f"2026-01-0{i + 1}",
                           "user": "m"}, sort_keys=True, separators=(",", ":"))
        forged.append(line + "\n")
        prev = hashlib.sha256(line.encode()).hexdigest()
    path.write_text("".join(lines) + "".join(forged))
    with pytest.raises(AuditError, match=r"line 6 is not the line the anchor recorded"):
        log.verify()


def test_an_append_whose_anchor_update_was_interrupted_still_verifies(tmp_path: Path) -> None:
    path = tmp_path / "audit.log"
    log = AuditLog(path)
    log.record(user="m", action="login")
    saved = (tmp_path / "audit.log.anchor").read_text()
    log.record(user="m", action="logout")
    (tmp_path / "audit.log.anchor").write_text(saved)  # as if the process died between the two writes
    assert log.verify() == 2


def test_a_missing_anchor_is_reported_and_a_rebuilt_one_says_so(tmp_path: Path) -> None:
    path = tmp_path / "audit.log"
    log = AuditLog(path, clock=fixed_clock)
    log.record(user="m", action="login")
    (tmp_path / "audit.log.anchor").unlink()
    with pytest.raises(AuditError, match=r"anchor .*audit\.log\.anchor is missing, so lines removed from the end cannot be ruled out"):
        log.verify()
    log.record(user="m", action="logout")
    assert log.verify() == 2
    anchor = log.anchor()
    assert anchor is not None
    assert (anchor.lines, anchor.rebuilt, anchor.rebuilt_lines) == (2, "2026-03-01T09:30:15.250+00:00", 1)
    (tmp_path / "audit.log.anchor").write_text("{broken")
    with pytest.raises(AuditError, match=r"audit anchor .* is unreadable"):
        log.verify()


def test_events_are_forwarded_to_syslog(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import socket

    sock_path = tmp_path / "log.sock"
    server = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    server.bind(str(sock_path))
    server.settimeout(5)
    try:
        monkeypatch.setenv("ENBEK_AUDIT_LOG", str(tmp_path / "audit.log"))
        monkeypatch.setenv("ENBEK_AUDIT_SYSLOG", str(sock_path))
        audit_log(clock=fixed_clock).record(user="aki", action="view_card", object="350000000001")
        message = server.recv(65536).decode("utf-8")
    finally:
        server.close()
    # <facility authpriv (10) * 8 + info (6)> then the ident and the audit line as written locally
    assert message.startswith("<86>enbek-audit: {")
    payload = json.loads(message.split("enbek-audit: ", 1)[1].rstrip("\x00"))
    assert (payload["user"], payload["action"], payload["object"]) == ("aki", "view_card", "350000000001")
    assert payload == json.loads((tmp_path / "audit.log").read_text())


def test_forwarding_that_fails_raises(tmp_path: Path) -> None:
    log = AuditLog(tmp_path / "audit.log", syslog=str(tmp_path / "no-such.sock"))
    with pytest.raises(AuditError, match=r"cannot forward the audit event to syslog '.*no-such\.sock' \(ENBEK_AUDIT_SYSLOG\): \[Errno 2\]"):
        log.record(user="m", action="login")
    assert log.verify() == 1  # the local line was written first
    with pytest.raises(AuditError, match=r"ENBEK_AUDIT_SYSLOG='nonsense': expected '' \(off\), 'local', a socket path or HOST:PORT"):
        AuditLog(tmp_path / "audit.log", syslog="nonsense").record(user="m", action="login")
