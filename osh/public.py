"""The one producer of public tables: indicators, diseases, targets, official figures, all disclosure-controlled."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pandas as pd

from data.codes import DISEASE_CAUSES, SECTION_CODES
from data.store import Store
from geo.regions import Basis, basis_code, codes_for_basis
from osh import coverage, disclosure, indicators, targets
from osh import gap as gap_indicator
from osh import measure_sums as osh_measures
from osh.indicators import ALL, NATIONAL, VALUE_COLUMNS

TABLES: tuple[str, ...] = ("indicators", "diseases", "targets", "official", "gap", "measures")
KEY_COLUMNS: tuple[str, ...] = ("year", "basis", "series", "region", "section")
# covered / cover_of: finer units published of those needed where a total could not be derived; includes: child
# regions a row's territory covers (docs/series.md)
INDICATOR_COLUMNS: tuple[str, ...] = (*KEY_COLUMNS, *VALUE_COLUMNS, "status", "covered", "cover_of", "includes")
DISEASE_COLUMNS: tuple[str, ...] = ("year", "series", "region", "cause_group", "cases", "status")
# a region created in 2022, in the years before it existed (current basis): no value, no colour, not ranked
NOT_EXISTING = "not_existing"
OFFICIAL_COLUMNS: tuple[str, ...] = ("figure", "year", "scope", "value", "unit", "source", "note")
# OSH-measure aggregates (osh.measures): per region (section ALL), per sector (region KZ) and the country, per year.
MEASURE_VALUES: tuple[str, ...] = ("reporting_enterprises", "reporting_workers", *osh_measures.PUBLIC_MEASURES)
MEASURE_COLUMNS: tuple[str, ...] = ("year", "region", "section", *MEASURE_VALUES, "status")
# A measure cell needs at least this many reporting enterprises (stricter than the count tables' 3: each figure is
# an average of the reporters' own figures, and the average of three or four says too much about each of them).
MIN_MEASURE_REPORTS = 5
# Never in a public table.
FORBIDDEN_COLUMNS: frozenset[str] = frozenset({"bin", "name", "lat", "lon", "kato", "max_employees", "reg_employees"})


class PublicDataError(RuntimeError):
    """The public tables are missing or malformed."""


@dataclass(frozen=True)
class PublicData:
    indicators: pd.DataFrame
    diseases: pd.DataFrame
    targets: pd.DataFrame
    official: pd.DataFrame
    gap: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=list(gap_indicator.COLUMNS)))
    measures: pd.DataFrame = field(default_factory=lambda: empty_measures())
    meta: dict[str, str] = field(default_factory=dict)


# --- disclosure control of the indicator cube ----------------------------------------------------------


def _grid(frame: pd.DataFrame, column: str, regions: list[str], sections: list[str]) -> np.ndarray:
    """Extended region x section matrix of one column: last row = sector totals (KZ), last col = region totals."""
    rows = [*regions, NATIONAL]
    cols = [*sections, ALL]
    pivot = frame.pivot_table(index="region", columns="section", values=column, aggfunc="sum", dropna=False)
    return pivot.reindex(index=rows, columns=cols).to_numpy(dtype=float)


def protect_indicators(cube: pd.DataFrame) -> pd.DataFrame:
    """Add `status` (ok / confidential / no_data) to an indicator cube of one or more series and blank the values
    of confidential and no-data rows; harmonised rows are derived from the protected current rows. The pattern
    is the union over the series, so that no series' published cells reveal a cell another series hides."""
    if cube.empty:
        return cube.assign(status=pd.Series(dtype="str"))
    if "series" not in cube.columns:
        cube = cube.assign(series="")
    current = cube[cube["basis"] == "current"]
    status_current = pd.Series(disclosure.OK, index=current.index, dtype="object")
    for _series, part in current.groupby("series", sort=False):
        status_current.loc[part.index] = _protect_basis(part, basis="current")
    status_current = _union_confidential(current, status_current)
    frames = [current.assign(status=status_current)]
    harmonised = cube[cube["basis"] == "harmonised"]
    if not harmonised.empty:
        protected_current = current.assign(status=status_current)
        status_h = pd.Series(disclosure.OK, index=harmonised.index, dtype="object")
        for series_id, part in harmonised.groupby("series", sort=False):
            status_h.loc[part.index] = _derive_status(part, protected_current[protected_current["series"] == series_id]).to_numpy()
        frames.append(harmonised.assign(status=status_h))
    result = pd.concat(frames, ignore_index=True)
    blank = result["status"] != disclosure.OK
    value_cols = list(VALUE_COLUMNS)
    result[value_cols] = result[value_cols].astype(float)
    result.loc[blank, value_cols] = np.nan
    return result


def _union_confidential(frame: pd.DataFrame, status: pd.Series) -> pd.Series:
    """A cell confidential in one series is confidential in every series (the register columns are shared)."""
    conf = frame.loc[status == disclosure.CONFIDENTIAL, ["year", "region", "section"]].drop_duplicates()
    if conf.empty:
        return status
    joined = frame[["year", "region", "section"]].merge(conf.assign(_c=True), on=["year", "region", "section"], how="left")["_c"]
    hit = joined.fillna(False).astype(bool).to_numpy()
    return pd.Series(np.where(hit, disclosure.CONFIDENTIAL, status.to_numpy()), index=status.index, dtype="object")


def _is_empty(frame: pd.DataFrame) -> np.ndarray:
    e = frame["enterprises"].fillna(0).to_numpy(dtype=float)
    w = frame["workers"].fillna(0).to_numpy(dtype=float)
    inj = frame["injured"].fillna(0).to_numpy(dtype=float)
    return (e <= 0) & (w <= 0) & (inj <= 0)


def _protect_basis(frame: pd.DataFrame, *, basis: Basis) -> pd.Series:
    status = pd.Series(disclosure.OK, index=frame.index, dtype="object")
    regions = list(codes_for_basis(basis))
    sections = list(SECTION_CODES)
    for _year, part in frame.groupby("year"):
        ent = _grid(part, "enterprises", regions, sections)
        reg = _grid(part, "reg_employees", regions, sections)
        big = _grid(part, "max_employees", regions, sections)
        workers = _grid(part, "workers", regions, sections)
        injured = _grid(part, "injured", regions, sections)
        empty = (np.nan_to_num(ent) <= 0) & (np.nan_to_num(workers) <= 0) & (np.nan_to_num(injured) <= 0)
        prim = disclosure.primary(ent, reg, big)
        suppressed = disclosure.secondary(prim, disclosure.extended_cost(workers), empty)
        rows = {r: i for i, r in enumerate([*regions, NATIONAL])}
        cols = {s: j for j, s in enumerate([*sections, ALL])}
        ri = part["region"].map(rows).to_numpy()
        ci = part["section"].map(cols).to_numpy()
        ok = ~(pd.isna(ri) | pd.isna(ci))
        sup = np.zeros(len(part), dtype=bool)
        emp = _is_empty(part)
        sup[ok] = suppressed[ri[ok].astype(int), ci[ok].astype(int)]
        st = np.where(sup, disclosure.CONFIDENTIAL, np.where(emp, disclosure.NO_DATA, disclosure.OK))
        status.loc[part.index] = st
    return status


def _derive_status(harmonised: pd.DataFrame, current: pd.DataFrame) -> pd.Series:
    """A harmonised cell is confidential iff one of the current cells it sums is (see osh.disclosure)."""
    cur = current[["year", "region", "section", "status"]].copy()
    cur["h"] = cur["region"].map(lambda r: r if r == NATIONAL else basis_code(r, basis="harmonised"))
    conf = cur[cur["status"] == disclosure.CONFIDENTIAL].groupby(["year", "h", "section"]).size().rename("n_conf").reset_index()
    merged = harmonised[["year", "region", "section"]].merge(
        conf.rename(columns={"h": "region"}), on=["year", "region", "section"], how="left"
    )
    st = np.where(
        merged["n_conf"].fillna(0).to_numpy() > 0,
        disclosure.CONFIDENTIAL,
        np.where(_is_empty(harmonised), disclosure.NO_DATA, disclosure.OK),
    )
    return pd.Series(st, index=harmonised.index, dtype="object")


def protect_diseases(causes: pd.DataFrame) -> pd.DataFrame:
    """Region x cause table with region and cause margins: a cell whose cases come from 1-2 enterprises is
    confidential; secondary suppression as for the indicators, with the region totals treated as published
    (they are the indicator table's disease_cases). A region whose cases fall in a single cause cannot be
    protected by this table alone (its one cell equals the published total); such cells are reported by
    `unprotected_diseases()`."""
    out = []
    regions = sorted(set(causes["region"]) - {NATIONAL})
    for year, part in causes.groupby("year"):
        full = part.copy()
        totals = part.groupby("region", as_index=False)[["cases", "enterprises"]].sum(min_count=1).assign(cause_group=ALL)
        # enterprises of a margin is not the sum of its cells' (one enterprise can have several causes);
        # the primary test of margins uses the summed count, which is an upper bound: margins are rarely small.
        full = pd.concat([full, totals], ignore_index=True)
        cases = full.pivot_table(index="region", columns="cause_group", values="cases", aggfunc="sum").reindex(
            index=[*regions, NATIONAL], columns=[*DISEASE_CAUSES, ALL]
        )
        ent = full.pivot_table(index="region", columns="cause_group", values="enterprises", aggfunc="sum").reindex(
            index=[*regions, NATIONAL], columns=[*DISEASE_CAUSES, ALL]
        )
        c = cases.to_numpy(dtype=float)
        e = ent.to_numpy(dtype=float)
        empty = np.nan_to_num(c) <= 0
        # region totals are published in the indicator table (disease_cases): known, never complements
        blocked = empty.copy()
        blocked[:, -1] = True
        prim = (e > 0) & (e < disclosure.MIN_ENTERPRISES) & ~blocked
        suppressed = disclosure.secondary(prim, disclosure.extended_cost(c), blocked)
        rows = {r: i for i, r in enumerate([*regions, NATIONAL])}
        cols = {s: j for j, s in enumerate([*DISEASE_CAUSES, ALL])}
        p = part.copy()
        ri = p["region"].map(rows).to_numpy(dtype=int)
        ci = p["cause_group"].map(cols).to_numpy(dtype=int)
        sup = suppressed[ri, ci]
        p["status"] = np.where(sup, disclosure.CONFIDENTIAL, disclosure.OK)
        p.loc[sup, "cases"] = np.nan
        p["year"] = int(str(year))
        out.append(p)
    if not out:
        return pd.DataFrame(columns=[c for c in DISEASE_COLUMNS if c != "series"])
    result = pd.concat(out, ignore_index=True)
    return result[[c for c in DISEASE_COLUMNS if c != "series"]]


def unprotected_diseases(diseases: pd.DataFrame) -> pd.DataFrame:
    """Confidential disease cells that are the only non-empty cause of their region (see protect_diseases)."""
    regional = diseases[diseases["region"] != NATIONAL]
    n_cells = regional.groupby(["year", "region"])["status"].transform("size")
    return regional[(regional["status"] == disclosure.CONFIDENTIAL) & (n_cells == 1)]


# --- disclosure control of the OSH-measure aggregates ---------------------------------------------------


def empty_measures() -> pd.DataFrame:
    frame = pd.DataFrame({c: pd.Series(dtype="float64") for c in MEASURE_COLUMNS})
    return frame.astype({"year": "int64", "region": "object", "section": "object", "status": "object"})


def protect_measures(sums: pd.DataFrame, *, min_reports: int = MIN_MEASURE_REPORTS) -> pd.DataFrame:
    """The published measure table from osh.measures.cell_sums: the margins of each year's region x section
    table (every region over all sections, every section over all regions, the country), the interior never
    published. Primary: a cell with 1..min_reports-1 reporting enterprises, or one reporter holding more than
    85 % of its workers, is sensitive (a hidden margin is confidential); secondary (osh.disclosure.secondary,
    the interior as free unknowns): further margins until no sensitive cell follows from the published ones
    (the regions' sums add up to the country's, so one hidden region alone would be the difference). The ratios are taken from the sums after
    that; hidden cells keep their row, marked, with no value."""
    regions, sections = list(codes_for_basis("current")), list(SECTION_CODES)
    rows, cols = [*regions, NATIONAL], [*sections, ALL]
    out = []
    for year, part in sums.groupby("year", sort=True):
        grids = {col: _extended(part, col, regions=regions, sections=sections) for col in osh_measures.SUMS}
        reports = np.nan_to_num(grids["reports"])
        empty = reports <= 0
        prim = disclosure.primary(reports, grids["workers"], grids["largest"], min_enterprises=min_reports)
        interior = np.zeros_like(empty)
        interior[:-1, :-1] = True
        suppressed = disclosure.secondary(prim, disclosure.extended_cost(grids["workers"]), empty, unpublished=interior)
        cells = [(i, len(cols) - 1) for i in range(len(rows))] + [(len(rows) - 1, j) for j in range(len(cols) - 1)]
        frame = pd.DataFrame({"region": [rows[i] for i, _ in cells], "section": [cols[j] for _, j in cells]})
        idx = (np.array([i for i, _ in cells]), np.array([j for _, j in cells]))
        status = np.where(empty[idx], disclosure.NO_DATA, np.where(suppressed[idx], disclosure.CONFIDENTIAL, disclosure.OK))
        frame["reporting_enterprises"] = grids["reports"][idx]
        frame["reporting_workers"] = grids["workers"][idx]
        for name, (num, den) in osh_measures.PUBLIC_MEASURES.items():
            with np.errstate(all="ignore"):
                frame[name] = grids[num][idx] / grids[den][idx]
        gone = coverage.not_existing(frame["region"], pd.Series(int(str(year)), index=frame.index), basis="current")
        status = np.where(gone, NOT_EXISTING, status)
        frame["status"] = status
        frame.loc[frame["status"] != disclosure.OK, list(MEASURE_VALUES)] = np.nan
        out.append(frame.assign(year=int(str(year))))
    if not out:
        return empty_measures()
    result = pd.concat(out, ignore_index=True)[list(MEASURE_COLUMNS)]
    return result.astype({"year": "int64", **dict.fromkeys(MEASURE_VALUES, "float64")})


def _nanmax_rows(values: np.ndarray) -> np.ndarray:
    """Row-wise maximum ignoring NaN; NaN for an all-NaN row (without numpy's warning)."""
    present = ~np.isnan(values)
    return np.where(present.any(axis=1), np.where(present, values, -np.inf).max(axis=1), np.nan)


def _extended(part: pd.DataFrame, col: str, *, regions: list[str], sections: list[str]) -> np.ndarray:
    """Region x section matrix of one sum with its margins (last row: sections over all regions; last column:
    regions over all sections); NaN where no report is. `largest` takes the maximum, every other sum the sum."""
    biggest = col == "largest"
    inner = part.pivot_table(index="region", columns="section", values=col, aggfunc="max" if biggest else "sum")
    inner_a = inner.reindex(index=regions, columns=sections).to_numpy(dtype=float)
    present = ~np.isnan(inner_a)
    ext = np.full((len(regions) + 1, len(sections) + 1), np.nan)
    ext[:-1, :-1] = inner_a
    if biggest:
        ext[:-1, -1] = _nanmax_rows(inner_a)
        ext[-1, :-1] = _nanmax_rows(inner_a.T)
    else:
        zeros = np.where(present, inner_a, 0.0)
        ext[:-1, -1] = np.where(present.any(axis=1), zeros.sum(axis=1), np.nan)
        ext[-1, :-1] = np.where(present.any(axis=0), zeros.sum(axis=0), np.nan)
    ext[-1, -1] = (inner_a[present].max() if biggest else inner_a[present].sum()) if present.any() else np.nan
    return ext


# --- building, writing, reading ----------------------------------------------------------------------


def complete_grid(table: pd.DataFrame) -> pd.DataFrame:
    """Every (year, basis, series, region incl. KZ, section incl. ALL) present: absent cells are explicit "no_data";
    on the current basis the regions created in 2022 are "not_existing" in the years before."""
    frames = []
    for (basis, series_id), part in table.groupby(["basis", "series"], sort=True):
        regions = [*codes_for_basis("harmonised" if basis == "harmonised" else "current"), NATIONAL]
        sections = [*SECTION_CODES, ALL]
        years = sorted(set(part["year"].astype(int)))
        frames.append(
            pd.MultiIndex.from_product([years, [basis], [series_id], regions, sections], names=list(KEY_COLUMNS)).to_frame(index=False)
        )
    if not frames:
        return table
    grid = pd.concat(frames, ignore_index=True)
    out = grid.merge(table.assign(year=table["year"].astype(int)), on=list(KEY_COLUMNS), how="left")
    out["status"] = out["status"].fillna(disclosure.NO_DATA)
    for basis, part in out.groupby("basis", sort=False):
        gone = coverage.not_existing(part["region"], part["year"], basis=str(basis))
        idx = part.index[gone]
        out.loc[idx, "status"] = NOT_EXISTING
        out.loc[idx, list(VALUE_COLUMNS)] = np.nan
        out.loc[idx, ["covered", "cover_of"]] = np.nan
        out.loc[part.index, "includes"] = coverage.includes(part["region"], part["year"], basis=str(basis)).to_numpy()
    return out[list(INDICATOR_COLUMNS)]


def _official() -> pd.DataFrame:
    from data.official import official_figures

    frame = official_figures()
    return frame[list(OFFICIAL_COLUMNS)]


def _meta(store: Store, cube: pd.DataFrame, *, series_ids: list[str], default_series: str) -> dict[str, str]:
    years = sorted(int(y) for y in cube["year"].unique()) if len(cube) else []
    dataset = store.get_meta("dataset") or ("demo" if store.has_table("demo_truth") else "real")
    as_of = store.get_meta("data_as_of")
    if not as_of and store.count("accidents"):
        as_of = str(store.sql("SELECT max(date) AS d FROM accidents")["d"].iloc[0])[:10]
    return {
        "dataset": dataset,
        "data_as_of": as_of or "",
        "built_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "store_version": store.version,
        "years": f"{years[0]}-{years[-1]}" if years else "",
        "series": ",".join(series_ids),
        "default_series": default_series,
    }


def build_public_data(store: Store, *, default_series: str | None = None) -> PublicData:
    """Compute every public table from the store, for every series it holds, and apply disclosure control (the
    barometer's only input). `default_series` (else pick_series()) is what the pages show first. Raises
    PublicDataError when the store has no figures to compute them from."""
    raw = indicators.raw_inputs(store)
    try:  # a store without figures of the series: PublicDataError, the one error readers of this module handle
        chosen = indicators.pick_series(raw, default_series)
        series_ids = indicators.available_series(raw) or [chosen]
        cubes = []
        for basis in ("current", "harmonised"):
            cells = indicators.record_cells(store, basis=basis, raw=raw)
            cubes += [indicators.cube(store, basis=basis, series=s, raw=raw, cells=cells) for s in series_ids]
    except indicators.IndicatorError as exc:
        raise PublicDataError(f"no public tables can be computed: {exc}") from exc
    cube = pd.concat(cubes, ignore_index=True)
    protected = protect_indicators(cube)
    table = complete_grid(protected[list(INDICATOR_COLUMNS)])
    diseases = _diseases(store, raw=raw, series_ids=series_ids)
    data = PublicData(
        indicators=table.sort_values(["basis", "series", "year", "region", "section"]).reset_index(drop=True),
        diseases=diseases.reset_index(drop=True),
        targets=_targets(table),
        official=_official(),
        gap=gap_indicator.gap_table(table),
        measures=protect_measures(osh_measures.cell_sums(store)),
        meta=_meta(store, table, series_ids=series_ids, default_series=chosen),
    )
    check_public(data)
    return data


# The Concept's target values were set on the statistics bureau's figures (2 449 injured, 205 deaths in 2022).
TARGET_SERIES = "bns"
# target indicators whose actual value comes from the injury counts (the rest do not depend on the series)
_COUNT_TARGET_COLUMNS = ("fatal_rate_1000", "fatal_rate_1000_lo", "fatal_rate_1000_hi", "hidden_ratio",
                         "injury_rate_1000", "injury_rate_1000_lo", "injury_rate_1000_hi")


def _targets(table: pd.DataFrame) -> pd.DataFrame:
    """Targets tracked on the statistics bureau's series only; without it the count-based actuals are no data."""
    current = table[table["basis"] == "current"]
    if (current["series"] == TARGET_SERIES).any():
        base = current[current["series"] == TARGET_SERIES]
    else:
        first = sorted(set(current["series"]))[:1]
        base = current[current["series"].isin(first)].copy()
        base.loc[:, list(_COUNT_TARGET_COLUMNS)] = np.nan
    return targets.track(base).assign(series=TARGET_SERIES)


def _diseases(store: Store, *, raw: indicators.RawInputs, series_ids: list[str]) -> pd.DataFrame:
    frames = []
    for series_id in series_ids:
        causes = indicators.cause_structure(store, basis="current", series=series_id, raw=raw)
        if len(causes):
            frames.append(protect_diseases(causes).assign(series=series_id))
    if not frames:
        return pd.DataFrame(columns=list(DISEASE_COLUMNS))
    return pd.concat(frames, ignore_index=True)[list(DISEASE_COLUMNS)]


def check_public(data: PublicData) -> None:
    """Refuse to publish anything identifying: no BIN, name or coordinates, no enterprise-level rows."""
    for name in TABLES:
        frame: pd.DataFrame = getattr(data, name)
        bad = FORBIDDEN_COLUMNS & set(frame.columns)
        if bad:
            raise PublicDataError(f"public table {name} has identifying columns {', '.join(sorted(bad))}")
    conf = data.indicators[data.indicators["status"] != disclosure.OK]
    if len(conf) and conf[list(VALUE_COLUMNS)].notna().any().any():
        raise PublicDataError("confidential or no-data rows of the indicator table still carry values")
    _check_measures(data.measures)


def _check_measures(table: pd.DataFrame) -> None:
    """The measure table holds margins only, hidden rows carry no value, and no published cell has fewer
    reporting enterprises than the rule allows (a second line of defence behind protect_measures)."""
    missing = [c for c in MEASURE_COLUMNS if c not in table.columns]
    if missing:
        raise PublicDataError(f"public table measures lacks columns {', '.join(missing)}")
    inner = table[(table["region"] != NATIONAL) & (table["section"] != ALL)]
    if len(inner):
        first = inner.iloc[0]
        raise PublicDataError(f"public table measures has {len(inner)} region x sector cells (first: region "
                              f"{first['region']}, section {first['section']}, {first['year']}); only margins are published")
    hidden = table[table["status"] != disclosure.OK]
    if len(hidden) and hidden[list(MEASURE_VALUES)].notna().any().any():
        raise PublicDataError("confidential or no-data rows of the measure table still carry values")
    few = table[(table["status"] == disclosure.OK) & (table["reporting_enterprises"] < MIN_MEASURE_REPORTS)]
    if len(few):
        first = few.iloc[0]
        raise PublicDataError(f"public table measures publishes a cell of {int(first['reporting_enterprises'])} reporting "
                              f"enterprises (region {first['region']}, section {first['section']}, {first['year']}); "
                              f"at least {MIN_MEASURE_REPORTS} are required")


def write_public_data(data: PublicData, *, out_dir: Path) -> None:
    """Parquet file per table plus meta.json, written to a temporary name and renamed (readers never see
    half a set)."""
    check_public(data)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    for name in TABLES:
        frame: pd.DataFrame = getattr(data, name)
        tmp = out_dir / f".{name}.parquet.tmp"
        frame.to_parquet(tmp, index=False)
        tmp.replace(out_dir / f"{name}.parquet")
    tmp_meta = out_dir / ".meta.json.tmp"
    tmp_meta.write_text(json.dumps(data.meta, ensure_ascii=False, indent=2, sort_keys=True), encoding="utf-8")
    tmp_meta.replace(out_dir / "meta.json")


def read_public_data(*, directory: Path) -> PublicData:
    """The public app's only input."""
    directory = Path(directory)
    missing = [f"{n}.parquet" for n in TABLES if not (directory / f"{n}.parquet").exists()]
    if not (directory / "meta.json").exists():
        missing.append("meta.json")
    if missing:
        raise PublicDataError(
            f"public data in {directory} is incomplete (missing {', '.join(missing)}); run 'enbek publish --out {directory}'"
        )
    frames = {n: pd.read_parquet(directory / f"{n}.parquet") for n in TABLES}
    try:
        meta = json.loads((directory / "meta.json").read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise PublicDataError(f"{directory / 'meta.json'} is not valid JSON: {exc}") from None
    return PublicData(meta={str(k): str(v) for k, v in meta.items()}, **frames)
