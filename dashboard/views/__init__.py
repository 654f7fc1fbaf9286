"""View models of the barometer pages, one module per page: pure functions from the public tables and a frozen
selection to what the page shows. dashboard/cache.py calls them by reference (VIEWS), screens render them."""

from __future__ import annotations

from dashboard.views.common import (
    Card,
    Chart,
    EmptyDataError,
    MapEnv,
    MapView,
    Options,
    PublicTables,
    Table,
    is_demo,
    options,
    place_name,
    section_name,
    target_label,
)
from dashboard.views.diseases import DiseasesSelection, DiseasesView, diseases
from dashboard.views.gap import GapSelection, GapView, gap
from dashboard.views.international import InternationalSelection, InternationalView, international
from dashboard.views.methodology import MethodologySelection, MethodologyView, methodology
from dashboard.views.overview import OverviewSelection, OverviewView, overview
from dashboard.views.regions import RegionsSelection, RegionsView, regions
from dashboard.views.sectors import SectorsSelection, SectorsView, sectors
from dashboard.views.targets import TargetsSelection, TargetsView, targets

__all__ = [
    "Card",
    "Chart",
    "DiseasesSelection",
    "DiseasesView",
    "EmptyDataError",
    "GapSelection",
    "GapView",
    "InternationalSelection",
    "InternationalView",
    "MapEnv",
    "MapView",
    "MethodologySelection",
    "MethodologyView",
    "Options",
    "OverviewSelection",
    "OverviewView",
    "PublicTables",
    "RegionsSelection",
    "RegionsView",
    "SectorsSelection",
    "SectorsView",
    "Table",
    "TargetsSelection",
    "TargetsView",
    "diseases",
    "gap",
    "international",
    "is_demo",
    "methodology",
    "options",
    "overview",
    "place_name",
    "regions",
    "section_name",
    "sectors",
    "target_label",
    "targets",
]
