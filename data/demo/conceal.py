"""The demo's OSH-measures reports and its planted concealment: the truth the desk checks are measured against.

Desk checks (osh/desk_checks.py) flag an enterprise when its sources disagree. For their precision to be a
measurement, the demo hides a known set of enterprises that really conceal something, and innocent look-alikes
that trip the same rules for legitimate reasons:

* missing_assessment: assessed enterprises with workers in harmful conditions whose assessment records are
  withheld from the register (they still grant the harmful-work guarantees the assessment justified);
  look-alikes: unassessed enterprises that grant guarantees on an old attestation (ӨОА), legitimately.
* understated_assessment: enterprises whose filed assessment classes were lowered to 1-2 (danger and
  morbidity to 1) although their real conditions cause diseases and injuries.
* lapsed_insurance: enterprises that let their ЖОМС contract lapse in the last year while they had accidents
  in it; an equal number of accident-free uninsured enterprises take contracts that year, so the national
  insured share stays on its calibrated path.

Accidents and disease cases are never touched (their totals are calibrated to published figures), so under-
reported injuries are not planted. Everything else that trips a rule in the demo (an unassessed firm with
harmful workers, a chance excess of injuries) is a natural false positive the benchmark counts as such.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

CONCEAL_KINDS: tuple[str, ...] = ("missing_assessment", "understated_assessment", "lapsed_insurance")
MEASURE_YEARS = 3  # osh_measures covers the last three demo years
PLANT_SHARE = 0.002  # of all enterprises, per kind
PLANT_MIN = 6
MIN_HARMFUL = 5  # a planted missing assessment hides an enterprise with at least this many harmful workers
INDUSTRIAL = ("B", "C", "D", "E", "F", "H")


@dataclass(frozen=True)
class Planted:
    workplace_assessments: pd.DataFrame
    insurance: pd.DataFrame
    osh_measures: pd.DataFrame
    truth: pd.DataFrame  # bin, desk_truth (kind or ""), desk_lookalike (kind or "")


def _rng(seed: int, step: str) -> np.random.Generator:
    return np.random.default_rng([seed, *map(ord, step)])


def _pick(rng: np.random.Generator, candidates: np.ndarray, k: int) -> np.ndarray:
    if len(candidates) <= k:
        return candidates
    return np.sort(rng.choice(candidates, size=k, replace=False))


def plant(*, seed: int, years: tuple[int, ...], ent: pd.DataFrame, assessments: pd.DataFrame,
          insurance: pd.DataFrame, accidents: pd.DataFrame, diseases: pd.DataFrame) -> Planted:
    """`ent` is the generator's enterprise frame (bin, employees, section, harmful_workers, latent)."""
    rng = _rng(seed, "conceal")
    n = len(ent)
    k = max(PLANT_MIN, round(PLANT_SHARE * n))
    last = years[-1]
    bins = ent["bin"].to_numpy()
    harmful = ent["harmful_workers"].to_numpy()
    truth = np.full(n, "", dtype=object)
    lookalike = np.full(n, "", dtype=object)
    pos_of = pd.Series(np.arange(n), index=bins)

    first_year = assessments.groupby("bin")["assessment_date"].min().str[:4].astype(int)
    assessed_year = np.zeros(n, dtype=np.int64)
    assessed_year[pos_of[first_year.index].to_numpy()] = first_year.to_numpy()
    window = accidents["date"].str[:4].astype(int) > last - 5
    injured = accidents[window].groupby("bin")["injured"].sum().reindex(bins).fillna(0).to_numpy()
    acc_last = accidents[accidents["date"].str[:4].astype(int) == last].groupby("bin").size().reindex(bins).fillna(0).to_numpy()
    cases = diseases[diseases["year"] > last - 5].groupby("bin")["cases"].sum().reindex(bins).fillna(0).to_numpy()

    # understated assessments: assessed, harmful, and with diseases or injuries the low classes cannot explain
    assessed = assessed_year > 0
    signal = assessed & (harmful > 0) & ((cases > 0) | (injured >= 3))
    under = _pick(rng, np.flatnonzero(signal), k)
    if len(under) < k:  # a small country: fill from harmful assessed firms (undetectable, they lower recall)
        rest = np.setdiff1d(np.flatnonzero(assessed & (harmful > 0)), under)
        under = np.sort(np.concatenate([under, _pick(rng, rest, k - len(under))]))
    truth[under] = "understated_assessment"

    # missing assessments: assessed harmful firms not already planted
    free = assessed & (harmful >= MIN_HARMFUL) & (truth == "")
    missing = _pick(rng, np.flatnonzero(free), k)
    truth[missing] = "missing_assessment"

    # lapsed insurance: covered the year before and in the last year, with an accident in the last year
    cov = insurance[insurance["covered"].astype(bool)]
    # hash-based membership: np.isin on string arrays compares every pair (minutes at national scale)
    covered_last = pd.Series(bins).isin(cov.loc[cov["year"] == last, "bin"]).to_numpy()
    covered_before = pd.Series(bins).isin(cov.loc[cov["year"] == last - 1, "bin"]).to_numpy()
    lapse = _pick(rng, np.flatnonzero(covered_last & covered_before & (acc_last > 0) & (truth == "")), k)
    truth[lapse] = "lapsed_insurance"
    # as many accident-free uninsured firms take a contract, keeping the share on its path
    takers = _pick(rng, np.flatnonzero(~covered_last & (acc_last == 0) & (truth == "")), len(lapse))

    # look-alikes of missing assessments: unassessed harmful firms granting guarantees on an old attestation
    alike = _pick(rng, np.flatnonzero(~assessed & (harmful >= MIN_HARMFUL) & (truth == "")), k)
    lookalike[alike] = "missing_assessment"

    measures = _measures(rng, years=years, ent=ent, assessments=assessments, assessed_year=assessed_year,
                         old_attestation=alike)

    wa = assessments.copy()
    low = wa["bin"].isin(bins[under])
    wa.loc[low, "harmfulness_class"] = np.where(rng.random(int(low.sum())) < 0.5, "1", "2")
    wa.loc[low, "danger_class"] = 1
    wa.loc[low, "morbidity_class"] = 1
    wa = wa[~wa["bin"].isin(bins[missing])].reset_index(drop=True)

    ins = insurance.copy()
    flip = ins["bin"].isin(bins[lapse]) & (ins["year"] == last)
    ins.loc[flip, "covered"] = False
    taker_bins = bins[takers]
    existing = ins["bin"].isin(taker_bins) & (ins["year"] == last)
    ins.loc[existing, "covered"] = True
    added = pd.DataFrame({"bin": np.setdiff1d(taker_bins, ins.loc[existing, "bin"].to_numpy()), "year": last, "covered": True})
    ins = pd.concat([ins, added], ignore_index=True).sort_values(["year", "bin"], kind="stable").reset_index(drop=True)
    ins = ins.astype({"bin": "str", "year": "int64", "covered": "bool"})
    truth_frame = pd.DataFrame({"bin": bins, "desk_truth": truth.astype(str), "desk_lookalike": lookalike.astype(str)})
    return Planted(wa, ins, measures, truth_frame)


def _measures(rng: np.random.Generator, *, years: tuple[int, ...], ent: pd.DataFrame, assessments: pd.DataFrame,
              assessed_year: np.ndarray, old_attestation: np.ndarray) -> pd.DataFrame:
    """Reports of enterprises with harmful workers or at least 101 employees, for the last MEASURE_YEARS years."""
    emp = ent["employees"].to_numpy()
    harmful = ent["harmful_workers"].to_numpy()
    reports = np.flatnonzero((harmful > 0) | (emp > 100))
    z = np.log(ent["latent"].to_numpy()) / 0.6
    section = ent["section"].to_numpy()
    industrial = pd.Series(section).isin(INDUSTRIAL).to_numpy()
    attested = np.zeros(len(ent), dtype=bool)
    attested[old_attestation] = True
    ppe_assessed = (assessments.assign(w=assessments["workers"] * assessments["ppe_provision_pct"])
                    .groupby("bin")[["w", "workers"]].sum())
    ppe_by_bin = (ppe_assessed["w"] / ppe_assessed["workers"]).reindex(ent["bin"]).to_numpy()
    frames = []
    for year in years[-MEASURE_YEARS:]:
        p = reports
        m = len(p)
        h = harmful[p]
        justified = ((assessed_year[p] > 0) & (assessed_year[p] <= year)) | attested[p]
        share = np.where(attested[p], rng.uniform(0.5, 0.9, m), rng.uniform(0.85, 1.0, m))
        guarantee = np.where(justified, np.floor(h * share), 0).astype(np.int64)
        ppe_own = 100 / (1 + np.exp(-(2.0 - 0.9 * z[p] + rng.normal(0, 0.6, m))))
        ppe = np.where(np.isnan(ppe_by_bin[p]), ppe_own, ppe_by_bin[p] + rng.normal(0, 3, m))
        heavy = pd.Series(section[p]).isin(("B", "C", "D")).to_numpy()
        frames.append(pd.DataFrame({
            "bin": ent["bin"].to_numpy()[p],
            "year": year,
            "workers": np.maximum(emp[p], 1).astype(np.int64),
            "funding_per_worker": np.round(rng.lognormal(np.log(np.where(industrial[p], 48_000, 18_000)) - 0.25 * z[p], 0.5), 0),
            "guarantee_workers": guarantee,
            "additional_leave_workers": rng.binomial(guarantee, 0.7).astype(np.int64),
            "reduced_hours_workers": rng.binomial(guarantee, 0.3).astype(np.int64),
            "wage_supplement_workers": rng.binomial(guarantee, 0.8).astype(np.int64),
            "nutrition_workers": np.where(heavy, rng.binomial(guarantee, 0.35), 0).astype(np.int64),
            "milk_workers": rng.binomial(guarantee, 0.6).astype(np.int64),
            "ppe_provision_pct": np.round(np.clip(ppe, 0, 100), 1),
            "sanitary_facilities": rng.random(m) < 1 / (1 + np.exp(-(1.5 - 0.8 * z[p]))),
            "medical_exam_pct": np.round(np.clip(92 - 12 * z[p] + rng.normal(0, 6, m), 0, 100), 1),
        }))
    return pd.concat(frames, ignore_index=True).astype({"bin": "str", "year": "int64"})
