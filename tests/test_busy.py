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
from planner.inputs.busy_calendar import BusyCalendar

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
        (
            "broken-rrule.ics",
            'event "A rule no program can read" (UID broken@example.org, 2027-01-04) has a '
            "rule that cannot be read: FREQ=SOMETIMES: 'SOMETIMES' is not one of SECONDLY,",
        ),
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


# --- events that cannot be placed in time (issue 27) --------------------------------------

OUTLOOK = FIXTURES / "outlook.ics"
LOS_ANGELES, TOKYO, CHATHAM = (
    ZoneInfo("America/Los_Angeles"),
    ZoneInfo("Asia/Tokyo"),
    ZoneInfo("Pacific/Chatham"),
)
PACIFIC_WARNING = (
    'busy calendar outlook.ics: event "Weekly sync" (UID pacific@example.org, 2027-01-07) '
    'left out: its time zone "(UTC-08:00) Pacific Time (US & Canada)" is neither an IANA '
    "nor a Windows zone name, and the file has no VTIMEZONE for it; give the event a known zone"
)
NEGATIVE_WARNING = (
    'busy calendar outlook.ics: event "Call" (UID negative@example.org, 2027-01-08) left '
    "out: it lasts less than nothing (DURATION:-PT30M)"
)
BACKWARDS_WARNING = (
    'busy calendar outlook.ics: event "Dentist" (UID backwards@example.org, 2027-01-08) left '
    "out: it ends (2027-01-08 17:00:00+00:00) before it starts (2027-01-08 18:00:00+00:00)"
)


def outlook_calendar() -> BusyCalendar:
    from planner.inputs.busy_calendar import BusyCalendar, BusyCalendarFile
    from planner.models.busy import BusySource

    return BusyCalendar([BusyCalendarFile(BusySource(ics="outlook.ics"), OUTLOOK.read_bytes())])


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


@pytest.mark.parametrize("zone", [LOS_ANGELES, TOKYO, CHATHAM], ids=str)
def test_a_zone_is_read_where_it_is_unambiguous_and_never_guessed(zone: ZoneInfo) -> None:
    """Outlook's display name of Berlin time is Berlin time (19:00 = 18:00 UTC in
    January) for every learner, as is the Windows name; the display name of Pacific time
    lists no city and is left out, not read in the learner's zone; an event that ends
    before it starts, or lasts a negative DURATION, is left out (each was busy time
    with its ends swapped); each with a warning, but one marked free needs none."""
    calendar = outlook_calendar()
    busy = calendar.busy_time(zone, date(2027, 1, 4), date(2027, 1, 31))
    assert busy.intervals == (
        (utc("2027-01-05T18:00"), utc("2027-01-05T19:00")),  # the display name
        (utc("2027-01-06T18:00"), utc("2027-01-06T19:00")),  # the Windows name
    )
    assert calendar.warnings(zone, date(2027, 1, 4), date(2027, 1, 31)) == [
        NEGATIVE_WARNING,
        BACKWARDS_WARNING,
        PACIFIC_WARNING + " (3 times in the days planned, first 2027-01-07)",
    ]
    assert calendar.warnings(zone, date(2027, 1, 10), date(2027, 1, 31)) == [
        PACIFIC_WARNING + " (2 times in the days planned, first 2027-01-14)",
    ], "only the events in the days asked about"


@pytest.mark.parametrize(
    ("tzid", "zone"),
    [
        ("(UTC+01:00) Amsterdam, Berlin, Bern, Rome, Stockholm, Vienna", "Europe/Amsterdam"),
        ("(UTC+01:00) Amsterdam, Berlin, Bern, Rom, Stockholm, Wien", "Europe/Amsterdam"),
        ("(UTC+00:00) Dublin, Edinburgh, Lisbon, London", "Europe/Dublin"),
        ("(UTC+05:30) Chennai, Kolkata, Mumbai, New Delhi", "Asia/Kolkata"),
        ("(UTC+09:00) Osaka, Sapporo, Tokyo", "Asia/Tokyo"),
        ("(UTC-08:00) Pacific Time (US & Canada)", None),  # no city
        ("(UTC+02:00) Berlin", None),  # Berlin's summer offset, not its standard one
        ("(UTC+01:00) Berlin, Athens", None),  # two zones
        ("(UTC+02:00) Athens, Berlin", None),  # two zones, the first as stated
        # San Juan is also America/Argentina/San_Juan, an hour apart from La Paz.
        ("(UTC-04:00) Georgetown, La Paz, Manaus, San Juan", None),
        ("(UTC+12:45) Chatham Islands", None),  # not an IANA city name
        ("Central Europe", None),
    ],
)
def test_an_outlook_display_name_names_a_zone_only_when_its_cities_agree(
    tzid: str, zone: str | None
) -> None:
    from planner.inputs.busy_events import zone_of_display_name

    found = zone_of_display_name(tzid, 2027)
    assert (found.key if found else None) == zone


def test_a_left_out_event_is_said_where_the_learner_sees_it(tmp_path: Path) -> None:
    """The CLI's summary warns about the events left out of the Los Angeles learner's
    calendar; the plan avoids the display-name event at 10:00 their time."""
    shutil.copytree(FIXTURES, tmp_path, dirs_exist_ok=True)
    (tmp_path / "profile.yaml").write_text(
        "timezone: America/Los_Angeles\nstart: 2027-01-04\n"
        'weekly: {mon: ["09:00-11:00"], tue: ["09:00-11:00"], wed: ["09:00-11:00"],'
        ' thu: ["09:00-11:00"], fri: ["09:00-11:00"]}\nbusy: [outlook.ics]\n'
    )
    tiny = FIXTURES.parent
    planned = plan_in(
        tmp_path,
        "--roadmap", str(tiny / "tiny-roadmap.yaml"),
        "--prerequisites", str(tiny / "tiny-prerequisites.yaml"),
    )  # fmt: skip
    intervals = [(i["start"], i["end"]) for i in planned.plan["busy"]["intervals"]]
    assert ("2027-01-05T10:00:00-08:00", "2027-01-05T11:00:00-08:00") in intervals
    assert not [start for start, _end in intervals if start.startswith("2027-01-08")]
    result = runner.invoke(
        app,
        ["plan", "--profile", str(tmp_path / "profile.yaml"),
         "--roadmap", str(tiny / "tiny-roadmap.yaml"),
         "--prerequisites", str(tiny / "tiny-prerequisites.yaml")],
    )  # fmt: skip
    said = " ".join(result.stderr.split())
    assert f"warning: {BACKWARDS_WARNING}" in said
    assert f"warning: {NEGATIVE_WARNING}" in said
    assert f"warning: {PACIFIC_WARNING}" in said


@pytest.mark.parametrize(
    ("rule", "problem"),
    [
        ("FREQ=WEEKLY;BYDAY=XX", "BYDAY=XX: 'XX' is not a weekday MO TU WE TH FR SA SU"),
        ("FREQ=WEEKLY;BYDAY=MO,XX", "BYDAY=MO,XX: 'XX' is not a weekday"),
        ("FREQ=MONTHLY;BYDAY=99MO", "BYDAY=99MO: '99MO' is not a weekday"),
        ("FREQ=WEEKLY;WKST=XX", "WKST=XX: 'XX' is not one of MO, TU, WE, TH, FR, SA, SU"),
        ("FREQ=YEARLY;BYMONTH=13", "BYMONTH=13: 13 is not in 1 to 12"),
        ("FREQ=DAILY;BYHOUR=25", "BYHOUR=25: 25 is not in 0 to 23"),
        ("FREQ=MONTHLY;BYMONTHDAY=0", "BYMONTHDAY=0: 0 is not in 1 to 31 (or -31 to -1)"),
        ("FREQ=WEEKLY;INTERVAL=0", "INTERVAL=0: 0 is not in 1 to 1000000"),  # it hung
        ("FREQ=WEEKLY;COUNT=abc", "COUNT=abc: 'ABC' is not a whole number"),
        ("FREQ=WEEKLY;UNTIL=2027xx", "UNTIL=2027xx: '2027XX' is not a date (20270131)"),
        ("BYDAY=MO", "it has no FREQ (how often it repeats)"),
        ("FREQ=WEEKLY;FOO=1", "FOO is not a part of a rule (FREQ, INTERVAL, COUNT, UNTIL"),
    ],
)
def test_a_broken_rule_is_reported_as_what_it_is(rule: str, problem: str) -> None:
    """`BYDAY=XX` was reported as "UNTIL parameter is missing"; `INTERVAL=0` hung."""
    from planner.inputs.busy_calendar import BusyCalendar, BusyCalendarFile
    from planner.models.busy import BusySource

    body = (
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//EN\r\nBEGIN:VEVENT\r\n"
        "UID:standup@example.org\r\nSUMMARY:Standup\r\nDTSTAMP:20261201T000000Z\r\n"
        f"DTSTART:20270104T170000Z\r\nDTEND:20270104T173000Z\r\nRRULE:{rule}\r\n"
        "END:VEVENT\r\nEND:VCALENDAR\r\n"
    )
    calendar = BusyCalendar([BusyCalendarFile(BusySource(ics="team.ics"), body.encode())])
    with pytest.raises(BusySourceError) as raised:
        calendar.busy_time(TOKYO, date(2027, 1, 4), date(2027, 1, 31))
    assert str(raised.value).startswith(
        'busy calendar team.ics: event "Standup" (UID standup@example.org, 2027-01-04) has '
        "a rule that cannot be read: "
    )
    assert problem in str(raised.value)


@pytest.mark.parametrize(
    ("line", "problem"),
    [
        ("EXDATE:2027xx", '(UID standup@example.org, 2027-01-04) has a time that cannot be read: '
                          "EXDATE: Expected time, got: 2027xx"),
        ("DURATION:PTxx", "(UID standup@example.org, 2027-01-04) has a time that cannot be "
                          "read: DURATION: Invalid iCalendar duration: PTxx"),
        ("RDATE:2027011", "(UID standup@example.org, 2027-01-04) has a time that cannot be "
                          "read: RDATE: "),
    ],
)  # fmt: skip
def test_a_time_that_cannot_be_read_names_its_event(line: str, problem: str) -> None:
    """It was "not a valid iCalendar file (Cannot access 'dt' on broken property …)"."""
    from planner.inputs.busy_calendar import BusyCalendar, BusyCalendarFile
    from planner.models.busy import BusySource

    body = (
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//EN\r\nBEGIN:VEVENT\r\n"
        "UID:standup@example.org\r\nSUMMARY:Standup\r\nDTSTAMP:20261201T000000Z\r\n"
        "DTSTART:20270104T170000Z\r\nRRULE:FREQ=WEEKLY;COUNT=3\r\n"
        f"{line}\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    )
    calendar = BusyCalendar([BusyCalendarFile(BusySource(ics="team.ics"), body.encode())])
    with pytest.raises(BusySourceError) as raised:
        calendar.busy_time(CHATHAM, date(2027, 1, 4), date(2027, 1, 31))
    assert f'busy calendar team.ics: event "Standup" {problem}' in str(raised.value)
