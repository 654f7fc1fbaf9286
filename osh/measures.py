"""The digital map's monitoring fields (table osh_measures): one enterprise's reports, scoped, and the
region/sector aggregates the official map layer shows (the public barometer's come from osh.measure_sums)."""

from __future__ import annotations

from typing import Any

import pandas as pd

from data.scope import Scope
from data.store import Store
from osh import enterprises as ent

TABLE = "osh_measures"
FIELDS: tuple[str, ...] = (
    "funding_per_worker", "guarantee_workers", "additional_leave_workers", "reduced_hours_workers",
    "wage_supplement_workers", "nutrition_workers", "milk_workers", "ppe_provision_pct", "sanitary_facilities",
    "medical_exam_pct",
)
# Aggregate measures: name -> SQL over the reports of a group (worker-weighted where a share is averaged).
AGGREGATES: dict[str, str] = {
    "reports": "count(*)",
    "workers": "sum(m.workers)",
    "funding_per_worker": "sum(m.funding_per_worker * m.workers) / sum(m.workers)",
    "guarantee_share": "sum(m.guarantee_workers) / sum(m.workers)",
    "nutrition_share": "sum(m.nutrition_workers) / sum(m.workers)",
    "milk_share": "sum(m.milk_workers) / sum(m.workers)",
    "ppe_provision_pct": "sum(m.ppe_provision_pct * m.workers) / sum(m.workers)",
    "sanitary_share": "avg(CASE WHEN m.sanitary_facilities THEN 1.0 ELSE 0.0 END)",
    "medical_exam_pct": "sum(m.medical_exam_pct * m.workers) / sum(m.workers)",
}
BY: dict[str, str] = {"region": "r.region", "section": "r.section"}


def enterprise_measures(store: Store, *, scope: Scope, bin: str) -> pd.DataFrame:
    """The enterprise's yearly reports, newest first (empty when it reported none); another region's BIN is refused."""
    ent._require_table(store)
    row = store.read(ent.RISK_TABLE, columns=["region"], where={"bin": bin})
    if row.empty:
        raise ent.EnterpriseNotFound(f"no enterprise with BIN {bin} in the register")
    scope.check(str(row["region"].iloc[0]))
    if not store.has_table(TABLE):
        return pd.DataFrame({c: pd.Series(dtype="object") for c in ("year", "workers", *FIELDS)})
    cols = ", ".join(f'"{c}"' for c in ("year", "workers", *FIELDS))
    return store.sql(f"SELECT {cols} FROM {TABLE} WHERE bin = ? ORDER BY year DESC", [bin])


def aggregate(store: Store, *, scope: Scope, by: str, year: int | None = None) -> pd.DataFrame:
    """One row per region or OKED section (within the scope) for a year (default: the latest reported):
    the AGGREGATES, plus `reports` so small groups can be suppressed before anything is published."""
    if by not in BY:
        raise ValueError(f"aggregate by {by!r}: expected one of {', '.join(BY)}")
    ent._require_table(store)
    if not store.has_table(TABLE):
        return pd.DataFrame({c: pd.Series(dtype="float64") for c in (by, *AGGREGATES)})
    params: list[Any] = []
    if year is None:
        found = store.sql(f"SELECT max(year) AS y FROM {TABLE}")["y"]
        year = int(found.iloc[0]) if len(found) and pd.notna(found.iloc[0]) else 0
    clause = "m.year = ?"
    params.append(year)
    regions = scope.narrow(None)
    if regions is not None:
        clause += f" AND r.region IN ({', '.join('?' for _ in regions)})"
        params.extend(sorted(regions))
    select = ", ".join(f"{sql} AS {name}" for name, sql in AGGREGATES.items())
    frame = store.sql(
        f"SELECT {BY[by]} AS {by}, {select} FROM {TABLE} m JOIN {ent.RISK_TABLE} r ON r.bin = m.bin "
        f"WHERE {clause} GROUP BY {BY[by]} ORDER BY 1", params)
    return frame.assign(year=year)
