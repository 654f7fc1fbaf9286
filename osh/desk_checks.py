"""Desk checks: preventive control without visits. Each rule compares two sources the inspectorate already holds
and flags the enterprises where they disagree, with the facts as evidence (rules and texts: osh/desk_checks.toml).

Every read is scoped like osh.enterprises: a keyword-only `scope` with no default, a region outside it raises
ScopeError. Rules run as parameterised SQL over the input tables and the stored risk table.
"""

from __future__ import annotations

import json
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from data import settings
from data.codes import HARMFULNESS_CLASSES
from data.scope import Scope
from data.store import Store
from osh import enterprises as ent
from osh.risk import DEGREES, RiskDataError, enterprise_risk

LANGS: tuple[str, ...] = ("kk", "ru", "en")
TEXTS: tuple[str, ...] = ("name", "explain", "evidence", "request")
RULE_IDS: tuple[str, ...] = (
    "harmful_without_assessment", "guarantees_without_assessment", "employees_without_insurance",
    "accidents_without_insurance", "disease_with_low_classes", "injuries_above_assessment",
    "stale_inspection_rising_degree",
)
# The thresholds each rule needs, with the type they must have.
RULE_PARAMS: dict[str, dict[str, type]] = {
    "harmful_without_assessment": {"min_harmful_workers": int},
    "guarantees_without_assessment": {"min_guarantee_workers": int},
    "employees_without_insurance": {"min_employees": int},
    "accidents_without_insurance": {"lookback_years": int, "lapsed_only": bool},
    "disease_with_low_classes": {"min_cases": int, "low_classes": list},
    "injuries_above_assessment": {"min_injuries": int, "min_ratio": float},
    "stale_inspection_rising_degree": {"max_years_since_inspection": int},
}
FLAG_COLUMNS: tuple[str, ...] = ("bin", "rule", "detects", "weight", "facts")
LIST_COLUMNS: tuple[str, ...] = (
    "rank", "bin", "name", "region", "kato", "section", "size_class", "employees", "degree", "score",
    "priority", "n_rules", "rules", "evidence", "lat", "lon",
)
DEGREE_NAMES: dict[str, dict[str, str]] = {
    "kk": {"low": "төмен", "medium": "орташа", "high": "жоғары"},
    "ru": {"low": "низкая", "medium": "средняя", "high": "высокая"},
    "en": {"low": "low", "medium": "medium", "high": "high"},
}
NEVER: dict[str, str] = {"kk": "болмаған", "ru": "не было", "en": "never"}


class DeskCheckConfigError(ValueError):
    """The desk-check configuration file is missing a value or holds a wrong one (the message names both)."""


@dataclass(frozen=True)
class Rule:
    id: str
    enabled: bool
    weight: float
    detects: str
    params: Mapping[str, Any]
    texts: Mapping[str, Mapping[str, str]]  # text kind -> lang -> text

    def text(self, kind: str, lang: str) -> str:
        return self.texts[kind][lang if lang in LANGS else "kk"]


@dataclass(frozen=True)
class DeskCheckConfig:
    window_years: int
    rules: tuple[Rule, ...]
    source: str = ""

    def rule(self, rule_id: str) -> Rule:
        for r in self.rules:
            if r.id == rule_id:
                return r
        raise KeyError(f"unknown desk-check rule {rule_id!r}; expected one of {', '.join(RULE_IDS)}")

    @property
    def enabled(self) -> tuple[Rule, ...]:
        return tuple(r for r in self.rules if r.enabled)


def load_config(*, path: Path | None = None) -> DeskCheckConfig:
    """Read and check the rules (default: setting ENBEK_DESK_CHECKS)."""
    path = Path(path or settings.get_path("ENBEK_DESK_CHECKS"))
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise DeskCheckConfigError(f"desk-check configuration {path} not found (setting ENBEK_DESK_CHECKS)") from None
    except tomllib.TOMLDecodeError as exc:
        raise DeskCheckConfigError(f"{path}: not valid TOML: {exc}") from None
    try:
        window = int(raw["settings"]["window_years"])
    except (KeyError, TypeError, ValueError):
        raise DeskCheckConfigError(f"{path}: [settings] window_years must be a whole number") from None
    if window < 1:
        raise DeskCheckConfigError(f"{path}: [settings] window_years must be >= 1, got {window}")
    rules_raw = raw.get("rules", {})
    unknown = sorted(set(rules_raw) - set(RULE_IDS))
    if unknown:
        raise DeskCheckConfigError(f"{path}: unknown rule(s) {', '.join(unknown)}; known: {', '.join(RULE_IDS)}")
    rules = [_rule(path, rid, rules_raw[rid]) for rid in RULE_IDS if rid in rules_raw]
    if not rules:
        raise DeskCheckConfigError(f"{path}: no [rules.<id>] section; known rules: {', '.join(RULE_IDS)}")
    return DeskCheckConfig(window_years=window, rules=tuple(rules), source=str(path))


def _rule(path: Path, rid: str, raw: Mapping[str, Any]) -> Rule:
    where = f"{path}: [rules.{rid}]"
    basics: tuple[tuple[str, type | tuple[type, ...]], ...] = (("enabled", bool), ("weight", (int, float)), ("detects", str))
    for key, expected in basics:
        if key not in raw:
            raise DeskCheckConfigError(f"{where} lacks {key}")
        if not isinstance(raw[key], expected):
            raise DeskCheckConfigError(f"{where} {key} has the wrong type ({type(raw[key]).__name__})")
    if raw["weight"] < 0:
        raise DeskCheckConfigError(f"{where} weight must be >= 0, got {raw['weight']}")
    params: dict[str, Any] = {}
    for key, kind in RULE_PARAMS[rid].items():
        if key not in raw:
            raise DeskCheckConfigError(f"{where} lacks {key}")
        value = raw[key]
        ok = isinstance(value, kind) and not (kind is int and isinstance(value, bool))
        if kind is float and isinstance(value, int) and not isinstance(value, bool):
            value, ok = float(value), True
        if not ok:
            raise DeskCheckConfigError(f"{where} {key} must be {kind.__name__}, got {value!r}")
        if isinstance(value, (int, float)) and not isinstance(value, bool) and value < 0:
            raise DeskCheckConfigError(f"{where} {key} must be >= 0, got {value}")
        params[key] = value
    if rid == "disease_with_low_classes":
        bad = [c for c in params["low_classes"] if c not in HARMFULNESS_CLASSES]
        if bad or not params["low_classes"]:
            raise DeskCheckConfigError(f"{where} low_classes must be some of {', '.join(HARMFULNESS_CLASSES)}, got {bad or '[]'}")
    texts: dict[str, dict[str, str]] = {}
    for text_kind in TEXTS:
        block = raw.get(text_kind)
        if not isinstance(block, dict):
            raise DeskCheckConfigError(f"{where} lacks {text_kind}.kk, {text_kind}.ru and {text_kind}.en")
        missing = [lang for lang in LANGS if not str(block.get(lang, "")).strip()]
        if missing:
            raise DeskCheckConfigError(f"{where} lacks the text {', '.join(f'{text_kind}.{m}' for m in missing)}")
        texts[text_kind] = {lang: str(block[lang]) for lang in LANGS}
    return Rule(rid, bool(raw["enabled"]), float(raw["weight"]), str(raw["detects"]), params, texts)


# -- the rules ----------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Ctx:
    store: Store
    year: int
    window: int
    regions: frozenset[str] | None

    def region_clause(self, alias: str = "r") -> tuple[str, list[Any]]:
        if self.regions is None:
            return "TRUE", []
        return f"{alias}.region IN ({', '.join('?' for _ in self.regions)})", sorted(self.regions)


def _harmful_without_assessment(ctx: _Ctx, p: Mapping[str, Any]) -> pd.DataFrame:
    clause, params = ctx.region_clause()
    return ctx.store.sql(
        f"SELECT r.bin, r.harmful_workers FROM {ent.RISK_TABLE} r "
        f"WHERE {clause} AND NOT r.assessed AND r.harmful_workers >= ? ORDER BY r.bin",
        [*params, p["min_harmful_workers"]])


def _guarantees_without_assessment(ctx: _Ctx, p: Mapping[str, Any]) -> pd.DataFrame:
    if not ctx.store.has_table("osh_measures"):
        return pd.DataFrame({"bin": pd.Series(dtype="str")})
    clause, params = ctx.region_clause()
    return ctx.store.sql(
        f"SELECT r.bin, m.year, m.guarantee_workers FROM {ent.RISK_TABLE} r JOIN osh_measures m ON m.bin = r.bin "
        f"WHERE {clause} AND NOT r.assessed AND m.year = ? AND m.guarantee_workers >= ? ORDER BY r.bin",
        [*params, ctx.year, max(1, p["min_guarantee_workers"])])


def _employees_without_insurance(ctx: _Ctx, p: Mapping[str, Any]) -> pd.DataFrame:
    clause, params = ctx.region_clause()
    frame = ctx.store.sql(
        f"SELECT r.bin, r.employees FROM {ent.RISK_TABLE} r WHERE {clause} AND NOT r.insured AND r.employees >= ? "
        "ORDER BY r.bin", [*params, max(1, p["min_employees"])])
    return frame.assign(year=ctx.year)


def _accidents_without_insurance(ctx: _Ctx, p: Mapping[str, Any]) -> pd.DataFrame:
    clause, params = ctx.region_clause()
    first = ctx.year - max(1, p["lookback_years"]) + 1
    lapsed = (" AND EXISTS (SELECT 1 FROM insurance l WHERE l.bin = a.bin AND l.year = CAST(EXTRACT(YEAR FROM a.date) AS BIGINT) - 1 AND l.covered)"
              if p["lapsed_only"] else "")
    frame = ctx.store.sql(
        f"""SELECT a.bin, CAST(EXTRACT(YEAR FROM a.date) AS BIGINT) AS year, count(*) AS accidents, sum(a.injured) AS injured
            FROM accidents a JOIN {ent.RISK_TABLE} r ON r.bin = a.bin
            WHERE {clause} AND CAST(EXTRACT(YEAR FROM a.date) AS BIGINT) BETWEEN ? AND ?
              AND NOT EXISTS (SELECT 1 FROM insurance i WHERE i.bin = a.bin AND i.year = CAST(EXTRACT(YEAR FROM a.date) AS BIGINT) AND i.covered)
              {lapsed}
            GROUP BY a.bin, CAST(EXTRACT(YEAR FROM a.date) AS BIGINT) ORDER BY a.bin, year""",
        [*params, first, ctx.year])
    if frame.empty:
        return pd.DataFrame({"bin": pd.Series(dtype="str")})
    return frame.groupby("bin", as_index=False).agg(
        years=("year", lambda y: ", ".join(str(int(v)) for v in sorted(y))),
        accidents=("accidents", "sum"), injured=("injured", "sum"))


def _disease_with_low_classes(ctx: _Ctx, p: Mapping[str, Any]) -> pd.DataFrame:
    clause, params = ctx.region_clause()
    low = list(p["low_classes"])
    order = {c: i for i, c in enumerate(HARMFULNESS_CLASSES)}
    rank_sql = "CASE w.harmfulness_class " + " ".join(f"WHEN '{c}' THEN {i}" for c, i in order.items()) + " END"
    frame = ctx.store.sql(
        f"""WITH d AS (SELECT bin, sum(cases) AS cases FROM occupational_diseases
                       WHERE bin IS NOT NULL AND year BETWEEN ? AND ? GROUP BY bin),
                 w AS (SELECT w.bin, count(*) AS workplaces, max({rank_sql}) AS max_rank,
                              bool_and(w.harmfulness_class IN ({', '.join('?' for _ in low)})) AS all_low
                       FROM workplace_assessments w WHERE CAST(EXTRACT(YEAR FROM w.assessment_date) AS BIGINT) <= ? GROUP BY w.bin)
            SELECT r.bin, d.cases, w.workplaces, w.max_rank FROM {ent.RISK_TABLE} r
            JOIN d ON d.bin = r.bin JOIN w ON w.bin = r.bin
            WHERE {clause} AND w.all_low AND d.cases >= ? ORDER BY r.bin""",
        [ctx.year - ctx.window + 1, ctx.year, *low, ctx.year, *params, max(1, p["min_cases"])])
    names = np.array(HARMFULNESS_CLASSES, dtype=object)
    return frame.assign(max_class=names[frame["max_rank"].astype(int).to_numpy()] if len(frame) else [],
                        window=ctx.window).drop(columns="max_rank")


def _injuries_above_assessment(ctx: _Ctx, p: Mapping[str, Any]) -> pd.DataFrame:
    """Expected injuries = the injury rate of all assessed enterprises of the same (rounded, worker-weighted)
    danger class, nationally, x the enterprise's workers x the window. The rate is national so that a region's
    list does not change the yardstick."""
    frame = ctx.store.sql(
        f"""WITH w AS (SELECT bin, round(sum(workers * danger_class) / sum(workers)) AS danger_class
                       FROM workplace_assessments WHERE CAST(EXTRACT(YEAR FROM assessment_date) AS BIGINT) <= ? GROUP BY bin),
                 a AS (SELECT bin, sum(injured) AS injuries FROM accidents
                       WHERE CAST(EXTRACT(YEAR FROM date) AS BIGINT) BETWEEN ? AND ? GROUP BY bin)
            SELECT r.bin, r.region, r.employees, coalesce(a.injuries, 0) AS injuries,
                   CAST(w.danger_class AS INTEGER) AS danger_class
            FROM {ent.RISK_TABLE} r JOIN w ON w.bin = r.bin LEFT JOIN a ON a.bin = r.bin""",
        [ctx.year, ctx.year - ctx.window + 1, ctx.year])
    if frame.empty:
        return pd.DataFrame({"bin": pd.Series(dtype="str")})
    exposure = frame["employees"].astype(float) * ctx.window
    frame["injuries"] = frame["injuries"].astype("int64")  # DuckDB's sum of BIGINT is a DECIMAL
    sums = frame.groupby("danger_class")[["injuries", "employees"]].sum().astype(float)
    band = sums["injuries"] / (sums["employees"] * ctx.window).clip(lower=1.0)
    frame["expected"] = frame["danger_class"].map(band).astype(float) * exposure
    frame["ratio"] = frame["injuries"] / frame["expected"].where(frame["expected"] > 0)
    hit = (frame["injuries"] >= max(1, p["min_injuries"])) & (frame["ratio"] >= p["min_ratio"])
    if ctx.regions is not None:
        hit &= frame["region"].astype(str).isin(ctx.regions)
    out = frame[hit].sort_values("bin").reset_index(drop=True)
    return pd.DataFrame({
        "bin": out["bin"], "injuries": out["injuries"].astype(int), "expected": out["expected"].round(2),
        "ratio": out["ratio"].round(1), "danger_class": out["danger_class"].astype(int), "window": ctx.window})


def _stale_inspection_rising_degree(ctx: _Ctx, p: Mapping[str, Any]) -> pd.DataFrame:
    clause, params = ctx.region_clause()
    now = ctx.store.sql(
        f"""SELECT r.bin, r.degree AS now, (SELECT max(i.date) FROM inspections i WHERE i.bin = r.bin
                                           AND CAST(EXTRACT(YEAR FROM i.date) AS BIGINT) <= ?) AS last_inspection
            FROM {ent.RISK_TABLE} r WHERE {clause} AND r.degree <> 'low'""", [ctx.year, *params])
    if now.empty:
        return pd.DataFrame({"bin": pd.Series(dtype="str")})
    try:
        before = enterprise_risk(ctx.store, year=ctx.year - 1)[["bin", "degree"]].rename(columns={"degree": "before"})
    except RiskDataError:  # the year before cannot be scored (no register behind the risk table): nothing to compare
        return pd.DataFrame({"bin": pd.Series(dtype="str")})
    frame = now.merge(before.astype({"before": "str"}), on="bin", how="inner")
    rank = {d: i for i, d in enumerate(DEGREES)}
    rose = frame["now"].map(rank) > frame["before"].map(rank)
    last = pd.to_datetime(frame["last_inspection"])
    stale = last.isna() | (last.dt.year <= ctx.year - p["max_years_since_inspection"])
    out = frame[rose & stale].sort_values("bin").reset_index(drop=True)
    out["last_inspection"] = pd.to_datetime(out["last_inspection"]).dt.strftime("%Y-%m-%d").where(
        out["last_inspection"].notna(), "")
    return out[["bin", "before", "now", "last_inspection"]]


RULES: dict[str, Callable[[_Ctx, Mapping[str, Any]], pd.DataFrame]] = {
    "harmful_without_assessment": _harmful_without_assessment,
    "guarantees_without_assessment": _guarantees_without_assessment,
    "employees_without_insurance": _employees_without_insurance,
    "accidents_without_insurance": _accidents_without_insurance,
    "disease_with_low_classes": _disease_with_low_classes,
    "injuries_above_assessment": _injuries_above_assessment,
    "stale_inspection_rising_degree": _stale_inspection_rising_degree,
}


def _json_value(v: Any) -> Any:
    if isinstance(v, Decimal):  # DuckDB's sum of integers
        return int(v) if v == v.to_integral_value() else round(float(v), 2)
    if isinstance(v, (np.integer,)):
        return int(v)
    if isinstance(v, (np.floating, float)):
        return round(float(v), 2)
    if isinstance(v, (np.bool_,)):
        return bool(v)
    return v if isinstance(v, (int, str, bool)) or v is None else str(v)


def flags(store: Store, *, scope: Scope, region: str | None = None, year: int | None = None,
          config: DeskCheckConfig | None = None) -> pd.DataFrame:
    """One row per (enterprise, rule) that fires within the scope: FLAG_COLUMNS, facts as JSON text."""
    regions = scope.narrow([region] if region is not None else None)
    ent._require_table(store)
    cfg = config or load_config()
    ctx = _Ctx(store, int(year or ent.stored_year(store) or 0), cfg.window_years, regions)
    if not ctx.year:
        raise ent.RiskTableMissing("the store has no risk year; run 'enbek score'")
    frames = []
    for rule in cfg.enabled:
        found = RULES[rule.id](ctx, rule.params)
        if found.empty:
            continue
        fact_cols = [c for c in found.columns if c != "bin"]
        facts = [json.dumps({c: _json_value(v) for c, v in zip(fact_cols, row, strict=True)}, ensure_ascii=False)
                 for row in found[fact_cols].itertuples(index=False, name=None)]
        frames.append(pd.DataFrame({"bin": found["bin"].astype(str).to_numpy(), "rule": rule.id,
                                    "detects": rule.detects, "weight": rule.weight, "facts": facts}))
    if not frames:
        return pd.DataFrame({c: pd.Series(dtype="float64" if c == "weight" else "str") for c in FLAG_COLUMNS})
    order = {r: i for i, r in enumerate(RULE_IDS)}
    out = pd.concat(frames, ignore_index=True)
    return out.sort_values(["bin", "rule"], key=lambda s: s.map(order) if s.name == "rule" else s,
                           kind="stable").reset_index(drop=True)


def evidence_text(rule: Rule, facts: Mapping[str, Any] | str, *, lang: str) -> str:
    """The rule's evidence sentence in `lang`, its {placeholders} filled from the facts (degrees translated)."""
    values = dict(json.loads(facts) if isinstance(facts, str) else facts)
    names = DEGREE_NAMES.get(lang, DEGREE_NAMES["kk"])
    for key in ("before", "now"):
        if key in values:
            values[key] = names.get(str(values[key]), str(values[key]))
    if "last_inspection" in values and not values["last_inspection"]:
        values["last_inspection"] = NEVER.get(lang, NEVER["kk"])
    try:
        return rule.text("evidence", lang).format(**values)
    except KeyError as exc:
        raise DeskCheckConfigError(f"{rule.id}: evidence.{lang} names {{{exc.args[0]}}}, which the rule's facts lack "
                                   f"(facts: {', '.join(values)})") from None


def desk_list(store: Store, *, scope: Scope, region: str | None = None, lang: str = "kk", year: int | None = None,
              config: DeskCheckConfig | None = None, flagged: pd.DataFrame | None = None) -> pd.DataFrame:
    """The desk-check list: one row per flagged enterprise, highest priority (sum of rule weights) first, its
    rules and evidence sentences in `lang`. Columns LIST_COLUMNS. `flagged`: the same scope and region's
    `flags(...)` when the caller has them already."""
    cfg = config or load_config()
    if flagged is None:
        found = flags(store, scope=scope, region=region, year=year, config=cfg)
    else:
        scope.narrow([region] if region is not None else None)  # the same refusal as flags()
        found = flagged.copy()
    if found.empty:
        return pd.DataFrame({c: pd.Series(dtype="object") for c in LIST_COLUMNS})
    by_id = {r.id: r for r in cfg.rules}
    found["sentence"] = [by_id[r].text("name", lang) + ": " + evidence_text(by_id[r], f, lang=lang)
                         for r, f in zip(found["rule"], found["facts"], strict=True)]
    grouped = found.groupby("bin", sort=False).agg(
        priority=("weight", "sum"), n_rules=("rule", "size"), rules=("rule", ", ".join), evidence=("sentence", "; ".join))
    bins = list(grouped.index)
    info = store.read(ent.RISK_TABLE, columns=["bin", "name", "region", "kato", "section", "size_class", "employees",
                                               "degree", "score", "lat", "lon"], where={"bin": bins})
    out = grouped.reset_index().merge(info, on="bin", how="left", validate="one_to_one")
    out = out.sort_values(["priority", "n_rules", "score", "bin"], ascending=[False, False, False, True],
                          kind="stable").reset_index(drop=True)
    out.insert(0, "rank", np.arange(1, len(out) + 1))
    return out[list(LIST_COLUMNS)]


def enterprise_flags(store: Store, *, scope: Scope, bin: str, lang: str = "kk", config: DeskCheckConfig | None = None,
                     flagged: pd.DataFrame | None = None) -> pd.DataFrame:
    """The rules that fire for one enterprise (its card): rule, name, evidence, request, explain. The BIN's region
    is checked against the scope. `flagged` is its region's `flags(...)` when the caller already has them (the
    dashboard caches them per region), else they are computed."""
    ent._require_table(store)
    row = store.read(ent.RISK_TABLE, columns=["region"], where={"bin": bin})
    if row.empty:
        raise ent.EnterpriseNotFound(f"no enterprise with BIN {bin} in the register")
    region = str(row["region"].iloc[0])
    scope.check(region)
    cfg = config or load_config()
    found = flags(store, scope=scope, region=region, config=cfg) if flagged is None else flagged
    found = found[found["bin"] == bin]
    by_id = {r.id: r for r in cfg.rules}
    return pd.DataFrame({
        "rule": found["rule"].to_numpy(),
        "name": [by_id[r].text("name", lang) for r in found["rule"]],
        "evidence": [evidence_text(by_id[r], f, lang=lang) for r, f in zip(found["rule"], found["facts"], strict=True)],
        "request": [by_id[r].text("request", lang) for r in found["rule"]],
        "explain": [by_id[r].text("explain", lang) for r in found["rule"]],
    })


# -- measured against the demo's planted truth -----------------------------------------------------------------


@dataclass(frozen=True)
class Precision:
    precision: float  # flagged enterprises (by rules that detect a concealment) that truly conceal
    flagged: int
    true_flagged: int
    planted: int
    recall: float
    per_rule: pd.DataFrame  # rule, detects, flagged, true, precision
    per_kind: pd.DataFrame  # kind, planted, found, recall


def measure(store: Store, *, flagged: pd.DataFrame) -> Precision:
    """Precision and recall of `flags(...)` against the demo generator's planted truth (demo_truth.desk_truth):
    an enterprise flagged by a rule that detects a concealment counts as true when it conceals anything; per
    rule, when it conceals that rule's kind."""
    if not store.has_table("demo_truth"):
        raise ent.RiskTableMissing("the store has no demo_truth table: precision is measured on the demo only")
    truth = store.read("demo_truth", columns=["bin", "desk_truth"])
    kinds = dict(zip(truth["bin"].astype(str), truth["desk_truth"].fillna("").astype(str), strict=True))
    scored = flagged[flagged["detects"] != ""].copy()
    scored["kind"] = scored["bin"].map(kinds).fillna("")
    rows = []
    for rule, g in flagged.groupby("rule", sort=False):
        detects = str(g["detects"].iloc[0])
        kind = g["bin"].map(kinds).fillna("")
        true = int((kind == detects).sum()) if detects else 0
        rows.append((rule, detects, len(g), true, true / len(g) if detects and len(g) else float("nan")))
    per_rule = pd.DataFrame(rows, columns=["rule", "detects", "flagged", "true", "precision"])
    enterprises = scored.groupby("bin")["kind"].first()
    n = len(enterprises)
    true_n = int((enterprises != "").sum())
    planted = truth[truth["desk_truth"].fillna("") != ""]
    found_bins = set(scored["bin"])
    kinds_rows = []
    for planted_kind, g in planted.groupby("desk_truth"):
        found = int(g["bin"].isin(found_bins).sum())
        kinds_rows.append((str(planted_kind), len(g), found, found / len(g)))
    per_kind = pd.DataFrame(kinds_rows, columns=["kind", "planted", "found", "recall"])
    found_all = int(planted["bin"].isin(found_bins).sum())
    return Precision(
        precision=true_n / n if n else float("nan"), flagged=n, true_flagged=true_n, planted=len(planted),
        recall=found_all / len(planted) if len(planted) else float("nan"), per_rule=per_rule, per_kind=per_kind)
