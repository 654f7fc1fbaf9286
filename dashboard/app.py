"""Entry point of the Streamlit app (`streamlit run dashboard/app.py`): language, navigation, header, the chosen page."""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # `streamlit run` puts dashboard/ on the path, the packages live one level up
    sys.path.insert(0, str(ROOT))

import streamlit as st  # noqa: E402

from dashboard import assets, cache, login, navigation, state  # noqa: E402
from dashboard.i18n import t  # noqa: E402
from data import settings  # noqa: E402

st.set_page_config(page_title="Qauipsiz Enbek · OSH Barometer", page_icon="🦺", layout="wide")
assets.ensure_leaflet()

lang = state.current_lang()
mode = settings.mode()
# Official mode: dashboard.login decides who is logged in; public mode shows the barometer only.
user = login.current_user(lang=lang) if mode == "official" else None

specs = navigation.visible_pages(mode=mode, logged_in=user is not None, role=getattr(user, "role", None))
groups: dict[str, list[st.Page]] = {}
pages: list[st.Page] = []
for spec in specs:
    page = st.Page(str(navigation.script_path(spec)), title=t(spec.title_key, lang), url_path=spec.url_path,
                   icon=spec.icon or None)
    pages.append(page)
    groups.setdefault(t(spec.group_key, lang), []).append(page)


def _home() -> None:
    """The app root opens the first page under its own name: a default page is served at "/" only, so a link to
    /<its url_path>?lang=… (shared, bookmarked, printed) would open Streamlit's English "Page not found"."""
    st.switch_page(pages[0], query_params=dict(st.query_params.items()))


groups[next(iter(groups))].insert(0, st.Page(_home, title=t(specs[0].title_key, lang), url_path="home", default=True,
                                             visibility="hidden"))
# expanded: every page link stays visible (a collapsed list shows Streamlit's English "View N more" in kk/ru too)
current = st.navigation(groups, expanded=True)

st.sidebar.markdown(f"### {t('app.title', lang)}")
state.language_picker(lang)
if mode == "official":
    login.sidebar(lang=lang)

try:
    meta = cache.dataset_meta()
except cache.DataUnavailableError:  # every page says so too (dashboard.page.start); official pages still run
    meta = {}
if meta:
    st.sidebar.caption(t("sidebar.data_as_of", lang, date=meta.get("data_as_of", "–"), years=meta.get("years", "–")))
st.sidebar.caption(t("sidebar.mode", lang, mode=t(f"mode.{mode}", lang)))

current.run()
