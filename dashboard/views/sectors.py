"""Sectors page: OKED sections with confidence intervals, a region x sector heat map, one sector's map, harmful conditions."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from dashboard.catalog import indicator
from dashboard.i18n import fmt_number, t, vega_locale
from dashboard.views.common import (
    NATIONAL,
    Chart,
    MapEnv,
    MapView,
    PublicTables,
    Table,
    _slice,
    axes,
    cell_status_text,
    choropleth,
    header,
    make_table,
    place_name,
    ranking_chart,
    ranking_table,
    region_values,
    rounded,
    sec_label,
    section_name,
    shown_status,
    titled,
    value_status_texts,
    value_texts,
)
from data.codes import SECTION_CODES
from geo.regions import REGION_CODES
from layers import charts


@dataclass(frozen=True)
class SectorsSelection:
    lang: str
    indicator: str
    year: int
    section: str
    series: str


@dataclass(frozen=True)
class SectorsView:
    ranking: Chart
    heatmap: Chart
    map: MapView
    harmful: Chart


def empty_sections(rows: pd.DataFrame) -> set[str]:
    """Sections whose national row counts no workers (zero or missing) although it is published ('ok')."""
    if "workers" not in rows.columns:
        return set()
    workers = rows["workers"].astype(float)
    return set(rows.loc[(rows["status"] == "ok") & ~(workers > 0), "section"].astype(str))


def _col(rows: pd.DataFrame, name: str) -> Any:
    return rows[name].to_numpy() if name in rows.columns else None


def sectors(data: PublicTables, env: MapEnv, sel: SectorsSelection) -> SectorsView:
    lang, ind, series = sel.lang, indicator(sel.indicator), sel.series
    rows = _slice(data, series=series, year=sel.year, region=NATIONAL, section=list(SECTION_CODES))
    # A section nobody works in (households T, extraterritorial bodies U) has no rate: drawing it as a zero bar
    # with a whisker to 2.5 would invent one. It is left out of the ranking and the heat map.
    empty = empty_sections(rows)
    rows = rows[~rows["section"].isin(empty)]
    frame = pd.DataFrame({"section": rows["section"].to_numpy(), "value": rows[ind.id].astype(float).to_numpy(),
                          "status": rows["status"].to_numpy(), "covered": _col(rows, "covered"),
                          "cover_of": _col(rows, "cover_of")})
    if ind.interval:
        frame["lo"] = rows[ind.interval[0]].astype(float).to_numpy()
        frame["hi"] = rows[ind.interval[1]].astype(float).to_numpy()
    title = titled(t("sectors.ranking_title", lang, indicator=ind.name(lang), year=sel.year), series, lang)

    def label(s: str) -> str:
        return sec_label(s, lang)

    st = shown_status(frame["value"], frame["status"], ind)
    rank_raw = frame.assign(name=[label(s) for s in frame["section"]], shown=st.to_numpy(),
                            _v=frame["value"].where(st == "ok")).sort_values("_v", ascending=False, na_position="last")
    h_value = header(ind, lang, sel.year)
    raw = pd.DataFrame({t("col.section", lang): rank_raw["name"].to_numpy(), h_value: (rank_raw["_v"] * ind.scale()).to_numpy()})
    fm: dict[str, Callable[[Any], str]] = {h_value: lambda v: fmt_number(v, lang, decimals=ind.decimals)}
    if ind.interval:
        raw[t("col.ci_lo", lang)] = (rank_raw["lo"] * ind.scale()).to_numpy()
        raw[t("col.ci_hi", lang)] = (rank_raw["hi"] * ind.scale()).to_numpy()
        fm[t("col.ci_lo", lang)] = fm[t("col.ci_hi", lang)] = lambda v: fmt_number(v, lang, decimals=ind.decimals, missing="")
    raw[t("col.status", lang)] = [cell_status_text(s, lang, covered=c, cover_of=o)
                                  for s, c, o in zip(rank_raw["shown"], rank_raw["covered"], rank_raw["cover_of"], strict=True)]
    key = f"sectors_{ind.id}_{sel.year}_{series}"
    rank_table = make_table(key, title, raw, fm)
    down = rank_table.raw.copy()  # downloads: OKED code beside the name, numbers rounded as shown
    for col in [c for c in down.columns if c in fm]:
        down[col] = np.round(down[col].astype(float), ind.decimals)
    down.insert(0, t("col.oked", lang), rank_raw["section"].astype(str).to_numpy())
    rank_table = Table(rank_table.key, rank_table.title, rank_table.display, down.reset_index(drop=True))
    shown_rank = rank_table.display.copy()
    shown_rank[h_value] = value_texts(rank_raw.assign(value=rank_raw["value"] * ind.scale()).reset_index(drop=True), ind, lang,
                                      fmt=lambda v: fmt_number(v, lang, decimals=ind.decimals))
    rank_table = Table(rank_table.key, rank_table.title, shown_rank, rank_table.raw)
    ranking = ranking_chart(frame, ind=ind, lang=lang, title=title, table=rank_table, key=key, label=label, column="section",
                            highlight=sel.section)

    # region x sector heat map (current basis)
    cells = _slice(data, series=series, year=sel.year, region=REGION_CODES, section=[s for s in SECTION_CODES if s not in empty])
    heat = pd.DataFrame({"row": [place_name(c, lang) for c in cells["region"]], "col": cells["section"].to_numpy(),
                         "code": cells["region"].astype(str).to_numpy(),
                         "value": cells[ind.id].astype(float).to_numpy() * ind.scale(), "status": cells["status"].to_numpy()})
    heat = heat.assign(status=heat["status"].where(heat["value"].notna() | (heat["status"] != "ok"), "no_data"))
    order = [place_name(c, lang) for c in REGION_CODES]
    heat = heat.assign(row=pd.Categorical(heat["row"], categories=order, ordered=True)).sort_values(["row", "col"])
    heat = heat.assign(row=heat["row"].astype(str))
    heat_title = titled(t("sectors.heat_title", lang, indicator=ind.name(lang), year=sel.year), series, lang)
    heat_spec = charts.heatmap_chart(
        heat, axes=axes(t("col.section", lang), t("col.region", lang), ind=ind, legend=ind.unit_text(lang)),
        locale=vega_locale(lang), confidential_label=t("status.confidential", lang), no_data_label=t("status.no_data", lang),
        not_existing_label=t("status.not_existing", lang),
    ).to_dict(validate=False)
    texts = value_texts(heat.assign(value=heat["value"] / ind.scale()), ind, lang)
    wide = heat.assign(text=texts).pivot_table(index="row", columns="col", values="text", aggfunc="first", sort=False)
    wide = wide.reindex(index=[r for r in order if r in wide.index])
    wide.index.name = t("col.region", lang)
    wide.columns.name = None
    # downloads: one row per region and section, both codes beside the names, the value rounded as shown and its
    # status in words (a confidential cell is an empty number with "confidential", never 0)
    heat_down = pd.DataFrame({
        t("col.kato", lang): heat["code"].to_numpy(), t("col.region", lang): heat["row"].to_numpy(),
        t("col.oked", lang): heat["col"].to_numpy(), t("col.section", lang): [section_name(s, lang) for s in heat["col"]],
        header(ind, lang, sel.year): rounded(heat["value"].where(heat["status"] == "ok"), ind.decimals),
        t("col.status", lang): value_status_texts(heat, ind, lang),
    })
    heat_table = Table(f"heatmap_{ind.id}_{sel.year}_{series}", f"{heat_title} ({ind.unit_text(lang)})",
                       wide.reset_index().fillna(t("status.no_data", lang)), heat_down.reset_index(drop=True))
    heatmap = Chart(f"heatmap_{ind.id}_{sel.year}_{series}", heat_title, heat_spec, heat_table, about=(ind.id,))

    # one sector's map
    sframe = region_values(data, ind=ind, year=sel.year, basis="current", section=sel.section, series=series)
    stitle = titled(t("sectors.map_title", lang, indicator=ind.name(lang), section=label(sel.section), year=sel.year), series, lang)
    skey = f"sector_map_{ind.id}_{sel.section}_{sel.year}_{series}"
    stable = ranking_table(sframe, ind=ind, year=sel.year, lang=lang, key=skey, title=t("ranking.title", lang, title=stitle))
    smap = choropleth(sframe, env=env, ind=ind, basis="current", lang=lang, title=stitle, key=skey, table=stable)

    # workers in harmful conditions by sector (a denominator-side figure: the series' own rows)
    hw = indicator("harmful_workers")
    hrows = frame.assign(v=rows["harmful_workers"].astype(float).to_numpy(), share=rows["harmful_share"].astype(float).to_numpy())
    hrows = hrows[hrows["status"] == "ok"].sort_values("v", ascending=False)
    hdata = pd.DataFrame({"category": [label(s) for s in hrows["section"]], "value": hrows["v"].to_numpy()})
    htitle = titled(t("sectors.harmful_title", lang, year=sel.year), series, lang)
    hspec = charts.bar_chart(hdata, axes=axes(header(hw, lang), "", ind=hw), locale=vega_locale(lang)).to_dict(validate=False)
    h_share = header(indicator("harmful_share"), lang)
    hraw = pd.DataFrame({t("col.section", lang): hdata["category"].to_numpy(), header(hw, lang): hdata["value"].to_numpy(),
                         h_share: hrows["share"].to_numpy() * 100})
    htable = make_table(f"harmful_{sel.year}_{series}", htitle, hraw, {
        header(hw, lang): lambda v: fmt_number(v, lang), h_share: lambda v: fmt_number(v, lang, decimals=1)})
    hdown = hraw.assign(**{header(hw, lang): rounded(hraw[header(hw, lang)], 0), h_share: rounded(hraw[h_share], 1)})
    hdown.insert(0, t("col.oked", lang), hrows["section"].astype(str).to_numpy())
    htable = Table(htable.key, htable.title, htable.display, hdown)
    return SectorsView(ranking, heatmap, smap, Chart(f"harmful_{sel.year}_{series}", htitle, hspec, htable,
                                                     about=(hw.id, "harmful_share")))
