"""The official app keeps serving while `enbek load` and `enbek score` write the embedded store, and shows the new
figures on the next page run without a restart (data.store.writing swaps the file; dashboard caches key on it)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from data import auth
from data.store import open_store, writing
from tests.app.test_enterprise_map import FAST, MAP_PAGE, data_layer, deck_spec, shown_count, signed_in
from tests.unit.osh.conftest import bins, tiny_country

ROOT = Path(__file__).resolve().parents[2]


def _enbek(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "enbek.cli", *args], capture_output=True, text=True, cwd=ROOT,
                          env={**os.environ, **env}, timeout=300, check=False)


def _hex_total(at) -> int:
    """Enterprises the map draws (regions choropleth by default at country scale, hexagons or points otherwise)."""
    return int(shown_count(data_layer(deck_spec(at))))


@pytest.mark.slow
def test_app_shows_a_load_made_while_it_serves(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    store_path = tmp_path / "enbek.duckdb"
    env = {"ENBEK_DATA_DIR": str(tmp_path), "ENBEK_STORE": str(store_path), "ENBEK_MODE": "official",
           "ENBEK_AUTH": "password", "ENBEK_MAP_POINT_LIMIT": "10"}
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("ENBEK_TILES", raising=False)
    with writing(store_path) as store:
        tiny_country(store, n=80)
    done = _enbek("score", env=env)
    assert done.returncode == 0, done.stderr
    auth.add_user(path=tmp_path / "users.toml", username="minister", role="ministry", password="pw-minister-1",
                  hasher=FAST)

    at = signed_in(MAP_PAGE, "minister").run()
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]
    assert _hex_total(at) == 80  # the app now holds the store open (read-only)

    new = pd.DataFrame({"bin": bins(83)[80:], "name": ["New A", "New B", "New C"], "kato": ["351010000"] * 3,
                        "oked": ["07.10"] * 3, "employees": [12, 40, 300], "lat": [49.8, 49.9, 50.0],
                        "lon": [73.1, 73.2, 73.0]})
    csv = tmp_path / "new_enterprises.csv"
    new.to_csv(csv, index=False)
    done = _enbek("load", "enterprises", str(csv), env=env)
    assert done.returncode == 0, done.stderr
    assert "read 3, loaded 3 (replaced 0), rejected 0" in done.stdout
    done = _enbek("score", env=env)
    assert done.returncode == 0, done.stderr
    assert "scored 83 enterprises" in done.stdout

    at.run()  # the next page run of the same session: no restart
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]
    assert _hex_total(at) == 83
    with open_store(store_path, read_only=True) as reader:
        assert reader.count("enterprise_risk") == 83
        assert set(new["bin"]) <= set(reader.read("enterprise_risk", columns=["bin"])["bin"])


def test_register_upload_loads_while_the_pages_hold_the_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from dashboard.uploads import save_and_load
    from data.audit import AuditLog
    from data.auth import Identity
    from data.scope import Scope

    store_path = tmp_path / "enbek.duckdb"
    monkeypatch.setenv("ENBEK_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("ENBEK_STORE", str(store_path))
    monkeypatch.setenv("ENBEK_MODE", "official")
    with writing(store_path) as store:
        tiny_country(store, n=40)
        before = store.count("workplace_assessments")
        bin_ = str(store.read("enterprises", columns=["bin"])["bin"].iloc[0])
    upload = pd.DataFrame({"assessment_id": ["UP-1", "UP-2"], "bin": [bin_, bin_], "workplace": ["welder", "driver"],
                           "assessment_date": ["2022-05-01", "2022-05-02"], "workers": [3, 2],
                           "harmfulness_class": ["3.1", "2"], "danger_class": [3, 2], "equipment_class": [2, 1],
                           "ppe_provision_pct": [80, 100], "morbidity_class": [1, 1], "assessor": ["Lab A", "Lab A"]})
    reader = open_store(store_path, read_only=True)  # what the enterprise pages hold
    try:
        done = save_and_load(identity=Identity("minister", "ministry", Scope.country()), audit=AuditLog(tmp_path / "audit.log"),
                             table="workplace_assessments", name="assessments.csv",
                             data=upload.to_csv(index=False).encode("utf-8"))
        assert (done.report.read, done.report.loaded, done.report.rejected) == (2, 2, 0)
        assert reader.count("workplace_assessments") == before  # the open reader keeps its snapshot
    finally:
        reader.close()
    with open_store(store_path, read_only=True) as fresh:
        assert fresh.count("workplace_assessments") == before + 2
        assert set(fresh.sql("SELECT assessment_id FROM workplace_assessments WHERE assessment_id LIKE 'UP-%'")["assessment_id"]) == {"UP-1", "UP-2"}
