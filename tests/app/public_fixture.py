"""A small PublicData-shaped object built by hand per docs/series.md, for tests that must not depend on osh/.

Two series: `bns` for every year, `mlsp` from 2022 only (partial years), whose 2023 national total is missing
with its coverage (6 of 20 regions). On the current basis before 2022 the regions split off in 2022 (10, 33,
62) have status `not_existing` and their parents (63, 19, 35) `includes` them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from data.codes import DISEASE_CAUSES, SECTION_CODES
from geo.regions import REGION_CODES, harmonised_codes

YEARS = (2020, 2021, 2022, 2023, 2024)
SECTIONS = ("A", "B", "C", "F", "H")  # a few sections keep the fixture small
SERIES_YEARS: dict[str, tuple[int, ...]] = {"bns": YEARS, "mlsp": (2022, 2023, 2024)}
SPLITS: dict[str, str] = {"10": "63", "33": "19", "62": "35"}  # child -> parent (June 2022)
PARTIAL = {"series": "mlsp", "year": 2023, "region": "KZ", "covered": 6, "cover_of": 20}


@dataclass(frozen=True)
class FakePublicData:
    indicators: pd.DataFrame
    diseases: pd.DataFrame
    targets: pd.DataFrame
    official: pd.DataFrame
    meta: dict[str, str] = field(default_factory=dict)


def _rows(rng: np.random.Generator) -> pd.DataFrame:
    rows = []
    for series, years in SERIES_YEARS.items():
        level = 1.0 if series == "bns" else 0.6  # the inspectorate counts fewer people than the bureau
        for basis, regions in (("current", REGION_CODES), ("harmonised", harmonised_codes())):
            for year in years:
                for region in ("KZ", *regions):
                    for section in ("ALL", *SECTIONS):
                        if region == "KZ":
                            workers = 6_800_000.0 if section == "ALL" else 400_000.0
                        else:
                            workers = 340_000.0 if section == "ALL" else 20_000.0
                        rows.append({"year": year, "basis": basis, "region": region, "section": section,
                                     "series": series, "workers": workers, "_level": level})
    frame = pd.DataFrame(rows)
    n = len(frame)
    rate = rng.uniform(0.2, 1.4, n) * frame.pop("_level").to_numpy()
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
    # its own generator: the draws above (and the figures the tests compare) stay as they were
    frame["self_assessed_share"] = np.random.default_rng(18).uniform(0.0, 0.05, n)
    frame["status"] = "ok"
    frame["covered"] = pd.array([pd.NA] * n, dtype="Int64")
    frame["cover_of"] = pd.array([pd.NA] * n, dtype="Int64")
    frame["includes"] = ""
    current, before = frame["basis"] == "current", frame["year"] < 2022
    # Disclosure control as the contract describes it: confidential, no-data and not-existing rows keep no values.
    confidential = (frame["region"] == "62") & (frame["section"] == "B") & ~before
    no_data = (frame["region"] == "47") & (frame["year"] == 2021) & current
    not_existing = frame["region"].isin(list(SPLITS)) & before & current
    partial = ((frame["series"] == PARTIAL["series"]) & (frame["year"] == PARTIAL["year"])
               & (frame["region"] == PARTIAL["region"]) & (frame["section"] == "ALL") & current)
    value_cols = [c for c in frame.columns if c not in ("year", "basis", "region", "section", "series", "status",
                                                        "covered", "cover_of", "includes")]
    frame.loc[confidential | no_data | not_existing | partial, value_cols] = np.nan
    frame.loc[confidential, "status"] = "confidential"
    frame.loc[no_data | partial, "status"] = "no_data"
    frame.loc[not_existing, "status"] = "not_existing"
    frame.loc[partial, "covered"] = PARTIAL["covered"]
    frame.loc[partial, "cover_of"] = PARTIAL["cover_of"]
    for child, parent in SPLITS.items():
        frame.loc[(frame["region"] == parent) & before & current, "includes"] = child
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

    targets = track(indicators[indicators["series"] == "bns"])
    official = official_figures()
    meta = {"dataset": "demo", "data_as_of": "2025-01-01", "built_at": "2025-01-02T00:00:00",
            "store_version": f"fixture-{seed}", "years": "2020-2024", "series": "bns,mlsp", "default_series": "bns"}
    assert set(SECTIONS) <= set(SECTION_CODES)
    return FakePublicData(indicators, diseases, targets, official, meta)
