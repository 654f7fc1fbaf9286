"""Tests of the embedded boundary layer (coverage validity, size, reproducibility) and of custom files."""

from __future__ import annotations

import hashlib
import json
import warnings

import geopandas as gpd
import numpy as np
import pyproj
import pytest
import shapely

from geo import boundaries as gb
from geo import build
from geo.regions import REGION_CODES, harmonised_codes, region

TARBALL = build.CACHE_DIR / build.TARBALL_NAME


@pytest.fixture(scope="module")
def layer() -> gpd.GeoDataFrame:
    return gb.load_boundaries(gb.EMBEDDED_LAYER)


@pytest.fixture(scope="module")
def metrics() -> dict:
    return json.loads(gb.EMBEDDED_METRICS.read_text(encoding="utf-8"))


# --- the committed layer -------------------------------------------------------------------------

def test_default_path_is_the_embedded_layer(monkeypatch):
    monkeypatch.delenv("ENBEK_BOUNDARIES", raising=False)
    frame = gb.load_boundaries()
    assert frame.attrs["source"] == str(gb.EMBEDDED_LAYER)
    assert frame["kato"].tolist() == list(REGION_CODES)


def test_layer_codes_names_and_crs(layer):
    assert layer["kato"].tolist() == list(REGION_CODES)
    assert layer.crs.to_epsg() == 4326
    for row in layer.itertuples():
        r = region(row.kato)
        assert (row.name_kk, row.name_ru, row.name_en) == (r.kk, r.ru, r.en)
    raw = json.loads(gb.EMBEDDED_LAYER.read_text(encoding="utf-8"))
    assert [f["properties"]["kato"] for f in raw["features"]] == list(REGION_CODES)


def test_layer_is_a_valid_coverage_without_overlaps_or_gaps(layer):
    geoms = layer.geometry.to_numpy()
    assert shapely.is_valid(geoms).all()
    assert shapely.coverage_is_valid(geoms)  # no overlaps, shared edges identical
    # no slivers between neighbours: no gap narrower than ~1 km
    assert shapely.coverage_is_valid(geoms, gap_width=0.01)
    # no pairwise overlap with area
    tree = shapely.STRtree(geoms)
    left, right = tree.query(geoms, predicate="intersects")
    pairs = left < right
    overlap = shapely.area(shapely.intersection(geoms[left[pairs]], geoms[right[pairs]]))
    assert overlap.max() < 1e-9
    # the union has no interior holes (a hole would be a gap inside the country)
    union = shapely.coverage_union_all(geoms)
    holes = sum(len(p.interiors) for p in getattr(union, "geoms", [union]))
    assert holes == 0


def test_cities_are_enclosed_by_their_surrounding_region(layer):
    by = dict(zip(layer["kato"], layer.geometry, strict=True))
    for city, around in (("71", "11"), ("75", "19")):
        # the city's outer boundary lies on the surrounding oblast's boundary (the oblast has a hole)
        assert by[around].boundary.covers(by[city].boundary), city
    assert by["79"].touches(by["61"])


def test_layer_size_and_metrics_file_agree(layer, metrics):
    data = gb.EMBEDDED_LAYER.read_bytes()
    assert len(data) < 300_000  # loads fast in a browser
    assert metrics["layer"]["bytes"] == len(data)
    assert metrics["layer"]["sha256"] == hashlib.sha256(data).hexdigest()
    vertices = int(shapely.get_num_coordinates(layer.geometry.to_numpy()).sum())
    assert metrics["layer"]["vertices"] == vertices
    assert 2_000 < vertices < metrics["source"]["vertices"]
    # the stated simplification tolerance, measured at build time against the unsimplified source
    assert max(metrics["layer"]["max_displacement_deg"].values()) <= build.MAX_DISPLACEMENT_DEG
    assert metrics["source"]["tarball_sha256"] == build.TARBALL_SHA256


def test_license_and_attribution_are_shipped():
    text = gb.EMBEDDED_LICENSE.read_text(encoding="utf-8")
    assert "amCharts" in text
    assert "linkware" in text
    assert "amCharts" in gb.ATTRIBUTION


@pytest.mark.skipif(not TARBALL.exists(), reason=f"the npm tarball is not cached at {TARBALL}; "
                    "run `enbek build-boundaries` once (needs the npm registry) to check against the source")
def test_simplification_moves_no_border_beyond_tolerance(layer):
    source, _license = build.read_members(build.fetch_tarball())
    frame = build.source_polygons(source)
    cleaned, _simplified = build.clean_and_simplify(frame.geometry.to_numpy())
    moved = build.max_displacement(layer.geometry.to_numpy(), cleaned)
    assert moved.max() <= build.MAX_DISPLACEMENT_DEG
    # and each region keeps its source area within 0.5 % (10 km² for the small cities)
    src_area = gb.region_areas_km2(gpd.GeoDataFrame({"kato": frame["kato"]}, geometry=cleaned, crs=4326))
    change = (gb.region_areas_km2(layer) - src_area).abs()
    assert (change <= np.maximum(0.005 * src_area, 10.0)).all(), change.round(1).to_dict()


def test_tarball_checksum_is_checked(tmp_path):
    (tmp_path / build.TARBALL_NAME).write_bytes(b"not the package")
    with pytest.raises(build.BuildError, match=r"sha256 [0-9a-f]{64} differs from the pinned 4049b716"):
        build.fetch_tarball(cache_dir=tmp_path)


# --- areas and the harmonised layer ---------------------------------------------------------------

def test_areas_in_equal_area_projection(layer):
    areas = gb.region_areas_km2(layer)
    assert areas.index.tolist() == list(REGION_CODES)
    # an independent reference: geodesic areas on the WGS84 ellipsoid
    geod = pyproj.Geod(ellps="WGS84")
    geodesic = np.array([abs(geod.geometry_area_perimeter(g)[0]) / 1e6 for g in layer.geometry])
    np.testing.assert_allclose(areas.to_numpy(), geodesic, rtol=0.002)
    # official areas (stat.gov.kz), km²: the simplified layer is within 2 %
    official = {"15": 300_629, "39": 196_001, "59": 97_993, "55": 124_800, "31": 144_264, "35": 239_045}
    for code, km2 in official.items():
        assert abs(areas[code] / km2 - 1) < 0.02, (code, areas[code])
    assert 2_650_000 < areas.sum() < 2_760_000  # Kazakhstan without its share of the Caspian


def test_harmonised_layer_dissolves_children_into_parents(layer):
    harmonised = gb.harmonised_boundaries(layer)
    assert harmonised["kato"].tolist() == list(harmonised_codes())
    current = gb.region_areas_km2(layer)
    merged = gb.region_areas_km2(harmonised)
    for child, parent in (("10", "63"), ("33", "19"), ("62", "35")):
        assert merged[parent] == pytest.approx(current[parent] + current[child], rel=1e-6)
    assert merged.sum() == pytest.approx(current.sum(), rel=1e-6)
    assert shapely.is_valid(harmonised.geometry.to_numpy()).all()
    assert gb.boundaries_for_basis(layer, basis="current") is layer
    with pytest.raises(ValueError, match="basis must be 'current' or 'harmonised'"):
        gb.boundaries_for_basis(layer, basis="old")


# --- custom boundary files ------------------------------------------------------------------------

def _custom(layer: gpd.GeoDataFrame, column: str = "kato") -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame({column: layer["kato"].to_numpy()}, geometry=layer.geometry.to_numpy(), crs=4326)


def test_official_file_with_iso_codes_in_a_geopackage(layer, tmp_path):
    frame = gpd.GeoDataFrame({"ISO": "KZ-" + layer["kato"], "NAME": layer["name_en"]},
                             geometry=layer.geometry.to_numpy(), crs=4326).iloc[::-1]
    path = tmp_path / "official.gpkg"
    frame.to_file(path)
    loaded = gb.load_boundaries(path)
    assert loaded["kato"].tolist() == list(REGION_CODES)
    assert loaded.attrs["code_column"] == "ISO"
    assert loaded["name_ru"].iloc[0] == "область Абай"


def test_nine_digit_kato_codes_are_read_as_regions(layer, tmp_path):
    frame = _custom(layer, "KATO")
    frame["KATO"] = frame["KATO"] + "0000000"
    path = tmp_path / "kato9.geojson"
    frame.to_file(path)
    assert gb.load_boundaries(path)["kato"].tolist() == list(REGION_CODES)


def test_missing_unknown_and_duplicate_codes_are_listed(layer, tmp_path):
    frame = _custom(layer)
    frame.loc[frame["kato"] == "62", "kato"] = "35"  # Ulytau missing, Karaganda twice
    frame.loc[frame["kato"] == "10", "kato"] = "51"  # retired code: unknown; Abai missing
    path = tmp_path / "broken.geojson"
    frame.to_file(path)
    with pytest.raises(gb.BoundaryError) as info:
        gb.load_boundaries(path)
    message = str(info.value)
    assert "broken.geojson" in message
    assert "missing codes 10, 62" in message
    assert "unknown codes 51" in message
    assert "duplicate codes 35" in message


def test_file_without_a_code_column(layer, tmp_path):
    frame = gpd.GeoDataFrame({"name": layer["name_en"]}, geometry=layer.geometry.to_numpy(), crs=4326)
    path = tmp_path / "nocode.geojson"
    frame.to_file(path)
    with pytest.raises(gb.BoundaryError, match=r"nocode\.geojson: no KATO code column found among \['name'\]"):
        gb.load_boundaries(path)


def test_file_without_crs_is_rejected(layer, tmp_path):
    path = tmp_path / "nocrs.shp"
    _custom(layer).to_file(path)
    (tmp_path / "nocrs.prj").unlink()
    with pytest.raises(gb.BoundaryError, match=r"nocrs\.shp: the file has no coordinate reference system"):
        gb.load_boundaries(path)


def test_projected_crs_is_converted_to_wgs84(layer, tmp_path):
    path = tmp_path / "albers.gpkg"
    _custom(layer).to_crs(gb.EQUAL_AREA_CRS).to_file(path)
    loaded = gb.load_boundaries(path)
    assert loaded.crs.to_epsg() == 4326
    np.testing.assert_allclose(loaded.total_bounds, layer.total_bounds, atol=1e-6)
    np.testing.assert_allclose(gb.region_areas_km2(loaded), gb.region_areas_km2(layer), rtol=1e-6)


def _with_bowtie(layer: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    frame = _custom(layer)
    # Astana as a self-intersecting bowtie around the city centre
    bowtie = shapely.Polygon([(71.3, 51.1), (71.6, 51.25), (71.6, 51.1), (71.3, 51.25), (71.3, 51.1)])
    assert not bowtie.is_valid
    frame.loc[frame["kato"] == "71", "geometry"] = bowtie
    return frame


def test_invalid_bowtie_is_repaired_with_a_warning(layer, tmp_path):
    path = tmp_path / "bowtie.geojson"
    _with_bowtie(layer).to_file(path)
    with pytest.warns(gb.BoundaryWarning, match=r"bowtie\.geojson: repaired invalid geometry of code\(s\) 71"):
        loaded = gb.load_boundaries(path)
    astana = loaded.loc[loaded["kato"] == "71", "geometry"].iloc[0]
    assert astana.is_valid
    assert astana.geom_type == "MultiPolygon"
    assert astana.area == pytest.approx(2 * 0.5 * 0.3 * 0.075)  # two triangles
    assert loaded.attrs["repaired"] == ["71"]


def test_invalid_bowtie_is_rejected_without_repair(layer, tmp_path):
    path = tmp_path / "bowtie.geojson"
    _with_bowtie(layer).to_file(path)
    with pytest.raises(gb.BoundaryError, match=r"bowtie\.geojson: code 71: invalid geometry \(Self-intersection"):
        gb.load_boundaries(path, repair=False)


def test_empty_geometry_is_rejected(layer, tmp_path):
    frame = _custom(layer)
    frame.loc[frame["kato"] == "47", "geometry"] = None
    path = tmp_path / "empty.gpkg"
    frame.to_file(path)
    with pytest.raises(gb.BoundaryError, match=r"code 47: empty or missing geometry"):
        gb.load_boundaries(path)


def test_missing_file_message(tmp_path):
    with pytest.raises(gb.BoundaryError, match=r"does not exist \(set ENBEK_BOUNDARIES"):
        gb.load_boundaries(tmp_path / "nope.gpkg")


def test_setting_points_at_a_custom_file(layer, tmp_path, monkeypatch):
    path = tmp_path / "official.gpkg"
    _custom(layer, "code").to_file(path)
    monkeypatch.setenv("ENBEK_BOUNDARIES", str(path))
    assert gb.load_boundaries().attrs["source"] == str(path)


# --- districts ------------------------------------------------------------------------------------

def test_no_district_file_configured(monkeypatch):
    monkeypatch.delenv("ENBEK_DISTRICT_BOUNDARIES", raising=False)
    assert gb.load_district_boundaries() is None


def _districts(codes, **columns):
    """A small district file's frame: one box per code, names in three languages unless overridden."""
    n = len(codes)
    names = {"name_kk": [f"аудан {i}" for i in range(n)], "name_ru": [f"район {i}" for i in range(n)],
             "name_en": [f"district {i}" for i in range(n)]}
    names.update(columns)
    return gpd.GeoDataFrame({"KATO": codes, **names},
                            geometry=[shapely.box(70 + i, 52, 71 + i, 53) for i in range(n)], crs=4326)


def test_district_file(tmp_path, monkeypatch):
    path = tmp_path / "districts.gpkg"
    _districts(["111010000", "112000", "7511"], name_ru=["Аршалынский район", "Астраханский район",
                                                           "Алмалинский район"]).to_file(path)
    monkeypatch.setenv("ENBEK_DISTRICT_BOUNDARIES", str(path))
    loaded = gb.load_district_boundaries()
    assert loaded is not None
    assert loaded["kato"].tolist() == ["1110", "1120", "7511"]
    assert loaded["region"].tolist() == ["11", "11", "75"]
    assert loaded["name_ru"].tolist() == ["Аршалынский район", "Астраханский район", "Алмалинский район"]
    assert loaded.crs.to_epsg() == 4326
    assert gb.district_names(loaded)["1120"] == {"kk": "аудан 1", "ru": "Астраханский район", "en": "district 1"}
    assert gb.district_names(None) == {}


def test_district_file_errors_name_the_feature_and_column(tmp_path):
    path = tmp_path / "districts.gpkg"
    _districts(["1110", "1110", "9910", "1120"], name_kk=["а", "ә", "б", " "]).to_file(path)
    with pytest.raises(gb.BoundaryError, match=(
            r"districts\.gpkg \(code column 'KATO'\): feature 3: KATO '9910' is not a KATO district code of a known "
            r"region; feature 2: district 1110 again \(first at feature 1\); feature 4 \(code 1120\): empty name_kk")):
        gb.load_district_boundaries(path)


def test_district_file_without_names_or_codes_or_file(tmp_path):
    path = tmp_path / "no_names.geojson"
    _districts(["1110"]).drop(columns=["name_ru", "name_en"]).to_file(path)
    with pytest.raises(gb.BoundaryError, match=r"no_names\.geojson: no column name_ru, name_en; a district file "
                                               r"needs the district's name in each language"):
        gb.load_district_boundaries(path)
    path = tmp_path / "no_codes.geojson"
    _districts(["1110"]).assign(KATO="Arshaly").to_file(path)
    with pytest.raises(gb.BoundaryError, match=r"no_codes\.geojson: no district code column found among .*"
                                               r"KATO district codes of 4, 6 or 9 digits"):
        gb.load_district_boundaries(path)
    with pytest.raises(gb.BoundaryError, match=r"district file .*missing\.gpkg does not exist"):
        gb.load_district_boundaries(tmp_path / "missing.gpkg")


def test_no_warnings_loading_the_embedded_layer():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        gb.load_boundaries(gb.EMBEDDED_LAYER)
