"""`missed:` means "resume where I stopped": after missed days the learner goes on in the
plan's topic sequence, not with what the calendar said for the day (history.py)."""

from __future__ import annotations

from datetime import date, datetime, time
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from planner.inputs.loading import load_prerequisites, load_roadmap
from planner.inputs.plan_inputs import PlanInputs
from planner.models.plan import Plan
from planner.models.profile import Profile
from planner.models.progress import Progress
from planner.planning.pipeline import make_plan
from planner.planning.replan import replan
from tests.scopes import shared

FIXTURES = Path(__file__).parent / "fixtures"
EVENINGS = {day: ["18:00-21:00"] for day in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")}


@pytest.fixture(scope=shared)
def tiny() -> PlanInputs:
    """1.1 (2 h), 1.2 (4 h), then 2.1 (4 h, needs section 1); 3 h every evening."""
    profile = Profile.model_validate(
        {"timezone": "UTC", "start": "2027-03-01", "weekly": EVENINGS,
         "session": {"min_minutes": 60, "max_minutes": 180, "slot_minutes": 30}}
    )  # fmt: skip
    return PlanInputs(
        load_roadmap(FIXTURES / "tiny-roadmap.yaml"),
        load_prerequisites(FIXTURES / "tiny-prerequisites.yaml"),
        profile,
    )


@pytest.fixture(scope=shared)
def first(tiny: PlanInputs) -> Plan:
    plan = make_plan(tiny, today=date(2027, 3, 1)).plan
    # Mon 1.1 18-20, 1.2 20-21; Tue 1.2 18-21; Wed 2.1 18-21; Thu 2.1 18-19.
    assert [(s.start.day, s.topic) for s in plan.sessions] == [
        (1, "1.1"), (1, "1.2"), (2, "1.2"), (3, "2.1"), (4, "2.1")
    ]  # fmt: skip
    return plan


def report(**fields: Any) -> Progress:
    return Progress.model_validate(fields)


def history(plan: Plan) -> list[tuple[int, time, time, str]]:
    return [(s.start.day, s.start.time(), s.end.time(), s.topic) for s in plan.sessions if s.done]


def test_after_a_missed_day_the_next_session_holds_what_the_missed_one_did(
    tiny: PlanInputs, first: Plan
) -> None:
    """Regression: after missed days, later sessions counted as done as the calendar had
    them (6.2 DRF and 10.4 before their prerequisites 4.1 and 5.2)."""
    missed = report(as_of="2027-03-03", missed=[{"from": "2027-03-01", "to": "2027-03-01"}])
    result = replan(tiny, first, missed, now=date(2027, 3, 3))
    # Tuesday's 3 h go on from where the learner stopped: all of 1.1, then 1.2 —
    # one evening that covers the end of one topic and the start of the next is two
    # sessions.
    assert history(result.plan) == [
        (2, time(18), time(20), "1.1"),
        (2, time(20), time(21), "1.2"),
    ]
    tuesday = [s for s in result.plan.sessions if s.done]
    assert tuesday[0].uid == first.sessions[2].uid  # the event of that evening, updated
    # A new event for the rest: the topic's next unused number, and the topic's title.
    assert first.sessions[2].uid.startswith("tiny-1.2-2.")
    assert tuesday[1].uid == first.sessions[2].uid.replace("-1.2-2.", "-1.2-3.")
    assert tuesday[1].title == tiny.roadmap.topic_by_id["1.2"].title != tuesday[0].title
    left = {t: sum(s.minutes for s in result.plan.upcoming if s.topic == t) for t in ("1.2", "2.1")}
    assert left == {"1.2": 180, "2.1": 240}
    assert result.warnings == []


def test_prerequisites_hold_in_the_history(tiny: PlanInputs, first: Plan) -> None:
    missed = report(as_of="2027-03-05", missed=[{"from": "2027-03-01", "to": "2027-03-02"}])
    result = replan(tiny, first, missed, now=date(2027, 3, 5))
    # Wednesday and Thursday go to 1.1 and 1.2, not to 2.1, which needs them.
    assert history(result.plan) == [
        (3, time(18), time(20), "1.1"),
        (3, time(20), time(21), "1.2"),
        (4, time(18), time(19), "1.2"),
    ]
    assert result.warnings == []


def test_as_planned_keeps_the_calendars_meaning_and_says_what_it_implies(
    tiny: PlanInputs, first: Plan
) -> None:
    missed = report(
        as_of="2027-03-05", missed=[{"from": "2027-03-01", "to": "2027-03-02"}],
        missed_mode="as_planned",
    )  # fmt: skip
    result = replan(tiny, first, missed, now=date(2027, 3, 5))
    assert history(result.plan) == [(3, time(18), time(21), "2.1"), (4, time(18), time(19), "2.1")]
    assert any("sessions of 2.1 count as studied, but its prerequisite 1.1" in w
               for w in result.warnings)  # fmt: skip


def test_reported_sessions_count_as_planned_and_the_unreported_were_followed(
    tiny: PlanInputs, first: Plan
) -> None:
    """A record about a session beats "followed the plan", which is what the sessions
    nobody reported mean (Monday's and Wednesday's here)."""
    tuesday = first.sessions[2]
    result = replan(tiny, first, report(as_of="2027-03-04", sessions=[tuesday.uid]),
                    now=date(2027, 3, 4))  # fmt: skip
    assert history(result.plan) == [
        (1, time(18), time(20), "1.1"),
        (1, time(20), time(21), "1.2"),
        (2, time(18), time(21), "1.2"),
        (3, time(18), time(21), "2.1"),
    ]


def test_a_session_recorded_missed_is_resumed_by_the_next_one(
    tiny: PlanInputs, first: Plan
) -> None:
    """Tuesday's 1.2 recorded missed: Wednesday, not reported, holds the rest of 1.2
    instead of 2.1, whose prerequisite 1.2 was not finished."""
    missed = {"session": first.sessions[2].uid, "missed": True}
    result = replan(tiny, first, report(as_of="2027-03-04", sessions=[missed]),
                    now=date(2027, 3, 4))  # fmt: skip
    assert history(result.plan) == [
        (1, time(18), time(20), "1.1"),
        (1, time(20), time(21), "1.2"),
        (3, time(18), time(21), "1.2"),
    ]
    # The missed event leaves the calendar: its time is planned anew under a new UID, so
    # the record keeps naming the session it meant, through later re-plans too.
    plan = result.plan
    assert missed["session"] not in {s.uid for s in plan.sessions}
    assert plan.retired_uids == (missed["session"],)
    later = replan(tiny, plan, report(as_of="2027-03-05", sessions=[missed]), now=date(2027, 3, 5))
    assert later.plan.retired_uids == (missed["session"],)
    assert history(later.plan)[:3] == history(plan)
    # No prerequisite broken; the sessions left unsaid beside a session's record are named.
    assert result.warnings == [
        "3 sessions before the re-plan not reported (Mon 2027-03-01 1.1, Mon 2027-03-01 1.2, "
        "Wed 2027-03-03 2.1): counted as studied as planned; report them missed, or done for "
        "fewer minutes, to correct it"
    ]


def test_part_of_a_session_ends_its_event_when_the_study_did(tiny: PlanInputs, first: Plan) -> None:
    """Tuesday's 3 hours of 1.2 studied for 60 minutes: the event ends at 19:00 (its UID
    kept); Wednesday resumes the 2 hours of 1.2 left, then 2.1 in a new event: 7 h done."""
    tuesday = first.sessions[2]
    partly = {"session": tuesday.uid, "minutes": 60}
    result = replan(tiny, first, report(as_of="2027-03-04", sessions=[partly]),
                    now=date(2027, 3, 4))  # fmt: skip
    assert history(result.plan) == [
        (1, time(18), time(20), "1.1"),
        (1, time(20), time(21), "1.2"),
        (2, time(18), time(19), "1.2"),
        (3, time(18), time(20), "1.2"),
        (3, time(20), time(21), "2.1"),
    ]
    assert tuesday.uid in {s.uid for s in result.plan.sessions if s.done}
    assert result.changes.hours_done == 7


def test_reported_sessions_with_missed_days_resume_around_them(
    tiny: PlanInputs, first: Plan
) -> None:
    """Sessions reported studied keep their topic; the other unreported days outside
    the missed ones go on in the sequence after them."""
    progress = report(
        as_of="2027-03-05",
        missed=[{"from": "2027-03-02", "to": "2027-03-02"}],
        sessions=[first.sessions[0].uid, first.sessions[1].uid],
    )
    result = replan(tiny, first, progress, now=date(2027, 3, 5))
    assert history(result.plan) == [
        (1, time(18), time(20), "1.1"),
        (1, time(20), time(21), "1.2"),
        (3, time(18), time(21), "1.2"),
        (4, time(18), time(19), "2.1"),
    ]


def test_a_session_the_plan_never_had_is_refused(tiny: PlanInputs, first: Plan) -> None:
    from planner.errors import PlannerError

    with pytest.raises(PlannerError) as refused:
        replan(tiny, first, report(sessions=["nope"]), progress_path="p.yaml",
               now=date(2027, 3, 4))  # fmt: skip
    assert str(refused.value) == (
        "p.yaml: sessions[0]: the plan has no session 'nope' (`planner next` shows the "
        "sessions and their UIDs)"
    )


def test_one_minute_left_of_a_topic_is_resumed_too(tiny: PlanInputs, first: Plan) -> None:
    """Monday's hour of 1.2 done, Tuesday's 3 h studied for 179 minutes: 1 minute of 1.2
    is left, and Wednesday, not reported, holds it before 2.1."""
    partly = {"session": first.sessions[2].uid, "minutes": 179}
    sessions = [first.sessions[1].uid, partly]
    result = replan(tiny, first, report(as_of="2027-03-04", sessions=sessions),
                    now=date(2027, 3, 4))  # fmt: skip
    assert history(result.plan)[-2:] == [
        (3, time(18), time(18, 1), "1.2"),
        (3, time(18, 1), time(21), "2.1"),
    ]


def test_a_session_with_one_minute_left_goes_on_with_the_next_topic(
    tiny: PlanInputs, first: Plan
) -> None:
    """Tuesday studied for 1 minute: 179 of 1.2's minutes are left for Wednesday's 180,
    whose last minute is 2.1's first."""
    partly = {"session": first.sessions[2].uid, "minutes": 1}
    result = replan(tiny, first, report(as_of="2027-03-04", sessions=[partly]),
                    now=date(2027, 3, 4))  # fmt: skip
    assert history(result.plan)[-2:] == [
        (3, time(18), time(20, 59), "1.2"),
        (3, time(20, 59), time(21), "2.1"),
    ]


def tokyo(tiny: PlanInputs) -> tuple[PlanInputs, Plan]:
    """Tiny in Tokyo, every evening 18:00-21:00 from Mon 2027-03-01 (09:00-12:00 UTC)."""
    inputs = tiny.with_profile(tiny.profile.model_copy(update={"timezone": "Asia/Tokyo"}))
    return inputs, make_plan(inputs, today=date(2027, 3, 1)).plan


def test_study_outside_the_plan_is_history_on_its_day_once(tiny: PlanInputs) -> None:
    """Extra study of 2.1 at 07:15 on Tuesday and of 1.2 with no time given (noon), in
    Tokyo: events of their own on the learner's day, counted as studied, and not added
    again by the next re-plan."""
    inputs, plan = tokyo(tiny)
    extra = [
        {"topic": "2.1", "day": "2027-03-02", "minutes": 45, "at": "07:15"},
        {"topic": "1.2", "day": "2027-03-02", "minutes": 30},
    ]
    missed = [{"from": "2027-03-01", "to": "2027-03-02"}]
    result = replan(inputs, plan, report(extra=extra, missed=missed), now=date(2027, 3, 3))
    done = [s for s in result.plan.sessions if s.done]
    zone = ZoneInfo("Asia/Tokyo")
    assert [s.start.isoformat() for s in done] == ["2027-03-02T07:15:00+09:00",
                                                   "2027-03-02T12:00:00+09:00"]  # fmt: skip
    assert [s.end.isoformat() for s in done] == ["2027-03-02T08:00:00+09:00",
                                                 "2027-03-02T12:30:00+09:00"]  # fmt: skip
    assert [(s.topic, s.title, s.start, s.end) for s in done] == [
        ("2.1", "Practice", datetime(2027, 3, 2, 7, 15, tzinfo=zone),
         datetime(2027, 3, 2, 8, tzinfo=zone)),
        ("1.2", "Next Steps", datetime(2027, 3, 2, 12, tzinfo=zone),
         datetime(2027, 3, 2, 12, 30, tzinfo=zone)),
    ]  # fmt: skip
    assert [s.uid for s in done] == [
        f"tiny-2.1-extra20270302-1.{plan.plan_id}@roadmap-planner",
        f"tiny-1.2-extra20270302-1.{plan.plan_id}@roadmap-planner",
    ]
    assert result.changes.hours_done == 1.25
    left = {t: sum(s.minutes for s in result.plan.upcoming if s.topic == t) for t in ("1.2", "2.1")}
    assert left == {"1.2": 210, "2.1": 210}  # 30 and 45 minutes less, in whole slots
    again = replan(inputs, result.plan, report(extra=extra, missed=missed), now=date(2027, 3, 3))
    assert [s.uid for s in again.plan.sessions if s.done] == [s.uid for s in done]


def test_the_sessions_left_unsaid_are_named_on_the_learners_days(tiny: PlanInputs) -> None:
    """Los Angeles evenings are the next day in UTC; four sessions unsaid beside a
    record: three named, then "…"."""
    inputs = tiny.with_profile(tiny.profile.model_copy(update={"timezone": "America/Los_Angeles"}))
    plan = make_plan(inputs, today=date(2027, 3, 1)).plan
    recorded = report(sessions=[plan.sessions[4].uid])  # Thursday's
    result = replan(inputs, plan, recorded, now=date(2027, 3, 6))
    assert result.warnings == [
        "4 sessions before the re-plan not reported (Mon 2027-03-01 1.1, Mon 2027-03-01 1.2, "
        "Tue 2027-03-02 1.2, …): counted as studied as planned; report them missed, or done "
        "for fewer minutes, to correct it"
    ]


def test_sessions_unsaid_beside_topics_done_ahead_are_named_when_windows_could_not_hold_them(
    tiny: PlanInputs, first: Plan
) -> None:
    """Found by an outside try-out: a record of topics done alone says "otherwise I
    followed the plan", even where that adds up to more study than the windows held.
    By Tuesday 1.2 (4 h) is done: with Monday's 1.1 (2 h), 6 h in Monday's 3 h window."""
    result = replan(tiny, first, report(as_of="2027-03-02", done=["1.2"]), now=date(2027, 3, 3))
    assert result.warnings == [
        "1 session before the re-plan not reported (Mon 2027-03-01 1.1): counted as studied "
        "as planned; with the topics reported that adds up to 6 h of study, more than the 3 h "
        "your windows held since Mon 2027-03-01: report those you did not study missed"
    ]
    # Done as far as the plan went: nothing to say.
    on_plan = replan(tiny, first, report(as_of="2027-03-02", done=["1.1"]), now=date(2027, 3, 3))
    assert on_plan.warnings == []
