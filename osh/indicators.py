"""OSH indicators from the store: rates with exact Poisson intervals, hidden-injury ratio, shares, changes.

Everything is built from one additive "cell" frame at the finest grain (year x region x OKED section x
size class) so that any combination of dimensions is a plain group-by sum and aggregation is additive.

Counts belong to a series (docs/series.md, data/series.py): one series per table, never two summed or mixed.
Within the chosen series a cell's count is, in order: the published row of that level (`injury_counts`,
`disease_counts`); the accident / disease records of the year when the series is the store's records series;
the sum of finer published rows when they cover the whole level; else no data, with the coverage
(osh/coverage.py). Denominators: the `workers` published with the counts, else `employment` at that level
(national, region-only or region x section rows), else finer employment rows that cover the level; counts
from records use the record cells' workers (employment split across size classes by the register, or the
register's employees in a year without employment rows).
Regions follow the 2022 boundary change: on the current basis, data before 2022 located in Abai, Zhetisu or
Ulytau counts in the parent (which then `includes` them); on the harmonised basis children merge into parents.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import cast

import numpy as np
import pandas as pd
from scipy.stats import chi2

from data import series as series_registry
from data.codes import DIVISION_TO_SECTION, SIZE_LIMITS
from data.store import Store
from geo.regions import RETIRED_CODES, SPLIT_YEAR, SPLITS, Basis
from osh import coverage

NATIONAL = "KZ"
ALL = "ALL"
UNKNOWN_SIZE = "unknown"
DIMENSIONS: tuple[str, ...] = ("region", "section", "size_class")
COUNT_MEASURES: tuple[str, ...] = ("injured", "fatal", "disease_cases")

# Additive columns of a cell; max_employees is combined with max (largest single enterprise).
SUM_COLUMNS: tuple[str, ...] = (
    "enterprises",
    "reg_employees",
    "workers",
    "injured",
    "fatal",
    "disease_cases",
    "harmful_workers",
    "insured_enterprises",
    "assessed_enterprises",
    "self_assessed_enterprises",
    "inspections",
    "violations",
    "osh_violations",
)
MAX_COLUMNS: tuple[str, ...] = ("max_employees",)

# Value columns of the public indicator table (CONTRACTS.md section 1), in order.
VALUE_COLUMNS: tuple[str, ...] = (
    "enterprises",
    "workers",
    "injured",
    "fatal",
    "nonfatal",
    "injury_rate_1000",
    "injury_rate_1000_lo",
    "injury_rate_1000_hi",
    "fatal_rate_1000",
    "fatal_rate_1000_lo",
    "fatal_rate_1000_hi",
    "hidden_ratio",
    "disease_cases",
    "disease_rate_100k",
    "harmful_workers",
    "harmful_share",
    "insured_share",
    "assessed_share",
    "osh_violation_share",
    "self_assessed_share",
)


class IndicatorError(ValueError):
    """An indicator request that cannot be answered as asked."""


# --- arithmetic ----------------------------------------------------------------------------------


def per_100k(rate_per_1000: float | np.ndarray | pd.Series) -> float | np.ndarray | pd.Series:
    """A rate per 1000 workers expressed per 100 000 (the ILO form)."""
    return rate_per_1000 * 100.0


def rate(count: np.ndarray | pd.Series | float, exposure: np.ndarray | pd.Series | float, *, per: float = 1000.0) -> np.ndarray:
    """count / exposure x per; NaN where the exposure is 0 or unknown."""
    c = np.asarray(count, dtype=float)
    e = np.asarray(exposure, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(e > 0, c / e * per, np.nan)


def poisson_ci(count: np.ndarray | pd.Series | float, *, level: float = 0.95) -> tuple[np.ndarray, np.ndarray]:
    """Exact (Garwood) confidence interval of a Poisson count: chi-square quantiles.
    lower = chi2(a/2, 2k)/2 (0 for k = 0), upper = chi2(1 - a/2, 2k + 2)/2."""
    k = np.asarray(count, dtype=float)
    alpha = 1.0 - level
    with np.errstate(invalid="ignore"):
        lo = np.where(k > 0, chi2.ppf(alpha / 2, 2 * np.where(k > 0, k, 1)) / 2, 0.0)
        hi = chi2.ppf(1 - alpha / 2, 2 * k + 2) / 2
    lo = np.where(np.isnan(k), np.nan, lo)
    return lo, hi


def rate_ci(
    count: np.ndarray | pd.Series | float, exposure: np.ndarray | pd.Series | float, *, per: float = 1000.0, level: float = 0.95
) -> tuple[np.ndarray, np.ndarray]:
    lo, hi = poisson_ci(count, level=level)
    return rate(lo, exposure, per=per), rate(hi, exposure, per=per)


def hidden_ratio(injured: np.ndarray | pd.Series | float, fatal: np.ndarray | pd.Series | float) -> np.ndarray:
    """Non-fatal : fatal. NaN when there were no deaths ("no ratio"), never infinity or zero."""
    inj = np.asarray(injured, dtype=float)
    fat = np.asarray(fatal, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(fat > 0, (inj - fat) / fat, np.nan)


def share(part: np.ndarray | pd.Series | float, whole: np.ndarray | pd.Series | float) -> np.ndarray:
    p = np.asarray(part, dtype=float)
    w = np.asarray(whole, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(w > 0, p / w, np.nan)


def average_yearly_change(first: float, last: float, years: float) -> float:
    """Average yearly rate of change (geometric): (last/first)^(1/years) - 1; the EU figure is -4.8 %."""
    if years <= 0 or not first > 0 or not np.isfinite(last) or last < 0:
        return float("nan")
    return float((last / first) ** (1.0 / years) - 1.0)


def changes(frame: pd.DataFrame, *, column: str, by: Sequence[str] = ("basis", "region", "section")) -> pd.DataFrame:
    """Adds `<column>_yoy` (relative change on the previous year present) and `<column>_avg_change`
    (average yearly rate of change since the first year of the series) to an indicator table."""
    keys = [k for k in by if k in frame.columns]
    out = frame.sort_values([*keys, "year"]).copy()
    grouped = out.groupby(keys, sort=False, dropna=False) if keys else None
    values = out[column].astype(float)
    prev = grouped[column].shift(1) if grouped is not None else values.shift(1)
    out[f"{column}_yoy"] = share(values - prev, prev)
    first_val = grouped[column].transform("first") if grouped is not None else pd.Series(values.iloc[0], index=out.index)
    first_year = grouped["year"].transform("first") if grouped is not None else pd.Series(out["year"].iloc[0], index=out.index)
    span = (out["year"] - first_year).astype(float).to_numpy()
    fv = first_val.astype(float).to_numpy()
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where((fv > 0) & (span > 0), values.to_numpy() / fv, np.nan)
        out[f"{column}_avg_change"] = np.where(span > 0, np.power(ratio, 1.0 / np.where(span > 0, span, 1)) - 1.0, np.nan)
    return out


def derive(frame: pd.DataFrame) -> pd.DataFrame:
    """Rates, intervals, ratios and shares from the additive counts of an aggregated cell frame."""
    out = frame.copy()
    workers = out["workers"].to_numpy(dtype=float)
    injured = out["injured"].to_numpy(dtype=float)
    fatal = out["fatal"].to_numpy(dtype=float)
    out["nonfatal"] = injured - fatal
    out["injury_rate_1000"] = rate(injured, workers)
    out["injury_rate_1000_lo"], out["injury_rate_1000_hi"] = rate_ci(injured, workers)
    out["fatal_rate_1000"] = rate(fatal, workers)
    out["fatal_rate_1000_lo"], out["fatal_rate_1000_hi"] = rate_ci(fatal, workers)
    out["hidden_ratio"] = hidden_ratio(injured, fatal)
    out["disease_rate_100k"] = rate(out["disease_cases"], workers, per=100_000.0)
    out["harmful_share"] = share(out["harmful_workers"], workers)
    out["insured_share"] = share(out["insured_enterprises"], out["enterprises"])
    out["assessed_share"] = share(out["assessed_enterprises"], out["enterprises"])
    # counted apart from assessed_share: an express self-check is not an accredited assessment (target 1)
    out["self_assessed_share"] = share(out["self_assessed_enterprises"], out["enterprises"])
    out["osh_violation_share"] = share(out["osh_violations"], out["violations"])
    return out


# --- reading the store ---------------------------------------------------------------------------


def _size_sql(employees: str) -> str:
    micro, small, medium = SIZE_LIMITS
    return (
        f"CASE WHEN {employees} <= {micro} THEN 'micro' WHEN {employees} <= {small} THEN 'small' "
        f"WHEN {employees} <= {medium} THEN 'medium' ELSE 'large' END"
    )


ENTERPRISE_DIM_SQL = f"""
    SELECT bin, substr(kato, 1, 2) AS k2, substr(oked, 1, 2) AS d2,
           coalesce(size_class, {_size_sql('employees')}) AS size_class,
           employees, coalesce(harmful_workers, 0) AS harmful_workers, coalesce(active, TRUE) AS active
    FROM enterprises
"""


def map_region(k2: pd.Series, *, basis: Basis, years: pd.Series | np.ndarray | None = None) -> pd.Series:
    """Two-digit KATO prefixes -> region codes on the requested basis (vectorised). With `years`, the current
    basis follows the 2022 boundary change: a location in Abai, Zhetisu or Ulytau before 2022 was in the parent."""
    codes = k2.astype("string").replace(RETIRED_CODES)
    if basis == "harmonised":
        return codes.replace(SPLITS)
    if basis != "current":
        raise IndicatorError(f"basis must be 'current' or 'harmonised', got {basis!r}")
    if years is not None:
        early = np.asarray(pd.to_numeric(pd.Series(np.asarray(years)), errors="coerce").to_numpy() < SPLIT_YEAR, dtype=bool)
        codes = codes.where(~early, codes.replace(SPLITS))
    return codes


def map_section(d2: pd.Series) -> pd.Series:
    return d2.astype("string").map(DIVISION_TO_SECTION)


def _tidy(frame: pd.DataFrame, *, basis: Basis, keys: Sequence[str]) -> pd.DataFrame:
    """Map k2/d2 columns to region/section and sum the numeric columns over the requested keys."""
    out = frame.copy()
    if "k2" in out.columns:
        out["region"] = map_region(out.pop("k2"), basis=basis, years=out["year"] if "year" in out.columns else None)
    if "d2" in out.columns:
        out["section"] = map_section(out.pop("d2"))
    if "size_class" in out.columns:
        out["size_class"] = out["size_class"].astype("string").fillna(UNKNOWN_SIZE)
    out = out.dropna(subset=[k for k in keys if k in ("region", "section")])
    values = [c for c in out.columns if c not in keys]
    out = out.groupby(list(keys), as_index=False, sort=False)[values].sum()
    if out.empty:  # typed empty frame: arrow-backed empty string columns cannot be merged
        return _typed_empty(keys, values)
    return out


def _typed_empty(keys: Sequence[str], values: Sequence[str]) -> pd.DataFrame:
    return pd.DataFrame({k: pd.Series(dtype="int64" if k == "year" else object) for k in keys} | {v: pd.Series(dtype=float) for v in values})


def _published_empty() -> pd.DataFrame:
    return pd.DataFrame(columns=["year", "region", "oked_section", "source"])


@dataclass(frozen=True)
class RawInputs:
    """Everything the indicators read from the store, fetched once (region codes not yet on a basis)."""

    parts: dict[str, pd.DataFrame]  # kind -> frame with k2 / d2 or section / size_class and value columns
    years: dict[str, set[int]]  # table -> years present
    injury_counts: pd.DataFrame
    disease_counts: pd.DataFrame
    has_assessments: bool
    records_series: str  # the series the accident and disease records belong to (docs/series.md)
    # bin, year of a self-assessment, k2, d2, size_class, first_accredited (year or NaN); None: no self-assessments
    self_assessed: pd.DataFrame | None = None


# kind -> (value column names for v1..v4)
_KINDS: dict[str, tuple[str, ...]] = {
    "register": ("enterprises", "reg_employees", "max_employees", "reg_harmful"),
    "employment": ("emp", "emp_harmful", "n_harmful"),
    "accidents": ("injured", "fatal"),
    "diseases": ("disease_cases",),
    "inspections": ("inspections", "violations", "osh_violations"),
    "insurance": ("insured_enterprises",),
    "assessed": ("assessed_new",),
}


def year_of(column: str) -> str:
    """The calendar year of a DATE column, in SQL that DuckDB and PostgreSQL both run (BIGINT on both)."""
    return f"CAST(EXTRACT(YEAR FROM {column}) AS BIGINT)"


def _raw_sql() -> str:
    # Standard SQL that both store engines run (docs/deployment.md): explicit GROUP BY lists, CAST, EXTRACT.
    ent = ENTERPRISE_DIM_SQL
    dbl = "DOUBLE PRECISION"
    acc_k2, acc_d2 = "substr(coalesce(a.kato, e.k2), 1, 2)", "substr(coalesce(a.oked, e.d2), 1, 2)"
    dis_k2, dis_d2 = "substr(coalesce(d.region, e.k2), 1, 2)", "substr(coalesce(d.oked, e.d2), 1, 2)"
    return f"""
    WITH e AS MATERIALIZED ({ent})
    SELECT 'register' AS kind, CAST(NULL AS BIGINT) AS year, k2, d2, CAST(NULL AS VARCHAR) AS sec, size_class,
           CAST(count(*) AS {dbl}) AS v1, CAST(sum(employees) AS {dbl}) AS v2, CAST(max(employees) AS {dbl}) AS v3,
           CAST(sum(harmful_workers) AS {dbl}) AS v4
      FROM e WHERE active GROUP BY k2, d2, size_class
    UNION ALL
    SELECT 'employment', year, substr(region, 1, 2), NULL, oked_section, NULL,
           sum(employees), sum(harmful_conditions), count(harmful_conditions), NULL
      FROM employment GROUP BY year, substr(region, 1, 2), oked_section
    UNION ALL
    SELECT 'accidents', {year_of("a.date")}, {acc_k2}, {acc_d2}, NULL,
           e.size_class, sum(a.injured), sum(a.fatal), NULL, NULL
      FROM accidents a LEFT JOIN e USING (bin) GROUP BY {year_of("a.date")}, {acc_k2}, {acc_d2}, e.size_class
    UNION ALL
    SELECT 'diseases', d.year, {dis_k2}, {dis_d2}, NULL,
           e.size_class, sum(d.cases), NULL, NULL, NULL
      FROM occupational_diseases d LEFT JOIN e USING (bin) GROUP BY d.year, {dis_k2}, {dis_d2}, e.size_class
    UNION ALL
    SELECT 'inspections', {year_of("i.date")}, e.k2, e.d2, NULL, e.size_class, count(*), sum(i.violations), sum(i.osh_violations), NULL
      FROM inspections i JOIN e USING (bin) GROUP BY {year_of("i.date")}, e.k2, e.d2, e.size_class
    UNION ALL
    SELECT 'insurance', i.year, e.k2, e.d2, NULL, e.size_class, count(*), NULL, NULL, NULL  -- (bin, year) is the key
      FROM insurance i JOIN e USING (bin) WHERE i.covered AND e.active GROUP BY i.year, e.k2, e.d2, e.size_class
    UNION ALL
    SELECT 'assessed', w.first_year, e.k2, e.d2, NULL, e.size_class, count(*), NULL, NULL, NULL
      FROM (SELECT bin, min({year_of("assessment_date")}) AS first_year FROM workplace_assessments GROUP BY bin) w
      JOIN e USING (bin) WHERE e.active GROUP BY w.first_year, e.k2, e.d2, e.size_class
    UNION ALL
    SELECT 'years_' || t, y, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL FROM (
        SELECT DISTINCT 'accidents' AS t, {year_of("date")} AS y FROM accidents
        UNION ALL SELECT DISTINCT 'occupational_diseases', year FROM occupational_diseases
        UNION ALL SELECT DISTINCT 'insurance', year FROM insurance
        UNION ALL SELECT DISTINCT 'inspections', {year_of("date")} FROM inspections
        UNION ALL SELECT DISTINCT 'injury_counts', year FROM injury_counts
        UNION ALL SELECT DISTINCT 'disease_counts', year FROM disease_counts
        UNION ALL SELECT DISTINCT 'workplace_assessments', CAST(NULL AS BIGINT) FROM workplace_assessments) AS marks
    """


def raw_inputs(store: Store) -> RawInputs:
    """Read the store once for all indicators (one query for the record-level parts)."""
    raw = store.sql(_raw_sql())
    parts: dict[str, pd.DataFrame] = {}
    for kind, names in _KINDS.items():
        sub = raw[raw["kind"] == kind]
        frame = pd.DataFrame(
            {
                "year": sub["year"].to_numpy(),
                "k2": sub["k2"].to_numpy(),
                "d2": sub["d2"].to_numpy(),
                "section": sub["sec"].to_numpy(),
                "size_class": sub["size_class"].to_numpy(),
            }
            | {name: sub[f"v{i + 1}"].to_numpy(dtype=float) for i, name in enumerate(names)}
        )
        parts[kind] = frame
    marks = raw[raw["kind"].str.startswith("years_")]
    years: dict[str, set[int]] = {}
    for mark, sub in marks.groupby("kind"):
        years[str(mark)[len("years_"):]] = {int(y) for y in sub["year"].dropna()}
    return RawInputs(
        parts=parts,
        years=years,
        injury_counts=_read(store, "injury_counts") if years.get("injury_counts") else _published_empty(),
        disease_counts=_read(store, "disease_counts") if years.get("disease_counts") else _published_empty(),
        has_assessments="workplace_assessments" in years,
        records_series=series_registry.records_series(store.get_meta("records_series")),
        self_assessed=_read_self_assessed(store),
    )


def _read_self_assessed(store: Store) -> pd.DataFrame | None:
    """Each active enterprise's years with an express self-assessment and the year of its first accredited one
    (stores built before the self_assessments table existed have none)."""
    if not store.has_table("self_assessments") or store.count("self_assessments") == 0:
        return None
    return store.sql(f"""
        WITH e AS ({ENTERPRISE_DIM_SQL}),
             w AS (SELECT bin, min({year_of("assessment_date")}) AS first_accredited FROM workplace_assessments GROUP BY bin)
        SELECT s.bin, s.year, e.k2, e.d2, e.size_class, CAST(w.first_accredited AS DOUBLE PRECISION) AS first_accredited
          FROM (SELECT DISTINCT bin, {year_of("submitted_on")} AS year FROM self_assessments) AS s
          JOIN e USING (bin) LEFT JOIN w USING (bin)
         WHERE e.active""")


def _part(raw: RawInputs, kind: str, *, basis: Basis, keys: list[str]) -> pd.DataFrame:
    """One kind of record aggregate on a basis, summed over `keys`."""
    frame = raw.parts[kind]
    cols = ["k2", "section" if kind == "employment" else "d2"]
    cols += [k for k in keys if k in ("year", "size_class")] + list(_KINDS[kind])
    frame = frame[cols]
    if kind == "employment":
        # the cells take region x section rows; national and region-only totals are used by the resolution
        frame = frame.dropna(subset=["k2", "section"])
        frame = coverage.fold_children(frame.rename(columns={"k2": "region"}), keys=("year", "region", "section"))
        frame = frame.rename(columns={"region": "k2"})
    if "year" in keys:
        frame = frame.assign(year=frame["year"].astype("int64"))
    return _tidy(frame, basis=basis, keys=keys)


def _register_cells(raw: RawInputs, *, basis: Basis, years: Sequence[int]) -> pd.DataFrame:
    """The register in every year, its regions as they were that year (max_employees stays a max)."""
    reg = raw.parts["register"]
    reg = reg.assign(section=map_section(reg["d2"])).dropna(subset=["section"])
    cols = ["enterprises", "reg_employees", "reg_harmful", "max_employees"]
    if reg.empty:
        return _typed_empty(["year", "region", "section", "size_class"], cols)
    base = reg.groupby(["k2", "section", "size_class"], as_index=False, dropna=False).agg(
        enterprises=("enterprises", "sum"), reg_employees=("reg_employees", "sum"),
        reg_harmful=("reg_harmful", "sum"), max_employees=("max_employees", "max"),
    )
    frame = base.merge(pd.DataFrame({"year": list(years)}), how="cross")
    frame["region"] = map_region(frame.pop("k2"), basis=basis, years=frame["year"])
    frame["size_class"] = frame["size_class"].astype("string").fillna(UNKNOWN_SIZE)
    grouped = frame.groupby(["region", "section", "size_class", "year"], as_index=False)
    out = grouped[["enterprises", "reg_employees", "reg_harmful"]].sum()
    out["max_employees"] = grouped[["max_employees"]].max()["max_employees"].to_numpy()
    return out


def _assessed_cells(raw: RawInputs, *, basis: Basis, years: Sequence[int]) -> pd.DataFrame:
    """Enterprises assessed so far: an enterprise counts from the year of its first workplace assessment on, in
    the region its location belonged to in each year counted (a stock, so mapped by the year observed)."""
    keys = ["year", "region", "section", "size_class"]
    first = raw.parts["assessed"]
    if first.empty or not years:
        return _typed_empty(keys, ["assessed_enterprises"])
    first = first.assign(section=map_section(first["d2"]), size_class=first["size_class"].astype("string").fillna(UNKNOWN_SIZE))
    first = first.dropna(subset=["section"]).assign(k2=first["k2"].astype("string").fillna(""))
    fa = first.pivot_table(index=["k2", "section", "size_class"], columns="year", values="assessed_new", aggfunc="sum")
    fa = fa.reindex(columns=sorted(set(fa.columns) | set(years)), fill_value=0).fillna(0).cumsum(axis=1)
    fa = fa[[y for y in fa.columns if y in set(years)]]
    stock = fa.reset_index().melt(id_vars=["k2", "section", "size_class"], var_name="year", value_name="assessed_enterprises")
    stock["year"] = stock["year"].astype(int)
    stock["region"] = map_region(stock.pop("k2"), basis=basis, years=stock["year"])
    return cast(pd.DataFrame, stock.groupby(keys, as_index=False)["assessed_enterprises"].sum())


def _self_assessed_cells(raw: RawInputs, *, basis: Basis, years: Sequence[int]) -> pd.DataFrame:
    """Enterprises whose only workplace assessment in a year is a valid express self-assessment: one made in that
    year or the VALID_YEARS - 1 before (osh/selfcheck/weight.py) and no accredited assessment by then. Each
    enterprise counts once a year; with assessed_enterprises this adds up to every enterprise with any assessment."""
    from osh.selfcheck.weight import VALID_YEARS

    keys = ["year", "region", "section", "size_class"]
    found = raw.self_assessed
    if found is None or found.empty or not years:
        return _typed_empty(keys, ["self_assessed_enterprises"])
    made = found["year"].to_numpy(dtype=np.int64)
    spread = pd.concat([found.assign(year=made + k) for k in range(VALID_YEARS)], ignore_index=True)
    accredited = spread["first_accredited"].to_numpy(dtype=float)
    spread = spread[spread["year"].isin(list(years)) & ~(accredited <= spread["year"].to_numpy(dtype=float))]
    spread = spread.drop_duplicates(["bin", "year"])
    spread = spread.assign(section=map_section(spread["d2"]), size_class=spread["size_class"].astype("string").fillna(UNKNOWN_SIZE))
    spread = spread.dropna(subset=["section"])
    spread = spread.assign(region=map_region(spread["k2"].astype("string").fillna(""), basis=basis, years=spread["year"]),
                           self_assessed_enterprises=1.0)
    if spread.empty:
        return _typed_empty(keys, ["self_assessed_enterprises"])
    return cast(pd.DataFrame, spread.groupby(keys, as_index=False)["self_assessed_enterprises"].sum())


def record_cells(store: Store, *, basis: Basis = "current", raw: RawInputs | None = None) -> pd.DataFrame:
    """The finest additive frame from record-level data: one row per year x region x section x size class."""
    keys = ["year", "region", "section", "size_class"]
    raw = raw or raw_inputs(store)
    employment = _part(raw, "employment", basis=basis, keys=["year", "region", "section"])
    accidents = _part(raw, "accidents", basis=basis, keys=keys)
    diseases = _part(raw, "diseases", basis=basis, keys=keys)
    inspections = _part(raw, "inspections", basis=basis, keys=keys)
    insured = _part(raw, "insurance", basis=basis, keys=keys)

    record_years = {t: raw.years.get(t, set()) for t in ("accidents", "insurance", "inspections")}
    years = sorted(
        set(employment["year"].astype(int))
        | record_years["accidents"]
        | raw.years.get("occupational_diseases", set())
        | record_years["insurance"]
        | record_years["inspections"]
        | raw.years.get("injury_counts", set())
        | raw.years.get("disease_counts", set())
    )
    if not years:
        return pd.DataFrame(columns=[*keys, *SUM_COLUMNS, *MAX_COLUMNS])

    # Skeleton: every year x register cell, plus any (year, region, section) known only from other tables.
    skeleton = _register_cells(raw, basis=basis, years=years)
    extra = pd.concat(
        [f[keys] for f in (accidents, diseases, inspections, insured)]
        + [employment[["year", "region", "section"]].assign(size_class=UNKNOWN_SIZE)],
        ignore_index=True,
    ).drop_duplicates()
    cells = skeleton.merge(extra, on=keys, how="outer")
    for frame in (accidents, diseases, inspections, insured):
        cells = cells.merge(frame, on=keys, how="left")

    cells = cells.merge(_assessed_cells(raw, basis=basis, years=years), on=keys, how="left")
    if not raw.has_assessments:
        cells["assessed_enterprises"] = 0.0
    cells = cells.merge(_self_assessed_cells(raw, basis=basis, years=years), on=keys, how="left")

    # Workers: employment split across size classes by the register's employees within (region, section).
    cells = cells.merge(employment, on=["year", "region", "section"], how="left")
    reg_emp = cells["reg_employees"].fillna(0.0)
    cell_total = cells.groupby(["year", "region", "section"])["reg_employees"].transform("sum").fillna(0.0)
    is_unknown = cells["size_class"] == UNKNOWN_SIZE
    share_of_cell = np.where(cell_total > 0, reg_emp / cell_total.where(cell_total > 0, 1.0), np.where(is_unknown, 1.0, 0.0))
    emp = cells["emp"].to_numpy(dtype=float)
    has_emp = ~np.isnan(emp)
    cells["workers"] = np.where(has_emp, np.nan_to_num(emp) * share_of_cell, reg_emp)
    reg_harm = cells["reg_harmful"].fillna(0.0)
    harm_total = cells.groupby(["year", "region", "section"])["reg_harmful"].transform("sum").fillna(0.0)
    harm_share = np.where(harm_total > 0, reg_harm / harm_total.where(harm_total > 0, 1.0), share_of_cell)
    has_emp_harm = cells["n_harmful"].fillna(0).to_numpy() > 0
    cells["harmful_workers"] = np.where(has_emp_harm, cells["emp_harmful"].fillna(0.0).to_numpy() * harm_share, reg_harm)
    cells = cells.drop(columns=["emp", "emp_harmful", "n_harmful", "reg_harmful"])

    for col in SUM_COLUMNS:
        if col not in cells.columns:
            cells[col] = 0.0
        cells[col] = cells[col].astype(float).fillna(0.0)
    cells["max_employees"] = cells["max_employees"].astype(float).fillna(0.0)
    # Years without records of a kind have unknown (not zero) values.
    for col, table in (
        ("insured_enterprises", "insurance"),
        ("inspections", "inspections"),
        ("violations", "inspections"),
        ("osh_violations", "inspections"),
    ):
        cells.loc[~cells["year"].isin(record_years[table]), col] = np.nan
    if not raw.has_assessments:
        cells["assessed_enterprises"] = np.nan
    if raw.self_assessed is None:  # no express self-assessments in the store: unknown, not zero
        cells["self_assessed_enterprises"] = np.nan
    cells["year"] = cells["year"].astype(int)
    return cells[[*keys, *SUM_COLUMNS, *MAX_COLUMNS]]


# --- series and published counts --------------------------------------------------------------------


def available_series(raw: RawInputs) -> list[str]:
    """Series with any figure in the store: those of the published counts, and the records series if there are records."""
    found: set[str] = set()
    for frame in (raw.injury_counts, raw.disease_counts):
        if len(frame):
            found |= set(frame["source"].dropna().astype(str))
    if raw.years.get("accidents") or raw.years.get("occupational_diseases"):
        found.add(raw.records_series)
    return sorted(found)


def pick_series(raw: RawInputs, requested: str | None = None) -> str:
    """The series asked for (an error if the store has none of its figures), else the default setting when the
    store has it, else the records series, else the first published one."""
    present = available_series(raw)
    if requested is not None:
        chosen = series_registry.normalise(requested)
        if chosen not in present:
            raise IndicatorError(f"series {requested!r} has no figures in the store; present: {', '.join(present) or 'none'}")
        return chosen
    default = series_registry.default_series()
    if default in present or not present:
        return default
    return raw.records_series if raw.records_series in present else present[0]


def _long(frame: pd.DataFrame, column: str, measure: str) -> pd.DataFrame:
    """Published rows of one count as long rows (region KZ / section ALL for totals); a missing count is no row."""
    region = frame["region"].astype("string").str[:2].replace(RETIRED_CODES) if "region" in frame.columns else pd.Series(pd.NA, index=frame.index)
    section = frame["oked_section"].astype("string") if "oked_section" in frame.columns else pd.Series(pd.NA, index=frame.index)
    out = pd.DataFrame(
        {
            "year": frame["year"].astype(int).to_numpy(),
            "region": region.fillna(NATIONAL).astype(str).to_numpy(),
            "section": section.fillna(ALL).astype(str).to_numpy(),
            "measure": measure,
            "value": pd.to_numeric(frame[column], errors="coerce").astype(float).to_numpy(),
        }
    )
    return out.dropna(subset=["value"])


def published_long(raw: RawInputs, *, series: str) -> pd.DataFrame:
    """One series' published injured, fatal, workers and disease cases as long rows (current codes)."""
    frames: list[pd.DataFrame] = []
    inj = raw.injury_counts
    if len(inj):
        inj = inj[inj["source"].astype(str) == series]
        frames += [_long(inj, m, m) for m in ("injured", "fatal", "workers") if m in inj.columns]
    dis = raw.disease_counts
    if len(dis):
        dis = dis[dis["source"].astype(str) == series]
        # all-causes rows win; a level published only by cause is the sum of its causes (same series)
        keys = ["year", "region", "oked_section"]
        totals = dis[dis["cause_group"].isna()][[*keys, "cases"]]
        by_cause = dis[dis["cause_group"].notna()].groupby(keys, dropna=False, as_index=False)["cases"].sum(min_count=1)
        shadowed = by_cause[keys].merge(totals[keys].drop_duplicates(), on=keys, how="left", indicator=True)["_merge"].eq("both")
        derived = by_cause[~shadowed.to_numpy()]
        frames.append(_long(pd.concat([totals, derived], ignore_index=True), "cases", "disease_cases"))
    frames = [f for f in frames if len(f)]
    if not frames:
        return pd.DataFrame(columns=list(coverage.LONG_COLUMNS))
    return pd.concat(frames, ignore_index=True)


def employment_long(raw: RawInputs) -> pd.DataFrame:
    """Employment at every level it was given (national, region-only, region x section) as long rows."""
    emp = raw.parts["employment"]
    if emp.empty:
        return pd.DataFrame(columns=list(coverage.LONG_COLUMNS))
    region = emp["k2"].astype("string").replace(RETIRED_CODES).fillna(NATIONAL)
    out = pd.DataFrame(
        {
            "year": emp["year"].astype(int).to_numpy(),
            "region": region.astype(str).to_numpy(),
            "section": emp["section"].astype("string").fillna(ALL).astype(str).to_numpy(),
            "measure": "workers",
            "value": emp["emp"].astype(float).to_numpy(),
        }
    )
    summed = cast(pd.DataFrame, out.groupby(["year", "region", "section", "measure"], as_index=False)["value"].sum(min_count=1))
    return summed.dropna(subset=["value"])


@dataclass(frozen=True)
class Resolved:
    """One series on one basis: its published counts, published workers and the employment table at every level
    they give or completely cover (osh.coverage rows: published, derived or partial)."""

    series: str
    counts: pd.DataFrame
    pub_workers: pd.DataFrame
    employment: pd.DataFrame
    record_years: dict[str, set[int]]  # measure -> years whose records belong to this series (empty otherwise)


def resolve(raw: RawInputs, *, basis: Basis, series: str) -> Resolved:
    pub = published_long(raw, series=series)
    counts = pub[pub["measure"] != "workers"]
    workers = pub[pub["measure"] == "workers"]
    use_records = series == raw.records_series
    acc_years = raw.years.get("accidents", set()) if use_records else set()
    dis_years = raw.years.get("occupational_diseases", set()) if use_records else set()
    return Resolved(
        series=series,
        counts=coverage.derive_levels(coverage.onto_basis(counts, basis=basis), basis=basis),
        pub_workers=coverage.derive_levels(coverage.onto_basis(workers, basis=basis), basis=basis),
        employment=coverage.derive_levels(coverage.onto_basis(employment_long(raw), basis=basis), basis=basis, region_needs_sections=False),
        record_years={"injured": set(acc_years), "fatal": set(acc_years), "disease_cases": set(dis_years)},
    )


def _read(store: Store, table: str) -> pd.DataFrame:
    if not store.has_table(table) or store.count(table) == 0:
        return _published_empty()
    frame = store.read(table)
    frame["year"] = frame["year"].astype(int)
    frame["source"] = frame["source"].astype(str).map(series_registry.normalise)
    return frame


# --- the public entry points ---------------------------------------------------------------------


def _level_keys(by: Iterable[str]) -> list[str]:
    keys = list(dict.fromkeys(by))
    unknown = [k for k in keys if k not in DIMENSIONS]
    if unknown:
        raise IndicatorError(f"unknown breakdown {', '.join(unknown)}; choose from {', '.join(DIMENSIONS)}")
    return keys


def aggregate(cells: pd.DataFrame, *, by: Sequence[str]) -> pd.DataFrame:
    """Sum a cell frame over everything but year and `by`; absent dimensions become KZ / ALL."""
    keys = ["year", *_level_keys(by)]
    grouped = cells.groupby(keys, as_index=False, sort=True)
    out = grouped[list(SUM_COLUMNS)].sum(min_count=1)
    out[list(MAX_COLUMNS)] = grouped[list(MAX_COLUMNS)].max()[list(MAX_COLUMNS)].to_numpy()
    for dim, total in (("region", NATIONAL), ("section", ALL), ("size_class", ALL)):
        if dim not in keys:
            out[dim] = total
    return out


def _values(rows: pd.DataFrame, index: pd.MultiIndex, *, measure: str, origins: Sequence[str], column: str = "value") -> np.ndarray:
    """One measure's `column` from resolved rows of the given origins, aligned to `index` (NaN where absent)."""
    sel = rows[(rows["measure"] == measure) & rows["origin"].isin(list(origins))]
    if sel.empty:
        return np.full(len(index), np.nan)
    series = sel.drop_duplicates(["year", "region", "section"]).set_index(["year", "region", "section"])[column]
    return series.reindex(index).to_numpy(dtype=float)


def _resolve_level(out: pd.DataFrame, res: Resolved, *, keys: list[str], employment_years: set[int]) -> pd.DataFrame:
    """Counts and workers of one breakdown level by the precedence of docs/series.md."""
    level = {"region": "region" in keys, "section": "section" in keys}
    counts = coverage.at_level(res.counts, **level)
    key = ["year", "region", "section"]
    frame = pd.concat([out[key], counts[key]], ignore_index=True).drop_duplicates()
    frame["year"] = frame["year"].astype(int)
    result = frame.merge(out, on=key, how="left")
    result["size_class"] = ALL
    idx = pd.MultiIndex.from_frame(result[key])
    years = result["year"].to_numpy()
    origin = np.full(len(result), "", dtype=object)
    covered = np.full(len(result), np.nan)
    cover_of = np.full(len(result), np.nan)
    for measure in COUNT_MEASURES:
        published = _values(counts, idx, measure=measure, origins=[coverage.PUBLISHED])
        derived = _values(counts, idx, measure=measure, origins=[coverage.DERIVED])
        rec_ok = np.isin(years, list(res.record_years[measure]))
        records = np.where(rec_ok, result[measure].to_numpy(dtype=float), np.nan)
        value = np.where(~np.isnan(published), published, np.where(~np.isnan(records), records, derived))
        result[measure] = value
        if measure in ("injured", "fatal"):
            this = np.select(
                [~np.isnan(published), ~np.isnan(records), ~np.isnan(derived)],
                [coverage.PUBLISHED, coverage.RECORDS, coverage.DERIVED],
                "",
            )
            origin = np.where(origin == "", this, origin)
            part_n = _values(counts, idx, measure=measure, origins=[coverage.PARTIAL], column="covered")
            part_of = _values(counts, idx, measure=measure, origins=[coverage.PARTIAL], column="cover_of")
            fill = np.isnan(value) & np.isnan(covered)
            covered = np.where(fill, part_n, covered)
            cover_of = np.where(fill, part_of, cover_of)
    emp = coverage.at_level(res.employment, **level)
    pw = coverage.at_level(res.pub_workers, **level)
    pub_exact = _values(pw, idx, measure="workers", origins=[coverage.PUBLISHED])
    pub_derived = _values(pw, idx, measure="workers", origins=[coverage.DERIVED])
    emp_exact = _values(emp, idx, measure="workers", origins=[coverage.PUBLISHED])
    emp_derived = _values(emp, idx, measure="workers", origins=[coverage.DERIVED])
    cells_workers = result["workers"].to_numpy(dtype=float)
    # the register's and the cells' workers are the population of the records: used for counts from records,
    # and for rows without counts in a year that has records of this series
    has_records = np.isin(years, list(res.record_years["injured"] | res.record_years["disease_cases"]))
    cells_ok = (origin == coverage.RECORDS) | ((origin == "") & has_records)
    chain = [pub_exact, emp_exact]
    chain += [np.where(origin == coverage.RECORDS, np.nan, emp_derived), np.where(origin == coverage.RECORDS, np.nan, pub_derived)]
    chain.append(np.where(cells_ok | ~np.isin(years, list(employment_years)) & has_records, cells_workers, np.nan))
    workers = np.full(len(result), np.nan)
    for candidate in chain:
        workers = np.where(np.isnan(workers), candidate, workers)
    result["workers"] = workers
    result["covered"] = covered
    result["cover_of"] = cover_of
    for col in SUM_COLUMNS:
        if col not in result.columns:
            result[col] = np.nan
    return result


def indicators(
    store: Store,
    *,
    by: Sequence[str] = (),
    years: Sequence[int] | None = None,
    basis: Basis = "current",
    series: str | None = None,
    cells: pd.DataFrame | None = None,
    raw: RawInputs | None = None,
    resolved: Resolved | None = None,
) -> pd.DataFrame:
    """The indicator table of one series for one breakdown: `by` is any subset of region, section, size_class
    (empty = national). `series` defaults to pick_series(); counts follow docs/series.md."""
    keys = _level_keys(by)
    raw = raw or raw_inputs(store)
    chosen = resolved.series if resolved is not None else pick_series(raw, series)
    res = resolved or resolve(raw, basis=basis, series=chosen)
    if cells is None:
        cells = record_cells(store, basis=basis, raw=raw)
    out = aggregate(cells, by=keys)
    employment_years = set(raw.parts["employment"]["year"].dropna().astype(int))
    if "size_class" in keys:
        # published counts have no size breakdown: only the records of the records series
        for measure in COUNT_MEASURES:
            ok = out["year"].isin(list(res.record_years[measure]))
            out[measure] = out[measure].where(ok)
        out["covered"] = np.nan
        out["cover_of"] = np.nan
    else:
        out = _resolve_level(out, res, keys=keys, employment_years=employment_years)
    if years is not None:
        out = out[out["year"].isin(list(years))]
    out.insert(1, "basis", basis)
    out.insert(2, "series", chosen)
    out = derive(out)
    out["includes"] = coverage.includes(out["region"].astype(str), out["year"], basis=basis)
    front = ["year", "basis", "series", "region", "section", "size_class"]
    rest = ["covered", "cover_of", "includes", "reg_employees", "max_employees", "insured_enterprises", "assessed_enterprises",
            "self_assessed_enterprises", "inspections", "violations", "osh_violations"]
    return out[[*front, *VALUE_COLUMNS, *rest]].sort_values(["year", "region", "section", "size_class"]).reset_index(drop=True)


LEVELS: dict[str, tuple[str, ...]] = {
    "national": (),
    "region": ("region",),
    "sector": ("section",),
    "region,sector": ("region", "section"),
}


def cube(
    store: Store,
    *,
    basis: Basis = "current",
    years: Sequence[int] | None = None,
    series: str | None = None,
    raw: RawInputs | None = None,
    cells: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """All four levels (national, region, sector, region x sector) of one series for every year: the public table's
    shape. Pass `raw` (raw_inputs(store)) and `cells` to compute several series and bases from one read."""
    raw = raw or raw_inputs(store)
    chosen = pick_series(raw, series)
    if cells is None:
        cells = record_cells(store, basis=basis, raw=raw)
    res = resolve(raw, basis=basis, series=chosen)
    frames = [
        indicators(store, by=by, years=years, basis=basis, cells=cells, raw=raw, resolved=res)
        for by in LEVELS.values()
    ]
    out = pd.concat(frames, ignore_index=True)
    return out.drop(columns="size_class")


def level_of(frame: pd.DataFrame) -> pd.Series:
    """national / region / sector / region,sector for each row of an indicator table."""
    r = frame["region"] != NATIONAL
    s = frame["section"] != ALL
    return pd.Series(
        np.select([r & s, r, s], ["region,sector", "region", "sector"], default="national"), index=frame.index
    )


def cause_structure(store: Store, *, basis: Basis = "current", series: str | None = None, raw: RawInputs | None = None) -> pd.DataFrame:
    """Occupational-disease cases of one series by year x region (KZ for the nation) x cause group, with shares and
    the number of enterprises behind each cell (for disclosure control; NaN when only aggregates are known).
    Records count when the series is the records series; the series' published national cause rows fill the
    years without records."""
    raw = raw or raw_inputs(store)
    chosen = pick_series(raw, series)
    frames: list[pd.DataFrame] = []
    rec_years: set[int] = set()
    if chosen == raw.records_series and raw.years.get("occupational_diseases"):
        ent = ENTERPRISE_DIM_SQL
        rec = store.sql(
            f"""SELECT d.year, substr(coalesce(d.region, e.k2), 1, 2) AS k2, d.cause_group,
                       sum(d.cases) AS cases, count(DISTINCT d.bin) AS enterprises
                FROM occupational_diseases d LEFT JOIN ({ent}) e USING (bin)
                GROUP BY d.year, substr(coalesce(d.region, e.k2), 1, 2), d.cause_group"""
        )
        rec["region"] = map_region(rec.pop("k2"), basis=basis, years=rec["year"])
        rec = rec.groupby(["year", "region", "cause_group"], as_index=False)[["cases", "enterprises"]].sum()
        nat = rec.groupby(["year", "cause_group"], as_index=False)[["cases", "enterprises"]].sum().assign(region=NATIONAL)
        frames += [rec, nat]
        rec_years = set(rec["year"].astype(int))
    agg = raw.disease_counts
    if len(agg):
        agg = agg[(agg["source"].astype(str) == chosen) & agg["cause_group"].notna() & agg["oked_section"].isna()]
        agg = agg[~agg["year"].isin(list(rec_years))]
        if len(agg):
            for cause, sub in agg.groupby("cause_group"):
                levels = coverage.derive_levels(coverage.onto_basis(_long(sub, "cases", "cases"), basis=basis), basis=basis)
                levels = levels[(levels["section"] == ALL) & levels["value"].notna()]
                frames.append(
                    pd.DataFrame({"year": levels["year"], "region": levels["region"], "cause_group": cause,
                                  "cases": levels["value"], "enterprises": np.nan})
                )
    frames = [f for f in frames if len(f)]
    if not frames:
        return pd.DataFrame(columns=["year", "region", "cause_group", "cases", "enterprises", "share"])
    out = pd.concat(frames, ignore_index=True)
    out["year"] = out["year"].astype(int)
    out["cases"] = out["cases"].astype(float)
    total = out.groupby(["year", "region"])["cases"].transform("sum")
    out["share"] = share(out["cases"], total)
    return out.sort_values(["year", "region", "cause_group"]).reset_index(drop=True)
