"""Spaced reviews on the bundled roadmap and the example learner with `review: true`:
what a plan owes, where reviews go, what they cost, the calendar and the JSON, and
re-plans (missed reviews, reviews done by UID, topics finished earlier)."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, date, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import icalendar
import pytest
from pydantic import ValidationError

from planner.errors import PlannerError
from planner.inputs.plan_inputs import PlanInputs
from planner.models.plan import Plan, StudySession
from planner.models.profile import Profile
from planner.models.progress import Progress
from planner.models.reviews import ReviewRules
from planner.output.ics import plan_to_calendar
from planner.planning.pipeline import make_plan
from planner.planning.replan import replan

TODAY = date(2027, 1, 1)
ReadWithIcaljs = Callable[[Path], list[dict[str, Any]]]


@pytest.fixture(scope="module")
def reviewing(inputs: PlanInputs) -> PlanInputs:
    return inputs.with_profile(inputs.profile.model_copy(update={"review": ReviewRules()}))


@pytest.fixture(scope="module")
def plan(reviewing: PlanInputs) -> Plan:
    return make_plan(reviewing, today=TODAY).plan


def reviews_of(plan: Plan) -> list[StudySession]:
    return [session for session in plan.sessions if session.is_review]


def last_study_end(plan: Plan, topic: str) -> StudySession:
    return max((s for s in plan.study_sessions if s.topic == topic), key=lambda s: s.end_utc)


# --- the profile key -------------------------------------------------------------------


def test_review_true_means_the_defaults_and_false_means_none() -> None:
    base: dict[str, Any] = {"timezone": "Europe/Berlin", "weekly": {"mon": ["19:00-21:00"]}}
    on = Profile.model_validate({**base, "review": True}).review
    assert on == ReviewRules(after_days=(1, 7, 30), minutes=20, min_topic_hours=2, slack_days=3)
    assert Profile.model_validate({**base, "review": False}).review is None
    assert Profile.model_validate(base).review is None
    custom = Profile.model_validate({**base, "review": {"after_days": [2, 9], "minutes": 15}})
    assert custom.review == ReviewRules(after_days=(2, 9), minutes=15)


@pytest.mark.parametrize(
    ("review", "message"),
    [
        ({"after_days": [7, 1]}, "after_days must increase: [7, 1]"),
        ({"after_days": []}, "after_days needs at least one entry"),
        ({"after_days": [0]}, "greater than or equal to 1"),
        ({"minutes": 240}, "review.minutes (240) is longer than session.max_minutes (180)"),
        ({"every": 3}, "Extra inputs are not permitted"),
    ],
)
def test_bad_review_settings_are_refused_with_the_reason(
    review: dict[str, Any], message: str
) -> None:
    with pytest.raises(ValidationError, match=re.escape(message)):
        Profile.model_validate(
            {"timezone": "Europe/Berlin", "weekly": {"mon": ["19:00-21:00"]}, "review": review}
        )


# --- what a plan owes and where reviews go -----------------------------------------------


def test_every_topic_of_two_hours_or_more_gets_three_reviews(
    reviewing: PlanInputs, plan: Plan
) -> None:
    studied: dict[str, float] = {}
    for session in plan.study_sessions:
        studied[session.topic] = studied.get(session.topic, 0) + session.minutes
    numbers: dict[str, list[int]] = {}
    for review in reviews_of(plan):
        numbers.setdefault(review.topic, []).append(review.review or 0)
    assert {topic: sorted(got) for topic, got in numbers.items()} == {
        topic: [1, 2, 3] for topic, minutes in studied.items() if minutes >= 120
    }
    assert len(numbers) == 52  # every topic but 5.1 Django (0 h in the source, 6 h here)
    assert plan.reviews is not None and plan.reviews.reviews == 3 * 52


def test_each_review_is_due_after_its_topic_and_on_time_or_reported_late(plan: Plan) -> None:
    berlin = ZoneInfo(plan.timezone)
    for review in reviews_of(plan):
        end = last_study_end(plan, review.topic).end_utc
        ended = (end - timedelta(microseconds=1)).astimezone(berlin).date()
        due = ended + timedelta(days=(1, 7, 30)[(review.review or 1) - 1])
        day = review.start.astimezone(berlin).date()
        assert review.due == due
        assert review.minutes == 20
        if review.late:
            assert day > due + timedelta(days=3)
        else:
            assert due <= day <= due + timedelta(days=3)


def test_reviews_sit_in_windows_that_hold_at_most_one_topic(plan: Plan) -> None:
    """A review shares its window (the weekly window of its day) with at most the topic
    around it: no topic change happens there."""
    berlin = ZoneInfo(plan.timezone)

    def window_of(session: StudySession) -> tuple[date, int]:
        local = session.start.astimezone(berlin)
        return (local.date(), 9 if local.hour < 14 else 19)  # sat 09-13, mon/wed 19-21

    review_windows = {window_of(review) for review in reviews_of(plan)}
    topics: dict[tuple[date, int], set[str]] = {}
    for session in plan.study_sessions:
        topics.setdefault(window_of(session), set()).add(session.topic)
    assert all(len(topics.get(window, set())) <= 1 for window in review_windows)


def test_reviews_due_after_the_last_topic_are_planned_after_it(plan: Plan) -> None:
    assert plan.finish is not None and plan.reviews is not None
    after = [r for r in reviews_of(plan) if r.start_utc >= plan.finish]
    assert after, "the last topics' 7- and 30-day reviews come after the last topic"
    assert plan.reviews.last_review == max(r.end for r in reviews_of(plan))
    assert plan.finish == max(s.end for s in plan.study_sessions)


def test_the_finish_with_and_without_reviews_and_the_bound_between(
    inputs: PlanInputs, plan: Plan
) -> None:
    without = make_plan(inputs, today=TODAY).plan
    report = plan.reviews
    assert report is not None and plan.finish is not None
    assert report.finish_without_reviews == without.finish
    assert plan.lower_bound_finish == without.lower_bound_finish
    assert report.lower_bound_finish is not None
    # Review minutes are study time too: the bound is later than without reviews, and
    # no later than this plan.
    assert without.finish <= report.lower_bound_finish <= plan.finish


def test_a_sparse_week_makes_reviews_late_but_never_drops_one(reviewing: PlanInputs) -> None:
    """One window a week and no slack: a 1-day review never has a window on its day."""
    sparse = reviewing.profile.model_copy(
        update={
            "weekly": {"sat": reviewing.profile.weekly["sat"]},
            "review": ReviewRules(after_days=(1, 7), slack_days=0, min_topic_hours=6),
            "skip": tuple(f"{n}" for n in range(3, 17)),
        }
    )
    sparse_plan = make_plan(reviewing.with_profile(sparse), today=TODAY).plan
    reviews = reviews_of(sparse_plan)
    assert sparse_plan.reviews is not None
    assert len(reviews) == 2 * len({r.topic for r in reviews}) > 0
    late = [r for r in reviews if r.late]
    assert late and sparse_plan.reviews.late == len(late)
    assert all(r.review == 1 for r in late)


# --- JSON and calendar -------------------------------------------------------------------


def test_json_marks_reviews_and_leaves_study_sessions_as_they_were(plan: Plan) -> None:
    text = plan.to_json()
    assert Plan.model_validate_json(text) == plan
    study, review = plan.study_sessions[0], reviews_of(plan)[0]
    assert "kind" not in study.model_dump(exclude_defaults=True)
    assert review.model_dump(mode="json", exclude_defaults=True).keys() >= {
        "uid", "kind", "topic", "review", "due"
    }  # fmt: skip
    old = study.model_dump(mode="json", exclude={"kind"})
    assert StudySession.model_validate(old).kind == "study"


def test_one_event_per_review_with_its_own_uid(reviewing: PlanInputs, plan: Plan) -> None:
    calendar = icalendar.Calendar.from_ical(plan_to_calendar(plan, reviewing.roadmap).to_ical())
    events = {str(e["UID"]): e for e in calendar.walk("VEVENT")}
    assert len(events) == len(plan.sessions)
    oop = next(r for r in reviews_of(plan) if r.topic == "2.3" and r.review == 1)
    event = events[oop.uid]
    assert str(event["SUMMARY"]) == "Review: 2.3 OOP in Python (1 of 3)"
    assert event["CATEGORIES"].cats == ["Review"]
    assert "- Classes, instances, methods" in str(event["DESCRIPTION"])
    assert oop.uid == f"python-backend-2.3-review1.{plan.plan_id}@roadmap-planner"


def test_icaljs_reads_the_reviews_where_the_json_has_them(
    reviewing: PlanInputs, plan: Plan, tmp_path: Path, read_with_icaljs: ReadWithIcaljs
) -> None:
    path = tmp_path / "plan.ics"
    path.write_bytes(plan_to_calendar(plan, reviewing.roadmap).to_ical())
    read = {e["uid"]: (e["start_utc"], e["end_utc"], e["summary"]) for e in read_with_icaljs(path)}
    for review in reviews_of(plan):
        start, end = (f"{m.astimezone(UTC):%Y-%m-%dT%H:%M:%SZ}" for m in (review.start, review.end))
        assert read[review.uid][:2] == (start, end)
        assert read[review.uid][2].startswith(f"Review: {review.topic} ")


# --- re-plans ----------------------------------------------------------------------------


def test_a_missed_review_is_planned_again_and_its_successors_keep_their_days(
    reviewing: PlanInputs, plan: Plan
) -> None:
    first = min(reviews_of(plan), key=lambda r: r.start_utc)
    assert first.due is not None
    day = first.start.date()
    as_of = day + timedelta(days=4)
    missed = Progress.model_validate({"as_of": as_of, "missed": [{"from": day, "to": day}]})
    result = replan(reviewing, plan, missed, now=as_of)
    again = next(s for s in result.plan.sessions if s.uid == first.uid)
    # Its on-time days (due + 3) are over by as_of: due again from as_of.
    assert first.due + timedelta(days=3) < as_of
    assert (again.done, again.due, again.sequence) == (False, as_of, 1)
    assert again.start.date() >= as_of

    def successors(of: Plan) -> dict[str, date | None]:
        return {r.uid: r.due for r in reviews_of(of) if r.topic == first.topic and r != first}

    assert {uid: due for uid, due in successors(result.plan).items() if uid != first.uid} == {
        uid: due for uid, due in successors(plan).items() if uid != first.uid
    }


def test_reviews_reported_by_uid_are_done_and_the_rest_planned_again(
    reviewing: PlanInputs, plan: Plan
) -> None:
    early = sorted(reviews_of(plan), key=lambda r: r.start_utc)[:2]
    as_of = early[1].start.date() + timedelta(days=1)
    topics = sorted({s.topic for s in plan.study_sessions if s.end.date() < as_of})
    missed = {"session": early[1].uid, "missed": True}
    reported = Progress.model_validate(
        {"as_of": as_of, "done": topics, "sessions": [early[0].uid, missed]}
    )
    result = replan(reviewing, plan, reported, now=as_of)
    by_uid = {s.uid: s for s in result.plan.sessions}
    assert by_uid[early[0].uid].done
    assert not by_uid[early[1].uid].done and by_uid[early[1].uid].start.date() >= as_of


def test_turning_reviews_off_keeps_the_reviews_done_and_plans_no_more(
    inputs: PlanInputs, reviewing: PlanInputs, plan: Plan
) -> None:
    """A learner who did the first review, then drops `review` from the profile: the
    re-plan keeps that review as history (in the calendar, ticked) and plans no other."""
    first = min(reviews_of(plan), key=lambda r: r.start_utc)
    as_of = first.start.date() + timedelta(days=1)
    reported = Progress.model_validate({"as_of": as_of, "sessions": [first.uid]})
    result = replan(inputs, plan, reported, now=as_of).plan
    assert result.reviews is None
    assert [(r.uid, r.done) for r in reviews_of(result)] == [(first.uid, True)]
    calendar = icalendar.Calendar.from_ical(plan_to_calendar(result, inputs.roadmap).to_ical())
    (event,) = (e for e in calendar.walk("VEVENT") if str(e["CATEGORIES"].cats[0]) == "Review")
    title = inputs.roadmap.topic_by_id[first.topic].title
    assert str(event["SUMMARY"]) == f"✓ Review: {first.topic} {title} (1 of 1)"


def test_reviews_of_a_topic_finished_early_are_due_from_when_it_was(
    reviewing: PlanInputs, plan: Plan
) -> None:
    """1.1 is planned to end on its last session; the learner reports it done after the
    first one: its reviews are due from that session, not from the plan's."""
    sessions = [s for s in plan.study_sessions if s.topic == "1.1"]
    assert len(sessions) > 1
    as_of = sessions[0].end.date() + timedelta(days=1)
    result = replan(reviewing, plan, Progress(as_of=as_of, done=("1.1",)), now=as_of)
    reviews = sorted(
        (r for r in reviews_of(result.plan) if r.topic == "1.1"), key=lambda r: r.review or 0
    )
    assert [r.due for r in reviews][1:] == [
        sessions[0].end.date() + timedelta(days=days) for days in (7, 30)
    ]


def test_replanning_the_result_with_the_same_progress_changes_nothing(
    reviewing: PlanInputs, plan: Plan
) -> None:
    progress = Progress.model_validate(
        {"as_of": "2027-02-01", "missed": [{"from": "2027-01-18", "to": "2027-01-31"}]}
    )
    once = replan(reviewing, plan, progress, now=date(2027, 2, 1)).plan
    twice = replan(reviewing, once, progress, now=date(2027, 2, 1)).plan
    assert twice.to_json() == once.to_json()


def test_a_reported_uid_the_plan_does_not_have_is_refused(
    reviewing: PlanInputs, plan: Plan
) -> None:
    with pytest.raises(PlannerError, match=r"sessions\[0\]: the plan has no session 'nope'"):
        replan(reviewing, plan, Progress(sessions=("nope",)), now=TODAY, progress_path="p.yaml")
