"""The integral occupational-risk degree of every enterprise: five explainable parts, score 0-100, degree.

The model (weights and thresholds in osh/risk_model.toml, setting ENBEK_RISK_CONFIG):

score = part_assessment + part_injury + part_disease + part_compliance + part_insurance, each part being
its weight x an index in [0, 1]:

- assessment: the worker-weighted mean of the enterprise's workplace scores (latest assessment of each
  workplace up to the scored year). A workplace score is the weighted mean of the Concept's five
  indicators mapped onto [0, 1]: harmfulness class, danger class, equipment class, PPE shortfall,
  morbidity class. An enterprise without an assessment gets the worker-weighted mean of assessed peers
  of its section x size class (else section, else nation) and assessed = False.
- injury / disease: credibility-weighted frequencies. With exposure E = employees x window years and the
  peer baseline rate lambda of its OKED section x size class, the expected count is mu = lambda E. The
  enterprise's relative risk theta ~ Gamma(alpha, alpha) (mean 1; alpha per section by the method of
  moments: 1/alpha = sum((n - mu)^2 - mu) / sum(mu^2)), so the posterior mean is
  theta = (alpha + n) / (alpha + mu): a firm with little exposure stays near its peers' rate, a large one
  is judged on its own record. credible rate = theta lambda; index R / (1 + R) with R = credible rate /
  national rate (half the points at the national rate).
- compliance: OSH violations per inspection in the window, shrunk towards the section mean with
  `inspection_prior` pseudo-inspections; index R / (1 + R) with R relative to the national mean.
- insurance: the full weight when the enterprise had no ЖОМС contract in the scored year.

Expected preventable harm (inspection ranking): excess_injuries = max(theta - 1, 0) x lambda x employees,
the injuries a year above what the same workforce would have at its peers' rate.
Sector classes rank OKED sections by their baseline injury rate relative to the nation; the tariff factor
is the class factor x the bonus-malus factor of the degree (the Concept's two-component tariff).
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from data import settings
from data.codes import DIVISION_TO_SECTION, HARMFULNESS_CLASSES, SECTION_CODES, SIZE_CLASSES
from data.store import Store
from geo.regions import REGION_CODES, RETIRED_CODES
from osh.indicators import _size_sql, year_of
from osh.reasons import Reason
from osh.selfcheck.weight import SELF_ASSESSMENT_WEIGHT, SOURCE_SELF, blend_assessment_index, latest_self_assessment_sql

PARTS: tuple[str, ...] = ("assessment", "injury", "disease", "compliance", "insurance")
DEGREES: tuple[str, ...] = ("low", "medium", "high")
WORKPLACE_INDICATORS: tuple[str, ...] = ("harmfulness", "danger", "equipment", "ppe", "morbidity")

COLUMNS: tuple[str, ...] = (
    "bin", "name", "region", "kato", "oked", "section", "size_class", "employees", "lat", "lon", "located",
    "assessed", "self_assessed", "insured", "score", "degree",
    "part_assessment", "part_injury", "part_disease", "part_compliance", "part_insurance",
    "injuries_5y", "fatal_5y", "disease_cases_5y", "expected_injuries", "credible_rate_1000", "excess_injuries",
    "harmful_workers", "sector_class", "tariff_factor",
    "peer_rank", "peer_count", "peer_pct", "peer_pct_lo", "peer_pct_hi",
    # explanation support (beyond the contract)
    "year", "assessment_index", "relative_risk", "baseline_rate_1000", "expected_diseases", "disease_relative_risk",
    "inspections_5y", "osh_violations_5y", "workplaces_assessed", "last_assessment",
)


# Categorical in the frame returned by enterprise_risk(); VARCHAR in the stored table.
ROW_ID = "row_id"  # row number of the stored enterprise_risk table (the map's aggregation index)
CATEGORICAL_COLUMNS: tuple[str, ...] = ("region", "section", "size_class", "degree", "located")


class RiskConfigError(ValueError):
    """The risk-model configuration file is missing a value or holds an inconsistent one."""


class RiskDataError(ValueError):
    """The store does not hold what the risk model needs."""


@dataclass(frozen=True)
class RiskConfig:
    weights: dict[str, float]
    medium: float
    high: float
    window_years: int
    workplace_weights: dict[str, float]
    harmfulness_points: dict[str, float]
    alpha_min: float
    alpha_max: float
    inspection_prior: float
    interval: float
    class_bounds: tuple[float, ...]
    class_factor: tuple[float, ...]
    bonus_malus: dict[str, float]
    source: str = ""


def load_config(*, path: Path | None = None) -> RiskConfig:
    """Read and check the model's configuration (default: setting ENBEK_RISK_CONFIG)."""
    path = path or settings.get_path("ENBEK_RISK_CONFIG")
    try:
        raw = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise RiskConfigError(f"risk model configuration {path} not found (setting ENBEK_RISK_CONFIG)") from None
    except tomllib.TOMLDecodeError as exc:
        raise RiskConfigError(f"{path}: not valid TOML: {exc}") from None

    def get(section: str, key: str) -> Any:
        try:
            return raw[section][key]
        except KeyError:
            raise RiskConfigError(f"{path}: missing [{section}] {key}") from None

    weights = {p: float(get("weights", p)) for p in PARTS}
    if abs(sum(weights.values()) - 100.0) > 1e-6:
        raise RiskConfigError(f"{path}: [weights] must sum to 100, they sum to {sum(weights.values()):g}")
    if any(w < 0 for w in weights.values()):
        raise RiskConfigError(f"{path}: [weights] must be >= 0")
    medium, high = float(get("degree", "medium")), float(get("degree", "high"))
    if not 0 < medium < high < 100:
        raise RiskConfigError(f"{path}: [degree] needs 0 < medium < high < 100, got medium={medium:g} high={high:g}")
    wp = {k: float(get("workplace", k)) for k in WORKPLACE_INDICATORS}
    if abs(sum(wp.values()) - 1.0) > 1e-6:
        raise RiskConfigError(f"{path}: [workplace] weights must sum to 1, they sum to {sum(wp.values()):g}")
    hp = {str(k): float(v) for k, v in get("workplace", "harmfulness_points").items()}
    missing = [c for c in HARMFULNESS_CLASSES if c not in hp]
    if missing:
        raise RiskConfigError(f"{path}: [workplace.harmfulness_points] lacks classes {', '.join(missing)}")
    bounds = tuple(float(b) for b in get("sector_classes", "bounds"))
    factors = tuple(float(f) for f in get("sector_classes", "class_factor"))
    if len(factors) != len(bounds) + 1 or list(bounds) != sorted(bounds):
        raise RiskConfigError(f"{path}: [sector_classes] needs ascending bounds and one more class_factor than bounds")
    bm = {d: float(get("bonus_malus", d)) for d in DEGREES}
    years = int(get("window", "years"))
    if years < 1:
        raise RiskConfigError(f"{path}: [window] years must be >= 1")
    return RiskConfig(
        weights=weights,
        medium=medium,
        high=high,
        window_years=years,
        workplace_weights=wp,
        harmfulness_points=hp,
        alpha_min=float(get("credibility", "alpha_min")),
        alpha_max=float(get("credibility", "alpha_max")),
        inspection_prior=float(get("credibility", "inspection_prior")),
        interval=float(get("credibility", "interval")),
        class_bounds=bounds,
        class_factor=factors,
        bonus_malus=bm,
        source=str(path),
    )


# --- statistics ----------------------------------------------------------------------------------


def group_rate(count: np.ndarray, exposure: np.ndarray, groups: np.ndarray, n_groups: int) -> np.ndarray:
    """Pooled rate count/exposure of each group id (NaN where the group has no exposure)."""
    c = np.bincount(groups, weights=count, minlength=n_groups)
    e = np.bincount(groups, weights=exposure, minlength=n_groups)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(e > 0, c / e, np.nan)


def moment_alpha(count: np.ndarray, expected: np.ndarray, groups: np.ndarray, n_groups: int, *, lo: float, hi: float) -> np.ndarray:
    """Method-of-moments alpha of the Poisson-gamma model per group: 1/alpha = sum((n-mu)^2 - mu)/sum(mu^2),
    bounded to [lo, hi] (a non-positive excess variance means no detectable heterogeneity: alpha = hi)."""
    num = np.bincount(groups, weights=(count - expected) ** 2 - expected, minlength=n_groups)
    den = np.bincount(groups, weights=expected**2, minlength=n_groups)
    with np.errstate(divide="ignore", invalid="ignore"):
        inv = np.where(den > 0, num / den, 0.0)
    alpha = np.where(inv > 0, 1.0 / np.where(inv > 0, inv, 1.0), hi)
    return np.clip(alpha, lo, hi)


def credibility(count: np.ndarray, expected: np.ndarray, alpha: np.ndarray) -> np.ndarray:
    """Posterior mean relative risk of the Poisson-gamma model: (alpha + n) / (alpha + mu)."""
    return (alpha + count) / (alpha + expected)


def bounded_index(ratio: np.ndarray) -> np.ndarray:
    """R / (1 + R): 0 for no risk, 0.5 at the reference, tending to 1."""
    r = np.clip(np.nan_to_num(ratio, nan=1.0), 0.0, None)
    return r / (1.0 + r)


@dataclass(frozen=True)
class PeerGroups:
    """Each enterprise's OKED section id and section x size group id (unknown sections are their own group)."""

    section: np.ndarray
    group: np.ndarray
    n_sections: int
    n_groups: int

    @classmethod
    def of(cls, *, section_id: np.ndarray, size_id: np.ndarray) -> PeerGroups:
        n_sections = len(SECTION_CODES) + 1
        return cls(
            section=section_id,
            group=section_id * len(SIZE_CLASSES) + size_id,
            n_sections=n_sections,
            n_groups=n_sections * len(SIZE_CLASSES),
        )

    def pooled(self, *, value: np.ndarray, weight: np.ndarray, national: float) -> np.ndarray:
        """Each enterprise's pooled ratio sum(value)/sum(weight) of its section x size group, else of its
        section, else `national`."""
        by_group = group_rate(value, weight, self.group, self.n_groups)[self.group]
        by_section = group_rate(value, weight, self.section, self.n_sections)[self.section]
        return np.nan_to_num(np.where(np.isnan(by_group), by_section, by_group), nan=national)


@dataclass(frozen=True)
class CountEstimate:
    """Empirical-Bayes (Poisson-gamma) estimate of one kind of count per enterprise against its peers."""

    baseline: np.ndarray  # lambda: the peers' rate per worker-year
    section_rate: np.ndarray  # pooled rate of each section id
    national_rate: float  # NaN when there is no exposure at all
    expected: np.ndarray  # mu = lambda x exposure
    alpha: np.ndarray  # gamma shape of the enterprise's section
    relative_risk: np.ndarray  # posterior mean theta

    def index(self, *, without_events: float) -> np.ndarray:
        """R / (1 + R) with R = credible rate / national rate; `without_events` where the nation had none."""
        if self.national_rate > 0:
            return bounded_index(self.relative_risk * self.baseline / self.national_rate)
        return np.full(len(self.baseline), without_events)


def poisson_gamma(
    *, count: np.ndarray, exposure: np.ndarray, peers: PeerGroups, alpha_min: float, alpha_max: float
) -> CountEstimate:
    """Credible relative risk of each enterprise's count: baseline lambda of its section x size peers (else
    section, else nation), expected mu = lambda x exposure, alpha per section by the method of moments,
    theta = (alpha + n) / (alpha + mu)."""
    total_exposure = exposure.sum()
    national = count.sum() / total_exposure if total_exposure > 0 else np.nan
    baseline = peers.pooled(value=count, weight=exposure, national=np.nan_to_num(national))
    expected = baseline * exposure
    alpha = moment_alpha(count, expected, peers.section, peers.n_sections, lo=alpha_min, hi=alpha_max)[peers.section]
    return CountEstimate(
        baseline=baseline,
        section_rate=group_rate(count, exposure, peers.section, peers.n_sections),
        national_rate=national,
        expected=expected,
        alpha=alpha,
        relative_risk=credibility(count, expected, alpha),
    )


# --- reading ----------------------------------------------------------------------------------------


def latest_year(store: Store) -> int:
    """The scored year when none is given: the latest year with accidents, else insurance, else inspections."""
    for table, expr in (("accidents", year_of("date")), ("insurance", "year"), ("inspections", year_of("date"))):
        if store.has_table(table) and store.count(table):
            y = store.sql(f"SELECT max({expr}) AS y FROM {table}")["y"].iloc[0]
            if pd.notna(y):
                return int(y)
    raise RiskDataError("no accidents, insurance or inspections in the store: cannot choose a year to score; load data or build the demo")


_REGION_CATEGORIES: tuple[str, ...] = REGION_CODES
_REGION_IDS: dict[str, int] = {code: i for i, code in enumerate(REGION_CODES)} | {
    old: REGION_CODES.index(new) for old, new in RETIRED_CODES.items()
}
_DIVISION_IDS: dict[str, int] = {div: SECTION_CODES.index(sec) for div, sec in DIVISION_TO_SECTION.items()}
_SIZE_IDS: dict[str, int] = {size: i for i, size in enumerate(SIZE_CLASSES)}


def _code_sql(expr: str, codes: dict[str, int]) -> str:
    """A SQL CASE mapping string codes to small integers (unknown -> the number of codes for sections,
    which the model treats as its own group; regions and sizes are validated on load)."""
    whens = " ".join(f"WHEN '{k}' THEN {v}" for k, v in codes.items())
    return f"(CASE {expr} {whens} ELSE {max(codes.values()) + 1 if codes is _DIVISION_IDS else 0} END)"


def _categorical(codes: np.ndarray, categories: tuple[str, ...]) -> pd.Categorical[str]:
    """Code columns stay categorical in memory (cheap for 400 000 rows); the stored table has VARCHAR."""
    return pd.Categorical.from_codes(np.asarray(codes, dtype=np.int64), categories=pd.Index(list(categories)))


def gamma_quantile(q: float, shape: np.ndarray, scale: np.ndarray) -> np.ndarray:
    """Wilson-Hilferty approximation of gamma quantiles (vectorised, fast; adequate for an uncertainty band)."""
    from scipy.special import ndtri

    z = float(ndtri(q))
    a = np.maximum(np.asarray(shape, dtype=float), 1e-9)
    c = 1.0 / (9.0 * a)
    return np.maximum(a * (1.0 - c + z * np.sqrt(c)) ** 3, 0.0) * scale


def _workplace_sql(cfg: RiskConfig) -> str:
    hp = " ".join(f"WHEN '{k}' THEN {v}" for k, v in cfg.harmfulness_points.items())
    w = cfg.workplace_weights
    return (
        f"({w['harmfulness']} * (CASE harmfulness_class {hp} ELSE 1.0 END)"
        f" + {w['danger']} * (danger_class - 1) / 3.0"
        f" + {w['equipment']} * (equipment_class - 1) / 3.0"
        f" + {w['ppe']} * (1 - ppe_provision_pct / 100.0)"
        f" + {w['morbidity']} * (morbidity_class - 1) / 3.0)"
    )


def _read_register(store: Store, *, year: int, first_year: int, cfg: RiskConfig) -> pd.DataFrame:
    """One query: the register with every per-enterprise aggregate of the window joined on, codes as small
    integers (string columns are the expensive part of moving 400 000 rows into pandas). Standard SQL with `?`
    parameters, in the order they appear: y0, y (accidents), y0, y (diseases), y0, y (inspections), y
    (insurance), y (assessments)."""
    window = [int(first_year), int(year)]
    params = [*window, *window, *window, int(year), int(year)]
    return store.sql(
        f"""WITH acc AS (SELECT bin, CAST(sum(injured) AS BIGINT) AS injured, CAST(sum(fatal) AS BIGINT) AS fatal
                         FROM accidents WHERE {year_of("date")} BETWEEN ? AND ? GROUP BY bin),
                 dis AS (SELECT bin, CAST(sum(cases) AS BIGINT) AS cases FROM occupational_diseases
                         WHERE bin IS NOT NULL AND year BETWEEN ? AND ? GROUP BY bin),
                 insp AS (SELECT bin, count(*) AS inspections, CAST(sum(osh_violations) AS BIGINT) AS osh FROM inspections
                          WHERE {year_of("date")} BETWEEN ? AND ? GROUP BY bin),
                 ins AS (SELECT bin, bool_or(covered) AS covered FROM insurance WHERE year = ? GROUP BY bin),
                 wp AS (SELECT bin, sum(workers * s) / sum(workers) AS a, count(*) AS workplaces, max(assessment_date) AS last_date
                        FROM (SELECT bin, workers, assessment_date, {_workplace_sql(cfg)} AS s,
                                     row_number() OVER (PARTITION BY bin, coalesce(workplace, assessment_id)
                                                        ORDER BY assessment_date DESC, assessment_id DESC) AS rn
                              FROM workplace_assessments WHERE {year_of("assessment_date")} <= ?) AS latest
                        WHERE rn = 1 GROUP BY bin)
            SELECT e.bin, e.name, e.kato, e.oked, e.employees, e.lat, e.lon,
                   {_code_sql("substr(e.kato, 1, 2)", _REGION_IDS)} AS region_id,
                   {_code_sql("substr(e.oked, 1, 2)", _DIVISION_IDS)} AS section_id,
                   {_code_sql(f"coalesce(e.size_class, {_size_sql('e.employees')})", _SIZE_IDS)} AS size_id,
                   coalesce(e.harmful_workers, 0) AS harmful_workers,
                   coalesce(acc.injured, 0) AS injured, coalesce(acc.fatal, 0) AS fatal, coalesce(dis.cases, 0) AS cases,
                   coalesce(insp.inspections, 0) AS inspections, coalesce(insp.osh, 0) AS osh,
                   coalesce(ins.covered, FALSE) AS covered, wp.a, coalesce(wp.workplaces, 0) AS workplaces,
                   CAST(wp.last_date - DATE '1970-01-01' AS DOUBLE PRECISION) AS last_day
            FROM enterprises e LEFT JOIN acc USING (bin) LEFT JOIN dis USING (bin) LEFT JOIN insp USING (bin)
                 LEFT JOIN ins USING (bin) LEFT JOIN wp USING (bin)""",
        params,
    )


def _self_assessment_scores(store: Store, *, bins: pd.Series, year: int, cfg: RiskConfig) -> np.ndarray:
    """The workplace score of each enterprise's latest valid express self-assessment (NaN where none), scored
    with the model's own workplace formula (the self_assessments table has the same five columns)."""
    if not store.has_table("self_assessments") or store.count("self_assessments") == 0:
        return np.full(len(bins), np.nan)
    latest = store.sql(latest_self_assessment_sql(score_expr=_workplace_sql(cfg), year=year))
    scores = pd.Series(latest["s"].to_numpy(dtype=float), index=latest["bin"].astype(str))
    return bins.astype(str).map(scores).to_numpy(dtype=float)


def _compliance_index(
    *, violations: np.ndarray, inspections: np.ndarray, peers: PeerGroups, prior_weight: float
) -> tuple[np.ndarray, float]:
    """OSH violations per inspection shrunk to the section mean with `prior_weight` pseudo-inspections,
    R / (1 + R) relative to the nation; also the national mean (NaN without inspections)."""
    total = inspections.sum()
    national = violations.sum() / total if total > 0 else np.nan
    if not (np.isfinite(national) and national > 0):
        # no inspection findings anywhere: neither better nor worse than average
        return np.full(len(violations), 0.5), national
    by_section = group_rate(violations, inspections, peers.section, peers.n_sections)
    prior = np.nan_to_num(by_section[peers.section], nan=national)
    shrunk = (violations + prior_weight * prior) / (inspections + prior_weight)
    return bounded_index(shrunk / national), national


def _assessment_index(*, score: np.ndarray, employees: np.ndarray, peers: PeerGroups) -> np.ndarray:
    """The workplace-assessment score where there is one, else the worker-weighted mean of assessed peers."""
    assessed = ~np.isnan(score)
    weight = np.where(assessed, np.maximum(employees, 1.0), 0.0)
    known = np.nan_to_num(score)
    national = (known * weight).sum() / weight.sum() if weight.sum() > 0 else 0.5
    return np.where(assessed, known, peers.pooled(value=known * weight, weight=weight, national=national))


def _tariff_factor(
    *, injury: CountEstimate, peers: PeerGroups, degree: np.ndarray, cfg: RiskConfig
) -> tuple[np.ndarray, np.ndarray]:
    """Each enterprise's sector risk class and the two-component tariff factor (class factor x bonus-malus)."""
    sector_class = sector_classes_from_rates(injury.section_rate[: len(SECTION_CODES)], injury.national_rate, cfg)
    # an unknown section gets the class that holds the national rate
    ent_class = np.append(sector_class, int(np.searchsorted(cfg.class_bounds, 1.0, side="right")) + 1)[peers.section]
    class_factor = np.asarray(cfg.class_factor)[ent_class - 1]
    bonus_malus = cfg.bonus_malus
    bm = np.select(
        [degree == "high", degree == "medium"], [bonus_malus["high"], bonus_malus["medium"]], bonus_malus["low"]
    )
    return ent_class, class_factor * bm


def _score_band(
    *, score: np.ndarray, injury_part: np.ndarray, injury: CountEstimate, injuries: np.ndarray, cfg: RiskConfig
) -> tuple[np.ndarray, np.ndarray]:
    """The score with the injury part at the ends of the credible interval of theta (other parts fixed)."""
    if not injury.national_rate > 0:
        return score, score
    q = (1 - cfg.interval) / 2
    shape, scale = injury.alpha + injuries, 1.0 / (injury.alpha + injury.expected)
    weight = cfg.weights["injury"]
    ends = []
    for theta in (gamma_quantile(q, shape, scale), gamma_quantile(1 - q, shape, scale)):
        ends.append(score - injury_part + weight * bounded_index(theta * injury.baseline / injury.national_rate))
    return ends[0], ends[1]


def enterprise_risk(store: Store, *, year: int | None = None, config: RiskConfig | None = None) -> pd.DataFrame:
    """The integral risk degree of every enterprise in the register for `year` (default: latest)."""
    cfg = config or load_config()
    if store.count("enterprises") == 0:
        raise RiskDataError("the enterprise register (table enterprises) is empty; load it or build the demo")
    year = latest_year(store) if year is None else int(year)
    y0 = year - cfg.window_years + 1
    ent = _read_register(store, year=year, first_year=y0, cfg=cfg)
    n = len(ent)
    have_insurance = bool(store.sql("SELECT count(*) AS n FROM insurance WHERE year = ?", [year])["n"].iloc[0])
    region_id = ent["region_id"].to_numpy(dtype=np.int64)
    sec_id = ent["section_id"].to_numpy(dtype=np.int64)
    size_id = ent["size_id"].to_numpy(dtype=np.int64)
    peers = PeerGroups.of(section_id=sec_id, size_id=size_id)
    employees = ent["employees"].to_numpy(dtype=float)
    exposure = employees * cfg.window_years

    injuries = ent["injured"].to_numpy(dtype=float)
    fatal = ent["fatal"].to_numpy(dtype=float)
    cases = ent["cases"].to_numpy(dtype=float)
    bounds = {"alpha_min": cfg.alpha_min, "alpha_max": cfg.alpha_max}
    injury = poisson_gamma(count=injuries, exposure=exposure, peers=peers, **bounds)
    disease = poisson_gamma(count=cases, exposure=exposure, peers=peers, **bounds)
    n_insp = ent["inspections"].to_numpy(dtype=float)
    osh = ent["osh"].to_numpy(dtype=float)
    comp_index, v_nat = _compliance_index(
        violations=osh, inspections=n_insp, peers=peers, prior_weight=cfg.inspection_prior
    )
    insured = ent["covered"].to_numpy(dtype=bool)
    a = ent["a"].to_numpy(dtype=float)
    a_index = _assessment_index(score=a, employees=employees, peers=peers)
    # an express self-assessment counts with partial credibility where there is no accredited one (osh.selfcheck)
    self_score = _self_assessment_scores(store, bins=ent["bin"], year=year, cfg=cfg)
    a_index, a_source = blend_assessment_index(accredited=np.where(np.isnan(a), np.nan, a_index), self_index=self_score, prior=a_index)

    w = cfg.weights
    indices = {
        "assessment": a_index,
        # with no injury anywhere every firm is at the national rate (half the points); with no disease case
        # anywhere the part gives none
        "injury": injury.index(without_events=0.5),
        "disease": disease.index(without_events=0.0),
        "compliance": comp_index,
        "insurance": np.where(insured, 0.0, 1.0) if have_insurance else np.zeros(n),
    }
    parts = {p: w[p] * indices[p] for p in PARTS}
    score = sum(parts.values())
    assert isinstance(score, np.ndarray)
    degree_id = np.where(score >= cfg.high, 2, np.where(score >= cfg.medium, 1, 0))
    degree = np.asarray(DEGREES, dtype=object)[degree_id]
    sector_class, tariff = _tariff_factor(injury=injury, peers=peers, degree=degree, cfg=cfg)
    score_lo, score_hi = _score_band(
        score=score, injury_part=parts["injury"], injury=injury, injuries=injuries, cfg=cfg
    )
    peer_rank, peer_count, pct, pct_lo, pct_hi = peer_percentiles(score, score_lo, score_hi, peers.group)

    lam, theta = injury.baseline, injury.relative_risk
    lat = ent["lat"].to_numpy(dtype=float)
    lon = ent["lon"].to_numpy(dtype=float)
    located = _categorical(np.where(np.isnan(lat) | np.isnan(lon), 1, 0), ("exact", "region"))
    out = pd.DataFrame(
        {
            "bin": ent["bin"],
            "name": ent["name"],
            "region": _categorical(region_id, _REGION_CATEGORIES),
            "kato": ent["kato"],
            "oked": ent["oked"],
            "section": _categorical(np.where(sec_id < len(SECTION_CODES), sec_id, -1), SECTION_CODES),
            "size_class": _categorical(size_id, SIZE_CLASSES),
            "employees": ent["employees"].astype("int64"),
            "lat": lat,
            "lon": lon,
            "located": located,
            "assessed": ~np.isnan(a),
            "self_assessed": a_source == SOURCE_SELF,
            "insured": insured,
            "score": score,
            "degree": _categorical(degree_id, DEGREES),
            **{f"part_{p}": v for p, v in parts.items()},
            "injuries_5y": injuries.astype("int64"),
            "fatal_5y": fatal.astype("int64"),
            "disease_cases_5y": cases.astype("int64"),
            "expected_injuries": injury.expected,
            "credible_rate_1000": theta * lam * 1000.0,
            "excess_injuries": np.maximum(theta - 1.0, 0.0) * lam * employees,
            "harmful_workers": ent["harmful_workers"].astype("int64"),
            "sector_class": sector_class.astype("int64"),
            "tariff_factor": tariff,
            "peer_rank": peer_rank,
            "peer_count": peer_count,
            "peer_pct": pct,
            "peer_pct_lo": pct_lo,
            "peer_pct_hi": pct_hi,
            "year": year,
            "assessment_index": a_index,
            "relative_risk": theta,
            "baseline_rate_1000": lam * 1000.0,
            "expected_diseases": disease.expected,
            "disease_relative_risk": disease.relative_risk,
            "inspections_5y": n_insp.astype("int64"),
            "osh_violations_5y": osh.astype("int64"),
            "workplaces_assessed": ent["workplaces"].astype("int64"),
            "last_assessment": pd.to_datetime(ent["last_day"].to_numpy(dtype=float), unit="D"),
        }
    )
    lam_nat = injury.national_rate
    out.attrs.update(
        year=year,
        window=f"{y0}-{year}",
        national_rate_1000=float(lam_nat * 1000) if np.isfinite(lam_nat) else float("nan"),
        national_osh_per_inspection=float(v_nat) if np.isfinite(v_nat) else float("nan"),
        have_insurance=have_insurance,
        config=cfg.source,
    )
    return out


def sector_classes_from_rates(section_rates: np.ndarray, national_rate: float, cfg: RiskConfig) -> np.ndarray:
    """Risk class 1..N of each OKED section: its baseline injury rate relative to the nation, classed by the
    configured bounds (a section without exposure gets the class holding the national rate)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(np.isfinite(section_rates) & (national_rate > 0), section_rates / national_rate, 1.0)
    return np.searchsorted(np.asarray(cfg.class_bounds), ratio, side="right").astype(np.int64) + 1


def sector_risk_classes(risk: pd.DataFrame) -> pd.DataFrame:
    """One row per OKED section: baseline injury rate per 1000 worker-years, risk class and class factor."""
    cfg = load_config()
    g = risk.groupby("section", as_index=False).agg(
        enterprises=("bin", "size"), workers=("employees", "sum"), injuries_5y=("injuries_5y", "sum"), sector_class=("sector_class", "first")
    )
    years = cfg.window_years
    g["rate_1000"] = np.where(g["workers"] > 0, g["injuries_5y"] / (g["workers"] * years) * 1000, np.nan)
    g["class_factor"] = np.asarray(cfg.class_factor)[g["sector_class"].to_numpy() - 1]
    return g.sort_values(["sector_class", "rate_1000"], ascending=False).reset_index(drop=True)


def peer_percentiles(
    score: np.ndarray, score_lo: np.ndarray, score_hi: np.ndarray, groups: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Rank (1 = highest score) and percentile (share of peers with a lower score, 0..100) within groups;
    lo/hi place the score's interval among the peers' point scores."""
    span = 1000.0  # scores lie in [0, 100]
    g = groups.astype(np.int64)
    key = g * span + score
    order = np.argsort(key, kind="stable")
    sorted_key = key[order]
    count = np.bincount(g, minlength=int(g.max()) + 1 if len(g) else 1)
    start = np.concatenate([[0], np.cumsum(count)[:-1]])

    def below(needles: np.ndarray, side: str) -> np.ndarray:
        # needles taken in the sort order are (nearly) sorted: cache-friendly binary searches
        found = np.empty(len(needles), dtype=np.int64)
        found[order] = np.searchsorted(sorted_key, needles[order], side=side)  # type: ignore[call-overload]
        return found

    first = start[g]
    peers = count[g]
    lower = below(key, "left") - first
    higher = first + peers - below(key, "right")
    rank = higher + 1
    denom = np.maximum(peers - 1, 1)
    pct = 100.0 * lower / denom
    lower_lo = below(g * span + score_lo, "left") - first
    lower_hi = below(g * span + score_hi, "left") - first
    lower_hi = lower_hi - (score_hi > score)  # do not count the enterprise itself among its lower peers
    lo = 100.0 * np.minimum(lower_lo, lower) / denom
    hi = 100.0 * np.maximum(lower_hi, lower) / denom
    return rank.astype("int64"), peers.astype("int64"), pct, lo, hi


# --- explanation -------------------------------------------------------------------------------------


def _num(r: dict[str, Any], key: str) -> float:
    value = r.get(key, np.nan)
    return float(value) if value is not None else float("nan")


def explain(row: pd.Series | dict[str, Any], *, config: RiskConfig | None = None) -> list[tuple[str, float, Reason]]:
    """Why an enterprise has its score: (part, points, reason) for each of the five parts, largest first. The
    reason is a translation key with its parameters (osh.reasons), written in the reader's language by render."""
    cfg = config or load_config()
    r = dict(row)
    w = cfg.weights
    peers = {"section": str(r["section"]), "size": str(r["size_class"])}
    out: list[tuple[str, float, Reason]] = []
    if bool(r["assessed"]):
        reason = Reason("part.assessment.assessed", {"index": _num(r, "assessment_index"),
                                                     "workplaces": int(r.get("workplaces_assessed", 0)),
                                                     "harmful": int(r.get("harmful_workers", 0))})
    elif bool(r.get("self_assessed", False)):  # tables scored before the flag existed have no such column
        reason = Reason("part.assessment.self", {**peers, "index": _num(r, "assessment_index"),
                                                 "weight": SELF_ASSESSMENT_WEIGHT})
    else:
        reason = Reason("part.assessment.prior", {**peers, "index": _num(r, "assessment_index")})
    out.append(("assessment", float(r["part_assessment"]), reason))
    out.append(("injury", float(r["part_injury"]), Reason("part.injury", {
        "injured": int(r["injuries_5y"]), "fatal": int(r["fatal_5y"]), "window": cfg.window_years,
        "expected": _num(r, "expected_injuries"), "rate": _num(r, "credible_rate_1000"),
        "rr": _num(r, "relative_risk")})))
    out.append(("disease", float(r["part_disease"]), Reason("part.disease", {
        "cases": int(r["disease_cases_5y"]), "window": cfg.window_years, "expected": _num(r, "expected_diseases"),
        "rr": _num(r, "disease_relative_risk")})))
    n_insp = int(r.get("inspections_5y", 0))
    compliance = (Reason("part.compliance.inspected", {"violations": int(r.get("osh_violations_5y", 0)),
                                                       "inspections": n_insp})
                  if n_insp else Reason("part.compliance.none"))
    out.append(("compliance", float(r["part_compliance"]), compliance))
    insurance = (Reason("part.insurance.insured") if bool(r["insured"])
                 else Reason("part.insurance.uninsured", {"points": w["insurance"]}))
    out.append(("insurance", float(r["part_insurance"]), insurance))
    return sorted(out, key=lambda t: -t[1])


def compute_and_store_risk(store: Store, *, year: int | None = None) -> pd.DataFrame:
    """Score every enterprise and write the derived store table `enterprise_risk` (used by build-demo and
    `enbek score`); returns the table."""
    frame = place_on_map(enterprise_risk(store, year=year))
    # Stored as plain text on every engine (DuckDB would make pandas categoricals ENUMs); readers expect strings.
    stored = frame.astype({column: object for column in CATEGORICAL_COLUMNS if column in frame.columns})
    # A stable row number that every engine keeps (DuckDB's rowid pseudo-column has no PostgreSQL twin).
    stored[ROW_ID] = np.arange(len(stored), dtype=np.int64)
    store.write_table("enterprise_risk", stored)
    store.set_meta("risk_year", str(frame.attrs["year"]))
    store.set_meta("risk_window", str(frame.attrs["window"]))
    return frame


def place_on_map(frame: pd.DataFrame) -> pd.DataFrame:
    """Fill lat/lon/located with geo.join.locate_enterprises: coordinates checked against the region,
    enterprises without coordinates placed at a settlement of their region or its representative point."""
    from geo.boundaries import load_boundaries
    from geo.join import locate_enterprises

    placed = locate_enterprises(frame[["bin", "kato", "lat", "lon"]], boundaries=load_boundaries()).located
    out = frame.copy()
    out["lat"] = placed["lat"].to_numpy(dtype=float)
    out["lon"] = placed["lon"].to_numpy(dtype=float)
    out["located"] = placed["located"].astype(str).to_numpy()
    return out
