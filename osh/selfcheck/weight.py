"""How much an employer's express self-assessment counts in the integral risk model (action plan item 3).

An accredited workplace assessment (table workplace_assessments) is measured by an outside organisation;
a self-assessment (table self_assessments) is the employer's own answers to a questionnaire. It is put on
the same five-indicator scales, so the risk model scores it with its own workplace formula, and then gives
it partial credibility:

    assessment index = accredited index                                   when an accredited one exists
                     = w x self-assessment index + (1 - w) x peer prior   when only a self-assessment exists
                     = peer prior                                         otherwise

with w = SELF_ASSESSMENT_WEIGHT = 0.5: a self-assessment moves a firm half-way from its peers' mean
towards its own answers. Half, because self-reports are known to be optimistic and are not checked on
site, yet they are the only workplace information most micro firms will ever give. A self-assessment
counts for VALID_YEARS years (the year it was made and the next two), like a risk assessment that must
be renewed when conditions change. It does NOT count towards target indicator 1 (coverage by
occupational risk assessment), which counts accredited assessments only.
"""

from __future__ import annotations

import numpy as np

SELF_ASSESSMENT_WEIGHT = 0.5
VALID_YEARS = 3

SOURCE_ACCREDITED = 0
SOURCE_SELF = 1
SOURCE_PRIOR = 2


def latest_self_assessment_sql(*, score_expr: str, year: int, valid_years: int = VALID_YEARS) -> str:
    """A query giving (bin, s, submitted_on) for each enterprise's latest self-assessment valid in `year`.

    `score_expr` is the risk model's own workplace formula (osh.risk._workplace_sql(cfg)): the
    self_assessments table carries the same five columns as workplace_assessments, so the formula lives once.
    """
    year = int(year)
    first = year - int(valid_years) + 1
    return (
        f"SELECT bin, s, submitted_on FROM (SELECT bin, submitted_on, {score_expr} AS s, "
        "row_number() OVER (PARTITION BY bin ORDER BY submitted_on DESC, submission_id DESC) AS rn "
        f"FROM self_assessments WHERE CAST(EXTRACT(YEAR FROM submitted_on) AS BIGINT) BETWEEN {first} AND {year}) "
        "AS latest WHERE rn = 1"
    )


def blend_assessment_index(
    *, accredited: np.ndarray, self_index: np.ndarray, prior: np.ndarray, weight: float = SELF_ASSESSMENT_WEIGHT
) -> tuple[np.ndarray, np.ndarray]:
    """The assessment index of each enterprise and where it came from (SOURCE_* codes).

    accredited and self_index hold NaN where an enterprise has no such assessment; prior is the peer mean.
    """
    if not 0.0 <= weight <= 1.0:
        raise ValueError(f"self-assessment weight must be between 0 and 1, got {weight}")
    accredited = np.asarray(accredited, dtype=float)
    self_index = np.asarray(self_index, dtype=float)
    prior = np.asarray(prior, dtype=float)
    if not accredited.shape == self_index.shape == prior.shape:
        raise ValueError(f"shapes differ: accredited {accredited.shape}, self {self_index.shape}, prior {prior.shape}")
    has_acc = ~np.isnan(accredited)
    has_self = ~np.isnan(self_index)
    blended = weight * np.nan_to_num(self_index) + (1.0 - weight) * prior
    index = np.where(has_acc, np.nan_to_num(accredited), np.where(has_self, blended, prior))
    source = np.where(has_acc, SOURCE_ACCREDITED, np.where(has_self, SOURCE_SELF, SOURCE_PRIOR)).astype(np.int8)
    return index, source
