"""PostgresStore.sql reads a SELECT's rows by COPY … CSV parsed by Arrow (data/pg.py, for the 400 000-row reads):
it must give exactly what the row-by-row path gives, for the values CSV could blur (NULL against '', text that
looks like a NULL marker, quotes, newlines, floats in full precision, dates, booleans, repeated column names),
and fall back to the row path for types it does not read that way and for statements that are not one SELECT."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import data.pg as pgmod
from data.pg import PostgresStore

TRICKY = """SELECT * FROM (VALUES
    (1, 'plain', 0.1::float8, DATE '2024-02-29', TRUE, 'x'),
    (2, '', 1e-300::float8, NULL::date, FALSE, 'x'),
    (3, NULL, 2.0::float8 / 3, DATE '1999-12-31', NULL::boolean, 'y'),
    (4, 'NA', 'NaN'::float8, DATE '2024-01-01', TRUE, 'y'),
    (5, 'null', 123456789.123456789::float8, DATE '2024-01-02', FALSE, 'z'),
    (6, 'say "hi", bye', -0.0::float8, DATE '2024-01-03', TRUE, 'z'),
    (7, E'two\\nlines', NULL::float8, DATE '2024-01-04', TRUE, 'z'),
    (8, 'Қауіпсіз еңбек', 3.0::numeric / 7, DATE '2024-01-05', TRUE, 'z')
) AS t(id, txt, x, d, flag, id2) WHERE id >= ? ORDER BY id"""


@pytest.fixture
def pg(pg_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[PostgresStore]:
    monkeypatch.setenv("ENBEK_DATA_DIR", str(tmp_path))
    store = PostgresStore(pg_url)
    yield store
    store.close()


def _row_path(store: PostgresStore, query: str, params: list[object], monkeypatch: pytest.MonkeyPatch) -> pd.DataFrame:
    with monkeypatch.context() as m:
        m.setattr(pgmod, "_copyable", lambda description: False)
        return store.sql(query, params)


def test_copy_read_gives_what_the_row_path_gives(pg: PostgresStore, monkeypatch: pytest.MonkeyPatch) -> None:
    copied = pg.sql(TRICKY, [1])
    pd.testing.assert_frame_equal(copied, _row_path(pg, TRICKY, [1], monkeypatch))
    texts = copied["txt"].tolist()
    assert texts[:2] == ["plain", ""]  # '' stays text, NULL below is missing
    assert texts[2] is None or pd.isna(texts[2])
    assert texts[3:] == ["NA", "null", 'say "hi", bye', "two\nlines", "Қауіпсіз еңбек"]
    assert copied["x"].iloc[1] == 1e-300
    assert copied["x"].iloc[2] == 2.0 / 3
    assert copied["x"].iloc[4] == 123456789.123456789
    assert np.isnan(copied["x"].iloc[3])
    assert np.isnan(copied["x"].iloc[6])
    assert copied["d"].iloc[0] == pd.Timestamp("2024-02-29")
    assert copied["id"].dtype == np.int64


def test_copy_read_keeps_repeated_names_and_empty_results(pg: PostgresStore, monkeypatch: pytest.MonkeyPatch) -> None:
    twice = "SELECT 1 AS a, 'x' AS a, 2.5::float8 AS b WHERE ? = 1"
    got = pg.sql(twice, [1])
    assert list(got.columns) == ["a", "a", "b"]
    pd.testing.assert_frame_equal(got, _row_path(pg, twice, [1], monkeypatch))
    empty = pg.sql(TRICKY, [99])
    assert empty.empty
    assert list(empty.columns) == ["id", "txt", "x", "d", "flag", "id2"]
    assert empty["id"].dtype == np.int64
    assert empty["x"].dtype == np.float64


def test_other_types_and_statements_take_the_row_path(pg: PostgresStore, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []
    original = PostgresStore._copy_frame

    def spy(self: PostgresStore, query: str, params: list[object], description: object) -> pd.DataFrame:
        calls.append(query)
        return original(self, query, params, description)

    monkeypatch.setattr(PostgresStore, "_copy_frame", spy)
    stamp = pg.sql("SELECT TIMESTAMP '2024-01-01 10:00:00' AS t, 1 AS n")
    assert stamp["t"].iloc[0] == pd.Timestamp("2024-01-01 10:00:00")
    assert calls == []  # a timestamp column is read row by row
    assert pg.sql("SELECT 1 AS n;")["n"].tolist() == [1]  # a trailing semicolon cannot be wrapped
    assert calls == []
    assert pg.sql("-- a comment first\nSELECT 2 AS n")["n"].tolist() == [2]
    assert len(calls) == 1
