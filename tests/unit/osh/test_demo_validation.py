"""Validation against the demo generator's hidden truth: does the risk model find the planted latent risk?

The generator gives every enterprise a latent relative risk (lognormal, mean 1) that multiplies its injury
rate and tilts its workplace assessments, harmful-condition workers, inspection findings and insurance.
The minima asserted here are statistical, not tuned numbers:
- the score's AUC for the top decile of latent risk must exceed 0.5 by four Hanley-McNeil standard errors
  (chance would pass with probability < 1e-4);
- among enterprises with at least 0.2 expected injuries in the window (where their own record carries
  some information), the credibility-weighted relative risk must rank-correlate positively with the truth
  (one-sided p < 0.001);
- the empirical-Bayes estimate must have a smaller mean squared error against the truth than the raw
  observed/expected ratio (what shrinkage is for).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from scipy.stats import rankdata, spearmanr

from osh import risk

SCALE = 0.1  # 40 000 enterprises: at 0.05 only ~450 firms have 0.2 expected injuries, too few for a stable p < 0.001


def auc(score: np.ndarray, positive: np.ndarray) -> float:
    ranks = rankdata(score)
    n_pos = int(positive.sum())
    n_neg = len(positive) - n_pos
    return float((ranks[positive].sum() - n_pos * (n_pos + 1) / 2) / (n_pos * n_neg))


def hanley_mcneil_se(a: float, n_pos: int, n_neg: int) -> float:
    q1 = a / (2 - a)
    q2 = 2 * a * a / (1 + a)
    return float(np.sqrt((a * (1 - a) + (n_pos - 1) * (q1 - a * a) + (n_neg - 1) * (q2 - a * a)) / (n_pos * n_neg)))


@pytest.fixture(scope="module")
def scored(tmp_path_factory: pytest.TempPathFactory):
    from data.demo import build_demo
    from data.store import open_store

    path: Path = tmp_path_factory.mktemp("demo") / "demo.duckdb"
    with open_store(path) as store:
        build_demo(store, seed=2024, scale=SCALE)
        table = risk.enterprise_risk(store)
        truth = store.read("demo_truth")
    return table.merge(truth, on="bin", how="inner", validate="one_to_one")


def test_score_finds_the_latent_risk(scored):
    top = (scored["latent_risk"] >= scored["latent_risk"].quantile(0.9)).to_numpy()
    a = auc(scored["score"].to_numpy(), top)
    se = hanley_mcneil_se(a, int(top.sum()), int((~top).sum()))
    rho = spearmanr(scored["score"], scored["latent_risk"]).statistic
    print(f"\nvalidation (scale {SCALE}, {len(scored)} enterprises): AUC(score, top-decile latent) = {a:.3f} +- {se:.3f}; "
          f"Spearman(score, latent) = {rho:.3f}")
    assert a > 0.5 + 4 * se


def test_score_finds_the_true_injury_rate(scored):
    # the score measures absolute risk (sector, size and the enterprise's own excess): compare it with the
    # generator's expected injuries per worker
    rate = scored["expected_injuries_5y"] / scored["employees"].clip(lower=1)
    top = (rate >= rate.quantile(0.9)).to_numpy()
    a = auc(scored["score"].to_numpy(), top)
    se = hanley_mcneil_se(a, int(top.sum()), int((~top).sum()))
    print(f"\nAUC(score, top-decile true expected injury rate) = {a:.3f} +- {se:.3f}")
    assert a > 0.5 + 4 * se


def test_credible_relative_risk_tracks_the_truth_where_there_is_exposure(scored):
    informative = scored[scored["expected_injuries"] >= 0.2]
    res = spearmanr(informative["relative_risk"], informative["latent_risk"], alternative="greater")
    print(f"\nSpearman(relative risk, latent) for {len(informative)} enterprises with >= 0.2 expected injuries: "
          f"{res.statistic:.3f} (p = {res.pvalue:.1e})")
    assert len(informative) >= 30
    assert res.statistic > 0
    assert res.pvalue < 1e-3


def test_shrinkage_beats_the_raw_ratio(scored):
    exposed = scored[scored["expected_injuries"] > 0]
    raw = exposed["injuries_5y"] / exposed["expected_injuries"]
    # the truth on the model's scale: the latent risk relative to its peer group's mean latent risk
    peer_mean = exposed.groupby(["section", "size_class"], observed=True)["latent_risk"].transform("mean")
    truth = exposed["latent_risk"] / peer_mean
    mse_raw = float(((raw - truth) ** 2).mean())
    mse_eb = float(((exposed["relative_risk"] - truth) ** 2).mean())
    print(f"\nMSE against the truth: raw observed/expected {mse_raw:.3f}, credibility-weighted {mse_eb:.3f}")
    assert mse_eb < mse_raw
