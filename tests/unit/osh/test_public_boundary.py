"""The public/official boundary end to end: what `enbek publish` writes holds no enterprise identifiers in any
cell, and a public-mode process can read it while it cannot open the store."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from data.store import StoreError, open_store
from osh import public
from osh.enterprises import compute_and_store_risk


@pytest.fixture
def published(country, tmp_path: Path) -> tuple[Path, pd.DataFrame]:
    store, ent = country
    compute_and_store_risk(store)  # the store also holds the enterprise_risk table the public must never see
    out = tmp_path / "published"
    public.write_public_data(public.build_public_data(store), out_dir=out)
    return out, ent


def test_published_files_hold_no_identifier_in_any_cell(
    published, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out, ent = published
    assert sorted(p.name for p in out.iterdir()) == sorted([*(f"{n}.parquet" for n in public.TABLES), "meta.json"])
    bins, names = set(ent["bin"]), set(ent["name"])
    data = public.read_public_data(directory=out)
    for table in public.TABLES:
        frame: pd.DataFrame = getattr(data, table)
        assert not public.FORBIDDEN_COLUMNS & set(frame.columns), table
        for column in frame.columns:
            cells = set(frame[column].dropna().astype(str))
            assert not cells & bins, f"{table}.{column} holds a BIN"
            assert not cells & names, f"{table}.{column} holds an enterprise name"
    assert not set(map(str, data.meta.values())) & (bins | names)
    raw = b"".join(p.read_bytes() for p in out.iterdir())
    assert not any(b.encode() in raw for b in bins)

    # ... and it is all a public-mode process needs: it reads the directory, while the store stays closed.
    monkeypatch.setenv("ENBEK_MODE", "public")
    monkeypatch.setenv("ENBEK_PUBLIC_DIR", str(out))
    data = public.read_public_data(directory=out)
    assert len(data.indicators) > 0
    assert set(data.indicators["status"]) <= {"ok", "confidential", "no_data", "not_existing"}
    with pytest.raises(StoreError, match="ENBEK_MODE=public"):
        open_store(tmp_path / "enbek.duckdb", read_only=True)
