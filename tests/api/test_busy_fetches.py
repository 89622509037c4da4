"""Busy calendars are fetched by a pool of their own: calendar servers that hang hold a
few threads, never the service. Past the pool's queue, or past one client address's
share, a request is refused at once with 503 and Retry-After, while an owner's plan,
feeds and /health answer. A real uvicorn and a real calendar server that hangs until
the test sets an event (no sleep decides an outcome; one wait polls the pool's count of
admitted requests). The pool does not touch the database: SQLite only."""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest

from api.settings import Settings
from tests.api.test_limits import wait_until
from tests.calendar_server import CalendarServer
from tests.calendar_server import serving as calendar_serving
from tests.serving import serving

FIXTURES = Path(__file__).parent.parent / "fixtures" / "busy"
HANGING = "/work.ics"
FETCHING_ALL = "the service is fetching as many busy calendars as it can, and as many wait"
FETCHING_YOURS = "the service is already fetching 2 requests' busy calendars for your address"


@pytest.fixture
def calendars() -> Iterator[CalendarServer]:
    with calendar_serving(FIXTURES) as server:
        yield server


@contextmanager
def let_go_at_the_end(calendars: CalendarServer) -> Iterator[None]:
    """Whatever the test finds, the held requests are let go before the test waits for
    the requests it sent (a failing test must fail, not wait for them)."""
    try:
        yield
    finally:
        calendars.release.set()


def service(tmp_path: Path, **limits: Any) -> Settings:
    return Settings(
        data_dir=tmp_path / "data",
        busy_allowed_networks=["127.0.0.1/32"],  # the calendar server of these tests
        busy_timeout_seconds=600,  # a fetch ends when the test lets the server answer
        busy_refresh_check_seconds=0,
        **limits,
    )


def hanging_profile(example_profile: dict[str, Any], calendars: CalendarServer) -> dict[str, Any]:
    calendars.held.add(HANGING)
    busy = [{"ics": calendars.url(HANGING), "buffer_minutes": 15}]
    return {**example_profile, "timezone": "Asia/Tokyo", "blackouts": [], "busy": busy}


def refused(future: Future[httpx.Response]) -> httpx.Response:
    # The answer is immediate; the limit only keeps a regression from hanging the run.
    return future.result(timeout=30)


def test_hanging_calendars_fill_their_pool_and_owners_and_health_still_answer(
    tmp_path: Path, example_profile: dict[str, Any], calendars: CalendarServer
) -> None:
    """45 unauthenticated POST /plans with hanging busy URLs made an owner's GET
    /plans/{id} wait 15 s: calendars were fetched in the request's own thread, and the
    solve queue's 503 never applied."""
    settings = service(
        tmp_path, busy_fetch_threads=2, busy_fetch_queue=1, busy_fetches_per_client=10
    )
    with (
        serving(settings) as server,
        httpx.Client(base_url=server.base_url, timeout=600) as http,
        ThreadPoolExecutor(45) as burst,
        let_go_at_the_end(calendars),
    ):
        owned = http.post("/plans", json={"profile": example_profile}).json()
        owner = {"Authorization": f"Bearer {owned['owner_token']}"}
        hanging = {"profile": hanging_profile(example_profile, calendars)}
        pool = server.app.state.capacity.busy_fetches
        admitted = [burst.submit(http.post, "/plans", json=hanging) for _ in range(3)]
        calendars.wait_until(lambda: calendars.holding[HANGING] == 2)
        wait_until(lambda: pool.admitted == 3)  # two fetching, one waiting for a thread
        extra = [burst.submit(http.post, "/plans", json=hanging) for _ in range(42)]
        answers = [refused(future) for future in extra]
        assert {answer.status_code for answer in answers} == {503}
        assert all(int(answer.headers["Retry-After"]) >= 1 for answer in answers)
        assert answers[0].json()["detail"].startswith(FETCHING_ALL)
        # While the two fetches are held open and one more waits:
        assert http.get(f"/plans/{owned['id']}", headers=owner).status_code == 200
        assert http.get("/health").json() == {"status": "ok", "database": "ok"}
        assert http.get(owned["feed"]["url"]).status_code == 200
        assert calendars.holding[HANGING] == 2 and not any(f.done() for f in admitted)
        calendars.release.set()
        assert [future.result().status_code for future in admitted] == [201, 201, 201]
        assert pool.admitted == 0


def test_one_address_gets_its_share_of_the_fetches_and_others_still_get_theirs(
    tmp_path: Path, example_profile: dict[str, Any], calendars: CalendarServer
) -> None:
    """The address is the client's as uvicorn reads it: behind a proxy it trusts
    (127.0.0.1 by default, as here), the one X-Forwarded-For names."""
    settings = service(
        tmp_path, busy_fetch_threads=4, busy_fetch_queue=4, busy_fetches_per_client=2
    )
    first = {"X-Forwarded-For": "203.0.113.7"}
    second = {"X-Forwarded-For": "198.51.100.2"}
    with (
        serving(settings) as server,
        httpx.Client(base_url=server.base_url, timeout=600) as http,
        ThreadPoolExecutor(4) as burst,
        let_go_at_the_end(calendars),
    ):
        hanging = {"profile": hanging_profile(example_profile, calendars)}

        def post(headers: dict[str, str]) -> Future[httpx.Response]:
            return burst.submit(http.post, "/plans", json=hanging, headers=headers)

        firsts = [post(first), post(first)]
        calendars.wait_until(lambda: calendars.holding[HANGING] == 2)
        third = refused(post(first))
        assert third.status_code == 503 and int(third.headers["Retry-After"]) >= 1
        assert third.json()["detail"].startswith(FETCHING_YOURS)
        others = post(second)
        calendars.wait_until(lambda: calendars.holding[HANGING] == 3)
        assert not others.done()
        calendars.release.set()
        assert [f.result().status_code for f in (*firsts, others)] == [201, 201, 201]
        assert server.app.state.capacity.busy_fetches.admitted == 0


def test_a_refresh_on_demand_takes_its_turn_in_the_pool(
    tmp_path: Path, example_profile: dict[str, Any], calendars: CalendarServer
) -> None:
    """POST .../busy/refresh fetches on the pool too (an owner's, but a hanging
    calendar server must not hold a request thread of its own)."""
    settings = service(tmp_path, busy_fetch_threads=1, busy_fetch_queue=0)
    with (
        serving(settings) as server,
        httpx.Client(base_url=server.base_url, timeout=600) as http,
        ThreadPoolExecutor(2) as burst,
        let_go_at_the_end(calendars),
    ):
        created = _created_with_calendar(http, example_profile, calendars)
        owner = {"Authorization": f"Bearer {created['owner_token']}"}
        calendars.held.add(HANGING)
        path = f"/plans/{created['id']}/busy/refresh"
        first = burst.submit(http.post, path, headers=owner)
        calendars.wait_until(lambda: calendars.holding[HANGING] == 1)
        second = refused(burst.submit(http.post, path, headers=owner))
        assert second.status_code == 503 and second.json()["detail"].startswith(FETCHING_ALL)
        calendars.release.set()
        assert first.result().status_code == 200


def _created_with_calendar(
    http: httpx.Client, example_profile: dict[str, Any], calendars: CalendarServer
) -> Any:
    busy = [{"ics": calendars.url(HANGING), "buffer_minutes": 15}]
    profile = {**example_profile, "timezone": "Pacific/Chatham", "blackouts": [], "busy": busy}
    created = http.post("/plans", json={"profile": profile})
    assert created.status_code == 201, created.text
    return created.json()
