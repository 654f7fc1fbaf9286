"""Load and check region (and optional district) boundary layers keyed by KATO code; areas; harmonised layer."""

from __future__ import annotations

import warnings
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio.errors
import shapely

from geo.regions import REGION_CODES, harmonised_code, harmonised_codes, region

# Every map drawn from the embedded layer must show this line (amCharts' linkware licence).
ATTRIBUTION = "Boundaries: amCharts (amcharts.com), simplified"
EMBEDDED_DIR = Path(__file__).resolve().parent / "boundaries"
EMBEDDED_LAYER = EMBEDDED_DIR / "kz_regions.geojson"
EMBEDDED_LICENSE = EMBEDDED_DIR / "LICENSE"
EMBEDDED_METRICS = EMBEDDED_DIR / "kz_regions.metrics.json"

# Kazakhstan Albers equal-area conic (standard parallels spanning the country) for areas and distances.
EQUAL_AREA_CRS = "+proj=aea +lat_0=48 +lon_0=68 +lat_1=44 +lat_2=52 +x_0=0 +y_0=0 +datum=WGS84 +units=m +no_defs"

# Column names that may hold the code, in order of preference (case-insensitive); others are tried last.
_CODE_COLUMN_NAMES = ("kato", "kato_code", "kato_id", "code", "region_code", "id", "iso", "iso_code",
                      "iso3166_2", "iso_3166_2", "shapeiso", "adm1_pcode", "adm2_pcode")
_NAME_COLUMNS = ("name_kk", "name_ru", "name_en")


class BoundaryError(ValueError):
    """A boundary file cannot be used; the message names the file and what to fix."""


class BoundaryWarning(UserWarning):
    """A boundary file was usable after a repair (e.g. an invalid polygon made valid)."""


def _normalise_codes(values: pd.Series, *, digits: int) -> pd.Series:
    """Codes such as 10, "10", "KZ-10", "KZ10", "101010000" as a `digits`-long KATO prefix; NA if not a code."""
    text = values.astype("str").str.strip().str.upper()
    text = text.str.replace(r"^KZ[-_ ]?", "", regex=True).str.replace(r"\.0$", "", regex=True)
    is_code = text.str.fullmatch(rf"\d{{{digits}}}|\d{{9}}") & values.notna()
    return text.str[:digits].where(is_code.fillna(False).astype(bool))


def _find_code_column(frame: pd.DataFrame, *, digits: int, path: Path) -> str:
    columns = [c for c in frame.columns if c != frame.geometry.name]
    by_lower = {str(c).lower(): c for c in columns}
    preferred = [by_lower[n] for n in _CODE_COLUMN_NAMES if n in by_lower]
    others = [c for c in columns if c not in preferred]
    for column in preferred + others:
        codes = _normalise_codes(frame[column], digits=digits)
        known = codes.str[:2].isin(REGION_CODES)
        # the column holds codes if most of its values read as codes with a known region prefix
        if len(frame) and known.sum() >= max(1, len(frame) // 2):
            return str(column)
    example = "'10'..'79', 'KZ-10' or 9-digit KATO codes" if digits == 2 else "4-digit KATO prefixes or 9-digit KATO codes"
    raise BoundaryError(
        f"{path}: no KATO code column found among {[str(c) for c in columns]}; "
        f"expected a column named kato, code, id or iso holding {example}"
    )


def _read(path: Path) -> gpd.GeoDataFrame:
    if not path.exists():
        raise BoundaryError(f"boundary file {path} does not exist (set ENBEK_BOUNDARIES to an existing file)")
    try:
        frame = gpd.read_file(path)
    except (pyogrio.errors.DataSourceError, pyogrio.errors.DataLayerError, pyogrio.errors.FieldError,
            pyogrio.errors.GeometryError, pyogrio.errors.CRSError) as exc:
        raise BoundaryError(f"{path}: not a readable vector file ({exc})") from exc
    if frame.crs is None:
        raise BoundaryError(
            f"{path}: the file has no coordinate reference system; add one (e.g. a .prj beside a Shapefile, "
            "or save as GeoPackage with EPSG:4326) so coordinates can be converted to EPSG:4326"
        )
    if not frame.crs.equals("EPSG:4326"):
        frame = frame.to_crs("EPSG:4326")
    return frame


def _repair(codes: pd.Series, geoms: np.ndarray, *, path: Path, repair: bool) -> tuple[np.ndarray, list[str]]:
    """Make invalid geometries valid (keeping their polygonal part) or reject them, naming the code."""
    problems: list[str] = []
    geoms = np.array(geoms, dtype=object)
    missing = shapely.is_missing(geoms)
    empty = missing.copy()
    empty[~missing] = shapely.is_empty(geoms[~missing])
    for code in codes[empty]:
        problems.append(f"code {code}: empty or missing geometry")
    geoms[empty] = None
    invalid = ~empty & ~shapely.is_valid(geoms)
    repaired: list[str] = []
    if invalid.any():
        if not repair:
            for code, geom in zip(codes[invalid], geoms[invalid], strict=True):
                problems.append(f"code {code}: invalid geometry ({shapely.is_valid_reason(geom)})")
        else:
            fixed = shapely.make_valid(geoms[invalid])
            # make_valid may return a collection with stray lines/points: keep the polygons
            polygonal = np.array([_polygonal_part(g) for g in fixed], dtype=object)
            for code, geom in zip(codes[invalid], polygonal, strict=True):
                if geom is None or geom.is_empty:
                    problems.append(f"code {code}: invalid geometry that has no area once repaired")
                else:
                    repaired.append(str(code))
            geoms[invalid] = polygonal
    kinds = shapely.get_type_id(geoms)
    not_polygonal = ~empty & ~np.isin(kinds, (3, 6))
    for code in codes[not_polygonal]:
        problems.append(f"code {code}: not a polygon")
    if problems:
        raise BoundaryError(f"{path}: " + "; ".join(problems))
    return geoms, repaired


def _polygonal_part(geom: shapely.Geometry) -> shapely.Geometry | None:
    if geom is None or geom.is_empty:
        return None
    if geom.geom_type in ("Polygon", "MultiPolygon"):
        return geom
    parts = [g for g in getattr(geom, "geoms", []) if g.geom_type in ("Polygon", "MultiPolygon")]
    return shapely.union_all(parts) if parts else None


def _default_path() -> Path:
    from data import settings

    return settings.boundaries_path()


def load_boundaries(path: Path | None = None, *, repair: bool = True) -> gpd.GeoDataFrame:
    """The 20 region polygons: columns kato ("10".."79"), name_kk, name_ru, name_en, geometry (EPSG:4326),
    sorted by code. `path` defaults to the ENBEK_BOUNDARIES setting. Any OGR-readable file with a KATO
    code column works. Invalid polygons are made valid (a BoundaryWarning names them) or, with
    repair=False, rejected. Raises BoundaryError naming the file and every missing, unknown and
    duplicate code."""
    path = Path(path) if path is not None else _default_path()
    frame = _read(path)
    column = _find_code_column(frame, digits=2, path=path)
    raw = frame[column]
    codes = _normalise_codes(raw, digits=2)
    unknown = sorted({str(v) for v, c in zip(raw, codes, strict=True) if pd.isna(c) or c not in REGION_CODES})
    valid_codes = codes[codes.isin(REGION_CODES)]
    counts = valid_codes.value_counts()
    duplicate = sorted(counts[counts > 1].index)
    missing = sorted(set(REGION_CODES) - set(valid_codes))
    if unknown or duplicate or missing:
        parts = []
        if missing:
            parts.append(f"missing codes {', '.join(missing)}")
        if unknown:
            parts.append(f"unknown codes {', '.join(unknown)}")
        if duplicate:
            parts.append(f"duplicate codes {', '.join(duplicate)}")
        raise BoundaryError(
            f"{path} (code column {column!r}): " + "; ".join(parts)
            + f". A region layer needs each of the 20 codes {', '.join(REGION_CODES)} exactly once."
        )
    geoms, repaired = _repair(codes.reset_index(drop=True), frame.geometry.to_numpy(), path=path, repair=repair)
    if repaired:
        warnings.warn(f"{path}: repaired invalid geometry of code(s) {', '.join(repaired)}", BoundaryWarning,
                      stacklevel=2)
    names = {c: region(c) for c in REGION_CODES}
    out = gpd.GeoDataFrame(
        {
            "kato": codes.to_numpy(dtype=object),
            "name_kk": [names[c].kk for c in codes],
            "name_ru": [names[c].ru for c in codes],
            "name_en": [names[c].en for c in codes],
        },
        geometry=gpd.GeoSeries(geoms, crs="EPSG:4326"),
        crs="EPSG:4326",
    )
    out["kato"] = out["kato"].astype("str")
    out = out.sort_values("kato", ignore_index=True)
    out.attrs.update({"source": str(path), "code_column": column, "repaired": repaired})
    return out


DISTRICT_NAME_COLUMNS: tuple[str, ...] = ("name_kk", "name_ru", "name_en")


def _district_codes(values: pd.Series) -> pd.Series:
    """District codes written as 4, 6 or 9 KATO digits ("3510", "351000", "351010000", also "KZ-3510") as the
    4-digit district prefix (region digits 1-2, district digits 3-4); NA if not such a code."""
    text = values.astype("str").str.strip().str.upper()
    text = text.str.replace(r"^KZ[-_ ]?", "", regex=True).str.replace(r"\.0$", "", regex=True)
    is_code = text.str.fullmatch(r"\d{4}|\d{6}|\d{9}") & values.notna()
    return text.str[:4].where(is_code.fillna(False).astype(bool))


def _district_code_column(frame: pd.DataFrame, *, path: Path) -> str:
    columns = [c for c in frame.columns if c != frame.geometry.name]
    by_lower = {str(c).lower(): c for c in columns}
    preferred = [by_lower[n] for n in _CODE_COLUMN_NAMES if n in by_lower]
    for column in preferred + [c for c in columns if c not in preferred]:
        codes = _district_codes(frame[column])
        if len(frame) and codes.str[:2].isin(REGION_CODES).sum() >= max(1, len(frame) // 2):
            return str(column)
    raise BoundaryError(
        f"{path}: no district code column found among {[str(c) for c in columns]}; expected a column named kato or "
        "code holding KATO district codes of 4, 6 or 9 digits (e.g. 3510, 351000 or 351010000)"
    )


def load_district_boundaries(path: Path | None = None, *, repair: bool = True) -> gpd.GeoDataFrame | None:
    """Optional district polygons (ENBEK_DISTRICT_BOUNDARIES): columns kato (the 4-digit district prefix), region,
    name_kk, name_ru, name_en, geometry (EPSG:4326), by code; None when no file is configured. The file needs a
    KATO code column (4, 6 or 9 digits, known region prefix, one feature per district) and the district's name in
    each language (columns name_kk, name_ru, name_en, any case). Raises BoundaryError naming the file, and the
    feature (1-based, in file order) and column of every bad value."""
    if path is None:
        from data import settings

        if not settings.get("ENBEK_DISTRICT_BOUNDARIES"):
            return None
        path = settings.get_path("ENBEK_DISTRICT_BOUNDARIES")
    path = Path(path)
    if not path.exists():
        raise BoundaryError(f"district file {path} does not exist (ENBEK_DISTRICT_BOUNDARIES; leave it empty to go "
                            "without districts)")
    frame = _read(path).reset_index(drop=True)
    column = _district_code_column(frame, path=path)
    by_lower = {str(c).lower(): c for c in frame.columns if c != frame.geometry.name}
    missing = [n for n in DISTRICT_NAME_COLUMNS if n not in by_lower]
    if missing:
        raise BoundaryError(f"{path}: no column {', '.join(missing)}; a district file needs the district's name in "
                            f"each language: columns {', '.join(DISTRICT_NAME_COLUMNS)}")
    raw = frame[column]
    codes = _district_codes(raw)
    problems: list[str] = []
    for bad in np.flatnonzero((codes.isna() | ~codes.str[:2].isin(REGION_CODES)).to_numpy()):
        problems.append(f"feature {bad + 1}: {column} {str(raw.iloc[bad])!r} is not a KATO district code of a known "
                        "region")
    first_of: dict[str, int] = {}
    for row, code in enumerate(codes):
        if isinstance(code, str) and code[:2] in REGION_CODES:
            if code in first_of:
                problems.append(f"feature {row + 1}: district {code} again (first at feature {first_of[code]})")
            else:
                first_of[code] = row + 1
    names = {n: frame[by_lower[n]] for n in DISTRICT_NAME_COLUMNS}
    for n, values in names.items():
        text = values.astype("string").str.strip()
        for empty in np.flatnonzero(text.isna().to_numpy() | text.eq("").fillna(True).to_numpy()):
            problems.append(f"feature {empty + 1} (code {codes.iloc[empty]}): empty {by_lower[n]}")
    if problems:
        raise BoundaryError(f"{path} (code column {column!r}): " + "; ".join(problems))
    geoms, repaired = _repair(codes, frame.geometry.to_numpy(), path=path, repair=repair)
    if repaired:
        warnings.warn(f"{path}: repaired invalid geometry of code(s) {', '.join(repaired)}", BoundaryWarning,
                      stacklevel=2)
    out = gpd.GeoDataFrame(
        {"kato": codes.to_numpy(dtype=object), "region": codes.str[:2].to_numpy(dtype=object),
         **{n: values.astype(str).str.strip().to_numpy(dtype=object) for n, values in names.items()}},
        geometry=gpd.GeoSeries(geoms, crs="EPSG:4326"),
        crs="EPSG:4326",
    )
    out = out.astype({"kato": "str", "region": "str"}).sort_values("kato", ignore_index=True)
    out.attrs.update({"source": str(path), "code_column": column, "repaired": repaired})
    return out


def district_names(districts: gpd.GeoDataFrame | None) -> dict[str, dict[str, str]]:
    """{4-digit district code: {kk, ru, en: name}} of a loaded district file; {} without one."""
    if districts is None:
        return {}
    return {str(row.kato): {"kk": str(row.name_kk), "ru": str(row.name_ru), "en": str(row.name_en)}
            for row in districts.itertuples(index=False)}


def region_areas_km2(gdf: gpd.GeoDataFrame) -> pd.Series:
    """Area of each polygon in km² in an equal-area projection (Kazakhstan Albers), indexed by kato."""
    projected = gdf.geometry.to_crs(EQUAL_AREA_CRS)
    return pd.Series(projected.area.to_numpy() / 1e6, index=pd.Index(gdf["kato"], name="kato"), name="area_km2")


def harmonised_boundaries(gdf: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """The 17 units of the harmonised (pre-June-2022) basis: each 2022 region dissolved into its parent.
    Columns kato, name_kk, name_ru, name_en, geometry."""
    parents = gdf["kato"].map(harmonised_code)
    groups: dict[str, list[shapely.Geometry]] = {}
    for code, geom in zip(parents, gdf.geometry, strict=True):
        groups.setdefault(code, []).append(geom)
    codes = [c for c in harmonised_codes() if c in groups]
    geoms = [shapely.union_all(groups[c]) if len(groups[c]) > 1 else groups[c][0] for c in codes]
    return gpd.GeoDataFrame(
        {
            "kato": codes,
            "name_kk": [region(c).kk for c in codes],
            "name_ru": [region(c).ru for c in codes],
            "name_en": [region(c).en for c in codes],
        },
        geometry=gpd.GeoSeries(geoms, crs=gdf.crs),
        crs=gdf.crs,
    ).astype({"kato": "str"})


def boundaries_for_basis(gdf: gpd.GeoDataFrame, *, basis: str) -> gpd.GeoDataFrame:
    """The current 20 regions or the 17 harmonised units."""
    if basis == "current":
        return gdf
    if basis == "harmonised":
        return harmonised_boundaries(gdf)
    raise ValueError(f"basis must be 'current' or 'harmonised', got {basis!r}")

