"""The service as the tests run it: the app, and a real uvicorn serving it on loopback.

The service's clock is fixed for the tests, at NOW unless a test moves it (the example
profile starts on 2027-01-04, and progress may not be reported from far after today):
no test of the service depends on the calendar."""

from __future__ import annotations

import logging
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from types import SimpleNamespace

from fastapi import FastAPI

from api.deps import now as service_now
from api.main import create_app
from api.settings import Settings

TODAY = date(2027, 2, 1)
# Noon in UTC: the same date in every zone within twelve hours of it.
NOW = datetime(2027, 2, 1, 12, tzinfo=UTC)


class FixedClock:
    """The service's clock in the tests: NOW until a test sets another moment (a daily
    loop lives through its days: `clock.set(datetime(2027, 1, 10, 21, 30, tzinfo=...))`).
    """

    def __init__(self) -> None:
        self.moment = NOW

    def __call__(self) -> datetime:
        return self.moment

    def set(self, moment: datetime) -> None:
        if moment.tzinfo is None:
            raise ValueError(f"{moment} has no time zone: the service's clock is an instant")
        self.moment = moment

    def reset(self) -> None:
        self.moment = NOW


def service_app(settings: Settings, clock: FixedClock | None = None) -> FastAPI:
    """The app as `planner serve` makes it, on the tests' clock (`clock`, else NOW)."""
    app = create_app(settings)
    app.dependency_overrides[service_now] = clock or FixedClock()
    return app


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
    the server's address), ``clock`` (the service's `FixedClock`: a test that sets it
    resets it) and ``log_records``: every record the "planner.api" logger wrote while
    the server ran.
    """
    import uvicorn

    # Bound here and handed to uvicorn: no other process can take the port in between.
    listening = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listening.bind(("127.0.0.1", 0))
    base_url = f"http://127.0.0.1:{listening.getsockname()[1]}"
    settings = settings.model_copy(update={"public_url": base_url})
    clock = FixedClock()
    app = service_app(settings, clock)
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
            base_url=base_url, app=app, settings=settings, clock=clock, log_records=kept.records
        )
    finally:
        server.should_exit = True
        thread.join(timeout=60)
        listening.close()
        api_log.removeHandler(kept)
        api_log.setLevel(previous_level)
