"""The methodology page's open-data section: the bundle `enbek publish` wrote beside the public tables (Streamlit only).

The app itself serves the zip (a download button reading ENBEK_PUBLIC_DIR/opendata.zip); the single files under
opendata/ are served by the reverse proxy as static files (docs/deployment.md), hence a relative link.
"""

from __future__ import annotations

import re

import streamlit as st

from dashboard.i18n import t
from data import settings
from data.opendata import bundle_info


def section(lang: str) -> None:
    st.header(t("opendata.title", lang), anchor=False)
    st.markdown(t("opendata.text", lang))
    info = bundle_info(settings.get_path("ENBEK_PUBLIC_DIR"))
    if info is None:
        st.caption(t("opendata.missing", lang))
        return
    st.caption(t("opendata.version", lang, version=info.version, created=info.created))
    archive = info.archive
    st.download_button(t("opendata.download", lang), data=lambda: archive.read_bytes(), file_name=_file_name(info.version),
                       mime="application/zip", key="dl_opendata_zip", on_click="ignore", icon=":material/download:")
    st.markdown(t("opendata.files", lang))


def _file_name(version: str) -> str:
    """The download's name carries the version (only safe characters: it comes from a file)."""
    return f"qauipsiz-enbek-opendata-{re.sub(r'[^A-Za-z0-9._-]', '', version) or 'latest'}.zip"
