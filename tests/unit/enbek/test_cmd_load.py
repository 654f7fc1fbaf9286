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
    assert f"{csv}: read 2, loaded 1 (replaced 0), rejected 1" in out
    assert "row 3, column bin: BIN must be 12 digits with a valid check digit (value '123')" in out
    assert main(["load", "enterprises", str(csv), "--store", str(store), "--strict"]) == 1
    assert f"{csv}: read 2, loaded 1 (replaced 1), rejected 1" in capsys.readouterr().out
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


def test_header_only_file_says_0_rows(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    store = tmp_path / "s.duckdb"
    csv = tmp_path / "empty.csv"
    csv.write_text("bin;name;kato;oked;employees\n", encoding="utf-8")
    assert main(["load", "enterprises", str(csv), "--store", str(store)]) == 0
    assert capsys.readouterr().out == f"{csv}: 0 rows (the file has a header but no data rows); nothing was loaded\n"
    assert main(["load", "enterprises", str(csv), "--store", str(store), "--strict"]) == 1


def test_load_lists_padded_bins_and_units(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    store = tmp_path / "s.duckdb"
    csv = tmp_path / "ent.csv"
    csv.write_text(f"БИН;Наименование;КАТО;ОКЭД;Численность работников\n{GOOD.lstrip('0')};A;511010000;07.10;5\n", encoding="utf-8")
    assert main(["load", "enterprises", str(csv), "--store", str(store)]) == 0
    out = capsys.readouterr().out
    assert "2 loaded value(s) were stored differently from how they were written:" in out
    assert (f"  row 2, column bin: {GOOD.lstrip('0')!r} stored as {GOOD!r} "
            "(BIN padded with leading zeros to 12 digits (the spreadsheet had dropped them))") in out
    assert "  row 2, column kato: '511010000' stored as '611010000' (retired KATO prefix 51 (South Kazakhstan) stored as 61 (Turkistan))" in out


def _store_with_rows(path: Path) -> None:
    import pandas as pd

    from data.store import DuckDBStore

    n = 3000
    with DuckDBStore(path) as store:
        frame = pd.DataFrame({
            "year": [2000 + i % 50 for i in range(n)], "region": [str(i) for i in range(n)], "oked_section": "A",
            "injured": range(n), "fatal": 1, "workers": 10, "source": [f"s{i}" for i in range(n)],
        })
        store.upsert("injury_counts", frame, key=("year", "region", "oked_section", "source"))


def test_status_check_reads_every_block_and_fails_on_corruption(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import shutil

    good = tmp_path / "good.duckdb"
    _store_with_rows(good)
    assert main(["status", "--store", str(good), "--check"]) == 0
    from data.schemas import SCHEMAS

    expected = f"integrity check: every block of {len(SCHEMAS)} tables and the metadata read without error"
    assert expected in capsys.readouterr().out
    bad = tmp_path / "bad.duckdb"
    shutil.copy(good, bad)
    with bad.open("r+b") as fh:  # the first data block after DuckDB's 12 KiB of headers and 256 KiB metadata block
        fh.seek(12288 + 262144 + 5000)
        fh.write(b"\xde\xad\xbe\xef" * 4)
    assert main(["status", "--store", str(bad)]) == 0  # counts come from metadata: a plain status does not see it
    capsys.readouterr()
    assert main(["status", "--store", str(bad), "--check"]) == 1
    err = capsys.readouterr().err
    assert "CORRUPT: table injury_counts: Corrupt database file: computed checksum" in err
    assert f"store {bad}: 1 table(s) cannot be read in full" in err


def test_load_says_when_a_header_is_in_thousands(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    csv = tmp_path / "emp.csv"
    csv.write_text('Год;Регион;"Численность работников, тыс. человек"\n2022;Карагандинская область;612,3\n', encoding="utf-8")
    assert main(["load", "employment", str(csv), "--store", str(tmp_path / "s.duckdb")]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[:2] == [
        f"{csv}: read 1, loaded 1 (replaced 0), rejected 0",
        "note: column employees: header 'Численность работников, тыс. человек' is in thousands; values were multiplied by 1000",
    ]
