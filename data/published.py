"""The published national series of both official systems (data/published/*.csv), each figure with its citation.

The dataset holds only figures found in a release or in a news item quoting one: a count a release does not give
stays empty (never derived from a percentage, never interpolated). `sources.csv` has one row per figure and
citation (a figure quoted by two outlets has two rows); `rates.csv` holds rates as printed, which the input
contracts have no table for. The count tables load through data.loader like any user file (`enbek load-official`).
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from data.loader import LoadReport, load_file, load_raw
from data.readers import RawTable, read_raw
from data.schemas import schema
from data.store import Store

PUBLISHED_DIR = Path(__file__).resolve().parent / "published"
# Loadable tables in loading order (no references between them).
TABLES: tuple[str, ...] = ("injury_counts", "disease_counts", "employment")
RATES_FILE = "rates.csv"
SOURCES_FILE = "sources.csv"
SOURCE_COLUMNS: tuple[str, ...] = (
    "table", "year", "region", "oked_section", "series", "column", "value",
    "release", "publisher", "date", "address", "via", "note",
)
RATE_COLUMNS: tuple[str, ...] = ("year", "region", "oked_section", "measure", "per", "value", "source")
# The figure columns of each table (a figure is one non-empty cell of these).
FIGURE_COLUMNS: dict[str, tuple[str, ...]] = {
    "injury_counts": ("injured", "fatal", "workers"),
    "disease_counts": ("cases",),
    "employment": ("employees", "harmful_conditions"),
}
# Citation columns that every sources row must fill (date, via and note may be empty: many stored copies are undated).
REQUIRED_CITATION: tuple[str, ...] = ("release", "publisher", "address")


class PublishedDataError(ValueError):
    """The published dataset is malformed: a file, row and column are named."""


def _directory(directory: Path | None) -> Path:
    return PUBLISHED_DIR if directory is None else Path(directory)


def files(*, directory: Path | None = None) -> dict[str, Path]:
    """table -> CSV file of the dataset, in loading order."""
    base = _directory(directory)
    return {table: base / f"{table}.csv" for table in TABLES}


def _read_csv(path: Path, columns: tuple[str, ...]) -> pd.DataFrame:
    if not path.exists():
        raise PublishedDataError(f"{path}: file not found (the published dataset lives in {PUBLISHED_DIR})")
    frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise PublishedDataError(f"{path}: missing column(s) {', '.join(missing)}; expected {', '.join(columns)}")
    return frame


def _number(path: Path, frame: pd.DataFrame, column: str) -> pd.Series:
    """A column as floats (NaN where empty); a cell that is not a number names its file, row and column."""
    text = frame[column].str.strip()
    values = pd.to_numeric(text.where(text != ""), errors="coerce")
    bad = values.isna() & (text != "")
    if bad.any():
        pos = int(bad.to_numpy().nonzero()[0][0])
        raise PublishedDataError(f"{path}: row {pos + 2}, column {column}: {text.iloc[pos]!r} is not a number")
    return values


def read_table(table: str, *, directory: Path | None = None) -> pd.DataFrame:
    """One loadable table as text cells (empty = missing), exactly the columns of its input contract."""
    if table not in TABLES:
        raise PublishedDataError(f"no published table {table!r}; expected one of {', '.join(TABLES)}")
    path = files(directory=directory)[table]
    return _read_csv(path, schema(table).names)[list(schema(table).names)]


def sources(*, directory: Path | None = None) -> pd.DataFrame:
    """One row per figure and citation: table, year, region, oked_section, series, column, value, release,
    publisher, date, address, via, note."""
    path = _directory(directory) / SOURCES_FILE
    frame = _read_csv(path, SOURCE_COLUMNS)[list(SOURCE_COLUMNS)]
    frame["value"] = _number(path, frame, "value")
    frame["year"] = _number(path, frame, "year").astype("Int64")
    return frame


def rates(*, directory: Path | None = None) -> pd.DataFrame:
    """Rates as printed: year, region, oked_section, measure (injured, fatal, accidents), per (1000 or
    100000), value, source (series id), and per_1000 (the value per 1000 workers)."""
    path = _directory(directory) / RATES_FILE
    frame = _read_csv(path, RATE_COLUMNS)[list(RATE_COLUMNS)]
    frame["year"] = _number(path, frame, "year").astype("Int64")
    frame["per"] = _number(path, frame, "per").astype("Int64")
    frame["value"] = _number(path, frame, "value")
    bad = ~frame["per"].isin([1000, 100000])
    if bad.any():
        pos = int(bad.to_numpy().nonzero()[0][0])
        raise PublishedDataError(f"{path}: row {pos + 2}, column per: {frame['per'].iloc[pos]} is not 1000 or 100000")
    frame["per_1000"] = frame["value"] * 1000 / frame["per"].astype(float)
    return frame


def figures(*, directory: Path | None = None) -> pd.DataFrame:
    """Every figure of the dataset in long form: table, year, region, oked_section, series, column, value.
    Rates appear as table `rates` with column '<measure> per <per>'."""
    parts: list[pd.DataFrame] = []
    for table in TABLES:
        frame = read_table(table, directory=directory)
        path = files(directory=directory)[table]
        for column in FIGURE_COLUMNS[table]:
            values = _number(path, frame, column)
            keep = values.notna()
            parts.append(
                pd.DataFrame(
                    {
                        "table": table,
                        "year": _number(path, frame, "year")[keep].astype("Int64"),
                        "region": frame["region"][keep],
                        "oked_section": frame["oked_section"][keep],
                        "series": frame["source"][keep] if "source" in frame else "",
                        "column": column,
                        "value": values[keep],
                    }
                )
            )
    rate = rates(directory=directory)
    parts.append(
        pd.DataFrame(
            {
                "table": "rates",
                "year": rate["year"],
                "region": rate["region"],
                "oked_section": rate["oked_section"],
                "series": rate["source"],
                "column": rate["measure"] + " per " + rate["per"].astype(str),
                "value": rate["value"],
            }
        )
    )
    return pd.concat(parts, ignore_index=True)


_KEY = ["table", "year", "region", "oked_section", "series", "column"]


def citation_problems(*, directory: Path | None = None) -> list[str]:
    """What breaks the rule 'every figure has a citation that gives its value, and every citation a figure':
    one line per problem (empty when the dataset is sound)."""
    figs = figures(directory=directory)
    cites = sources(directory=directory)
    problems: list[str] = []
    duplicated = figs[figs.duplicated(_KEY, keep=False)]
    for row in duplicated.drop_duplicates(_KEY).to_dict("records"):
        problems.append(f"figure given twice: {_describe(row)}")
    merged = figs.merge(cites, on=_KEY, how="outer", suffixes=("", "_cited"), indicator=True)
    for row in merged[merged["_merge"] == "left_only"].to_dict("records"):
        problems.append(f"figure without a citation: {_describe(row)} = {row['value']:g}")
    for row in merged[merged["_merge"] == "right_only"].to_dict("records"):
        problems.append(
            f"citation of a figure the dataset does not hold: {_describe(row)} = {row['value_cited']:g} ({row['address']})"
        )
    for row in merged[merged["_merge"] == "both"].to_dict("records"):
        if not math.isclose(float(row["value"]), float(row["value_cited"]), rel_tol=0, abs_tol=1e-9):
            problems.append(f"{_describe(row)}: dataset {row['value']:g}, citation {row['value_cited']:g} ({row['address']})")
        for column in REQUIRED_CITATION:
            if not str(row[column]).strip():
                problems.append(f"{_describe(row)}: citation without {column}")
    return problems


def _describe(row: Mapping[Hashable, Any]) -> str:
    scope = str(row["region"] or "national") + (f" section {row['oked_section']}" if row["oked_section"] else "")
    series = f"{row['series']} " if row["series"] else ""
    return f"{row['table']} {row['year']} {scope} {series}{row['column']}"


def national_series(*, series: str, directory: Path | None = None) -> pd.DataFrame:
    """The national published figures of one series by year: injured, fatal, disease_cases (floats, NaN where
    the series published no figure for that year)."""
    inj = read_table("injury_counts", directory=directory)
    dis = read_table("disease_counts", directory=directory)
    paths = files(directory=directory)
    national = (inj["region"] == "") & (inj["oked_section"] == "") & (inj["source"] == series)
    frame = pd.DataFrame(
        {
            "year": _number(paths["injury_counts"], inj, "year")[national].astype(int),
            "injured": _number(paths["injury_counts"], inj, "injured")[national],
            "fatal": _number(paths["injury_counts"], inj, "fatal")[national],
        }
    ).set_index("year")
    d_nat = (dis["region"] == "") & (dis["oked_section"] == "") & (dis["cause_group"] == "") & (dis["source"] == series)
    cases = pd.Series(
        _number(paths["disease_counts"], dis, "cases")[d_nat].to_numpy(),
        index=_number(paths["disease_counts"], dis, "year")[d_nat].astype(int).to_numpy(),
        name="disease_cases",
    )
    out = frame.join(cases, how="outer").astype(float)
    out.index.name = "year"
    return out.sort_index()


def sector_counts(*, series: str, year: int, directory: Path | None = None) -> pd.DataFrame:
    """The national sector counts of one series and year: index OKED section, columns injured and fatal
    (floats, NaN where the release gives none)."""
    inj = read_table("injury_counts", directory=directory)
    path = files(directory=directory)["injury_counts"]
    years = _number(path, inj, "year")
    keep = (inj["region"] == "") & (inj["oked_section"] != "") & (inj["source"] == series) & (years == year)
    return pd.DataFrame(
        {"injured": _number(path, inj, "injured")[keep].to_numpy(), "fatal": _number(path, inj, "fatal")[keep].to_numpy()},
        index=pd.Index(inj["oked_section"][keep].to_numpy(), name="oked_section"),
    ).astype(float)


@dataclass(frozen=True)
class PublishedLoad:
    """What `load_published` did: one loader report per table and whether the store was labelled real."""

    reports: tuple[LoadReport, ...]
    labelled_real: bool

    @property
    def rejected(self) -> int:
        return sum(r.rejected for r in self.reports)


def load_published(store: Store, *, directory: Path | None = None, tables: tuple[str, ...] = TABLES,
                   series: tuple[str, ...] | None = None) -> PublishedLoad:
    """Load the dataset's tables into the store through data.loader (validation, rejects report, counts).
    `series` keeps only those series' count rows (None = all). A store without demo tables is labelled
    `dataset=real`, so the public app shows it without the demo banner; without records and a `data_as_of`
    of its own it gets the end of the latest year loaded as `data_as_of`."""
    reports: list[LoadReport] = []
    for table in tables:
        path = files(directory=directory)[table]
        if series is None or "source" not in schema(table).names:
            reports.append(load_file(store, table, path))
            continue
        # keep the file's own row numbers, so a rejected row still points at its line in the CSV
        raw = read_raw(path)
        keep = raw.frame["source"].str.strip().isin(series).to_numpy()
        subset = RawTable(raw.frame[keep].reset_index(drop=True), raw.rows[keep].reset_index(drop=True), raw.path,
                          raw.format, raw.encoding, raw.delimiter)
        reports.append(load_raw(store, table, subset, source=str(path)))
    labelled = not store.has_table("demo_truth")
    if labelled:
        store.set_meta("dataset", "real")
        # a store of published figures only: its data reach to the end of the latest year loaded (a store with
        # accident records keeps the date the public tables derive from the records)
        if not store.get_meta("data_as_of") and not store.count("accidents"):
            latest = store.sql("SELECT max(year) AS y FROM injury_counts")["y"].iloc[0]
            if pd.notna(latest):
                store.set_meta("data_as_of", f"{int(latest)}-12-31")
    return PublishedLoad(tuple(reports), labelled)
