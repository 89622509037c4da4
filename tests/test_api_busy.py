"""Busy calendars in the service: a plan made around a calendar served over real HTTP
(loopback, allowed by the test setting), refreshed on demand and on the schedule,
re-planned only when the calendar changed, the last good plan kept when it breaks, and
the secret URL in no answer and no log line."""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api.busy import Replanning, refresh_due
from api.capacity import solve_limits
from api.settings import Settings
from planner.models.busy import display_name
from tests.api.test_plans import auth, create
from tests.calendar_server import CalendarServer, serving
from tests.serving import TODAY, service_app

FIXTURES = Path(__file__).parent / "fixtures" / "busy"
SECRET_PATH = "/calendar/ical/learner%40example.org/private-5ecret7oken/basic.ics"
NEW_MEETING = (
    b"BEGIN:VEVENT\r\nUID:new-meeting@work.example.org\r\nDTSTAMP:20270101T090000Z\r\n"
    b"DTSTART;TZID=Europe/Berlin:20270217T190000\r\nDTEND;TZID=Europe/Berlin:20270217T200000\r\n"
    b"END:VEVENT\r\nEND:VCALENDAR\r\n"
)


@pytest.fixture
def calendars() -> Iterator[CalendarServer]:
    with serving(FIXTURES) as server:
        server.files[SECRET_PATH] = server.files["/work.ics"]
        yield server


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(
        data_dir=tmp_path / "data",
        public_url="https://plans.example.org",
        busy_allowed_networks=["127.0.0.1/32"],  # the calendar server of these tests
        busy_refresh_check_seconds=0,  # the tests run the schedule's rounds themselves
    )


@pytest.fixture
def client(settings: Settings) -> Iterator[TestClient]:
    with TestClient(service_app(settings)) as test_client:
        yield test_client


def profile(example_profile: dict[str, Any], *urls: str) -> dict[str, Any]:
    busy = [{"ics": url, "buffer_minutes": 15, "me": "learner@example.org"} for url in urls]
    return {**example_profile, "blackouts": [], "busy": busy}


def refresh(client: TestClient, created: dict[str, Any]) -> dict[str, Any]:
    response = client.post(f"/plans/{created['id']}/busy/refresh", headers=auth(created))
    assert response.status_code == 200, response.text
    return response.json()  # type: ignore[no-any-return]


def test_a_plan_avoids_the_calendar_and_never_shows_its_url(
    client: TestClient, calendars: CalendarServer, example_profile: dict[str, Any]
) -> None:
    url = calendars.url(SECRET_PATH)
    created = create(client, profile(example_profile, url))
    shown = display_name(url)
    assert created["plan"]["busy"]["sources"][0]["source"] == shown
    assert created["profile"]["busy"][0]["ics"] == shown
    assert created["plan"]["sessions"][0]["start"] == "2027-01-04T19:45:00+01:00"
    read = client.get(f"/plans/{created['id']}", headers=auth(created))
    (status,) = read.json()["busy_sources"]
    assert status["source"] == shown and status["error"] is None
    assert status["digest"] == created["plan"]["busy"]["sources"][0]["digest"]
    for answer in (json.dumps(created), read.text):
        assert "5ecret7oken" not in answer and "calendar/ical" not in answer


def test_refresh_without_a_change_asks_with_the_etag_and_keeps_the_plan(
    client: TestClient, calendars: CalendarServer, example_profile: dict[str, Any]
) -> None:
    created = create(client, profile(example_profile, calendars.url(SECRET_PATH)))
    answer = refresh(client, created)
    assert answer["replanned"] is False and answer["changed"] == []
    assert answer["version"] == created["version"]
    assert answer["plan"] == created["plan"]
    assert calendars.requests[SECRET_PATH] == 2  # the second one answered 304


def test_a_changed_calendar_is_replanned_and_unhit_sessions_stay(
    client: TestClient, calendars: CalendarServer, example_profile: dict[str, Any]
) -> None:
    created = create(client, profile(example_profile, calendars.url(SECRET_PATH)))
    feed = "/" + created["feed"]["url"].split("/", 3)[3]
    before_feed = client.get(feed)
    calendars.files[SECRET_PATH] = calendars.files[SECRET_PATH].replace(
        b"END:VCALENDAR\r\n", NEW_MEETING
    )
    answer = refresh(client, created)
    assert answer["replanned"] is True
    assert answer["changed"] == [display_name(calendars.url(SECRET_PATH))]
    assert answer["changes"]["busy_hit"] == 1 and answer["version"] == created["version"] + 1
    meeting_start = datetime(2027, 2, 17, 17, 45, tzinfo=UTC)  # 19:00 Berlin - buffer
    before = {s["uid"]: s for s in created["plan"]["sessions"]}
    after = {s["uid"]: s for s in answer["plan"]["sessions"]}
    earlier = [s for s in before.values() if datetime.fromisoformat(s["end"]) <= meeting_start]
    assert len(earlier) >= 15
    # Sessions before the service's today are history (a re-plan marks them done); the
    # ones from today up to the meeting are left exactly as they were.
    when = ("start", "end", "topic")
    assert all({k: after[s["uid"]][k] for k in when} == {k: s[k] for k in when} for s in earlier)
    upcoming = [s for s in earlier if s["start"][:10] >= str(TODAY)]
    assert len(upcoming) >= 3 and all(after[s["uid"]] == s for s in upcoming)
    assert client.get(feed).headers["ETag"] != before_feed.headers["ETag"]


@pytest.mark.parametrize(
    ("break_it", "problem"),
    [
        (lambda files: files.pop(SECRET_PATH), "not found (HTTP 404): is the address still valid?"),
        (
            lambda files: files.__setitem__(SECRET_PATH, b"<html>Sign in</html>"),
            "not an iCalendar file (no BEGIN:VCALENDAR at its start)",
        ),
        (
            lambda files: files.__setitem__(SECRET_PATH, files["/broken-rrule.ics"]),
            'event "A rule no program can read" (UID broken@example.org, 2027-01-04) has '
            "a rule that cannot be read: FREQ=SOMETIMES",
        ),
    ],
)
def test_a_broken_calendar_keeps_the_last_good_plan_and_says_why(
    client: TestClient,
    calendars: CalendarServer,
    example_profile: dict[str, Any],
    break_it: Any,
    problem: str,
) -> None:
    created = create(client, profile(example_profile, calendars.url(SECRET_PATH)))
    break_it(calendars.files)
    answer = refresh(client, created)
    assert answer["replanned"] is False and answer["plan"] == created["plan"]
    read = client.get(f"/plans/{created['id']}", headers=auth(created)).json()
    (status,) = read["busy_sources"]
    assert status["error"].startswith(problem)
    assert read["plan"] == created["plan"]
    assert "5ecret7oken" not in json.dumps(read)


def test_the_schedule_refreshes_due_calendars(
    client: TestClient,
    calendars: CalendarServer,
    example_profile: dict[str, Any],
    settings: Settings,
    caplog: pytest.LogCaptureFixture,
) -> None:
    created = create(client, profile(example_profile, calendars.url(SECRET_PATH)))
    engine = client.app.state.engine  # type: ignore[attr-defined]
    gate = client.app.state.capacity.solves  # type: ignore[attr-defined]

    def replanning() -> Replanning:  # as the service's schedule does
        return Replanning(gate, solve_limits(settings))

    assert refresh_due(engine, settings, replanning) == 0  # nothing due yet
    calendars.files[SECRET_PATH] = calendars.files[SECRET_PATH].replace(
        b"END:VCALENDAR\r\n", NEW_MEETING
    )
    later = datetime.now(UTC) + timedelta(minutes=settings.busy_refresh_minutes + 1)
    with caplog.at_level(logging.INFO, logger="planner.api"):
        assert refresh_due(engine, settings, replanning, now=later) == 1
    read = client.get(f"/plans/{created['id']}", headers=auth(created)).json()
    assert read["version"] == created["version"] + 1
    assert read["plan"]["busy"]["sources"] != created["plan"]["busy"]["sources"]
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert '"replanned": true' in logged and "5ecret7oken" not in logged
    assert refresh_due(engine, settings, replanning, now=later) == 0  # next in refresh_minutes


def test_progress_replans_use_the_stored_calendar(
    client: TestClient, calendars: CalendarServer, example_profile: dict[str, Any]
) -> None:
    created = create(client, profile(example_profile, calendars.url(SECRET_PATH)))
    calendars.files.pop(SECRET_PATH)  # unreachable now: the stored copy is used
    replanned = client.post(
        f"/plans/{created['id']}/replan", headers=auth(created), json={"as_of": "2027-01-04"}
    )
    assert replanned.status_code == 200, replanned.text
    assert replanned.json()["plan"]["sessions"] == created["plan"]["sessions"]


def test_private_addresses_are_refused_without_the_setting(
    tmp_path: Path, calendars: CalendarServer, example_profile: dict[str, Any]
) -> None:
    strict = Settings(data_dir=tmp_path / "strict", busy_refresh_check_seconds=0)
    with TestClient(service_app(strict)) as strict_client:
        response = strict_client.post(
            "/plans", json={"profile": profile(example_profile, calendars.url(SECRET_PATH))}
        )
    assert response.status_code == 422
    (detail,) = response.json()["detail"]
    assert detail["msg"] == (
        f"busy calendar {display_name(calendars.url(SECRET_PATH))}: refused: 127.0.0.1 "
        "resolves to 127.0.0.1, which is not a public address (only public URLs are read)"
    )
    assert calendars.requests[SECRET_PATH] == 0


@pytest.mark.parametrize(
    ("busy", "message"),
    [
        (
            [{"ics": "/etc/passwd"}],
            "profile.busy[0].ics: this service reads busy calendars by URL (http, https or "
            "webcal), not by file name",
        ),
        (
            [{"ics": f"https://example.org/{n}.ics"} for n in range(6)],
            "profile.busy: 6 calendars; this service reads at most 5",
        ),
    ],
)
def test_files_and_too_many_calendars_are_refused(
    client: TestClient, example_profile: dict[str, Any], busy: list[Any], message: str
) -> None:
    response = client.post("/plans", json={"profile": {**example_profile, "busy": busy}})
    assert response.status_code == 422
    assert response.json()["detail"][0]["msg"] == message


def test_an_unreachable_calendar_creates_no_plan(
    client: TestClient, calendars: CalendarServer, example_profile: dict[str, Any]
) -> None:
    response = client.post(
        "/plans", json={"profile": profile(example_profile, calendars.url("/gone.ics"))}
    )
    assert response.status_code == 422
    assert "not found (HTTP 404)" in response.json()["detail"][0]["msg"]


def test_the_running_service_refreshes_on_its_own(
    tmp_path: Path, calendars: CalendarServer, example_profile: dict[str, Any]
) -> None:
    """The schedule in the app itself: calendars due every ~0.1 s, looked at every
    0.05 s; the change shows up without any request asking for it."""
    eager = Settings(
        data_dir=tmp_path / "eager",
        busy_allowed_networks=["127.0.0.1/32"],
        busy_refresh_minutes=0.002,
        busy_refresh_check_seconds=0.05,
    )
    with TestClient(service_app(eager)) as eager_client:
        created = create(eager_client, profile(example_profile, calendars.url(SECRET_PATH)))
        calendars.files[SECRET_PATH] = calendars.files[SECRET_PATH].replace(
            b"END:VCALENDAR\r\n", NEW_MEETING
        )
        url = f"/plans/{created['id']}"
        for _ in range(600):  # bounded: at most about a minute on a loaded machine
            read = eager_client.get(url, headers=auth(created)).json()
            if read["version"] > created["version"]:
                break
            threading.Event().wait(0.1)
        assert read["version"] == created["version"] + 1
        assert read["busy_sources"][0]["error"] is None


def test_an_event_left_out_of_busy_time_is_among_the_warnings(
    client: TestClient, calendars: CalendarServer, example_profile: dict[str, Any]
) -> None:
    """Issue 27: an event in a zone no one knows is left out, and the answer says so
    (naming the calendar as it may be shown, the event and why)."""
    url = calendars.url("/outlook.ics")
    created = create(client, profile(example_profile, url))
    assert (
        f'busy calendar {display_name(url)}: event "Weekly sync" (UID pacific@example.org, '
        '2027-01-07) left out: its time zone "(UTC-08:00) Pacific Time (US & Canada)" is'
    ) in " ".join(created["warnings"])


def test_a_calendar_is_checked_before_any_plan(
    client: TestClient, calendars: CalendarServer, settings: Settings, tmp_path: Path
) -> None:
    """Issue 28: the form's "Test these calendars": read once, counted, nothing kept; its
    address stays masked; the SSRF rules hold (loopback refused where not allowed)."""
    url = calendars.url(SECRET_PATH)
    answer = client.post("/busy/check", json={"ics": url, "timezone": "America/Los_Angeles"})
    assert answer.status_code == 200, answer.text
    read = answer.json()
    assert read["source"] == display_name(url) and "5ecret7oken" not in answer.text
    assert read["events"] == 9 and read["days"] == 28
    # 1 to 28 February: the weekly team sync (1 h) moved to the 3rd, on the 8th and the
    # 22nd; the 15th is an EXDATE.
    assert read["busy_hours"] == 3.0
    broken = client.post(
        "/busy/check", json={"ics": calendars.url("/not-a-calendar.ics"), "timezone": "UTC"}
    )
    assert broken.status_code == 422 and "not an iCalendar file" in broken.text
    named = client.post("/busy/check", json={"ics": "work.ics", "timezone": "UTC"})
    assert named.status_code == 422 and "not by file name" in named.text
    strict = settings.model_copy(update={"busy_allowed_networks": [], "data_dir": tmp_path / "b"})
    with TestClient(service_app(strict)) as other:
        refused = other.post("/busy/check", json={"ics": url, "timezone": "UTC"})
    assert refused.status_code == 422 and "not a public address" in refused.text
    assert "5ecret7oken" not in refused.text
