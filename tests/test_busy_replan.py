"""`planner replan` after the busy calendar changed: it reads the calendars again; the
sessions before the first one the new busy time takes stay (same UID, same time, same
SEQUENCE); the ones it takes move and keep their UIDs with SEQUENCE raised."""

from __future__ import annotations

import io
import json
import shutil
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rich.console import Console
from typer.testing import CliRunner

from planner.cli.app import app
from planner.inputs.busy_calendar import BusyCalendar, BusyCalendarFile
from planner.inputs.plan_inputs import PlanInputs
from planner.models.busy import BusySource
from planner.models.plan import Plan
from planner.models.profile import Profile
from planner.models.progress import Progress
from planner.output.report import changes_summary
from planner.planning.pipeline import make_plan
from planner.planning.replan import ReplanResult, replan
from tests.scopes import shared
from tests.test_replan import TINY, TINY_EDGES

FIXTURES = Path(__file__).parent / "fixtures" / "busy"
NEW_MEETING = (
    "BEGIN:VEVENT\r\nUID:new-meeting@work.example.org\r\nDTSTAMP:20270101T090000Z\r\n"
    "SUMMARY:A new meeting on a study evening\r\n"
    "DTSTART;TZID=Europe/Berlin:20270217T190000\r\nDTEND;TZID=Europe/Berlin:20270217T200000\r\n"
    "END:VEVENT\r\nEND:VCALENDAR\r\n"
)
runner = CliRunner()


def run(*arguments: str) -> str:
    result = runner.invoke(app, list(arguments))
    assert result.exit_code == 0, result.output
    return result.stdout


@pytest.fixture(scope=shared)
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The busy fixtures, planned once (plan.json), then the work calendar gains a
    meeting and the plan is re-planned from its first day (replan.json)."""
    folder = tmp_path_factory.mktemp("busy-replan")
    shutil.copytree(FIXTURES, folder, dirs_exist_ok=True)
    profile = str(folder / "profile.yaml")
    run("plan", "--profile", profile, "--json", str(folder / "plan.json"),
        "--ics", str(folder / "plan.ics"))  # fmt: skip
    (folder / "progress.yaml").write_text("as_of: 2027-01-04\n")
    (folder / "unchanged.txt").write_text(
        run("replan", "--profile", profile, "--previous", str(folder / "plan.json"),
            "--progress", str(folder / "progress.yaml"), "--json", str(folder / "same.json"),
            "--ics", str(folder / "same.ics"))
    )  # fmt: skip
    work = folder / "work.ics"
    work.write_bytes(work.read_bytes().replace(b"END:VCALENDAR\r\n", NEW_MEETING.encode()))
    (folder / "summary.txt").write_text(
        run("replan", "--profile", profile, "--previous", str(folder / "plan.json"),
            "--progress", str(folder / "progress.yaml"), "--json", str(folder / "replan.json"),
            "--ics", str(folder / "replan.ics"))
    )  # fmt: skip
    return folder


def sessions(path: Path) -> dict[str, dict[str, object]]:
    return {session["uid"]: session for session in json.loads(path.read_text())["sessions"]}


def utc(text: object) -> datetime:
    return datetime.fromisoformat(str(text)).astimezone(UTC)


MEETING = (utc("2027-02-17T18:45:00+01:00"), utc("2027-02-17T20:15:00+01:00"))  # + buffers


def test_unchanged_calendars_change_nothing(folder: Path) -> None:
    assert sessions(folder / "same.json") == sessions(folder / "plan.json")
    assert "Busy calendars changed: none; 0 planned sessions now in busy time" in " ".join(
        (folder / "unchanged.txt").read_text().split()
    )


def test_the_new_meeting_takes_one_session(folder: Path) -> None:
    before = sessions(folder / "plan.json")
    hit = [
        s for s in before.values() if utc(s["start"]) < MEETING[1] and MEETING[0] < utc(s["end"])
    ]
    assert len(hit) == 1
    summary = " ".join((folder / "summary.txt").read_text().split())
    assert "Busy calendars changed: work.ics; 1 planned session now in busy time (moved)" in summary


def test_sessions_before_the_hit_keep_uid_time_and_sequence(folder: Path) -> None:
    before, after = sessions(folder / "plan.json"), sessions(folder / "replan.json")
    earlier = [s for s in before.values() if utc(s["end"]) <= MEETING[0]]
    assert len(earlier) >= 15
    for session in earlier:
        assert after[str(session["uid"])] == session  # same time, no SEQUENCE raised


def test_the_hit_session_moves_with_its_uid_and_a_higher_sequence(folder: Path) -> None:
    before, after = sessions(folder / "plan.json"), sessions(folder / "replan.json")
    (hit,) = [
        s for s in before.values() if utc(s["start"]) < MEETING[1] and MEETING[0] < utc(s["end"])
    ]
    moved = after[str(hit["uid"])]
    assert (moved["start"], moved["end"]) != (hit["start"], hit["end"])
    assert moved["sequence"] == 1
    assert moved["modified"] == "2027-01-03T23:00:00Z"  # as_of, not the clock


def test_no_session_is_in_the_new_meeting(folder: Path) -> None:
    for session in sessions(folder / "replan.json").values():
        assert not (utc(session["start"]) < MEETING[1] and MEETING[0] < utc(session["end"]))


def test_the_replan_records_the_new_digest(folder: Path) -> None:
    old = json.loads((folder / "plan.json").read_text())["busy"]["sources"]
    new = json.loads((folder / "replan.json").read_text())["busy"]["sources"]
    assert [s["source"] for s in new] == [s["source"] for s in old]
    assert new[0]["digest"] != old[0]["digest"] and new[1:] == old[1:]


# A learner in Tokyo studies Mondays 07:00-08:30, which is Sunday 22:00-23:30 in UTC.
TOKYO = Profile.model_validate(
    {"timezone": "Asia/Tokyo", "start": "2027-03-01", "weekly": {"mon": ["07:00-08:30"]},
     "session": {"min_minutes": 60, "max_minutes": 90, "slot_minutes": 30}}
)  # fmt: skip
TOKYO_BUSY = (
    b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//EN\r\n"
    b"BEGIN:VEVENT\r\nUID:call@x\r\nDTSTAMP:20270301T000000Z\r\nSUMMARY:An early call\r\n"
    b"DTSTART;TZID=Asia/Tokyo:20270308T070000\r\nDTEND;TZID=Asia/Tokyo:20270308T073000\r\n"
    b"END:VEVENT\r\nBEGIN:VEVENT\r\nUID:trip@x\r\nDTSTAMP:20270301T000000Z\r\n"
    b"SUMMARY:A day trip\r\nDTSTART;VALUE=DATE:20270426\r\nDTEND;VALUE=DATE:20270427\r\n"
    b"END:VEVENT\r\nEND:VCALENDAR\r\n"
)


def tokyo_replan(as_of: str) -> tuple[list[tuple[str, datetime, int]], int]:
    """The Tokyo learner planned without busy calendars, then re-planned from `as_of`
    with a calendar that has a call on the morning of Monday 8 March and a day trip on
    Monday 26 April: each upcoming session (UID, start, SEQUENCE) and how many sessions
    of the previous plan the busy time took."""
    first = make_plan(PlanInputs(TINY, TINY_EDGES, TOKYO), today=date(2027, 3, 1)).plan
    calendar = BusyCalendar([BusyCalendarFile(BusySource(ics="work.ics"), TOKYO_BUSY)])
    inputs = PlanInputs(TINY, TINY_EDGES, TOKYO, busy=calendar)
    report = Progress.model_validate({"as_of": as_of})
    result = replan(inputs, first, report, now=date.fromisoformat(as_of))
    upcoming = [(s.uid, s.start, s.sequence) for s in result.plan.upcoming]
    return upcoming, result.changes.busy_hit


def test_busy_time_takes_sessions_on_the_learners_days_not_utcs() -> None:
    """The call takes the session of the as_of day itself, the trip a whole Tokyo
    Monday (a Sunday in UTC, up to the plan's last day): both sessions move, with their
    UIDs and SEQUENCE raised; none stays in busy time."""
    upcoming, hit = tokyo_replan("2027-03-08")
    assert hit == 2
    starts = [start for _, start, _ in upcoming]
    assert min(starts).date() == date(2027, 3, 8)
    assert min(starts).time().isoformat() == "07:30:00"  # after the call
    assert date(2027, 4, 26) not in {start.date() for start in starts}
    after = {uid: (start.isoformat(), sequence) for uid, start, sequence in upcoming}
    assert after["tiny-1.1-2.bufj3ym4fy@roadmap-planner"] == ("2027-03-08T07:30:00+09:00", 1)
    assert after["tiny-2.3-2.bufj3ym4fy@roadmap-planner"] == ("2027-05-10T07:00:00+09:00", 1)


def test_a_busy_replan_after_the_last_session_leaves_nothing_to_plan() -> None:
    assert tokyo_replan("2027-05-03") == ([], 0)


def test_a_replan_warns_of_an_event_left_out_of_busy_time() -> None:
    """Issue 27: an event that ends before it starts is left out of the re-plan's busy
    time (it was an hour of it), and the re-plan says so."""
    first = make_plan(PlanInputs(TINY, TINY_EDGES, TOKYO), today=date(2027, 3, 1)).plan
    backwards = TOKYO_BUSY.replace(
        b"DTEND;TZID=Asia/Tokyo:20270308T073000", b"DTEND;TZID=Asia/Tokyo:20270308T063000"
    )
    calendar = BusyCalendar([BusyCalendarFile(BusySource(ics="work.ics"), backwards)])
    inputs = PlanInputs(TINY, TINY_EDGES, TOKYO, busy=calendar)
    progress = Progress.model_validate({"as_of": "2027-03-08"})
    result = replan(inputs, first, progress, now=date(2027, 3, 8))
    assert result.plan.upcoming[0].start.isoformat() == "2027-03-08T07:00:00+09:00"
    assert (
        'busy calendar work.ics: event "An early call" (UID call@x, 2027-03-08) left out: it '
        "ends (2027-03-08 06:30:00+09:00) before it starts (2027-03-08 07:00:00+09:00)"
    ) in result.warnings


# A learner in Los Angeles studies evenings 17:00-21:00 (01:00-05:00 UTC the next day).
EVENINGS: dict[str, Any] = {
    "timezone": "America/Los_Angeles",
    "start": "2027-03-01",
    "weekly": {"mon": ["17:00-21:00"], "thu": ["17:00-21:00"]},
    "session": {"min_minutes": 60, "max_minutes": 60, "slot_minutes": 30},
}


def la_replan(before: dict[str, Any], after: dict[str, Any], call: str) -> tuple[Plan, Plan]:
    """The plan of the profile `before` from Monday 1 March 2027, re-planned on that day
    with the profile `after` and a calendar with a one-hour call at `call` (local time,
    e.g. "20270301T180000"): both plans."""
    first, result = la_replan_at(before, after, call, date(2027, 3, 1))
    return first, result.plan


def la_replan_at(
    before: dict[str, Any], after: dict[str, Any], call: str, now: date | datetime
) -> tuple[Plan, ReplanResult]:
    """As `la_replan`, re-planned at `now` (no as_of): the first plan and the result."""
    first = make_plan(PlanInputs(TINY, TINY_EDGES, Profile.model_validate(before)),
                      today=date(2027, 3, 1)).plan  # fmt: skip
    start = datetime.strptime(call, "%Y%m%dT%H%M%S")
    end = (start + timedelta(hours=1)).strftime("%Y%m%dT%H%M%S")
    event = (
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//EN\r\nBEGIN:VEVENT\r\nUID:call@x\r\n"
        "DTSTAMP:20270301T000000Z\r\nSUMMARY:A call\r\n"
        f"DTSTART;TZID=America/Los_Angeles:{call}\r\nDTEND;TZID=America/Los_Angeles:{end}\r\n"
        "END:VEVENT\r\nEND:VCALENDAR\r\n"
    )
    calendar = BusyCalendar([BusyCalendarFile(BusySource(ics="work.ics"), event.encode())])
    inputs = PlanInputs(TINY, TINY_EDGES, Profile.model_validate(after), busy=calendar)
    return first, replan(inputs, first, Progress(), now=now)


def local(plan: Plan) -> list[tuple[str, str, float]]:
    """Each session as the learner's calendar shows it: topic, local start, minutes."""
    return [(s.topic, s.start.strftime("%a %d %H:%M"), s.minutes) for s in plan.sessions]


def test_a_call_in_a_west_learners_evening_leaves_the_rest_of_that_evening() -> None:
    """The call takes Monday's 18:00 session; the one before it stays, and the evening
    goes on after the call (the kept session ends at 02:00 UTC, already Tuesday there)."""
    first, after = la_replan(EVENINGS, EVENINGS, "20270301T180000")
    assert local(first)[:4] == [("1.2", f"Mon 01 {hour}:00", 60) for hour in (17, 18, 19, 20)]
    assert local(after)[:4] == [("1.2", f"Mon 01 {hour}:00", 60) for hour in (17, 19, 20)] + [
        ("1.2", "Thu 04 17:00", 60)
    ]
    assert after.sessions[0] == first.sessions[0]  # kept: same UID, time and SEQUENCE


def test_a_call_found_in_the_learners_day_when_the_replan_is_after_utc_midnight() -> None:
    """Monday 16:30 in Los Angeles is Tuesday in UTC: the call at 18:00 on Monday is
    still found among the sessions it takes (one), and 17:00 stays as it was."""
    at_half_past_four = datetime(2027, 3, 1, 16, 30, tzinfo=ZoneInfo("America/Los_Angeles"))
    first, result = la_replan_at(EVENINGS, EVENINGS, "20270301T180000", at_half_past_four)
    assert result.changes.busy_hit == 1
    assert result.plan.sessions[0] == first.sessions[0]
    assert local(result.plan)[:3] == [("1.2", f"Mon 01 {hour}:00", 60) for hour in (17, 19, 20)]


def test_a_call_over_the_session_the_replan_starts_at_is_found() -> None:
    """Re-planned at 17:00, when Monday's 17:00 session begins (not reported, so the
    re-plan starts there): a call at that hour takes it."""
    at_five = datetime(2027, 3, 1, 17, tzinfo=ZoneInfo("America/Los_Angeles"))
    _, result = la_replan_at(EVENINGS, EVENINGS, "20270301T170000", at_five)
    assert result.changes.busy_hit == 1
    assert local(result.plan)[:3] == [("1.2", f"Mon 01 {hour}:00", 60) for hour in (18, 19, 20)]


def test_a_kept_evening_session_counts_against_its_own_days_cap() -> None:
    """Two hours a day at most, Mondays and Tuesdays: the call takes Monday's second
    session; the first, kept, counts on Monday (in UTC it is Tuesday), and only once:
    Monday's second hour comes after the call, and Tuesday still holds its two hours."""
    capped = {**EVENINGS, "weekly": {"mon": ["17:00-21:00"], "tue": ["17:00-21:00"]},
              "max_hours_per_day": 2.0}  # fmt: skip
    first, after = la_replan(capped, capped, "20270301T180000")
    assert local(first)[:2] == [("1.1", "Mon 01 17:00", 60), ("1.1", "Mon 01 18:00", 60)]
    assert local(after)[:4] == [
        ("1.1", "Mon 01 17:00", 60),
        ("1.1", "Mon 01 19:00", 60),
        ("1.2", "Tue 02 17:00", 60),
        ("1.2", "Tue 02 18:00", 60),
    ]
    assert after.sessions[0] == first.sessions[0]


def test_sessions_before_the_call_move_when_a_new_window_finishes_sooner() -> None:
    """Wednesday evenings added to the profile, and a call on Thursday at 18:00: keeping
    the sessions before the call as they were would finish later than using Wednesdays
    at once; the re-plan takes the sooner finish and says what keeping would have cost."""
    wednesdays = {**EVENINGS, "weekly": {**EVENINGS["weekly"], "wed": ["17:00-21:00"]}}
    first, result = la_replan_at(EVENINGS, wednesdays, "20270304T180000", date(2027, 3, 1))
    after = result.plan
    assert local(first)[4:6] == [("1.1", "Thu 04 17:00", 60), ("1.1", "Thu 04 18:00", 60)]
    assert local(after)[4] == ("1.1", "Wed 03 17:00", 60)
    assert after.finish is not None and first.finish is not None
    cost = result.changes.keeping_cost
    assert cost is not None and cost.days > 0
    console = Console(width=200, file=io.StringIO(), color_system=None)
    console.print(changes_summary(result, TINY))
    said = console.file.getvalue()  # type: ignore[attr-defined]
    assert (
        f"Keeping the next {cost.kept} sessions as they were (to Thu 2027-03-04 18:00) would "
        f"have cost finishing {cost.days} days later" in said
    )
    assert f"Next 14 days: {result.changes.changed_soon} sessions changed" in said
    assert result.changes.changed_soon > 0


def test_a_goal_added_before_a_busy_replan_comes_first_though_sessions_were_kept() -> None:
    """2.2 (last in the plan) made a goal, and a call on Thursday at 18:00, re-planned on
    Monday: the goal comes first, in either order mode, reached on Monday. (Keeping the
    sessions before the call would put 2.2 inside 1.2's run: not a plan to offer.)"""
    for order in ("balanced", "free"):
        before = {**EVENINGS, "order": order}
        first, result = la_replan_at(
            before, {**before, "goals": ["2.2"]}, "20270304T180000", date(2027, 3, 1)
        )
        after = result.plan
        assert local(first)[-2:] == [("2.2", "Thu 11 17:00", 60), ("2.2", "Thu 11 18:00", 30)]
        assert local(after)[:2] == [("2.2", "Mon 01 17:00", 60), ("2.2", "Mon 01 18:00", 30)]
        (goal,) = after.goals
        assert goal.reached is not None
        assert goal.reached.strftime("%a %d %H:%M") == "Mon 01 18:30"
        assert result.changes.keeping_cost is None


def test_a_busy_replan_with_reviews_plans_nothing_before_the_kept_sessions_end() -> None:
    """Reviews a day after each topic, Tuesdays added: the call on Thursday at 18:00 keeps
    everything before it (Tuesday's reviews included); what comes after, reviews too,
    starts after the kept sessions."""
    reviews = {**EVENINGS, "review": {"after_days": [1], "min_topic_hours": 1},
               "weekly": {**EVENINGS["weekly"], "tue": ["17:00-21:00"]}}  # fmt: skip
    first, after = la_replan(reviews, reviews, "20270304T180000")
    kept = [s for s in first.sessions if s.start.strftime("%d %H") < "04 18"]
    assert list(after.sessions[: len(kept)]) == kept
    assert local(after)[len(kept)] == ("2.1", "Thu 04 19:00", 60)
    assert all(s.start >= kept[-1].end for s in after.sessions[len(kept) :])


def test_the_calm_days_are_the_profiles_and_default_to_two_weeks() -> None:
    """`replan: {keep_days: 7}` counts the changes of the next 7 days; the default is
    14, and a profile at the default keeps the plan id it had before the setting."""
    week = {**EVENINGS, "replan": {"keep_days": 7}}
    _, result = la_replan_at(week, week, "20270304T180000", date(2027, 3, 1))
    assert result.changes.soon_days == 7
    _, default = la_replan_at(EVENINGS, EVENINGS, "20270304T180000", date(2027, 3, 1))
    assert default.changes.soon_days == 14
    same = PlanInputs(TINY, TINY_EDGES, Profile.model_validate(EVENINGS))
    explicit = PlanInputs(TINY, TINY_EDGES, Profile.model_validate(
        {**EVENINGS, "replan": {"keep_days": 14}}))  # fmt: skip
    other = PlanInputs(TINY, TINY_EDGES, Profile.model_validate(week))
    day = date(2027, 3, 1)
    assert same.derived_plan_id(day) == explicit.derived_plan_id(day)
    assert same.derived_plan_id(day) != other.derived_plan_id(day)
    with pytest.raises(ValueError, match="keep_days"):
        Profile.model_validate({**EVENINGS, "replan": {"keep_days": 400}})


def test_keeping_sessions_that_would_delay_a_new_goal_says_so() -> None:
    """2.2 made a goal, and a call on Thursday at 17:00, re-planned on Monday: Monday's
    four sessions of 1.2 could stay (the call takes none of them), but the goal would
    wait until Thursday; it comes first, and the summary says what keeping would cost."""
    first, result = la_replan_at(
        EVENINGS, {**EVENINGS, "goals": ["2.2"]}, "20270304T170000", date(2027, 3, 1)
    )
    assert local(first)[:4] == [("1.2", f"Mon 01 {hour}:00", 60) for hour in (17, 18, 19, 20)]
    assert local(result.plan)[:2] == [("2.2", "Mon 01 17:00", 60), ("2.2", "Mon 01 18:00", 30)]
    console = Console(width=200, file=io.StringIO(), color_system=None)
    console.print(changes_summary(result, TINY))
    assert (
        "Keeping the next 4 sessions as they were (to Mon 2027-03-01 21:00) would have cost "
        "reaching goal 2.2 3 days later" in console.file.getvalue()  # type: ignore[attr-defined]
    )


@settings(max_examples=25, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.too_slow])  # fmt: skip
@given(
    st.integers(0, 9),
    st.sampled_from([0, 1, 2]),
    st.sampled_from([None, "1.1", "1.2", "2.1"]),
    st.sampled_from(["balanced", "free", "roadmap"]),
    st.booleans(),
)
def test_a_busy_replan_is_valid_and_keeping_never_costs(
    target: int, weeks_in: int, reported: str | None, order: str, goal: bool
) -> None:
    """A call over one of the first ten sessions, re-planned on a Monday with an hour of
    a topic reported, in any order mode, with or without a goal added: the plan passes
    the validator (`replan` runs it), and weighing one more plan (the next days kept)
    never makes it finish later or need more sessions (`keep_days: 0` keeps none)."""
    before = {**EVENINGS, "order": order}
    after = {**before, "goals": ["2.2"]} if goal else before
    first = make_plan(PlanInputs(TINY, TINY_EDGES, Profile.model_validate(before)),
                      today=date(2027, 3, 1)).plan  # fmt: skip
    call = first.study_sessions[target].start
    now = date(2027, 3, 1) + timedelta(weeks=weeks_in)
    report = Progress.model_validate({"hours": {reported: 1}} if reported else {})

    def replanned(profile: dict[str, Any]) -> Plan:
        end = call + timedelta(hours=1)
        event = (
            "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//EN\r\nBEGIN:VEVENT\r\n"
            "UID:call@x\r\nDTSTAMP:20270301T000000Z\r\n"
            f"DTSTART:{call.astimezone(UTC):%Y%m%dT%H%M%SZ}\r\n"
            f"DTEND:{end.astimezone(UTC):%Y%m%dT%H%M%SZ}\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
        )
        busy = BusyCalendar([BusyCalendarFile(BusySource(ics="w.ics"), event.encode())])
        inputs = PlanInputs(TINY, TINY_EDGES, Profile.model_validate(profile), busy=busy)
        return replan(inputs, first, report, now=now).plan

    plan = replanned(after)
    assert plan.finish is not None
    if goal:  # then the goal's date ranks first, the finish after it
        return
    fewer = replanned({**after, "replan": {"keep_days": 0}})  # one plan fewer to weigh
    assert fewer.finish is not None
    assert (plan.finish, len(plan.upcoming_study)) <= (fewer.finish, len(fewer.upcoming_study))
