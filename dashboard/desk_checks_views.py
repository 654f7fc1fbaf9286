"""View models of the desk-check screen and the card's desk-check section: a selection in, what to show out.

Pure: no Streamlit. Enterprise-level reads go through osh.desk_checks and osh.measures with the user's scope.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np
import pandas as pd

from dashboard.i18n import fmt_number, t
from data.scope import Scope
from data.store import Store
from geo.regions import region_name
from layers import deck, desk_layer
from layers.desk_letter import Addressee, letter_pdf
from osh import desk_checks as dc
from osh import enterprises as ent
from osh import measures

SHOWN: tuple[str, ...] = ("rank", "bin", "name", "region", "section", "size_class", "employees", "degree",
                          "priority", "n_rules", "evidence")


@dataclass(frozen=True)
class LegendEntry:
    label: str
    colour: str


@dataclass(frozen=True)
class DeskView:
    frame: pd.DataFrame  # osh.desk_checks.desk_list columns, unchanged (downloads, letters, tests)
    flags: pd.DataFrame  # osh.desk_checks.flags of the same region (the card's section reuses them)
    display: pd.DataFrame  # translated headers, the columns shown
    rules: pd.DataFrame  # the rule table in the page's language
    deck: deck.CompactDeck
    legend: tuple[LegendEntry, ...]
    located: int
    region: str | None


def rules_table(config: dc.DeskCheckConfig, *, lang: str) -> pd.DataFrame:
    yes, no = t("desk.yes", lang), t("desk.no", lang)
    return pd.DataFrame({
        t("desk.rules.name", lang): [r.text("name", lang) for r in config.rules],
        t("desk.rules.explain", lang): [r.text("explain", lang) for r in config.rules],
        t("desk.rules.weight", lang): [r.weight for r in config.rules],
        t("desk.rules.enabled", lang): [yes if r.enabled else no for r in config.rules],
    })


def desk_view(store: Store, *, scope: Scope, region: str | None, lang: str,
              config: dc.DeskCheckConfig | None = None, tiles: str = "",
              outlines: dict[str, Any] | None = None) -> DeskView:
    """The region's desk-check list, its rule table and its map layer (ScopeError outside the scope)."""
    cfg = config or dc.load_config()
    flagged = dc.flags(store, scope=scope, region=region, config=cfg)
    frame = dc.desk_list(store, scope=scope, region=region, lang=lang, config=cfg, flagged=flagged)
    shown = frame[list(SHOWN)].copy()
    shown["region"] = shown["region"].map(lambda c: region_name(str(c), lang))
    shown["degree"] = shown["degree"].map(lambda d: dc.DEGREE_NAMES[lang].get(str(d), str(d)))
    shown["size_class"] = shown["size_class"].map(lambda s: t(f"emap.size.{s}", lang))
    display = shown.rename(columns={c: t(f"desk.col.{c}", lang) for c in SHOWN})
    layer = desk_layer.desk_layer(frame)
    located = int((frame["lat"].notna() & frame["lon"].notna()).sum()) if len(frame) else 0
    tooltip = {"text": t("desk.map.tooltip", lang, b="{b}", m="{m}", n="{n}", r="{r}")}
    view = deck.view_of(frame["lat"].to_numpy(dtype=float), frame["lon"].to_numpy(dtype=float)) if located else None
    layers = [deck.outline_layer(outlines), layer] if outlines else [layer]
    built = deck.build_deck(layers, tooltip=tooltip, tiles=tiles, view=view)
    legend = tuple(LegendEntry(t(f"desk.class.{c.key}", lang), c.colour) for c in desk_layer.CLASSES)
    return DeskView(frame, flagged, display, rules_table(cfg, lang=lang), built, legend, located, region)


@dataclass(frozen=True)
class CardDesk:
    findings: pd.DataFrame  # translated headers: finding, evidence, document requested
    measures: pd.DataFrame  # translated rows: field x year
    has_findings: bool


def _measure_table(frame: pd.DataFrame, *, lang: str) -> pd.DataFrame:
    if frame.empty:
        return pd.DataFrame()
    yes, no = t("desk.yes", lang), t("desk.no", lang)
    body = frame.set_index("year")[["workers", *measures.FIELDS]].T
    body.columns = [str(int(y)) for y in body.columns]
    body = body.astype(object)
    for field in body.index:  # numbers as the reader's language writes them (decimal comma in kk and ru)
        if field != "sanitary_facilities":
            decimals = 1 if field.endswith("_pct") else 0
            body.loc[field] = [fmt_number(v, lang, decimals=decimals) for v in body.loc[field]]
    if "sanitary_facilities" in body.index:
        body.loc["sanitary_facilities"] = [yes if bool(v) else no for v in body.loc["sanitary_facilities"]]
    body.index = [t(f"measures.{f}", lang) for f in body.index]
    return body.reset_index(names=t("measures.field", lang)).astype(str)


def card_desk(store: Store, *, scope: Scope, bin: str, lang: str, config: dc.DeskCheckConfig | None = None,
              flagged: pd.DataFrame | None = None) -> CardDesk:
    found = dc.enterprise_flags(store, scope=scope, bin=bin, lang=lang, config=config, flagged=flagged)
    findings = found[["name", "evidence", "request"]].rename(columns={
        "name": t("desk.card.name", lang), "evidence": t("desk.card.evidence", lang),
        "request": t("desk.card.request", lang)})
    reports = measures.enterprise_measures(store, scope=scope, bin=bin)
    return CardDesk(findings, _measure_table(reports, lang=lang), not found.empty)


def letter_bytes(store: Store, *, scope: Scope, bin: str, lang: str, issued: date | None = None,
                 config: dc.DeskCheckConfig | None = None) -> bytes:
    """The letter to the employer, read again with the user's scope (built on the click)."""
    found = dc.enterprise_flags(store, scope=scope, bin=bin, lang=lang, config=config)
    row = store.read(ent.RISK_TABLE, columns=["bin", "name", "kato", "region"], where={"bin": bin}).iloc[0]
    to = Addressee(bin=str(row["bin"]), name=str(row["name"]), kato=str(row["kato"]),
                   region_name=region_name(str(row["region"]), lang))
    demo = (store.get_meta("dataset", "demo") or "demo") == "demo"
    return letter_pdf(addressee=to, findings=found, lang=lang, issued=issued or date.today(), demo=demo)


def list_name(region: str | None) -> str:
    """The stem of the desk-check list's files and its audit object."""
    return f"desk_checks_{region or 'KZ'}"


def letter_options(frame: pd.DataFrame, *, limit: int = 500) -> list[str]:
    """The BINs a letter can be written for: the list's first `limit` enterprises, in list order."""
    return [str(b) for b in frame["bin"].head(limit)] if len(frame) else []


def region_measures(store: Store, *, scope: Scope, measure: str) -> pd.DataFrame:
    """One OSH measure by region (aggregate of reports, worker-weighted), for the screen's region table."""
    if measure not in measures.AGGREGATES:
        raise ValueError(f"unknown measure {measure!r}; expected one of {', '.join(measures.AGGREGATES)}")
    frame = measures.aggregate(store, scope=scope, by="region")
    return frame[["region", "reports", measure]].assign(value=lambda f: np.round(f[measure].astype(float), 3))


MEASURE_CHOICES: tuple[str, ...] = ("funding_per_worker", "ppe_provision_pct", "medical_exam_pct", "guarantee_share",
                                    "nutrition_share", "milk_share", "sanitary_share")
SHARES = frozenset({"guarantee_share", "nutrition_share", "milk_share", "sanitary_share"})


@dataclass(frozen=True)
class MeasuresMap:
    deck: deck.CompactDeck
    legend: tuple[LegendEntry, ...]
    table: pd.DataFrame  # translated: region, reports, the measure
    year: int | None


def measures_map(store: Store, *, scope: Scope, measure: str, lang: str, outlines: dict[str, Any] | None,
                 tiles: str = "") -> MeasuresMap:
    """One OSH measure by region (worker-weighted aggregate of the reports, within the scope) as a region layer
    coloured in quantile classes, and the same numbers as a table (the text alternative)."""
    if measure not in MEASURE_CHOICES:
        raise ValueError(f"unknown measure {measure!r}; expected one of {', '.join(MEASURE_CHOICES)}")
    frame = measures.aggregate(store, scope=scope, by="region")
    factor = 100.0 if measure in SHARES else 1.0
    values = frame[measure].astype(float) * factor
    decimals = 0 if measure == "funding_per_worker" else 1
    scheme = deck.agg_scheme(values)
    names = {str(r): region_name(str(r), lang) for r in frame["region"]}
    layers: list[Any] = [deck.outline_layer(outlines)] if outlines else []
    if outlines:
        agg = frame.assign(region=frame["region"].astype(str), n=frame["reports"].astype(int))
        layers.append(deck.region_layer(outlines, agg, values, scheme, names=names, decimals=decimals))
    tooltip = {"text": "{name}: {v}"}
    built = deck.build_deck(layers, tooltip=tooltip, tiles=tiles)
    edges = scheme.breaks
    legend = tuple(LegendEntry(f"{fmt_number(edges[i], lang, decimals=decimals)} – {fmt_number(edges[i + 1], lang, decimals=decimals)}", c)
                   for i, c in enumerate(scheme.colors))
    label = t(f"measures.agg.{measure}", lang) + (" (%)" if measure in SHARES else "")
    # numbers written as the legend writes them (grouped, the language's decimal mark): "54 929", not "54929"
    table = pd.DataFrame({t("desk.col.region", lang): [names[str(r)] for r in frame["region"]],
                          t("measures.agg.reports", lang): [fmt_number(int(n), lang, decimals=0) for n in frame["reports"]],
                          label: [fmt_number(float(v), lang, decimals=decimals) for v in values.to_numpy()]})
    year = int(frame["year"].iloc[0]) if len(frame) else None
    return MeasuresMap(built, legend, table, year)
