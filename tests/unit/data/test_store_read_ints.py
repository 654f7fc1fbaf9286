"""Store.read_ints: one integer column of the matching rows as an int64 array (the map's row ids at country scale),
the same values as read() gives, on DuckDB and (with --postgres) on PostgreSQL, where it travels as one value."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from data.store import StoreError


def test_read_ints_gives_the_rows_read_gives(tmp_store) -> None:
    n = 5_000
    rng = np.random.default_rng(3)
    frame = pd.DataFrame({"row_id": np.arange(n, dtype=np.int64) * 7 + 2**40,  # beyond 32 bits: read as int64
                          "region": rng.choice(["35", "55", "75"], n), "degree": rng.choice(["high", "low"], n),
                          "gap": np.where(np.arange(n) % 10 == 0, None, np.arange(n, dtype=float))})
    tmp_store.write_table("t_ids", frame)
    for where in ({}, {"region": "35"}, {"region": ["35", "75"], "degree": ["high"]}, {"region": []}):
        got = tmp_store.read_ints("t_ids", "row_id", where=where)
        want = tmp_store.read("t_ids", columns=["row_id"], where=where)["row_id"].to_numpy(dtype=np.int64)
        assert got.dtype == np.int64
        assert np.array_equal(np.sort(got), np.sort(want)), where
    assert len(tmp_store.read_ints("t_ids", "row_id", where={"region": "35"})) == int((frame["region"] == "35").sum())
    assert len(tmp_store.read_ints("t_ids", "row_id", where={"region": []})) == 0
    with pytest.raises(StoreError, match=r"t_ids\.gap has empty values"):
        tmp_store.read_ints("t_ids", "gap")
    with pytest.raises(StoreError, match="table 'nope' is not in the store"):
        tmp_store.read_ints("nope", "row_id")
