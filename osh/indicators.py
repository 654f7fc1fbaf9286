"""OSH indicators from the store: rates with exact Poisson intervals, hidden-injury ratio, shares, changes.

Everything is built from one additive "cell" frame at the finest grain (year x region x OKED section x
size class) so that any combination of dimensions is a plain group-by sum and aggregation is additive.

Sources of the counts (documented choice):
- record level: accidents (people injured / fatal, by the accident's KATO and OKED), occupational_diseases;
- published aggregates: injury_counts / disease_counts. A year without accident records uses the
  aggregates. The `source` column of the aggregates names a source system (statistics bureau, labour
  ministry, ...): two systems count the same people, so they are NEVER summed. Per year one system is
  used: the one named by the caller, otherwise the one with the most published rows that year (ties: the
  alphabetically first name).
Denominators: `employment` (year x region x section); the size-class split of a cell's workers follows
the register's employees in that cell (the register has sizes, the employment table has none). A year
without employment rows falls back to the register's employees, or to the `workers` published with the
aggregate counts.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd
from scipy.stats import chi2

from data.codes import DIVISION_TO_SECTION, SIZE_LIMITS
from data.store import Store
from geo.regions import RETIRED_CODES, SPLITS, Basis

NATIONAL = "KZ"
ALL = "ALL"
UNKNOWN_SIZE = "unknown"
DIMENSIONS: tuple[str, ...] = ("region", "section", "size_class")
Source = Literal["auto", "records", "aggregates"]

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


def map_region(k2: pd.Series, *, basis: Basis) -> pd.Series:
    """Two-digit KATO prefixes -> region codes on the requested basis (vectorised)."""
    codes = k2.astype("string").replace(RETIRED_CODES)
    if basis == "harmonised":
        codes = codes.replace(SPLITS)
    elif basis != "current":
        raise IndicatorError(f"basis must be 'current' or 'harmonised', got {basis!r}")
    return codes


def map_section(d2: pd.Series) -> pd.Series:
    return d2.astype("string").map(DIVISION_TO_SECTION)


def _tidy(frame: pd.DataFrame, *, basis: Basis, keys: Sequence[str]) -> pd.DataFrame:
    """Map k2/d2 columns to region/section and sum the numeric columns over the requested keys."""
    out = frame.copy()
    if "k2" in out.columns:
        out["region"] = map_region(out.pop("k2"), basis=basis)
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


def _raw_sql() -> str:
    ent = ENTERPRISE_DIM_SQL
    return f"""
    WITH e AS MATERIALIZED ({ent})
    SELECT 'register' AS kind, NULL::INTEGER AS year, k2, d2, NULL::VARCHAR AS sec, size_class,
           count(*)::DOUBLE AS v1, sum(employees)::DOUBLE AS v2, max(employees)::DOUBLE AS v3, sum(harmful_workers)::DOUBLE AS v4
      FROM e WHERE active GROUP BY ALL
    UNION ALL
    SELECT 'employment', year, substr(region, 1, 2), NULL, oked_section, NULL,
           sum(employees), sum(harmful_conditions), count(harmful_conditions), NULL
      FROM employment GROUP BY ALL
    UNION ALL
    SELECT 'accidents', year(a.date), substr(coalesce(a.kato, e.k2), 1, 2), substr(coalesce(a.oked, e.d2), 1, 2), NULL,
           e.size_class, sum(a.injured), sum(a.fatal), NULL, NULL
      FROM accidents a LEFT JOIN e USING (bin) GROUP BY ALL
    UNION ALL
    SELECT 'diseases', d.year, substr(coalesce(d.region, e.k2), 1, 2), substr(coalesce(d.oked, e.d2), 1, 2), NULL,
           e.size_class, sum(d.cases), NULL, NULL, NULL
      FROM occupational_diseases d LEFT JOIN e USING (bin) GROUP BY ALL
    UNION ALL
    SELECT 'inspections', year(i.date), e.k2, e.d2, NULL, e.size_class, count(*), sum(i.violations), sum(i.osh_violations), NULL
      FROM inspections i JOIN e USING (bin) GROUP BY ALL
    UNION ALL
    SELECT 'insurance', i.year, e.k2, e.d2, NULL, e.size_class, count(*), NULL, NULL, NULL  -- (bin, year) is the key
      FROM insurance i JOIN e USING (bin) WHERE i.covered AND e.active GROUP BY ALL
    UNION ALL
    SELECT 'assessed', w.first_year, e.k2, e.d2, NULL, e.size_class, count(*), NULL, NULL, NULL
      FROM (SELECT bin, min(year(assessment_date)) AS first_year FROM workplace_assessments GROUP BY bin) w
      JOIN e USING (bin) WHERE e.active GROUP BY ALL
    UNION ALL
    SELECT 'years_' || t, y, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL FROM (
        SELECT DISTINCT 'accidents' AS t, year(date) AS y FROM accidents
        UNION ALL SELECT DISTINCT 'occupational_diseases', year FROM occupational_diseases
        UNION ALL SELECT DISTINCT 'insurance', year FROM insurance
        UNION ALL SELECT DISTINCT 'inspections', year(date) FROM inspections
        UNION ALL SELECT DISTINCT 'injury_counts', year FROM injury_counts
        UNION ALL SELECT DISTINCT 'disease_counts', year FROM disease_counts
        UNION ALL SELECT DISTINCT 'workplace_assessments', NULL FROM workplace_assessments)
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
        injury_counts=_published(store, "injury_counts") if years.get("injury_counts") else _published_empty(),
        disease_counts=_published(store, "disease_counts") if years.get("disease_counts") else _published_empty(),
        has_assessments="workplace_assessments" in years,
    )


def _part(raw: RawInputs, kind: str, *, basis: Basis, keys: list[str]) -> pd.DataFrame:
    """One kind of record aggregate on a basis, summed over `keys`."""
    frame = raw.parts[kind]
    cols = ["k2", "section" if kind == "employment" else "d2"]
    cols += [k for k in keys if k in ("year", "size_class")] + list(_KINDS[kind])
    frame = frame[cols]
    if "year" in keys:
        frame = frame.assign(year=frame["year"].astype("int64"))
    return _tidy(frame, basis=basis, keys=keys)


def record_cells(store: Store, *, basis: Basis = "current", raw: RawInputs | None = None) -> pd.DataFrame:
    """The finest additive frame from record-level data: one row per year x region x section x size class."""
    keys = ["year", "region", "section", "size_class"]
    raw = raw or raw_inputs(store)
    reg = raw.parts["register"]
    # max_employees must be a max, not a sum, after mapping regions onto the basis
    reg_mapped = reg.drop(columns=["year", "section"]).assign(
        region=map_region(reg["k2"], basis=basis), section=map_section(reg["d2"])
    ).drop(columns=["k2", "d2"]).dropna(subset=["section"])
    grouped = reg_mapped.groupby(["region", "section", "size_class"], as_index=False)
    register = grouped[["enterprises", "reg_employees", "reg_harmful"]].sum()
    register["max_employees"] = grouped[["max_employees"]].max()["max_employees"].to_numpy()
    if register.empty:
        register = _typed_empty(["region", "section", "size_class"], ["enterprises", "reg_employees", "reg_harmful", "max_employees"])

    employment = _part(raw, "employment", basis=basis, keys=["year", "region", "section"])
    accidents = _part(raw, "accidents", basis=basis, keys=keys)
    diseases = _part(raw, "diseases", basis=basis, keys=keys)
    inspections = _part(raw, "inspections", basis=basis, keys=keys)
    insured = _part(raw, "insurance", basis=basis, keys=keys)
    # An enterprise counts as assessed from the year of its first workplace assessment onwards.
    first_assessed = _part(raw, "assessed", basis=basis, keys=keys)

    record_years = {t: raw.years.get(t, set()) for t in ("accidents", "insurance", "inspections")}
    years = sorted(
        set(employment["year"].astype(int))
        | record_years["accidents"]
        | raw.years.get("occupational_diseases", set())
        | record_years["insurance"]
        | record_years["inspections"]
        | raw.years.get("injury_counts", set())
    )
    if not years:
        return pd.DataFrame(columns=[*keys, *SUM_COLUMNS, *MAX_COLUMNS])

    # Skeleton: every year x register cell, plus any (year, region, section) known only from other tables.
    skeleton = register.merge(pd.DataFrame({"year": years}), how="cross")
    extra = pd.concat(
        [f[keys] for f in (accidents, diseases, inspections, insured)]
        + [employment[["year", "region", "section"]].assign(size_class=UNKNOWN_SIZE)],
        ignore_index=True,
    ).drop_duplicates()
    cells = skeleton.merge(extra, on=keys, how="outer")
    for frame in (accidents, diseases, inspections, insured):
        cells = cells.merge(frame, on=keys, how="left")

    # Cumulative assessed enterprises per register cell.
    if not first_assessed.empty:
        fa = first_assessed.pivot_table(index=["region", "section", "size_class"], columns="year", values="assessed_new", aggfunc="sum")
        fa = fa.reindex(columns=sorted(set(fa.columns) | set(years)), fill_value=0).fillna(0).cumsum(axis=1)
        fa = fa[[y for y in fa.columns if y in set(years)]]
        assessed = fa.reset_index().melt(
            id_vars=["region", "section", "size_class"], var_name="year", value_name="assessed_enterprises"
        )
        assessed["year"] = assessed["year"].astype(int)
        cells = cells.merge(assessed, on=keys, how="left")
    else:
        cells["assessed_enterprises"] = 0.0

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
    for col, table in (("insured_enterprises", "insurance"), ("inspections", "inspections"), ("violations", "inspections"), ("osh_violations", "inspections")):
        cells.loc[~cells["year"].isin(record_years[table]), col] = np.nan
    if not raw.has_assessments:
        cells["assessed_enterprises"] = np.nan
    cells["year"] = cells["year"].astype(int)
    return cells[[*keys, *SUM_COLUMNS, *MAX_COLUMNS]]


# --- published aggregates -------------------------------------------------------------------------


def choose_sources(counts: pd.DataFrame, *, source: str | None = None) -> dict[int, str]:
    """The single source system used per year: `source` if given, else the one with most rows that year
    (ties: alphabetically first). Counts of different systems are never added together."""
    if counts.empty:
        return {}
    if source is not None:
        known = set(counts["source"].astype(str))
        if source not in known:
            raise IndicatorError(f"source {source!r} not in the published counts; present: {', '.join(sorted(known))}")
        return {int(y): source for y in counts.loc[counts["source"] == source, "year"].unique()}
    n = counts.groupby(["year", "source"]).size().rename("n").reset_index()
    n = n.sort_values(["year", "n", "source"], ascending=[True, False, True])
    return {int(y): str(s) for y, s in n.drop_duplicates("year")[["year", "source"]].itertuples(index=False)}


def aggregate_levels(
    counts: pd.DataFrame, value_columns: Sequence[str], *, basis: Basis, sources: dict[int, str]
) -> pd.DataFrame:
    """Published counts at the four levels (region KZ / section ALL for totals), one source per year.
    A level that was not published is summed from the finest level the same source published."""
    if counts.empty or not sources:
        return pd.DataFrame(columns=["year", "region", "section", *value_columns])
    chosen = counts[[sources.get(int(y)) == s for y, s in zip(counts["year"], counts["source"], strict=True)]].copy()
    chosen["region"] = chosen["region"].astype("string")
    chosen["section"] = chosen["oked_section"].astype("string") if "oked_section" in chosen.columns else pd.NA
    has_r = chosen["region"].notna()
    has_s = chosen["section"].notna()
    chosen.loc[has_r, "region"] = map_region(chosen.loc[has_r, "region"].str[:2], basis=basis)
    pieces: dict[str, pd.DataFrame] = {
        "cross": chosen[has_r & has_s],
        "region": chosen[has_r & ~has_s],
        "sector": chosen[~has_r & has_s],
        "national": chosen[~has_r & ~has_s],
    }
    vals = list(value_columns)

    def summed(frame: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
        return frame.groupby(keys, as_index=False)[vals].sum(min_count=1)

    cross = summed(pieces["cross"], ["year", "region", "section"])
    region = summed(pieces["region"], ["year", "region"])
    region = _fill_level(region, summed(cross, ["year", "region"]), ["year", "region"])
    sector = summed(pieces["sector"], ["year", "section"])
    sector = _fill_level(sector, summed(cross, ["year", "section"]), ["year", "section"])
    national = summed(pieces["national"], ["year"])
    national = _fill_level(national, summed(region, ["year"]), ["year"])
    national = _fill_level(national, summed(sector, ["year"]), ["year"])
    out = pd.concat(
        [
            cross,
            region.assign(section=ALL),
            sector.assign(region=NATIONAL),
            national.assign(region=NATIONAL, section=ALL),
        ],
        ignore_index=True,
    )
    out["year"] = out["year"].astype(int)
    return out[["year", "region", "section", *vals]]


def _fill_level(published: pd.DataFrame, derived: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """Published rows win; derived rows fill (year, key) combinations that were not published."""
    if derived.empty:
        return published
    if published.empty:
        return derived
    missing = derived.merge(published[keys], on=keys, how="left", indicator=True)
    missing = missing[missing["_merge"] == "left_only"].drop(columns="_merge")
    return pd.concat([published, missing], ignore_index=True)


def _published(store: Store, table: str) -> pd.DataFrame:
    if not store.has_table(table) or store.count(table) == 0:
        return pd.DataFrame(columns=["year", "region", "oked_section", "source"])
    frame = store.read(table)
    frame["year"] = frame["year"].astype(int)
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


def indicators(
    store: Store,
    *,
    by: Sequence[str] = (),
    years: Sequence[int] | None = None,
    basis: Basis = "current",
    source: Source = "auto",
    count_source: str | None = None,
    cells: pd.DataFrame | None = None,
    raw: RawInputs | None = None,
) -> pd.DataFrame:
    """The indicator table for one breakdown: `by` is any subset of region, section, size_class
    (empty = national). `source` "auto" uses accident records where a year has them and the published
    aggregates otherwise; `count_source` names the aggregate source system (see choose_sources)."""
    keys = _level_keys(by)
    raw = raw or raw_inputs(store)
    if cells is None:
        cells = record_cells(store, basis=basis, raw=raw)
    if years is not None:
        cells = cells[cells["year"].isin(list(years))]
    out = aggregate(cells, by=keys)
    out = _apply_aggregates(raw, out, keys=keys, basis=basis, source=source, count_source=count_source)
    if years is not None:
        out = out[out["year"].isin(list(years))]
    out.insert(1, "basis", basis)
    out = derive(out)
    front = ["year", "basis", "region", "section", "size_class"]
    return out[[*front, *VALUE_COLUMNS, "reg_employees", "max_employees", "insured_enterprises", "assessed_enterprises", "inspections", "violations", "osh_violations"]].reset_index(drop=True)


def _apply_aggregates(
    raw: RawInputs, out: pd.DataFrame, *, keys: list[str], basis: Basis, source: Source, count_source: str | None
) -> pd.DataFrame:
    """Replace injured/fatal (and disease cases) by published aggregates for years without records."""
    if source == "records":
        return out
    accident_years = raw.years.get("accidents", set())
    disease_years = raw.years.get("occupational_diseases", set())
    level_keys = ["year", "region", "section"]
    size_all = "size_class" not in keys
    inj = raw.injury_counts
    dis = raw.disease_counts
    if inj.empty and dis.empty:
        if source == "aggregates":
            raise IndicatorError("no published aggregates (injury_counts, disease_counts) in the store; load them with 'enbek load'")
        return out
    result = out.copy()
    for table, frame, values, rec_years in (
        ("injury_counts", inj, ["injured", "fatal", "workers"], accident_years),
        ("disease_counts", dis, ["cases"], disease_years),
    ):
        if frame.empty:
            continue
        if table == "disease_counts":
            # one row per cause or the all-causes row: prefer all-causes, else sum the causes (same source)
            all_causes = frame[frame["cause_group"].isna()]
            by_cause = frame[frame["cause_group"].notna()]
            k = ["year", "region", "oked_section", "source"]
            derived = by_cause.groupby(k, dropna=False, as_index=False).agg(cases=("cases", "sum"))
            frame = _fill_level(all_causes[[*k, "cases"]], derived, k)
        vals = [v for v in values if v in frame.columns]
        frame = frame.copy()
        for v in vals:
            frame[v] = frame[v].astype(float)
        levels = aggregate_levels(frame, vals, basis=basis, sources=choose_sources(frame, source=count_source))
        use_years = set(levels["year"]) if source == "aggregates" else set(levels["year"]) - rec_years
        levels = levels[levels["year"].isin(use_years)]
        if levels.empty:
            continue
        if not size_all:
            # published counts have no size breakdown
            mask = result["year"].isin(use_years)
            cols = ["injured", "fatal"] if table == "injury_counts" else ["disease_cases"]
            result.loc[mask, cols] = np.nan
            continue
        levels = levels.rename(columns={"cases": "disease_cases", "workers": "pub_workers"})
        want_region = "region" in keys
        want_section = "section" in keys
        sel = levels[
            (levels["region"].ne(NATIONAL) == want_region) & (levels["section"].ne(ALL) == want_section)
        ]
        extra_rows = sel.merge(result[level_keys], on=level_keys, how="left", indicator=True)
        extra_rows = extra_rows[extra_rows["_merge"] == "left_only"].drop(columns="_merge")
        if not extra_rows.empty:
            new = extra_rows[level_keys].assign(size_class=ALL)
            result = pd.concat([result, new], ignore_index=True)
        merged = result.merge(sel, on=level_keys, how="left", suffixes=("", "_pub"))
        in_years = merged["year"].isin(use_years).to_numpy()
        count_cols = ["injured", "fatal"] if table == "injury_counts" else ["disease_cases"]
        for col in count_cols:
            pub = merged[f"{col}_pub"] if f"{col}_pub" in merged.columns else merged[col]
            result[col] = np.where(in_years, pub.to_numpy(dtype=float), result[col].to_numpy(dtype=float))
        if "pub_workers" in merged.columns:
            no_workers = ~(result["workers"].to_numpy(dtype=float) > 0)
            result["workers"] = np.where(in_years & no_workers, merged["pub_workers"].to_numpy(dtype=float), result["workers"].to_numpy(dtype=float))
    for col in SUM_COLUMNS:
        if col not in result.columns:
            result[col] = np.nan
    return result


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
    source: Source = "auto",
    count_source: str | None = None,
    raw: RawInputs | None = None,
) -> pd.DataFrame:
    """All four levels (national, region, sector, region x sector) for every year: the public table's shape.
    Pass `raw` (raw_inputs(store)) to compute several bases from one read of the store."""
    raw = raw or raw_inputs(store)
    cells = record_cells(store, basis=basis, raw=raw)
    frames = [
        indicators(store, by=by, years=years, basis=basis, source=source, count_source=count_source, cells=cells, raw=raw)
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


def cause_structure(store: Store, *, basis: Basis = "current", count_source: str | None = None) -> pd.DataFrame:
    """Occupational-disease cases by year x region (KZ for the nation) x cause group, with shares and the
    number of enterprises behind each cell (for disclosure control; NaN when only aggregates are known)."""
    ent = ENTERPRISE_DIM_SQL
    rec = store.sql(
        f"""SELECT d.year, substr(coalesce(d.region, e.k2), 1, 2) AS k2, d.cause_group,
                   sum(d.cases) AS cases, count(DISTINCT d.bin) AS enterprises
            FROM occupational_diseases d LEFT JOIN ({ent}) e USING (bin) GROUP BY ALL"""
    )
    rec["region"] = map_region(rec.pop("k2"), basis=basis)
    rec = rec.groupby(["year", "region", "cause_group"], as_index=False)[["cases", "enterprises"]].sum()
    nat = rec.groupby(["year", "cause_group"], as_index=False)[["cases", "enterprises"]].sum().assign(region=NATIONAL)
    out = pd.concat([rec, nat], ignore_index=True)
    rec_years = set(out["year"].astype(int))
    agg = _published(store, "disease_counts")
    if not agg.empty:
        # published counts by cause for the whole of the economy (no section), years without records
        agg = agg[agg["cause_group"].notna() & agg["oked_section"].isna() & ~agg["year"].isin(rec_years)]
        sources = choose_sources(agg, source=count_source) if not agg.empty else {}
        parts = []
        for cause, sub in agg.groupby("cause_group"):
            lv = aggregate_levels(sub.assign(cases=sub["cases"].astype(float)), ["cases"], basis=basis, sources=sources)
            parts.append(lv[lv["section"] == ALL].drop(columns="section").assign(cause_group=cause, enterprises=np.nan))
        if parts:
            out = pd.concat([out, *parts], ignore_index=True)
    out["year"] = out["year"].astype(int)
    out["cases"] = out["cases"].astype(float)
    total = out.groupby(["year", "region"])["cases"].transform("sum")
    out["share"] = share(out["cases"], total)
    return out.sort_values(["year", "region", "cause_group"]).reset_index(drop=True)
