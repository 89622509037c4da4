"""Whether the database can store what the service is asked to store, and what to
answer when it cannot: a disk that is full, a read-only database, a database file
deleted under the running service, a database that cannot be reached. Never a success
for data that was not stored."""

from __future__ import annotations

import os
import weakref
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, event, exc, text

_WAL = ("-wal", "-shm")
_GUARDS: weakref.WeakKeyDictionary[Engine, SQLiteFileGuard] = weakref.WeakKeyDictionary()


class DatabaseFileGoneError(Exception):
    """The SQLite file the service opened was deleted, replaced or made read-only while
    it ran. SQLite would go on writing to a deleted file (lost at the next start), and
    writing to an immutable one with a large WAL ends the process with SIGBUS (its
    shared-memory index grows by mmap), so every write is refused instead."""


@dataclass(frozen=True)
class StorageProblem:
    status_code: int  # 503: not writable or unreachable; 507: out of space
    detail: str


class SQLiteFileGuard:
    """Checks before every statement that writes that the database file is still the one
    opened and that it, its WAL and its shared-memory index can be written."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._identity: tuple[int, int] | None = None

    def watch(self, engine: Engine) -> None:
        _GUARDS[engine] = self
        event.listen(engine, "before_cursor_execute", self._before_statement)

    @staticmethod
    def of(engine: Engine) -> SQLiteFileGuard | None:
        return _GUARDS.get(engine)

    def arm(self) -> None:
        """Remember the file as it is now (after the migrations made it)."""
        stat = self.path.stat()
        self._identity = (stat.st_dev, stat.st_ino)

    def problem(self) -> str | None:
        if self._identity is None:
            return None
        try:
            stat = self.path.stat()
        except FileNotFoundError:
            return f"the database file {self.path} was deleted while the service ran: restart it"
        if (stat.st_dev, stat.st_ino) != self._identity:
            return f"the database file {self.path} was replaced while the service ran: restart it"
        for path in (self.path, *(self.path.with_name(self.path.name + end) for end in _WAL)):
            if path.exists() and not os.access(path, os.W_OK):
                return f"{path} is read-only (or immutable): make the data folder writable"
        return None

    def _before_statement(self, *arguments: Any) -> None:
        # (connection, cursor, statement, parameters, context, executemany): before the
        # statement runs, not at commit: the SIGBUS comes while SQLite writes the rows.
        context = arguments[4]
        if context is None or not (context.isinsert or context.isupdate or context.isdelete):
            return
        problem = self.problem()
        if problem is not None:
            raise DatabaseFileGoneError(f"{problem}; nothing was stored")


def storage_problem(error: BaseException) -> StorageProblem | None:
    """What to answer for a database error that is the storage's fault (None: a bug)."""
    if isinstance(error, DatabaseFileGoneError):
        return StorageProblem(503, str(error))
    original: Any = getattr(error, "orig", None)
    sqlite_error = getattr(original, "sqlite_errorname", "") or ""
    sqlstate = getattr(original, "sqlstate", "") or ""
    if sqlite_error == "SQLITE_FULL" or sqlstate == "53100":
        return StorageProblem(507, "the database's disk is full: nothing was stored")
    if sqlite_error.startswith(("SQLITE_READONLY", "SQLITE_CANTOPEN", "SQLITE_PERM")) or (
        sqlstate == "25006"
    ):
        return StorageProblem(503, "the database is read-only: nothing was stored")
    if sqlite_error.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")):
        return StorageProblem(503, "the database is busy: nothing was stored; retry")
    if sqlite_error.startswith("SQLITE_IOERR"):
        return StorageProblem(503, "the database cannot be written (I/O error)")
    if isinstance(error, exc.OperationalError | exc.InterfaceError):
        return StorageProblem(503, "the database cannot be reached")
    return None


def write_problem(connection: Connection, settings_min_free_mb: int) -> str | None:
    """Why the database would refuse a write now, or None: what /health reports."""
    if connection.dialect.name == "postgresql":
        in_recovery, read_only = connection.execute(
            text("SELECT pg_is_in_recovery(), current_setting('transaction_read_only')")
        ).one()
        return (
            "read-only (a standby, or read-only by default)"
            if in_recovery or (read_only == "on")
            else None
        )
    guard = SQLiteFileGuard.of(connection.engine)
    if guard is None:
        return None
    return guard.problem() or _folder_problem(guard.path, settings_min_free_mb)


def _folder_problem(database: Path, min_free_mb: int) -> str | None:
    folder = database.parent
    try:
        disk = os.statvfs(folder)
    except OSError as error:
        return f"the data folder {folder} cannot be read ({error.strerror})"
    if disk.f_flag & os.ST_RDONLY:
        return f"the data folder {folder} is on a read-only file system"
    free_mb = disk.f_bavail * disk.f_frsize // 2**20
    if free_mb < min_free_mb:
        return f"{free_mb} MB free on the data folder's disk (below {min_free_mb} MB)"
    if not (os.access(folder, os.W_OK) and os.access(database, os.W_OK)):
        return f"the data folder {folder} or its database is not writable by the service"
    return None
