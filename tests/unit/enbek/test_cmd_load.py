"""`enbek load` and `enbek status` as a user meets them: counts printed, exit codes, messages."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from data.codes import make_bin
from enbek.cli import main

GOOD = make_bin("05010140001") or ""


def test_load_prints_reconciled_counts_and_status_shows_rows(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    store = tmp_path / "s.duckdb"
    csv = tmp_path / "ent.csv"
    csv.write_text(f"bin;name;kato;oked;employees\n{GOOD};A;351010000;07.10;5\n123;B;351010000;07.10;5\n", encoding="utf-8")
    assert main(["load", "enterprises", str(csv), "--store", str(store)]) == 0
    out = capsys.readouterr().out
    assert f"{csv}: read 2, loaded 1, rejected 1" in out
    assert "row 3, column bin: BIN must be 12 digits with a valid check digit (value '123')" in out
    assert main(["load", "enterprises", str(csv), "--store", str(store), "--strict"]) == 1
    capsys.readouterr()
    assert main(["status", "--store", str(store)]) == 0
    status = capsys.readouterr().out
    assert re.search(r"^  enterprises\s+1  input$", status, re.M)
    assert "rejects reports: 1" in status


def test_unreadable_file_exits_2_and_names_it(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    csv = tmp_path / "acc.csv"
    csv.write_text("bin,date\n1,2\n", encoding="utf-8")
    assert main(["load", "accidents", str(csv), "--store", str(tmp_path / "s.duckdb")]) == 2
    err = capsys.readouterr().err
    assert f"enbek load: {csv}: missing required column(s) accident_id, kato, oked, injured, fatal" in err
    assert "(nothing was loaded)" in err


def test_status_without_store(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["status", "--store", str(tmp_path / "none.duckdb")]) == 2
    assert "no store at" in capsys.readouterr().err
