"""The engine (SQLite in WAL mode by default, PostgreSQL or any SQLAlchemy URL otherwise)
and the schema migrations, applied with Alembic when the app starts."""

from __future__ import annotations

import fcntl
from collections.abc import Iterator
from contextlib import contextmanager
from importlib.resources import files
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import Connection, Engine, event, text
from sqlmodel import create_engine

from api.settings import Settings
from api.storage import SQLiteFileGuard

# Any fixed number: the PostgreSQL advisory lock that lets one process migrate at a time.
_MIGRATION_LOCK = 7_124_801


def make_engine(settings: Settings) -> Engine:
    """An engine for the settings' database, with a connection for every thread that
    may need one at once (feeds, requests, solves that end together)."""
    url = settings.sqlalchemy_url
    pool = {"pool_size": settings.feed_threads + settings.max_concurrent_solves + 4}
    if not url.startswith("sqlite"):
        # No pre-ping: it would double the round trips of every feed request. A
        # connection the server dropped fails one request (503) and SQLAlchemy then
        # replaces every pooled connection.
        return create_engine(url, max_overflow=16, **pool)
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    engine = create_engine(
        url, connect_args={"check_same_thread": False, "timeout": 30}, max_overflow=16, **pool
    )

    @event.listens_for(engine, "connect")
    def _sqlite_pragmas(connection: Any, _record: Any) -> None:
        cursor = connection.cursor()
        # WAL: readers never wait for the writer. A WAL past 64 MB is cut back to that
        # after each checkpoint, so a burst of writes does not leave a large file behind.
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA journal_size_limit=67108864")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()

    if engine.url.database:
        SQLiteFileGuard(Path(engine.url.database)).watch(engine)
    return engine


def alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(files("api") / "migrations"))
    return config


def migrate(engine: Engine) -> None:
    """Bring the database schema up to date (Alembic `upgrade head`); a learner's data
    survives an upgrade because every schema change is a migration. Several worker
    processes may start at once: one migrates, the others wait and find nothing to do."""
    with _one_migrator(engine), migration_connection(engine) as connection:
        if connection.dialect.name == "postgresql":
            connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _MIGRATION_LOCK})
        _upgrade(connection)
    guard = SQLiteFileGuard.of(engine)
    if guard is not None:
        guard.arm()


@contextmanager
def migration_connection(engine: Engine) -> Iterator[Connection]:
    """A connection in a transaction for Alembic. On SQLite, foreign keys are off while
    it runs (a migration that rebuilds a table would otherwise delete, by cascade, the
    rows that refer to it) and checked when it is done."""
    with engine.connect() as connection:
        sqlite = connection.dialect.name == "sqlite"
        if sqlite:  # outside a transaction, or SQLite ignores it
            connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
            connection.commit()
        try:
            with connection.begin():
                yield connection
                if sqlite and connection.exec_driver_sql("PRAGMA foreign_key_check").first():
                    raise RuntimeError("a migration left rows that refer to missing rows")
        finally:
            if sqlite:
                connection.exec_driver_sql("PRAGMA foreign_keys=ON")
                connection.commit()


def _upgrade(connection: Connection) -> None:
    config = alembic_config()
    config.attributes["connection"] = connection
    command.upgrade(config, "head")


@contextmanager
def _one_migrator(engine: Engine) -> Iterator[None]:
    """For SQLite, a lock file beside the database (SQLite's own locks do not cover
    Alembic's check-then-create); PostgreSQL takes an advisory lock instead."""
    if engine.dialect.name != "sqlite" or not engine.url.database:
        yield
        return
    with open(f"{engine.url.database}.migrate-lock", "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)
