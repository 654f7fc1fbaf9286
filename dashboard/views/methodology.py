"""Methodology page: definitions and formulas, the series and what each counts, the dataset, downloads."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from dashboard.catalog import INDICATORS
from dashboard.i18n import t
from dashboard.views.common import About, PublicTables, Table, about, available_series, change_rule_text
from data import series as series_registry

_META_KEYS = {f"meta.{k}" for k in ("dataset", "data_as_of", "built_at", "store_version", "years")}


@dataclass(frozen=True)
class MethodologySelection:
    lang: str


@dataclass(frozen=True)
class MethodologyView:
    definitions: Table
    series: Table
    meta: Table
    downloads: tuple[Table, ...]
    indicators: tuple[About, ...] = ()  # one section per indicator (definition, source, denominator, caveats)


def methodology(data: PublicTables, sel: MethodologySelection) -> MethodologyView:
    lang = sel.lang
    ids = [i for i in INDICATORS if i != "workers"]
    abouts = tuple(about(i, lang) for i in INDICATORS)  # the registry's texts (osh.registry.method), never a copy
    definitions = pd.DataFrame({
        t("col.indicator_id", lang): ids,
        t("col.indicator", lang): [INDICATORS[i].name(lang) for i in ids],
        t("col.formula", lang): [a.definition for a in abouts if a.indicator in ids],
        t("col.unit", lang): [INDICATORS[i].unit_text(lang) for i in ids],
        t("col.change_rule", lang): [change_rule_text(INDICATORS[i], lang) for i in ids],
    })
    present = available_series(data)
    series = pd.DataFrame({
        t("col.series", lang): [series_registry.label(s, lang) for s in present],
        t("col.series_definition", lang): [series_registry.definition(s, lang) or "–" for s in present],
    })
    meta = pd.DataFrame({t("col.key", lang): [t(f"meta.{k}", lang) if f"meta.{k}" in _META_KEYS else k for k in data.meta],
                         t("col.value", lang): [str(v) for v in data.meta.values()]})
    downloads = tuple(Table(name, t(f"download.{name}", lang), frame, frame) for name, frame in (
        ("indicators", data.indicators), ("diseases", data.diseases), ("targets", data.targets), ("official", data.official)))
    measures = getattr(data, "measures", None)
    if measures is not None and len(measures):  # the OSH-measure aggregates (views/measures.py), hidden cells marked
        downloads += (Table("measures", t("mpub.download", lang), measures, measures),)
    return MethodologyView(
        definitions=Table("definitions", t("method.definitions", lang), definitions, definitions),
        series=Table("series", t("method.series", lang), series, series),
        meta=Table("dataset", t("method.dataset", lang), meta, meta),
        downloads=downloads,
        indicators=abouts,
    )
