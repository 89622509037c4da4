"""planner.planning.validation: one valid and one violating hand-built plan per rule.

The profile below is the fixture of every case (Europe/Berlin, plan from Monday
2027-01-04):

    mon 18:00-22:00, sat 22:00-01:00 (past midnight), sun 01:30-03:30 (DST hours)
    blackout Sunday 2027-01-17 (cuts Saturday 2027-01-16 22:00-01:00 at midnight)
    sessions: min 60, max 180, slot 30 minutes

DST nights in Berlin, 2027: Sunday 2027-03-28 02:00 -> 03:00 (the sun window loses an
hour: 60 real minutes), Sunday 2027-10-31 03:00 -> 02:00 (02:00-03:00 happens twice, the
sun window gains an hour: 180 real minutes).
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest
from pydantic import ValidationError

from planner.models.busy import BusyInterval, BusyReport
from planner.models.plan import Plan, SolverReport, StudySession
from planner.models.profile import Profile
from planner.planning.requirements import PlanRequirements
from planner.planning.validation import (
    caps_are_kept,
    hours_are_complete,
    order_is_kept,
    prerequisites_come_first,
    sessions_are_inside_windows,
    sessions_avoid_busy_time,
    sessions_do_not_overlap,
    sessions_respect_length_rules,
    topics_are_studied_in_one_run,
    validate_plan,
)

BERLIN = ZoneInfo("Europe/Berlin")
START = date(2027, 1, 4)

PROFILE = Profile.model_validate(
    {
        "timezone": "Europe/Berlin",
        "start": START,
        "weekly": {"mon": ["18:00-22:00"], "sat": ["22:00-01:00"], "sun": ["01:30-03:30"]},
        "blackouts": [{"from": date(2027, 1, 17), "to": date(2027, 1, 17)}],
        "session": {"min_minutes": 60, "max_minutes": 180, "slot_minutes": 30},
    }
)


def berlin(
    month: int, day: int, hour: int, minute: int = 0, *, fold: int = 0, year: int = 2027
) -> datetime:
    """A Berlin wall-clock time; `fold=1` is the second 02:xx of a fall-back night."""
    return datetime(year, month, day, hour, minute, tzinfo=BERLIN, fold=fold)


def utc(month: int, day: int, hour: int, minute: int = 0) -> datetime:
    """A UTC instant in 2027, shown in Berlin time (as the planner writes sessions)."""
    return datetime(2027, month, day, hour, minute, tzinfo=UTC).astimezone(BERLIN)


def session(topic: str, start: datetime, end: datetime, uid: str | None = None) -> StudySession:
    return StudySession(
        uid=uid or f"{topic}-{start.astimezone(UTC).isoformat()}",
        topic=topic,
        title=topic.upper(),
        start=start,
        end=end,
    )


def plan_of(*sessions: StudySession, start: date = START) -> Plan:
    return Plan(
        roadmap="r",
        timezone="Europe/Berlin",
        start=start,
        finish=max((s.end for s in sessions), key=lambda end: end.astimezone(UTC), default=None),
        lower_bound_finish=None,
        planned_hours=sum(s.minutes for s in sessions) / 60,
        solver=SolverReport(
            status="FEASIBLE",
            finish_proven_optimal=False,
            sessions=len(sessions),
            sessions_lower_bound=0,
            list_schedule_sessions=len(sessions),
        ),
        sessions=tuple(sessions),
    )


def needs(
    prerequisites: dict[str, tuple[str, ...]] | None = None, **minutes: int
) -> PlanRequirements:
    """Requirements: `a=120, b=60` minutes, and `{"b": ("a",)}` prerequisites."""
    prerequisites = prerequisites or {}
    return PlanRequirements(
        minutes=dict(minutes),
        prerequisites={topic: prerequisites.get(topic, ()) for topic in minutes},
    )


# Monday 2027-01-04, 18:00-22:00: a before b, with a scrap of b on Monday 2027-01-11.
VALID = plan_of(
    session("a", berlin(1, 4, 18), berlin(1, 4, 20)),
    session("b", berlin(1, 4, 20), berlin(1, 4, 22, 0)),
    session("b", berlin(1, 11, 18), berlin(1, 11, 18, 30)),
)
VALID_NEEDS = needs({"b": ("a",)}, a=120, b=150)


def test_valid_plan_passes_every_rule() -> None:
    assert validate_plan(VALID, PROFILE, VALID_NEEDS) == []


def test_plan_without_sessions_is_valid_when_nothing_is_needed() -> None:
    assert validate_plan(plan_of(), PROFILE, needs()) == []


# --- hours_are_complete ---------------------------------------------------------------


def test_hours_are_complete_passes_exact_minutes() -> None:
    assert hours_are_complete(VALID, PROFILE, VALID_NEEDS) == []


def test_hours_are_complete_reports_missing_minutes() -> None:
    plan = plan_of(session("a", berlin(1, 4, 18), berlin(1, 4, 19, 30)))
    violations = validate_plan(plan, PROFILE, needs(a=120))
    assert violations == ["a: planned 90 min, needs 120 min"]


def test_hours_are_complete_reports_extra_minutes() -> None:
    plan = plan_of(session("a", berlin(1, 4, 18), berlin(1, 4, 21)))
    assert validate_plan(plan, PROFILE, needs(a=120)) == ["a: planned 180 min, needs 120 min"]


def test_hours_are_complete_reports_a_topic_without_any_session() -> None:
    plan = plan_of(session("a", berlin(1, 4, 18), berlin(1, 4, 20)))
    assert validate_plan(plan, PROFILE, needs(a=120, b=60)) == ["b: planned 0 min, needs 60 min"]


def test_hours_are_complete_reports_a_topic_that_is_not_to_be_planned() -> None:
    plan = plan_of(
        session("a", berlin(1, 4, 18), berlin(1, 4, 20)),
        session("skipped", berlin(1, 4, 20), berlin(1, 4, 21)),
    )
    violations = validate_plan(plan, PROFILE, needs(a=120))
    assert violations == ["skipped: has sessions but is not to be planned"]


def test_hours_are_complete_counts_real_minutes_on_a_fall_back_night() -> None:
    # 01:30 CEST -> 03:30 CET reads as 2 h on the wall clock but lasts 3 h.
    plan = plan_of(session("a", berlin(10, 31, 1, 30), berlin(10, 31, 3, 30)))
    assert hours_are_complete(plan, PROFILE, needs(a=180)) == []
    assert hours_are_complete(plan, PROFILE, needs(a=120)) == ["a: planned 180 min, needs 120 min"]


# --- sessions_respect_length_rules ----------------------------------------------------


def test_length_rules_pass_a_short_last_session() -> None:
    # b's last session (30 min) is shorter than min_minutes: only a remainder, allowed.
    assert sessions_respect_length_rules(VALID, PROFILE, VALID_NEEDS) == []


def test_length_rules_report_a_session_longer_than_max_minutes() -> None:
    plan = plan_of(session("a", berlin(1, 4, 18), berlin(1, 4, 21, 30)))
    violations = validate_plan(plan, PROFILE, needs(a=210))
    assert violations == ["a session 2027-01-04T18:00:00+01:00: 210 min > max_minutes 180"]


def test_length_rules_report_a_short_session_that_is_not_the_last() -> None:
    plan = plan_of(
        session("a", berlin(1, 4, 18), berlin(1, 4, 18, 30)),
        session("a", berlin(1, 11, 18), berlin(1, 11, 20)),
    )
    violations = validate_plan(plan, PROFILE, needs(a=150))
    assert violations == ["a session 2027-01-04T18:00:00+01:00: 30 min < min_minutes 60"]


def test_length_rules_report_a_session_of_partial_slots() -> None:
    plan = plan_of(session("a", berlin(1, 4, 18), berlin(1, 4, 19, 15)))
    violations = validate_plan(plan, PROFILE, needs(a=75))
    assert violations == ["a session 2027-01-04T18:00:00+01:00: 75 min is not whole slots"]


def test_length_rules_measure_real_minutes_on_a_spring_forward_night() -> None:
    # 01:30 CET -> 03:30 CEST: 2 h on the wall clock, 60 real minutes.
    plan = plan_of(session("a", berlin(3, 28, 1, 30), berlin(3, 28, 3, 30)))
    assert plan.sessions[0].minutes == 60
    assert validate_plan(plan, PROFILE, needs(a=60)) == []


def test_length_rules_measure_real_minutes_on_a_fall_back_night() -> None:
    # 01:30 CEST -> 03:30 CET: 2 h on the wall clock, 180 real minutes (the window's all).
    plan = plan_of(session("a", berlin(10, 31, 1, 30), berlin(10, 31, 3, 30)))
    assert validate_plan(plan, PROFILE, needs(a=180)) == []
    strict = PROFILE.model_copy(
        update={"session": PROFILE.session.model_copy(update={"max_minutes": 120})}
    )
    assert sessions_respect_length_rules(plan, strict, needs(a=180)) == [
        "a session 2027-10-31T01:30:00+02:00: 180 min > max_minutes 120"
    ]


# --- sessions_are_inside_windows ------------------------------------------------------


def test_windows_pass_sessions_inside_windows_including_past_midnight() -> None:
    plan = plan_of(session("a", berlin(1, 9, 22), berlin(1, 10, 1)))
    assert sessions_are_inside_windows(plan, PROFILE, needs(a=180)) == []


def test_windows_report_a_session_outside_every_window() -> None:
    plan = plan_of(session("a", berlin(1, 5, 18), berlin(1, 5, 20)))  # a Tuesday
    violations = validate_plan(plan, PROFILE, needs(a=120))
    assert violations == ["a session 2027-01-05T18:00:00+01:00: not inside a study window"]


def test_windows_report_a_session_running_past_its_window() -> None:
    plan = plan_of(session("a", berlin(1, 4, 21), berlin(1, 4, 22, 30)))
    violations = validate_plan(plan, PROFILE, needs(a=90))
    assert violations == ["a session 2027-01-04T21:00:00+01:00: not inside a study window"]


def test_windows_report_a_session_on_a_blackout_day() -> None:
    # Saturday 2027-01-16 22:00-01:00 runs into the blackout Sunday 2027-01-17: cut at 00:00.
    inside = plan_of(session("a", berlin(1, 16, 22), berlin(1, 17, 0)))
    assert validate_plan(inside, PROFILE, needs(a=120)) == []
    across = plan_of(session("a", berlin(1, 16, 22), berlin(1, 17, 1)))
    assert validate_plan(across, PROFILE, needs(a=180)) == [
        "a session 2027-01-16T22:00:00+01:00: not inside a study window",
        "a session 2027-01-16T22:00:00+01:00: on blackout day 2027-01-17",
    ]


def test_windows_report_a_session_before_the_plans_start() -> None:
    plan = plan_of(session("a", berlin(1, 4, 18), berlin(1, 4, 20)), start=date(2027, 1, 5))
    violations = sessions_are_inside_windows(plan, PROFILE, needs(a=120))
    assert "a session 2027-01-04T18:00:00+01:00: before the plan's start 2027-01-05" in violations


def test_a_replans_session_before_its_as_of_is_reported() -> None:
    """A re-plan made on Monday 2027-01-11 plans from that day: a session before it is
    history when done, and a planner bug when not."""
    history = session("b", berlin(1, 4, 18), berlin(1, 4, 20)).model_copy(update={"done": True})
    replanned = plan_of(history, session("a", berlin(1, 4, 20), berlin(1, 4, 22)))
    replanned = replanned.model_copy(update={"as_of": date(2027, 1, 11)})
    assert validate_plan(replanned, PROFILE, needs(a=120)) == [
        "a session 2027-01-04T20:00:00+01:00: not inside a study window",
        "a session 2027-01-04T20:00:00+01:00: before the plan's start 2027-01-11",
    ]


def test_a_plan_from_midnight_may_begin_in_last_nights_window() -> None:
    """Saturday's 22:00-01:00 holds Sunday 00:00-01:00: a plan (or a re-plan) starting
    on Sunday may keep a session there; the day before the start is no more usable."""
    sunday = plan_of(session("a", berlin(1, 10, 0), berlin(1, 10, 1)), start=date(2027, 1, 10))
    assert sessions_are_inside_windows(sunday, PROFILE, needs(a=60)) == []
    saturday = plan_of(session("a", berlin(1, 9, 23), berlin(1, 10, 0)), start=date(2027, 1, 10))
    assert sessions_are_inside_windows(saturday, PROFILE, needs(a=60)) == [
        "a session 2027-01-09T23:00:00+01:00: before the plan's start 2027-01-10"
    ]


def test_windows_follow_the_spring_forward_night() -> None:
    # sun 01:30-03:30 on 2027-03-28 is 01:30 CET -> 03:30 CEST: one real hour.
    inside = plan_of(session("a", berlin(3, 28, 1, 30), berlin(3, 28, 3, 30)))
    assert sessions_are_inside_windows(inside, PROFILE, needs(a=60)) == []
    longer = plan_of(session("a", utc(3, 28, 0, 30), utc(3, 28, 2, 30)))  # 01:30 -> 04:30
    assert sessions_are_inside_windows(longer, PROFILE, needs(a=120)) == [
        "a session 2027-03-28T01:30:00+01:00: not inside a study window"
    ]


def test_windows_follow_the_fall_back_night() -> None:
    # sun 01:30-03:30 on 2027-10-31 is 01:30 CEST -> 03:30 CET: three real hours.
    plan = plan_of(session("a", berlin(10, 31, 1, 30), berlin(10, 31, 3, 30)))
    assert sessions_are_inside_windows(plan, PROFILE, needs(a=180)) == []
    later = plan_of(session("a", berlin(10, 31, 2, 30, fold=1), berlin(10, 31, 4)))
    assert sessions_are_inside_windows(later, PROFILE, needs(a=90)) == [
        "a session 2027-10-31T02:30:00+01:00: not inside a study window"
    ]


# --- sessions_do_not_overlap ----------------------------------------------------------


def test_one_run_passes_topics_that_follow_each_other() -> None:
    assert topics_are_studied_in_one_run(VALID, PROFILE, VALID_NEEDS) == []


def test_one_run_reports_a_topic_taken_up_again_after_another() -> None:
    """a, then b, then a again: a's rest weeks after it began."""
    plan = plan_of(
        session("a", berlin(1, 4, 18), berlin(1, 4, 19)),
        session("b", berlin(1, 4, 19), berlin(1, 4, 21)),
        session("a", berlin(1, 11, 18), berlin(1, 11, 19)),
    )
    assert validate_plan(plan, PROFILE, needs(a=120, b=120)) == [
        "a session 2027-01-11T18:00:00+01:00: after b, though a was studied before it"
    ]


def test_overlap_passes_back_to_back_sessions() -> None:
    assert sessions_do_not_overlap(VALID, PROFILE, VALID_NEEDS) == []


def test_overlap_reports_two_sessions_at_the_same_time() -> None:
    plan = plan_of(
        session("a", berlin(1, 4, 18), berlin(1, 4, 20)),
        session("b", berlin(1, 4, 19), berlin(1, 4, 21)),
    )
    violations = validate_plan(plan, PROFILE, needs(a=120, b=120))
    assert violations == ["b session 2027-01-04T19:00:00+01:00 overlaps a"]


def test_overlap_passes_sessions_around_the_repeated_hour_in_real_time_order() -> None:
    # 01:30 CEST-02:30 CEST, 02:30 CEST-02:30 CET, 02:30 CET-03:30 CET: back to back.
    plan = plan_of(
        session("a", utc(10, 30, 23, 30), utc(10, 31, 0, 30)),
        session("b", utc(10, 31, 0, 30), utc(10, 31, 1, 30)),
        session("c", utc(10, 31, 1, 30), utc(10, 31, 2, 30)),
    )
    assert validate_plan(plan, PROFILE, needs(a=60, b=60, c=60)) == []


def test_overlap_in_the_repeated_hour_is_reported() -> None:
    # a: 01:30 CEST -> 02:10 CET (23:30Z-01:10Z); b: 02:20 CEST (00:20Z) -> 02:50 CEST.
    # By the wall clock b starts after a ends (02:20 > 02:10); in real time it does not.
    plan = plan_of(
        session("a", berlin(10, 31, 1, 30), berlin(10, 31, 2, 10, fold=1)),
        session("b", berlin(10, 31, 2, 20), berlin(10, 31, 2, 50)),
    )
    assert sessions_do_not_overlap(plan, PROFILE, needs(a=100, b=30)) == [
        "b session 2027-10-31T02:20:00+02:00 overlaps a"
    ]


def test_back_to_back_sessions_in_the_repeated_hour_do_not_overlap() -> None:
    # 02:00-02:30 CEST, 02:30 CEST-02:00 CET, 02:00-02:30 CET: 00:00Z-01:30Z, back to back.
    plan = plan_of(
        session("x", utc(10, 31, 0, 0), utc(10, 31, 0, 30)),
        session("y", utc(10, 31, 0, 30), utc(10, 31, 1, 0)),
        session("z", utc(10, 31, 1, 0), utc(10, 31, 1, 30)),
    )
    assert sessions_do_not_overlap(plan, PROFILE, needs(x=30, y=30, z=30)) == []


# --- prerequisites_come_first ---------------------------------------------------------


def test_prerequisites_pass_when_each_topic_starts_after_its_prerequisites_end() -> None:
    assert prerequisites_come_first(VALID, PROFILE, VALID_NEEDS) == []


def test_prerequisites_report_a_topic_that_starts_too_early() -> None:
    plan = plan_of(
        session("b", berlin(1, 4, 18), berlin(1, 4, 20)),
        session("a", berlin(1, 4, 20), berlin(1, 4, 22)),
    )
    violations = validate_plan(plan, PROFILE, needs({"b": ("a",)}, a=120, b=120))
    assert violations == ["b starts before its prerequisite a ends"]


def test_prerequisites_are_checked_past_a_topic_that_has_no_session() -> None:
    """a is missing from the plan; c still may not start before its prerequisite b."""
    plan = plan_of(
        session("c", berlin(1, 4, 18), berlin(1, 4, 19)),
        session("b", berlin(1, 4, 19), berlin(1, 4, 20)),
    )
    assert validate_plan(plan, PROFILE, needs({"c": ("b",)}, a=60, b=60, c=60)) == [
        "a: planned 0 min, needs 60 min",
        "c starts before its prerequisite b ends",
    ]


def test_prerequisites_look_at_the_prerequisites_last_session() -> None:
    # a's first session ends before b starts, but its last one does not.
    plan = plan_of(
        session("a", berlin(1, 4, 18), berlin(1, 4, 20)),
        session("b", berlin(1, 4, 20), berlin(1, 4, 22)),
        session("a", berlin(1, 11, 18), berlin(1, 11, 19)),
    )
    violations = prerequisites_come_first(plan, PROFILE, needs({"b": ("a",)}, a=180, b=120))
    assert violations == ["b starts before its prerequisite a ends"]


def test_prerequisite_ending_in_the_repeated_hour_is_compared_in_real_time() -> None:
    # a ends 02:10 CET (01:10Z); b starts 02:20 CEST (00:20Z), 50 minutes earlier.
    plan = plan_of(
        session("a", berlin(10, 31, 1, 30), berlin(10, 31, 2, 10, fold=1)),
        session("b", berlin(10, 31, 2, 20), berlin(10, 31, 2, 50)),
    )
    violations = prerequisites_come_first(plan, PROFILE, needs({"b": ("a",)}, a=100, b=30))
    assert violations == ["b starts before its prerequisite a ends"]


def test_topic_starting_in_the_second_repeated_hour_after_its_prerequisite_passes() -> None:
    # a: 01:30-02:30 CEST (23:30Z-00:30Z); b: 02:00-02:30 CET (01:00Z-01:30Z).
    plan = plan_of(
        session("a", utc(10, 30, 23, 30), utc(10, 31, 0, 30)),
        session("b", utc(10, 31, 1, 0), utc(10, 31, 1, 30)),
    )
    assert prerequisites_come_first(plan, PROFILE, needs({"b": ("a",)}, a=60, b=30)) == []


# --- unique UIDs (a property of every Plan) ---------------------------------------------


# --- sessions_avoid_busy_time -------------------------------------------------------------

# Monday 2027-01-04 19:00-20:00 is a meeting (with its buffers); Monday 2027-01-11 is a
# day an all-day event made a blackout.
BUSY = BusyReport(
    sources=(),
    hours=3,
    intervals=(BusyInterval(start=berlin(1, 4, 19), end=berlin(1, 4, 20)),),
    days=(date(2027, 1, 11),),
)


def test_busy_time_passes_sessions_around_a_meeting() -> None:
    plan = plan_of(
        session("a", berlin(1, 4, 18), berlin(1, 4, 19)),
        session("a", berlin(1, 4, 20), berlin(1, 4, 21)),
    ).model_copy(update={"busy": BUSY})
    assert sessions_avoid_busy_time(plan, PROFILE, needs(a=120)) == []


def test_busy_time_reports_a_session_in_a_meeting() -> None:
    plan = plan_of(session("a", berlin(1, 4, 18, 30), berlin(1, 4, 19, 30)))
    plan = plan.model_copy(update={"busy": BUSY})
    violations = validate_plan(plan, PROFILE, needs(a=60))
    assert violations == ["a session 2027-01-04T18:30:00+01:00: during busy time"]


def test_busy_time_reports_a_session_on_an_all_day_event() -> None:
    plan = plan_of(session("a", berlin(1, 11, 18), berlin(1, 11, 19)))
    plan = plan.model_copy(update={"busy": BUSY})
    assert sessions_avoid_busy_time(plan, PROFILE, needs(a=60)) == [
        "a session 2027-01-11T18:00:00+01:00: during busy time"
    ]


def test_busy_time_reports_a_past_midnight_session_on_an_all_day_event_the_next_day() -> None:
    """Saturday 2027-01-09 23:30 to Sunday 00:30 in Berlin (22:30-23:30 UTC, all of it
    Saturday in UTC) touches Sunday, which an all-day event takes."""
    sunday_off = BUSY.model_copy(update={"intervals": (), "days": (date(2027, 1, 10),)})
    plan = plan_of(session("a", berlin(1, 9, 23, 30), berlin(1, 10, 0, 30)))
    plan = plan.model_copy(update={"busy": sunday_off})
    assert sessions_avoid_busy_time(plan, PROFILE, needs(a=60)) == [
        "a session 2027-01-09T23:30:00+01:00: during busy time"
    ]


def test_a_plan_with_a_uid_used_twice_is_refused() -> None:
    with pytest.raises(ValidationError, match="session UID 'same@x' is used twice"):
        plan_of(
            session("a", berlin(1, 4, 18), berlin(1, 4, 20), uid="same@x"),
            session("b", berlin(1, 4, 20), berlin(1, 4, 22), uid="same@x"),
        )


# --- caps: hours a day and a week (Monday to Sunday) ------------------------------------

CAPPED = PROFILE.model_copy(update={"max_hours_per_day": 3, "max_hours_per_week": 4})


def test_caps_pass_a_plan_within_the_hours_a_day_and_a_week() -> None:
    plan = plan_of(
        session("a", berlin(1, 4, 18), berlin(1, 4, 21)),  # Monday: 3 h
        session("a", berlin(1, 9, 22), berlin(1, 9, 23)),  # Saturday: 1 h, 4 h that week
    )
    assert caps_are_kept(plan, CAPPED, needs(a=240)) == []


def test_caps_report_a_day_over_max_hours_per_day() -> None:
    plan = plan_of(session("a", berlin(1, 4, 18), berlin(1, 4, 21, 30)))
    assert caps_are_kept(plan, CAPPED, needs(a=210)) == ["2027-01-04: 3.5 h > max_hours_per_day 3"]


def test_caps_report_a_week_over_max_hours_per_week() -> None:
    plan = plan_of(
        session("a", berlin(1, 4, 18), berlin(1, 4, 21)),
        session("a", berlin(1, 9, 22), berlin(1, 10, 0)),  # 2 h more on Saturday night
    )
    assert caps_are_kept(plan, CAPPED, needs(a=300)) == [
        "week of 2027-01-04: 5 h > max_hours_per_week 4"
    ]


def test_caps_count_a_past_midnight_session_on_the_day_its_window_belongs_to() -> None:
    """Saturday 22:00-01:00 runs into Sunday: its hour after midnight is Saturday's, and
    Sunday's 01:30-03:30 window is a day of its own."""
    plan = plan_of(
        session("a", berlin(1, 9, 23), berlin(1, 10, 1)),  # Saturday's window: 2 h
        session("a", berlin(1, 10, 1, 30), berlin(1, 10, 3, 30)),  # Sunday's: 2 h
    )
    day_capped = PROFILE.model_copy(update={"max_hours_per_day": 2})
    assert caps_are_kept(plan, day_capped, needs(a=240)) == []


def test_caps_pass_a_plan_with_nothing_left_to_study() -> None:
    """A re-plan after the last topic is done has no sessions to count."""
    assert validate_plan(plan_of(), CAPPED, needs()) == []


def test_caps_count_a_session_on_its_windows_day_even_where_the_cap_leaves_no_session() -> None:
    """Half an hour a day holds no 60-minute session: the capped windows are empty, and
    Sunday's first hour still counts for Saturday, whose window (the plan's first) it
    belongs to."""
    plan = plan_of(session("a", berlin(1, 10, 0), berlin(1, 10, 1)), start=date(2027, 1, 9))
    tiny = PROFILE.model_copy(update={"max_hours_per_day": 0.5})
    assert caps_are_kept(plan, tiny, needs(a=60)) == ["2027-01-09: 1 h > max_hours_per_day 0.5"]


def test_caps_count_a_session_outside_every_window_on_its_own_day() -> None:
    """A session before the plan's start (a broken plan) still counts, on its own day."""
    plan = plan_of(session("a", berlin(1, 4, 18), berlin(1, 4, 21, 30)), start=date(2027, 1, 5))
    assert caps_are_kept(plan, CAPPED, needs(a=210)) == ["2027-01-04: 3.5 h > max_hours_per_day 3"]


def test_caps_count_the_learners_days_far_east_of_utc() -> None:
    """Tokyo, 06:00-08:00 daily (21:00-23:00 UTC the day before): Monday's 2 h are
    Monday's, over a cap of 1 h a day."""
    tokyo = Profile.model_validate(
        {
            "timezone": "Asia/Tokyo",
            "start": date(2027, 1, 3),
            "weekly": {day: ["06:00-08:00"] for day in ("sun", "mon")},
            "max_hours_per_day": 1,
        }
    )
    zone = ZoneInfo("Asia/Tokyo")
    monday = session(
        "a", datetime(2027, 1, 4, 6, tzinfo=zone), datetime(2027, 1, 4, 8, tzinfo=zone)
    )
    plan = plan_of(monday, start=date(2027, 1, 3))
    assert caps_are_kept(plan, tokyo, needs(a=120)) == ["2027-01-04: 2 h > max_hours_per_day 1"]


def test_validate_plan_applies_the_caps_rule() -> None:
    plan = plan_of(session("a", berlin(1, 4, 18), berlin(1, 4, 21, 30)))
    assert "2027-01-04: 3.5 h > max_hours_per_day 3" in validate_plan(plan, CAPPED, needs(a=210))


# --- order_is_kept --------------------------------------------------------------------
# Four topics of one hour each on Mondays, studied c, a, b, d; the reference order is
# a, b, c, d: c moved up two places, a and b down one each.

SWAPPED = plan_of(
    *(
        session(topic, berlin(1, 4 + 7 * week, 18), berlin(1, 4 + 7 * week, 19))
        for week, topic in enumerate("cabd")
    )
)
FOUR = PlanRequirements(
    minutes=dict.fromkeys("abcd", 60), prerequisites=dict.fromkeys("abcd", ()), order=tuple("abcd")
)


def ordered(order: str, max_shift: int = 3) -> Profile:
    return PROFILE.model_copy(update={"order": order, "max_shift": max_shift})


def test_order_roadmap_passes_the_reference_order() -> None:
    in_order = plan_of(
        *(
            session(topic, berlin(1, 4 + 7 * week, 18), berlin(1, 4 + 7 * week, 19))
            for week, topic in enumerate("abcd")
        )
    )
    assert order_is_kept(in_order, ordered("roadmap"), FOUR) == []


def test_order_roadmap_reports_every_topic_out_of_place() -> None:
    assert validate_plan(SWAPPED, ordered("roadmap"), FOUR) == [
        "a: at place 2 of the plan, 1 place from place 1 in the roadmap order; "
        "order roadmap allows 0",
        "b: at place 3 of the plan, 1 place from place 2 in the roadmap order; "
        "order roadmap allows 0",
        "c: at place 1 of the plan, 2 places from place 3 in the roadmap order; "
        "order roadmap allows 0",
    ]


def test_order_balanced_passes_shifts_up_to_max_shift() -> None:
    assert order_is_kept(SWAPPED, ordered("balanced", max_shift=2), FOUR) == []


def test_order_balanced_reports_a_shift_beyond_max_shift() -> None:
    assert order_is_kept(SWAPPED, ordered("balanced", max_shift=1), FOUR) == [
        "c: at place 1 of the plan, 2 places from place 3 in the roadmap order; "
        "order balanced allows 1"
    ]


def test_order_free_allows_any_order() -> None:
    assert order_is_kept(SWAPPED, ordered("free", max_shift=0), FOUR) == []


def test_order_is_judged_by_each_topics_first_session() -> None:
    # a's second session comes after b's first: a is still first.
    plan = plan_of(
        session("a", berlin(1, 4, 18), berlin(1, 4, 19)),
        session("b", berlin(1, 11, 18), berlin(1, 11, 19)),
        session("a", berlin(1, 18, 18), berlin(1, 18, 19)),
    )
    two = PlanRequirements(minutes={"a": 120, "b": 60}, prerequisites={}, order=("a", "b"))
    assert order_is_kept(plan, ordered("roadmap"), two) == []
