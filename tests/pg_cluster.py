"""A throwaway PostgreSQL cluster for the tests: initdb into a temporary directory, a Unix socket there and no TCP
listener at all, stopped and deleted at the end. Run as root (CI, this machine), the server runs as the
unprivileged user `nobody` (PostgreSQL refuses to run as root)."""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import subprocess
import tempfile
import uuid
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

DATABASE = "enbek_test"
USER = "enbek"
RUN_AS = "nobody"


class ClusterUnavailable(RuntimeError):
    """No PostgreSQL server binaries (>= 15) on this machine, or the cluster did not start."""


def find_bindir() -> Path:
    """The newest PostgreSQL >= 15 server binaries: ENBEK_PG_BINDIR, Debian's /usr/lib/postgresql/N/bin, or PATH."""
    given = os.environ.get("ENBEK_PG_BINDIR")
    candidates = [Path(given)] if given else []
    versions = sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=lambda p: int(Path(p).parent.name) if Path(p).parent.name.isdigit() else 0)
    candidates += [Path(p) for p in reversed(versions) if Path(p).parent.name.isdigit() and int(Path(p).parent.name) >= 15]
    on_path = shutil.which("initdb")
    if on_path:
        candidates.append(Path(on_path).parent)
    for directory in candidates:
        if (directory / "initdb").is_file() and (directory / "pg_ctl").is_file():
            return directory
    raise ClusterUnavailable(
        "no PostgreSQL 15+ server binaries (initdb, pg_ctl) found; install them with "
        "'apt-get install -y postgresql postgresql-15-postgis-3' or set ENBEK_PG_BINDIR"
    )


@dataclass
class Cluster:
    bindir: Path
    root: Path
    postgis: bool = False

    @property
    def data(self) -> Path:
        return self.root / "data"

    @property
    def socket_dir(self) -> Path:
        return self.root

    def url(self, *, database: str = DATABASE, schema: str | None = None) -> str:
        options = f"&options={quote(f'-csearch_path={schema},public', safe='')}" if schema else ""
        return f"postgresql://{USER}@/{database}?host={quote(str(self.socket_dir), safe='')}{options}"

    def _run(self, *args: str) -> subprocess.CompletedProcess[str]:
        command = list(args)
        if os.geteuid() == 0:
            command = ["runuser", "-u", RUN_AS, "--", *command]
        return subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)

    def start(self) -> None:
        if os.geteuid() == 0:
            user = pwd.getpwnam(RUN_AS)
            os.chown(self.root, user.pw_uid, user.pw_gid)
        os.chmod(self.root, 0o700)
        done = self._run(str(self.bindir / "initdb"), "-D", str(self.data), "-U", USER, "--auth=trust",
                         "--locale=C.UTF-8", "-E", "UTF8", "--no-sync")
        if done.returncode != 0:
            raise ClusterUnavailable(f"initdb failed: {done.stderr.strip() or done.stdout.strip()}")
        # Unix socket in the private directory only: nothing listens on a network address.
        options = (f"-c listen_addresses='' -k {self.socket_dir} -c fsync=off -c synchronous_commit=off "
                   "-c full_page_writes=off -c max_connections=50 -c shared_buffers=128MB")
        done = self._run(str(self.bindir / "pg_ctl"), "-D", str(self.data), "-l", str(self.root / "server.log"),
                         "-o", options, "-w", "-t", "60", "start")
        if done.returncode != 0:
            log = (self.root / "server.log").read_text(errors="replace")[-2000:] if (self.root / "server.log").exists() else ""
            raise ClusterUnavailable(f"pg_ctl start failed: {done.stderr.strip()} {log}")
        import psycopg

        with psycopg.connect(self.url(database="postgres"), autocommit=True) as con:
            con.execute(f"CREATE DATABASE {DATABASE}")
        with psycopg.connect(self.url(), autocommit=True) as con:
            available = con.execute("SELECT count(*) FROM pg_available_extensions WHERE name = 'postgis'").fetchone()
            if available and available[0]:
                con.execute("CREATE EXTENSION postgis SCHEMA public")
                self.postgis = True

    def stop(self) -> None:
        if self.data.exists():
            self._run(str(self.bindir / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "-w", "stop")
        shutil.rmtree(self.root, ignore_errors=True)

    def new_schema(self) -> str:
        """A fresh schema for one test (cheaper than a database); dropped with drop_schema()."""
        import psycopg

        name = f"t_{uuid.uuid4().hex[:12]}"
        with psycopg.connect(self.url(), autocommit=True) as con:
            con.execute(f"CREATE SCHEMA {name}")
        return name

    def drop_schema(self, name: str) -> None:
        import psycopg

        with psycopg.connect(self.url(), autocommit=True) as con:
            con.execute(f"DROP SCHEMA IF EXISTS {name} CASCADE")


def start_cluster() -> Cluster:
    cluster = Cluster(find_bindir(), Path(tempfile.mkdtemp(prefix="enbek-pg-")))
    try:
        cluster.start()
    except BaseException:
        cluster.stop()
        raise
    return cluster
