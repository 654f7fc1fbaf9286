"""The widgets of the official pages: each reads what the user chose into a small frozen selection object."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import streamlit as st

from dashboard.i18n import t
from dashboard.official_views import AGGREGATE_BY, ORDERS, PLAN_LIMITS, MapSelection, PlanSelection, region_options
from data.scope import Scope
from geo.regions import region_name
from layers import deck


def _yes_no_all(label: str, *, key: str, lang: str, column: Any) -> bool | None:
    choice = column.selectbox(label, ("all", "yes", "no"), format_func=lambda v: t(f"emap.choice.{v}", lang), key=key)
    return None if choice == "all" else choice == "yes"


def _assessment(label: str, *, key: str, lang: str, column: Any) -> tuple[bool | None, bool | None]:
    """(assessed, self_assessed): all / accredited assessment / the employer's self-assessment only / none
    accredited. A self-assessment is not an accredited one, so "self" is a subset of "no"."""
    choice = column.selectbox(label, ("all", "yes", "self", "no"), format_func=lambda v: t(f"emap.choice.{v}", lang),
                              key=key)
    return {"all": (None, None), "yes": (True, None), "self": (None, True), "no": (False, None)}[choice]


def region_select(column: Any, *, lang: str, scope: Scope, key: str) -> str | None:
    """A region choice limited to the user's scope ("all" only for the ministry or a multi-region akimat)."""
    everything = t("emap.choice.all", lang)
    return column.selectbox(t("emap.filter.region", lang), region_options(scope), key=key,
                            format_func=lambda v: everything if v is None else region_name(v, lang))


def filter_widgets(*, lang: str, scope: Scope, years: list[int], key_prefix: str) -> dict[str, Any]:
    """Region, OKED section, size, degree, assessed (or self-assessed), insured, year: the MapSelection filter
    fields."""
    from data.codes import SECTION_CODES, SIZE_CLASSES
    from osh.risk import DEGREES

    everything = t("emap.choice.all", lang)
    c = st.columns([3, 1, 1, 1, 1, 1, 1])  # the region's name is the longest label: it gets room, never cut
    region = region_select(c[0], lang=lang, scope=scope, key=f"{key_prefix}_region")
    section = c[1].selectbox(t("emap.filter.section", lang), [None, *SECTION_CODES], key=f"{key_prefix}_section",
                             format_func=lambda v: everything if v is None else v)
    size = c[2].selectbox(t("emap.filter.size", lang), [None, *SIZE_CLASSES], key=f"{key_prefix}_size",
                          format_func=lambda v: everything if v is None else t(f"emap.size.{v}", lang))
    degree = c[3].selectbox(t("emap.filter.degree", lang), [None, *DEGREES], key=f"{key_prefix}_degree",
                            format_func=lambda v: everything if v is None else t(f"emap.class.degree.{v}", lang))
    assessed, self_assessed = _assessment(t("emap.filter.assessed", lang), key=f"{key_prefix}_assessed", lang=lang,
                                          column=c[4])
    insured = _yes_no_all(t("emap.filter.insured", lang), key=f"{key_prefix}_insured", lang=lang, column=c[5])
    year = c[6].selectbox(t("emap.filter.year", lang), years, key=f"{key_prefix}_year")
    stored = years[0] if years else None
    return {"region": region, "section": section, "size_class": size, "degree": degree, "assessed": assessed,
            "self_assessed": self_assessed, "insured": insured, "year": None if year == stored else year}


def map_selection(*, lang: str, scope: Scope, years: list[int], is_points: Callable[[MapSelection], bool]) -> MapSelection:
    """The map page's controls (layer, measure, aggregation) and filters as one MapSelection. The measure and
    the aggregation choice are hidden when the filters leave few enough enterprises to draw as points (they
    would do nothing); inside a region the aggregation offers settlements instead of regions."""
    c1, c2, c3 = st.columns([2, 2, 1])  # drawn first, filled once the filters are known
    filters = filter_widgets(lang=lang, scope=scope, years=years, key_prefix="map")
    layer = c1.selectbox(t("emap.widget.layer", lang), deck.THEMES, format_func=lambda v: t(f"emap.layer.{v}", lang),
                         key="map_layer")
    if is_points(MapSelection(layer=layer, **filters)):
        return MapSelection(layer=layer, **filters)
    in_region = filters["region"] is not None
    # Settlement clusters are coloured by the degree mix: offered for the degree layer only, and then the measure
    # (which they do not use) is hidden.
    options = AGGREGATE_BY if not in_region or layer == "degree" else ("hex",)

    def label(v: str) -> str:
        return t("plan.aggregate.settlements", lang) if v == "regions" and in_region else t(f"emap.aggregate_by.{v}", lang)

    aggregate_by = c3.radio(t("emap.widget.aggregate_by", lang), options, format_func=label, key="map_aggregate_by")
    measure = "share_high"
    if layer == "degree" and not (in_region and aggregate_by == "regions"):
        measure = c2.selectbox(t("emap.widget.measure", lang), deck.MEASURES,
                               format_func=lambda v: t(f"emap.measure.{v}", lang), key="map_measure")
    return MapSelection(layer=layer, measure=measure, aggregate_by=aggregate_by, **filters)


def plan_selection(*, lang: str, scope: Scope) -> PlanSelection:
    """The plan page's filters and ordering as one PlanSelection."""
    from data.codes import SECTION_CODES, SIZE_CLASSES
    from osh.risk import DEGREES

    everything = t("emap.choice.all", lang)
    c = st.columns([3, 2, 1])
    region = region_select(c[0], lang=lang, scope=scope, key="list_region")
    order = c[1].selectbox(t("plan.order.label", lang), ORDERS, format_func=lambda v: t(f"plan.order.{v}", lang),
                           key="plan_order")
    limit = c[2].selectbox(t("plan.filter.limit", lang), PLAN_LIMITS, index=1, key="list_limit")
    f = st.columns(5)
    section = f[0].selectbox(t("emap.filter.section", lang), [None, *SECTION_CODES], key="plan_section",
                             format_func=lambda v: everything if v is None else v)
    size = f[1].selectbox(t("emap.filter.size", lang), [None, *SIZE_CLASSES], key="plan_size",
                          format_func=lambda v: everything if v is None else t(f"emap.size.{v}", lang))
    degree = f[2].selectbox(t("emap.filter.degree", lang), [None, *DEGREES], key="plan_degree",
                            format_func=lambda v: everything if v is None else t(f"emap.class.degree.{v}", lang))
    years = f[3].selectbox(t("plan.filter.not_inspected", lang), [None, 1, 2, 3, 5], key="plan_not_inspected",
                           format_func=lambda v: t("plan.filter.any", lang) if v is None else str(v))
    assessed, self_assessed = _assessment(t("emap.filter.assessed", lang), key="plan_assessed", lang=lang,
                                          column=f[4])
    return PlanSelection(region=region, order=order, section=section, size_class=size, degree=degree,
                         assessed=assessed, self_assessed=self_assessed, not_inspected_years=years, limit=int(limit))
