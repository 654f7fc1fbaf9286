"""The 20 first-level units of Kazakhstan (KATO / ISO 3166-2:KZ numeric codes), their names and lineage."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    import pandas as pd

Basis = Literal["current", "harmonised"]

# June 2022: three regions were split off. Data before the split uses the parent's code for the
# whole old territory, so a harmonised series merges each child back into its parent.
SPLIT_YEAR = 2022
SPLITS: dict[str, str] = {"10": "63", "33": "19", "62": "35"}  # child -> parent
# South Kazakhstan (51) became Turkistan (61) in 2018, when Shymkent (79) was separated from it.
# Older codes with prefix 51 are mapped to Turkistan, the larger successor; see docs/boundaries.md.
RETIRED_CODES: dict[str, str] = {"51": "61"}


@dataclass(frozen=True)
class Region:
    code: str  # two-digit KATO prefix = ISO 3166-2:KZ numeric code
    kk: str
    ru: str
    en: str
    kind: Literal["oblast", "city"]
    parent: str | None = None  # the region it was split from in 2022

    def name(self, lang: str) -> str:
        return {"kk": self.kk, "ru": self.ru, "en": self.en}[lang]

    @property
    def iso(self) -> str:
        return f"KZ-{self.code}"


REGIONS: tuple[Region, ...] = (
    Region("10", "Абай облысы", "область Абай", "Abai Region", "oblast", parent="63"),
    Region("11", "Ақмола облысы", "Акмолинская область", "Akmola Region", "oblast"),
    Region("15", "Ақтөбе облысы", "Актюбинская область", "Aktobe Region", "oblast"),
    Region("19", "Алматы облысы", "Алматинская область", "Almaty Region", "oblast"),
    Region("23", "Атырау облысы", "Атырауская область", "Atyrau Region", "oblast"),
    Region("27", "Батыс Қазақстан облысы", "Западно-Казахстанская область", "West Kazakhstan Region", "oblast"),
    Region("31", "Жамбыл облысы", "Жамбылская область", "Zhambyl Region", "oblast"),
    Region("33", "Жетісу облысы", "область Жетісу", "Zhetisu Region", "oblast", parent="19"),
    Region("35", "Қарағанды облысы", "Карагандинская область", "Karaganda Region", "oblast"),
    Region("39", "Қостанай облысы", "Костанайская область", "Kostanay Region", "oblast"),
    Region("43", "Қызылорда облысы", "Кызылординская область", "Kyzylorda Region", "oblast"),
    Region("47", "Маңғыстау облысы", "Мангистауская область", "Mangystau Region", "oblast"),
    Region("55", "Павлодар облысы", "Павлодарская область", "Pavlodar Region", "oblast"),
    Region("59", "Солтүстік Қазақстан облысы", "Северо-Казахстанская область", "North Kazakhstan Region", "oblast"),
    Region("61", "Түркістан облысы", "Туркестанская область", "Turkistan Region", "oblast"),
    Region("62", "Ұлытау облысы", "область Ұлытау", "Ulytau Region", "oblast", parent="35"),
    Region("63", "Шығыс Қазақстан облысы", "Восточно-Казахстанская область", "East Kazakhstan Region", "oblast"),
    Region("71", "Астана қаласы", "город Астана", "Astana (city)", "city"),
    Region("75", "Алматы қаласы", "город Алматы", "Almaty (city)", "city"),
    Region("79", "Шымкент қаласы", "город Шымкент", "Shymkent (city)", "city"),
)

REGION_CODES: tuple[str, ...] = tuple(r.code for r in REGIONS)
_BY_CODE = {r.code: r for r in REGIONS}


class UnknownRegionError(KeyError):
    """A code that is not one of the 20 current regions (nor a mapped retired code)."""

    def __str__(self) -> str:  # KeyError quotes its argument; show the message as written
        return str(self.args[0])


def region(code: str) -> Region:
    try:
        return _BY_CODE[code]
    except KeyError:
        raise UnknownRegionError(
            f"unknown region code {code!r}; expected one of {', '.join(REGION_CODES)}"
        ) from None


def region_name(code: str, lang: str) -> str:
    return region(code).name(lang)


def region_of_kato(kato: str) -> str:
    """The current two-digit region code of a KATO code (retired prefixes mapped)."""
    prefix = str(kato)[:2]
    prefix = RETIRED_CODES.get(prefix, prefix)
    region(prefix)  # raises for an unknown prefix
    return prefix


def harmonised_code(code: str) -> str:
    """The pre-2022 region that holds this current region (children merged into parents)."""
    return SPLITS.get(code, code)


def harmonised_codes() -> tuple[str, ...]:
    """The 17 units of the harmonised (pre-June-2022) basis."""
    return tuple(c for c in REGION_CODES if c not in SPLITS)


def children(code: str) -> tuple[str, ...]:
    return tuple(child for child, parent in SPLITS.items() if parent == code)


def basis_code(code: str, *, basis: Basis) -> str:
    """Map a region code onto the requested basis."""
    if basis == "current":
        return region_of_kato(code)
    if basis == "harmonised":
        return harmonised_code(region_of_kato(code))
    raise ValueError(f"basis must be 'current' or 'harmonised', got {basis!r}")


def codes_for_basis(basis: Basis) -> tuple[str, ...]:
    return REGION_CODES if basis == "current" else harmonised_codes()


def comparable_on_current_basis(codes_present: Iterable[str]) -> bool:
    """A year's data can be shown on the current basis only if it does not use a pre-split parent
    for territory that now belongs to a child, i.e. if every child region reports its own figures."""
    present = set(codes_present)
    return all(child in present for child in SPLITS)


def aggregate_to_basis(
    frame: pd.DataFrame,
    *,
    basis: Basis,
    values: Sequence[str],
    region_column: str = "region",
    year_column: str = "year",
) -> pd.DataFrame:
    """Sum additive columns (counts, employees) of a (year, region) series onto a basis.

    harmonised: the 17 pre-2022 units; a 2022 region's figures are added to its parent's.
    current: the 20 regions, but for a year in which a 2022 region does not report its own figures
    (its territory is inside the parent's figure) the parent's values are NaN: that figure covers
    more than the parent's current territory. Other regions keep their values.
    Returns columns year, region, *values, sorted by year and region."""
    import numpy as np

    codes = frame[region_column].astype("str").map(lambda c: basis_code(c, basis=basis))
    summed = (
        frame.assign(**{region_column: codes})
        .groupby([year_column, region_column], as_index=False, sort=True)[list(values)]
        .sum(min_count=1)
    )
    if basis == "current":
        for year, regions_of_year in frame.groupby(year_column)[region_column]:
            have = set(regions_of_year.astype("str").str[:2])
            blocked = [parent for child, parent in SPLITS.items() if child not in have]
            mask = (summed[year_column] == year) & summed[region_column].isin(blocked)
            summed.loc[mask, list(values)] = np.nan
    summed = summed.rename(columns={region_column: "region", year_column: "year"})
    return summed.reset_index(drop=True)
