"""`enbek indicators`, `enbek publish`, `enbek score` end to end on small stores."""

from __future__ import annotations

import io
import json
from contextlib import redirect_stdout
from pathlib import Path

import pandas as pd
import pytest

from enbek.cli import main
from tests.unit.osh.conftest import put, tiny_country


def _run(argv: list[str]) -> tuple[int, str]:
    buf = io.StringIO()
    with redirect_stdout(buf):
        code = main(argv)
    return code, buf.getvalue()


@pytest.fixture
def counts_store(tmp_store):
    """Published aggregates only: the Concept's 2022 national counts."""
    put(
        tmp_store,
        "injury_counts",
        pd.DataFrame([{"year": 2022, "region": None, "oked_section": None, "injured": 2449, "fatal": 205, "workers": 5_565_909, "source": "mlsp"}]),
    )
    path = tmp_store.location
    tmp_store.close()
    return path


def test_indicators_from_published_aggregates(counts_store: Path):
    code, out = _run(["indicators", "--year", "2022", "--by", "national", "--store", str(counts_store)])
    assert code == 0
    table = pd.read_csv(io.StringIO(out))
    row = table.iloc[0]
    assert (row["region"], row["section"], row["status"]) == ("KZ", "ALL", "ok")
    assert row["injured"] == 2449
    assert round(row["injury_rate_1000"], 2) == 0.44
    assert round(row["fatal_rate_1000"], 3) == 0.037
    assert round(row["hidden_ratio"], 1) == 10.9


def test_indicators_json_and_unknown_year(counts_store: Path, capsys: pytest.CaptureFixture[str]):
    code, out = _run(["indicators", "--format", "json", "--store", str(counts_store)])
    assert code == 0
    records = json.loads(out)
    assert records[0]["fatal"] == 205
    code, _ = _run(["indicators", "--year", "1999", "--store", str(counts_store)])
    assert code == 2
    assert "no data for year 1999; years in the store: 2022" in capsys.readouterr().err


def test_indicators_region_sector_with_flags(tmp_store):
    tiny_country(tmp_store)
    path = tmp_store.location
    tmp_store.close()
    code, out = _run(["indicators", "--year", "2022", "--by", "region,sector", "--store", str(path)])
    assert code == 0
    table = pd.read_csv(io.StringIO(out), dtype={"region": str})
    assert set(table["region"]) == {"35", "62", "63", "71"}
    assert "ALL" not in set(table["section"])
    assert set(table["status"]) <= {"ok", "confidential", "no_data"}
    assert set(table["series"]) == {"mlsp"}


def test_publish_and_score(tmp_store, tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    tiny_country(tmp_store)
    path = tmp_store.location
    tmp_store.close()
    out_dir = tmp_path / "public"
    code, out = _run(["publish", "--out", str(out_dir), "--store", str(path)])
    assert code == 0
    assert f"public tables written to {out_dir}" in out
    assert {p.name for p in out_dir.iterdir()} == {
        "indicators.parquet",
        "diseases.parquet",
        "targets.parquet",
        "official.parquet",
        "gap.parquet",
        "measures.parquet",
        "meta.json",
        "opendata",  # the open-data bundle (docs/open-data.md; tests/unit/data/test_opendata.py)
        "opendata.zip",
    }
    # the tiny country has no osh_measures reports: the measure table is written empty, and the line says so
    assert "0 OSH-measure rows (0 confidential)" in out
    code, out = _run(["score", "--store", str(path)])
    assert code == 0
    assert out.startswith("scored 300 enterprises for 2022 (window 2018-2022)")
    code, _ = _run(["score", "--store", str(tmp_path / "none.duckdb")])
    assert code == 2
    assert "no store at" in capsys.readouterr().err


def test_indicators_and_publish_by_series(tmp_store, tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    put(
        tmp_store,
        "injury_counts",
        pd.DataFrame(
            [
                {"year": 2022, "region": None, "oked_section": None, "injured": 2449, "fatal": 205, "workers": 5_565_909, "source": "БНС"},
                {"year": 2022, "region": None, "oked_section": None, "injured": 1590, "fatal": 203, "workers": None, "source": "mlsp"},
                {"year": 2021, "region": None, "oked_section": None, "injured": 1465, "fatal": None, "workers": None, "source": "mlsp"},
            ]
        ),
    )
    path = tmp_store.location
    tmp_store.close()
    code, out = _run(["indicators", "--series", "mlsp", "--store", str(path)])
    assert code == 0
    table = pd.read_csv(io.StringIO(out)).set_index("year")
    assert table.loc[2021, "injured"] == 1465
    assert table.loc[2022, "injured"] == 1590
    assert set(table["series"]) == {"mlsp"}
    code, out = _run(["indicators", "--store", str(path)])
    table = pd.read_csv(io.StringIO(out)).set_index("year")
    assert table.loc[2022, "injured"] == 2449  # ENBEK_SERIES (bns) by default
    assert 2021 not in table.index or pd.isna(table.loc[2021, "injured"])
    code, _ = _run(["indicators", "--series", "nope", "--store", str(path)])
    assert code == 2
    assert "series 'nope' has no figures in the store; present: bns, mlsp" in capsys.readouterr().err
    out_dir = tmp_path / "public"
    code, out = _run(["publish", "--out", str(out_dir), "--store", str(path), "--series", "mlsp"])
    assert code == 0
    assert "series bns,mlsp (shown first: mlsp)" in out
    meta = json.loads((out_dir / "meta.json").read_text(encoding="utf-8"))
    assert (meta["series"], meta["default_series"]) == ("bns,mlsp", "mlsp")
