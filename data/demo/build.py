"""Build the demo store: generate the country, write it as Parquet files, load them like a user's files."""

from __future__ import annotations

import shutil
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from data.demo import params as P  # noqa: N812 - the parameter sheet, read as P.NAME
from data.demo import self_checks
from data.demo.calibration import calibration
from data.demo.country import DemoCountry, generate
from data.schemas import SCHEMAS
from data.store import Store

Progress = Callable[[str], None]


class DemoBuildError(RuntimeError):
    """The demo files did not load cleanly (a generator bug: the demo must load with zero rejects)."""


@dataclass(frozen=True)
class BuildSummary:
    seed: int
    scale: float
    seconds: float
    calibration: pd.DataFrame
    rows: dict[str, int] = field(default_factory=dict)  # table -> rows loaded
    files: dict[str, Path] = field(default_factory=dict)  # table -> Parquet file that was loaded
    enterprises: int = 0
    employees: int = 0

    @property
    def calibrated(self) -> bool:
        checked = self.calibration[self.calibration["checked"]]
        return bool(checked["ok"].all())


def write_files(country: DemoCountry, directory: Path) -> dict[str, Path]:
    """Each input table as `<table>.parquet` in `directory` (deterministic bytes for a seed)."""
    directory.mkdir(parents=True, exist_ok=True)
    files: dict[str, Path] = {}
    for table, frame in country.tables().items():
        path = directory / f"{table}.parquet"
        frame.to_parquet(path, index=False, compression="zstd")
        files[table] = path
    return files


def load_table(store: Store, table: str, path: Path) -> int:
    """Load one demo file through the user's path (validation, rejects); returns rows loaded."""
    from data.loader import load_file

    report = load_file(store, table, path)
    if report.rejected:
        sample = report.rejects.head(5).to_string(index=False)
        raise DemoBuildError(f"demo file {path} had {report.rejected} rejected rows (must be 0):\n{sample}")
    return report.loaded


# The published series loaded beside the demo records: the labour ministry's (a second series for the series
# picker). The statistics bureau's published rows are not loaded: the demo records are that series already, and a
# published row would replace the records' figure at its level (docs/series.md, precedence).
PUBLISHED_SERIES_IN_DEMO: tuple[str, ...] = ("mlsp",)


def build_demo(
    store: Store,
    *,
    seed: int,
    scale: float = 1.0,
    workdir: Path | None = None,
    progress: Progress | None = None,
    published_series: bool | None = None,
) -> BuildSummary:
    """Generate the demo country, replace the store's input tables with it (loaded from Parquet
    files through data.loader), store the hidden truth as `demo_truth` and label the store as demo, its
    records as the statistics bureau's series (`records_series=bns`: they are calibrated to its figures).
    `published_series` (default: only at national scale, where the counts are comparable) also loads the labour
    ministry's published national and regional counts as `injury_counts`."""
    say = progress or (lambda _msg: None)
    started = time.perf_counter()
    say(f"generating the demo country (seed {seed}, scale {scale:g})")
    country = generate(seed=seed, scale=scale)
    say(f"generated {len(country.enterprises):,} enterprises in {time.perf_counter() - started:.1f} s")
    own_dir = workdir is None
    directory = Path(tempfile.mkdtemp(prefix="enbek-demo-")) if workdir is None else Path(workdir)
    try:
        files = write_files(country, directory)
        t0 = time.perf_counter()
        checks = self_checks.generate(seed=seed, enterprises=country.enterprises, truth=country.truth, years=P.YEARS)
        files["self_assessments"] = directory / "self_assessments.parquet"
        checks.to_parquet(files["self_assessments"], index=False, compression="zstd")
        say(f"generated {len(checks):,} express self-assessments in {time.perf_counter() - t0:.1f} s")
        store.clear(SCHEMAS)
        rows: dict[str, int] = {}
        for table, path in files.items():
            t0 = time.perf_counter()
            rows[table] = load_table(store, table, path)
            say(f"loaded {table}: {rows[table]:,} rows in {time.perf_counter() - t0:.1f} s")
    finally:
        if own_dir:
            shutil.rmtree(directory, ignore_errors=True)
    store.write_table("demo_truth", country.truth)
    if published_series if published_series is not None else scale == 1.0:
        from data.published import load_published

        done = load_published(store, tables=("injury_counts",), series=PUBLISHED_SERIES_IN_DEMO)
        if done.rejected:
            raise DemoBuildError(f"the published series had {done.rejected} rejected rows (must be 0)")
        rows["injury_counts"] = done.reports[0].loaded
        say(f"loaded the published {', '.join(PUBLISHED_SERIES_IN_DEMO)} series: {rows['injury_counts']:,} rows")
    for key, value in (
        ("dataset", "demo"),
        ("records_series", "bns"),
        ("demo_seed", str(seed)),
        ("demo_scale", f"{scale:g}"),
        ("data_as_of", P.DATA_AS_OF),
        ("years", f"{P.YEARS[0]}-{P.YEARS[-1]}"),
    ):
        store.set_meta(key, value)
    say("computing the calibration table")
    calibrated = calibration(country)
    return BuildSummary(
        seed=seed,
        scale=scale,
        seconds=time.perf_counter() - started,
        calibration=calibrated,
        rows=rows,
        files={} if own_dir else files,
        enterprises=len(country.enterprises),
        employees=int(country.enterprises["employees"].sum()),
    )
