"""Who holds a plan's own CalDAV calendar, and for how long (issue 31): a re-plan while
a push or sync holds the target ends in the calendar all the same; a server that
trickles its answers cannot hold a thread (and the target's lease) past the exchange's
deadline; a holder whose lease another host took over writes nothing. Against the real
Radicale of tests/radicale_server, steps driven one by one (no threads racing)."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from httpx import Response
from sqlmodel import Session

from api import calendar_store, repository
from api.busy import Replanning
from api.calendar_pull import sync_calendar, sync_due
from api.calendar_target import LEASE, push_plan, release
from api.capacity import SolveGate, solve_limits
from api.database import make_engine
from api.settings import Settings
from api.tables import PlanRecord
from tests.api.conftest import BACKENDS, database_url
from tests.api.owned_plans import owner
from tests.api.test_caldav_target import (
    as_planned,
    calendar_name,
    in_the_calendar,
    new_plan,
    server,  # noqa: F401  (the module's Radicale)
    sessions_of,
    settings_for,
    target_body,
)
from tests.radicale_server import CalDavServer
from tests.serving import service_app

Fetched = Any


def with_target(client: TestClient, server: CalDavServer, zone: str, name: str) -> dict[str, Any]:  # noqa: F811
    plan = new_plan(client, zone)
    put = client.put(f"/plans/{plan['id']}/calendar", json=target_body(server, name),
                     headers=owner(plan))  # fmt: skip
    assert put.status_code == 200, put.text
    return plan


def replanning(settings: Settings) -> Replanning:
    return Replanning(SolveGate(1, 0), solve_limits(settings))


@pytest.mark.parametrize(
    ("holder", "zone"), [("sync", "America/Los_Angeles"), ("push", "Pacific/Chatham")]
)
def test_a_replan_while_the_calendar_is_held_reaches_the_calendar(
    tmp_path: Path,
    server: CalDavServer,  # noqa: F811
    request: pytest.FixtureRequest,
    holder: str,
    zone: str,
) -> None:
    """The re-plan's push found the target held and marked it due; the holder's release
    wrote its own next sync over the mark and it had pushed the plan it read before:
    the calendar kept the old plan (for good, with no schedule)."""
    settings = settings_for(tmp_path, caldav_sync_minutes=0)  # no schedule to catch up
    name = calendar_name(request)
    with TestClient(service_app(settings)) as client:
        plan = with_target(client, server, zone, name)
        before = sessions_of(client, plan)
        day = list(before.values())[1]["start"][:10]
        profile = {**plan["profile"], "blackouts": [{"from": day, "to": day}]}
        replans: list[Response] = []

        def replan_first(fetch: Callable[[], Fetched]) -> Fetched:
            # The holder has claimed the target: the learner re-plans now, then it goes on.
            if not replans:
                path, body = f"/plans/{plan['id']}/replan", {"profile": profile}
                replans.append(client.post(path, json=body, headers=owner(plan)))
            return fetch()

        engine = make_engine(settings)
        try:
            with Session(engine, expire_on_commit=False) as session:
                record = session.get(PlanRecord, plan["id"])
                assert record is not None
                if holder == "sync":
                    now = repository.now()
                    sync_calendar(session, record, settings, replanning(settings), replan_first,
                                  learners_now=now, now=now)  # fmt: skip
                else:
                    push_plan(session, record, settings, replan_first)
        finally:
            engine.dispose()
        assert replans and replans[0].status_code == 200, replans[0].text
        after = sessions_of(client, plan)
        assert as_planned(after) != as_planned(before)  # the re-plan moved sessions
        assert in_the_calendar(server, name) == as_planned(after)
        target = client.get(f"/plans/{plan['id']}/calendar", headers=owner(plan)).json()
        assert target["error"] is None


def test_a_server_that_trickles_its_answers_is_cut_off_at_the_deadline(
    tmp_path: Path,
    server: CalDavServer,  # noqa: F811
    request: pytest.FixtureRequest,
) -> None:
    """Each byte comes well within the per-request timeout (20 s): only a deadline for
    the exchange ends it; the failure is kept on the target, the learner told why."""
    settings = settings_for(tmp_path, caldav_sync_seconds=0.3)
    name = calendar_name(request)
    with TestClient(service_app(settings)) as client:
        plan = with_target(client, server, "Asia/Tokyo", name)
        server.trickle = True
        try:
            synced = client.post(f"/plans/{plan['id']}/calendar/sync", headers=owner(plan))
        finally:
            server.trickle = False
        assert synced.status_code == 422, synced.text
        assert "no complete answer within 0.3 s" in synced.text
        target = client.get(f"/plans/{plan['id']}/calendar", headers=owner(plan)).json()
        assert "no complete answer within 0.3 s" in target["error"]
        assert target["failures"] == 1
        # The server answers promptly again: the next sync repairs it.
        again = client.post(f"/plans/{plan['id']}/calendar/sync", headers=owner(plan))
        assert again.status_code == 200, again.text
        assert again.json()["calendar"]["error"] is None


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_holder_whose_lease_was_taken_over_writes_nothing(
    tmp_path: Path,
    server: CalDavServer,  # noqa: F811
    request: pytest.FixtureRequest,
    backend: str,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """A host whose exchange outlived its lease: another host took the target over, and
    the first one's release would have written its state over the second's, and freed
    the target while the second still held it."""
    caplog.set_level(logging.WARNING, logger="planner.api")
    settings = settings_for(tmp_path, database_url=database_url(backend, request))
    with TestClient(service_app(settings)) as client:
        plan = with_target(client, server, "Pacific/Chatham", calendar_name(request))
        engine = make_engine(settings)
        try:
            with Session(engine) as session:
                now = repository.now()
                assert calendar_store.claim_calendar_target(
                    session, plan_id=plan["id"], now=now, until=now + LEASE
                )
                slow = calendar_store.held_calendar_target(session, plan_id=plan["id"])
                later = now + LEASE + timedelta(minutes=1)
                assert calendar_store.claim_calendar_target(  # the other host: lease ran out
                    session, plan_id=plan["id"], now=later, until=later + LEASE
                )
                taker = calendar_store.held_calendar_target(session, plan_id=plan["id"])
                assert slow is not None and taker is not None
                slow.error, slow.failures, slow.state_json = "the slow host's", 7, "{}"
                release(session, slow, None)
                stored = calendar_store.calendar_target_of(session, plan_id=plan["id"])
                assert stored is not None
                assert (stored.error, stored.failures) == (None, 0)
                assert stored.state_json != "{}"
                assert stored.lease_until is not None  # still the other host's
                said = [json.loads(r.getMessage()) for r in caplog.records
                        if "caldav_not_recorded" in r.getMessage()]  # fmt: skip
                assert [s["plan"] for s in said] == [plan["id"]]
                taker.error = "the other host's"
                release(session, taker, None)  # its own lease: written, and let go
                session.expire_all()
                stored = calendar_store.calendar_target_of(session, plan_id=plan["id"])
                assert stored is not None
                assert (stored.error, stored.lease_until) == ("the other host's", None)
        finally:
            engine.dispose()


def test_a_replans_mark_made_while_a_scheduled_sync_holds_the_target_outlives_it(
    tmp_path: Path,
    server: CalDavServer,  # noqa: F811
    request: pytest.FixtureRequest,
) -> None:
    """The scheduled sync moves its next sync on when it claims the target; a re-plan's
    push that found it held marks it due meanwhile, and its release keeps that mark."""
    settings = settings_for(tmp_path)
    with TestClient(service_app(settings)) as client:
        plan = with_target(client, server, "Asia/Tokyo", calendar_name(request))
        engine = make_engine(settings)
        later = repository.now() + timedelta(minutes=settings.caldav_sync_minutes + 1)

        def marked_first(fetch: Callable[[], Fetched]) -> Fetched:
            with Session(engine) as other:  # what push_plan does when the target is held
                calendar_store.mark_calendar_target_due(other, plan_id=plan["id"], now=later)
            return fetch()

        try:
            synced = sync_due(engine, settings, lambda: replanning(settings), marked_first,
                              now=later)  # fmt: skip
            assert synced == 1
            with Session(engine) as session:
                assert calendar_store.calendar_targets_due(session, now=later) == [plan["id"]]
                target = calendar_store.calendar_target_of(session, plan_id=plan["id"])
                assert target is not None and target.error is None
        finally:
            engine.dispose()
