"""The public deployment never opens the enterprise-level store, however it is misconfigured."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from data.store import StoreError, open_store

ROOT = Path(__file__).resolve().parents[3]


def test_open_store_refuses_in_public_mode(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    store_file = tmp_path / "enbek.duckdb"
    open_store(store_file).close()  # the store exists and is openable in official mode
    monkeypatch.setenv("ENBEK_MODE", "public")
    monkeypatch.setenv("ENBEK_PUBLIC_DIR", str(tmp_path / "published"))
    for kwargs in ({}, {"read_only": True}):
        with pytest.raises(StoreError, match=r"ENBEK_MODE=public: the public app never opens the enterprise store.*published"):
            open_store(store_file, **kwargs)
    monkeypatch.setenv("ENBEK_STORE", str(store_file))
    with pytest.raises(StoreError, match="ENBEK_MODE=public"):
        open_store()


def test_unknown_mode_is_refused_not_treated_as_official(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("ENBEK_MODE", "Public ")
    with pytest.raises(ValueError, match="ENBEK_MODE='Public ': expected 'official' or 'public'"):
        open_store(tmp_path / "enbek.duckdb")
    assert not (tmp_path / "enbek.duckdb").exists()


def test_cli_in_public_mode_fails_loudly(tmp_path: Path) -> None:
    env = {**os.environ, "ENBEK_MODE": "public", "ENBEK_DATA_DIR": str(tmp_path)}
    code = "from data.store import open_store; open_store()"
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode != 0
    assert "StoreError: ENBEK_MODE=public: the public app never opens the enterprise store" in done.stderr
    assert not (tmp_path / "enbek.duckdb").exists()
