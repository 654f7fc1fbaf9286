"""Who may see which enterprises: a region scope passed to every enterprise-level query."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from geo.regions import region


class ScopeError(PermissionError):
    """An enterprise-level request reaches outside the user's regions."""


@dataclass(frozen=True)
class Scope:
    """`regions` None means the whole country (ministry); otherwise the allowed 2-digit region codes."""

    regions: frozenset[str] | None

    @classmethod
    def country(cls) -> Scope:
        return cls(None)

    @classmethod
    def of_regions(cls, codes: Iterable[str]) -> Scope:
        codes = frozenset(codes)
        if not codes:
            raise ScopeError("a regional scope needs at least one region code")
        for code in codes:
            region(code)  # raises UnknownRegionError for a bad code
        return cls(codes)

    @property
    def is_country(self) -> bool:
        return self.regions is None

    def allows(self, region_code: str) -> bool:
        return self.regions is None or region_code in self.regions

    def check(self, region_code: str) -> None:
        if not self.allows(region_code):
            raise ScopeError(f"region {region_code} is outside this user's scope")

    def narrow(self, requested: Iterable[str] | None) -> frozenset[str] | None:
        """The regions a query may read: the request intersected with the scope (None = all).
        Asking only for regions outside the scope is refused, not silently emptied."""
        if requested is None:
            return self.regions
        wanted = frozenset(requested)
        if self.regions is None:
            return wanted
        outside = wanted - self.regions
        if outside:
            raise ScopeError(f"regions {', '.join(sorted(outside))} are outside this user's scope")
        return wanted
