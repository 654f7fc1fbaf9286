"""Enterprise-level reads of the stored risk table, always within a user's region scope."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from data.codes import SECTION_CODES, SIZE_CLASSES
from data.scope import Scope, ScopeError
from data.store import Store
from osh.indicators import year_of
from osh.risk import DEGREES, compute_and_store_risk, enterprise_risk, explain

__all__ = [
    "RISK_TABLE",
    "EnterpriseCard",
    "EnterpriseFilter",
    "EnterpriseNotFound",
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
    assessed: bool
    insured: bool
    parts: list[tuple[str, float, str]]  # (part, points, reason), largest first
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
    for column, flag in (("assessed", filters.assessed), ("insured", filters.insured)):
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


def inspection_list(store: Store, *, scope: Scope, region: str | None = None, limit: int | None = None) -> pd.DataFrame:
    """Risk-based inspection list: enterprises with credible excess injuries, ranked by expected preventable
    harm (excess_injuries = injuries a year above the peer rate for the same workforce), with a reason."""
    _require_table(store)
    regions = scope.narrow([region] if region is not None else None)
    params: list[Any] = []
    clause = "excess_injuries > 0"
    if regions is not None:
        clause += f" AND region IN ({', '.join('?' for _ in regions)})"
        params.extend(sorted(regions))
    lim = ""
    if limit is not None:
        if limit < 1:
            raise ValueError(f"limit must be >= 1, got {limit}")
        lim = f" LIMIT {int(limit)}"
    cols = ", ".join(f'"{c}"' for c in INSPECTION_COLUMNS)
    frame = store.sql(
        f"SELECT {cols} FROM {RISK_TABLE} WHERE {clause} ORDER BY excess_injuries DESC NULLS LAST, score DESC NULLS LAST, bin{lim}", params
    )
    frame.insert(0, "rank", np.arange(1, len(frame) + 1))
    frame["reason"] = reasons(frame)
    return frame


def reasons(frame: pd.DataFrame) -> pd.Series:
    """One sentence per enterprise: why it is on the inspection list (vectorised string building)."""
    if frame.empty:  # an empty list (a region without credible excess injuries) has no numbers to format
        return pd.Series([], index=frame.index, dtype="string")
    inj = frame["injuries_5y"].astype(int).astype(str)
    fat = frame["fatal_5y"].astype(int)
    exp = frame["expected_injuries"].map("{:.1f}".format)
    rr = frame["relative_risk"].map("{:.1f}".format)
    exc = frame["excess_injuries"].map("{:.2f}".format)
    text = (
        inj + " injured" + np.where(fat > 0, " (" + fat.astype(str) + " fatal)", "") + " in 5 years vs " + exp
        + " expected for " + frame["section"].astype(str) + "/" + frame["size_class"].astype(str) + " peers; credible rate "
        + rr + "x peers; about " + exc + " preventable injuries a year"
    )
    text = text + np.where(~frame["insured"].astype(bool), "; not insured", "")
    text = text + np.where(~frame["assessed"].astype(bool), "; no risk assessment", "")
    text = text + np.where(frame["osh_violations_5y"] > 0, "; " + frame["osh_violations_5y"].astype(int).astype(str) + " OSH violations found", "")
    return pd.Series(text, index=frame.index, dtype="string")
