"""A throwaway PostgreSQL server for the tests and the load bench: Debian's `postgresql`
binaries, a new cluster in a temporary folder, listening on a free loopback port (and a
socket in that folder), trusted local logins, durability off (the data is thrown away).

PostgreSQL refuses to run as root; as root, the server runs as the `postgres` user that
Debian's package creates. pytest-postgresql's executor would do the rest of this, but it
starts the server as the current user, which fails as root (CI runs as root).
"""

from __future__ import annotations

import itertools
import os
import shutil
import socket
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path


def server_binaries() -> Path | None:
    """The folder of initdb and pg_ctl: Debian keeps them out of PATH."""
    for name in ("initdb", "pg_ctl"):
        found = shutil.which(name)
        if found:
            return Path(found).resolve().parent
    versions = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"), reverse=True)
    return versions[0].parent if versions else None


@dataclass
class TemporaryPostgres:
    folder: Path
    port: int
    binaries: Path
    _names: itertools.count[int] = field(default_factory=itertools.count)

    @classmethod
    def start(cls, *, settings: tuple[str, ...] = ()) -> TemporaryPostgres:
        """initdb + pg_ctl start in a new temporary folder (in /tmp: as root, the server's
        user must reach it); extra `-c name=value` settings. `stop()` removes it.

        Raises:
            RuntimeError: the server binaries are missing, or the server did not start.
        """
        binaries = server_binaries()
        if binaries is None:
            raise RuntimeError("PostgreSQL's server is not installed: apt-get install postgresql")
        folder = Path(tempfile.mkdtemp(prefix="planner-postgres-"))
        server = cls(folder, free_port(), binaries)
        if os.geteuid() == 0:
            shutil.chown(folder, "postgres")
        server._run("initdb", "-D", str(server.data), "-U", "postgres", "--auth=trust",
                    "-E", "UTF8", "--no-sync", "--no-instructions")  # fmt: skip
        options = [
            f"-p {server.port}",
            "-c listen_addresses=127.0.0.1",
            f"-c unix_socket_directories={folder}",
            "-c fsync=off",
            "-c synchronous_commit=off",
            "-c full_page_writes=off",
            *(f"-c {setting}" for setting in settings),
        ]
        server._run("pg_ctl", "-D", str(server.data), "-l", str(server.log), "-w",
                    "-o", " ".join(options), "start")  # fmt: skip
        return server

    @property
    def data(self) -> Path:
        return self.folder / "data"

    @property
    def log(self) -> Path:
        return self.folder / "server.log"

    def url(self, database: str = "postgres") -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{database}"

    def new_database(self) -> str:
        """A new empty database; its SQLAlchemy URL."""
        name = f"test_{os.getpid()}_{next(self._names)}"
        self.execute(f"CREATE DATABASE {name} TEMPLATE template0 STRATEGY FILE_COPY")
        return self.url(name)

    def stop(self) -> None:
        try:
            self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")
        finally:
            shutil.rmtree(self.folder, ignore_errors=True)

    def execute(self, *statements: str) -> None:
        """Run `statements` as the superuser, outside a transaction."""
        import psycopg  # the driver the service uses

        with psycopg.connect(self.url().replace("+psycopg", ""), autocommit=True) as connection:
            for statement in statements:
                connection.execute(statement)  # type: ignore[arg-type]

    def _run(self, program: str, *arguments: str) -> None:
        command = [str(self.binaries / program), *arguments]
        if os.geteuid() == 0:
            command = ["runuser", "-u", "postgres", "--", *command]
        result = subprocess.run(command, capture_output=True, text=True, check=False)
        if result.returncode != 0:
            log = self.log.read_text() if self.log.exists() else ""
            raise RuntimeError(f"{' '.join(command)} failed:\n{result.stderr}\n{log}")


def free_port() -> int:
    """A loopback port nothing listens on now (for a server the tests or bench start)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])
