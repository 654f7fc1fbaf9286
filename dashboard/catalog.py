"""The barometer's indicators: column, unit, decimals, direction; and value formatting per language."""

from __future__ import annotations

from dataclasses import dataclass

from dashboard.i18n import fmt_number, fmt_percent, t


@dataclass(frozen=True)
class Indicator:
    id: str  # the column in PublicData.indicators
    unit: str  # key suffix of "unit.*"
    decimals: int
    kind: str  # "count" | "rate" | "share" | "ratio"
    worse_when_higher: bool | None  # None: neither (e.g. counts of people covered)
    ci: tuple[str, str] | None = None

    def label(self, lang: str) -> str:
        return t(f"ind.{self.id}", lang)

    def unit_text(self, lang: str) -> str:
        return t(f"unit.{self.unit}", lang)

    def fmt(self, value: object, lang: str) -> str:
        if self.kind == "share":
            return fmt_percent(value, lang, decimals=self.decimals)
        text = fmt_number(value, lang, decimals=self.decimals)
        return f"{text}:1" if self.kind == "ratio" and text != "–" else text

    def scale(self) -> float:
        """Factor from the stored value to the shown one (shares are stored 0..1, shown in %)."""
        return 100.0 if self.kind == "share" else 1.0

    def d3_format(self) -> str:
        return f",.{self.decimals}f"


INDICATORS: dict[str, Indicator] = {
    i.id: i
    for i in (
        Indicator("injury_rate_1000", "per_1000", 2, "rate", True, ("injury_rate_1000_lo", "injury_rate_1000_hi")),
        Indicator("fatal_rate_1000", "per_1000", 3, "rate", True, ("fatal_rate_1000_lo", "fatal_rate_1000_hi")),
        Indicator("hidden_ratio", "ratio", 1, "ratio", False),
        Indicator("disease_rate_100k", "per_100k", 1, "rate", True),
        Indicator("harmful_share", "percent_workers", 1, "share", True),
        Indicator("insured_share", "percent_enterprises", 1, "share", False),
        Indicator("assessed_share", "percent_enterprises", 1, "share", False),
        Indicator("osh_violation_share", "percent_violations", 1, "share", True),
        Indicator("injured", "persons", 0, "count", True),
        Indicator("fatal", "persons", 0, "count", True),
        Indicator("disease_cases", "cases", 0, "count", True),
        Indicator("harmful_workers", "persons", 0, "count", True),
        Indicator("workers", "persons", 0, "count", None),
    )
}

# What the pickers offer (the order is the order shown).
MAP_INDICATORS: tuple[str, ...] = (
    "injury_rate_1000", "fatal_rate_1000", "hidden_ratio", "disease_rate_100k", "harmful_share",
    "insured_share", "assessed_share", "osh_violation_share", "injured", "fatal", "disease_cases",
)
SECTOR_INDICATORS: tuple[str, ...] = (
    "injury_rate_1000", "fatal_rate_1000", "hidden_ratio", "disease_rate_100k", "harmful_share",
)
HEADLINE: tuple[str, ...] = (
    "injured", "fatal", "injury_rate_1000", "fatal_rate_1000", "hidden_ratio", "disease_cases", "insured_share",
)


def indicator(indicator_id: str) -> Indicator:
    try:
        return INDICATORS[indicator_id]
    except KeyError:
        raise KeyError(f"unknown indicator {indicator_id!r}; known: {', '.join(INDICATORS)}") from None
