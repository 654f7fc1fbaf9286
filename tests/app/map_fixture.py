"""A small seeded store with an `enterprise_risk` table for the map tests (columns of osh.risk.COLUMNS).

Built directly (not through the demo generator) so the map tests stay fast and independent of the model's
calibration; a handful of accidents / inspections / insurance rows make the enterprise card non-trivial.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from data.codes import SECTION_CODES, make_bin
from data.store import DuckDBStore, open_store
from geo.regions import REGION_CODES
from osh.risk import COLUMNS, ROW_ID

# Rough centres of the regions (lat, lon) so that points fall inside Kazakhstan.
CENTRES: dict[str, tuple[float, float]] = {
    "10": (49.0, 80.0), "11": (51.9, 69.4), "15": (48.8, 58.0), "19": (44.5, 78.5), "23": (47.5, 52.5),
    "27": (50.5, 51.5), "31": (44.0, 72.0), "33": (45.0, 79.0), "35": (48.5, 73.5), "39": (51.5, 63.5),
    "43": (45.0, 64.0), "47": (43.8, 52.5), "55": (52.3, 76.9), "59": (54.0, 69.0), "61": (42.5, 68.5),
    "62": (47.5, 67.5), "63": (49.5, 83.0), "71": (51.17, 71.43), "75": (43.24, 76.9), "79": (42.32, 69.6),
}
RISK_YEAR = 2024


def _bins(n: int, rng: np.random.Generator) -> list[str]:
    out: list[str] = []
    seen: set[str] = set()
    while len(out) < n:
        first = f"{int(rng.integers(10**10, 10**11 - 1)):011d}"
        b = make_bin(first)
        if b and b not in seen:
            seen.add(b)
            out.append(b)
    return out


def synthetic_risk(n: int, *, seed: int = 1) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    regions = rng.choice(np.asarray(REGION_CODES), size=n)
    centre = np.asarray([CENTRES[r] for r in regions])
    lat = centre[:, 0] + rng.normal(0, 0.6, n)
    lon = centre[:, 1] + rng.normal(0, 0.9, n)
    employees = np.maximum(1, rng.lognormal(2.5, 1.2, n).astype(int))
    size = np.select([employees <= 15, employees <= 100, employees <= 250], ["micro", "small", "medium"], "large")
    parts = {p: np.round(rng.uniform(0, w, n), 2) for p, w in
             (("assessment", 35), ("injury", 30), ("disease", 15), ("compliance", 10), ("insurance", 10))}
    insured = rng.random(n) < 0.8
    parts["insurance"] = np.where(insured, 0.0, 10.0)
    score = sum(parts.values())
    degree = np.select([score >= 50, score >= 35], ["high", "medium"], "low")
    injuries = rng.poisson(0.3, n) * (employees > 10)
    frame = pd.DataFrame({
        "bin": _bins(n, rng),
        "name": [f"Demo enterprise {i:05d}" for i in range(n)],
        "region": regions,
        "kato": [f"{r}0000000" for r in regions],
        "oked": "01.11",
        "section": rng.choice(np.asarray(SECTION_CODES), size=n),
        "size_class": size,
        "employees": employees.astype("int64"),
        "lat": lat, "lon": lon,
        "located": rng.choice(np.asarray(["exact", "settlement"]), size=n),
        "assessed": rng.random(n) < 0.6,
        "self_assessed": False,
        "insured": insured,
        "score": score, "degree": degree,
        **{f"part_{p}": v for p, v in parts.items()},
        "injuries_5y": injuries.astype("int64"),
        "fatal_5y": (injuries > 2).astype("int64"),
        "disease_cases_5y": rng.poisson(0.05, n).astype("int64"),
        "expected_injuries": rng.uniform(0, 1, n),
        "credible_rate_1000": rng.uniform(0, 5, n),
        "excess_injuries": np.maximum(0, rng.normal(0, 0.05, n)),
        "harmful_workers": (employees * rng.uniform(0, 0.6, n)).astype("int64"),
        "sector_class": rng.integers(1, 6, n).astype("int64"),
        "tariff_factor": rng.uniform(0.5, 2.5, n),
        "peer_rank": rng.integers(1, 100, n).astype("int64"),
        "peer_count": np.full(n, 100, dtype="int64"),
        "peer_pct": rng.uniform(0, 100, n),
    })
    frame["peer_pct_lo"] = np.clip(frame["peer_pct"] - 10, 0, 100)
    frame["peer_pct_hi"] = np.clip(frame["peer_pct"] + 10, 0, 100)
    frame["year"] = RISK_YEAR
    frame["assessment_index"] = frame["part_assessment"] / 35
    frame["relative_risk"] = rng.uniform(0.5, 3, n)
    frame["baseline_rate_1000"] = rng.uniform(0.5, 2, n)
    frame["expected_diseases"] = rng.uniform(0, 0.2, n)
    frame["disease_relative_risk"] = rng.uniform(0.5, 2, n)
    frame["inspections_5y"] = rng.integers(0, 3, n).astype("int64")
    frame["osh_violations_5y"] = rng.integers(0, 4, n).astype("int64") * (frame["inspections_5y"] > 0)
    frame["workplaces_assessed"] = np.where(frame["assessed"], rng.integers(1, 20, n), 0).astype("int64")
    frame["last_assessment"] = pd.Timestamp("2023-05-01")
    return frame[list(COLUMNS)]


def make_store(path: Path, *, n: int = 2000, seed: int = 1) -> DuckDBStore:
    """A writable store at `path` with `enterprise_risk` (n rows), meta risk_year/dataset, and card history."""
    store = open_store(path)
    risk = synthetic_risk(n, seed=seed)
    risk[ROW_ID] = np.arange(len(risk), dtype=np.int64)  # as osh.risk.compute_and_store_risk stores it
    store.write_table("enterprise_risk", risk)
    store.set_meta("risk_year", str(RISK_YEAR))
    store.set_meta("dataset", "demo")
    first = risk.iloc[0]
    store.upsert("accidents", pd.DataFrame({
        "accident_id": ["A1", "A2", "A3"],
        "date": pd.to_datetime(["2022-03-01", "2024-06-01", "2024-07-01"]).date,
        "bin": first["bin"], "kato": first["kato"], "oked": "01.11",
        "injured": [1, 2, 1], "fatal": [0, 1, 0], "group_accident": [False, True, False], "cause": "fall",
    }), key=["accident_id"])
    store.upsert("inspections", pd.DataFrame({
        "inspection_id": ["I1"], "bin": first["bin"], "date": pd.to_datetime(["2023-02-01"]).date,
        "violations": [5], "osh_violations": [3],
    }), key=["inspection_id"])
    store.upsert("insurance", pd.DataFrame({"year": [2023, 2024], "bin": first["bin"], "covered": [True, False]}),
                 key=["year", "bin"])
    return store
