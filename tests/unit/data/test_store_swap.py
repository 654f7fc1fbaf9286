"""Loads while the app reads the embedded store: writes go to a copy of the DuckDB file that replaces it at the
end (data.store.writing), so a reader that holds the file open is never refused and keeps its snapshot."""

from __future__ import annotations

import fcntl
import hashlib
import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from data.loader import load_frame
from data.store import DuckDBStore, StoreError, open_store, store_stamp, writing
from tests.unit.data.test_loader import BINS, enterprises_frame

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture
def built(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A DuckDB store with two enterprises, written the way the commands write."""
    monkeypatch.setenv("ENBEK_DATA_DIR", str(tmp_path))
    path = tmp_path / "enbek.duckdb"
    monkeypatch.setenv("ENBEK_STORE", str(path))
    with writing(path) as store:
        assert load_frame(store, "enterprises", enterprises_frame(2), source="setup").loaded == 2
    return path


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _enbek(*args: str, env_path: Path) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, ENBEK_DATA_DIR=str(env_path.parent), ENBEK_STORE=str(env_path), ENBEK_MODE="official")
    return subprocess.run([sys.executable, "-m", "enbek.cli", *args], capture_output=True, text=True, cwd=ROOT,
                          env=env, timeout=300, check=False)


def test_load_in_another_process_succeeds_while_a_reader_holds_the_store(built: Path, tmp_path: Path) -> None:
    reader = open_store(built, read_only=True)  # what the official app keeps open
    try:
        old_version = reader.version
        csv = tmp_path / "more.csv"
        frame = enterprises_frame(5)
        frame["employees"] = [7, 7, 7, 7, 7]
        frame.to_csv(csv, index=False)
        done = _enbek("load", "enterprises", str(csv), env_path=built)
        assert done.returncode == 0, done.stderr
        assert "read 5, loaded 5 (replaced 2), rejected 0" in done.stdout
        assert "Conflicting lock" not in done.stderr
        # The reader that was open keeps its snapshot: two enterprises, the old sizes, the old version.
        assert reader.count("enterprises") == 2
        assert sorted(reader.read("enterprises")["employees"]) == [10, 20]
        assert reader.version == old_version
        # A reader opened now, in the same process, sees the new file (not DuckDB's cached old instance).
        fresh = open_store(built, read_only=True)
        try:
            assert fresh.count("enterprises") == 5
            got = fresh.read("enterprises").set_index("bin")["employees"]
            assert got.loc[BINS[0]] == 7
            assert got.loc[BINS[4]] == 7
            assert fresh.version != old_version
        finally:
            fresh.close()
    finally:
        reader.close()
    leftovers = sorted(p.name for p in tmp_path.iterdir() if p.name.endswith((".writing", ".writing.wal")))
    assert leftovers == []


def test_score_runs_while_a_reader_holds_the_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from tests.unit.osh.conftest import tiny_country

    monkeypatch.setenv("ENBEK_DATA_DIR", str(tmp_path))
    path = tmp_path / "enbek.duckdb"
    with writing(path) as store:
        tiny_country(store, n=60)
    reader = open_store(path, read_only=True)
    try:
        assert not reader.has_table("enterprise_risk")
        done = _enbek("score", "--store", str(path), env_path=path)
        assert done.returncode == 0, done.stderr
        assert "scored 60 enterprises" in done.stdout
        assert not reader.has_table("enterprise_risk")
    finally:
        reader.close()
    with open_store(path, read_only=True) as after:
        assert after.count("enterprise_risk") == 60
        assert after.read("enterprise_risk", columns=["row_id"])["row_id"].sort_values().tolist() == list(range(60))


def test_a_failed_write_leaves_the_store_byte_for_byte_unchanged(built: Path, tmp_path: Path) -> None:
    before = _digest(built)
    stamp = store_stamp(built)
    counted: list[int] = []

    def failing_load() -> None:
        with writing(built) as store:
            load_frame(store, "enterprises", enterprises_frame(6), source="partial")
            counted.append(store.count("enterprises"))
            raise RuntimeError("validation blew up")

    with pytest.raises(RuntimeError, match="validation blew up"):
        failing_load()
    assert counted == [6]  # the copy had the rows ...
    assert _digest(built) == before  # ... the store never saw them
    assert store_stamp(built) == stamp
    assert [p.name for p in tmp_path.iterdir() if ".writing" in p.name] == []


def test_a_write_keeps_the_file_mode_and_changes_the_stamp(built: Path) -> None:
    built.chmod(0o640)
    stamp = store_stamp(built)
    with writing(built) as store:
        store.set_meta("data_as_of", "2024-12-31")
    assert built.stat().st_mode & 0o777 == 0o640
    assert store_stamp(built) != stamp
    with open_store(built, read_only=True) as reader:
        assert reader.get_meta("data_as_of") == "2024-12-31"


def test_fresh_starts_from_an_empty_store(built: Path) -> None:
    with writing(built, fresh=True) as store:
        assert store.count("enterprises") == 0
        load_frame(store, "enterprises", enterprises_frame(1), source="one")
    with open_store(built, read_only=True) as reader:
        assert reader.read("enterprises")["bin"].tolist() == [BINS[0]]


def test_a_second_writer_waits_for_the_first_and_says_so(built: Path) -> None:
    lock = built.with_name(f".{built.name}.write-lock")
    with open(lock, "a+b") as handle:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX)  # another `enbek load` in progress
        with pytest.raises(StoreError, match=r"another write to .*enbek\.duckdb is still running"), \
                writing(built, lock_timeout=0.4):
            pass
        fcntl.flock(handle.fileno(), fcntl.LOCK_UN)
    with writing(built, lock_timeout=0.4) as store:
        assert store.count("enterprises") == 2


def test_writes_after_each_other_all_arrive(built: Path) -> None:
    for n in (3, 4):
        with writing(built) as store:
            load_frame(store, "enterprises", enterprises_frame(n), source=f"batch {n}")
    with open_store(built, read_only=True) as reader:
        assert reader.count("enterprises") == 4


def test_read_only_store_refuses_writes_and_reports_a_missing_file(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match=r"store .*nope\.duckdb does not exist; build it with 'enbek build-demo'"):
        DuckDBStore(tmp_path / "nope.duckdb", read_only=True)
    path = tmp_path / "s.duckdb"
    with writing(path):
        pass
    with open_store(path, read_only=True) as reader, pytest.raises(StoreError, match="is open read-only"):
        reader.upsert("enterprises", enterprises_frame(1), key=["bin"])


def test_reader_tables_and_counts_match_the_writer(built: Path) -> None:
    with open_store(built, read_only=True) as reader:
        assert "enterprises" in reader.tables()
        assert reader.has_table("enterprises")
        assert not reader.has_table("enterprise_risk")
        frame = reader.sql("SELECT bin FROM enterprises WHERE employees > ? ORDER BY bin", [15])
        pd.testing.assert_series_equal(frame["bin"], pd.Series([BINS[1]], name="bin"), check_dtype=False)
