"""Loading files into the store: formats, every validation rule, rejects, atomicity, idempotency."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from data.codes import make_bin
from data.loader import InputFileError, SchemaError, load_file, load_frame
from data.schemas import SCHEMAS
from data.store import DuckDBStore

BINS = [b for b in (make_bin(f"0501014{i:04d}") for i in range(40)) if b][:10]


def enterprises_frame(n: int = 3) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "bin": BINS[:n],
            "name": [f"Enterprise {i}" for i in range(n)],
            "kato": ["351010000"] * n,
            "oked": ["07.10"] * n,
            "employees": [10 * (i + 1) for i in range(n)],
        }
    )


def test_windows_1251_semicolon_csv_with_decimal_commas(tmp_store: DuckDBStore, tmp_path: Path) -> None:
    text = (
        "БИН;наименование;КАТО;ОКЭД;численность;lat;lon;active\n"
        f"{BINS[0]};ТОО «Шахта»;351010000;05.10;1 250;49,80;73,10;да\n"
        f"{BINS[1]};ИП Иванов;751110000;47.11;3;43,25;76,95;нет\n"
    )
    path = tmp_path / "enterprises.csv"
    path.write_bytes(text.encode("cp1251"))
    report = load_file(tmp_store, "enterprises", path)
    assert (report.read, report.loaded, report.rejected) == (2, 2, 0)
    got = tmp_store.read("enterprises").set_index("bin")
    assert got.loc[BINS[0], "name"] == "ТОО «Шахта»"
    assert got.loc[BINS[0], "employees"] == 1250
    assert got.loc[BINS[0], "lat"] == pytest.approx(49.80)
    assert got.loc[BINS[0], "size_class"] == "large"
    assert not bool(got.loc[BINS[1], "active"])


def test_xlsx_with_numbers_and_dates(tmp_store: DuckDBStore, tmp_path: Path) -> None:
    load_frame(tmp_store, "enterprises", enterprises_frame(), source="setup")
    frame = pd.DataFrame(
        {
            "accident_id": ["N1-1", "N1-2"],
            "date": [pd.Timestamp("2022-03-04"), pd.Timestamp("2022-07-01")],
            "bin": [int(BINS[0]), BINS[1]],  # a BIN that Excel stored as a number loses its leading zero
            "kato": [351010000, 351010000],
            "oked": ["05.10", "05.10"],
            "injured": [3, 1],
            "fatal": [1, 0],
            "group_accident": [True, False],
        }
    )
    path = tmp_path / "accidents.xlsx"
    frame.to_excel(path, index=False)
    report = load_file(tmp_store, "accidents", path)
    assert (report.read, report.loaded, report.rejected) == (2, 2, 0), report.rejects
    got = tmp_store.read("accidents").sort_values("accident_id")
    assert got["bin"].tolist() == [BINS[0], BINS[1]]
    assert str(got["date"].iloc[0])[:10] == "2022-03-04"


def test_missing_column_names_file_and_columns_and_changes_nothing(tmp_store: DuckDBStore, tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text("bin,name,kato\n" + f"{BINS[0]},A,351010000\n", encoding="utf-8")
    with pytest.raises(SchemaError, match=r"bad\.csv: missing required column\(s\) oked, employees for table enterprises"):
        load_file(tmp_store, "enterprises", path)
    assert tmp_store.count("enterprises") == 0


@pytest.mark.parametrize(
    ("content", "message"),
    [(b"", r"empty"), (b"\x00\x01\x02\x03binary", r"binary content|cannot find the column delimiter"),
     (b"PK\x03\x04garbage", r"not a readable XLSX")],
)
def test_unreadable_files(tmp_store: DuckDBStore, tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "in.csv"
    path.write_bytes(content)
    with pytest.raises(InputFileError, match=message):
        load_file(tmp_store, "enterprises", path)


def test_missing_file(tmp_store: DuckDBStore, tmp_path: Path) -> None:
    with pytest.raises(InputFileError, match=r"nope\.csv: file not found"):
        load_file(tmp_store, "enterprises", tmp_path / "nope.csv")


def test_each_rule_rejects_with_row_column_and_reason(tmp_store: DuckDBStore, tmp_path: Path) -> None:
    bad_bin = BINS[2][:-1] + str((int(BINS[2][-1]) + 1) % 10)
    path = tmp_path / "ent.csv"
    path.write_text(
        "bin,name,kato,oked,employees\n"
        f"{BINS[0]},Good,351010000,07.10,5\n"  # row 2
        f"{bad_bin},Bad check digit,351010000,07.10,5\n"  # row 3
        f"{BINS[3]},Unknown KATO,991010000,07.10,5\n"  # row 4
        f"{BINS[0]},Duplicate,351010000,07.10,5\n"  # row 5
        f"{BINS[4]},Unknown OKED,351010000,04.10,5\n"  # row 6
        f"{BINS[5]},Negative,351010000,07.10,-1\n",  # row 7
        encoding="utf-8",
    )
    report = load_file(tmp_store, "enterprises", path)
    assert (report.read, report.loaded, report.rejected) == (6, 1, 5)
    by_row = report.rejects.set_index("row")
    assert by_row.loc[3, "column"] == "bin"
    assert "check digit" in by_row.loc[3, "reason"]
    assert by_row.loc[4, "column"] == "kato"
    assert "known region" in by_row.loc[4, "reason"]
    assert by_row.loc[5, "reason"] == "duplicate key (bin) of row 2"
    assert by_row.loc[6, "column"] == "oked"
    assert "OKED code unknown" in by_row.loc[6, "reason"]
    assert by_row.loc[7, "column"] == "employees"
    assert by_row.loc[7, "reason"] == "must be between 0 and 1000000"
    # Nothing is lost: the rejects file holds the original cells of every rejected row.
    saved = pd.read_csv(report.rejects_path, dtype=str)
    assert sorted(saved["row"].astype(int).unique()) == [3, 4, 5, 6, 7]
    assert "Bad check digit" in saved["original_name"].tolist()


def test_fatal_greater_than_injured_and_unknown_bin(tmp_store: DuckDBStore) -> None:
    load_frame(tmp_store, "enterprises", enterprises_frame(), source="setup")
    accidents = pd.DataFrame(
        {
            "accident_id": ["a", "b", "c", "d"],
            "date": ["2022-01-10", "10.01.2022", "2022-01-10", "2022-01-10"],
            "bin": [BINS[0], BINS[1], BINS[9], BINS[1]],
            "kato": ["351010000"] * 4,
            "oked": ["05.10"] * 4,
            "injured": [2, 1, 1, 1],
            "fatal": [3, 1, 0, 0],
            "group_accident": ["", "", "", "true"],
        }
    )
    report = load_frame(tmp_store, "accidents", accidents, source="acc")
    assert (report.read, report.loaded, report.rejected) == (4, 1, 3)
    reasons = dict(zip(report.rejects["row"], report.rejects["reason"], strict=True))
    assert reasons == {
        1: "fatal exceeds injured",
        3: "bin not found in enterprises",
        4: "group_accident is true but fewer than 2 injured",
    }


def test_loading_twice_is_idempotent_and_replaces_by_key(tmp_store: DuckDBStore) -> None:
    frame = enterprises_frame()
    load_frame(tmp_store, "enterprises", frame, source="one")
    frame.loc[0, "employees"] = 999
    report = load_frame(tmp_store, "enterprises", frame, source="two")
    assert report.loaded == 3
    got = tmp_store.read("enterprises").set_index("bin")
    assert len(got) == 3
    assert got.loc[BINS[0], "employees"] == 999


def test_aggregates_with_national_rows_are_idempotent(tmp_store: DuckDBStore) -> None:
    counts = pd.DataFrame(
        {"year": [2022, 2022, 2022], "region": ["", "35", "351010000"], "oked_section": ["", "", "B"],
         "injured": [2449, 300, 120], "fatal": [205, 20, 9], "source": ["stat", "stat", "stat"]}
    )
    assert load_frame(tmp_store, "injury_counts", counts, source="c").loaded == 3
    assert load_frame(tmp_store, "injury_counts", counts, source="c").loaded == 3
    got = tmp_store.read("injury_counts")
    assert len(got) == 3
    assert sorted(got["region"].fillna("KZ")) == ["35", "35", "KZ"]


def test_load_is_atomic(tmp_store: DuckDBStore, monkeypatch: pytest.MonkeyPatch, store_engine: str) -> None:
    if store_engine != "duckdb":
        pytest.skip("replaces DuckDB's connection; tests/pg/test_pg_store.py fails a PostgreSQL load with a trigger")
    load_frame(tmp_store, "enterprises", enterprises_frame(2), source="setup")
    before = tmp_store.read("enterprises").sort_values("bin").reset_index(drop=True)
    real_execute = tmp_store._con.execute

    class FailingInsert:
        def __getattr__(self, name: str):
            return getattr(tmp_store.__dict__["_real"], name)

        def execute(self, query: str, *args):
            if query.startswith("INSERT INTO \"enterprises\""):
                raise RuntimeError("disk full")
            return real_execute(query, *args)

    tmp_store.__dict__["_real"] = tmp_store._con
    monkeypatch.setattr(tmp_store, "_con", FailingInsert())
    changed = enterprises_frame(4)
    changed["employees"] = 1
    with pytest.raises(RuntimeError, match="disk full"):
        load_frame(tmp_store, "enterprises", changed, source="fails")
    monkeypatch.undo()
    after = tmp_store.read("enterprises").sort_values("bin").reset_index(drop=True)
    pd.testing.assert_frame_equal(before, after)


def _cell() -> st.SearchStrategy[str]:
    return st.one_of(
        st.sampled_from(["", "0", "-1", "1.5", "abc", "2022-02-30", "35", "351010000", "07.10", "true", "3.1",
                         "industrial_aerosols", "A", "99999999999", *BINS[:3]]),
        st.text(max_size=8),
    )


@pytest.mark.parametrize("table", list(SCHEMAS))
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_random_malformed_rows_never_crash_and_counts_reconcile(tmp_store: DuckDBStore, table: str, data: st.DataObject) -> None:
    load_frame(tmp_store, "enterprises", enterprises_frame(3), source="setup")
    columns = list(SCHEMAS[table].names)
    n = data.draw(st.integers(min_value=0, max_value=12))
    rows = [{c: data.draw(_cell()) for c in columns} for _ in range(n)]
    frame = pd.DataFrame(rows, columns=columns)
    report = load_frame(tmp_store, table, frame, source=f"random-{table}")
    assert report.read == n
    assert report.read == report.loaded + report.rejected
    assert set(report.rejects["row"]) <= set(range(1, n + 1))
