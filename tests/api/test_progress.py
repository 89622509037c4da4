"""The progress record through the API: one record per session, any combination with
the shortcuts, nothing about days to come, and the re-plan that starts where the
learner is, on the learner's clock (the service's clock fixed per test)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from tests.api.owned_plans import create, owner

SEOUL = ZoneInfo("Asia/Seoul")
SEOUL_PROFILE = {
    "timezone": "Asia/Seoul",
    "start": "2027-01-05",
    "weekly": {"tue": ["20:30-22:30"], "thu": ["20:30-22:30"], "sun": ["09:00-12:00"]},
    "blackouts": [{"from": "2027-02-06", "to": "2027-02-12"}],
    "goals": [{"topic": "6.3", "by": "2027-05-01"}],
}


@pytest.fixture
def clock(api_client: Any) -> Callable[[datetime], None]:
    """Set the service's clock (an aware moment)."""
    from api.deps import now as service_now

    def set_clock(moment: datetime) -> None:
        api_client.app.dependency_overrides[service_now] = lambda: moment.astimezone(UTC)

    return set_clock


def sessions_on(plan: dict[str, Any], *days: str) -> list[dict[str, Any]]:
    return [s for s in plan["sessions"] if s["start"][:10] in days and not s.get("done")]


def test_a_sessions_new_record_replaces_its_old_one(
    api_client: Any, example_profile: dict[str, Any]
) -> None:
    created = create(api_client, example_profile)  # today: Mon 2027-02-01 (tests.serving)
    url = f"/plans/{created['id']}/progress"
    first, second = (s["uid"] for s in created["plan"]["sessions"][:2])
    body = {"sessions": [first, {"session": second, "minutes": 45}]}
    assert api_client.post(url, headers=owner(created), json=body).status_code == 200
    again = api_client.post(
        url, headers=owner(created), json={"sessions": [{"session": first, "missed": True}]}
    )
    assert again.status_code == 200, again.text
    assert again.json()["progress"]["sessions"] == [
        {"session": first, "minutes": None, "missed": True},
        {"session": second, "minutes": 45, "missed": False},
    ]


def test_ticked_sessions_and_missed_days_make_one_record(
    api_client: Any, example_profile: dict[str, Any]
) -> None:
    """Regression: the web's "I missed some days" was refused once a session was ticked
    ("hours cannot be combined with missed days"); ticks are session records now."""
    created = create(api_client, example_profile)
    url = f"/plans/{created['id']}/progress"
    monday = sessions_on(created["plan"], "2027-01-04")[0]
    api_client.post(url, headers=owner(created), json={"sessions": [monday["uid"]]})
    missed = {"missed": [{"from": "2027-01-06", "to": "2027-01-09"}]}
    answer = api_client.post(url, headers=owner(created), json=missed)
    assert answer.status_code == 200, answer.text
    replanned = api_client.post(
        f"/plans/{created['id']}/replan", headers=owner(created), json={"as_of": "2027-01-11"}
    )
    assert replanned.status_code == 200, replanned.text
    done = [s for s in replanned.json()["plan"]["sessions"] if s.get("done")]
    assert [s["uid"] for s in done] == [monday["uid"]]  # Wednesday and Saturday missed


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (lambda plan: {"sessions": [sessions_on(plan, "2027-02-03")[0]["uid"]]},
         "begins Wed 2027-02-03 19:00, after now: report it once it has begun"),
        (lambda plan: {"extra": [{"topic": "1.2", "day": "2027-02-02", "minutes": 30}]},
         "progress: extra[0]: 2027-02-02 is after now: report study once it has happened"),
        (lambda plan: {"sessions": ["nope@roadmap-planner"]},
         "progress: sessions[0]: the plan has no session 'nope@roadmap-planner'"),
        (lambda plan: {"extra": [{"topic": "6", "day": "2027-01-20", "minutes": 30}]},
         "progress: extra[0].topic: 6 is a section: name the topic you studied (6.1, 6.2"),
    ],
)  # fmt: skip
def test_a_record_of_what_cannot_have_happened_is_refused(
    api_client: Any,
    example_profile: dict[str, Any],
    body: Callable[[dict[str, Any]], dict[str, Any]],
    message: str,
) -> None:
    created = create(api_client, example_profile)
    url = f"/plans/{created['id']}/progress"
    refused = api_client.post(url, headers=owner(created), json=body(created["plan"]))
    assert refused.status_code == 422
    assert message in refused.json()["detail"][0]["msg"]
    assert (
        api_client.get(f"/plans/{created['id']}", headers=owner(created)).json()["progress"] is None
    )


def test_an_on_plan_week_replanned_on_sunday_evening_moves_nothing(
    api_client: Any, clock: Callable[[datetime], None]
) -> None:
    """Regression (issue 24): the web's re-plan on Sunday 21:30 after a week ticked Done
    said "1 kept, 111 moved, 14 added" and planned the rest of 1.2 into that morning."""
    clock(datetime(2027, 1, 4, 12, tzinfo=SEOUL))
    created = create(api_client, {**SEOUL_PROFILE})
    week = sessions_on(created["plan"], "2027-01-05", "2027-01-07", "2027-01-10")
    assert [s["start"][11:16] for s in week] == ["20:30", "20:30", "09:00"]
    clock(datetime(2027, 1, 10, 21, 30, tzinfo=SEOUL))
    url = f"/plans/{created['id']}"
    recorded = api_client.post(
        f"{url}/progress", headers=owner(created), json={"sessions": [s["uid"] for s in week]}
    )
    assert recorded.json()["replan_from"] == {
        "as_of": "2027-01-10",
        "at": "2027-01-10T21:30:00+09:00",
        "why": "now",
    }
    replanned = api_client.post(f"{url}/replan", headers=owner(created))
    assert replanned.status_code == 200, replanned.text
    changes = replanned.json()["changes"]
    assert (changes["moved"], changes["added"], changes["dropped"], changes["done"]) == (0, 0, 0, 3)
    assert changes["finish_after"] == changes["finish_before"]
    upcoming = [s for s in replanned.json()["plan"]["sessions"] if not s.get("done")]
    assert min(s["start"] for s in upcoming) >= "2027-01-12T20:30"
    assert replanned.json()["started"]["why"] == "now"


def test_replan_from_keeps_todays_unreported_session_where_it_is(
    api_client: Any, clock: Callable[[datetime], None]
) -> None:
    clock(datetime(2027, 1, 4, 12, tzinfo=SEOUL))
    created = create(api_client, {**SEOUL_PROFILE})
    clock(datetime(2027, 1, 10, 21, 30, tzinfo=SEOUL))  # Sunday's 09:00 session not reported
    read = api_client.get(f"/plans/{created['id']}", headers=owner(created)).json()
    assert read["replan_from"] == {
        "as_of": "2027-01-10",
        "at": "2027-01-10T09:00:00+09:00",
        "why": "today's session of 1.2 is not reported yet, so it stays",
    }


@pytest.mark.parametrize(
    ("zone", "utc", "first_day"),
    [
        # 23:30 UTC is 08:30 on Tuesday in Tokyo: today's 07:00-09:00 window is half over,
        # too short for a session of an hour: the plan begins on Wednesday.
        ("Asia/Tokyo", datetime(2027, 2, 1, 23, 30, tzinfo=UTC), "2027-02-03"),
        # ... and 15:30 on Monday in Los Angeles: today's window is still ahead.
        ("America/Los_Angeles", datetime(2027, 2, 1, 23, 30, tzinfo=UTC), "2027-02-01"),
    ],
)
def test_a_plan_without_a_start_begins_at_the_learners_now(
    api_client: Any, clock: Callable[[datetime], None], zone: str, utc: datetime, first_day: str
) -> None:
    """Regression: without a start, POST /plans planned from the UTC date; then from
    the learner's date but at its midnight, so a window already over today held the
    first session."""
    clock(utc)
    every_day = {day: ["07:00-09:00" if zone == "Asia/Tokyo" else "19:00-21:00"]
                 for day in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")}  # fmt: skip
    profile = {"timezone": zone, "weekly": every_day,
               "session": {"min_minutes": 60, "max_minutes": 120, "slot_minutes": 30}}  # fmt: skip
    created = create(api_client, profile)
    first = min(s["start"] for s in created["plan"]["sessions"])
    assert first[:10] == first_day
    assert datetime.fromisoformat(first) >= utc


def test_a_session_recorded_missed_keeps_its_meaning_after_the_replan(
    api_client: Any, example_profile: dict[str, Any]
) -> None:
    """Its time is planned anew under a new UID: the record stays valid and says nothing
    of the later session (which was refused as "planned after today" when it kept the
    UID)."""
    created = create(api_client, example_profile)
    url = f"/plans/{created['id']}"
    monday = sessions_on(created["plan"], "2027-01-04")[0]["uid"]
    missed = {"sessions": [{"session": monday, "missed": True}]}
    assert api_client.post(f"{url}/progress", headers=owner(created), json=missed).is_success
    replanned = api_client.post(
        f"{url}/replan", headers=owner(created), json={"as_of": "2027-01-05"}
    )
    assert replanned.status_code == 200, replanned.text
    assert monday not in {s["uid"] for s in replanned.json()["plan"]["sessions"]}
    wednesday = sessions_on(replanned.json()["plan"], "2027-01-06")[0]["uid"]
    more = {"sessions": [wednesday]}
    again = api_client.post(f"{url}/progress", headers=owner(created), json=more)
    assert again.status_code == 200, again.text
    assert [
        r if isinstance(r, str) else r["session"] for r in again.json()["progress"]["sessions"]
    ] == [
        monday,
        wednesday,
    ]


def test_what_a_replan_would_refuse_is_refused_before_it_is_stored(
    api_client: Any, example_profile: dict[str, Any]
) -> None:
    """Regression: a progress with an as_of before the last re-plan was stored and then
    made every read of the plan a 422."""
    created = create(api_client, example_profile)
    url = f"/plans/{created['id']}"
    week = [s["uid"] for s in sessions_on(created["plan"], "2027-01-04", "2027-01-06")]
    body = {"sessions": week, "done": ["1.2"]}
    assert api_client.post(f"{url}/progress", headers=owner(created), json=body).is_success
    # From a day before the sessions reported: it starts after them instead.
    early = api_client.post(f"{url}/replan", headers=owner(created), json={"as_of": "2027-01-05"})
    assert early.status_code == 200, early.text
    assert early.json()["started"]["why"] == "after the sessions you reported"
    assert early.json()["started"]["at"] == "2027-01-06T21:00:00+01:00"
    back = api_client.post(f"{url}/progress", headers=owner(created), json={"as_of": "2027-01-04"})
    assert back.status_code == 422
    assert back.json()["detail"][0]["msg"].startswith("progress: as_of 2027-01-04 is before")
    read = api_client.get(url, headers=owner(created))
    assert read.status_code == 200 and read.json()["progress"]["as_of"] is None
    # The records of the past of the re-plan stay as they were.
    changed = {"sessions": [{"session": week[0], "minutes": 30}, week[1]], "done": ["1.2"]}
    refused = api_client.put(f"{url}/progress", headers=owner(created), json=changed)
    assert refused.status_code == 422
    assert "is in the past of the last re-plan" in refused.json()["detail"][0]["msg"]


def test_a_plan_starting_today_begins_at_the_learners_now(
    api_client: Any, clock: Callable[[datetime], None]
) -> None:
    """Regression: the web sends start = today; at 22:00 the first session was the one
    of 20:30-22:30 that evening, already half over."""
    clock(datetime(2027, 1, 5, 22, tzinfo=SEOUL))
    created = create(api_client, {**SEOUL_PROFILE})
    first = min(s["start"] for s in created["plan"]["sessions"])
    assert first == "2027-01-07T20:30:00+09:00"
