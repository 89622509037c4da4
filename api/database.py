"""The engine (SQLite in WAL mode by default, any SQLAlchemy URL otherwise) and the
schema migrations, applied with Alembic when the app starts."""

from __future__ import annotations

from importlib.resources import files
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, event
from sqlmodel import create_engine

from api.settings import Settings


def make_engine(settings: Settings) -> Engine:
    """An engine for the settings' database; for SQLite the data folder is created and
    every connection uses WAL (readers never wait for the writer) and a busy timeout."""
    url = settings.sqlalchemy_url
    if not url.startswith("sqlite"):
        return create_engine(url, pool_pre_ping=True)
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})

    @event.listens_for(engine, "connect")
    def _sqlite_pragmas(connection: Any, _record: Any) -> None:
        cursor = connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()

    return engine


def migrate(engine: Engine) -> None:
    """Bring the database schema up to date (Alembic `upgrade head`); a learner's data
    survives an upgrade because every schema change is a migration."""
    config = Config()
    config.set_main_option("script_location", str(files("api") / "migrations"))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")
