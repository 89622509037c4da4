"""What one request, or a burst of them, may cost: solves take turns in a bounded queue
(503 with Retry-After past it) while feeds and /health keep answering; the time limit
covers the wait and the calendar; a plan's memory and its number of sessions are
bounded; missed ranges are merged and bounded; as_of may not lie far in the future, and
a correction undoes a re-plan from a day that has not come.

The limits on solves do not touch the database: those tests run on SQLite only."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from functools import partial
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text

from api.capacity import SolveGate
from api.planning_process import SolveLimits, run_limited
from api.settings import Settings
from planner.errors import PlannerError
from tests.api.owned_plans import create, owner
from tests.serving import TODAY, service_app, serving


@contextmanager
def client_with(tmp_path: Path, **limits: Any) -> Iterator[TestClient]:
    settings = Settings(data_dir=tmp_path / "data", public_url="https://x.example", **limits)
    with TestClient(service_app(settings)) as client:
        yield client


@contextmanager
def every_turn_taken(gate: SolveGate, turns: int) -> Iterator[None]:
    """Take `turns` turns of the gate (as that many long solves would) until the block
    ends."""
    release = threading.Event()
    taken = threading.Barrier(turns + 1)

    def hold() -> None:
        with gate.turn(time.monotonic() + 600, 600):
            taken.wait(timeout=60)
            release.wait(timeout=600)

    with ThreadPoolExecutor(turns) as pool:
        holders = [pool.submit(hold) for _ in range(turns)]
        taken.wait(timeout=60)
        try:
            yield
        finally:
            release.set()
            for holder in holders:
                holder.result(timeout=60)


def wait_until(condition: Any) -> None:
    for _ in range(6000):
        if condition():
            return
        time.sleep(0.01)
    raise AssertionError("the condition never held")


def test_past_the_queue_plans_are_refused_and_feeds_and_health_answer(
    tmp_path: Path, example_profile: dict[str, Any]
) -> None:
    """45 parallel POSTs exhausted the 40 threads of the pool; /health waited 9 s."""
    settings = Settings(data_dir=tmp_path / "data", max_concurrent_solves=1, max_queued_solves=2)
    with serving(settings) as server, httpx.Client(base_url=server.base_url, timeout=600) as http:
        created = http.post("/plans", json={"profile": example_profile}).json()
        feed = created["feed"]["url"]
        gate = server.app.state.capacity.solves

        def post_a_plan(_: object = None) -> httpx.Response:
            return http.post("/plans", json={"profile": example_profile})

        with ThreadPoolExecutor(45) as burst:
            with every_turn_taken(gate, 1):
                queued = [burst.submit(post_a_plan) for _ in range(2)]
                wait_until(lambda: gate.admitted == 3)
                refused = list(burst.map(post_a_plan, range(43)))
                assert {response.status_code for response in refused} == {503}
                assert all(int(response.headers["Retry-After"]) >= 1 for response in refused)
                assert (
                    refused[0]
                    .json()["detail"]
                    .startswith("the service is planning as many plans as it can, and as many wait")
                )
                # While every turn is taken and the queue is full:
                assert http.get("/health").json() == {"status": "ok", "database": "ok"}
                assert http.get(feed).status_code == 200
                assert not any(request.done() for request in queued)
            assert [request.result().status_code for request in queued] == [201, 201]


def test_the_time_limit_covers_the_wait_for_a_turn(
    tmp_path: Path, example_profile: dict[str, Any]
) -> None:
    with client_with(tmp_path, solve_timeout_seconds=0.5, max_concurrent_solves=1) as client:
        with every_turn_taken(client.app.state.capacity.solves, 1):  # type: ignore[attr-defined]
            response = client.post("/plans", json={"profile": example_profile})
        assert response.status_code == 503
        assert response.json()["detail"].startswith(
            "planning took longer than the 0.5 s this service allows and was stopped; "
            "nothing was stored"
        )


def test_a_solve_past_the_time_limit_is_stopped(
    tmp_path: Path, example_profile: dict[str, Any]
) -> None:
    """Slot 5 and 10-minute sessions: some 1,400 sessions, seconds to plan and write."""
    heavy = {**example_profile, "session": {"slot_minutes": 5, "min_minutes": 5,
                                            "max_minutes": 10}}  # fmt: skip
    with client_with(tmp_path, solve_timeout_seconds=0.2) as client:
        response = client.post("/plans", json={"profile": heavy})
        assert response.status_code == 503
        assert "took longer than the 0.2 s" in response.json()["detail"]


@pytest.mark.parametrize(
    ("max_sessions", "message"),
    [
        # Known before solving: 240 h (whole slots) in sessions of at most 180 min.
        (50, "profile.session: this plan needs at least 80 study sessions; this service "
             "keeps at most 50 per plan: allow longer sessions (session.max_minutes)"),
        # Known once planned.
        (100, "profile.session: this plan needs 120 study sessions; this service keeps at "
              "most 100 per plan: allow longer sessions (session.max_minutes)"),
    ],
)  # fmt: skip
def test_a_plan_with_more_sessions_than_the_limit_is_refused(
    tmp_path: Path, example_profile: dict[str, Any], max_sessions: int, message: str
) -> None:
    with client_with(tmp_path, max_sessions_per_plan=max_sessions) as client:
        response = client.post("/plans", json={"profile": example_profile})
        assert response.status_code == 422
        assert response.json()["detail"][0]["msg"] == message


def limits(memory_mb: int = 512) -> SolveLimits:
    return SolveLimits(60, memory_mb, 2000, time.monotonic() + 60)


def test_a_planning_process_past_its_memory_limit_is_stopped() -> None:
    """Four heavy solves reached 3.8 GB. The limit is the child's address space: a
    gigabyte asked for under a 512 MB limit is refused in the child, which says so."""
    with pytest.raises(PlannerError) as refused:
        run_limited(partial(bytearray, 2**30), limits(memory_mb=512))
    assert str(refused.value) == (
        "planning this profile needs more than the 512 MB this service gives a plan: fewer "
        "windows or longer sessions"
    )


# --- progress: missed ranges and as_of, on both backends --------------------------------


def test_missed_ranges_are_merged_and_bounded(
    api_settings: Settings, example_profile: dict[str, Any]
) -> None:
    """8 POSTs stored 44,000 ranges: a 1.8 MB answer to every read."""
    settings = api_settings.model_copy(update={"max_missed_ranges": 3})
    with TestClient(service_app(settings)) as client:
        created = create(client, example_profile)
        url = f"/plans/{created['id']}/progress"
        week = [{"from": "2027-01-04", "to": "2027-01-10"}]
        for _ in range(8):  # the same range again and again, and ranges that touch it
            client.post(url, headers=owner(created), json={"missed": week * 5000})
        touching = [{"from": "2027-01-11", "to": "2027-01-12"}]
        stored = client.post(url, headers=owner(created), json={"missed": touching})
        assert stored.json()["progress"]["missed"] == [{"from": "2027-01-04", "to": "2027-01-12"}]
        apart = [{"from": f"2027-02-{day:02d}", "to": f"2027-02-{day:02d}"} for day in (1, 3, 5)]
        refused = client.post(url, headers=owner(created), json={"missed": apart})
        assert refused.status_code == 422
        assert refused.json()["detail"][0]["msg"] == (
            "progress.missed: 4 ranges (after merging those that touch); this service keeps "
            "at most 3: replace the progress (PUT) with fewer, longer ranges"
        )


def test_extra_study_is_bounded(api_settings: Settings, example_profile: dict[str, Any]) -> None:
    settings = api_settings.model_copy(update={"max_extra_study": 2})
    with TestClient(service_app(settings)) as client:
        created = create(client, example_profile)
        url = f"/plans/{created['id']}/progress"
        study = [{"topic": "1.2", "day": "2027-01-05", "minutes": 30}]
        assert client.post(url, headers=owner(created), json={"extra": study}).is_success
        # The same again is a second stretch of study that day, not a repeat to drop.
        again = client.post(url, headers=owner(created), json={"extra": study})
        assert again.status_code == 200 and len(again.json()["progress"]["extra"]) == 2
        refused = client.post(url, headers=owner(created), json={"extra": study})
        assert refused.status_code == 422
        assert refused.json()["detail"][0]["msg"] == (
            "progress.extra: 3 records of study outside the plan; this service keeps at most "
            "2: replace the progress (PUT) with fewer, longer ones"
        )


@pytest.mark.parametrize(
    ("url", "body"),
    [("/replan", {"as_of": "2199-01-01"}), ("/progress", {"as_of": "2199-01-01"})],
)
def test_an_as_of_far_in_the_future_is_refused(
    api_client: Any, example_profile: dict[str, Any], url: str, body: dict[str, str]
) -> None:
    """as_of 2199 was accepted with a warning; every later re-plan was then refused as
    "before the day the previous plan was made from"."""
    created = create(api_client, example_profile)
    response = api_client.post(f"/plans/{created['id']}{url}", headers=owner(created), json=body)
    assert response.status_code == 422
    field = "as_of" if url == "/replan" else "progress.as_of"
    assert response.json()["detail"][0]["msg"] == (
        f"{field}: 2199-01-01 is more than 31 days after today ({TODAY}); progress can only "
        "be reported up to 2027-03-04"
    )


def test_a_correction_undoes_a_replan_from_a_day_that_has_not_come(
    api_client: Any, example_profile: dict[str, Any]
) -> None:
    """PUT progress {} did not undo a re-plan from a future as_of."""
    mistaken, straight = create(api_client, example_profile), create(api_client, example_profile)
    ahead = api_client.post(f"/plans/{mistaken['id']}/replan", headers=owner(mistaken),
                            json={"as_of": "2027-02-06"})  # fmt: skip
    assert ahead.status_code == 200
    assert "after today" in ahead.json()["warnings"][0]
    corrected = api_client.put(f"/plans/{mistaken['id']}/progress", headers=owner(mistaken),
                               json={})  # fmt: skip
    assert corrected.status_code == 200
    undone = api_client.post(f"/plans/{mistaken['id']}/replan", headers=owner(mistaken))
    assert undone.status_code == 200, undone.text
    direct = api_client.post(f"/plans/{straight['id']}/replan", headers=owner(straight))
    assert timetable(undone.json()["plan"]) == timetable(direct.json()["plan"])
    assert undone.json()["plan"]["as_of"] == str(TODAY)


def timetable(plan: dict[str, Any]) -> list[tuple[Any, ...]]:
    """A plan's sessions without their UIDs (each plan's id is in its UIDs)."""
    fields = ("topic", "start", "end", "done", "sequence")
    return [tuple(session.get(field) for field in fields) for session in plan["sessions"]]


def test_a_request_waiting_for_a_solve_holds_no_transaction(
    postgres_server: Any, tmp_path: Path, example_profile: dict[str, Any]
) -> None:
    """A re-plan kept the transaction of its reads open while it waited and solved:
    seconds of a pooled connection each, and an old snapshot pinned (PostgreSQL cannot
    vacuum past it; SQLite cannot checkpoint its WAL past it)."""
    url = postgres_server.new_database()
    settings = Settings(data_dir=tmp_path, database_url=url, max_concurrent_solves=1)
    with serving(settings) as server, httpx.Client(base_url=server.base_url, timeout=600) as http:
        created = http.post("/plans", json={"profile": example_profile}).json()
        gate = server.app.state.capacity.solves
        with ThreadPoolExecutor(1) as pool, every_turn_taken(gate, 1):
            waiting = pool.submit(http.post, f"/plans/{created['id']}/replan",
                                  headers=owner(created))  # fmt: skip
            wait_until(lambda: gate.admitted == 2)
            with server.app.state.engine.connect() as connection:
                idle = connection.execute(
                    text("SELECT count(*) FROM pg_stat_activity WHERE state LIKE 'idle in%'")
                ).scalar_one()
            assert idle == 0
        assert waiting.result().status_code == 200
