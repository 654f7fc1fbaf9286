"""International page: Kazakhstan against EU countries and the USA per 100 000 workers (official figures)."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from dashboard.catalog import indicator
from dashboard.i18n import fmt_number, t, vega_locale
from dashboard.views.common import (
    NATIONAL,
    Chart,
    PublicTables,
    Table,
    _one,
    figure_name,
    make_table,
    rounded,
    scope_name,
    series_label,
    source_text,
    unit_name,
)
from data.codes import SECTION_CODES
from geo.regions import REGION_CODES
from layers import charts
from layers.numbers import fmt_value

INTERNATIONAL_FIGURES: tuple[str, ...] = ("injury_rate", "fatal_rate", "hidden_ratio")  # per 100 000 / N:1
# the barometer's indicator that each official figure is (whose methodology is one click from its chart)
FIGURE_INDICATORS: dict[str, str] = {"injury_rate": "injury_rate_1000", "fatal_rate": "fatal_rate_1000",
                                     "hidden_ratio": "hidden_ratio"}


@dataclass(frozen=True)
class InternationalSelection:
    lang: str
    series: str


@dataclass(frozen=True)
class InternationalView:
    charts: tuple[Chart, ...]
    demo_note: str


def international(data: PublicTables, sel: InternationalSelection) -> InternationalView:
    lang = sel.lang
    off = data.official
    # Kazakhstan's official figure (scope KZ) against the countries' (scope = country name)
    countries = off[off["figure"].isin(INTERNATIONAL_FIGURES) & ~off["scope"].isin([*REGION_CODES, *SECTION_CODES])]
    countries = countries[(countries["scope"] != NATIONAL) | (countries["year"] == countries.loc[countries["scope"] == NATIONAL, "year"].max())]
    latest = int(data.indicators["year"].max())
    now = _one(data, series=sel.series, year=latest)
    out = []
    for figure in INTERNATIONAL_FIGURES:
        rows = countries[countries["figure"] == figure]
        if rows.empty:
            continue
        name = figure_name(figure, lang)
        unit = unit_name(str(rows["unit"].iloc[0]), lang)
        frame = pd.DataFrame(
            {
                "label": [
                    scope_name(s, lang) + (f" ({int(y)})" if pd.notna(y) else "")
                    for s, y in zip(rows["scope"], rows["year"], strict=True)
                ],
                "value": rows["value"].astype(float).to_numpy(),
                "source": [source_text(str(x), lang) for x in rows["source"]],
            }
        )
        axis_dec = 0 if frame["value"].max() >= 100 else 1
        title = t("intl.chart_title", lang, figure=name)
        spec = charts.ranking_chart(
            frame,
            axes=charts.Axes(x=f"{name} ({unit})", y="", number_format=f",.{axis_dec}f"),
            locale=vega_locale(lang),
            highlight=next((lab for lab in frame["label"] if lab.startswith(t("kz", lang))), None),
        ).to_dict(validate=False)
        h_val = f"{name} ({unit})"
        # the year and the definition per country: the Concept prints the countries' figures without a year, and
        # saying so is the truth a reader needs (their reference years differ from Kazakhstan's)
        years = [str(int(y)) if pd.notna(y) else t("intl.year_not_stated", lang) for y in rows["year"]]
        raw = pd.DataFrame({t("col.country", lang): [scope_name(x, lang) for x in rows["scope"]],
                            t("col.year", lang): years, h_val: frame["value"],
                            t("col.definition", lang): t(f"intl.def.{figure}", lang),
                            t("col.source", lang): frame["source"]})
        table = make_table(f"international_{figure}", title, raw, {h_val: lambda v: fmt_number(v, lang, decimals=1)})
        # downloads: the country's code beside its name, the year a number (empty where the Concept states none;
        # the definition column says so), the value rounded as shown
        down = raw.copy()
        down[t("col.year", lang)] = pd.array([int(y) if pd.notna(y) else None for y in rows["year"]], dtype="Int64")
        down[h_val] = rounded(raw[h_val], 1)
        down.insert(0, t("col.country_code", lang), rows["scope"].astype(str).to_numpy())
        table = Table(table.key, table.title, table.display, down)
        note = " ".join((t("official.caption", lang), t(f"intl.def.{figure}", lang), t("intl.years_note", lang)))
        out.append(Chart(f"international_{figure}", title, spec, table, note, about=(FIGURE_INDICATORS[figure],),
                         about_series=""))
    demo_note = ""
    if now is not None and now["status"] == "ok":
        demo_note = t("intl.demo_note", lang, year=latest, dataset=t(f"dataset.{data.meta.get('dataset', 'real')}", lang),
                      injured=fmt_number(now["injury_rate_1000"] * 100, lang, decimals=1),
                      fatal=fmt_number(now["fatal_rate_1000"] * 100, lang, decimals=2),
                      ratio=fmt_value(indicator("hidden_ratio"), now["hidden_ratio"], lang))
        demo_note = f"{demo_note} ({series_label(sel.series, lang)})"
    return InternationalView(tuple(out), demo_note)
