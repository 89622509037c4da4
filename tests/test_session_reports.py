"""How a progress record reads against a plan (planner/planning/session_reports.py): the
one rule of which report wins, the sessions nobody reported, what differs from the plan,
and the moment a re-plan starts from, for a learner in Tokyo."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from planner.errors import PlannerError, UnknownTopicError
from planner.inputs.loading import load_prerequisites, load_roadmap
from planner.inputs.plan_inputs import PlanInputs
from planner.models.plan import Plan, StudySession
from planner.models.profile import Profile
from planner.models.progress import Progress
from planner.planning.pipeline import make_plan
from planner.planning.progress_checks import (
    read_progress,
    require_history_unchanged,
    require_no_future,
)
from planner.planning.session_reports import ProgressReading, replan_start, start_of_replan
from tests.scopes import shared

FIXTURES = Path(__file__).parent / "fixtures"
TOKYO = ZoneInfo("Asia/Tokyo")
ROADMAP = load_roadmap(FIXTURES / "tiny-roadmap.yaml")
EVERY_DAY = {day: ["07:00-08:00", "20:00-21:00"] for day in ("mon", "tue", "wed", "thu", "fri")}


@pytest.fixture(scope=shared)
def plan() -> Plan:
    """Tiny in Tokyo from Mon 2027-03-08, an hour each morning and evening: 1.1 Mon 07
    and 20; 1.2 Tue 07, Tue 20, Wed 07, Wed 20; 2.1 Thu 07 and 20, Fri 07 and 20."""
    profile = Profile.model_validate(
        {"timezone": "Asia/Tokyo", "start": "2027-03-08", "weekly": EVERY_DAY,
         "session": {"min_minutes": 60, "max_minutes": 60, "slot_minutes": 30}}
    )  # fmt: skip
    inputs = PlanInputs(ROADMAP, load_prerequisites(FIXTURES / "tiny-prerequisites.yaml"), profile)
    made = make_plan(inputs, today=date(2027, 3, 8)).plan
    assert [(s.topic, f"{s.start:%a %H}") for s in made.sessions] == [
        ("1.1", "Mon 07"), ("1.1", "Mon 20"), ("1.2", "Tue 07"), ("1.2", "Tue 20"),
        ("1.2", "Wed 07"), ("1.2", "Wed 20"), ("2.1", "Thu 07"), ("2.1", "Thu 20"),
        ("2.1", "Fri 07"), ("2.1", "Fri 20"),
    ]  # fmt: skip
    return made


def at(day: int, hour: int, minute: int = 0) -> datetime:
    """A moment in March 2027, Tokyo time."""
    return datetime(2027, 3, day, hour, minute, tzinfo=TOKYO)


def reading(plan: Plan, **fields: Any) -> ProgressReading:
    return read_progress(ROADMAP, plan, Progress.model_validate(fields), "progress.yaml")


def session(plan: Plan, day: int, hour: int) -> StudySession:
    return next(s for s in plan.sessions if s.start == at(day, hour))


# --- which report wins ------------------------------------------------------------------


def test_a_sessions_record_beats_its_topics_shortcut_and_a_missed_range(plan: Plan) -> None:
    tuesday = session(plan, 9, 7).uid
    missed = [{"from": "2027-03-09", "to": "2027-03-09"}]
    said = reading(plan, sessions=[tuesday], skipped=["1.2"], missed=missed)
    assert said.report(session(plan, 9, 7)) == "done"
    assert said.report(session(plan, 9, 20)) == "skipped"  # the topic's shortcut
    partly = reading(plan, sessions=[{"session": tuesday, "minutes": 30}], done=["1"])
    assert partly.report(session(plan, 9, 7)) == "partly"
    assert partly.report(session(plan, 9, 20)) == "topic done"  # section 1 expanded
    assert (
        reading(plan, sessions=[{"session": tuesday, "missed": True}], done=["1.2"]).report(
            session(plan, 9, 7)
        )
        == "missed"
    )


def test_a_topics_shortcut_beats_a_missed_range_which_beats_following_the_plan(
    plan: Plan,
) -> None:
    missed = [{"from": "2027-03-09", "to": "2027-03-10"}]
    said = reading(plan, hours={"1.2": 1}, missed=missed)
    assert said.report(session(plan, 9, 7)) == "topic hours"
    assert reading(plan, missed=missed).report(session(plan, 9, 7)) == "missed day"
    assert reading(plan, missed=missed).report(session(plan, 11, 7)) is None  # not in it


def test_a_missed_range_holds_the_learners_day_not_the_utc_one(plan: Plan) -> None:
    """Tue 07:00 in Tokyo is Monday 22:00 in UTC: a range of Tuesday holds it, Monday's
    does not."""
    tuesday_morning = session(plan, 9, 7)
    tuesday = reading(plan, missed=[{"from": "2027-03-09", "to": "2027-03-09"}])
    monday = reading(plan, missed=[{"from": "2027-03-08", "to": "2027-03-08"}])
    assert tuesday.report(tuesday_morning) == "missed day"
    assert monday.report(tuesday_morning) is None


def test_unreported_sessions_are_those_the_record_says_nothing_of(plan: Plan) -> None:
    said = reading(plan, sessions=[session(plan, 8, 7).uid], done=["1.2"])
    unsaid = said.unreported_before(at(11, 20))
    assert [(s.topic, s.start) for s in unsaid] == [("1.1", at(8, 20)), ("2.1", at(11, 7))]
    assert said.unreported_before(at(11, 7)) == unsaid[:1]  # starting at the moment: after


# --- what differs from the plan -------------------------------------------------------


def test_done_as_planned_and_followed_sessions_are_on_plan(plan: Plan) -> None:
    said = reading(
        plan,
        sessions=[session(plan, 8, 7).uid, {"session": session(plan, 8, 20).uid, "minutes": 60}],
        done=["1.1"],
        hours={"1.2": 1},
    )
    assert said.off_plan(at(9, 12)) == []


def test_what_differs_from_the_plan_is_said(plan: Plan) -> None:
    said = reading(
        plan,
        sessions=[  # Tokyo mornings are the evening before in UTC
            {"session": session(plan, 8, 7).uid, "missed": True},
            {"session": session(plan, 9, 7).uid, "minutes": 45},
        ],
        missed=[{"from": "2027-03-09", "to": "2027-03-09"}],
        done=["1.2"],
        skipped=["2.1"],
        hours={"1.1": 3},
        extra=[{"topic": "2.1", "day": "2027-03-09", "minutes": 30}],
    )
    assert said.off_plan(at(9, 12)) == [
        "1.1 on 2027-03-08: missed",
        "1.2 on 2027-03-09: 45 of 60 min",
        "1.2: topic done ahead of the plan",
        "2.1: skipped ahead of the plan",
        "1.1: 3 h so far",
        "extra study of 2.1 on 2027-03-09",
    ]


def test_extra_study_a_replan_took_in_is_no_longer_new(plan: Plan) -> None:
    extra = {"topic": "1.2", "day": "2027-03-08", "minutes": 30, "at": "12:00"}
    said = reading(plan, extra=[extra, extra])  # twice the same: two entries
    uids = [uid for uid, _ in said.new_extra()]
    assert uids == [
        f"tiny-1.2-extra20270308-1.{plan.plan_id}@roadmap-planner",
        f"tiny-1.2-extra20270308-2.{plan.plan_id}@roadmap-planner",
    ]
    first = plan.sessions[0].model_copy(update={"uid": uids[0], "done": True})
    taken = plan.model_copy(update={"sessions": (*plan.sessions, first)})
    assert [uid for uid, _ in reading(taken, extra=[extra, extra]).new_extra()] == uids[1:]
    assert reading(taken, extra=[extra]).off_plan(at(9, 12)) == []


# --- where a re-plan starts -------------------------------------------------------------


@pytest.mark.parametrize(
    ("now", "fields", "start", "why"),
    [
        # Nothing reported, before today's first session: from now.
        (at(9, 6), {}, at(9, 6), "now"),
        # This morning's session began and nobody reported it: it stays where it is.
        (at(9, 12), {}, at(9, 7), "today's session of 1.2 is not reported yet, so it stays"),
        # Reported: from now; right at its end: after it.
        (at(9, 12), {"sessions": ["tue07"]}, at(9, 12), "now"),
        (at(9, 8), {"sessions": ["tue07"]}, at(9, 8), "after today's sessions, which are reported"),
        (at(9, 22), {"sessions": ["tue07", "tue20"]}, at(9, 22), "now"),
        (at(9, 21), {"sessions": ["tue07", {"session": "tue20", "missed": True}]}, at(9, 21),
         "after today's sessions, which are reported"),
        # Tonight's session recorded ahead of time: after it, though the morning is silent.
        (at(9, 12), {"sessions": ["tue20"]}, at(9, 21),
         "after today's sessions, which are reported"),
        # A day alone: its first moment.
        (at(9, 0), {}, at(9, 0), "the start of today"),
        # A missed range over today: the morning is reported; tonight is still to come.
        (at(9, 12), {"missed": [{"from": "2027-03-09", "to": "2027-03-09"}]}, at(9, 12), "now"),
        # A topic done: tonight's session of it is not needed, it does not hold the start back.
        (at(9, 12), {"sessions": ["tue07"], "done": ["1.2"]}, at(9, 12), "now"),
        # Before the plan begins: where it begins.
        (at(1, 12), {}, at(8, 0), "the plan begins on Mon 2027-03-08"),
    ],
)  # fmt: skip
def test_a_replan_starts_at_the_first_moment_that_loses_nothing_reported(
    plan: Plan, now: datetime, fields: dict[str, Any], start: datetime, why: str
) -> None:
    names = {"tue07": session(plan, 9, 7).uid, "tue20": session(plan, 9, 20).uid}
    records = [
        names[entry] if isinstance(entry, str) else {**entry, "session": names[entry["session"]]}
        for entry in fields.get("sessions", [])
    ]
    found = replan_start(reading(plan, **{**fields, "sessions": records}), now)
    assert (found.at, found.why) == (start, why)
    assert found.as_of == start.date() and found.at.tzinfo == TOKYO


def test_an_as_of_in_the_record_starts_that_day_and_may_not_go_back(plan: Plan) -> None:
    given = start_of_replan(reading(plan, as_of="2027-03-10"), at(12, 9), "progress.yaml")
    assert (given.at, given.why) == (at(10, 0), "the day you chose")
    reported = reading(plan, as_of="2027-03-10", sessions=[session(plan, 10, 7).uid])
    after = start_of_replan(reported, at(12, 9), "progress.yaml")
    assert (after.at, after.why) == (
        at(10, 8),
        "the day you chose, after today's sessions, which are reported",
    )
    earlier = start_of_replan(reading(plan, as_of="2027-03-01"), at(12, 9), "progress.yaml")
    assert (earlier.as_of, earlier.at) == (date(2027, 3, 1), at(1, 0))  # taken as written
    replanned = plan.model_copy(update={"as_of": date(2027, 3, 10), "resumes_at": at(10, 21)})
    with pytest.raises(PlannerError) as refused:
        start_of_replan(reading(replanned, as_of="2027-03-09"), at(12, 9), "progress.yaml")
    assert str(refused.value) == (
        "progress.yaml: as_of 2027-03-09 is before 2027-03-10, the day the previous plan was "
        "made from; re-plan from that day or later"
    )
    again = start_of_replan(reading(replanned), at(10, 12), "progress.yaml")
    assert (again.at, again.why) == (at(10, 21), "where the last re-plan started")


# --- what the record may not say -------------------------------------------------------


def test_nothing_is_reported_that_has_not_happened(plan: Plan) -> None:
    tonight = reading(plan, sessions=[session(plan, 9, 20).uid])
    require_no_future(tonight, at(9, 20), "progress.yaml")  # it has begun: fine
    require_no_future(tonight, date(2027, 3, 9), "progress.yaml")  # a day alone: all of it
    for before in (at(9, 19, 59), date(2027, 3, 8)):
        with pytest.raises(PlannerError) as refused:
            require_no_future(tonight, before, "progress.yaml")
        assert str(refused.value) == (
            f"progress.yaml: sessions[0]: {session(plan, 9, 20).uid} begins Tue 2027-03-09 "
            "20:00, after now: report it once it has begun (a day you will not study is a "
            "blackout in your profile)"
        )
    extra = reading(plan, extra=[{"topic": "1.1", "day": "2027-03-09", "minutes": 30,
                                  "at": "13:00"}])  # fmt: skip
    require_no_future(extra, at(9, 13), "progress.yaml")
    with pytest.raises(PlannerError) as refused:
        require_no_future(extra, at(9, 12), "progress.yaml")
    assert str(refused.value) == (
        "progress.yaml: extra[0]: 2027-03-09 13:00 is after now: report study once it has happened"
    )


def test_the_records_of_the_past_of_a_replan_stay_as_they_were(plan: Plan) -> None:
    monday = session(plan, 8, 7)
    replanned = plan.model_copy(
        update={
            "sessions": (monday.model_copy(update={"done": True}), *plan.sessions[1:]),
            "retired_uids": ("gone@roadmap-planner",),
        }
    )
    kept = Progress.model_validate({"sessions": [monday.uid]})
    require_history_unchanged(reading(replanned, sessions=[monday.uid]), kept, "progress")
    for changed in ({"session": monday.uid, "minutes": 30}, {"session": "gone@roadmap-planner"}):
        with pytest.raises(PlannerError) as refused:
            require_history_unchanged(reading(replanned, sessions=[changed]), kept, "progress")
        assert "progress: sessions[0]: " in str(refused.value)
        assert "is in the past of the last re-plan, which took it as it was then" in str(
            refused.value
        )
    tuesday = session(plan, 9, 7).uid  # not in the past yet: any record
    require_history_unchanged(reading(replanned, sessions=[tuesday]), kept, "progress")


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"sessions": ["nope"]}, "progress.yaml: sessions[0]: the plan has no session 'nope'"),
        ({"hours": {"9.9": 1}}, "progress.yaml: hours.9.9: unknown topic or section id '9.9'"),
        (
            {"extra": [{"topic": "1", "day": "2027-03-08", "minutes": 5}]},
            "progress.yaml: extra[0].topic: 1 is a section: name the topic you studied (1.1, 1.2)",
        ),
        ({"done": ["7"]}, "progress.yaml: done[0]: unknown topic or section id '7'"),
        ({"skipped": ["1.9"]}, "progress.yaml: skipped[0]: unknown topic or section id '1.9'"),
    ],
)
def test_ids_and_sessions_the_plan_does_not_have_are_named(
    plan: Plan, fields: dict[str, Any], message: str
) -> None:
    with pytest.raises((PlannerError, UnknownTopicError)) as refused:
        reading(plan, **fields)
    assert message in str(refused.value)


def test_a_replan_never_starts_before_what_was_reported_session_by_session(plan: Plan) -> None:
    """Regression: an as_of before sessions with their own records planned their topics
    again into the past, and the records then named later sessions."""
    reported = reading(plan, as_of="2027-03-09", sessions=[session(plan, 10, 7).uid])
    start = start_of_replan(reported, at(12, 9), "progress.yaml")
    assert (start.at, start.why) == (at(10, 8), "after the sessions you reported")
    # Studied longer than planned: after the study, not after the planned end.
    longer = reading(plan, sessions=[{"session": session(plan, 9, 7).uid, "minutes": 90}])
    start = start_of_replan(longer, at(9, 8), "progress.yaml")
    assert (start.at, start.why) == (at(9, 8, 30), "after today's sessions, which are reported")


def test_hours_so_far_are_compared_with_all_that_was_planned_before(plan: Plan) -> None:
    """1.2's sessions before Wednesday noon: Tue 07 and 20 and Wed 07 (3 h), the first
    two already history of a re-plan: 3 h so far is on plan, 2 or 4 h is not, and a
    topic with no session before is on plan only at 0 h."""
    past = {session(plan, 9, 7).uid, session(plan, 9, 20).uid}
    replanned = plan.model_copy(
        update={
            "sessions": tuple(s.model_copy(update={"done": s.uid in past}) for s in plan.sessions)
        }
    )
    on_plan = reading(replanned, hours={"1.2": 3, "2.1": 0})
    assert on_plan.off_plan(at(10, 12)) == []
    assert reading(replanned, hours={"1.2": 2}).off_plan(at(10, 12)) == ["1.2: 2 h so far"]
    assert reading(replanned, hours={"1.2": 4}).off_plan(at(10, 12)) == ["1.2: 4 h so far"]
    assert reading(replanned, hours={"2.1": 1}).off_plan(at(10, 12)) == ["2.1: 1 h so far"]


def test_a_session_starting_at_the_moment_is_not_before_it(plan: Plan) -> None:
    tuesday = session(plan, 9, 7)
    said = reading(plan, sessions=[{"session": tuesday.uid, "missed": True}])
    assert said.off_plan(at(9, 7)) == []
    assert said.missed_by_record(at(9, 7)) == []
    assert said.off_plan(at(9, 7, 1)) == ["1.2 on 2027-03-09: missed"]
    assert said.missed_by_record(at(9, 7, 1)) == [tuesday.uid]
