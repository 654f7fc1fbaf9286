"""The PostgreSQL store against a real throwaway server (tests/pg_cluster.py): migrations equal the contracts,
NULL-safe upserts, one transaction per load, read-only readers, PostGIS points, and the same osh results as
DuckDB for the same data."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import threading
import time
from pathlib import Path

import pandas as pd
import pytest

from data.loader import load_frame
from data.migrations import MIGRATIONS
from data.pg import PostgresStore, redact, to_pyformat
from data.schemas import SCHEMAS, SQL_TYPES
from data.store import DuckDBStore, StoreError, open_store, writing
from tests.unit.data.test_loader import BINS, enterprises_frame

ROOT = Path(__file__).resolve().parents[2]
PG_TYPES = {"VARCHAR": "text", "BIGINT": "bigint", "DOUBLE": "double precision", "DATE": "date",
            "INTEGER": "integer", "BOOLEAN": "boolean"}


@pytest.fixture
def pg(pg_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("ENBEK_DATA_DIR", str(tmp_path))
    store = PostgresStore(pg_url)
    yield store
    store.close()


def test_migrated_tables_are_the_contracts(pg: PostgresStore) -> None:
    for schema in SCHEMAS.values():
        got = pg.sql(
            "SELECT column_name, data_type, collation_name FROM information_schema.columns "
            "WHERE table_schema = current_schema() AND table_name = ? AND column_name <> 'geom' ORDER BY ordinal_position",
            [schema.table],
        )
        assert got["column_name"].tolist() == list(schema.names), schema.table
        assert got["data_type"].tolist() == [PG_TYPES[SQL_TYPES[c.kind]] for c in schema.columns], schema.table
        text = got[got["data_type"] == "text"]
        assert set(text["collation_name"]) <= {"C.utf8"}, schema.table  # DuckDB's order, Unicode lower()
        keys = pg.sql("SELECT indexdef FROM pg_indexes WHERE schemaname = current_schema() AND indexname = ?",
                      [f"{schema.table}_key"])
        assert len(keys) == 1, schema.table
        assert "NULLS NOT DISTINCT" in keys["indexdef"].iloc[0]
    applied = pg.sql("SELECT version, name FROM _migrations ORDER BY version")["version"].tolist()
    assert [v for v in applied if v != 2] == [m.version for m in MIGRATIONS if not m.needs_postgis]
    assert (2 in applied) == pg.postgis


def test_opening_again_applies_nothing_twice(pg_url: str, pg: PostgresStore) -> None:
    before = pg.sql("SELECT version, applied_at FROM _migrations ORDER BY version")
    with PostgresStore(pg_url) as again:
        after = again.sql("SELECT version, applied_at FROM _migrations ORDER BY version")
    pd.testing.assert_frame_equal(before, after)


def test_upsert_replaces_rows_by_a_key_with_nulls(pg: PostgresStore) -> None:
    counts = pd.DataFrame({"year": ["2022", "2022", "2022"], "region": ["", "35", "35"], "oked_section": ["", "", "B"],
                           "injured": ["100", "20", "5"], "fatal": ["3", "1", "0"], "source": ["bns"] * 3})
    assert load_frame(pg, "injury_counts", counts, source="first").loaded == 3
    counts["injured"] = ["110", "21", "6"]
    again = load_frame(pg, "injury_counts", counts, source="again")
    assert (again.loaded, again.replaced) == (3, 3)
    got = pg.read("injury_counts").sort_values(["region", "oked_section"], na_position="first")
    assert len(got) == 3  # the national row (region NULL, section NULL) was replaced, not duplicated
    assert got["injured"].tolist() == [110, 21, 6]
    assert got["region"].isna().tolist() == [True, False, False]


def test_a_failing_load_changes_nothing(pg: PostgresStore) -> None:
    load_frame(pg, "enterprises", enterprises_frame(2), source="setup")
    version = pg.version
    before = pg.read("enterprises").sort_values("bin").reset_index(drop=True)
    # A real server-side failure in the middle of the load: the third row trips a trigger.
    pg.sql(f"""CREATE FUNCTION refuse() RETURNS trigger LANGUAGE plpgsql AS $$
               BEGIN IF NEW.bin = '{BINS[2]}' THEN RAISE EXCEPTION 'disk full'; END IF; RETURN NEW; END $$""")
    pg.sql("CREATE TRIGGER refuse BEFORE INSERT OR UPDATE ON enterprises FOR EACH ROW EXECUTE FUNCTION refuse()")
    changed = enterprises_frame(4)
    changed["employees"] = 1
    with pytest.raises(StoreError, match=r"loading 'enterprises' into .* failed \(nothing was changed\): disk full"):
        load_frame(pg, "enterprises", changed, source="fails")
    after = pg.read("enterprises").sort_values("bin").reset_index(drop=True)
    pd.testing.assert_frame_equal(before, after)
    assert pg.version == version


def test_readers_see_the_old_rows_until_the_load_commits(pg_url: str, pg: PostgresStore) -> None:
    load_frame(pg, "enterprises", enterprises_frame(2), source="setup")
    # Hold the load's transaction open for a moment after its rows are in (a slow trigger on the version row).
    pg.sql("""CREATE FUNCTION slow() RETURNS trigger LANGUAGE plpgsql AS $$
              BEGIN IF NEW.key = 'version' THEN PERFORM pg_sleep(1.5); END IF; RETURN NEW; END $$""")
    pg.sql("CREATE TRIGGER slow BEFORE INSERT OR UPDATE ON _meta FOR EACH ROW EXECUTE FUNCTION slow()")
    reader = open_store(pg_url, read_only=True)
    try:
        loader = threading.Thread(target=load_frame, args=(pg, "enterprises", enterprises_frame(6)),
                                  kwargs={"source": "big"})
        started = time.monotonic()
        loader.start()
        seen: list[int] = []
        while loader.is_alive():
            seen.append(reader.count("enterprises"))
            time.sleep(0.05)
        loader.join()
        assert time.monotonic() - started >= 1.4
        assert len(seen) >= 5
        assert set(seen) <= {2, 6}
        assert seen[0] == 2  # old rows while the load ran, never a half
        assert reader.count("enterprises") == 6
    finally:
        reader.close()


def test_read_only_store_is_read_only_on_the_server(pg_url: str, pg: PostgresStore) -> None:
    load_frame(pg, "enterprises", enterprises_frame(1), source="setup")
    with open_store(pg_url, read_only=True) as reader:
        assert isinstance(reader, PostgresStore)
        with pytest.raises(StoreError, match="is open read-only"):
            reader.set_meta("x", "y")
        with pytest.raises(StoreError, match="read-only transaction"):
            reader.sql("DELETE FROM enterprises")
        assert reader.count("enterprises") == 1


def test_read_only_store_without_schema_says_how_to_create_it(pg_url: str) -> None:
    with pytest.raises(StoreError, match=r"has no schema yet; create it with 'enbek load' or 'enbek build-demo'"):
        PostgresStore(pg_url, read_only=True)


def test_enterprises_are_postgis_points(pg: PostgresStore, pg_cluster) -> None:
    if not pg_cluster.postgis:
        if os.environ.get("CI") == "true":
            pytest.fail("PostGIS is missing: CI installs postgresql-15-postgis-3")
        pytest.skip("PostGIS is not installed on this machine")
    frame = enterprises_frame(3)
    frame["lat"] = ["49.8", "", "43.25"]
    frame["lon"] = ["73.1", "", "76.95"]
    load_frame(pg, "enterprises", frame, source="points")
    assert pg.postgis
    got = pg.sql("SELECT bin, ST_X(geom) AS x, ST_Y(geom) AS y, ST_SRID(geom) AS srid FROM enterprises ORDER BY bin")
    assert got["x"].tolist()[0] == pytest.approx(73.1)
    assert got["y"].tolist()[0] == pytest.approx(49.8)
    assert got["x"].isna().tolist() == [False, True, False]
    assert set(got["srid"].dropna()) == {4326}
    near = pg.sql("SELECT bin FROM enterprises WHERE ST_DWithin(geom::geography, ST_MakePoint(76.9, 43.2)::geography, 10000)")
    assert near["bin"].tolist() == [BINS[2]]
    assert "geom" not in pg.read("enterprises").columns  # readers get DuckDB's columns
    index = pg.sql("SELECT indexdef FROM pg_indexes WHERE schemaname = current_schema() AND indexname = 'enterprises_geom'")
    assert "gist" in index["indexdef"].iloc[0]


def test_results_have_duckdb_dtypes(pg: PostgresStore, tmp_path: Path) -> None:
    duck = DuckDBStore(tmp_path / "same.duckdb")
    try:
        for store in (pg, duck):
            load_frame(store, "enterprises", enterprises_frame(3), source="same")
        query = ("SELECT bin, employees, CAST(employees AS DOUBLE PRECISION) / 3 AS third, employees > 15 AS big, "
                 "count(*) OVER () AS n, DATE '2024-01-31' AS d FROM enterprises ORDER BY bin")
        pd.testing.assert_frame_equal(pg.sql(query), duck.sql(query))
        empty = "SELECT bin, employees FROM enterprises WHERE employees < ?"
        pd.testing.assert_frame_equal(pg.sql(empty, [0]), duck.sql(empty, [0]), check_dtype=False)
    finally:
        duck.close()


def test_osh_gives_the_same_results_on_both_engines(pg: PostgresStore, tmp_path: Path) -> None:
    from osh import indicators as ind
    from osh.risk import compute_and_store_risk
    from tests.unit.osh.conftest import tiny_country

    duck = DuckDBStore(tmp_path / "same.duckdb")
    try:
        for store in (pg, duck):
            tiny_country(store, n=120)
        key = ["year", "region", "section", "size_class"]
        a = ind.indicators(pg, by=ind.LEVELS["region,sector"]).sort_values(key, ignore_index=True)
        b = ind.indicators(duck, by=ind.LEVELS["region,sector"]).sort_values(key, ignore_index=True)
        assert len(a) > 10
        pd.testing.assert_frame_equal(a, b)
        ra, rb = compute_and_store_risk(pg), compute_and_store_risk(duck)
        pd.testing.assert_frame_equal(ra.sort_values("bin", ignore_index=True), rb.sort_values("bin", ignore_index=True))
        sa = pg.read("enterprise_risk").sort_values("bin", ignore_index=True)
        sb = duck.read("enterprise_risk").sort_values("bin", ignore_index=True)
        pd.testing.assert_frame_equal(sa, sb, check_dtype=False)
    finally:
        duck.close()


def test_writing_on_postgres_is_the_database_itself(pg_url: str, pg: PostgresStore) -> None:
    with writing(pg_url) as store:
        load_frame(store, "enterprises", enterprises_frame(2), source="w")
    assert pg.count("enterprises") == 2
    with writing(pg_url, fresh=True) as store:
        assert store.count("enterprises") == 0


def test_cli_load_and_status_on_postgres(pg_url: str, pg: PostgresStore, tmp_path: Path) -> None:
    csv = tmp_path / "ent.csv"
    enterprises_frame(3).to_csv(csv, index=False)
    env = {**os.environ, "ENBEK_STORE": pg_url, "ENBEK_DATA_DIR": str(tmp_path), "ENBEK_MODE": "official"}
    run = [sys.executable, "-m", "enbek.cli"]
    done = subprocess.run([*run, "load", "enterprises", str(csv)], capture_output=True, text=True, env=env, cwd=ROOT,
                          timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    assert "read 3, loaded 3 (replaced 0), rejected 0" in done.stdout
    done = subprocess.run([*run, "status", "--check"], capture_output=True, text=True, env=env, cwd=ROOT, timeout=120,
                          check=False)
    assert done.returncode == 0, done.stderr
    assert f"store: {pg_url}" in done.stdout
    assert "integrity check: every block of" in done.stdout
    assert re.search(r"^\s+enterprises\s+3\s+input$", done.stdout, flags=re.MULTILINE), done.stdout


def test_connection_errors_name_the_store_without_its_password(pg_cluster) -> None:
    url = f"postgresql://enbek:s3cret@/nosuchdb?host={pg_cluster.socket_dir}"
    with pytest.raises(StoreError) as caught:
        PostgresStore(url)
    message = str(caught.value)
    assert message.startswith("cannot connect to the store postgresql://enbek:***@/nosuchdb")
    assert "s3cret" not in message


def test_redact_and_placeholders() -> None:
    assert redact("postgresql://u:pw@db.internal:5433/enbek") == "postgresql://u:***@db.internal:5433/enbek"
    assert redact("postgresql://u@/enbek?host=/run/pg") == "postgresql://u@/enbek?host=/run/pg"
    assert to_pyformat("SELECT '?', \"a?\" FROM t WHERE x = ? AND y LIKE '%a' -- why?\n AND z = ?") == (
        "SELECT '?', \"a?\" FROM t WHERE x = %s AND y LIKE '%%a' -- why?\n AND z = %s"
    )
    assert to_pyformat("SELECT 'it''s ?' WHERE a % 2 = ?") == "SELECT 'it''s ?' WHERE a %% 2 = %s"


def test_map_page_queries_give_the_same_answers_on_both_engines(pg: PostgresStore, tmp_path: Path) -> None:
    from dashboard import official_views as map_view
    from data.scope import Scope
    from osh import enterprises as ent
    from osh.risk import compute_and_store_risk
    from tests.unit.osh.conftest import tiny_country

    duck = DuckDBStore(tmp_path / "same.duckdb")
    try:
        for store in (pg, duck):
            tiny_country(store, n=120)
            store.upsert("enterprises", pd.DataFrame({
                "bin": ["990101300012"], "name": ["Under_score 100% Ltd"], "kato": ["351010000"], "oked": ["07.10"],
                "employees": [5], "lat": [49.8], "lon": [73.1], "size_class": [None], "active": [True],
                "harmful_workers": [None]}), key=["bin"])
            compute_and_store_risk(store)
        assert ent.available_years(pg) == ent.available_years(duck) == [2022, 2021, 2020]
        country = Scope.country()
        for text in ("Firm 1", "firm 11", "_score 100%", "100%", "990101300012", "nobody"):
            a = map_view.search(pg, scope=country, text=text)
            b = map_view.search(duck, scope=country, text=text)
            pd.testing.assert_frame_equal(a, b, check_dtype=False)
        assert map_view.search(pg, scope=country, text="_score 100%")["bin"].tolist() == ["990101300012"]
        assert len(map_view.search(pg, scope=country, text="firm 1")) == 20  # 31 match (1, 10-19, 100-119); limit 20
        for store in (pg, duck):  # a region without enterprises: an empty list, not a crash while formatting reasons
            empty = ent.inspection_list(store, scope=Scope.of_regions(["10"]))
            assert empty.empty
            assert {"rank", "bin", "reason"} <= set(empty.columns)
        for region in ("35", "71", "62", "63"):
            la = ent.inspection_list(pg, scope=Scope.of_regions([region]))
            lb = ent.inspection_list(duck, scope=Scope.of_regions([region]))
            pd.testing.assert_frame_equal(la, lb, check_dtype=False)
        scope = Scope.country()
        la = ent.inspection_list(pg, scope=scope)
        lb = ent.inspection_list(duck, scope=scope)
        assert len(la) > 0
        pd.testing.assert_frame_equal(la, lb, check_dtype=False)
        bin_ = la["bin"].iloc[0]
        ca, cb = ent.card(pg, scope=scope, bin=bin_), ent.card(duck, scope=scope, bin=bin_)
        pd.testing.assert_frame_equal(ca.accidents_by_year, cb.accidents_by_year, check_dtype=False)
        assert ca.assessment.keys() == cb.assessment.keys()
        for field, value in ca.assessment.items():
            other = cb.assessment[field]
            if isinstance(value, float) or isinstance(other, float):
                assert float(value) == pytest.approx(float(other)), field
            else:
                assert str(value)[:10] == str(other)[:10], field
    finally:
        duck.close()


def test_read_only_store_reconnects_after_losing_its_server_connection(pg_url: str, pg: PostgresStore) -> None:
    load_frame(pg, "enterprises", enterprises_frame(2), source="setup")
    with open_store(pg_url, read_only=True) as reader:
        assert reader.count("enterprises") == 2
        pid = int(reader.sql("SELECT pg_backend_pid() AS p")["p"].iloc[0])
        pg.sql("SELECT pg_terminate_backend(?)", [pid])  # what a server restart or a failover does to the app
        assert reader.count("enterprises") == 2  # reconnected once, transparently
        assert int(reader.sql("SELECT pg_backend_pid() AS p")["p"].iloc[0]) != pid
        with pytest.raises(StoreError, match="read-only transaction"):
            reader.sql("DELETE FROM enterprises")  # the new session is read-only too
