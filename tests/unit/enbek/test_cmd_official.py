"""`enbek load-official`: the published dataset into a new or existing store, through the loader."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from data import published


def test_cli_loads_into_a_new_store(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                    monkeypatch: pytest.MonkeyPatch) -> None:
    from data.store import open_store
    from enbek.cli import main

    monkeypatch.setenv("ENBEK_DATA_DIR", str(tmp_path))
    store = tmp_path / "new" / "real.duckdb"
    code = main(["load-official", "--store", str(store)])
    out = capsys.readouterr().out
    assert code == 0, out
    n = len(published.read_table("injury_counts"))
    assert f"injury_counts: read {n}, loaded {n} (replaced 0), rejected 0" in out
    assert "disease_counts: read 6, loaded 6 (replaced 0), rejected 0" in out
    assert "labelled dataset=real" in out
    assert "sources.csv" in out
    with open_store(store, read_only=True) as built:
        assert built.get_meta("dataset") == "real"
        assert built.count("employment") == 1
    code = main(["load-official", "--store", str(tmp_path / "m.duckdb"), "--series", "МТСЗН"])
    out = capsys.readouterr().out
    assert code == 0
    m = sum(1 for s in published.read_table("injury_counts")["source"] if s == "mlsp")
    assert f"injury_counts: read {m}, loaded {m} (replaced 0), rejected 0" in out
    assert "disease_counts: read 0, loaded 0 (replaced 0), rejected 0" in out


def test_cli_reports_a_broken_dataset(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                      monkeypatch: pytest.MonkeyPatch) -> None:
    from enbek.cli import main

    broken = tmp_path / "published"
    shutil.copytree(published.PUBLISHED_DIR, broken)
    (broken / "disease_counts.csv").unlink()
    monkeypatch.setattr(published, "PUBLISHED_DIR", broken)
    monkeypatch.setenv("ENBEK_DATA_DIR", str(tmp_path))
    code = main(["load-official", "--store", str(tmp_path / "x.duckdb")])
    err = capsys.readouterr().err
    assert code == 2
    assert "enbek load-official:" in err
    assert "disease_counts.csv: file not found" in err
    assert "the published dataset is broken" in err
