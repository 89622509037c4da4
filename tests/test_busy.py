"""Busy calendars end to end: `planner plan --profile` with the fixtures of
tests/fixtures/busy (a work calendar with a weekly series, EXDATEs, an RDATE, a moved
and a cancelled instance, an all-day event, a declined invitation, a transparent event,
an event in New York time, a floating one; a Google export with X-WR-TIMEZONE; a
calendar holding our own study sessions), checked against the busy instances expanded
here, independently, with the library."""

from __future__ import annotations

import hashlib
import json
import shutil
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import icalendar
import pytest
import recurring_ical_events
import x_wr_timezone
from typer.testing import CliRunner

from planner.cli.app import app
from planner.errors import BusySourceError

FIXTURES = Path(__file__).parent / "fixtures" / "busy"
BERLIN = ZoneInfo("Europe/Berlin")
ME = "learner@example.org"
runner = CliRunner()


@dataclass(frozen=True)
class Planned:
    folder: Path
    plan: dict  # type: ignore[type-arg]
    output: str


def plan_in(folder: Path, *extra: str, json_name: str = "plan.json") -> Planned:
    result = runner.invoke(
        app,
        ["plan", "--profile", str(folder / "profile.yaml"), "--json", str(folder / json_name),
         "--ics", str(folder / json_name.replace(".json", ".ics")), *extra],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    return Planned(folder, json.loads((folder / json_name).read_text()), result.stdout)


@pytest.fixture(scope="module")
def planned(tmp_path_factory: pytest.TempPathFactory) -> Planned:
    folder = tmp_path_factory.mktemp("busy")
    shutil.copytree(FIXTURES, folder, dirs_exist_ok=True)
    return plan_in(folder)


# --- busy time as this test reads it: the library, with the rules of the issue ---------


def busy_instances(
    path: Path, *, buffer_minutes: int, until: date
) -> list[tuple[datetime, datetime]]:
    """Every busy instance of `path` up to `until`, in UTC, widened by the buffer; an
    all-day event as its local days from midnight to midnight."""
    calendar = x_wr_timezone.to_standard(icalendar.Calendar.from_ical(path.read_bytes()))
    events = recurring_ical_events.of(calendar).between(date(2026, 12, 1), until)
    buffer = timedelta(minutes=buffer_minutes)
    found = []
    for event in events:
        attendees = event.get("ATTENDEE", [])
        declined = any(
            str(a).lower() == f"mailto:{ME}" and a.params.get("PARTSTAT") == "DECLINED"
            for a in (attendees if isinstance(attendees, list) else [attendees])
        )
        if (
            declined
            or event.get("TRANSP") == "TRANSPARENT"
            or event.get("STATUS") == "CANCELLED"
            or str(event["UID"]).endswith("@roadmap-planner")
        ):
            continue
        start, end = event.start, event.end
        if not isinstance(start, datetime):
            first = datetime.combine(start, datetime.min.time(), tzinfo=BERLIN)
            found.append(
                (
                    first.astimezone(UTC),
                    (first + timedelta(days=(end - start).days)).astimezone(UTC),
                )
            )
            continue
        local = lambda moment: moment if moment.tzinfo else moment.replace(tzinfo=BERLIN)  # noqa: E731
        found.append((local(start).astimezone(UTC) - buffer, local(end).astimezone(UTC) + buffer))
    return found


def all_busy(folder: Path, until: date) -> list[tuple[datetime, datetime]]:
    return (
        busy_instances(folder / "work.ics", buffer_minutes=15, until=until)
        + busy_instances(folder / "google-x-wr.ics", buffer_minutes=0, until=until)
        + busy_instances(folder / "with-our-sessions.ics", buffer_minutes=0, until=until)
    )


def overlapping(sessions: list[dict], busy: list[tuple[datetime, datetime]]) -> list[str]:  # type: ignore[type-arg]
    clashes = []
    for session in sessions:
        start = datetime.fromisoformat(session["start"]).astimezone(UTC)
        end = datetime.fromisoformat(session["end"]).astimezone(UTC)
        clashes += [session["start"] for b_start, b_end in busy if b_start < end and start < b_end]
    return clashes


# --- the plan ----------------------------------------------------------------------------


def test_no_session_overlaps_any_busy_instance(planned: Planned) -> None:
    finish = datetime.fromisoformat(planned.plan["finish"]).date()
    busy = all_busy(planned.folder, finish + timedelta(days=1))
    assert len(busy) > 40
    assert overlapping(planned.plan["sessions"], busy) == []


def test_the_check_above_can_fail(tmp_path: Path) -> None:
    """The same profile without its busy calendars plans into those very instances."""
    shutil.copytree(FIXTURES, tmp_path, dirs_exist_ok=True)
    profile = (tmp_path / "profile.yaml").read_text()
    (tmp_path / "profile.yaml").write_text(profile[: profile.index("busy:")])
    free = plan_in(tmp_path)
    busy = all_busy(tmp_path, datetime.fromisoformat(free.plan["finish"]).date())
    assert len(overlapping(free.plan["sessions"], busy)) > 30
    assert "busy" not in free.plan


def first_session_on(plan: dict, day: str) -> str | None:  # type: ignore[type-arg]
    starts = sorted(s["start"] for s in plan["sessions"] if s["start"].startswith(day))
    return starts[0][11:16] if starts else None


@pytest.mark.parametrize(
    ("day", "first_start", "why"),
    [
        ("2027-01-04", "19:45", "weekly team sync 18:30-19:30 + 15 min buffer"),
        ("2027-01-06", None, "an RDATE adds Wednesday 19:00-20:00: 45 min left after buffers"),
        ("2027-01-09", "09:00", "transparent event: free time"),
        ("2027-01-11", "19:45", "our own study session in a subscribed calendar is no meeting"),
        ("2027-01-13", "19:00", "invitation declined by `me` (address matched ignoring case)"),
        ("2027-01-16", None, "all-day ski trip: a blackout day"),
        ("2027-01-18", "19:00", "EXDATE removes the team sync"),
        ("2027-01-20", None, "floating dinner 20:00 Berlin + buffer leaves 45 min: no session"),
        ("2027-01-23", None, "04:00-06:00 New York is 10:00-12:00 here: only scraps left"),
        ("2027-01-30", "09:00", "our session with a plan id in the UID is ignored too"),
        ("2027-02-01", "19:00", "that week's team sync moved to Wednesday (RECURRENCE-ID)"),
        ("2027-02-03", None, "the moved team sync 19:30-20:30 + buffers"),
        ("2027-02-06", "09:00", "dentist 11:00-12:00 (no buffer for that calendar)"),
        ("2027-03-01", "19:00", "cancelled instance (STATUS:CANCELLED on its RECURRENCE-ID)"),
        ("2027-04-03", "10:00", "X-WR-TIMEZONE: swimming stays 09:00-10:00 local after DST"),
        ("2027-04-07", "19:00", "the endless choir series starts (20:30 - 15 min)"),
    ],
)
def test_each_kind_of_event(planned: Planned, day: str, first_start: str | None, why: str) -> None:
    assert first_session_on(planned.plan, day) == first_start, why


def test_the_plan_records_digests_and_the_busy_intervals(planned: Planned) -> None:
    busy = planned.plan["busy"]
    assert busy["sources"] == [
        {
            "source": name,
            "digest": "sha256:" + hashlib.sha256((FIXTURES / name).read_bytes()).hexdigest(),
        }
        for name in ("work.ics", "google-x-wr.ics", "with-our-sessions.ics")
    ]
    assert {"start": "2027-01-04T18:15:00+01:00", "end": "2027-01-04T19:45:00+01:00"} in busy[
        "intervals"
    ]
    assert busy["days"] == ["2027-01-16"]
    assert busy["hours"] > 20


def test_the_summary_says_how_many_hours_busy_time_took(planned: Planned) -> None:
    hours = planned.plan["busy"]["hours"]
    assert f"Busy: your 3 calendars took {hours:g} h out of your windows" in planned.output


def test_same_calendars_same_bytes(planned: Planned, tmp_path: Path) -> None:
    shutil.copytree(FIXTURES, tmp_path, dirs_exist_ok=True)
    again = plan_in(tmp_path)
    assert again.plan == planned.plan
    assert (tmp_path / "plan.ics").read_bytes() == (planned.folder / "plan.ics").read_bytes()


def test_busy_option_adds_a_calendar(tmp_path: Path) -> None:
    shutil.copytree(FIXTURES, tmp_path, dirs_exist_ok=True)
    extra = tmp_path / "evening-class.ics"
    extra.write_bytes(
        b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//EN\r\nBEGIN:VEVENT\r\n"
        b"UID:class@example.org\r\nDTSTAMP:20261201T000000Z\r\n"
        b"DTSTART;TZID=Europe/Berlin:20270111T190000\r\nDTEND;TZID=Europe/Berlin:20270111T210000\r\n"
        b"END:VEVENT\r\nEND:VCALENDAR\r\n"
    )
    with_class = plan_in(tmp_path, "--busy", str(extra))
    assert first_session_on(with_class.plan, "2027-01-11") is None
    assert [s["source"] for s in with_class.plan["busy"]["sources"]][-1] == str(extra)


# --- bad input ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "problem"),
    [
        ("broken-rrule.ics", "not a valid iCalendar file"),
        ("not-a-calendar.ics", "not an iCalendar file (no BEGIN:VCALENDAR at its start)"),
        (
            "endless-minutely.ics",
            "event every-minute@example.org repeats every minute without a COUNT",
        ),
        ("missing.ics", "file not found"),
        ("huge.ics", "larger than the limit of 20 MiB"),
    ],
)
def test_a_bad_calendar_names_the_source_and_writes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, source: str, problem: str
) -> None:
    shutil.copytree(FIXTURES, tmp_path, dirs_exist_ok=True)
    monkeypatch.chdir(tmp_path)  # --busy paths are read from the current folder
    with (tmp_path / "huge.ics").open("wb") as huge:  # 50 MB, sparse: no disk used
        huge.truncate(50 * 1024 * 1024)
    (tmp_path / "plan.ics").write_text("the learner's calendar, untouched")
    result = runner.invoke(
        app,
        ["plan", "--profile", str(tmp_path / "profile.yaml"), "--busy", source,
         "--ics", str(tmp_path / "plan.ics"), "--json", str(tmp_path / "plan.json")],
    )  # fmt: skip
    assert result.exit_code == 1
    assert f"error: busy calendar {source}: {problem}" in " ".join(result.stderr.split())
    assert "Traceback" not in result.output
    assert (tmp_path / "plan.ics").read_text() == "the learner's calendar, untouched"
    assert not (tmp_path / "plan.json").exists()


def test_an_endless_rule_is_expanded_only_over_the_days_planned(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """An endless daily series is normal (expanded for the plan's days only); one that
    yields more events than the limit in those days is a clear error, not a hang."""
    from planner.inputs import busy_calendar
    from planner.inputs.busy_calendar import BusyCalendar, BusyCalendarFile
    from planner.models.busy import BusySource

    daily = (
        b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//EN\r\nBEGIN:VEVENT\r\nUID:d@x\r\n"
        b"DTSTAMP:20261201T000000Z\r\nDTSTART:20270101T070000Z\r\nDTEND:20270101T080000Z\r\n"
        b"RRULE:FREQ=DAILY\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    )
    calendar = BusyCalendar([BusyCalendarFile(BusySource(ics="daily.ics"), daily)])
    busy = calendar.busy_time(BERLIN, date(2027, 1, 4), date(2027, 1, 10))
    assert len(busy.intervals) == 7 + 2  # the week, and a day's margin either side
    monkeypatch.setattr(busy_calendar, "MAX_INSTANCES", 100)
    with pytest.raises(BusySourceError, match=r"daily\.ics: more than 100 events in the days"):
        calendar.busy_time(BERLIN, date(2027, 1, 4), date(2027, 12, 31))


def test_a_one_day_all_day_event_blocks_that_day_alone() -> None:
    """DTEND of an all-day event is exclusive: a trip on Saturday 2 January leaves
    Sunday's window free (issue 27: a planted bug that blocked Sunday too went
    unnoticed, as the fixture's learner studies on no Sunday)."""
    from planner.inputs.busy_calendar import BusyCalendar, BusyCalendarFile
    from planner.inputs.plan_inputs import PlanInputs
    from planner.models.busy import BusySource
    from planner.models.profile import Profile
    from planner.planning.pipeline import make_plan
    from tests.test_replan import TINY, TINY_EDGES

    trip = (
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//EN\r\nBEGIN:VEVENT\r\nUID:trip@x\r\n"
        "DTSTAMP:20261201T000000Z\r\nSUMMARY:Trip\r\nDTSTART;VALUE=DATE:20270102\r\n"
        "DTEND;VALUE=DATE:20270103\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    )
    profile = Profile.model_validate(
        {"timezone": "Europe/Berlin", "start": "2027-01-01",
         "weekly": {"sat": ["09:00-11:00"], "sun": ["09:00-11:00"]}}
    )  # fmt: skip
    busy = BusyCalendar([BusyCalendarFile(BusySource(ics="trip.ics"), trip.encode())])
    plan = make_plan(PlanInputs(TINY, TINY_EDGES, profile, busy=busy), today=date(2027, 1, 1))
    days = sorted({s.start.date() for s in plan.plan.sessions})
    assert days[0] == date(2027, 1, 3), "Sunday after the trip is free"
    assert date(2027, 1, 2) not in days
