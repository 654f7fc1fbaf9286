"""Streamlit rendering of view-model pieces: cards, tables with CSV/XLSX downloads, charts with PNG/SVG, maps."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Literal

import pandas as pd
import streamlit as st

from dashboard.i18n import t
from dashboard.views import Card, Chart, MapView, Table
from data import exports
from layers import charts

MAP_HEIGHT = 560  # the map (420 px) and its legend below it


def _safe(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", name)


def csv_bytes(frame: pd.DataFrame) -> bytes:
    # spreadsheet-safe (formula-looking text neutralised), utf-8 with BOM for Kazakh and Russian letters
    return exports.csv_bytes(frame)


def xlsx_bytes(frame: pd.DataFrame, *, sheet: str) -> bytes:
    return exports.xlsx_bytes(frame, sheet=sheet)


def cards(items: Sequence[Card], *, per_row: int = 4) -> None:
    """Bordered cards: the label (indicator, period) wraps instead of being cut; the unit sits under the number."""
    for start in range(0, len(items), per_row):
        row = items[start : start + per_row]
        for col, card in zip(st.columns(per_row), row, strict=False):
            with col.container(border=True):
                st.markdown(f"**{card.label}**", help=card.help)
                # st.metric reads the sign from an ASCII hyphen, not from the typographic minus of the text
                delta = card.delta.replace("\u2212", "-") if card.delta else None
                flat = delta is not None and not delta.startswith(("+", "-"))  # no change: no arrow colour
                st.metric(card.label, card.value, delta=delta, delta_color="off" if flat else card.delta_color,  # type: ignore[arg-type]
                          label_visibility="collapsed")
                st.caption(card.unit)


def downloads(table: Table, lang: str) -> None:
    stem = _safe(table.key)
    row = st.container(horizontal=True)
    row.download_button(t("download.csv", lang), data=lambda: csv_bytes(table.raw), file_name=f"{stem}.csv",
                       mime="text/csv", key=f"dl_csv_{stem}", on_click="ignore", icon=":material/download:")
    row.download_button(t("download.xlsx", lang), data=lambda: xlsx_bytes(table.raw, sheet=stem), file_name=f"{stem}.xlsx",
                       mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", key=f"dl_xlsx_{stem}",
                       on_click="ignore", icon=":material/download:")


def table(item: Table, lang: str, *, title: bool = True, height: int | None = None,
          select_key: str | None = None, on_select: Callable[[], None] | None = None) -> None:
    """A table with its downloads; with `select_key`, a click on a row calls `on_select` (single-row selection)."""
    if title:
        st.markdown(f"**{item.title}**")
    h: int | Literal["auto"] = height if height is not None else "auto"
    if select_key is not None:
        handler: Callable[[], None] | Literal["rerun"] = on_select or "rerun"
        st.dataframe(item.display, hide_index=True, width="stretch", height=h, key=select_key,
                     on_select=handler, selection_mode="single-row")
    else:
        st.dataframe(item.display, hide_index=True, width="stretch", height=h)
    downloads(item, lang)


def chart(item: Chart, lang: str) -> None:
    st.subheader(item.title, anchor=False)
    st.vega_lite_chart(item.spec, width="stretch")
    if item.note:
        st.caption(item.note)
    stem = _safe(item.key)
    row = st.container(horizontal=True)
    row.download_button(t("download.png", lang), data=lambda: charts.to_png(item.spec), file_name=f"{stem}.png",
                       mime="image/png", key=f"dl_png_{stem}", on_click="ignore", icon=":material/image:")
    row.download_button(t("download.svg", lang), data=lambda: charts.to_svg(item.spec).encode("utf-8"), file_name=f"{stem}.svg",
                       mime="image/svg+xml", key=f"dl_svg_{stem}", on_click="ignore", icon=":material/image:")
    with st.expander(t("text_alternative", lang)):
        table(item.table, lang)


def map_view(item: MapView, lang: str, *, ranking_beside: bool = False) -> None:
    st.subheader(item.title, anchor=False)
    if item.html is None:
        st.warning(t("map.unavailable", lang, reason=item.error or ""))
    else:
        st.iframe(item.html, height=MAP_HEIGHT, alt=item.alt)
    if not ranking_beside:
        with st.expander(t("text_alternative_map", lang)):
            table(item.table, lang)
