"""View-model tests run on the hand-built two-series fixture (tests/app/public_fixture.py) without Streamlit."""

from __future__ import annotations

import pytest

from dashboard.views.common import MapEnv
from tests.app.public_fixture import make_public_data


@pytest.fixture(scope="session")
def data():
    return make_public_data()


@pytest.fixture(scope="session")
def env() -> MapEnv:
    # no boundaries: the maps say why they are missing and the ranking tables are still built
    return MapEnv({}, {}, "leaflet.js", "leaflet.css", "attribution", error="no boundaries in this test")
