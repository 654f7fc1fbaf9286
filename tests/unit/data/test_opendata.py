"""The open-data bundle (data/opendata.py): valid for the frictionless library, equal to the public tables, regions
as GeoJSON, nothing identifying, the same bytes for the same input, self-contained and servable as static files."""

from __future__ import annotations

import dataclasses
import functools
import http.server
import io
import json
import shutil
import threading
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from data import opendata
from data.opendata import OpenDataError, bundle_files, write_bundle, zip_bytes
from geo.boundaries import EMBEDDED_LAYER, load_boundaries
from geo.regions import REGION_CODES, harmonised_codes, region
from osh.public import FORBIDDEN_COLUMNS, TABLES, PublicData, build_public_data
from tests.unit.osh.conftest import put, tiny_country

CREATED = "2025-01-02T03:04:05+00:00"


@pytest.fixture(scope="module")
def boundaries():
    return load_boundaries(EMBEDDED_LAYER)


@pytest.fixture(scope="module")
def country(tmp_path_factory: pytest.TempPathFactory):
    """Public tables of a small random country (the real pipeline, DuckDB) and its enterprises."""
    from data.store import open_store

    store = open_store(tmp_path_factory.mktemp("od_store") / "s.duckdb")
    try:
        # 60 enterprises: small enough that disclosure control withholds cells
        ent = tiny_country(store, seed=3, n=60)
        # the statistics bureau's national counts too: two series in the bundle
        put(store, "injury_counts", pd.DataFrame({"year": [2020, 2021, 2022], "region": None, "oked_section": None,
                                                  "injured": [2100, 2300, 2449], "fatal": [190, 200, 205],
                                                  "workers": None, "source": "bns"}))
        # OSH-measure reports of every enterprise for 2022: the measure table in the bundle holds rows
        n = len(ent)
        put(store, "osh_measures", pd.DataFrame({
            "bin": ent["bin"], "year": 2022, "workers": ent["employees"].clip(lower=1), "funding_per_worker": 20_000.0,
            "guarantee_workers": 0, "additional_leave_workers": 0, "reduced_hours_workers": 0, "wage_supplement_workers": 0,
            "nutrition_workers": 0, "milk_workers": 0, "ppe_provision_pct": [60.0 + i % 40 for i in range(n)],
            "sanitary_facilities": [i % 3 != 0 for i in range(n)], "medical_exam_pct": 90.0}))
        store.set_meta("dataset", "demo")
        data = build_public_data(store)
    finally:
        store.close()
    return data, ent


@pytest.fixture(scope="module")
def data(country) -> PublicData:
    return country[0]


@pytest.fixture(scope="module")
def bundle(data, boundaries, tmp_path_factory: pytest.TempPathFactory):
    out = tmp_path_factory.mktemp("od_public")
    return write_bundle(data, out_dir=out, boundaries=boundaries, created=CREATED, embedded_boundaries=True)


def _descriptor(directory: Path) -> dict:
    return json.loads((directory / "datapackage.json").read_text(encoding="utf-8"))


def _read_csv(directory: Path, resource: dict) -> pd.DataFrame:
    """A CSV resource read as its schema says: strings stay text (codes keep their digits), integers Int64."""
    fields = resource["schema"]["fields"]
    dtype = {f["name"]: str for f in fields if f["type"] == "string"}
    frame = pd.read_csv(directory / resource["path"], dtype=dtype, keep_default_na=False, na_values={
        f["name"]: [""] for f in fields if f["type"] != "string"}, encoding="utf-8")
    for f in fields:
        if f["type"] == "integer":
            frame[f["name"]] = frame[f["name"]].astype("Int64")
        elif f["type"] == "string":
            frame[f["name"]] = frame[f["name"]].replace("", None)
    return frame


def _texts(values: pd.Series) -> list[str | None]:
    """A column as text with None for missing (empty text counts as missing, as in the CSV)."""
    return [None if v is None or v is pd.NA or (isinstance(v, float) and np.isnan(v)) or str(v) == "" else str(v)
            for v in values.tolist()]


def _validate(path: Path):
    import frictionless

    return frictionless.validate(str(path))


def _errors(report) -> list[tuple[str, str]]:
    return [(str(e[0]), str(e[1])) for e in report.flatten(["type", "fieldName"])]


# --- validity ------------------------------------------------------------------------------------------------


def test_bundle_is_a_valid_data_package_for_frictionless(bundle) -> None:
    report = _validate(bundle.directory / "datapackage.json")
    assert report.valid, report.flatten(["type", "note"])[:10]
    desc = _descriptor(bundle.directory)
    names = [r["name"] for r in desc["resources"]]
    assert names == [n for t in (*TABLES, "regions") for n in (t, f"{t}-json")] + [
        "regions-current-geojson", "regions-harmonised-geojson"]
    # every tabular resource was read row by row, none skipped
    assert {task.name: task.type for task in report.tasks if task.name in ("indicators", "regions", "gap")} == {
        "indicators": "table", "regions": "table", "gap": "table"}
    assert sum(task.stats["rows"] or 0 for task in report.tasks if task.type == "table") > 1000


def test_broken_bundle_is_reported_with_the_field_and_the_error_type(bundle, tmp_path: Path) -> None:
    broken = tmp_path / "broken"
    shutil.copytree(bundle.directory, broken)
    csv_path = broken / "data" / "indicators.csv"
    lines = csv_path.read_text(encoding="utf-8").splitlines()
    header = lines[0].split(",")
    row = lines[1].split(",")
    row[header.index("year")] = "twenty"
    lines[1] = ",".join(row)
    lines.append(lines[2])  # the same key twice
    csv_path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    (broken / "data" / "gap.csv").unlink()
    report = _validate(broken / "datapackage.json")
    assert not report.valid
    errors = _errors(report)
    assert ("type-error", "year") in errors
    assert any(kind == "primary-key" for kind, _ in errors)
    assert any(kind == "scheme-error" for kind, _ in errors), errors
    # the edited file no longer matches its recorded size and checksum
    assert {"hash-count", "byte-count"} <= {kind for kind, _ in errors}, errors


def test_a_descriptor_without_a_schema_type_is_invalid(bundle, tmp_path: Path) -> None:
    broken = tmp_path / "broken"
    shutil.copytree(bundle.directory, broken)
    desc = _descriptor(broken)
    desc["resources"][0]["schema"]["fields"][0]["type"] = "kato-code"
    (broken / "datapackage.json").write_text(json.dumps(desc), encoding="utf-8")
    report = _validate(broken / "datapackage.json")
    assert not report.valid
    assert "kato-code" in " ".join(str(n) for n in report.flatten(["note"]))


# --- the values ----------------------------------------------------------------------------------------------


def _public(data: PublicData, name: str) -> pd.DataFrame:
    return opendata.public_tables(data)[name]


@pytest.mark.parametrize("name", [*TABLES, "regions"])
def test_csv_and_json_equal_the_public_table(bundle, data, name: str) -> None:
    desc = _descriptor(bundle.directory)
    resource = next(r for r in desc["resources"] if r["name"] == name)
    key = resource["schema"]["primaryKey"]
    back = _read_csv(bundle.directory, resource)
    expected = _public(data, name).sort_values(key, kind="mergesort", na_position="first").reset_index(drop=True)
    assert list(back.columns) == list(expected.columns)
    assert len(back) == len(expected) > 0
    for f in resource["schema"]["fields"]:
        col = f["name"]
        got, want = back[col], expected[col]
        if f["type"] == "string":
            assert _texts(got) == _texts(want), col
        elif f["type"] == "integer":  # counts: the stored value rounded (floating-point sums carry 1e-12 noise)
            np.testing.assert_allclose(got.astype(float).to_numpy(), pd.to_numeric(want).astype(float).to_numpy(),
                                       rtol=1e-9, atol=0, err_msg=f"{name}.{col}")
        else:  # other numbers: the same binary value
            np.testing.assert_array_equal(got.astype(float).to_numpy(), pd.to_numeric(want).astype(float).to_numpy(),
                                          err_msg=f"{name}.{col}")
    records = json.loads((bundle.directory / f"data/{name}.json").read_text(encoding="utf-8"))
    from_json = pd.DataFrame.from_records(records, columns=list(back.columns))
    for f in resource["schema"]["fields"]:
        col = f["name"]
        if f["type"] == "string":
            assert _texts(from_json[col]) == _texts(back[col]), col
        else:
            np.testing.assert_array_equal(pd.to_numeric(from_json[col]).astype(float).to_numpy(),
                                          back[col].astype(float).to_numpy(), err_msg=f"{name}.{col} (json)")


def test_codes_are_text_and_numbers_are_numbers(bundle) -> None:
    desc = _descriptor(bundle.directory)
    fields = {f["name"]: f for f in next(r for r in desc["resources"] if r["name"] == "indicators")["schema"]["fields"]}
    assert fields["region"]["type"] == "string"
    assert fields["section"]["type"] == "string"
    assert (fields["injured"]["type"], fields["injury_rate_1000"]["type"], fields["year"]["type"]) == ("integer", "number", "integer")
    assert (fields["workers"]["type"], fields["harmful_share"]["type"]) == ("integer", "number")
    records = json.loads((bundle.directory / "data/indicators.json").read_text(encoding="utf-8"))
    ok = next(r for r in records if r["status"] == "ok" and r["series"] == "mlsp" and r["region"] == "35"
              and r["section"] == "ALL")
    assert isinstance(ok["year"], int)
    assert isinstance(ok["injured"], int)
    assert isinstance(ok["injury_rate_1000"], float)
    assert ok["region"] == "35"
    text = (bundle.directory / "data/indicators.csv").read_text(encoding="utf-8")
    assert not text.startswith("\ufeff")
    assert "\r" not in text
    assert ".0," not in text.split("\n", 2)[1].split("ALL", 1)[0]  # integer cells are written without a decimal point


def test_confidential_cells_are_empty_in_every_format(bundle, data) -> None:
    conf = data.indicators[data.indicators["status"] == "confidential"]
    assert len(conf), "the small country should need disclosure control"
    records = json.loads((bundle.directory / "data/indicators.json").read_text(encoding="utf-8"))
    withheld = [r for r in records if r["status"] == "confidential"]
    assert len(withheld) == len(conf)
    assert all(r["injured"] is None and r["workers"] is None and r["enterprises"] is None for r in withheld)


def test_regions_geojson_loads_in_geopandas_with_codes_and_names(bundle) -> None:
    import geopandas as gpd

    current = gpd.read_file(bundle.directory / "geo/regions-current.geojson")
    assert len(current) == 20
    assert current["region"].tolist() == list(REGION_CODES)
    assert current.crs.to_epsg() == 4326
    karaganda = current.set_index("region").loc["35"]
    assert (karaganda["name_kk"], karaganda["name_ru"], karaganda["name_en"], karaganda["iso"]) == (
        "Қарағанды облысы", "Карагандинская область", "Karaganda Region", "KZ-35")
    assert current.geometry.is_valid.all()
    assert (current.geometry.geom_type.isin(["Polygon", "MultiPolygon"])).all()
    harmonised = gpd.read_file(bundle.directory / "geo/regions-harmonised.geojson")
    assert harmonised["region"].tolist() == list(harmonised_codes())
    assert len(harmonised) == 17
    # Karaganda before the split covers Ulytau too
    area = current.to_crs(3857).set_index("region").area
    h_area = harmonised.to_crs(3857).set_index("region").area
    assert h_area["35"] == pytest.approx(area["35"] + area["62"], rel=1e-3)


# --- nothing identifying ---------------------------------------------------------------------------------------


def test_no_enterprise_identifier_name_or_coordinate_is_published(bundle, country) -> None:
    _, ent = country
    desc = _descriptor(bundle.directory)
    identifying = set(FORBIDDEN_COLUMNS) | {"latitude", "longitude", "x", "y", "geometry", "bin", "name", "address"}
    for resource in desc["resources"]:
        if "schema" in resource:
            names = {f["name"] for f in resource["schema"]["fields"]}
            assert not names & identifying, (resource["name"], names & identifying)
    geo = json.loads((bundle.directory / "geo/regions-current.geojson").read_text(encoding="utf-8"))
    assert {k for f in geo["features"] for k in f["properties"]} == {"region", "iso", "name_kk", "name_ru", "name_en"}
    blob = b"".join(p.read_bytes() for p in sorted(bundle.directory.rglob("*")) if p.is_file())
    for bin_ in ent["bin"].head(50):
        assert bin_.encode() not in blob
    assert b"Firm " not in blob


def test_an_identifying_column_is_refused(data, boundaries) -> None:
    leaky = dataclasses.replace(data, gap=data.gap.assign(lat=50.0))
    with pytest.raises(Exception, match="identifying columns lat"):
        bundle_files(leaky, boundaries=None, created=CREATED)


def test_floating_point_noise_in_a_count_is_rounded_a_real_fraction_is_not(data) -> None:
    ind = data.indicators.copy()
    ok = ind.index[(ind["status"] == "ok").to_numpy()]
    ind.loc[ok[0], "harmful_workers"] = 23.000000000000004  # a sum of harmonised floats
    files = bundle_files(dataclasses.replace(data, indicators=ind), boundaries=None, created=CREATED)
    assert b",23," in files["data/indicators.csv"]
    assert b"23.000000000000004" not in files["data/indicators.csv"]
    ind.loc[ok[0], "harmful_workers"] = 23.001
    with pytest.raises(OpenDataError, match=r"column 'harmful_workers': 23.001 is not an integer"):
        bundle_files(dataclasses.replace(data, indicators=ind), boundaries=None, created=CREATED)


def test_an_undescribed_column_is_never_published(data) -> None:
    extra = dataclasses.replace(data, diseases=data.diseases.assign(share_of_total=0.5))
    with pytest.raises(OpenDataError, match=r"public table 'diseases', column 'share_of_total' has no description"):
        bundle_files(extra, boundaries=None, created=CREATED)


def test_a_fraction_in_an_integer_column_names_row_and_column(data) -> None:
    ind = data.indicators.copy()
    row = int((ind["status"] == "ok").to_numpy().nonzero()[0][0])
    ind.loc[ind.index[row], "injured"] = 2.5
    with pytest.raises(OpenDataError, match=rf"public table 'indicators', row {row + 1}, column 'injured': 2.5 is not an integer"):
        bundle_files(dataclasses.replace(data, indicators=ind), boundaries=None, created=CREATED)


def test_a_formula_like_text_is_refused(data) -> None:
    dis = data.diseases.copy()
    dis.loc[dis.index[0], "series"] = "=HYPERLINK(\"http://x\")"
    with pytest.raises(OpenDataError, match=r"column 'series': .* starts like a spreadsheet formula"):
        bundle_files(dataclasses.replace(data, diseases=dis), boundaries=None, created=CREATED)


# --- the descriptor ------------------------------------------------------------------------------------------


def test_descriptor_carries_version_licence_sources_series_and_translated_titles(bundle, data) -> None:
    desc = _descriptor(bundle.directory)
    assert desc["version"] == data.meta["store_version"] == bundle.version
    assert desc["created"] == CREATED
    assert desc["licenses"][0]["name"] == "CC-BY-4.0"
    assert desc["dataset"] == "demo"
    assert "DEMO" in desc["title"]
    assert "ДЕМО" in desc["title_kk"]
    titles = [s["title"] for s in desc["sources"]]
    assert any("Safe Labour Concept" in s for s in titles)
    assert any("Bureau of National Statistics" in s for s in titles) == ("bns" in data.meta["series"])
    from data import series

    got = {s["id"]: s for s in desc["series"]}
    assert set(got) == set(data.meta["series"].split(","))
    for sid, s in got.items():
        assert (s["label_kk"], s["label_ru"], s["label_en"]) == tuple(series.label(sid, lang) for lang in ("kk", "ru", "en"))
    ind = next(r for r in desc["resources"] if r["name"] == "indicators")
    assert ind["schema"]["primaryKey"] == ["year", "basis", "series", "region", "section"]
    rate = next(f for f in ind["schema"]["fields"] if f["name"] == "injury_rate_1000")
    assert (rate["title"], rate["title_kk"], rate["title_ru"]) == ("Injury rate", "Жарақаттану жиілігі", "Частота травматизма")
    for resource in desc["resources"]:
        assert resource["title_kk"]
        assert resource["title_ru"]
        if resource["format"] == "json":
            assert resource["schemaOf"] == resource["name"].removesuffix("-json")
        for f in resource.get("schema", {}).get("fields", []):
            assert all((f["description"], f["title_kk"], f["title_ru"])), (resource["name"], f["name"])
    geo = next(r for r in desc["resources"] if r["name"] == "regions-current-geojson")
    assert geo["licenses"][0]["path"] == "geo/LICENSE-amcharts.md"
    assert (bundle.directory / "geo/LICENSE-amcharts.md").read_bytes() == (EMBEDDED_LAYER.parent / "LICENSE").read_bytes()


def test_region_reference_names_every_code_of_both_bases() -> None:
    ref = opendata.regions_table()
    assert ref[ref["basis"] == "current"]["region"].tolist() == list(REGION_CODES)
    assert ref[ref["basis"] == "harmonised"]["region"].tolist() == list(harmonised_codes())
    ulytau = ref[(ref["basis"] == "current") & (ref["region"] == "62")].iloc[0]
    assert (ulytau["name_en"], ulytau["parent"]) == (region("62").en, "35")


# --- determinism, self-containment, static serving --------------------------------------------------------------


def test_same_input_gives_the_same_bytes_and_created_changes_one_line(data, boundaries, tmp_path: Path) -> None:
    one = bundle_files(data, boundaries=boundaries, created=CREATED, embedded_boundaries=True)
    two = bundle_files(data, boundaries=boundaries, created=CREATED, embedded_boundaries=True)
    assert one == two
    assert zip_bytes(one) == zip_bytes(two)
    later = bundle_files(data, boundaries=boundaries, created="2026-06-01T00:00:00+00:00", embedded_boundaries=True)
    assert [p for p in one if one[p] != later[p]] == ["datapackage.json"]
    diff = [(a, b) for a, b in zip(one["datapackage.json"].decode().splitlines(),
                                   later["datapackage.json"].decode().splitlines(), strict=True) if a != b]
    assert diff == [(f'  "created": "{CREATED}",', '  "created": "2026-06-01T00:00:00+00:00",')]
    a = write_bundle(data, out_dir=tmp_path / "a", boundaries=boundaries, created=CREATED, embedded_boundaries=True)
    b = write_bundle(data, out_dir=tmp_path / "b", boundaries=boundaries, created=CREATED, embedded_boundaries=True)
    assert a.archive.read_bytes() == b.archive.read_bytes()
    assert {p: (a.directory / p).read_bytes() for p in a.files} == {p: (b.directory / p).read_bytes() for p in b.files}


def test_rewriting_replaces_the_bundle_and_leaves_no_temporary_files(data, boundaries, tmp_path: Path) -> None:
    write_bundle(data, out_dir=tmp_path, boundaries=boundaries, created=CREATED)
    (tmp_path / "opendata" / "data" / "stale.csv").write_text("x\n", encoding="utf-8")
    write_bundle(data, out_dir=tmp_path, boundaries=None, created=CREATED)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["opendata", "opendata.zip"]
    assert not (tmp_path / "opendata" / "data" / "stale.csv").exists()
    assert not (tmp_path / "opendata" / "geo").exists()  # no boundaries given this time: no GeoJSON resources
    assert all(r["format"] != "geojson" for r in _descriptor(tmp_path / "opendata")["resources"])


def test_bundle_is_self_contained_and_the_zip_holds_the_same_files(bundle, tmp_path: Path) -> None:
    desc = _descriptor(bundle.directory)
    for resource in desc["resources"]:
        path = resource["path"]
        assert not path.startswith("/")
        assert ".." not in Path(path).parts
        assert "://" not in path
        assert (bundle.directory / path).is_file()
    with zipfile.ZipFile(io.BytesIO(bundle.archive.read_bytes())) as archive:
        names = sorted(archive.namelist())
        assert names == sorted(f"opendata/{p}" for p in bundle.files)
        archive.extractall(tmp_path)
    report = _validate(tmp_path / "opendata" / "datapackage.json")  # elsewhere, from the zip: still valid
    assert report.valid, report.flatten(["type", "note"])[:5]


def test_bundle_is_servable_as_static_files(bundle) -> None:
    """A plain static file server (as nginx's alias in docs/deployment.md) serves the package; frictionless
    validates it over HTTP, resolving every resource relative to datapackage.json's URL."""
    import frictionless

    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(bundle.directory.parent))
    handler.log_message = lambda *a, **k: None  # type: ignore[method-assign]
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/opendata/datapackage.json"
        report = frictionless.validate(url)
        assert report.valid, report.flatten(["type", "note"])[:5]
        assert len(report.tasks) == len(_descriptor(bundle.directory)["resources"])
    finally:
        server.shutdown()
        server.server_close()


# --- the command ---------------------------------------------------------------------------------------------


def test_enbek_publish_writes_the_bundle_with_the_store_version(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                                capsys: pytest.CaptureFixture[str]) -> None:
    from data.store import open_store
    from enbek.cli import main

    monkeypatch.setenv("ENBEK_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("ENBEK_BOUNDARIES", raising=False)
    path = tmp_path / "s.duckdb"
    store = open_store(path)
    try:
        tiny_country(store, seed=5, n=120)
        version = store.version
    finally:
        store.close()
    out = tmp_path / "public"
    assert main(["publish", "--store", str(path), "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    desc = _descriptor(out / "opendata")
    meta = json.loads((out / "meta.json").read_text(encoding="utf-8"))
    assert desc["version"] == meta["store_version"] == version
    assert desc["created"] == meta["built_at"]
    assert f"open-data bundle version {version} written to {out / 'opendata'}" in printed
    assert (out / "opendata.zip").is_file()
    assert (out / "opendata" / "geo" / "regions-current.geojson").is_file()
    info = opendata.bundle_info(out)
    assert info is not None
    assert (info.version, info.created) == (version, meta["built_at"])


def test_enbek_publish_names_a_broken_boundary_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    from data.store import open_store
    from enbek.cli import main

    monkeypatch.setenv("ENBEK_DATA_DIR", str(tmp_path))
    bad = tmp_path / "regions.geojson"
    bad.write_text('{"type": "FeatureCollection", "features": []}', encoding="utf-8")
    monkeypatch.setenv("ENBEK_BOUNDARIES", str(bad))
    path = tmp_path / "s.duckdb"
    store = open_store(path)
    try:
        tiny_country(store, seed=5, n=60)
    finally:
        store.close()
    assert main(["publish", "--store", str(path), "--out", str(tmp_path / "public")]) == 2
    err = capsys.readouterr().err
    assert "open-data bundle not written" in err
    assert str(bad) in err
    assert not (tmp_path / "public" / "meta.json").exists()  # nothing half-published


# --- the documentation stays true ------------------------------------------------------------------------------


def test_docs_list_every_file_and_the_deployment_notes_serve_the_bundle(bundle) -> None:
    root = Path(__file__).resolve().parents[3]
    doc = (root / "docs" / "open-data.md").read_text(encoding="utf-8")
    for path in bundle.files:
        shown = path if not path.endswith(".json") or path == "datapackage.json" else path.removesuffix(".json") + ".csv"
        assert shown in doc, path
    deployment = (root / "docs" / "deployment.md").read_text(encoding="utf-8")
    assert f"location /{opendata.BUNDLE_DIR}/ {{\n        alias /srv/enbek/public/{opendata.BUNDLE_DIR}/;" in deployment
    assert f"location = /{opendata.ARCHIVE} {{" in deployment
    sizing = deployment.split("### Sizing", 1)[1]
    assert "tests/bench/bench_public_load.py" in sizing.split("###", 1)[0]


@pytest.mark.parametrize("created", ["", "yesterday", "2025-01-02T03:04:05"])
def test_created_must_be_a_timestamp_with_its_offset(data, created: str) -> None:
    with pytest.raises(OpenDataError, match=rf"created={created!r}: expected an ISO 8601 date and time with its UTC offset"):
        bundle_files(data, boundaries=None, created=created)


def test_bundle_info_is_none_until_a_bundle_is_published(bundle, tmp_path: Path) -> None:
    assert opendata.bundle_info(tmp_path) is None
    (tmp_path / "opendata").mkdir()
    (tmp_path / "opendata" / "datapackage.json").write_text("{not json", encoding="utf-8")
    (tmp_path / "opendata.zip").write_bytes(b"PK")
    assert opendata.bundle_info(tmp_path) is None
    info = opendata.bundle_info(bundle.directory.parent)
    assert info is not None
    assert (info.archive, info.version, info.created) == (bundle.archive, bundle.version, CREATED)
