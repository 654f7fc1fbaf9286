"""Loader rules for the files officials really have: exact integer ranges, slash dates, header aliases,
BIN padding, KATO 51, UTF-16, NULs, long cells, rejects reports inside the load, replacements counted."""

from __future__ import annotations

import os
import stat
from decimal import Decimal
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from data import loader
from data.codes import is_valid_bin, make_bin
from data.loader import InputFileError, load_file, load_frame
from data.schemas import SCHEMAS, aliases_markdown, range_text
from data.store import DuckDBStore

BINS = [b for b in (make_bin(f"0501014{i:04d}") for i in range(40)) if b][:10]
DOCS = Path(__file__).resolve().parents[3] / "docs" / "loading.md"

# One valid row per table (enterprises BINS[0..2] are loaded first).
VALID: dict[str, dict[str, str]] = {
    "enterprises": {"bin": BINS[5], "name": "A", "kato": "351010000", "oked": "07.10", "employees": "300",
                    "harmful_workers": "10"},
    "workplace_assessments": {"assessment_id": "w1", "bin": BINS[0], "assessment_date": "2022-05-01", "workers": "4",
                              "harmfulness_class": "3.1", "danger_class": "2", "equipment_class": "2",
                              "ppe_provision_pct": "80", "morbidity_class": "1", "assessor": "X"},
    "accidents": {"accident_id": "a1", "date": "2022-05-01", "bin": BINS[0], "kato": "351010000", "oked": "05.10",
                  "injured": "3", "fatal": "1"},
    "occupational_diseases": {"year": "2022", "bin": BINS[0], "region": "35", "oked": "05.10",
                              "cause_group": "physical", "cases": "2"},
    "employment": {"year": "2022", "region": "35", "oked_section": "B", "employees": "5000", "harmful_conditions": "100"},
    "inspections": {"inspection_id": "i1", "bin": BINS[0], "date": "2022-05-01", "violations": "5", "osh_violations": "2"},
    "insurance": {"bin": BINS[0], "year": "2022", "covered": "true"},
    "injury_counts": {"year": "2022", "region": "35", "oked_section": "B", "injured": "5", "fatal": "1",
                      "workers": "1000", "source": "bns"},
    "disease_counts": {"year": "2022", "region": "35", "oked_section": "B", "cause_group": "physical", "cases": "3",
                       "source": "bns"},
    "self_assessments": {"submission_id": "s1", "submitted_on": "2024-05-01", "bin": BINS[0], "region": "35", "code_id": "c1",
                         "tool": "office", "lang": "kk", "employees": "12", "harmfulness_class": "2", "danger_class": "1",
                         "equipment_class": "1", "ppe_provision_pct": "90", "morbidity_class": "1", "compliance_pct": "80",
                         "measures": "3", "answers": "{}"},
    "osh_measures": {"bin": BINS[0], "year": "2024", "workers": "100", "funding_per_worker": "25000",
                     "guarantee_workers": "40", "additional_leave_workers": "30", "reduced_hours_workers": "10",
                     "wage_supplement_workers": "35", "nutrition_workers": "5", "milk_workers": "20",
                     "ppe_provision_pct": "90", "sanitary_facilities": "да", "medical_exam_pct": "95"},
}
# Written by the product's own self-check inbox (data/inbox.py), never exported by hand: no Russian/Kazakh headers.
MACHINE_TABLES = {"self_assessments"}
INT_COLUMNS = [(t, c.name) for t, s in SCHEMAS.items() for c in s.columns if c.kind in ("int", "year")]


def enterprises(n: int = 3) -> pd.DataFrame:
    return pd.DataFrame({"bin": BINS[:n], "name": [f"E{i}" for i in range(n)], "kato": ["351010000"] * n,
                         "oked": ["07.10"] * n, "employees": ["10"] * n})


def write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode(encoding))
    return path


# --- A: whole numbers, checked on the exact value ----------------------------------------------------


def test_every_whole_number_column_has_a_documented_finite_range() -> None:
    for table, name in INT_COLUMNS:
        col = SCHEMAS[table].column(name)
        assert col.min is not None, f"{table}.{name} has no lower bound"
        assert col.max is not None, f"{table}.{name} has no upper bound"
        assert col.max < 2**53, f"{table}.{name}: max must be exact in a float"
    assert range_text(SCHEMAS["enterprises"].column("employees")) == "between 0 and 1000000"
    assert range_text(SCHEMAS["employment"].column("employees")) == "between 0 and 20000000"


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("inf", "not a finite number; must be between 0 and 1000000"),
        ("-inf", "not a finite number; must be between 0 and 1000000"),
        ("Infinity", "not a finite number; must be between 0 and 1000000"),
        ("NaN", "not a finite number; must be between 0 and 1000000"),
        ("1e19", "must be between 0 and 1000000"),
        ("1e20", "must be between 0 and 1000000"),
        ("99999999999999999999", "must be between 0 and 1000000"),
        ("9223372036854775808", "must be between 0 and 1000000"),
        ("1000001", "must be between 0 and 1000000"),
        ("1e400", "must be between 0 and 1000000"),
        ("12.5", "not a whole number; must be between 0 and 1000000"),
        ("1.0000000000000000001", "not a whole number; must be between 0 and 1000000"),
        ("0x10", "not a whole number; must be between 0 and 1000000"),
    ],
)
def test_extreme_counts_are_rejected_with_the_columns_range(tmp_store: DuckDBStore, value: str, reason: str) -> None:
    load_frame(tmp_store, "enterprises", enterprises(), source="setup")
    row = dict(VALID["injury_counts"], injured=value)
    frame = pd.DataFrame([row])
    for table, column in (("injury_counts", "injured"), ("disease_counts", "cases")):
        row = dict(VALID[table], **{column: value})
        report = load_frame(tmp_store, table, pd.DataFrame([row]), source=table)
        assert (report.loaded, report.rejected) == (0, 1)
        assert report.rejects[["column", "reason"]].values.tolist() == [[column, reason]]
    assert tmp_store.count("injury_counts") == 0
    del frame


def test_frames_with_huge_or_infinite_floats_are_rejected_not_crashed(tmp_store: DuckDBStore) -> None:
    frame = pd.DataFrame({"year": [2022, 2021, 2020, 2019], "region": ["35"] * 4, "injured": [1e19, np.inf, np.nan, 12.0],
                          "fatal": [0, 0, 1, 0], "source": ["bns"] * 4})
    report = load_frame(tmp_store, "injury_counts", frame, source="floats")
    assert (report.loaded, report.rejected) == (2, 2)
    assert report.rejects[["row", "value", "reason"]].values.tolist() == [
        [1, "1e+19", "must be between 0 and 1000000"], [2, "inf", "not a finite number; must be between 0 and 1000000"],
    ]
    assert sorted(tmp_store.read("injury_counts")["injured"].fillna(-1).astype(int).tolist()) == [-1, 12]


def test_exact_large_values_inside_the_range_load_exactly(tmp_store: DuckDBStore) -> None:
    row = dict(VALID["employment"], employees="19999999", harmful_conditions="1.9999999e7")
    report = load_frame(tmp_store, "employment", pd.DataFrame([row]), source="e")
    assert report.rejected == 0, report.rejects
    got = tmp_store.read("employment")
    assert got[["employees", "harmful_conditions"]].values.tolist() == [[19999999, 19999999]]


def _extreme() -> st.SearchStrategy[str]:
    return st.one_of(
        st.integers(min_value=-(10**30), max_value=10**30).map(str),
        st.sampled_from(["inf", "-inf", "nan", "1e19", "1e20", "-1e19", "9223372036854775807", "9223372036854775808",
                         "18446744073709551616", "1e308", "1e309", "2e7", "20000001", "1000001", "-0", "0"]),
        st.floats(allow_nan=True, allow_infinity=True).map(repr),
    )


# The key column varied per row so that a frame of many extreme values holds no duplicate keys.
VARY = {"enterprises": "bin", "workplace_assessments": "assessment_id", "accidents": "accident_id",
        "occupational_diseases": "region", "employment": "oked_section", "inspections": "inspection_id",
        "insurance": "bin", "injury_counts": "oked_section", "disease_counts": "oked_section",
        "self_assessments": "submission_id", "osh_measures": "bin"}
MANY_BINS = [b for b in (make_bin(f"0602014{i:04d}") for i in range(60)) if b][:20]
REGION_CODES = ["10", "11", "15", "19", "23", "27", "31", "33", "35", "39", "43", "47", "55", "59", "61", "62", "63", "71", "75", "79"]


def _key_value(table: str, i: int) -> str:
    column = VARY[table]
    if column == "bin":
        return MANY_BINS[i]
    if column == "region":
        return REGION_CODES[i]
    if column == "oked_section":
        return "ABCDEFGHIJKLMNOPQRSTU"[i]
    return f"r{i}"


@pytest.mark.parametrize(("table", "column"), INT_COLUMNS)
@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(values=st.lists(_extreme(), min_size=1, max_size=20))
def test_extreme_values_in_every_integer_column_load_exactly_or_are_rejected_with_the_range(
    tmp_store: DuckDBStore, table: str, column: str, values: list[str]
) -> None:
    tmp_store.clear([table])
    if table != "enterprises" and not tmp_store.count("enterprises"):
        ents = pd.DataFrame({"bin": MANY_BINS + BINS[:3], "name": "E", "kato": "351010000", "oked": "07.10", "employees": "10"})
        load_frame(tmp_store, "enterprises", ents, source="setup")
    col = SCHEMAS[table].column(column)
    rows = [dict(VALID[table], **{VARY[table]: _key_value(table, i), column: v}) for i, v in enumerate(values)]
    report = load_frame(tmp_store, table, pd.DataFrame(rows), source="extreme")
    assert report.read == report.loaded + report.rejected == len(values)
    stored = tmp_store.read(table).set_index(VARY[table])[column] if report.loaded else pd.Series(dtype="Int64")
    for i, value in enumerate(values):
        try:
            exact: Decimal | None = Decimal(value)
        except ArithmeticError:
            exact = None
        fits = exact is not None and exact.is_finite() and exact == exact.to_integral_value() and col.min <= exact <= col.max
        problems = report.rejects[report.rejects["row"] == i + 1]
        if not fits:
            reasons = problems.loc[problems["column"] == column, "reason"].tolist()
            assert len(reasons) == 1, (value, reasons)
            assert range_text(col) in reasons[0], (value, reasons)
        elif len(problems):
            # an in-range value may still break a rule across columns (fatal <= injured, harmful <= employees ...)
            assert all(("exceeds" in r or "contradicts" in r or "fewer than" in r) for r in problems["reason"]), problems
        else:
            assert int(stored[_key_value(table, i)]) == int(exact)  # type: ignore[arg-type]
    if report.loaded:
        assert (tmp_store.read(table)[column].dropna() >= col.min).all()


def test_size_class_that_contradicts_employees_is_rejected_naming_both(tmp_store: DuckDBStore) -> None:
    frame = enterprises(3)
    frame["employees"] = ["500", "10", "100"]
    frame["size_class"] = ["micro", "", "small"]
    report = load_frame(tmp_store, "enterprises", frame, source="sizes")
    assert (report.loaded, report.rejected) == (2, 1)
    assert report.rejects[["row", "column", "reason"]].values.tolist() == [
        [1, "size_class", "size_class contradicts employees (micro <= 15, small 16-100, medium 101-250, large above 250 employees)"]
    ]
    assert tmp_store.read("enterprises").set_index("bin")["size_class"].to_dict() == {BINS[1]: "micro", BINS[2]: "small"}


# --- B: dates -----------------------------------------------------------------------------------------


def _accidents(dates: list[str]) -> pd.DataFrame:
    n = len(dates)
    return pd.DataFrame({"accident_id": [f"a{i}" for i in range(n)], "date": dates, "bin": [BINS[0]] * n,
                         "kato": ["351010000"] * n, "oked": ["05.10"] * n, "injured": ["1"] * n, "fatal": ["0"] * n})


def test_us_order_slash_dates_are_read_month_first_when_a_value_settles_it(tmp_store: DuckDBStore) -> None:
    load_frame(tmp_store, "enterprises", enterprises(), source="setup")
    report = load_frame(tmp_store, "accidents", _accidents(["04/05/2022", "03/25/2022", "2022-01-02"]), source="us")
    assert report.rejected == 0, report.rejects
    assert report.messages == ("column date: dates with '/' read as month/day/year (settled by values such as '03/25/2022')",)
    got = tmp_store.read("accidents").set_index("accident_id")["date"].astype(str).str[:10].to_dict()
    assert got == {"a0": "2022-04-05", "a1": "2022-03-25", "a2": "2022-01-02"}


def test_day_first_slash_dates(tmp_store: DuckDBStore) -> None:
    load_frame(tmp_store, "enterprises", enterprises(), source="setup")
    report = load_frame(tmp_store, "accidents", _accidents(["04/05/2022", "25/03/2022"]), source="eu")
    assert report.rejected == 0
    got = tmp_store.read("accidents").set_index("accident_id")["date"].astype(str).str[:10].to_dict()
    assert got == {"a0": "2022-05-04", "a1": "2022-03-25"}


def test_ambiguous_slash_dates_are_refused_never_guessed(tmp_store: DuckDBStore) -> None:
    load_frame(tmp_store, "enterprises", enterprises(), source="setup")
    report = load_frame(tmp_store, "accidents", _accidents(["04/05/2022", "05/05/2022", "10.03.2022"]), source="amb")
    assert (report.loaded, report.rejected) == (2, 1)  # 05/05 is the same date either way
    assert report.rejects[["row", "column"]].values.tolist() == [[1, "date"]]
    assert report.rejects["reason"].iloc[0] == (
        "ambiguous date: no value in column date has a day above 12, so day/month/year and month/day/year "
        "cannot be told apart; write YYYY-MM-DD or DD.MM.YYYY"
    )


def test_slash_dates_mixing_both_orders_are_refused(tmp_store: DuckDBStore) -> None:
    load_frame(tmp_store, "enterprises", enterprises(), source="setup")
    report = load_frame(tmp_store, "accidents", _accidents(["25/03/2022", "03/25/2022", "2022-03-25"]), source="mix")
    assert (report.loaded, report.rejected) == (1, 2)
    assert report.rejects["reason"].str.startswith("slash dates in column date mix day/month/year and month/day/year").all()


@pytest.mark.parametrize("value", ["2022-13-01", "31.02.2022", "22-03-2022", "2022/03/25", "44927", "1/2/22"])
def test_other_date_forms_are_rejected(tmp_store: DuckDBStore, value: str) -> None:
    load_frame(tmp_store, "enterprises", enterprises(), source="setup")
    report = load_frame(tmp_store, "accidents", _accidents([value]), source="bad")
    assert report.rejects["reason"].tolist() == [
        "not a date (YYYY-MM-DD, DD.MM.YYYY, or D/M/YYYY in an order the file settles) between 1990 and today"
    ]


# --- C: rejects reports --------------------------------------------------------------------------------


def _bad_enterprises(path: Path) -> Path:
    return write(path, f"bin,name,kato,oked,employees\n{BINS[0]},A,351010000,07.10,5\n123,B,351010000,07.10,5\n")


def test_rejects_report_is_part_of_the_load(tmp_store: DuckDBStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = _bad_enterprises(tmp_path / "in" / "ent.csv")

    def disk_full(src: object, dst: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(loader.os, "replace", disk_full)
    with pytest.raises(OSError, match="No space left on device"):
        load_file(tmp_store, "enterprises", path)
    assert tmp_store.count("enterprises") == 0  # no report, no load
    assert list((tmp_path / "rejects").iterdir()) == []  # the temporary report is gone too
    monkeypatch.undo()
    report = load_file(tmp_store, "enterprises", path)
    assert (report.loaded, report.rejected) == (1, 1)
    assert report.rejects_path is not None
    assert report.rejects_path.exists()


def test_reports_of_same_named_files_in_different_folders_are_kept_apart_and_stale_ones_replaced(
    tmp_store: DuckDBStore, tmp_path: Path
) -> None:
    jan = load_file(tmp_store, "enterprises", _bad_enterprises(tmp_path / "jan" / "ent.csv"))
    feb = load_file(tmp_store, "enterprises", _bad_enterprises(tmp_path / "feb" / "ent.csv"))
    assert jan.rejects_path != feb.rejects_path
    assert jan.rejects_path is not None
    assert feb.rejects_path is not None
    assert jan.rejects_path.name.startswith("enterprises__ent.csv__")
    assert jan.rejects_path.exists()
    assert feb.rejects_path.exists()
    fixed = write(tmp_path / "jan" / "ent.csv", f"bin,name,kato,oked,employees\n{BINS[0]},A,351010000,07.10,5\n")
    again = load_file(tmp_store, "enterprises", fixed)
    assert again.rejected == 0
    assert again.rejects_path is None
    assert not jan.rejects_path.exists(), "a clean reload must remove the stale report"
    assert feb.rejects_path.exists()


def test_store_and_rejects_are_owner_only(tmp_store: DuckDBStore, tmp_path: Path) -> None:
    report = load_file(tmp_store, "enterprises", _bad_enterprises(tmp_path / "ent.csv"))
    assert report.rejects_path is not None
    assert stat.S_IMODE(os.stat(report.rejects_path).st_mode) == 0o600
    assert stat.S_IMODE(os.stat(report.rejects_path.parent).st_mode) == 0o700
    assert stat.S_IMODE(os.stat(tmp_store.path).st_mode) == 0o600
    fresh = DuckDBStore(tmp_path / "new" / "dir" / "s.duckdb")
    fresh.close()
    assert stat.S_IMODE(os.stat(tmp_path / "new" / "dir").st_mode) == 0o700
    assert stat.S_IMODE(os.stat(tmp_path / "new" / "dir" / "s.duckdb").st_mode) == 0o600


# --- D: BINs, KATO, file formats ------------------------------------------------------------------------


def _short_bin_with_bad_month() -> str:
    """An 11-digit value whose zero-padded form passes the check digit but has month 50: a mistyped BIN."""
    for i in range(1000):
        full = make_bin(f"0550{i:07d}")
        if full:
            return full[1:]
    raise AssertionError("no such value")


def test_bins_that_lost_leading_zeros_are_padded_and_each_listed(tmp_store: DuckDBStore) -> None:
    nine = make_bin("00010140001") or ""
    assert nine.startswith("000")
    bad_month = _short_bin_with_bad_month()
    assert is_valid_bin("0" + bad_month)
    frame = pd.DataFrame({"bin": [BINS[0].lstrip("0"), nine.lstrip("0"), bad_month, BINS[1][4:]],
                          "name": list("abcd"), "kato": ["351010000"] * 4, "oked": ["07.10"] * 4, "employees": ["1"] * 4})
    report = load_frame(tmp_store, "enterprises", frame, source="pad")
    assert (report.loaded, report.rejected) == (2, 2)
    assert report.notes[["row", "column", "value", "stored"]].values.tolist() == [
        [1, "bin", BINS[0].lstrip("0"), BINS[0]], [2, "bin", nine.lstrip("0"), nine],
    ]
    assert set(report.notes["note"]) == {"BIN padded with leading zeros to 12 digits (the spreadsheet had dropped them)"}
    reasons = dict(zip(report.rejects["row"], report.rejects["reason"], strict=True))
    assert reasons[3] == f"BIN has 11 digits; padded with leading zeros to 0{bad_month} it is not a valid BIN (check digit, registration month 01-12)"
    assert reasons[4] == "BIN must be 12 digits with a valid check digit"  # 8 digits: never padded
    assert sorted(tmp_store.read("enterprises")["bin"]) == sorted([BINS[0], nine])


def test_retired_kato_prefix_51_is_stored_as_61_in_every_code_column(tmp_store: DuckDBStore) -> None:
    frame = enterprises(2)
    frame["kato"] = ["511010000", "351010000"]
    report = load_frame(tmp_store, "enterprises", frame, source="k")
    assert report.notes[["row", "column", "value", "stored"]].values.tolist() == [[1, "kato", "511010000", "611010000"]]
    acc = _accidents(["2022-01-01"])
    acc["kato"] = ["515010000"]
    load_frame(tmp_store, "accidents", acc, source="a")
    counts = pd.DataFrame([dict(VALID["injury_counts"], region="511010000")])
    load_frame(tmp_store, "injury_counts", counts, source="c")
    assert sorted(tmp_store.read("enterprises")["kato"]) == ["351010000", "611010000"]
    assert tmp_store.read("accidents")["kato"].tolist() == ["615010000"]
    assert tmp_store.read("injury_counts")["region"].tolist() == ["61"]
    stored = tmp_store.sql(
        "SELECT count(*) AS n FROM (SELECT kato AS c FROM enterprises UNION ALL SELECT kato FROM accidents "
        "UNION ALL SELECT region FROM injury_counts) WHERE c LIKE '51%'"
    )
    assert int(stored["n"].iloc[0]) == 0


def test_nul_anywhere_in_a_csv_is_refused(tmp_store: DuckDBStore, tmp_path: Path) -> None:
    lines = ["bin,name,kato,oked,employees"] + [f"{BINS[0]},{'x' * 50},351010000,07.10,5"] * 200
    text = "\n".join(lines) + "\n" + f"{BINS[1]},bad\x00name,351010000,07.10,5\n"
    assert text.index("\x00") > 4096
    path = write(tmp_path / "nul.csv", text)
    with pytest.raises(InputFileError, match=r"nul\.csv: binary content \(a NUL character on line 202\)"):
        load_file(tmp_store, "enterprises", path)
    assert tmp_store.count("enterprises") == 0


def test_excel_unicode_text_utf16_tab_file_loads(tmp_store: DuckDBStore, tmp_path: Path) -> None:
    text = "БИН\tНаименование\tКАТО\tОКЭД\tЧисленность работников\r\n" + f"{BINS[0]}\tТОО «Қазақ»\t351010000\t07.10\t1 250\r\n"
    path = tmp_path / "unicode.txt"
    path.write_bytes(text.encode("utf-16"))  # with a BOM, as Excel writes it
    assert path.read_bytes()[:2] == b"\xff\xfe"
    report = load_file(tmp_store, "enterprises", path)
    assert (report.read, report.loaded, report.rejected) == (1, 1, 0)
    got = tmp_store.read("enterprises")
    assert got[["name", "employees"]].values.tolist() == [["ТОО «Қазақ»", 1250]]


def test_header_only_and_blank_files(tmp_store: DuckDBStore, tmp_path: Path) -> None:
    report = load_file(tmp_store, "enterprises", write(tmp_path / "h.csv", "bin,name,kato,oked,employees\n"))
    assert (report.read, report.loaded, report.rejected) == (0, 0, 0)
    with pytest.raises(InputFileError, match=r"blank\.csv: the file is empty \(only blank lines\)"):
        load_file(tmp_store, "enterprises", write(tmp_path / "blank.csv", "\n  \n\n"))


def test_a_cell_above_the_size_limit_is_rejected(tmp_store: DuckDBStore, tmp_path: Path) -> None:
    path = write(tmp_path / "long.csv", f"bin,name,kato,oked,employees\n{BINS[0]},{'x' * 10_001},351010000,07.10,5\n"
                 f"{BINS[1]},{'y' * 10_000},351010000,07.10,5\n")
    report = load_file(tmp_store, "enterprises", path)
    assert (report.loaded, report.rejected) == (1, 1)
    assert report.rejects[["row", "column", "reason"]].values.tolist() == [[2, "name", "cell longer than 10000 characters"]]
    assert report.rejects_path is not None
    saved = pd.read_csv(report.rejects_path, dtype=str)
    assert saved["original_name"].iloc[0] == "x" * 10_001  # nothing lost


# --- E: the statistics bureau's headers ------------------------------------------------------------------


def test_injury_counts_with_russian_headers_and_region_names(tmp_store: DuckDBStore, tmp_path: Path) -> None:
    text = (
        "Год;Область;Численность пострадавших;в том числе со смертельным исходом;Численность работников;Источник\n"
        "2022;Республика Казахстан;2449;205;6830900;БНС\n"
        "2022;Карагандинская область;300;20;;БНС\n"
        "2022;г. Алматы;;12;;Минтруда\n"
    )
    report = load_file(tmp_store, "injury_counts", write(tmp_path / "ru.csv", text))
    assert (report.read, report.loaded, report.rejected) == (3, 3, 0), report.rejects
    got = tmp_store.read("injury_counts").sort_values("injured")
    assert got["region"].fillna("KZ").tolist() == ["35", "KZ", "75"]
    assert got["source"].tolist() == ["bns", "bns", "mlsp"]
    assert got["injured"].tolist()[:2] == [300, 2449]


def test_kazakh_headers_in_any_case_and_spacing(tmp_store: DuckDBStore, tmp_path: Path) -> None:
    text = "  ЖЫЛ ,өңір,Зардап  шеккендер,оның ішінде қаза тапқандар,Дереккөз\n2022,35,300,20,ҰСБ\n2022,Қарағанды облысы,1,0,ЕХӘҚМ\n"
    report = load_file(tmp_store, "injury_counts", write(tmp_path / "kk.csv", text))
    assert report.rejected == 0, report.rejects
    got = tmp_store.read("injury_counts").sort_values("injured")
    assert got[["region", "injured", "fatal", "source"]].values.tolist() == [["35", 1, 0, "mlsp"], ["35", 300, 20, "bns"]]


def test_a_header_in_thousands_is_multiplied_and_said(tmp_store: DuckDBStore, tmp_path: Path) -> None:
    # The ';' file's quoted header holds a comma: the delimiter is still ';'.
    text = 'Год;Регион;"Численность, тыс. человек"\n2022;35;612,3\n2022;;"6 830,9"\n2022;71;0,0005\n'
    report = load_file(tmp_store, "employment", write(tmp_path / "thousands.csv", text))
    assert (report.loaded, report.rejected) == (2, 1)
    assert report.messages == ("column employees: header 'Численность, тыс. человек' is in thousands; values were multiplied by 1000",)
    assert report.rejects["reason"].tolist() == ["not a whole number; must be between 0 and 20000000"]
    got = tmp_store.read("employment").sort_values("employees")
    assert got["employees"].tolist() == [612300, 6830900]


def test_delimiter_detection_respects_quoted_header_cells(tmp_path: Path) -> None:
    from data.readers import read_raw

    raw = read_raw(write(tmp_path / "q.csv", 'Год;Регион;"Численность, тыс. человек"\n2022;35;612,3\n'))
    assert raw.delimiter == ";"
    assert list(raw.frame.columns) == ["Год", "Регион", "Численность, тыс. человек"]
    raw = read_raw(write(tmp_path / "c.csv", 'year,region,"employees; all"\n2022,35,"1;2"\n'))
    assert raw.delimiter == ","
    raw = read_raw(write(tmp_path / "short.csv", "year;region;employees;harmful_conditions\n2022;35;10\n2022;71;5;1\n"))
    assert raw.delimiter == ";"
    assert raw.frame["harmful_conditions"].tolist() == ["", "1"]


def test_every_column_has_a_russian_or_kazakh_header(tmp_store: DuckDBStore) -> None:
    for table, s in SCHEMAS.items():
        if table in MACHINE_TABLES:
            continue
        for col in s.columns:
            assert any(any("\u0400" <= ch <= "\u04ff" for ch in a) for a in col.aliases), f"{table}.{col.name}"


def test_docs_list_every_alias() -> None:
    assert aliases_markdown() in DOCS.read_text(encoding="utf-8"), "docs/loading.md aliases differ from data/schemas.py"


def test_replacements_are_counted_and_null_keys_replace_only_their_own_row(tmp_store: DuckDBStore) -> None:
    rows = pd.DataFrame(
        {"year": ["2022", "2022", "2022", "2021"], "region": ["", "35", "", ""], "injured": ["2449", "300", "1500", "2300"],
         "fatal": ["205", "20", "203", "190"], "source": ["bns", "bns", "mlsp", "bns"]}
    )
    first = load_frame(tmp_store, "injury_counts", rows, source="first")
    assert (first.loaded, first.replaced) == (4, 0)
    national_2022 = pd.DataFrame({"year": ["2022"], "region": [""], "injured": ["2450"], "fatal": ["206"], "source": ["stat"]})
    again = load_frame(tmp_store, "injury_counts", national_2022, source="again")
    assert (again.read, again.loaded, again.replaced, again.rejected) == (1, 1, 1, 0)
    assert again.summary() == "injury_counts: read 1, loaded 1 (replaced 1), rejected 0"
    got = tmp_store.read("injury_counts")
    got["region"] = got["region"].fillna("KZ")
    assert sorted(got[["year", "region", "source", "injured"]].values.tolist()) == [
        [2021, "KZ", "bns", 2300], [2022, "35", "bns", 300], [2022, "KZ", "bns", 2450], [2022, "KZ", "mlsp", 1500]
    ]
