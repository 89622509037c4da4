"""Two `planner serve` processes on one database, as two hosts would run: they never both
refresh the same busy calendar, and two re-plans of one plan sent to both end with one
winner and the conflict the API defines for a stale version — never a lost update. Real
processes, a real calendar server that hangs until the test lets it go; on SQLite (one
machine) and on a throwaway PostgreSQL (several)."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack, contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import text

from api.database import make_engine
from api.settings import Settings
from tests.api.conftest import BACKENDS, database_url
from tests.calendar_server import CalendarServer
from tests.calendar_server import serving as calendar_serving
from tests.postgres_cluster import free_port

FIXTURES = Path(__file__).parent.parent / "fixtures" / "busy"


@contextmanager
def planner_serve(environment: dict[str, str]) -> Iterator[str]:
    """`planner serve` in a process of its own; yields its base URL once it listens."""
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "planner", "serve", "--port", str(port)],
        env={**os.environ, **environment},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        assert process.stdout is not None
        output = []
        for line in process.stdout:
            output.append(line)
            if "Uvicorn running on" in line:
                break
        else:
            pytest.fail("planner serve exited:\n" + "".join(output))
        # Keep reading its log, or the process stops once the pipe is full.
        threading.Thread(target=process.stdout.read, daemon=True).start()
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(timeout=60)


@pytest.fixture(params=BACKENDS)
def two_hosts(
    request: pytest.FixtureRequest, tmp_path: Path
) -> Iterator[tuple[Settings, list[str], CalendarServer]]:
    """Two service processes on one database, and the calendar server they read."""
    url = database_url(request.param, request)
    settings = Settings(data_dir=tmp_path / "data", database_url=url)
    environment = {
        "PLANNER_DATA_DIR": str(settings.data_dir),
        "PLANNER_BUSY_ALLOWED_NETWORKS": '["127.0.0.1/32"]',
        "PLANNER_BUSY_TIMEOUT_SECONDS": "600",  # a fetch ends when the test lets it go
        "PLANNER_BUSY_REFRESH_CHECK_SECONDS": "0.2",
        **({"PLANNER_DATABASE_URL": url} if url else {}),
    }
    with ExitStack() as stack:
        calendars = stack.enter_context(calendar_serving(FIXTURES))
        first = stack.enter_context(planner_serve(environment))  # migrates the database
        second = stack.enter_context(planner_serve(environment))
        stack.callback(calendars.release.set)  # before the processes stop
        yield settings, [first, second], calendars


def create(base: str, profile: dict[str, Any]) -> dict[str, Any]:
    response = httpx.post(f"{base}/plans", json={"profile": profile}, timeout=120)
    assert response.status_code == 201, response.text
    return response.json()  # type: ignore[no-any-return]


def with_calendar(example_profile: dict[str, Any], url: str) -> dict[str, Any]:
    busy = [{"ics": url}]
    return {**example_profile, "timezone": "America/Los_Angeles", "blackouts": [], "busy": busy}


def test_two_hosts_never_refresh_the_same_calendar_at_once(
    two_hosts: tuple[Settings, list[str], CalendarServer], example_profile: dict[str, Any]
) -> None:
    """Each process's schedule fetched every calendar due, whoever else was fetching it."""
    settings, (first, _), calendars = two_hosts
    calendars.files["/second.ics"] = calendars.files["/work.ics"]
    held = create(first, with_calendar(example_profile, calendars.url("/work.ics")))
    other = create(first, with_calendar(example_profile, calendars.url("/second.ics")))
    assert calendars.requests["/second.ics"] == 1  # the first fetch, at creation
    calendars.held.add("/work.ics")
    # Both due at once, the held one first: a process that refreshes `other` has
    # looked at `held` before it, in the same round.
    engine = make_engine(settings)
    with engine.begin() as connection:
        for plan, due in ((held, datetime(2000, 1, 1)), (other, datetime(2000, 1, 2))):
            connection.execute(
                text("UPDATE busy_sources SET next_check_at = :due WHERE plan_id = :plan"),
                {"due": due, "plan": plan["id"]},
            )
    engine.dispose()
    calendars.wait_until(
        lambda: calendars.requests["/second.ics"] == 2 or calendars.holding["/work.ics"] >= 2
    )
    assert calendars.holding["/work.ics"] == 1, "both processes fetch the same calendar"
    assert calendars.requests["/second.ics"] == 2


def test_two_replans_of_one_plan_on_two_hosts_one_wins_one_conflicts(
    two_hosts: tuple[Settings, list[str], CalendarServer], example_profile: dict[str, Any]
) -> None:
    _, (first, second), _ = two_hosts
    created = create(first, {**example_profile, "timezone": "Pacific/Chatham"})
    headers = {"Authorization": f"Bearer {created['owner_token']}", "If-Match": '"v1"'}

    def replan(base: str) -> httpx.Response:
        return httpx.post(f"{base}/plans/{created['id']}/replan", headers=headers, timeout=120)

    with ThreadPoolExecutor(2) as both:
        answers = list(both.map(replan, (first, second)))
    codes = sorted(answer.status_code for answer in answers)
    # 409 when both read version 1 and solved; 412 when one read after the other wrote.
    assert codes in ([200, 409], [200, 412]), [answer.text for answer in answers]
    winner = next(answer for answer in answers if answer.status_code == 200)
    read = httpx.get(f"{second}/plans/{created['id']}", headers=headers, timeout=60)
    assert read.json()["version"] == 2 == winner.json()["version"]
    assert read.json()["plan"] == winner.json()["plan"]
