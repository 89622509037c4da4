"""Fixtures of the service's tests: settings on each database backend (SQLite, and a real
PostgreSQL server the tests start), a TestClient, and a real uvicorn server.

The service's "today" is fixed for the tests (the example profile starts on 2027-01-04,
and progress may not be reported from far after today): no test depends on the calendar.
"""

from __future__ import annotations

import logging
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from fastapi import FastAPI

from api.deps import today
from api.main import create_app
from api.settings import Settings
from tests.postgres_cluster import INSTALL_HINT, TemporaryPostgres, server_binaries

BACKENDS = ["sqlite", "postgresql"]
TODAY = date(2027, 2, 1)


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[TemporaryPostgres]:
    """One throwaway PostgreSQL server for the whole run (each test gets a database)."""
    if server_binaries() is None:
        pytest.fail(f"the PostgreSQL tests need its server: {INSTALL_HINT}", pytrace=False)
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


def service_app(settings: Settings) -> FastAPI:
    """The app as `planner serve` makes it, with the tests' today."""
    app = create_app(settings)
    app.dependency_overrides[today] = lambda: TODAY
    return app


@pytest.fixture
def api_client(api_settings: Settings) -> Iterator[Any]:
    """A TestClient on a fresh app (migrations applied by its start-up)."""
    from fastapi.testclient import TestClient

    with TestClient(service_app(api_settings)) as client:
        yield client


class KeptRecords(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@contextmanager
def serving(settings: Settings) -> Iterator[SimpleNamespace]:
    """The app on `settings` served by a real uvicorn on 127.0.0.1 in a background thread.

    Yields a namespace with ``base_url``, ``app``, ``settings`` (``public_url`` set to
    the server's address) and ``log_records``: every record the "planner.api" logger
    wrote while the server ran.
    """
    import uvicorn

    # Bound here and handed to uvicorn: no other process can take the port in between.
    listening = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listening.bind(("127.0.0.1", 0))
    base_url = f"http://127.0.0.1:{listening.getsockname()[1]}"
    settings = settings.model_copy(update={"public_url": base_url})
    app = service_app(settings)
    config = uvicorn.Config(app, access_log=False, log_level="warning")
    server = uvicorn.Server(config)
    kept = KeptRecords()  # after uvicorn.Config, which reconfigures logging
    api_log = logging.getLogger("planner.api")
    previous_level = api_log.level
    api_log.setLevel(logging.INFO)
    api_log.addHandler(kept)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [listening]}, daemon=True)
    thread.start()
    try:
        for _ in range(600):  # at most ~30 s on a loaded machine; ends once it is up
            if server.started or not thread.is_alive():
                break
            thread.join(timeout=0.05)
        assert server.started, "uvicorn did not start (see the captured stderr)"
        yield SimpleNamespace(
            base_url=base_url, app=app, settings=settings, log_records=kept.records
        )
    finally:
        server.should_exit = True
        thread.join(timeout=60)
        listening.close()
        api_log.removeHandler(kept)
        api_log.setLevel(previous_level)


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
