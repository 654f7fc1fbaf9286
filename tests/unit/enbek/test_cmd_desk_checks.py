"""`enbek desk-checks --region KATO [--format csv|json]`: the same list osh.desk_checks gives, audited, and
clear errors for a bad region or a missing store."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pandas as pd
import pytest

from data.scope import Scope
from enbek.cli import main
from osh import desk_checks as dc
from tests.unit.osh.test_desk_checks import B, store  # noqa: F401 - the hand-built store fixture


@pytest.fixture
def closed(store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:  # noqa: F811
    """The hand-built store, closed so the command can open it read-only; the stale rule is switched off
    (it needs a full scoring of the year before, which the hand-built store cannot give)."""
    monkeypatch.delenv("ENBEK_MODE", raising=False)
    want = dc.desk_list(store, scope=Scope.country(), region="35", lang="en", config=_cfg(tmp_path, monkeypatch))
    path = Path(store.path)
    store.close()
    (tmp_path / "want.json").write_text(want.to_json(orient="records", force_ascii=False), encoding="utf-8")
    return path


def _cfg(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dc.DeskCheckConfig:
    text = Path(dc.__file__).with_name("desk_checks.toml").read_text(encoding="utf-8")
    start = text.index("[rules.stale_inspection_rising_degree]")
    path = tmp_path / "rules.toml"
    path.write_text(text[:start] + text[start:].replace("enabled = true", "enabled = false", 1), encoding="utf-8")
    monkeypatch.setenv("ENBEK_DESK_CHECKS", str(path))
    return dc.load_config(path=path)


def test_json_to_stdout_is_the_osh_list_and_is_audited(closed: Path, tmp_path: Path,
                                                        capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    assert main(["desk-checks", "--region", "351010000", "--format", "json", "--store", str(closed)]) == 0
    rows = json.loads(capsysbinary.readouterr().out.decode("utf-8"))
    want = json.loads((tmp_path / "want.json").read_text(encoding="utf-8"))
    assert [r["bin"] for r in rows] == [r["bin"] for r in want]
    assert rows[0]["bin"] == B[0]
    assert rows[0]["priority"] == 7.0
    assert rows[0]["evidence"].startswith("Workers in harmful conditions, no risk assessment: 10 workers")
    events = [json.loads(line) for line in (tmp_path / "audit.log").read_text().splitlines()]
    assert (events[-1]["action"], events[-1]["object"]) == ("download_list", "desk_checks_35.json")
    assert events[-1]["detail"]["rows"] == len(want)


def test_csv_to_a_file_in_russian(closed: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "list.csv"
    assert main(["desk-checks", "--region", "35", "--lang", "ru", "--store", str(closed), "--out", str(out)]) == 0
    frame = pd.read_csv(io.BytesIO(out.read_bytes()), encoding="utf-8-sig", dtype={"bin": str, "kato": str})
    assert tuple(frame.columns) == dc.LIST_COLUMNS
    assert frame["evidence"].iloc[0].startswith("Есть работники во вредных условиях")
    assert "enterprises flagged in 35" in capsys.readouterr().err


def test_errors(closed: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["desk-checks", "--region", "99", "--store", str(closed)]) == 2
    assert "--region '99'" in capsys.readouterr().err
    assert main(["desk-checks", "--region", "35", "--store", str(tmp_path / "none.duckdb")]) == 2
    assert "no store at" in capsys.readouterr().err
