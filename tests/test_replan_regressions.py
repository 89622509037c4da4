"""Re-plans that a stranger's review of issue 25 broke on purpose (every one crashed or
moved sessions for nothing before its fix): windows past midnight with a day's cap, a
re-plan on the plan's own first day, session rules changed since the plan, and study
outside the plan of a later topic."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from planner.inputs.plan_inputs import PlanInputs
from planner.models.profile import Profile
from planner.models.progress import Progress
from planner.planning.pipeline import make_plan
from planner.planning.replan import replan
from tests.test_replan import TINY, TINY_EDGES

ONE_HOUR = {"min_minutes": 60, "max_minutes": 60, "slot_minutes": 30}
TWO_HOURS = {"min_minutes": 60, "max_minutes": 120, "slot_minutes": 30}


def tiny(profile: dict[str, Any]) -> PlanInputs:
    return PlanInputs(TINY, TINY_EDGES, Profile.model_validate(profile))


def test_a_window_past_midnight_with_a_days_cap_counts_on_its_evening() -> None:
    """Chatham, Saturday 23:00-02:00 at most 2 h a day: re-planned on the first day with
    nothing reported, Sunday 00:00 counts on Saturday (its window's day) and nothing
    moves (it was a 3 h day, refused by the validator)."""
    inputs = tiny({"timezone": "Pacific/Chatham", "start": "2027-03-09",
                   "weekly": {"sat": ["23:00-02:00"]}, "max_hours_per_day": 2,
                   "session": ONE_HOUR})  # fmt: skip
    first = make_plan(inputs, today=date(2027, 3, 9)).plan
    result = replan(inputs, first, Progress(), now=date(2027, 3, 9))
    assert (result.changes.moved, result.changes.added) == (0, 0)
    later = replan(inputs, first, Progress(), now=date(2027, 3, 16))
    assert later.changes.moved == 0


def test_a_plan_made_just_after_midnight_keeps_the_days_cap() -> None:
    """Los Angeles, Sunday 22:00-03:00 and Monday 19:00-22:00, 2 h a day, planned on
    Monday at 00:05: Monday holds 2 h (Sunday's window is not the plan's)."""
    zone = ZoneInfo("America/Los_Angeles")
    inputs = tiny({"timezone": "America/Los_Angeles", "start": "2027-03-15",
                   "weekly": {"sun": ["22:00-03:00"], "mon": ["19:00-22:00"]},
                   "max_hours_per_day": 2, "session": ONE_HOUR})  # fmt: skip
    plan = make_plan(inputs, today=date(2027, 3, 15), now=datetime(2027, 3, 15, 0, 5, tzinfo=zone))
    monday = [s for s in plan.plan.sessions if s.start.date() == date(2027, 3, 15)]
    assert [s.start.strftime("%H:%M") for s in monday] == ["19:00", "20:00"]


def test_a_replan_on_the_plans_first_day_does_not_use_the_night_before() -> None:
    """Kolkata, Sunday 22:00-02:00, a plan from Monday: re-planned on Monday with nothing
    reported, it changes nothing (Sunday night is before the plan)."""
    inputs = tiny({"timezone": "Asia/Kolkata", "start": "2027-03-15",
                   "weekly": {"sun": ["22:00-02:00"], "wed": ["19:00-21:00"]},
                   "session": ONE_HOUR})  # fmt: skip
    first = make_plan(inputs, today=date(2027, 3, 15)).plan
    result = replan(inputs, first, Progress(), now=date(2027, 3, 15))
    assert (result.changes.moved, result.changes.added, result.changes.dropped) == (0, 0, 0)


def test_sessions_made_under_other_session_rules_are_not_kept_as_they_were() -> None:
    """Sessions of 120 minutes, then max_minutes 60: the re-plan splits them (keeping
    them would break the new rule)."""
    base = {"timezone": "Europe/Berlin", "start": "2027-03-01", "weekly": {"mon": ["17:00-21:00"]},
            "session": {"min_minutes": 60, "max_minutes": 120, "slot_minutes": 30}}  # fmt: skip
    first = make_plan(tiny(base), today=date(2027, 3, 1)).plan
    shorter = tiny({**base, "session": ONE_HOUR})
    result = replan(shorter, first, Progress(), now=date(2027, 3, 1))
    assert max(s.minutes for s in result.plan.upcoming_study) == 60


def test_study_outside_the_plan_does_not_move_its_topic_to_the_front() -> None:
    """Roadmap order, 30 minutes of 2.1 studied outside the plan on Tuesday: 2.1 keeps
    its place in the order (study ahead), nothing else changes."""
    inputs = tiny({"timezone": "Europe/Berlin", "start": "2027-03-01", "order": "roadmap",
                   "weekly": {"mon": ["18:00-21:00"], "thu": ["18:00-21:00"]},
                   "session": TWO_HOURS})  # fmt: skip
    first = make_plan(inputs, today=date(2027, 3, 1)).plan
    extra = Progress.model_validate(
        {"extra": [{"topic": "2.1", "day": "2027-03-02", "minutes": 30}]}
    )
    result = replan(inputs, first, extra, now=date(2027, 3, 3))

    def order(sessions: Any) -> list[str]:
        return list(dict.fromkeys(s.topic for s in sessions if not s.done and not s.is_review))

    assert order(result.plan.sessions) == order(
        s for s in first.sessions if s.start.date() >= date(2027, 3, 3)
    )


def test_of_two_topics_begun_the_one_studied_last_goes_on_first() -> None:
    """1.1 studied on Monday, 2.1 on Tuesday, both unfinished; 1.2's hours reported
    ahead and 2.2 studied outside the plan: 2.1 goes on first, then 1.1."""
    from collections import Counter

    from planner.models.plan import StudySession
    from planner.planning.history import in_progress
    from planner.planning.sessions import extra_uid

    zone = ZoneInfo("Europe/Berlin")

    def session(topic: str, day: int, uid: str | None = None) -> StudySession:
        start = datetime(2027, 3, day, 19, tzinfo=zone)
        return StudySession(uid=uid or f"tiny-{topic}-1@x", topic=topic, title=topic,
                            start=start, end=start.replace(hour=20))  # fmt: skip

    extra = extra_uid("tiny", "2.2", date(2027, 3, 3), 1, None)
    sessions = [session("1.1", 1), session("2.1", 2), session("2.2", 3, extra)]
    studied = Counter({"1.1": 60, "2.1": 60, "1.2": 30, "2.2": 60})
    left = {"1.1": 60, "1.2": 210, "2.1": 120, "2.2": 30, "2.3": 180}
    assert in_progress(studied, left, sessions) == ("2.1", "1.1")


def test_hours_no_calendar_could_hold_are_warned_about() -> None:
    """An outside tester's typo, `done 1.2 --hours 600` 16 days in, was taken silently
    (a learned pace of 49x, a plan to 2053). Tokyo; a plausible 6 h says nothing."""
    inputs = tiny({"timezone": "Asia/Tokyo", "start": "2027-01-04",
                   "weekly": {"mon": ["19:00-21:00"], "sat": ["09:00-13:00"]},
                   "session": TWO_HOURS})  # fmt: skip
    first = make_plan(inputs, today=date(2027, 1, 4)).plan
    typo = Progress.model_validate({"done": ["1.1"], "hours": {"1.1": 600}})
    said = replan(inputs, first, typo, now=date(2027, 1, 20)).warnings
    assert any(
        "hours: 1.1 took 600 h by 2027-01-20, more than the 408 hours" in warning
        for warning in said
    ), said
    plausible = Progress.model_validate({"done": ["1.1"], "hours": {"1.1": 6}})
    assert not any(
        "a typo?" in w for w in replan(inputs, first, plausible, now=date(2027, 1, 20)).warnings
    )
