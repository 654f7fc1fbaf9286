"""A small PublicData-shaped object built by hand per CONTRACTS.md §1, for tests that must not depend on osh/."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from data.codes import DISEASE_CAUSES, SECTION_CODES
from geo.regions import REGION_CODES, harmonised_codes

YEARS = (2020, 2021, 2022, 2023, 2024)
SECTIONS = ("A", "B", "C", "F", "H")  # a few sections keep the fixture small


@dataclass(frozen=True)
class FakePublicData:
    indicators: pd.DataFrame
    diseases: pd.DataFrame
    targets: pd.DataFrame
    official: pd.DataFrame
    meta: dict[str, str] = field(default_factory=dict)


def _rows(rng: np.random.Generator) -> pd.DataFrame:
    rows = []
    for basis, regions in (("current", REGION_CODES), ("harmonised", harmonised_codes())):
        for year in YEARS:
            for region in ("KZ", *regions):
                for section in ("ALL", *SECTIONS):
                    if region == "KZ":
                        workers = 6_800_000.0 if section == "ALL" else 400_000.0
                    else:
                        workers = 340_000.0 if section == "ALL" else 20_000.0
                    rows.append({"year": year, "basis": basis, "region": region, "section": section, "workers": workers})
    frame = pd.DataFrame(rows)
    n = len(frame)
    rate = rng.uniform(0.2, 1.4, n)
    frame["enterprises"] = (frame["workers"] / 17).round()
    frame["injured"] = np.round(frame["workers"] * rate / 1000)
    frame["fatal"] = np.round(frame["injured"] * rng.uniform(0.05, 0.2, n))
    frame["nonfatal"] = frame["injured"] - frame["fatal"]
    w = frame["workers"]
    frame["injury_rate_1000"] = frame["injured"] / w * 1000
    frame["injury_rate_1000_lo"] = frame["injury_rate_1000"] * 0.85
    frame["injury_rate_1000_hi"] = frame["injury_rate_1000"] * 1.15
    frame["fatal_rate_1000"] = frame["fatal"] / w * 1000
    frame["fatal_rate_1000_lo"] = frame["fatal_rate_1000"] * 0.6
    frame["fatal_rate_1000_hi"] = frame["fatal_rate_1000"] * 1.4
    frame["hidden_ratio"] = (frame["nonfatal"] / frame["fatal"]).where(frame["fatal"] > 0)
    frame["disease_cases"] = np.round(frame["workers"] * rng.uniform(0, 0.0002, n))
    frame["disease_rate_100k"] = frame["disease_cases"] / w * 100_000
    frame["harmful_workers"] = np.round(w * rng.uniform(0.05, 0.4, n))
    frame["harmful_share"] = frame["harmful_workers"] / w
    frame["insured_share"] = rng.uniform(0.2, 0.6, n)
    frame["assessed_share"] = rng.uniform(0.0, 0.5, n)
    frame["osh_violation_share"] = rng.uniform(0.15, 0.35, n)
    frame["status"] = "ok"
    # Disclosure control as the contract describes it: confidential rows keep no values.
    confidential = (frame["region"] == "62") & (frame["section"] == "B")
    no_data = (frame["region"] == "33") & (frame["year"] == 2020) & (frame["basis"] == "current")
    value_cols = [c for c in frame.columns if c not in ("year", "basis", "region", "section", "status")]
    frame.loc[confidential | no_data, value_cols] = np.nan
    frame.loc[confidential, "status"] = "confidential"
    frame.loc[no_data, "status"] = "no_data"
    return frame


def make_public_data(*, seed: int = 7) -> FakePublicData:
    rng = np.random.default_rng(seed)
    indicators = _rows(rng)
    diseases = pd.DataFrame(
        [
            {"year": y, "region": r, "cause_group": c, "cases": float(rng.integers(0, 60)), "status": "ok"}
            for y in YEARS
            for r in ("KZ", *REGION_CODES)
            for c in DISEASE_CAUSES
        ]
    )
    from data.official import official_figures
    from osh.targets import track

    targets = track(indicators)
    official = official_figures()
    meta = {"dataset": "demo", "data_as_of": "2025-01-01", "built_at": "2025-01-02T00:00:00",
            "store_version": f"fixture-{seed}", "years": "2020-2024"}
    assert set(SECTIONS) <= set(SECTION_CODES)
    return FakePublicData(indicators, diseases, targets, official, meta)
