"""When the database cannot store what the service is asked to store, the answer is a
JSON 503 or 507 that says why, /health says the database is not writable, and no
success is ever answered for data that was not stored.

SQLite's own limits stand in for a full disk (`max_page_count`: the same SQLITE_FULL a
full disk gives) and a read-only file (`query_only`: SQLITE_READONLY): the tests run as
root, which file permissions do not stop. PostgreSQL is made read-only and unreachable
for real."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, event, text

from api.settings import Settings
from tests.api.owned_plans import owner
from tests.postgres_cluster import TemporaryPostgres
from tests.serving import service_app


def create(client: Any, profile: dict[str, Any]) -> Any:
    return client.post("/plans", json={"profile": profile})


def plans_stored(settings: Settings) -> int:
    """How many plans a service started afresh on `settings` finds."""
    with TestClient(service_app(settings)) as restarted:
        engine: Engine = restarted.app.state.engine  # type: ignore[attr-defined]
        with engine.connect() as connection:
            return int(connection.execute(text("SELECT count(*) FROM plans")).scalar_one())


def on_every_connection(engine: Engine, *pragmas: str) -> None:
    """Run `pragmas` on every connection the engine opens from now on."""

    @event.listens_for(engine, "connect")
    def _pragmas(connection: Any, _record: Any) -> None:
        for pragma in pragmas:
            connection.execute(pragma)

    engine.dispose()  # the pooled connections were opened before


@pytest.fixture
def sqlite_settings(tmp_path: Path) -> Settings:
    return Settings(data_dir=tmp_path / "data", public_url="https://x.example")


def test_a_database_deleted_under_the_service_refuses_every_write(
    sqlite_settings: Settings, example_profile: dict[str, Any]
) -> None:
    """SQLite goes on writing to a deleted file: writes answered 201 and were gone after
    a restart."""
    database = sqlite_settings.data_dir / "planner.sqlite3"
    with TestClient(service_app(sqlite_settings)) as client:
        created = create(client, example_profile).json()
        for path in sqlite_settings.data_dir.glob("planner.sqlite3*"):
            path.unlink()
        refused = create(client, example_profile)
        assert refused.status_code == 503
        assert refused.json() == {
            "detail": f"the database file {database} was deleted while the service ran: "
            "restart it; nothing was stored"
        }
        progress = client.post(
            f"/plans/{created['id']}/progress", headers=owner(created), json={"done": ["1.1"]}
        )
        assert progress.status_code == 503
        health = client.get("/health")
        assert health.status_code == 503
        assert health.json() == {
            "status": "unavailable",
            "database": f"not writable: the database file {database} was deleted while the "
            "service ran: restart it",
        }
    assert plans_stored(sqlite_settings) == 0


def test_a_full_disk_is_a_507_and_nothing_is_stored(
    sqlite_settings: Settings, example_profile: dict[str, Any]
) -> None:
    with TestClient(service_app(sqlite_settings)) as client:
        assert create(client, example_profile).status_code == 201
        engine = client.app.state.engine  # type: ignore[attr-defined]
        with engine.connect() as connection:
            pages = connection.execute(text("PRAGMA page_count")).scalar_one()
        on_every_connection(engine, f"PRAGMA max_page_count = {pages}")
        full = create(client, example_profile)
        assert full.status_code == 507
        assert full.json() == {"detail": "the database's disk is full: nothing was stored"}
    assert plans_stored(sqlite_settings) == 1


def test_a_read_only_database_is_a_503(
    sqlite_settings: Settings, example_profile: dict[str, Any]
) -> None:
    with TestClient(service_app(sqlite_settings)) as client:
        created = create(client, example_profile).json()
        on_every_connection(client.app.state.engine, "PRAGMA query_only = ON")  # type: ignore[attr-defined]
        refused = client.post(f"/plans/{created['id']}/feed/rotate", headers=owner(created))
        assert refused.status_code == 503
        assert refused.json() == {"detail": "the database is read-only: nothing was stored"}
        assert client.get(created["feed"]["url"].split("x.example")[1]).status_code == 200


def test_health_reports_a_disk_with_too_little_room(sqlite_settings: Settings) -> None:
    settings = sqlite_settings.model_copy(update={"min_free_disk_mb": 2**40})
    with TestClient(service_app(settings)) as client:
        health = client.get("/health")
        assert health.status_code == 503
        assert health.json()["database"].startswith("not writable: ")
        assert health.json()["database"].endswith(
            f"MB free on the data folder's disk (below {2**40} MB)"
        )


# --- PostgreSQL -------------------------------------------------------------------------


@pytest.fixture
def postgres_settings(
    postgres_server: TemporaryPostgres, tmp_path: Path
) -> Iterator[tuple[Settings, str]]:
    """Settings on a new database, and that database's name."""
    url = postgres_server.new_database()
    name = url.rsplit("/", 1)[1]
    yield Settings(data_dir=tmp_path, database_url=url, public_url="https://x.example"), name
    postgres_server.execute(
        f"ALTER DATABASE {name} ALLOW_CONNECTIONS true",
        f"ALTER DATABASE {name} RESET default_transaction_read_only",
    )


def test_a_read_only_postgresql_is_a_503_and_health_says_so(
    postgres_settings: tuple[Settings, str],
    postgres_server: TemporaryPostgres,
    example_profile: dict[str, Any],
) -> None:
    settings, name = postgres_settings
    with TestClient(service_app(settings)) as client:
        assert create(client, example_profile).status_code == 201
        postgres_server.execute(f"ALTER DATABASE {name} SET default_transaction_read_only = on")
        client.app.state.engine.dispose()  # type: ignore[attr-defined]
        refused = create(client, example_profile)
        assert refused.status_code == 503
        assert refused.json() == {"detail": "the database is read-only: nothing was stored"}
        assert client.get("/health").json() == {
            "status": "unavailable",
            "database": "not writable: read-only (a standby, or read-only by default)",
        }


def test_an_unreachable_postgresql_is_a_503_and_health_says_so(
    postgres_settings: tuple[Settings, str],
    postgres_server: TemporaryPostgres,
    example_profile: dict[str, Any],
) -> None:
    settings, name = postgres_settings
    with TestClient(service_app(settings)) as client:
        created = create(client, example_profile).json()
        postgres_server.execute(
            f"ALTER DATABASE {name} ALLOW_CONNECTIONS false",
            f"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{name}'",
        )
        refused = client.post(f"/plans/{created['id']}/feed/rotate", headers=owner(created))
        assert refused.status_code == 503
        assert refused.json() == {"detail": "the database cannot be reached"}
        health = client.get("/health")
        assert health.status_code == 503
        assert health.json()["database"] == "not writable: the database cannot be reached"
