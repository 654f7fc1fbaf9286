"""The public OSH-measure aggregates' definitions and input: additive sums of the osh_measures reports per year x
region x OKED section. Kept apart from osh.measures (scoped enterprise-level reads) so that the public app, which
imports osh.public, never imports an enterprise-level module (tests/app/test_public_isolation.py)."""

from __future__ import annotations

import pandas as pd

from data.store import Store
from geo.regions import REGION_CODES
from osh.indicators import ENTERPRISE_DIM_SQL, map_region, map_section

TABLE = "osh_measures"

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
