"""Demo express self-assessments (issue 18): micro and small firms in the five tools' activities answer the
questionnaire, optimistically, from their latent risk; every row is scored by the real osh.selfcheck.scoring.

Who: active firms with at most 100 employees whose OKED starts with one of a tool's divisions or groups. How many:
the express procedure starts in 2024 — SHARE of the eligible firms, three times as many in three regions whose akimat
mailed codes (drawn with the seed). Answers: per question P(no) = clip(0.05 + 0.10 x weight x latent^0.5 x
OPTIMISM, 0, 0.9), "na" with 5 %; self-reports understate gaps (OPTIMISM < 1), so the self-assessment index follows
the latent risk more weakly than an accredited assessment does (docs/self-check.md).
"""

from __future__ import annotations

import json
from datetime import date, timedelta

import numpy as np
import pandas as pd

from data.schemas import SCHEMAS
from osh.selfcheck.content import TOOLS
from osh.selfcheck.scoring import MAX_EMPLOYEES, assess

START_YEAR = 2024
SHARE = 0.03
MAILED_REGIONS = 3
MAILED_FACTOR = 3.0
OPTIMISM = 0.6
NA_SHARE = 0.05
LANG_SHARES = {"kk": 0.60, "ru": 0.38, "en": 0.02}


def _tool_of(oked: pd.Series) -> pd.Series:
    """The tool whose divisions or groups the OKED code starts with (longest prefix first), else NA."""
    prefixes = sorted(((p, t.id) for t in TOOLS.values() for p in t.oked), key=lambda pt: -len(pt[0]))
    out = pd.Series(pd.NA, index=oked.index, dtype="object")
    code = oked.astype(str)
    for prefix, tool_id in prefixes:
        hit = out.isna() & code.str.startswith(prefix)
        out[hit] = tool_id
    return out


def generate(*, seed: int, enterprises: pd.DataFrame, truth: pd.DataFrame, years: tuple[int, ...]) -> pd.DataFrame:
    """The `self_assessments` table of the demo (columns exactly as the input contract)."""
    columns = list(SCHEMAS["self_assessments"].names)
    use_years = [y for y in years if y >= START_YEAR]
    rng = np.random.default_rng([seed, 18])
    ent = enterprises.merge(truth[["bin", "latent_risk"]], on="bin", how="left")
    ent = ent[(ent["employees"] >= 1) & (ent["employees"] <= MAX_EMPLOYEES) & ent["active"].fillna(True).astype(bool)]
    ent = ent.assign(tool=_tool_of(ent["oked"]), region=ent["kato"].astype(str).str[:2]).dropna(subset=["tool"])
    if ent.empty or not use_years:
        return pd.DataFrame(columns=columns)
    regions = sorted(set(ent["region"]))
    mailed = set(rng.choice(regions, size=min(MAILED_REGIONS, len(regions)), replace=False))
    rows: list[dict[str, object]] = []
    for year in use_years:
        p = np.where(ent["region"].isin(mailed), SHARE * MAILED_FACTOR, SHARE)
        chosen = ent[rng.random(len(ent)) < p]
        langs = rng.choice(list(LANG_SHARES), size=len(chosen), p=list(LANG_SHARES.values()))
        days = rng.integers(0, 365, size=len(chosen))
        for (_, firm), lang, day in zip(chosen.iterrows(), langs, days, strict=True):
            questions = TOOLS[str(firm["tool"])].questions
            latent = float(firm["latent_risk"]) if pd.notna(firm["latent_risk"]) else 1.0
            answers: dict[str, str] = {}
            for q in questions:
                p_no = float(np.clip(0.05 + 0.10 * q.weight * latent**0.5 * OPTIMISM, 0.0, 0.9))
                u = rng.random()
                answers[q.id] = "na" if u < NA_SHARE else ("no" if u < NA_SHARE + p_no * (1 - NA_SHARE) else "yes")
            on = date(year, 1, 1) + timedelta(days=int(day))
            result = assess(tool_id=str(firm["tool"]), answers=answers, employees=int(firm["employees"]), assessed_on=on)
            rows.append(
                {
                    "submission_id": rng.bytes(16).hex(),
                    "submitted_on": on,
                    "bin": firm["bin"],
                    "region": firm["region"],
                    "code_id": rng.bytes(16).hex(),
                    "tool": firm["tool"],
                    "lang": str(lang),
                    "employees": int(firm["employees"]),
                    **result.record(),
                    "answers": json.dumps(answers, sort_keys=True),
                }
            )
    return pd.DataFrame(rows, columns=columns)
