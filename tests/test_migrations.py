"""The Alembic migrations: an empty database comes up to head, running them again changes
nothing and keeps the data, and the migrated schema is the one the models describe."""

from __future__ import annotations

from collections.abc import Iterator
from importlib.resources import files
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, inspect, text
from sqlmodel import Session, SQLModel

from api import repository
from api.database import make_engine, migrate
from api.settings import Settings
from api.tables import PlanRecord


def alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(files("api") / "migrations"))
    return config


def head_revision() -> str:
    heads = ScriptDirectory.from_config(alembic_config()).get_heads()
    assert len(heads) == 1, f"the migrations have branched: heads {heads}"
    return heads[0]


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def schema_of(engine: Engine) -> dict[str, Any]:
    """Every table's columns (name, type, nullable, key) and indexes, as text."""
    inspector = inspect(engine)
    return {
        table: {
            "columns": [
                (c["name"], str(c["type"]), c["nullable"], c.get("primary_key"))
                for c in inspector.get_columns(table)
            ],
            "indexes": sorted(
                (i["name"], tuple(i["column_names"]), bool(i["unique"]))
                for i in inspector.get_indexes(table)
            ),
        }
        for table in sorted(inspector.get_table_names())
    }


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(data_dir=tmp_path / "fresh")


@pytest.fixture
def engine(settings: Settings) -> Iterator[Engine]:
    engine = make_engine(settings)
    yield engine
    engine.dispose()


def store_a_plan(engine: Engine) -> tuple[str, str]:
    """A plan written through the repository; its id and owner token."""
    with Session(engine) as session:
        record, secrets = repository.create_plan(
            session,
            plan_id=repository.new_plan_id(),
            roadmap_id="python-backend",
            profile_json='{"timezone": "Europe/Berlin"}',
            plan_json='{"sessions": []}',
            calendar=b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n",
            calendar_etag='"etag"',
        )
        return record.id, secrets.owner_token


def test_an_empty_database_is_migrated_to_head(settings: Settings, engine: Engine) -> None:
    assert not settings.data_dir.joinpath("planner.sqlite3").exists()
    migrate(engine)
    assert settings.data_dir.joinpath("planner.sqlite3").is_file()
    assert inspect(engine).get_table_names() == ["alembic_version", "busy_sources", "plans"]
    assert current_revision(engine) == head_revision()
    indexes = inspect(engine).get_indexes("plans")
    assert [(i["column_names"], bool(i["unique"])) for i in indexes] == [
        (["feed_token_hash"], True)
    ]


def test_migrating_again_is_a_no_op(engine: Engine) -> None:
    migrate(engine)
    before = schema_of(engine)
    migrate(engine)
    assert schema_of(engine) == before
    assert current_revision(engine) == head_revision()
    with engine.connect() as connection:
        versions = connection.execute(text("SELECT version_num FROM alembic_version")).all()
    assert versions == [(head_revision(),)]


def test_a_plan_written_at_head_survives_migrating_again(
    settings: Settings, engine: Engine
) -> None:
    migrate(engine)
    plan_id, owner_token = store_a_plan(engine)
    engine.dispose()
    # As a restarted service does: a new engine, migrations first.
    restarted = make_engine(settings)
    try:
        migrate(restarted)
        with Session(restarted) as session:
            record = repository.find_owned_plan(session, plan_id=plan_id, owner_token=owner_token)
            assert record is not None
            assert record.plan_json == '{"sessions": []}'
            assert record.calendar == b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n"
            assert record.version == 1
    finally:
        restarted.dispose()


def test_downgrade_to_base_and_up_again(engine: Engine) -> None:
    migrate(engine)
    config = alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "base")
    assert inspect(engine).get_table_names() == ["alembic_version"]
    assert current_revision(engine) is None
    migrate(engine)
    assert current_revision(engine) == head_revision()
    assert "plans" in inspect(engine).get_table_names()


def test_the_migrated_table_has_the_models_columns(engine: Engine) -> None:
    migrate(engine)
    migrated = {column["name"] for column in inspect(engine).get_columns("plans")}
    assert migrated == set(PlanRecord.__table__.columns.keys())  # type: ignore[attr-defined]


def test_the_models_need_no_migration_that_is_not_written(engine: Engine) -> None:
    migrate(engine)
    with engine.connect() as connection:
        # Types are left out: the migration's Text for the JSON columns is the model's
        # AutoString (a VARCHAR without length), which Alembic reports as a type change
        # although SQLite stores both as TEXT. Tables, columns, nullability and indexes are
        # compared.
        context = MigrationContext.configure(connection, opts={"compare_type": False})
        differences = compare_metadata(context, SQLModel.metadata)
    assert differences == []
