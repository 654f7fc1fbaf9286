"""What the barometer's pickers offer. Every fact about an indicator (kind, unit, decimals, direction, names)
lives in osh/registry.py; this module only chooses and orders indicators for the pages."""

from __future__ import annotations

from osh.registry import HEADLINE, INDICATORS, Indicator, indicator

__all__ = ["HEADLINE", "INDICATORS", "MAP_INDICATORS", "SECTOR_INDICATORS", "Indicator", "indicator"]

# What the pickers offer (the order is the order shown).
MAP_INDICATORS: tuple[str, ...] = (
    "injury_rate_1000", "fatal_rate_1000", "hidden_ratio", "disease_rate_100k", "harmful_share",
    "insured_share", "assessed_share", "osh_violation_share", "injured", "fatal", "disease_cases",
)
SECTOR_INDICATORS: tuple[str, ...] = (
    "injury_rate_1000", "fatal_rate_1000", "hidden_ratio", "disease_rate_100k", "harmful_share",
)
