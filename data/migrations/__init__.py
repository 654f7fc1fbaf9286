"""Schema migrations of the PostgreSQL store: numbered SQL files applied once each, in order, under a lock.

0001 holds the input contracts (data/schemas.py) as they were first written, 0003 the self_assessments and 0004
the osh_measures contracts added later (tests/pg compares the migrated tables with the contracts, so a new contract needs a new file);
0002 adds the PostGIS point of each enterprise and is applied only where the postgis extension is available
(it is retried on every writable open until it is).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from data.store import StoreError

HERE = Path(__file__).resolve().parent
MIN_SERVER_VERSION = 150000  # NULLS NOT DISTINCT unique indexes (the NULL-safe keys)
_LOCK_KEY = 0x656E62656B  # "enbek": one migrator at a time per database


class MigrationError(StoreError):
    """The database cannot take the store's schema (too old a server, a failed migration)."""


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    path: Path
    needs_postgis: bool = False

    def sql(self, *, text_type: str) -> str:
        return self.path.read_text(encoding="utf-8").replace("{{TEXT}}", text_type)


MIGRATIONS: tuple[Migration, ...] = (
    Migration(1, "contracts", HERE / "0001_contracts.sql"),
    Migration(2, "postgis", HERE / "0002_postgis.sql", needs_postgis=True),
    Migration(3, "self_assessments", HERE / "0003_self_assessments.sql"),
    Migration(4, "osh_measures", HERE / "0004_osh_measures.sql"),
)


def text_type(con: Any) -> str:
    """The type of text columns: C.utf8 sorts by code point like DuckDB and, unlike "C", lets lower() fold
    Cyrillic (name search); servers without that OS locale get "C" (ASCII-only case folding)."""
    row = con.execute("SELECT count(*) FROM pg_collation WHERE collname = 'C.utf8'").fetchone()
    return 'TEXT COLLATE "C.utf8"' if row and row[0] else 'TEXT COLLATE "C"'


def _postgis_available(con: Any) -> bool:
    row = con.execute("SELECT count(*) FROM pg_available_extensions WHERE name = 'postgis'").fetchone()
    return bool(row and row[0])


def applied(con: Any) -> set[int]:
    return {int(r[0]) for r in con.execute("SELECT version FROM _migrations").fetchall()}


def migrate(con: Any) -> bool:
    """Apply the pending migrations on an autocommit psycopg connection; returns whether PostGIS is in use."""
    import psycopg

    version = int(con.info.server_version)
    if version < MIN_SERVER_VERSION:
        raise MigrationError(
            f"PostgreSQL {version // 10000} is too old for the store: it needs 15 or later (NULLS NOT DISTINCT keys)"
        )
    with con.transaction():
        con.execute("SELECT pg_advisory_xact_lock(%s)", [_LOCK_KEY])
        con.execute(
            "CREATE TABLE IF NOT EXISTS _migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, "
            "applied_at TIMESTAMPTZ NOT NULL DEFAULT now())"
        )
        done = applied(con)
        text = text_type(con)
        for migration in MIGRATIONS:
            if migration.version in done:
                continue
            if migration.needs_postgis and not _postgis_available(con):
                continue
            try:
                with con.transaction():  # a savepoint: a refused CREATE EXTENSION leaves the rest applied
                    con.execute(migration.sql(text_type=text))
                    con.execute("INSERT INTO _migrations (version, name) VALUES (%s, %s)", [migration.version, migration.name])
            except psycopg.errors.InsufficientPrivilege:
                if migration.needs_postgis:
                    continue  # PostGIS exists on the server but this role may not install it: points stay lat/lon
                raise
            except psycopg.Error as exc:
                raise MigrationError(f"migration {migration.version:04d}_{migration.name} failed: {str(exc).strip()}") from exc
        return 2 in applied(con)
