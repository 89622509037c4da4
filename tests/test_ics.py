"""The calendar: one event per session, read back by icalendar and by ical.js (the
parser of Thunderbird and many web apps) with the same instants as the JSON plan."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import icalendar
import pytest

from planner.inputs.loading import bundled_file, load_prerequisites, load_profile, load_roadmap
from planner.inputs.plan_inputs import PlanInputs
from planner.models.plan import Plan
from planner.models.roadmap import Roadmap
from planner.output.ics import plan_to_calendar
from planner.planning.pipeline import make_plan
from tests.scopes import shared

FIXTURES = Path(__file__).parent / "fixtures"
ReadWithIcaljs = Callable[[Path], list[dict[str, Any]]]


def plan_from(roadmap_path: Path, prerequisites_path: Path, profile_path: Path) -> Plan:
    inputs = PlanInputs(
        roadmap=load_roadmap(roadmap_path),
        prerequisites=load_prerequisites(prerequisites_path),
        profile=load_profile(profile_path),
    )
    return make_plan(inputs, today=date(2027, 1, 1)).plan


@pytest.fixture(scope=shared)
def bundled() -> tuple[Plan, Roadmap]:
    with (
        bundled_file("roadmap.yaml") as roadmap,
        bundled_file("prerequisites.yaml") as prerequisites,
        bundled_file("profiles/example.yaml") as profile,
    ):
        return plan_from(roadmap, prerequisites, profile), load_roadmap(roadmap)


def utc_text(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def test_one_event_per_session_with_the_plans_details(bundled: tuple[Plan, Roadmap]) -> None:
    plan, roadmap = bundled
    calendar = icalendar.Calendar.from_ical(plan_to_calendar(plan, roadmap).to_ical())
    events = list(calendar.walk("VEVENT"))
    assert len(events) == len(plan.sessions)
    assert len({str(event["UID"]) for event in events}) == len(events)
    first = events[0]
    assert str(first["SUMMARY"]) == "1.1 Internet Fundamentals"
    assert first["CATEGORIES"].cats == ["Foundations"]
    assert "- Domain names & DNS resolution" in str(first["DESCRIPTION"])
    assert first["DTSTART"].params["TZID"] == "Europe/Berlin"
    assert str(calendar["X-WR-CALNAME"]).startswith("Python Backend Developer Roadmap")
    assert calendar["REFRESH-INTERVAL"].to_ical() == b"PT12H"
    assert len(list(calendar.walk("VTIMEZONE"))) == 1


def test_the_feed_is_no_itip_message(bundled: tuple[Plan, Roadmap]) -> None:
    """Issue 27: METHOD:PUBLISH without an ORGANIZER breaks RFC 5546 (3.2.1); a feed
    that is subscribed to carries no METHOD at all."""
    plan, roadmap = bundled
    calendar = icalendar.Calendar.from_ical(plan_to_calendar(plan, roadmap).to_ical())
    assert "METHOD" not in calendar
    assert not [event for event in calendar.walk("VEVENT") if "ORGANIZER" in event]


def test_links_are_in_the_description(bundled: tuple[Plan, Roadmap]) -> None:
    plan, roadmap = bundled
    calendar = plan_to_calendar(plan, roadmap)
    tooling = next(e for e in calendar.walk("VEVENT") if str(e["SUMMARY"]).startswith("1.2 "))
    assert "Dependency management with Poetry: https://github.com/" in str(tooling["DESCRIPTION"])


def test_uids_come_from_roadmap_topic_ordinal_and_plan(bundled: tuple[Plan, Roadmap]) -> None:
    plan, _ = bundled
    uids = [session.uid for session in plan.sessions if session.topic == "2.1"]
    expected = [f"python-backend-2.1-{n}.{plan.plan_id}@roadmap-planner" for n in range(1, 9)]
    assert uids == expected[: len(uids)] and len(uids) > 1


def test_same_plan_gives_the_same_bytes(bundled: tuple[Plan, Roadmap]) -> None:
    plan, roadmap = bundled
    assert plan_to_calendar(plan, roadmap).to_ical() == plan_to_calendar(plan, roadmap).to_ical()


def test_icalendar_reads_the_instants_of_the_json(bundled: tuple[Plan, Roadmap]) -> None:
    plan, roadmap = bundled
    calendar = icalendar.Calendar.from_ical(plan_to_calendar(plan, roadmap).to_ical())
    read = {
        str(e["UID"]): (utc_text(e["DTSTART"].dt), utc_text(e["DTEND"].dt))
        for e in calendar.walk("VEVENT")
    }
    assert read == {s.uid: (utc_text(s.start), utc_text(s.end)) for s in plan.sessions}


def test_icaljs_reads_the_instants_of_the_json(
    bundled: tuple[Plan, Roadmap], tmp_path: Path, read_with_icaljs: ReadWithIcaljs
) -> None:
    plan, roadmap = bundled
    path = tmp_path / "plan.ics"
    path.write_bytes(plan_to_calendar(plan, roadmap).to_ical())
    read = {e["uid"]: (e["start_utc"], e["end_utc"]) for e in read_with_icaljs(path)}
    assert read == {s.uid: (utc_text(s.start), utc_text(s.end)) for s in plan.sessions}
    # The plan crosses the spring DST change: summer sessions are where the bug would show.
    assert any(s.start.utcoffset() != plan.sessions[0].start.utcoffset() for s in plan.sessions)


def test_session_in_a_repeated_hour_is_read_right_by_icaljs(
    tmp_path: Path, read_with_icaljs: ReadWithIcaljs
) -> None:
    plan = plan_from(
        FIXTURES / "tiny-roadmap.yaml",
        FIXTURES / "tiny-prerequisites.yaml",
        FIXTURES / "dst-fallback-profile.yaml",
    )
    roadmap = load_roadmap(FIXTURES / "tiny-roadmap.yaml")
    fall_back = [s for s in plan.sessions if s.start.date() == date(2027, 10, 31)]
    assert sum(s.minutes for s in fall_back) == 240  # 01:30-04:30 is 4 h that night
    path = tmp_path / "plan.ics"
    path.write_bytes(plan_to_calendar(plan, roadmap).to_ical())
    assert b"Z\r\n" in path.read_bytes()  # the ambiguous 02:30 is written in UTC
    read = {e["uid"]: (e["start_utc"], e["end_utc"]) for e in read_with_icaljs(path)}
    assert read == {s.uid: (utc_text(s.start), utc_text(s.end)) for s in plan.sessions}


def hourly_across_fall_back() -> tuple[Plan, Roadmap]:
    """The tiny roadmap in sessions of one hour, Sundays from 01:30 across fall-back."""
    profile = load_profile(FIXTURES / "dst-fallback-profile.yaml")
    hourly = profile.model_copy(
        update={"session": profile.session.model_copy(update={"max_minutes": 60})}
    )
    roadmap = load_roadmap(FIXTURES / "tiny-roadmap.yaml")
    inputs = PlanInputs(roadmap, load_prerequisites(FIXTURES / "tiny-prerequisites.yaml"), hourly)
    return make_plan(inputs, today=date(2027, 1, 1)).plan, roadmap


def test_hour_sessions_across_the_repeated_hour_are_written_in_utc_and_read_right(
    tmp_path: Path, read_with_icaljs: ReadWithIcaljs
) -> None:
    """Sessions of one hour from 01:30 on the fall-back night: 02:30 comes twice, as the
    end of one session and the start of the next (summer time), then as the end of that
    one and the start of the next (winter time). Those times are written in UTC (a
    TZID time there is ambiguous: ical.js would read both with the winter offset); the
    others in the learner's zone."""
    plan, roadmap = hourly_across_fall_back()
    night = [s for s in plan.sessions if s.start.date() == date(2027, 10, 31)]
    assert [(utc_text(s.start), utc_text(s.end)) for s in night] == [
        ("2027-10-30T23:30:00Z", "2027-10-31T00:30:00Z"),
        ("2027-10-31T00:30:00Z", "2027-10-31T01:30:00Z"),
        ("2027-10-31T01:30:00Z", "2027-10-31T02:30:00Z"),
        ("2027-10-31T02:30:00Z", "2027-10-31T03:30:00Z"),
    ]
    path = tmp_path / "plan.ics"
    path.write_bytes(plan_to_calendar(plan, roadmap).to_ical())
    events = {
        str(e["UID"]): e for e in icalendar.Calendar.from_ical(path.read_bytes()).walk("VEVENT")
    }
    written = [
        (events[s.uid]["DTSTART"].to_ical(), events[s.uid]["DTEND"].to_ical()) for s in night
    ]
    assert written == [
        (b"20271031T013000", b"20271031T003000Z"),
        (b"20271031T003000Z", b"20271031T013000Z"),
        (b"20271031T013000Z", b"20271031T033000"),
        (b"20271031T033000", b"20271031T043000"),
    ]
    read = {e["uid"]: (e["start_utc"], e["end_utc"]) for e in read_with_icaljs(path)}
    assert read == {s.uid: (utc_text(s.start), utc_text(s.end)) for s in plan.sessions}


def test_the_machines_time_zone_changes_no_byte(monkeypatch: pytest.MonkeyPatch) -> None:
    """DTSTAMP (the plan's first day, at midnight in the learner's zone) and the times
    written in UTC are the same on a machine in Tokyo."""
    plan, roadmap = hourly_across_fall_back()
    here = plan_to_calendar(plan, roadmap).to_ical()
    assert b"DTSTAMP:20271024T220000Z\r\n" in here  # the 25th, from the profile
    monkeypatch.setenv("TZ", "Asia/Tokyo")
    time.tzset()
    try:
        assert plan_to_calendar(plan, roadmap).to_ical() == here
    finally:
        monkeypatch.undo()
        time.tzset()
