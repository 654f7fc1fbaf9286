"""Small hand-made countries for the osh tests: a few enterprises, accidents and counts in a temp store."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from data.codes import make_bin
from data.schemas import SCHEMAS


def bins(n: int, *, start: int = 10_000_000) -> list[str]:
    """n valid BINs (the check digit exists for most 11-digit bodies; skip those without one)."""
    out: list[str] = []
    i = start
    while len(out) < n:
        b = make_bin(f"{i:011d}")
        if b is not None:
            out.append(b)
        i += 1
    return out


def put(store, table: str, frame: pd.DataFrame) -> None:
    """Write a frame with the table's full column set (missing optional columns as NULL)."""
    schema = SCHEMAS[table]
    full = frame.copy()
    for col in schema.names:
        if col not in full.columns:
            full[col] = None
    for c in schema.columns:
        if c.kind == "date":
            full[c.name] = pd.to_datetime(full[c.name]).dt.date
    store.upsert(table, full[list(schema.names)], key=schema.key)


def tiny_country(store, *, seed: int = 1, n: int = 300, years=(2020, 2021, 2022)) -> pd.DataFrame:
    """A random small country: enterprises in 4 regions x 4 sections, accidents, diseases, inspections,
    insurance, assessments and employment consistent with the register."""
    rng = np.random.default_rng(seed)
    b = bins(n)
    regions = np.array(["35", "71", "62", "63"])
    sections = {"B": "07.10", "C": "24.10", "G": "47.11", "F": "41.20"}
    sec = rng.choice(list(sections), n)
    reg = rng.choice(regions, n)
    emp = np.maximum(1, rng.lognormal(2.5, 1.5, n).astype(int))
    ent = pd.DataFrame(
        {
            "bin": b,
            "name": [f"Firm {i}" for i in range(n)],
            "kato": [f"{r}1010000" for r in reg],
            "oked": [sections[s] for s in sec],
            "employees": emp,
            "lat": 50.0,
            "lon": 70.0,
            "harmful_workers": (emp * np.where(np.isin(sec, ["B", "C"]), 0.4, 0.05)).astype(int),
            "active": True,
        }
    )
    put(store, "enterprises", ent)
    base = {"B": 2.0, "C": 1.2, "F": 0.8, "G": 0.2}
    latent = rng.gamma(2.0, 0.5, n)
    acc_rows = []
    for y in years:
        lam = emp * np.array([base[s] for s in sec]) / 1000 * latent
        k = rng.poisson(lam)
        for i in np.nonzero(k)[0]:
            for j in range(k[i]):
                acc_rows.append((f"A{y}-{i}-{j}", f"{y}-06-01", b[i], ent.kato[i], ent.oked[i], 1, int(rng.random() < 0.1)))
    acc = pd.DataFrame(acc_rows, columns=["accident_id", "date", "bin", "kato", "oked", "injured", "fatal"])
    put(store, "accidents", acc)
    # before the June 2022 split, employment of Ulytau (62) was published inside Karaganda (35)
    frames = []
    for y in years:
        where = np.where((reg == "62") & (y < 2022), "35", reg)
        rows = ent.assign(region=where, oked_section=sec).groupby(["region", "oked_section"], as_index=False)[["employees", "harmful_workers"]].sum()
        frames.append(rows.assign(year=y))
    employment = pd.concat(frames).rename(columns={"harmful_workers": "harmful_conditions"})
    put(store, "employment", employment)
    dis = pd.DataFrame({"year": years[-1], "bin": b[:20], "cause_group": "physical", "cases": 1})
    put(store, "occupational_diseases", dis)
    ins = pd.DataFrame({"bin": b, "year": years[-1], "covered": rng.random(n) < 0.4})
    put(store, "insurance", ins)
    k = min(n, 50)
    insp = pd.DataFrame({"inspection_id": [f"I{i}" for i in range(k)], "bin": b[:k], "date": f"{years[-1]}-03-01",
                         "violations": 4, "osh_violations": 1})
    put(store, "inspections", insp)
    wa = pd.DataFrame(
        {
            "assessment_id": [f"W{i}" for i in range(min(n, 100))],
            "bin": b[: min(n, 100)],
            "workplace": "main",
            "assessment_date": f"{years[-1]}-02-01",
            "workers": 3,
            "harmfulness_class": "3.1",
            "danger_class": 2,
            "equipment_class": 2,
            "ppe_provision_pct": 80.0,
            "morbidity_class": 1,
            "assessor": "X",
        }
    )
    put(store, "workplace_assessments", wa)
    return ent.assign(latent=latent, section=sec, region=reg)


@pytest.fixture
def country(tmp_store):
    ent = tiny_country(tmp_store)
    return tmp_store, ent


@pytest.fixture
def store_path(tmp_path: Path) -> Path:
    return tmp_path / "s.duckdb"
