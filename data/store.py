"""The embedded store: a small interface (Store) and its DuckDB implementation.

osh/ and dashboard/ talk only to `Store`, never to DuckDB, so a PostgreSQL/PostGIS implementation
can replace it by implementing the same few methods.
"""

from __future__ import annotations

import contextlib
import os
import threading
import uuid
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import duckdb
import pandas as pd

from data import settings
from data.schemas import SCHEMAS, SQL_TYPES

META_TABLE = "_meta"


class StoreError(RuntimeError):
    """The store cannot be opened or does not hold what was asked for."""


class Store(Protocol):
    def read(
        self,
        table: str,
        *,
        columns: Sequence[str] | None = None,
        where: Mapping[str, Any] | None = None,
    ) -> pd.DataFrame: ...

    def sql(self, query: str, params: Sequence[Any] = ()) -> pd.DataFrame: ...

    def upsert(self, table: str, frame: pd.DataFrame, *, key: Sequence[str]) -> int: ...

    def write_table(self, table: str, frame: pd.DataFrame) -> None: ...

    def has_table(self, table: str) -> bool: ...

    def count(self, table: str) -> int: ...

    def get_meta(self, key: str, default: str | None = None) -> str | None: ...

    def set_meta(self, key: str, value: str) -> None: ...

    @property
    def version(self) -> str: ...

    def close(self) -> None: ...


@dataclass(frozen=True)
class UpsertResult:
    loaded: int  # rows written
    replaced: int  # of which replaced a stored row with the same key


@dataclass(frozen=True)
class IntegrityProblem:
    table: str
    message: str


@contextlib.contextmanager
def owner_only() -> Iterator[None]:
    """Files and directories created inside are readable by the owner only (umask 077): the store,
    its write-ahead log and the rejects reports hold enterprise-level data."""
    old = os.umask(0o077)
    try:
        yield
    finally:
        os.umask(old)


def _ident(name: str) -> str:
    if not name.replace("_", "").isalnum():
        raise StoreError(f"invalid identifier {name!r}")
    return f'"{name}"'


class DuckDBStore:
    """A DuckDB database file. Writers take the file exclusively; the app opens it read-only."""

    def __init__(self, path: Path, *, read_only: bool = False) -> None:
        self.path = Path(path)
        self.read_only = read_only
        if read_only and not self.path.exists():
            raise StoreError(
                f"store {self.path} does not exist; build it with 'enbek build-demo' or load data with 'enbek load'"
            )
        try:
            if read_only:
                self._con = duckdb.connect(str(self.path), read_only=True)
            else:
                with owner_only():
                    self.path.parent.mkdir(parents=True, exist_ok=True)
                    self._con = duckdb.connect(str(self.path), read_only=False)
                # A store made before this rule, or by another tool, is narrowed too (when this account owns it).
                with contextlib.suppress(PermissionError):
                    self.path.chmod(0o600)
        except duckdb.Error as exc:
            raise StoreError(f"cannot open store {self.path}: {exc}") from exc
        self._lock = threading.Lock()
        if not read_only:
            self._con.execute(f"CREATE TABLE IF NOT EXISTS {META_TABLE} (key VARCHAR PRIMARY KEY, value VARCHAR)")
            for schema in SCHEMAS.values():
                cols = ", ".join(f"{_ident(c.name)} {SQL_TYPES[c.kind]}" for c in schema.columns)
                self._con.execute(f"CREATE TABLE IF NOT EXISTS {_ident(schema.table)} ({cols})")

    # -- reading ----------------------------------------------------------------------------------

    def _cursor(self) -> duckdb.DuckDBPyConnection:
        # One cursor per call: DuckDB connections are not safe to share across Streamlit's threads.
        return self._con.cursor()

    def read(
        self,
        table: str,
        *,
        columns: Sequence[str] | None = None,
        where: Mapping[str, Any] | None = None,
    ) -> pd.DataFrame:
        if not self.has_table(table):
            raise StoreError(f"table {table!r} is not in the store {self.path}")
        cols = ", ".join(_ident(c) for c in columns) if columns else "*"
        clauses, params = _where(where or {})
        query = f"SELECT {cols} FROM {_ident(table)}" + (f" WHERE {' AND '.join(clauses)}" if clauses else "")
        return self.sql(query, params)

    def sql(self, query: str, params: Sequence[Any] = ()) -> pd.DataFrame:
        cur = self._cursor()
        try:
            # Through Arrow: several times faster than .df() for wide text columns (400 000 rows).
            relation = cur.sql(query, params=list(params)) if params else cur.sql(query)
            if relation is None:  # a statement that returns no rows
                return pd.DataFrame()
            return relation.to_arrow_table().to_pandas(date_as_object=False)
        finally:
            cur.close()

    def has_table(self, table: str) -> bool:
        cur = self._cursor()
        try:
            found = cur.execute(
                "SELECT count(*) FROM information_schema.tables WHERE table_name = ?", [table]
            ).fetchone()
        finally:
            cur.close()
        return bool(found and found[0])

    def tables(self) -> list[str]:
        frame = self.sql("SELECT table_name FROM information_schema.tables ORDER BY table_name")
        return [t for t in frame["table_name"] if t != META_TABLE]

    def count(self, table: str) -> int:
        if not self.has_table(table):
            return 0
        frame = self.sql(f"SELECT count(*) AS n FROM {_ident(table)}")
        return int(frame["n"].iloc[0])

    def get_meta(self, key: str, default: str | None = None) -> str | None:
        if not self.has_table(META_TABLE):
            return default
        frame = self.sql(f"SELECT value FROM {META_TABLE} WHERE key = ?", [key])
        return default if frame.empty else str(frame["value"].iloc[0])

    @property
    def version(self) -> str:
        """Changes with every write: the key for caches of anything derived from the store."""
        return self.get_meta("version", "0") or "0"

    # -- writing ----------------------------------------------------------------------------------

    def _require_writable(self) -> None:
        if self.read_only:
            raise StoreError(f"store {self.path} is open read-only")

    def set_meta(self, key: str, value: str) -> None:
        self._require_writable()
        with self._lock, owner_only():
            self._con.execute(
                f"INSERT OR REPLACE INTO {META_TABLE} VALUES (?, ?)", [key, value]
            )

    def _bump_version(self) -> None:
        self._con.execute(f"INSERT OR REPLACE INTO {META_TABLE} VALUES ('version', ?)", [uuid.uuid4().hex[:12]])

    def upsert(self, table: str, frame: pd.DataFrame, *, key: Sequence[str]) -> int:
        """Insert rows, replacing existing rows with the same key; all or nothing."""
        return self.upsert_counted(table, frame, key=key).loaded

    def upsert_counted(
        self,
        table: str,
        frame: pd.DataFrame,
        *,
        key: Sequence[str],
        before_commit: Callable[[], None] | None = None,
    ) -> UpsertResult:
        """upsert() that also counts the stored rows it replaced. Keys match with IS NOT DISTINCT FROM, so
        an empty key part (a national row: region NULL) replaces only a row whose part is empty too.
        `before_commit` runs inside the transaction (the loader writes its rejects report there): if it
        raises, nothing is written."""
        self._require_writable()
        if frame.empty and before_commit is None:
            return UpsertResult(0, 0)
        cols = ", ".join(_ident(c) for c in frame.columns)
        match = " AND ".join(f"t.{_ident(k)} IS NOT DISTINCT FROM i.{_ident(k)}" for k in key)
        with self._lock, owner_only():
            con = self._con
            con.register("_incoming", frame)
            try:
                con.execute("BEGIN TRANSACTION")
                replaced = 0
                if not frame.empty:
                    deleted = con.execute(
                        f"DELETE FROM {_ident(table)} t WHERE EXISTS (SELECT 1 FROM _incoming i WHERE {match})"
                    ).fetchone()
                    replaced = int(deleted[0]) if deleted else 0
                    con.execute(f"INSERT INTO {_ident(table)} ({cols}) SELECT {cols} FROM _incoming")
                    self._bump_version()
                if before_commit is not None:
                    before_commit()
                con.execute("COMMIT")
            except BaseException:
                con.execute("ROLLBACK")
                raise
            finally:
                con.unregister("_incoming")
        return UpsertResult(len(frame), replaced)

    def check_integrity(self) -> list[IntegrityProblem]:
        """Read every column of every table in full (DuckDB verifies each block's checksum as it reads it),
        so a damaged block anywhere is found, not only in the pages a query happens to touch."""
        problems: list[IntegrityProblem] = []
        for table in [*self.tables(), META_TABLE]:
            try:
                columns = self.sql(
                    "SELECT column_name FROM information_schema.columns WHERE table_name = ? ORDER BY ordinal_position",
                    [table],
                )["column_name"].tolist()
                quoted = ['"' + str(c).replace('"', '""') + '"' for c in columns]
                sums = ", ".join(f"bit_xor(hash({c}))" for c in quoted) or "0"
                self.sql(f'SELECT count(*), {sums} FROM "{table.replace(chr(34), chr(34) * 2)}"')
            except (duckdb.Error, StoreError) as exc:
                problems.append(IntegrityProblem(table, str(exc).splitlines()[0]))
        return problems

    def write_table(self, table: str, frame: pd.DataFrame) -> None:
        """Create or replace a whole (derived) table."""
        self._require_writable()
        with self._lock, owner_only():
            con = self._con
            con.register("_whole", frame)
            try:
                con.execute("BEGIN TRANSACTION")
                con.execute(f"CREATE OR REPLACE TABLE {_ident(table)} AS SELECT * FROM _whole")
                self._bump_version()
                con.execute("COMMIT")
            except Exception:
                con.execute("ROLLBACK")
                raise
            finally:
                con.unregister("_whole")

    def clear(self, tables: Iterable[str]) -> None:
        self._require_writable()
        with self._lock, owner_only():
            for table in tables:
                if self.has_table(table):
                    self._con.execute(f"DELETE FROM {_ident(table)}")
            self._bump_version()

    def close(self) -> None:
        self._con.close()

    def __enter__(self) -> DuckDBStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _where(where: Mapping[str, Any]) -> tuple[list[str], list[Any]]:
    clauses: list[str] = []
    params: list[Any] = []
    for column, value in where.items():
        if value is None:
            clauses.append(f"{_ident(column)} IS NULL")
        elif isinstance(value, (list, tuple, set, frozenset)):
            values = list(value)
            if not values:
                clauses.append("FALSE")
            else:
                clauses.append(f"{_ident(column)} IN ({', '.join('?' for _ in values)})")
                params.extend(values)
        else:
            clauses.append(f"{_ident(column)} = ?")
            params.append(value)
    return clauses, params


def open_store(path: Path | str | None = None, *, read_only: bool = False) -> DuckDBStore:
    """Open the store named by ENBEK_STORE (or `path`). Refused in the public deployment."""
    if settings.mode() == "public":
        # The public app must never hold enterprise-level data; it reads only ENBEK_PUBLIC_DIR.
        raise StoreError(
            "ENBEK_MODE=public: the public app never opens the enterprise store; it reads only the "
            f"published tables in ENBEK_PUBLIC_DIR ({settings.get_path('ENBEK_PUBLIC_DIR')}). "
            "Run 'enbek publish' in the official environment, or set ENBEK_MODE=official."
        )
    return DuckDBStore(Path(path) if path is not None else settings.store_path(), read_only=read_only)
