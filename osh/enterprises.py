"""Enterprise-level reads of the stored risk table, always within a user's region scope."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import numpy as np
import pandas as pd

from data.codes import SECTION_CODES, SIZE_CLASSES
from data.scope import Scope, ScopeError
from data.store import Store
from osh.indicators import year_of
from osh.reasons import Reason
from osh.risk import DEGREES, ROW_ID, compute_and_store_risk, enterprise_risk, explain
from osh.selfcheck.weight import SELF_ASSESSMENT_WEIGHT

__all__ = [
    "ORDERS",
    "RISK_TABLE",
    "EnterpriseCard",
    "EnterpriseFilter",
    "EnterpriseNotFound",
    "PlanFilter",
    "RiskTableMissing",
    "available_years",
    "card",
    "compute_and_store_risk",
    "inspection_list",
    "is_bin",
    "query",
    "search",
]

RISK_TABLE = "enterprise_risk"
SEARCH_COLUMNS = ["bin", "name", "region", "score", "degree"]
SEARCH_LIMIT_MAX = 200
_BIN = re.compile(r"^\d{12}$")
_LIKE_ESCAPE = "\\"  # one backslash: the ESCAPE character of the name search


class EnterpriseNotFound(LookupError):
    """No enterprise with this BIN in the risk table."""


class RiskTableMissing(LookupError):
    """The store has no enterprise_risk table yet."""


class FilterError(ValueError):
    """A filter value that is not one of the known codes."""


@dataclass(frozen=True)
class EnterpriseFilter:
    """What the map or list shows; None means no restriction on that attribute."""

    regions: frozenset[str] | None = None
    sections: frozenset[str] | None = None
    size_classes: frozenset[str] | None = None
    degrees: frozenset[str] | None = None
    assessed: bool | None = None
    self_assessed: bool | None = None  # only the employer's express self-assessment (no accredited one)
    insured: bool | None = None
    year: int | None = None  # None: the stored scoring year

    def __post_init__(self) -> None:
        for name, allowed in (("sections", SECTION_CODES), ("size_classes", SIZE_CLASSES), ("degrees", DEGREES)):
            value = getattr(self, name)
            if value is not None:
                bad = sorted(set(value) - set(allowed))
                if bad:
                    raise FilterError(f"unknown {name} {', '.join(bad)}; expected some of {', '.join(allowed)}")


@dataclass(frozen=True)
class EnterpriseCard:
    bin: str
    name: str
    region: str
    kato: str
    oked: str
    section: str
    size_class: str
    employees: int
    lat: float
    lon: float
    located: str
    score: float
    degree: str
    assessed: bool  # an accredited workplace assessment (counts towards target 1)
    insured: bool
    parts: list[tuple[str, float, Reason]]  # (part, points, reason key + parameters), largest first
    assessment: dict[str, Any]  # workplaces, workers, worker-weighted indicators, last date
    accidents_by_year: pd.DataFrame  # year, accidents, injured, fatal
    diseases_by_year: pd.DataFrame  # year, cases
    inspections: pd.DataFrame  # date, violations, osh_violations
    insurance: pd.DataFrame  # year, covered
    sector_class: int
    tariff_factor: float
    peer_rank: int
    peer_count: int
    peer_pct: float
    peer_pct_lo: float
    peer_pct_hi: float
    risk_year: int
    extra: dict[str, Any] = field(default_factory=dict)
    # only the employer's express self-assessment, counted at partial weight (osh/selfcheck/weight.py)
    self_assessed: bool = False


def _require_table(store: Store) -> None:
    if not store.has_table(RISK_TABLE):
        raise RiskTableMissing(
            f"the store has no {RISK_TABLE} table; run 'enbek score' (or 'enbek build-demo') to compute it"
        )


def stored_year(store: Store) -> int | None:
    value = store.get_meta("risk_year")
    return int(value) if value else None


def _where(scope: Scope, filters: EnterpriseFilter) -> dict[str, Any]:
    where: dict[str, Any] = {}
    regions = scope.narrow(filters.regions)
    if regions is not None:
        where["region"] = sorted(regions)
    for column, value in (("section", filters.sections), ("size_class", filters.size_classes), ("degree", filters.degrees)):
        if value is not None:
            where[column] = sorted(value)
    for column, flag in (("assessed", filters.assessed), ("self_assessed", filters.self_assessed),
                         ("insured", filters.insured)):
        if flag is not None:
            where[column] = bool(flag)
    return where


def query(
    store: Store, *, scope: Scope, filters: EnterpriseFilter = EnterpriseFilter(), columns: list[str] | None = None
) -> pd.DataFrame:
    """Enterprises of the risk table within the scope that pass the filter (filtering runs in DuckDB).
    A filter year other than the stored scoring year is scored on the fly (slower, same columns)."""
    where = _where(scope, filters)
    if filters.year is not None and filters.year != stored_year(store):
        frame = enterprise_risk(store, year=filters.year)
        mask = np.ones(len(frame), dtype=bool)
        for column, value in where.items():
            mask &= frame[column].isin(value).to_numpy() if isinstance(value, list) else (frame[column] == value).to_numpy()
        frame = frame[mask].reset_index(drop=True)
        return frame[columns] if columns else frame
    _require_table(store)
    return store.read(RISK_TABLE, columns=columns, where=where)


def query_ids(store: Store, *, scope: Scope, filters: EnterpriseFilter = EnterpriseFilter()) -> np.ndarray:
    """The stored row ids (ROW_ID) of the enterprises within the scope that pass the filter, as int64: what the map
    aggregates at country scale, read as one array (PostgreSQL sends it as one value, not 400 000 rows).
    Only for the stored scoring year: another year is scored on the fly and has no stored row ids."""
    if filters.year is not None and filters.year != stored_year(store):
        raise FilterError(f"row ids exist for the stored scoring year {stored_year(store)} only, not {filters.year}")
    _require_table(store)
    return store.read_ints(RISK_TABLE, ROW_ID, where=_where(scope, filters))


def card(store: Store, *, scope: Scope, bin: str) -> EnterpriseCard:
    """Everything about one enterprise: identity, score parts with reasons, history, peers."""
    _require_table(store)
    rows = store.read(RISK_TABLE, where={"bin": bin})
    if rows.empty:
        raise EnterpriseNotFound(f"no enterprise with BIN {bin} in the register")
    row = rows.iloc[0]
    if not scope.allows(str(row["region"])):
        raise ScopeError(f"enterprise {bin} is in region {row['region']}, outside this user's scope")
    accidents = store.sql(
        f"""SELECT {year_of("date")} AS year, count(*) AS accidents, sum(injured) AS injured, sum(fatal) AS fatal
           FROM accidents WHERE bin = ? GROUP BY {year_of("date")} ORDER BY year""",
        [bin],
    )
    diseases = store.sql(
        "SELECT year, sum(cases) AS cases FROM occupational_diseases WHERE bin = ? GROUP BY year ORDER BY year", [bin]
    )
    inspections = store.sql(
        "SELECT date, violations, osh_violations FROM inspections WHERE bin = ? ORDER BY date", [bin]
    )
    insurance = store.sql("SELECT year, covered FROM insurance WHERE bin = ? ORDER BY year", [bin])
    wp = store.sql(
        """SELECT count(*) AS workplaces, sum(workers) AS workers, max(assessment_date) AS last_date,
                  sum(workers * CASE WHEN harmfulness_class IN ('3.1','3.2','3.3','3.4','4') THEN 1 ELSE 0 END) AS harmful_workers,
                  sum(CAST(workers AS DOUBLE PRECISION) * danger_class) / sum(workers) AS danger_class,
                  sum(CAST(workers AS DOUBLE PRECISION) * equipment_class) / sum(workers) AS equipment_class,
                  sum(CAST(workers AS DOUBLE PRECISION) * ppe_provision_pct) / sum(workers) AS ppe_provision_pct,
                  sum(CAST(workers AS DOUBLE PRECISION) * morbidity_class) / sum(workers) AS morbidity_class
           FROM workplace_assessments WHERE bin = ?""",
        [bin],
    )
    assessment = {str(k): (None if pd.isna(v) else v) for k, v in wp.iloc[0].to_dict().items()}
    return EnterpriseCard(
        bin=str(row["bin"]),
        name=str(row["name"]),
        region=str(row["region"]),
        kato=str(row["kato"]),
        oked=str(row["oked"]),
        section=str(row["section"]),
        size_class=str(row["size_class"]),
        employees=int(row["employees"]),
        lat=float(row["lat"]),
        lon=float(row["lon"]),
        located=str(row["located"]),
        score=float(row["score"]),
        degree=str(row["degree"]),
        assessed=bool(row["assessed"]),
        insured=bool(row["insured"]),
        parts=explain(row),
        assessment=assessment,
        accidents_by_year=accidents,
        diseases_by_year=diseases,
        inspections=inspections,
        insurance=insurance,
        sector_class=int(row["sector_class"]),
        tariff_factor=float(row["tariff_factor"]),
        peer_rank=int(row["peer_rank"]),
        peer_count=int(row["peer_count"]),
        peer_pct=float(row["peer_pct"]),
        peer_pct_lo=float(row["peer_pct_lo"]),
        peer_pct_hi=float(row["peer_pct_hi"]),
        risk_year=int(row["year"]) if "year" in row.index else (stored_year(store) or 0),
        extra={"credible_rate_1000": float(row["credible_rate_1000"]), "excess_injuries": float(row["excess_injuries"])},
        self_assessed=bool(row.get("self_assessed", False)),
    )


def is_bin(text: str) -> bool:
    """Twelve digits (a BIN is looked up exactly; anything else is a name fragment)."""
    return bool(_BIN.match(text.strip()))


def like_pattern(text: str) -> str:
    """`text` as a LIKE pattern that matches it literally anywhere: %, _ and the escape character itself are
    escaped (the query says ESCAPE '\\'), so "50%" finds "50% Ltd" and "%" alone does not match every name."""
    escaped = text.replace(_LIKE_ESCAPE, _LIKE_ESCAPE * 2).replace("%", _LIKE_ESCAPE + "%").replace("_", _LIKE_ESCAPE + "_")
    return f"%{escaped}%"


def search(store: Store, *, scope: Scope, text: str, limit: int = 20) -> pd.DataFrame:
    """Enterprises within the scope whose BIN equals `text` or whose name contains it (case-insensitive),
    highest score first: columns SEARCH_COLUMNS. A BIN outside the scope is simply not found here; the card
    (`card`) is what refuses it with a ScopeError."""
    if not 1 <= limit <= SEARCH_LIMIT_MAX:
        raise ValueError(f"search limit must be between 1 and {SEARCH_LIMIT_MAX}, got {limit}")
    text = text.strip()
    if not text:
        return pd.DataFrame({c: pd.Series(dtype="object") for c in SEARCH_COLUMNS})
    _require_table(store)
    params: list[Any] = []
    if is_bin(text):
        clause = "bin = ?"
        params.append(text)
    else:
        # lower() on both sides rather than ILIKE: standard SQL, and Cyrillic folds the same way in DuckDB.
        clause = f"lower(name) LIKE lower(?) ESCAPE '{_LIKE_ESCAPE}'"
        params.append(like_pattern(text))
    regions = scope.narrow(None)
    if regions is not None:
        clause += f" AND region IN ({', '.join('?' for _ in regions)})"
        params.extend(sorted(regions))
    cols = ", ".join(f'"{c}"' for c in SEARCH_COLUMNS)
    return store.sql(f"SELECT {cols} FROM {RISK_TABLE} WHERE {clause} ORDER BY score DESC, bin LIMIT {int(limit)}", params)


def available_years(store: Store) -> list[int]:
    """Years the map can show, newest first: the stored scoring year and the earlier years with insurance or
    accident records (scored on the fly). Not enterprise-level: no scope needed."""
    year = stored_year(store)
    _require_table(store)
    if year is None:
        frame = store.sql(f"SELECT DISTINCT year FROM {RISK_TABLE} ORDER BY year DESC")
        return [int(y) for y in frame["year"]]
    found = store.sql(
        f"SELECT DISTINCT y FROM (SELECT year AS y FROM insurance UNION SELECT {year_of('date')} AS y FROM accidents) "
        "AS found WHERE y <= ? ORDER BY y DESC", [year])
    return sorted({year, *(int(y) for y in found["y"])}, reverse=True)


INSPECTION_COLUMNS = [
    "bin", "name", "region", "kato", "section", "size_class", "employees", "score", "degree", "assessed", "insured",
    "injuries_5y", "fatal_5y", "expected_injuries", "credible_rate_1000", "baseline_rate_1000", "relative_risk",
    "excess_injuries", "osh_violations_5y", "inspections_5y", "lat", "lon",
]
PLAN_COLUMNS = ["district", "settlement", "last_inspection", "last_violations", "last_osh_violations", "years_since"]
# How the plan is ordered: a named, documented choice (docs/plan.md). "score" is the integral risk score, the
# number the map colours, the card explains and the degree classes; "preventable" is expected preventable
# injuries a year (excess_injuries), which lists only enterprises with a credible excess.
ORDERS: tuple[str, ...] = ("score", "preventable")
_ORDER_SQL = {"score": "r.score DESC, r.excess_injuries DESC, r.bin",
              "preventable": "r.excess_injuries DESC, r.score DESC, r.bin"}
WINDOW_YEARS = 5


@dataclass(frozen=True)
class PlanFilter:
    """The inspection plan's filters; None means no restriction. `not_inspected_years`: only enterprises with no
    inspection in the last N years before `as_of` (never inspected ones included)."""

    sections: frozenset[str] | None = None
    size_classes: frozenset[str] | None = None
    degrees: frozenset[str] | None = None
    assessed: bool | None = None
    self_assessed: bool | None = None
    not_inspected_years: int | None = None

    def __post_init__(self) -> None:
        EnterpriseFilter(sections=self.sections, size_classes=self.size_classes, degrees=self.degrees)
        if self.not_inspected_years is not None and not 1 <= self.not_inspected_years <= 50:
            raise FilterError(f"not_inspected_years must be between 1 and 50, got {self.not_inspected_years}")


def _years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def inspection_list(store: Store, *, scope: Scope, region: str | None = None, limit: int | None = None,
                    order: str = "score", filters: PlanFilter | None = None, as_of: date | None = None,
                    bins: tuple[str, ...] | None = None) -> pd.DataFrame:
    """The risk-based inspection plan of the scope: enterprises ranked by `order` (ORDERS), with district (KATO
    digits 1-4), nearest settlement of the gazetteer, last inspection (date, violations), years since, and why
    (column `reason`: a tuple of osh.reasons.Reason, written in the reader's language by the caller).
    `bins`: only these enterprises (the region's marked plan), whatever their excess."""
    if order not in ORDERS:
        raise FilterError(f"order must be one of {', '.join(ORDERS)}, got {order!r}")
    _require_table(store)
    filters = filters or PlanFilter()
    # a risk table scored before the self-assessment flag existed reads as "no self-assessments"
    self_flag = 'r."self_assessed"' if "self_assessed" in risk_columns(store) else "FALSE"
    as_of = as_of or date.today()
    regions = scope.narrow([region] if region is not None else None)
    params: list[Any] = []
    clauses = ["r.excess_injuries > 0"] if order == "preventable" else []
    if regions is not None:
        clauses.append(f"r.region IN ({', '.join('?' for _ in regions)})")
        params.extend(sorted(regions))
    for column, values in (("section", filters.sections), ("size_class", filters.size_classes),
                           ("degree", filters.degrees)):
        if values is not None:
            clauses.append(f"r.{column} IN ({', '.join('?' for _ in values)})")
            params.extend(sorted(values))
    if bins is not None:  # the region's plan: these enterprises (still only within the scope)
        clauses.append(f"r.bin IN ({', '.join('?' for _ in bins)})" if bins else "false")
        params.extend(bins)
    if filters.assessed is not None:
        clauses.append("r.assessed = ?")
        params.append(bool(filters.assessed))
    if filters.self_assessed is not None:
        clauses.append(f"{self_flag} = ?")
        params.append(bool(filters.self_assessed))
    if filters.not_inspected_years is not None:
        clauses.append("(l.last_inspection IS NULL OR l.last_inspection < ?)")
        params.append(_years_before(as_of, filters.not_inspected_years))
    lim = ""
    if limit is not None:
        if limit < 1:
            raise ValueError(f"limit must be >= 1, got {limit}")
        lim = f" LIMIT {int(limit)}"
    cols = ", ".join(f'r."{c}"' for c in INSPECTION_COLUMNS) + f", {self_flag} AS self_assessed"
    has_inspections = store.has_table("inspections")
    # The last inspection of each enterprise (standard SQL: a window, not an engine-specific arg_max).
    last = ("""SELECT bin, date AS last_inspection, violations AS last_violations, osh_violations AS last_osh_violations
               FROM (SELECT bin, date, violations, osh_violations,
                            row_number() OVER (PARTITION BY bin ORDER BY date DESC, inspection_id DESC) AS k
                     FROM inspections) AS latest WHERE k = 1""" if has_inspections else
            "SELECT NULL::VARCHAR AS bin, NULL::DATE AS last_inspection, NULL::BIGINT AS last_violations, "
            "NULL::BIGINT AS last_osh_violations WHERE false")
    where = f" WHERE {' AND '.join(clauses)}" if clauses else ""
    frame = store.sql(
        f"""WITH l AS ({last})
            SELECT {cols}, l.last_inspection, l.last_violations, l.last_osh_violations
            FROM {RISK_TABLE} r LEFT JOIN l ON l.bin = r.bin{where}
            ORDER BY {_ORDER_SQL[order]}{lim}""", params)
    frame.insert(0, "rank", np.arange(1, len(frame) + 1))
    frame["district"] = frame["kato"].astype(str).str[:4]
    frame["settlement"] = nearest_settlements(frame)
    last_day = pd.to_datetime(frame["last_inspection"])
    frame["last_inspection"] = last_day.dt.date
    frame["years_since"] = ((pd.Timestamp(as_of) - last_day).dt.days / 365.25).round(1)
    frame["reason"] = pd.Series(reasons(frame, window=window_years(store)), index=frame.index, dtype="object")
    return frame


def risk_columns(store: Store) -> frozenset[str]:
    """The columns of the stored risk table (older stores lack the later ones, e.g. self_assessed)."""
    _require_table(store)
    return frozenset(str(c) for c in store.sql(f"SELECT * FROM {RISK_TABLE} LIMIT 0").columns)


def window_years(store: Store) -> int:
    """The scoring window's length in years, from the store's meta risk_window ('2020-2024')."""
    text = store.get_meta("risk_window") or ""
    first, _, last = text.partition("-")
    if first.isdigit() and last.isdigit():
        return int(last) - int(first) + 1
    return WINDOW_YEARS


def nearest_settlements(frame: pd.DataFrame) -> pd.Series:
    """The name of the gazetteer settlement nearest to each enterprise within its region ('' if none)."""
    from geo.gazetteer import settlements

    places = settlements()
    out = pd.Series("", index=frame.index, dtype="object")
    if frame.empty:
        return out
    for code, rows in frame.groupby(frame["region"].astype(str)).groups.items():
        here = places[places["region"] == code]
        if here.empty:
            continue
        lat = frame.loc[rows, "lat"].to_numpy(dtype=float)[:, None]
        lon = frame.loc[rows, "lon"].to_numpy(dtype=float)[:, None]
        scale = np.cos(np.radians(np.nan_to_num(lat, nan=48.0)))  # degrees of longitude shrink with latitude
        d2 = (here["lat"].to_numpy()[None, :] - lat) ** 2 + ((here["lon"].to_numpy()[None, :] - lon) * scale) ** 2
        best = np.nanargmin(np.where(np.isnan(d2), np.inf, d2), axis=1)
        names = here["name"].to_numpy()[best]
        out.loc[rows] = np.where(np.isnan(lat[:, 0]), "", names)
    return out


def reasons(frame: pd.DataFrame, *, window: int = WINDOW_YEARS) -> list[tuple[Reason, ...]]:
    """Why each enterprise is on the plan: a main sentence and flags, as osh.reasons keys with parameters."""
    out: list[tuple[Reason, ...]] = []
    columns = zip(
        frame["injuries_5y"].to_numpy(dtype=np.int64), frame["fatal_5y"].to_numpy(dtype=np.int64),
        frame["expected_injuries"].to_numpy(dtype=float), frame["relative_risk"].to_numpy(dtype=float),
        frame["excess_injuries"].to_numpy(dtype=float), frame["section"].astype(str), frame["size_class"].astype(str),
        frame["insured"].to_numpy(dtype=bool), frame["assessed"].to_numpy(dtype=bool),
        (frame["self_assessed"] if "self_assessed" in frame.columns else pd.Series(False, index=frame.index))
        .fillna(False).to_numpy(dtype=bool),
        frame["osh_violations_5y"].to_numpy(dtype=np.int64), strict=True)
    for injured, fatal, expected, rr, excess, section, size, insured, assessed, self_assessed, violations in columns:
        peers = {"window": window, "injured": int(injured), "expected": float(expected), "section": section,
                 "size": size}
        main = (Reason("list.injuries", {**peers, "fatal": int(fatal), "rr": float(rr), "excess": float(excess)})
                if excess > 0 else Reason("list.no_excess", peers))
        items = [main]
        if not insured:
            items.append(Reason("flag.uninsured"))
        if self_assessed and not assessed:  # the self-check says it all: no accredited assessment, weight w
            items.append(Reason("flag.self_assessed", {"weight": SELF_ASSESSMENT_WEIGHT}))
        elif not assessed:
            items.append(Reason("flag.unassessed"))
        if violations > 0:
            items.append(Reason("flag.violations", {"violations": int(violations)}))
        out.append(tuple(items))
    return out
