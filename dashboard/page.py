"""The top of every barometer page: language, series picker, the demo-data notice and the title (pages call start() first)."""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from dashboard import cache, state, views
from dashboard.i18n import t

# Printing a page: no sidebar, header or toolbar, the main column over the whole sheet, no download/link buttons,
# and a chart or map never split across two sheets.
PRINT_CSS = (
    "<style>@media print{"
    "[data-testid=stSidebar],[data-testid=stHeader],[data-testid=stToolbar],[data-testid=stDownloadButton],"
    "[data-testid=stPopover],[data-testid=stSidebarCollapsedControl]{display:none!important}"
    "[data-testid=stMain],[data-testid=stMainBlockContainer]{margin:0!important;padding:0 8mm!important;max-width:none!important}"
    "[data-testid=stVegaLiteChart],[data-testid=stIFrame],[data-testid=stMetric]{break-inside:avoid}"
    "}</style>"
)

# A page's name in the sidebar wraps onto a second line instead of ending in "…" (Streamlit cuts it to one line:
# "Нысаналы көрсеткіштер 2024…" in kk, "Профессиональные заболева…" in ru at 1440 px).
NAV_CSS = (
    "<style>[data-testid=stSidebarNavLink]{height:auto!important;min-height:2rem}"
    "[data-testid=stSidebarNavLink] span[label],[data-testid=stSidebarNavLink] [data-testid=stMarkdownContainer],"
    "[data-testid=stSidebarNavLink] p{white-space:normal!important;overflow:visible!important;"
    "text-overflow:clip!important;overflow-wrap:anywhere}</style>"
)


@dataclass(frozen=True)
class PageContext:
    lang: str
    series: str  # the one series every table, chart and card of the page shows (docs/series.md)
    options: views.Options


def start(title_key: str) -> PageContext:
    """Render the series picker (sidebar), the demo notice (when the data are demo data) and the page title."""
    lang = state.current_lang()
    try:
        meta = cache.dataset_meta()
        opts = cache.options()
    except (cache.DataUnavailableError, views.EmptyDataError) as exc:
        st.error(cache.unavailable_message(exc, lang))
        st.stop()
    cache.warm()  # the other pages' (and languages') first views are computed in the background meanwhile
    series = state.current_series(opts.series, opts.default_series)
    state.series_picker(lang, available=opts.series, chosen=series)
    st.html(PRINT_CSS + NAV_CSS)  # style blocks only: they take no room on the page
    if meta.get("dataset", "demo") == "demo":
        st.warning(t("demo.banner", lang), icon=":material/science:")
    st.title(t(title_key, lang), anchor=False)
    return PageContext(lang, series, opts)
