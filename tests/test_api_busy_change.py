"""Issue 28: a plan's busy calendars changed by "Change my week" (POST /plans/{id}/replan
with a profile): a calendar kept comes back under its masked name and keeps its stored
address and copy, matched by that name (not by its place in the list), with its options
changed or not; one left out is forgotten; a new one is read now, under a new plan's
rules. A masked name of no calendar of the plan, or a new address that cannot be read,
is refused on its field and changes nothing."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api.settings import Settings
from planner.models.busy import display_name
from tests.api.test_plans import auth, create
from tests.calendar_server import CalendarServer, serving
from tests.serving import service_app

FIXTURES = Path(__file__).parent / "fixtures" / "busy"
WORK = "/calendar/ical/learner%40example.org/private-5ecret7oken/basic.ics"
FAMILY = "/family/private-f4mily/basic.ics"


@pytest.fixture
def calendars() -> Iterator[CalendarServer]:
    with serving(FIXTURES) as server:
        server.files[WORK] = server.files["/work.ics"]
        server.files[FAMILY] = server.files["/outlook.ics"]
        yield server


def settings_for(tmp_path: Path, *allowed: str) -> Settings:
    return Settings(
        data_dir=tmp_path / "data",
        public_url="https://plans.example.org",
        busy_allowed_networks=list(allowed),
        busy_refresh_check_seconds=0,
    )


@pytest.fixture
def client(tmp_path: Path) -> Iterator[TestClient]:
    with TestClient(service_app(settings_for(tmp_path, "127.0.0.1/32"))) as test_client:
        yield test_client


def learner(example_profile: dict[str, Any], zone: str, *busy: dict[str, Any]) -> dict[str, Any]:
    return {**example_profile, "timezone": zone, "blackouts": [], "busy": list(busy)}


def replan(client: TestClient, created: dict[str, Any], profile: dict[str, Any]) -> Any:
    return client.post(
        f"/plans/{created['id']}/replan",
        headers=auth(created),
        json={"as_of": "2027-01-04", "profile": profile},
    )


def sha(body: bytes) -> str:
    return "sha256:" + hashlib.sha256(body).hexdigest()


@pytest.mark.parametrize("zone", ["America/Los_Angeles", "Asia/Tokyo", "Pacific/Chatham"])
def test_kept_calendars_are_matched_by_name_not_by_place(
    client: TestClient, calendars: CalendarServer, example_profile: dict[str, Any], zone: str
) -> None:
    """Both calendars kept, in the other order, the work calendar's buffer changed: each
    keeps its own address and copy, and the options go with the calendar they were set
    on. No calendar is read again."""
    work, family = calendars.url(WORK), calendars.url(FAMILY)
    created = create(
        client,
        learner(example_profile, zone, {"ics": work}, {"ics": family, "all_day": "ignore"}),
    )
    shown_work, shown_family = created["profile"]["busy"]
    assert shown_work["ics"] == display_name(work) and "5ecret7oken" not in str(created)
    reads = dict(calendars.requests)
    swapped = {**created["profile"], "busy": [shown_family, {**shown_work, "buffer_minutes": 45}]}
    answer = replan(client, created, swapped)
    assert answer.status_code == 200, answer.text
    assert dict(calendars.requests) == reads  # the kept copies, not read again
    read = client.get(f"/plans/{created['id']}", headers=auth(created)).json()
    assert read["profile"]["busy"] == [
        {"ics": display_name(family), "buffer_minutes": 0, "all_day": "ignore", "me": []},
        {"ics": display_name(work), "buffer_minutes": 45, "all_day": "blackout", "me": []},
    ]
    statuses = [(status["source"], status["digest"]) for status in read["busy_sources"]]
    assert statuses == [
        (display_name(family), sha(calendars.files[FAMILY])),
        (display_name(work), sha(calendars.files[WORK])),
    ]
    sources = [(s["source"], s["digest"]) for s in read["plan"]["busy"]["sources"]]
    assert sources == statuses
    # The stored addresses still read: a refresh finds both calendars unchanged.
    refreshed = client.post(f"/plans/{created['id']}/busy/refresh", headers=auth(created))
    assert refreshed.json()["changed"] == [] and refreshed.json()["replanned"] is False
    assert [status["error"] for status in refreshed.json()["busy_sources"]] == [None, None]


def test_a_calendar_is_removed_and_another_added(
    client: TestClient, calendars: CalendarServer, example_profile: dict[str, Any]
) -> None:
    work, family = calendars.url(WORK), calendars.url(FAMILY)
    created = create(client, learner(example_profile, "Asia/Tokyo", {"ics": work}))
    changed = {**created["profile"], "busy": [{"ics": family, "me": ["learner@example.org"]}]}
    answer = replan(client, created, changed)
    assert answer.status_code == 200, answer.text
    assert calendars.requests[FAMILY] == 1  # read now, once
    assert "f4mily" not in answer.text
    read = client.get(f"/plans/{created['id']}", headers=auth(created)).json()
    assert [status["source"] for status in read["busy_sources"]] == [display_name(family)]
    assert read["profile"]["busy"][0]["me"] == ["learner@example.org"]
    removed = replan(client, created, {**created["profile"], "busy": []})
    assert removed.status_code == 200, removed.text
    read = client.get(f"/plans/{created['id']}", headers=auth(created)).json()
    assert read["busy_sources"] == [] and read["profile"]["busy"] == []


def test_a_masked_name_of_no_calendar_of_the_plan_is_refused_on_its_field(
    client: TestClient, calendars: CalendarServer, example_profile: dict[str, Any]
) -> None:
    work = calendars.url(WORK)
    created = create(client, learner(example_profile, "America/Los_Angeles", {"ics": work}))
    other = display_name(calendars.url(FAMILY))
    kept = created["profile"]["busy"][0]
    answer = replan(client, created, {**created["profile"], "busy": [kept, {"ics": other}]})
    assert answer.status_code == 422
    (detail,) = answer.json()["detail"]
    assert detail["msg"] == (
        f"profile.busy[1].ics: {other} is not one of this plan's calendars (its address is "
        "hidden); to read a calendar again, give its full address"
    )
    read = client.get(f"/plans/{created['id']}", headers=auth(created)).json()
    assert read["version"] == created["version"] and read["profile"] == created["profile"]


def test_a_new_calendar_follows_a_new_plans_rules(
    tmp_path: Path, calendars: CalendarServer, example_profile: dict[str, Any]
) -> None:
    """Not a public address (the operator allows no private network here), a file name,
    a calendar that is not there: refused, the plan and its calendars as they were."""
    with TestClient(service_app(settings_for(tmp_path))) as strict:
        created = create(strict, learner(example_profile, "Pacific/Chatham"))
        private = replan(strict, created, {**created["profile"], "busy": [calendars.url(WORK)]})
        assert private.status_code == 422
        (detail,) = private.json()["detail"]
        assert "which is not a public address" in detail["msg"]
        assert detail["loc"] == ["body", "profile", "busy", 0, "ics"]
        assert calendars.requests[WORK] == 0
        named = replan(strict, created, {**created["profile"], "busy": ["work.ics"]})
        assert named.json()["detail"][0]["msg"] == (
            "profile.busy[0].ics: this service reads busy calendars by URL (http, https or "
            "webcal), not by file name"
        )
        read = strict.get(f"/plans/{created['id']}", headers=auth(created)).json()
        assert read["version"] == created["version"] and read["profile"]["busy"] == []


def test_a_new_calendar_that_cannot_be_read_changes_nothing(
    client: TestClient, calendars: CalendarServer, example_profile: dict[str, Any]
) -> None:
    work = calendars.url(WORK)
    created = create(client, learner(example_profile, "Asia/Tokyo", {"ics": work}))
    kept = created["profile"]["busy"][0]
    gone = {**created["profile"], "busy": [kept, calendars.url("/gone.ics")]}
    answer = replan(client, created, gone)
    assert answer.status_code == 422
    (detail,) = answer.json()["detail"]
    assert "not found (HTTP 404)" in detail["msg"]
    assert detail["loc"] == ["body", "profile", "busy", 1, "ics"]  # beside its field
    read = client.get(f"/plans/{created['id']}", headers=auth(created)).json()
    assert read["version"] == created["version"] and read["profile"] == created["profile"]
    assert [status["source"] for status in read["busy_sources"]] == [display_name(work)]


def test_a_refresh_that_read_the_old_calendars_keeps_the_owners_change(
    client: TestClient, calendars: CalendarServer, example_profile: dict[str, Any]
) -> None:
    """A refresh reads the plan's calendars, the owner replaces them meanwhile (Change my
    week), then the refresh stores what it fetched: it does not bring the old calendar
    back at its old place."""
    from sqlmodel import Session

    from api import repository

    work, family = calendars.url(WORK), calendars.url(FAMILY)
    created = create(client, learner(example_profile, "Asia/Tokyo", {"ics": work}))
    engine = client.app.state.engine  # type: ignore[attr-defined]
    with Session(engine, expire_on_commit=False) as session:
        read_before = repository.busy_sources_of(session, plan_id=created["id"])
        repository.end_transaction(session)
        changed = {**created["profile"], "busy": [{"ics": family}]}
        assert replan(client, created, changed).status_code == 200
        for source in read_before:  # as the refresh's fetch marks them
            source.error = "not found (HTTP 404): is the address still valid?"
        repository.save_busy_sources(session, sources=read_before)
    read = client.get(f"/plans/{created['id']}", headers=auth(created)).json()
    assert [(s["source"], s["error"]) for s in read["busy_sources"]] == [
        (display_name(family), None)
    ]
