"""Join enterprises to regions: point-in-polygon checks, placement of enterprises without coordinates."""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd
import pyarrow as pa
import pyproj
import shapely

from geo.regions import REGION_CODES, RETIRED_CODES

LOCATED_KINDS = ("exact", "settlement", "region", "unplaced")
PROBLEMS = ("unknown_region", "outside_region", "near_border", "outside_kazakhstan")
REPORT_COLUMNS = ("bin", "kato", "lat", "lon", "problem", "declared_region", "point_region", "distance_km")
# The embedded layer is simplified (borders move up to ~3 km): a point this close outside its declared
# region is accepted as inside it, and listed in the report as 'near_border'.
DEFAULT_BORDER_TOLERANCE_KM = 3.0
_EQUAL_AREA = "+proj=aea +lat_0=48 +lon_0=68 +lat_1=44 +lat_2=52 +datum=WGS84 +units=m +no_defs"


class JoinError(ValueError):
    """The enterprises or the boundary layer cannot be joined (a column missing)."""


@dataclass(frozen=True)
class JoinResult:
    """located: one row per input row (bin, region, lat, lon, located, point_region), in input order.
    report: one row per problem (bin, kato, lat, lon, problem, declared_region, point_region, distance_km)."""

    located: pd.DataFrame
    report: pd.DataFrame

    def counts(self) -> dict[str, int]:
        """Rows by placement kind and report rows by problem (zeros included), for reconciliation."""
        out = {f"located_{k}": int((self.located["located"] == k).sum()) for k in LOCATED_KINDS}
        out.update({p: int((self.report["problem"] == p).sum()) for p in PROBLEMS})
        out["rows"] = len(self.located)
        return out


def _prepared(boundaries: gpd.GeoDataFrame) -> tuple[np.ndarray, np.ndarray]:
    if "kato" not in boundaries.columns:
        raise JoinError(f"the boundary layer needs a 'kato' column; it has {list(boundaries.columns)}")
    ordered = boundaries.sort_values("kato")
    codes = ordered["kato"].astype("str").to_numpy(dtype=object)
    geoms = np.array(ordered.geometry.to_numpy(), dtype=object)
    shapely.prepare(geoms)
    return codes, geoms


def point_regions(lon: np.ndarray, lat: np.ndarray, *, boundaries: gpd.GeoDataFrame) -> np.ndarray:
    """The KATO code of the polygon holding each point (object array, None outside every polygon or
    for a missing coordinate). Vectorised through an STRtree; a point on a shared border takes the
    polygon with the lowest code."""
    codes, geoms = _prepared(boundaries)
    return _point_regions(np.asarray(lon, dtype="float64"), np.asarray(lat, dtype="float64"), codes, geoms)


def _point_regions(lon: np.ndarray, lat: np.ndarray, codes: np.ndarray, geoms: np.ndarray) -> np.ndarray:
    pos = _point_positions(lon, lat, geoms)
    out = codes[np.maximum(pos, 0)].copy()
    out[pos < 0] = None
    return out


def _point_positions(lon: np.ndarray, lat: np.ndarray, geoms: np.ndarray) -> np.ndarray:
    """Index of the polygon holding each point, -1 outside every polygon or for a missing coordinate."""
    out = np.full(lon.shape[0], -1, dtype="int64")
    idx = np.flatnonzero(~(np.isnan(lon) | np.isnan(lat)))
    if idx.size == 0:
        return out
    tree = shapely.STRtree(geoms)
    pairs = tree.query(shapely.points(lon[idx], lat[idx]), predicate="intersects")
    point_pos, poly_pos = pairs[0], pairs[1]
    order = np.lexsort((poly_pos, point_pos))  # per point, the lowest polygon index (= lowest code)
    point_pos, poly_pos = point_pos[order], poly_pos[order]
    first = np.ones(point_pos.size, dtype=bool)
    first[1:] = point_pos[1:] != point_pos[:-1]
    out[idx[point_pos[first]]] = poly_pos[first]
    return out


def declared_regions(kato: pd.Series) -> pd.Series:
    """The current two-digit region of each KATO code (retired prefixes mapped); NA if unknown."""
    text = kato.astype("str").str.strip().str.replace(r"\.0$", "", regex=True)  # codes read as floats
    prefix = text.str[:2].replace(RETIRED_CODES)
    ok = text.str.fullmatch(r"\d{2}|\d{4}|\d{9}").fillna(False).astype(bool) & kato.notna() & prefix.isin(REGION_CODES)
    return prefix.where(ok)


def _declared_positions(kato: pd.Series, codes: np.ndarray) -> np.ndarray:
    """Position of each row's declared region in `codes` (-1: unknown). The few thousand distinct KATO
    codes are parsed once each, not once per enterprise."""
    inverse, uniques = pd.factorize(kato)
    index = {str(code): i for i, code in enumerate(codes)}
    regions = declared_regions(pd.Series(uniques))
    positions = np.array([-1 if pd.isna(r) else index.get(r, -1) for r in regions], dtype="int64")
    out: np.ndarray = np.where(inverse >= 0, positions[np.maximum(inverse, 0)], -1)
    return out


def _uniform_from_bins(bins: pd.Series) -> np.ndarray:
    """A deterministic number in [0, 1) per BIN (pandas' fixed-key hash, stable across runs)."""
    hashed = pd.util.hash_pandas_object(bins.astype("str"), index=False).to_numpy(dtype="uint64")
    return (hashed >> np.uint64(11)).astype("float64") / float(1 << 53)


def _settlement_points(
    region_pos: np.ndarray, codes: np.ndarray, bins: pd.Series, settlements: pd.DataFrame
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Pick a settlement of each row's region (a position in `codes`), weighted by population, from
    the BIN's hash. Returns lon, lat and whether the region had a settlement."""
    n = region_pos.size
    lon = np.full(n, np.nan)
    lat = np.full(n, np.nan)
    places = settlements[settlements["region"].isin(codes)].sort_values(
        ["region", "population", "name"], ascending=[True, False, True], kind="stable")
    if places.empty or n == 0:
        return lon, lat, np.zeros(n, dtype=bool)
    place_region = pd.Categorical(places["region"], categories=codes).codes.astype("int64")
    weight = np.maximum(places["population"].to_numpy(dtype="float64"), 1.0)
    totals = np.bincount(place_region, weights=weight, minlength=len(codes))
    # cumulative share within each region, offset by the region's position: region k spans (k, k+1]
    cum = np.cumsum(weight)
    start = np.r_[0.0, np.cumsum(totals)][place_region]
    keys = place_region + (cum - start) / totals[place_region]
    found = totals[region_pos] > 0
    target = region_pos[found] + _uniform_from_bins(bins[found])
    pos = np.minimum(np.searchsorted(keys, target, side="right"), len(keys) - 1)
    lon[found] = places["lon"].to_numpy(dtype="float64")[pos]
    lat[found] = places["lat"].to_numpy(dtype="float64")[pos]
    return lon, lat, found


def _labels(positions: np.ndarray, labels: np.ndarray) -> pd.Series:
    """Positions into `labels` as a str column (-1: missing), built in Arrow without a Python loop."""
    indices = pa.array(positions.astype("int32"), mask=positions < 0)
    dictionary = pa.array([str(v) for v in labels], type=pa.large_string())
    values = pa.DictionaryArray.from_arrays(indices, dictionary).cast(pa.large_string())
    return pd.Series(values, dtype=pd.StringDtype("pyarrow", na_value=np.nan))


def _distance_km(lon: np.ndarray, lat: np.ndarray, geoms: np.ndarray, which: np.ndarray) -> np.ndarray:
    """Distance in km from each point to geoms[which], in an equal-area projection (fine at this scale)."""
    transformer = pyproj.Transformer.from_crs("EPSG:4326", _EQUAL_AREA, always_xy=True)
    x, y = transformer.transform(lon, lat)
    projected = shapely.transform(geoms, lambda xy: np.column_stack(transformer.transform(xy[:, 0], xy[:, 1])))
    return np.asarray(shapely.distance(shapely.points(x, y), projected[which])) / 1000.0


def locate_enterprises(
    enterprises: pd.DataFrame,
    *,
    boundaries: gpd.GeoDataFrame,
    settlements: pd.DataFrame | None = None,
    border_tolerance_km: float = DEFAULT_BORDER_TOLERANCE_KM,
) -> JoinResult:
    """Place every enterprise (columns bin, kato, lat, lon; lat/lon may be missing) on the map.

    - coordinates inside the declared KATO region: located 'exact';
    - coordinates in another region: kept, located 'exact', reported 'outside_region' (or 'near_border'
      when within border_tolerance_km of the declared region, which then counts as point_region);
    - coordinates outside every polygon: reported 'outside_kazakhstan' and placed like a missing one;
    - no coordinates: a settlement of the declared region, chosen by the BIN's hash weighted by
      population ('settlement'), else the region's representative point ('region');
    - unknown region code: reported 'unknown_region'; its region is the polygon its coordinates fall
      in, if any ('exact'), else it stays unplaced ('unplaced', lat/lon missing).
    Counts reconcile: len(located) == len(enterprises)."""
    missing = {"bin", "kato", "lat", "lon"} - set(enterprises.columns)
    if missing:
        raise JoinError(f"enterprises lack column(s) {sorted(missing)}; expected bin, kato, lat, lon")
    codes, geoms = _prepared(boundaries)
    n = len(enterprises)
    frame = enterprises.reset_index(drop=True)
    bins = frame["bin"].astype("str")
    # region positions in `codes` (-1: unknown code or a region the layer lacks)
    declared = _declared_positions(frame["kato"], codes)
    lon = pd.to_numeric(frame["lon"], errors="coerce").to_numpy(dtype="float64", na_value=np.nan)
    lat = pd.to_numeric(frame["lat"], errors="coerce").to_numpy(dtype="float64", na_value=np.nan)
    has_xy = ~(np.isnan(lon) | np.isnan(lat))
    known = declared >= 0

    # fast path: each declared region's points against its own prepared polygon
    point = np.full(n, -1, dtype="int64")
    inside = np.zeros(n, dtype=bool)
    for i in range(len(codes)):
        rows = np.flatnonzero(has_xy & (declared == i))
        if rows.size:
            hit = rows[shapely.intersects_xy(geoms[i], lon[rows], lat[rows])]
            inside[hit] = True
            point[hit] = i
    # the rest (another region, outside Kazakhstan, unknown code) through the tree
    rest = np.flatnonzero(has_xy & ~inside)
    if rest.size:
        point[rest] = _point_positions(lon[rest], lat[rest], geoms)

    outside_all = has_xy & (point < 0)
    distance = np.full(n, np.nan)
    check = np.flatnonzero(has_xy & known & ~inside)
    if check.size:
        distance[check] = _distance_km(lon[check], lat[check], geoms, declared[check])
    near = has_xy & known & ~inside & (distance <= border_tolerance_km)
    flagged = {
        "unknown_region": ~known,
        "outside_region": has_xy & known & ~inside & (point >= 0) & ~near,
        "near_border": near,
        "outside_kazakhstan": outside_all & ~near,  # an unknown code may also be outside: two rows
    }
    report_index = np.concatenate([np.flatnonzero(flagged[p]) for p in PROBLEMS])
    rank = np.concatenate([np.full(int(flagged[p].sum()), k) for k, p in enumerate(PROBLEMS)])
    order = np.lexsort((rank, report_index))
    report_index, rank = report_index[order], rank[order]
    report = pd.DataFrame(
        {
            "bin": bins.take(report_index).reset_index(drop=True),
            "kato": frame["kato"].astype("str").take(report_index).reset_index(drop=True),
            "lat": lat[report_index],
            "lon": lon[report_index],
            "problem": _labels(rank, np.array(PROBLEMS, dtype=object)),
            "declared_region": _labels(declared[report_index], codes),
            "point_region": _labels(point[report_index], codes),
            "distance_km": distance[report_index],
        },
        columns=list(REPORT_COLUMNS),
    )

    # placement
    exact = has_xy & (~outside_all | near)
    point[near] = declared[near]
    region = np.where(known, declared, point)  # unknown code: the polygon it falls in
    located = np.full(n, LOCATED_KINDS.index("unplaced"), dtype="int64")
    located[exact] = LOCATED_KINDS.index("exact")
    out_lon = np.where(exact, lon, np.nan)
    out_lat = np.where(exact, lat, np.nan)
    rows = np.flatnonzero(~exact & known)
    if rows.size:
        table = settlements
        if table is None:
            from geo.gazetteer import settlements as gazetteer_settlements

            table = gazetteer_settlements()
        s_lon, s_lat, found = _settlement_points(declared[rows], codes, bins.iloc[rows], table)
        out_lon[rows[found]] = s_lon[found]
        out_lat[rows[found]] = s_lat[found]
        located[rows[found]] = LOCATED_KINDS.index("settlement")
        left = rows[~found]
        if left.size:
            reps = shapely.point_on_surface(geoms)
            out_lon[left] = shapely.get_x(reps)[declared[left]]
            out_lat[left] = shapely.get_y(reps)[declared[left]]
            located[left] = LOCATED_KINDS.index("region")
    result = pd.DataFrame(
        {
            "bin": bins,
            "region": _labels(region, codes),
            "lat": out_lat,
            "lon": out_lon,
            "located": _labels(located, np.array(LOCATED_KINDS, dtype=object)),
            "point_region": _labels(point, codes),
        }
    )
    return JoinResult(located=result, report=report)
