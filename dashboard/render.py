"""Streamlit rendering of view-model pieces: cards, tables with CSV/XLSX downloads, charts with PNG/SVG, maps."""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Mapping, Sequence
from typing import Literal

import pandas as pd
import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from dashboard import state
from dashboard.i18n import t
from dashboard.views import Card, Chart, MapView, Table
from dashboard.views.common import about, methodology_link
from data import exports
from data import series as series_registry
from layers import charts
from osh.registry import has_method

MAP_HEIGHT = 560  # the map (420 px) and its legend below it


def _safe(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", name)


def csv_bytes(frame: pd.DataFrame) -> bytes:
    # spreadsheet-safe (formula-looking text neutralised), utf-8 with BOM for Kazakh and Russian letters
    return exports.csv_bytes(frame)


def xlsx_bytes(frame: pd.DataFrame, *, sheet: str) -> bytes:
    return exports.xlsx_bytes(frame, sheet=sheet)


# A card's number wraps instead of being cut with "…" (a narrow card at 1440 px showed "нет да…"); a status word
# ("no data", "confidential") is set smaller than a number and wraps between words.
CARD_CSS = (
    "<style>[data-testid=stMetricValue],[data-testid=stMetricValue] *{white-space:normal!important;"
    "overflow:visible!important;text-overflow:clip!important;overflow-wrap:anywhere}</style>"
)
CARD_WORD_STYLE = "font-size:1.5rem;line-height:1.25;margin:0.1rem 0 0.3rem;overflow-wrap:anywhere"


def cards(items: Sequence[Card], *, per_row: int = 4) -> None:
    """Bordered cards: the label (indicator, period) wraps instead of being cut; the unit sits under the number."""
    st.html(CARD_CSS)  # a style block only: it takes no room on the page
    for start in range(0, len(items), per_row):
        row = items[start : start + per_row]
        for col, card in zip(st.columns(per_row), row, strict=False):
            with col.container(border=True):
                st.markdown(f"**{card.label}**", help=card.help)
                if card.word:
                    st.markdown(f'<p style="{CARD_WORD_STYLE}">{html.escape(card.value)}</p>', unsafe_allow_html=True)
                    st.caption(card.unit)
                    continue
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


PROSE_CHARS = 40  # a cell longer than this is a sentence: the table is shown static, its cells wrapping
STATIC_ROWS, STATIC_HEIGHT_PX = 20, 640  # a static table of more rows is shown in a 640 px box that scrolls
GRID_ROOM_PX = 940  # a page-wide table at 1440 px (a grid wider than this scrolls sideways, hiding its last columns)
_CHAR_PX, _CELL_PAD_PX = 7.5, 16  # a generous average glyph of the grid's 14 px font, and a cell's side padding


def is_prose(item: Table) -> bool:
    """Whether a table is shown as a static table (its cells and headers wrap) rather than a grid (one line per
    cell): a cell of text holds a sentence, or the grid's one-line columns would not fit a page-wide table at
    1440 px."""
    if item.prose is not None:
        return item.prose
    frame = item.display
    if frame.empty:
        return False
    cells = {col: int(frame[col].astype(str).str.len().max()) for col in frame.columns}  # the longest cell's text
    if any(n > PROSE_CHARS for col, n in cells.items()
           if frame[col].dtype == object or pd.api.types.is_string_dtype(frame[col])):
        return True
    return sum(max(len(str(col)), n) * _CHAR_PX + _CELL_PAD_PX for col, n in cells.items()) > GRID_ROOM_PX


_MARKDOWN = re.compile(r"([\\`*_{}\[\]<>#|~$:])")
_ICON = re.compile(r"\\:(?=[A-Za-z_/])")  # an escaped colon before a name: ":material/home:", ":smile:"
_LIST_MARKER = re.compile(r"^(\s*)(\d+)([.)])|^(\s*)([-+])")


def markdown_safe(frame: pd.DataFrame) -> pd.DataFrame:
    """A static table reads every cell and header as Markdown: each character that could format, link, colour
    (":red[…]") or typeset ("$…$") is escaped, a leading list marker ("1.", "-") too, and an icon name
    (":material/…:") is broken with an invisible word joiner, so the text shows as written."""
    def esc(v: object) -> object:
        if not isinstance(v, str):
            return v
        v = _ICON.sub("\\:\u2060", _MARKDOWN.sub(r"\\\1", v))
        return _LIST_MARKER.sub(lambda m: f"{m[1]}{m[2]}\\{m[3]}" if m[2] else f"{m[4]}\\{m[5]}", v)

    out = frame.map(esc)
    out.columns = [esc(str(c)) for c in frame.columns]
    return out


def table(item: Table, lang: str, *, title: bool = True, height: int | None = None,
          select_key: str | None = None, on_select: Callable[[], None] | None = None) -> None:
    """A table with its downloads; with `select_key`, a click on a row calls `on_select` (single-row selection).
    A table of sentences (`is_prose`) is static: full headers, cells wrapping, every row shown."""
    if title:
        st.markdown(f"**{item.title}**")
    if select_key is None and is_prose(item):
        tall = len(item.display) > STATIC_ROWS  # a long table scrolls inside its box, its header staying in view
        st.table(markdown_safe(item.display), hide_index=True, border="horizontal",
                 height=(height or STATIC_HEIGHT_PX) if tall else "content")
        downloads(item, lang)
        return
    labels = {col: short for col, short in item.labels.items() if col in item.display.columns}
    if labels:  # a short column label on screen: its full header is read here and in the column's tooltip
        st.caption(" · ".join(f"{short}: {col}" for col, short in labels.items()))
    config = {col: st.column_config.Column(label=short, help=col) for col, short in labels.items()}
    h: int | Literal["auto"] = height if height is not None else "auto"
    if select_key is not None:
        handler: Callable[[], None] | Literal["rerun"] = on_select or "rerun"
        st.dataframe(item.display, hide_index=True, width="stretch", height=h, key=select_key, column_config=config,
                     on_select=handler, selection_mode="single-row")
    else:
        st.dataframe(item.display, hide_index=True, width="stretch", height=h, column_config=config)
    downloads(item, lang)


def chart(item: Chart, lang: str) -> None:
    st.subheader(item.title, anchor=False)
    st.vega_lite_chart(item.spec, width="stretch")
    if item.note:
        st.caption(item.note)
    stem = _safe(item.key)
    row = st.container(horizontal=True)
    about_panel(item.about, lang, row=row, series=item.about_series)
    row.download_button(t("download.png", lang), data=lambda: charts.to_png(item.spec), file_name=f"{stem}.png",
                       mime="image/png", key=f"dl_png_{stem}", on_click="ignore", icon=":material/image:")
    row.download_button(t("download.svg", lang), data=lambda: charts.to_svg(item.spec).encode("utf-8"), file_name=f"{stem}.svg",
                       mime="image/svg+xml", key=f"dl_svg_{stem}", on_click="ignore", icon=":material/image:")
    text_alternative(t("text_alternative", lang), item.table, lang, key=item.key)


def map_view(item: MapView, lang: str, *, ranking_beside: bool = False) -> None:
    st.subheader(item.title, anchor=False)
    if item.html is None:
        st.warning(t("map.unavailable", lang, reason=item.error or ""))
    else:
        st.iframe(item.html, height=MAP_HEIGHT, alt=item.alt)
    about_panel(item.about, lang)
    if not ranking_beside:
        text_alternative(t("text_alternative_map", lang), item.table, lang, key=item.key)


# A closed expander's content is still built, sent and mounted by the browser: the text alternative of every chart
# and map, and the Overview's official figures, are tables whose grid component (1.5 MB of script) the browser
# loaded and compiled on a page that shows no other table, for every visitor and while nobody had opened them.
FOLDED_PREFIX = "fold_"


def folded(label: str, *, key: str) -> DeltaGenerator | None:
    """An expander whose content is built only while it is open: the container to fill when open, None when
    closed. Opening or closing it reruns the page (its state is st.session_state[FOLDED_PREFIX + key], a new
    key — another indicator or year — starts closed)."""
    box = st.expander(label, key=f"{FOLDED_PREFIX}{_safe(key)}", on_change="rerun")
    return box if box.open else None


def text_alternative(label: str, item: Table, lang: str, *, key: str) -> None:
    """The table behind a chart or map (with its downloads), in a folded expander."""
    box = folded(label, key=key)
    if box is not None:
        with box:
            table(item, lang)


def about_panel(ids: Sequence[str], lang: str, *, row: DeltaGenerator | None = None, series: str | None = None) -> None:
    """"About this indicator" under a chart or map: definition, source and series, denominator, caveats, the change
    rule (osh.registry.method), and a link to the indicator's section of the methodology page. `series`: None is
    the page's series, '' none (an official figure)."""
    ids = [i for i in ids if has_method(i)]  # an indicator without a written methodology gets no empty panel
    if not ids:
        return
    where = row if row is not None else st
    chosen = st.session_state.get(state.SERIES_KEY) if series is None else series
    with where.popover(t("about.label", lang), icon=":material/info:"):
        for ind_id in ids:
            a = about(ind_id, lang)
            lines = [f"**{a.name}** ({a.unit})", "",
                     f"- **{t('about.definition', lang)}:** {a.definition}",
                     f"- **{t('about.source', lang)}:** {a.source}"]
            if chosen:
                lines.append(f"- **{t('about.series', lang)}:** {series_registry.label(chosen, lang)} — "
                             f"{series_registry.definition(chosen, lang) or ''}".rstrip(" —"))
            lines += [f"- **{t('about.denominator', lang)}:** {a.denominator or t('about.no_denominator', lang)}",
                      f"- **{t('about.caveats', lang)}:** {a.caveats}",
                      f"- **{t('about.change_rule', lang)}:** {a.change_rule}",
                      f"[{t('about.more', lang)} →]({methodology_link(ind_id, lang)})"]
            st.markdown("\n".join(lines))


# --- picking a region on the map ----------------------------------------------------------------------------------
# The map is a static Leaflet page in an iframe: it cannot call Streamlit. A click on a region posts
# {type: layers.choropleth.PICK_MESSAGE, kato} to this page; this invisible component (custom components v2 run in
# the page itself, not in an iframe) hears messages from the page's own iframes only and hands the code to Python
# as a one-run trigger value. The code is checked against the page's regions before it selects anything.
_PICK_JS = """
export default function (component) {
  const { setTriggerValue, data } = component;
  const handler = (event) => {
    const msg = event.data;
    if (!msg || msg.type !== data.kind || typeof msg.kato !== "string") { return; }
    const frames = Array.from(document.querySelectorAll("iframe"));
    if (!frames.some((f) => f.contentWindow === event.source)) { return; }
    setTriggerValue("region", msg.kato);
  };
  window.addEventListener("message", handler);
  return () => window.removeEventListener("message", handler);
}
"""
_pick_component = st.components.v2.component("enbek_map_pick", js=_PICK_JS)


def map_pick(*, key: str, on_pick: Callable[[str], None]) -> None:
    """Listen for clicks on the page's pickable maps; `on_pick(code)` runs (as a callback, before the rerun draws the
    widgets) with the KATO code of the region clicked."""
    from layers.choropleth import PICK_MESSAGE

    def _changed() -> None:
        result = st.session_state.get(key)
        code = result.get("region") if isinstance(result, Mapping) else getattr(result, "region", None)
        if isinstance(code, str) and code:
            on_pick(code)

    _pick_component(key=key, data={"kind": PICK_MESSAGE}, height=0, on_region_change=_changed)


# A link to 'methodology?lang=…&indicator=fatal_rate_1000' (the charts' "about" panels) opens a new page whose
# sections are drawn after the browser looked for an anchor (and Streamlit rewrites the address without its '#'):
# this invisible component scrolls to the section once it exists.
_SCROLL_JS = """
export default function (component) {
  const id = component.data && component.data.anchor;
  if (!id) { return; }
  let tries = 0;
  const timer = window.setInterval(() => {
    const target = document.getElementById(id);
    tries += 1;
    if (target) { target.scrollIntoView({block: "start"}); }
    if (target || tries > 40) { window.clearInterval(timer); }
  }, 250);
  return () => window.clearInterval(timer);
}
"""
_scroll_component = st.components.v2.component("enbek_scroll_to_anchor", js=_SCROLL_JS)


def scroll_to_anchor(anchor: str) -> None:
    """Scroll to the element with id `anchor` (a section another page links into) when the page has drawn it."""
    _scroll_component(key="enbek_scroll_to_anchor", data={"anchor": anchor}, height=0)
