"""The official app on a PostgreSQL store (ENBEK_STORE=postgresql://…): the enterprise map and the barometer
render from it, and a load plus a re-score made while the app serves show on the next page run."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from data import auth
from data.store import open_store
from tests.app.test_enterprise_map import FAST, MAP_PAGE, data_layer, deck_spec, shown_count, signed_in
from tests.unit.osh.conftest import bins, tiny_country

ROOT = Path(__file__).resolve().parents[2]


def _enbek(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "enbek.cli", *args], capture_output=True, text=True, cwd=ROOT,
                          env={**os.environ, **env}, timeout=300, check=False)


@pytest.mark.slow
def test_official_app_reads_postgres_and_shows_a_load_without_restart(pg_url: str, tmp_path: Path,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    env = {"ENBEK_DATA_DIR": str(tmp_path), "ENBEK_STORE": pg_url, "ENBEK_MODE": "official",
           "ENBEK_AUTH": "password", "ENBEK_MAP_POINT_LIMIT": "10", "ENBEK_PUBLIC_DIR": str(tmp_path / "public")}
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("ENBEK_TILES", raising=False)
    with open_store(pg_url) as store:
        tiny_country(store, n=80)
    done = _enbek("score", env=env)
    assert done.returncode == 0, done.stderr
    auth.add_user(path=tmp_path / "users.toml", username="minister", role="ministry", password="pw-minister-1",
                  hasher=FAST)

    at = signed_in(MAP_PAGE, "minister").run()
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]
    assert shown_count(data_layer(deck_spec(at))) == 80

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

    at.run()
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]
    assert shown_count(data_layer(deck_spec(at))) == 83

    # The barometer of the official app computes its tables from the same store (no published directory).
    from dashboard.i18n import fmt_number, t
    from osh.public import build_public_data

    with open_store(pg_url, read_only=True) as reader:
        expected = build_public_data(reader).indicators
    year = int(expected["year"].max())
    row = expected[(expected["basis"] == "current") & (expected["region"] == "KZ") & (expected["section"] == "ALL")
                   & (expected["year"] == year)].iloc[0]
    home = AppTest.from_file(str(ROOT / "dashboard" / "app.py"), default_timeout=120)
    home.query_params["lang"] = "en"
    home.run()
    assert not home.exception, home.exception
    assert not [e.value for e in home.error], [e.value for e in home.error]
    assert home.title[0].value == t("page.overview", "en")
    assert {m.label: m.value for m in home.metric}[f"{t('ind.injured', 'en')}, {year}"] == fmt_number(row["injured"], "en")
