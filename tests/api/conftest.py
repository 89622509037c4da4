"""Fixtures of the service's tests: settings on each database backend (SQLite, and a real
PostgreSQL server the tests start), a TestClient, and a real uvicorn server.

These override the SQLite-only fixtures of tests/conftest.py; like them, they fix the
service's today (tests.serving.TODAY).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from api.settings import Settings
from tests.postgres_cluster import TemporaryPostgres, server_binaries
from tests.serving import service_app, serving
from tests.system_packages import apt_install

BACKENDS = ["sqlite", "postgresql"]


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[TemporaryPostgres]:
    """One throwaway PostgreSQL server for the whole run (each test gets a database)."""
    if server_binaries() is None:
        apt_install(
            "postgresql", "The service's tests run on PostgreSQL too, a server of their own"
        )
    server = TemporaryPostgres.start()
    yield server
    server.stop()


def database_url(backend: str, request: pytest.FixtureRequest) -> str | None:
    """None for SQLite (a file in the data folder); a new database on the server else."""
    if backend == "sqlite":
        return None
    server: TemporaryPostgres = request.getfixturevalue("postgres_server")
    return server.new_database()


@pytest.fixture(params=BACKENDS)
def api_settings(request: pytest.FixtureRequest, tmp_path: Path) -> Settings:
    """Settings for a fresh service with a database of its own, on each backend."""
    return Settings(
        data_dir=tmp_path / "data",
        database_url=database_url(request.param, request),
        public_url="https://plans.example.org",
    )


@pytest.fixture
def api_client(api_settings: Settings) -> Iterator[Any]:
    """A TestClient on a fresh app (migrations applied by its start-up)."""
    from fastapi.testclient import TestClient

    with TestClient(service_app(api_settings)) as client:
        yield client


@pytest.fixture(scope="module", params=BACKENDS)
def live_server(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[SimpleNamespace]:
    """The service on a real uvicorn, one per test module and backend (see `serving`)."""
    settings = Settings(
        data_dir=tmp_path_factory.mktemp("live") / "data",
        database_url=database_url(request.param, request),
    )
    with serving(settings) as server:
        yield server
