"""A throw-away PostgreSQL cluster (Debian's `postgresql` package) in a temp dir, on a free port.

As root the cluster runs as the `postgres` user (PostgreSQL refuses to run as root). Tests that need
it are skipped, with the reason, only when no PostgreSQL binaries exist or we are neither root nor
able to run them ourselves.
"""
from __future__ import annotations

import glob
import os
import shutil
import subprocess
from pathlib import Path

from tests.servers import free_port


def postgres_bin_dir() -> Path | None:
    """Debian's versioned folder with initdb and pg_ctl, newest first; None if not installed."""
    for folder in sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True):
        if os.path.exists(os.path.join(folder, "initdb")):
            return Path(folder)
    found = shutil.which("initdb")
    return Path(found).parent if found else None


def why_postgres_cannot_run() -> str | None:
    """A reason to skip, or None when a cluster can be started here."""
    if postgres_bin_dir() is None:
        return "PostgreSQL is not installed (Debian package `postgresql`; scripts/install-system-packages)"
    if os.geteuid() == 0:
        try:
            import pwd

            pwd.getpwnam("postgres")
        except KeyError:
            return "running as root but there is no `postgres` user to run the cluster as"
    return None


class PostgresCluster:
    """One cluster: `start()`, `stop()` (data kept, for restart tests), `url` for SQLAlchemy."""

    def __init__(self, folder: Path, database: str = "zorgrecht") -> None:
        self.folder = folder
        self.data = folder / "data"
        self.port = free_port()
        self.database = database
        self.bin = postgres_bin_dir()
        self.url = f"postgresql://postgres@127.0.0.1:{self.port}/{database}"

    def _run(self, *command: str) -> subprocess.CompletedProcess:
        full = [str(self.bin / command[0]), *command[1:]]
        if os.geteuid() == 0:
            full = ["runuser", "-u", "postgres", "--", *full]
        return subprocess.run(full, check=True, capture_output=True, text=True)

    def create(self) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        if os.geteuid() == 0:
            shutil.chown(self.folder, "postgres", "postgres")
        self._run("initdb", "-D", str(self.data), "-U", "postgres", "--auth=trust", "--encoding=UTF8",
                  "--locale=C.UTF-8")
        self.start()
        self._run("createdb", "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", self.database)

    def start(self) -> None:
        options = f"-p {self.port} -c listen_addresses=127.0.0.1 -c unix_socket_directories=''"
        self._run("pg_ctl", "-D", str(self.data), "-l", str(self.folder / "postgres.log"), "-o", options,
                  "-w", "-t", "60", "start")

    def stop(self) -> None:
        self._run("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "-t", "60", "stop")

    def sql(self, query: str) -> list[tuple]:
        """Runs `query` with psycopg2; the rows."""
        import sqlalchemy as sa

        engine = sa.create_engine(self.url)
        try:
            with engine.begin() as connection:
                result = connection.execute(sa.text(query))
                return [tuple(row) for row in result] if result.returns_rows else []
        finally:
            engine.dispose()
