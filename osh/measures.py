"""The digital map's monitoring fields (table osh_measures): one enterprise's reports, scoped, and the
region/sector aggregates the map layers and the barometer show."""

from __future__ import annotations

from typing import Any

import pandas as pd

from data.scope import Scope
from data.store import Store
from geo.regions import REGION_CODES
from osh import enterprises as ent
from osh.indicators import ENTERPRISE_DIM_SQL, map_region, map_section

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


# --- the public aggregates' input: additive sums per year x region x section ---------------------------------

# Additive sums of one cell of reports. The shares and the funding per worker are ratios of these sums, taken only
# after disclosure control (osh.public.protect_measures), so that margins are sums of their cells. `largest` (the
# workers of the cell's largest reporter) serves the dominance test and is never published.
SUMS: dict[str, str] = {
    "reports": "count(*)",
    "workers": "sum(m.workers)",
    "largest": "max(m.workers)",
    "funding": "sum(m.funding_per_worker * m.workers)",
    "guarantee": "sum(m.guarantee_workers)",
    "nutrition": "sum(m.nutrition_workers)",
    "milk": "sum(m.milk_workers)",
    "ppe": "sum(m.ppe_provision_pct / 100.0 * m.workers)",
    "sanitary": "sum(CASE WHEN m.sanitary_facilities THEN 1 ELSE 0 END)",
    "medical": "sum(m.medical_exam_pct / 100.0 * m.workers)",
}
# The public measures (osh.registry.MEASURE_INDICATORS): column -> (numerator, denominator) of SUMS. Percentages of
# an enterprise's own norm or due workers are weighted by its workers; the sanitary share counts enterprises.
PUBLIC_MEASURES: dict[str, tuple[str, str]] = {
    "funding_per_worker": ("funding", "workers"),
    "ppe_share": ("ppe", "workers"),
    "medical_exam_share": ("medical", "workers"),
    "guarantee_share": ("guarantee", "workers"),
    "nutrition_share": ("nutrition", "workers"),
    "milk_share": ("milk", "workers"),
    "sanitary_share": ("sanitary", "reports"),
}


def cell_sums(store: Store) -> pd.DataFrame:
    """One row per year x region (current basis, 2-digit KATO of the enterprise's register address) x OKED
    section with the SUMS of the reports in it; the whole country, no scope: the input of the public tables,
    nothing of which is published before disclosure control. Reports of enterprises without a known region or
    section cannot be placed in a cell and are left out (counted in `unplaced`, a column of every row)."""
    columns = ["year", "region", "section", *SUMS, "unplaced"]
    if not store.has_table(TABLE) or not store.has_table("enterprises"):
        return pd.DataFrame({c: pd.Series(dtype="float64") for c in columns})
    select = ", ".join(f"{sql} AS {name}" for name, sql in SUMS.items())
    frame = store.sql(
        f"SELECT m.year AS year, e.k2 AS k2, e.d2 AS d2, {select} FROM {TABLE} m "
        f"JOIN ({ENTERPRISE_DIM_SQL}) e ON e.bin = m.bin GROUP BY m.year, e.k2, e.d2")
    if frame.empty:
        return pd.DataFrame({c: pd.Series(dtype="float64") for c in columns})
    frame["year"] = frame["year"].astype(int)
    frame["region"] = map_region(frame["k2"], basis="current", years=frame["year"])
    frame["section"] = map_section(frame["d2"])
    placed = frame["region"].isin(list(REGION_CODES)) & frame["section"].notna()
    unplaced = int(frame.loc[~placed, "reports"].sum())
    keys = ["year", "region", "section"]
    out = frame[placed].astype({"region": str, "section": str})
    agg = {name: ("max" if name == "largest" else "sum") for name in SUMS}
    out = out.groupby(keys, as_index=False).agg(agg)
    return out.assign(unplaced=unplaced)[columns].astype(dict.fromkeys(SUMS, "float64"))
