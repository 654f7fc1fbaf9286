"""The embedded store: a small interface (Store) and its DuckDB implementation.

osh/ and dashboard/ talk only to `Store`, never to DuckDB, so a PostgreSQL/PostGIS implementation
can replace it by implementing the same few methods.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
import threading
import time
import uuid
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import duckdb
import numpy as np
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

    def read_ints(self, table: str, column: str, *, where: Mapping[str, Any] | None = None) -> np.ndarray: ...

    def sql(self, query: str, params: Sequence[Any] = ()) -> pd.DataFrame: ...

    def upsert(self, table: str, frame: pd.DataFrame, *, key: Sequence[str]) -> int: ...

    def upsert_counted(
        self,
        table: str,
        frame: pd.DataFrame,
        *,
        key: Sequence[str],
        before_commit: Callable[[], None] | None = None,
    ) -> UpsertResult: ...

    def check_integrity(self) -> list[IntegrityProblem]: ...

    def write_table(self, table: str, frame: pd.DataFrame) -> None: ...

    def has_table(self, table: str) -> bool: ...

    def count(self, table: str) -> int: ...

    def get_meta(self, key: str, default: str | None = None) -> str | None: ...

    def set_meta(self, key: str, value: str) -> None: ...

    @property
    def version(self) -> str: ...

    @property
    def location(self) -> str: ...

    @property
    def rejects_dir(self) -> Path: ...

    def tables(self) -> list[str]: ...

    def clear(self, tables: Iterable[str]) -> None: ...

    def close(self) -> None: ...

    def __enter__(self) -> Store: ...

    def __exit__(self, *exc: object) -> None: ...


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
                self._con = self._connect_read_only()
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

    @property
    def location(self) -> str:
        return str(self.path)

    @property
    def rejects_dir(self) -> Path:
        return self.path.parent / "rejects"

    # -- reading ----------------------------------------------------------------------------------

    _ATTACHED = "store"

    def _connect_read_only(self) -> duckdb.DuckDBPyConnection:
        # A new in-memory instance that attaches the file: duckdb.connect(path) hands back the process's cached
        # instance of that path, which still reads the file a load has since replaced (data.store.writing).
        con = duckdb.connect(":memory:")
        try:
            quoted = str(self.path).replace("'", "''")
            con.execute(f"ATTACH '{quoted}' AS {self._ATTACHED} (READ_ONLY)")
            con.execute(f"USE {self._ATTACHED}")
        except duckdb.Error:
            con.close()
            raise
        return con

    def _cursor(self) -> duckdb.DuckDBPyConnection:
        # One cursor per call: DuckDB connections are not safe to share across Streamlit's threads.
        cur = self._con.cursor()
        if self.read_only:  # a cursor starts in the default (in-memory) catalog
            cur.execute(f"USE {self._ATTACHED}")
        return cur

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

    def read_ints(self, table: str, column: str, *, where: Mapping[str, Any] | None = None) -> np.ndarray:
        """One non-null integer column of the rows that match `where`, as int64 (the map's row ids: a
        400 000-row filter result without building a frame)."""
        if not self.has_table(table):
            raise StoreError(f"table {table!r} is not in the store {self.path}")
        clauses, params = _where(where or {})
        query = f"SELECT CAST({_ident(column)} AS BIGINT) AS v FROM {_ident(table)}" + (
            f" WHERE {' AND '.join(clauses)}" if clauses else "")
        cur = self._cursor()
        try:
            relation = cur.sql(query, params=list(params)) if params else cur.sql(query)
            values = relation.fetchnumpy()["v"] if relation is not None else np.empty(0)
        finally:
            cur.close()
        if np.ma.isMaskedArray(values) and np.ma.count_masked(values):
            raise StoreError(f"{table}.{column} has empty values; read_ints reads non-null integer columns only")
        return np.asarray(values, dtype=np.int64)

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


POSTGRES_SCHEMES = ("postgresql://", "postgres://")


def is_postgres(location: Path | str) -> bool:
    """Whether a store location names a PostgreSQL database (a URL) rather than a DuckDB file."""
    return isinstance(location, str) and location.strip().startswith(POSTGRES_SCHEMES)


def resolve_location(value: Path | str | None = None) -> Path | str:
    """The store a command or page means: `value` when given, else ENBEK_STORE. A PostgreSQL URL stays a
    string (a Path would fold its '//'); anything else is the path of a DuckDB file."""
    if value is None:
        raw = settings.get("ENBEK_STORE").strip()
        return raw if is_postgres(raw) else settings.store_path()
    if is_postgres(value):
        return str(value).strip()
    return Path(value).expanduser()


def store_exists(location: Path | str | None = None) -> bool:
    """A DuckDB file exists; a PostgreSQL database is assumed to exist (opening it says otherwise)."""
    resolved = resolve_location(location)
    return True if isinstance(resolved, str) else resolved.is_file()


def store_stamp(location: Path | str | None = None) -> str:
    """Changes when a write swaps in a new DuckDB file (inode, size, mtime): caches of open read-only
    connections key on it, so a page run after a load reopens the file instead of reading the old one."""
    resolved = resolve_location(location)
    if isinstance(resolved, str):
        return "postgresql"
    try:
        stat = resolved.stat()
    except FileNotFoundError:
        return "missing"
    return f"{stat.st_ino}:{stat.st_size}:{stat.st_mtime_ns}"


def _refuse_public() -> None:
    if settings.mode() == "public":
        # The public app must never hold enterprise-level data; it reads only ENBEK_PUBLIC_DIR.
        raise StoreError(
            "ENBEK_MODE=public: the public app never opens the enterprise store; it reads only the "
            f"published tables in ENBEK_PUBLIC_DIR ({settings.get_path('ENBEK_PUBLIC_DIR')}). "
            "Run 'enbek publish' in the official environment, or set ENBEK_MODE=official."
        )


def open_store(path: Path | str | None = None, *, read_only: bool = False) -> Store:
    """Open the store named by ENBEK_STORE (or `path`): a PostgreSQL database for a postgresql:// URL,
    else the embedded DuckDB file. Refused in the public deployment.

    A writable DuckDB store opened here takes the file exclusively, which fails while the app holds it
    open; commands that write while the app serves use `writing()` instead."""
    _refuse_public()
    location = resolve_location(path)
    if isinstance(location, str):
        from data.pg import PostgresStore

        return PostgresStore(location, read_only=read_only)
    return DuckDBStore(location, read_only=read_only)


_LOCK_POLL_S = 0.2


@contextmanager
def _writer_lock(target: Path, *, timeout: float) -> Iterator[None]:
    """One writer at a time per store file (two copy-and-swap writers would lose each other's rows)."""
    lock_path = target.with_name(f".{target.name}.write-lock")
    with owner_only():
        handle = open(lock_path, "a+b")  # noqa: SIM115 - closed by the with below
    with handle:
        waited = 0.0
        while True:
            try:
                fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if waited >= timeout:
                    raise StoreError(
                        f"another write to {target} is still running (lock {lock_path} held for {waited:.0f} s); "
                        "wait for it to finish and run the command again"
                    ) from None
                time.sleep(_LOCK_POLL_S)
                waited += _LOCK_POLL_S
        try:
            yield
        finally:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


@contextmanager
def writing(path: Path | str | None = None, *, fresh: bool = False, lock_timeout: float = 600.0) -> Iterator[Store]:
    """A writable store for one command (load, score, build-demo), safe while the app reads the store.

    DuckDB: the writes go to a copy of the file (an empty file with `fresh`), which replaces the store with
    os.replace when the block ends without an error; a reader that holds the old file keeps reading the old
    data, the next opener sees the new data, and on an error the store is unchanged. Writers queue on a lock
    file beside the store. PostgreSQL: the database itself; each upsert or table write is one transaction,
    so readers see the old or the new rows, never half of them.
    """
    _refuse_public()
    location = resolve_location(path)
    if isinstance(location, str):
        from data.pg import PostgresStore

        pg = PostgresStore(location)
        try:
            if fresh:
                pg.clear(pg.tables())
            yield pg
        finally:
            pg.close()
        return
    target = location
    target.parent.mkdir(parents=True, exist_ok=True)
    with _writer_lock(target, timeout=lock_timeout):
        staging = target.with_name(f".{target.name}.{uuid.uuid4().hex[:8]}.writing")
        staging_wal = Path(f"{staging}.wal")
        target_wal = Path(f"{target}.wal")
        try:
            if target.exists() and not fresh:
                with owner_only():  # the copy holds enterprise-level data from its first byte
                    shutil.copyfile(target, staging)
                    if target_wal.exists():  # left by a writer that died before its checkpoint: replayed on open
                        shutil.copyfile(target_wal, staging_wal)
            store = DuckDBStore(staging)
            try:
                yield store
                store._con.execute("CHECKPOINT")  # everything in the file itself before it is renamed
            finally:
                store.close()
            if target.exists():  # the new file keeps the old one's permissions
                shutil.copymode(target, staging)
            target_wal.unlink(missing_ok=True)
            os.replace(staging, target)
        finally:
            staging.unlink(missing_ok=True)
            staging_wal.unlink(missing_ok=True)
