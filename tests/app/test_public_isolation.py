"""The public deployment of the real app (dashboard/app.py) never opens the enterprise store, shows no login
and imports no enterprise-level module; the official deployment, as a control, does open the store."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

# Runs in a fresh interpreter so sys.modules shows what this app run imported, and nothing else.
PROBE = r"""
import json, sys
import duckdb
opened = []
_connect = duckdb.connect
def spy(database=":memory:", *args, **kwargs):
    opened.append(str(database))
    return _connect(database, *args, **kwargs)
duckdb.connect = spy
# a read-only store attaches its file to an in-memory connection (data/store.py), so the store class is watched too
import data.store
_init = data.store.DuckDBStore.__init__
def store_spy(self, path, *args, **kwargs):
    opened.append(str(path))
    return _init(self, path, *args, **kwargs)
data.store.DuckDBStore.__init__ = store_spy
from streamlit.testing.v1 import AppTest
at = AppTest.from_file("dashboard/app.py", default_timeout=120).run()
print(json.dumps({
    "opened": opened,
    "enterprise_modules": sorted(m for m in sys.modules if m in ("osh.enterprises", "osh.risk", "data.loader")),
    "login_form": any(w.label in ("Username", "Пайдаланушы аты", "Имя пользователя") for w in at.sidebar.text_input),
    "errors": [e.value for e in at.error],
    "exceptions": [e.message for e in at.exception],
}))
"""


def run_app(data_dir: Path, mode: str) -> dict:
    env = {**os.environ, "ENBEK_DATA_DIR": str(data_dir), "ENBEK_MODE": mode, "ENBEK_LANG": "en"}
    done = subprocess.run([sys.executable, "-c", PROBE], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    from data.store import open_store

    open_store(tmp_path / "enbek.duckdb").close()  # an enterprise store sits right there on disk
    return tmp_path


def test_public_app_never_opens_the_store(data_dir: Path) -> None:
    result = run_app(data_dir, "public")
    assert not any(path.endswith(".duckdb") for path in result["opened"]), result["opened"]
    assert result["enterprise_modules"] == []
    assert result["login_form"] is False
    assert result["exceptions"] == []
    # with nothing published it says so, pointing at `enbek publish`, instead of falling back to the store
    assert any("enbek publish" in message for message in result["errors"]), result["errors"]


def test_official_app_control_opens_the_store_and_offers_login(data_dir: Path) -> None:
    result = run_app(data_dir, "official")
    assert str(data_dir / "enbek.duckdb") in result["opened"]  # the spy sees store access when it happens
    assert result["login_form"] is True
