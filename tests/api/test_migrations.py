"""The Alembic migrations, on SQLite and PostgreSQL: an empty database comes up to head,
running them again changes nothing and keeps the data, a database of the previous schema
keeps its calendars, workers that start together migrate once, and the migrated schema is
the one the models describe."""

from __future__ import annotations

import gzip
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, column, inspect, table, text
from sqlmodel import Session, SQLModel

from api import repository
from api.database import alembic_config, make_engine, migrate, migration_connection
from api.repository import as_utc
from api.settings import Settings
from api.tables import PlanRecord
from tests.api.conftest import BACKENDS, database_url

CALENDAR = b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n"
BUSY_ROW: dict[str, Any] = {  # a busy calendar of plan1, revision 0002
    "plan_id": "plan1", "position": 0, "url": "https://calendar.example.org/x.ics",
    "body": b"busy", "digest": "sha256:x", "checked_at": datetime(2027, 1, 1, tzinfo=UTC),
    "changed_at": datetime(2027, 1, 1, tzinfo=UTC),
    "next_check_at": datetime(2027, 1, 1, tzinfo=UTC),
}  # fmt: skip
OLD_ROW: dict[str, Any] = {  # a row of revision 0001 (and 0002)
    "id": "", "owner_token_hash": "o", "feed_token": "f", "feed_token_hash": "",
    "roadmap_id": "python-backend", "profile_json": "{}", "progress_json": None,
    "plan_json": "{}", "calendar": b"", "calendar_etag": '"e"', "version": 1,
    "created_at": datetime(2027, 1, 1, tzinfo=UTC), "updated_at": datetime(2027, 1, 1, tzinfo=UTC),
}  # fmt: skip


def as_datetime(value: Any) -> datetime:
    # SQLite hands text back from a raw SELECT; PostgreSQL a datetime.
    return value if isinstance(value, datetime) else datetime.fromisoformat(value)


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


@pytest.fixture(params=BACKENDS)
def settings(request: pytest.FixtureRequest, tmp_path: Path) -> Settings:
    return Settings(data_dir=tmp_path / "fresh", database_url=database_url(request.param, request))


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
            calendar_gzip=gzip.compress(CALENDAR),
            calendar_etag='"etag"',
        )
        return record.id, secrets.owner_token


def upgrade_to(engine: Engine, revision: str) -> None:
    config = alembic_config()
    with migration_connection(engine) as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, revision)


def test_an_empty_database_is_migrated_to_head(engine: Engine) -> None:
    assert inspect(engine).get_table_names() == []
    migrate(engine)
    assert sorted(inspect(engine).get_table_names()) == [
        "alembic_version",
        "busy_sources",
        "calendar_targets",
        "plans",
    ]
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


@pytest.mark.parametrize("revision", ["0001", "0002"])
def test_calendars_stored_before_compression_are_served_unchanged(
    engine: Engine, revision: str
) -> None:
    """A database of either earlier revision comes up to head: 0003 gzips the stored
    calendars and dates their Last-Modified from the plan's last write (on SQLite it
    rebuilds the table: the busy calendars that refer to the plans stay); downgrading
    gives the original bytes back."""
    upgrade_to(engine, revision)
    written = datetime(2027, 1, 4, 9, 30, tzinfo=UTC)
    plans = table("plans", *(column(name) for name in OLD_ROW))
    busy = table("busy_sources", *(column(name) for name in BUSY_ROW))
    with engine.begin() as connection:
        for number in range(3):
            row = {**OLD_ROW, "id": f"plan{number}", "feed_token_hash": f"hash{number}",
                   "calendar": CALENDAR + b"X" * number, "updated_at": written}  # fmt: skip
            connection.execute(plans.insert().values(**row))
        if revision == "0002":
            connection.execute(busy.insert().values(**BUSY_ROW))
    migrate(engine)
    with engine.connect() as connection:
        stored = connection.execute(text("SELECT * FROM plans ORDER BY id")).mappings().all()
        sources = connection.execute(text("SELECT plan_id, body FROM busy_sources")).all()
    assert [gzip.decompress(row["calendar_gzip"]) for row in stored] == [
        CALENDAR, CALENDAR + b"X", CALENDAR + b"XX"
    ]  # fmt: skip
    assert {as_utc(as_datetime(row["calendar_modified_at"])) for row in stored} == {written}
    assert [(plan_id, bytes(body)) for plan_id, body in sources] == (
        [("plan1", b"busy")] if revision == "0002" else []
    )
    with engine.begin() as connection:  # and they still belong to their plan
        connection.execute(text("DELETE FROM plans WHERE id = 'plan1'"))
        assert connection.execute(text("SELECT count(*) FROM busy_sources")).scalar() == 0
    downgrade_to(engine, "0002")
    with engine.connect() as connection:
        restored = connection.execute(text("SELECT calendar FROM plans ORDER BY id")).scalars()
        assert [bytes(each) for each in restored] == [CALENDAR, CALENDAR + b"XX"]


def test_workers_starting_together_migrate_once(settings: Settings) -> None:
    """`planner serve --workers N`: every worker migrates when it starts; one does the
    work, the others wait for it and find nothing to do."""
    engines = [make_engine(settings) for _ in range(4)]
    try:
        start_together = threading.Barrier(len(engines))

        def start(engine: Engine) -> None:
            start_together.wait(timeout=60)
            migrate(engine)

        with ThreadPoolExecutor(len(engines)) as pool:
            list(pool.map(start, engines))  # raises what any of them raised
        assert current_revision(engines[0]) == head_revision()
    finally:
        for engine in engines:
            engine.dispose()


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
            assert gzip.decompress(record.calendar_gzip) == CALENDAR
            assert record.version == 1
    finally:
        restarted.dispose()


def downgrade_to(engine: Engine, revision: str) -> None:
    """Downgrade to `revision` ("base": nothing)."""
    config = alembic_config()
    with migration_connection(engine) as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, revision)


def test_downgrade_to_base_and_up_again(engine: Engine) -> None:
    migrate(engine)
    downgrade_to(engine, "base")
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


def test_plans_made_before_names_come_up_unnamed(engine: Engine) -> None:
    """0004 adds the plan's name: a plan stored at 0003 is unnamed (""), and downgrading
    drops the name and keeps the plan."""
    upgrade_to(engine, "0003")
    plan_id, owner_token = store_a_plan_at_0003(engine)
    migrate(engine)
    with Session(engine) as session:
        record = repository.find_owned_plan(session, plan_id=plan_id, owner_token=owner_token)
        assert record is not None
        assert record.name == ""
    downgrade_to(engine, "0003")
    assert "name" not in {column["name"] for column in inspect(engine).get_columns("plans")}
    with engine.connect() as connection:
        assert connection.execute(text("SELECT id FROM plans")).scalars().all() == [plan_id]


def store_a_plan_at_0003(engine: Engine) -> tuple[str, str]:
    owner_token = "owner"
    row = {**OLD_ROW, "id": "plan0", "feed_token_hash": "hash0",
           "owner_token_hash": repository.token_hash(owner_token)}  # fmt: skip
    del row["calendar"]
    row.update(calendar_gzip=gzip.compress(CALENDAR), calendar_modified_at=row["updated_at"])
    with engine.begin() as connection:
        connection.execute(table("plans", *(column(name) for name in row)).insert().values(**row))
    return "plan0", owner_token
