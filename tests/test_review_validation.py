"""planner.planning.reviews.validation: one valid and one violating hand-built plan per
review rule.

The profile of every case (Europe/Berlin, plan from Monday 2027-01-04):

    mon 18:00-22:00, wed 18:00-22:00; sessions 60-180 min in 30-minute slots
    reviews 1 and 7 days after a topic ends, 20 minutes, on time up to 2 days late,
    for topics of at least 2 hours

Topic a (120 min) gets reviews, topic b (60 min) does not. In the valid plan a ends on
Monday 2027-01-04: review 1 is due Tuesday 01-05 (on time until Thursday 01-07), review 2
Monday 01-11 (until 01-13).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from planner.models.busy import BusyInterval, BusyReport
from planner.models.plan import Plan, SolverReport, StudySession
from planner.models.profile import Profile
from planner.planning.requirements import PlanRequirements
from planner.planning.reviews.validation import (
    review_counts_match,
    reviewed_windows_hold_one_topic,
    reviews_are_due_or_late,
    reviews_follow_their_topic,
    reviews_keep_their_length,
)
from planner.planning.validation import (
    sessions_are_inside_windows,
    sessions_do_not_overlap,
    validate_plan,
)

BERLIN = ZoneInfo("Europe/Berlin")
START = date(2027, 1, 4)
PROFILE = Profile.model_validate(
    {
        "timezone": "Europe/Berlin",
        "start": START,
        "weekly": {"mon": ["18:00-22:00"], "wed": ["18:00-22:00"]},
        "session": {"min_minutes": 60, "max_minutes": 180, "slot_minutes": 30},
        "review": {"after_days": [1, 7], "minutes": 20, "min_topic_hours": 2, "slack_days": 2},
    }
)
NEEDS = PlanRequirements(
    minutes={"a": 120, "b": 60}, prerequisites={"a": (), "b": ()}, reviewed=frozenset({"a"})
)


def berlin(month: int, day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2027, month, day, hour, minute, tzinfo=BERLIN)


def study(topic: str, start: datetime, end: datetime, *, done: bool = False) -> StudySession:
    uid = f"{topic}-{start.astimezone(UTC):%m%dT%H%M}"
    return StudySession(uid=uid, topic=topic, title=topic, start=start, end=end, done=done)


def review(
    topic: str, number: int, start: datetime, due: date, *, minutes: int = 20, late: bool = False
) -> StudySession:
    return StudySession(
        uid=f"{topic}-review{number}",
        kind="review",
        topic=topic,
        title=topic,
        start=start,
        end=start + timedelta(minutes=minutes),
        review=number,
        due=due,
        late=late,
    )


def plan_of(*sessions: StudySession, as_of: date | None = None) -> Plan:
    return Plan(
        roadmap="r",
        timezone="Europe/Berlin",
        start=START,
        as_of=as_of,
        finish=None,
        lower_bound_finish=None,
        planned_hours=3,
        solver=SolverReport(
            status="FEASIBLE",
            finish_proven_optimal=False,
            sessions=0,
            sessions_lower_bound=0,
            list_schedule_sessions=0,
        ),
        sessions=tuple(sorted(sessions, key=lambda s: s.start_utc)),
    )


A = study("a", berlin(1, 4, 18), berlin(1, 4, 20))
B = study("b", berlin(1, 4, 20), berlin(1, 4, 21))
REVIEW_1 = review("a", 1, berlin(1, 6, 18), date(2027, 1, 5))
REVIEW_2 = review("a", 2, berlin(1, 11, 18), date(2027, 1, 11))
VALID = plan_of(A, B, REVIEW_1, REVIEW_2)


def test_valid_plan_with_reviews_passes_every_rule() -> None:
    assert validate_plan(VALID, PROFILE, NEEDS) == []


def test_a_profile_without_reviews_allows_none() -> None:
    without = PROFILE.model_copy(update={"review": None})
    assert review_counts_match(VALID, without, NEEDS) == ["a: reviews 1, 2, needs 0 (1 to 0)"]


# --- reviews_follow_their_topic ----------------------------------------------------------


def test_review_after_its_topic_passes() -> None:
    assert reviews_follow_their_topic(VALID, PROFILE, NEEDS) == []


def test_review_before_its_topic_ends_is_a_violation() -> None:
    late_a = study("a", berlin(1, 6, 19), berlin(1, 6, 21))
    plan = plan_of(late_a, B, REVIEW_1, REVIEW_2)
    assert reviews_follow_their_topic(plan, PROFILE, NEEDS) == [
        "review 1 of a 2027-01-06T18:00:00+01:00: before a ends"
    ]


def test_review_right_when_its_topic_ends_passes() -> None:
    right_after = review("a", 1, A.end, date(2027, 1, 5))
    assert reviews_follow_their_topic(plan_of(A, right_after), PROFILE, NEEDS) == []


def test_review_of_a_topic_the_plan_does_not_study_is_a_violation() -> None:
    plan = plan_of(B, REVIEW_1, REVIEW_2)
    assert reviews_follow_their_topic(plan, PROFILE, NEEDS)[0].endswith("the plan does not study a")


# --- reviews_are_due_or_late -------------------------------------------------------------


def test_review_within_its_slack_or_reported_late_passes() -> None:
    late = review("a", 1, berlin(1, 11, 18, 20), date(2027, 1, 5), late=True)
    assert reviews_are_due_or_late(plan_of(A, B, late, REVIEW_2), PROFILE, NEEDS) == []


@pytest.mark.parametrize(
    ("moved", "problem"),
    [
        (
            review("a", 1, berlin(1, 11, 18, 20), date(2027, 1, 5)),
            "on 2027-01-11, after 2027-01-07, and not reported late",
        ),
        (
            review("a", 1, berlin(1, 6, 18), date(2027, 1, 5), late=True),
            "reported late but on time (due 2027-01-05)",
        ),
        (
            review("a", 1, berlin(1, 7, 18), date(2027, 1, 5), late=True),
            "reported late but on time (due 2027-01-05)",
        ),
        (
            review("a", 1, berlin(1, 6, 18), date(2027, 1, 6)),
            "due 2027-01-06, but its topic's end makes it 2027-01-05",
        ),
    ],
)
def test_review_outside_its_days_and_not_reported_is_a_violation(
    moved: StudySession, problem: str
) -> None:
    plan = plan_of(A, B, moved, REVIEW_2)
    assert [v.split(": ", 1)[1] for v in reviews_are_due_or_late(plan, PROFILE, NEEDS)] == [problem]


def test_every_review_is_judged_not_only_the_first() -> None:
    """Review 1 with the wrong due day and review 2 the day before its due day: both
    reported, the last review of the profile's too."""
    wrong_due = review("a", 1, berlin(1, 6, 18), date(2027, 1, 6))
    early = review("a", 2, berlin(1, 10, 18), date(2027, 1, 11))
    assert reviews_are_due_or_late(plan_of(A, B, wrong_due, early), PROFILE, NEEDS) == [
        "review 1 of a 2027-01-06T18:00:00+01:00: due 2027-01-06, but its topic's end makes "
        "it 2027-01-05",
        "review 2 of a 2027-01-10T18:00:00+01:00: on 2027-01-10, before its due day 2027-01-11",
    ]


def test_reviews_the_other_rules_judge_are_skipped_and_the_rest_still_judged() -> None:
    """A review of a topic the plan does not study and a third review (the profile asks
    for two) are for the other rules; review 2 after them, outside its days, is still
    reported."""
    of_c = review("c", 1, berlin(1, 5, 18), date(2027, 1, 5))
    third = review("a", 3, berlin(1, 6, 18, 40), date(2027, 1, 5))
    late_2 = review("a", 2, berlin(1, 18, 18), date(2027, 1, 11))
    plan = plan_of(A, B, of_c, REVIEW_1, third, late_2)
    assert reviews_are_due_or_late(plan, PROFILE, NEEDS) == [
        "review 2 of a 2027-01-18T18:00:00+01:00: on 2027-01-18, after 2027-01-13, and not "
        "reported late"
    ]


def test_a_missed_review_is_due_from_the_replans_first_day() -> None:
    """Review 1 (on time until 01-07) was not done by the re-plan of 01-13: it is due
    again from 01-13; review 2 keeps its own due day."""
    history = [study("a", A.start, A.end, done=True), study("b", B.start, B.end, done=True)]
    again = review("a", 1, berlin(1, 13, 18), date(2027, 1, 13))
    plan = plan_of(
        *history,
        again,
        review("a", 2, berlin(1, 13, 18, 20), date(2027, 1, 11)),
        as_of=date(2027, 1, 13),
    )
    assert reviews_are_due_or_late(plan, PROFILE, NEEDS) == []
    stale = plan_of(
        *history,
        review("a", 1, berlin(1, 13, 18), date(2027, 1, 5), late=True),
        as_of=date(2027, 1, 13),
    )
    assert reviews_are_due_or_late(stale, PROFILE, NEEDS) == [
        "review 1 of a 2027-01-13T18:00:00+01:00: due 2027-01-05, but its topic's end "
        "makes it 2027-01-13"
    ]


# --- reviews_keep_their_length -----------------------------------------------------------


def test_review_of_the_profiles_length_passes() -> None:
    assert reviews_keep_their_length(VALID, PROFILE, NEEDS) == []


def test_review_of_another_length_is_a_violation() -> None:
    longer = review("a", 2, berlin(1, 11, 18), date(2027, 1, 11), minutes=30)
    assert reviews_keep_their_length(plan_of(A, B, REVIEW_1, longer), PROFILE, NEEDS) == [
        "review 2 of a 2027-01-11T18:00:00+01:00: 30 min, not 20"
    ]


# --- review_counts_match -----------------------------------------------------------------


def test_one_review_of_each_number_passes() -> None:
    assert review_counts_match(VALID, PROFILE, NEEDS) == []


def test_a_reviewed_topic_without_any_review_is_a_violation() -> None:
    assert review_counts_match(plan_of(A, B), PROFILE, NEEDS) == [
        "a: reviews none, needs 2 (1 to 2)"
    ]


def test_a_missing_review_and_a_review_of_an_unreviewed_topic_are_violations() -> None:
    of_b = review("b", 1, berlin(1, 6, 18, 20), date(2027, 1, 5))
    assert review_counts_match(plan_of(A, B, REVIEW_1, of_b), PROFILE, NEEDS) == [
        "a: reviews 1, needs 2 (1 to 2)",
        "b: reviews 1, needs 0 (1 to 0)",
    ]


def test_done_reviews_stand_when_the_profile_asks_for_fewer_but_none_is_planned_beyond() -> None:
    """Review 1 done, then `review` dropped from the profile: it is history and stands;
    review 2 still planned is a violation, and so is review 1 twice."""
    done = REVIEW_1.model_copy(update={"done": True})
    without = PROFILE.model_copy(update={"review": None})
    assert review_counts_match(plan_of(A, B, done), without, NEEDS) == []
    assert review_counts_match(plan_of(A, B, done, REVIEW_2), without, NEEDS) == [
        "a: reviews 1, 2, needs 0 (1 to 0)"
    ]
    again = review("a", 1, berlin(1, 6, 19), date(2027, 1, 5)).model_copy(update={"uid": "a-again"})
    assert review_counts_match(plan_of(A, B, done, again, REVIEW_2), PROFILE, NEEDS) == [
        "a: reviews 1, 1, 2, needs 2 (1 to 2)"
    ]


# --- reviewed_windows_hold_one_topic -----------------------------------------------------


def test_a_review_window_with_one_topic_passes() -> None:
    a_again = study("c", berlin(1, 11, 18, 30), berlin(1, 11, 20))
    needs = PlanRequirements(
        minutes={"a": 120, "b": 60, "c": 90}, prerequisites={}, reviewed=frozenset({"a"})
    )
    assert (
        reviewed_windows_hold_one_topic(plan_of(A, B, REVIEW_1, REVIEW_2, a_again), PROFILE, needs)
        == []
    )


def test_busy_time_splits_a_window_and_each_part_holds_its_own_topic() -> None:
    """The plan recorded a call on Monday 01-11 19:00-19:30: review 2 and c in the part
    before it, d in the part after: each part holds one topic."""
    c = study("c", berlin(1, 11, 18, 20), berlin(1, 11, 19))
    d = study("d", berlin(1, 11, 19, 30), berlin(1, 11, 21))
    call = BusyInterval(start=berlin(1, 11, 19), end=berlin(1, 11, 19, 30))
    busy = BusyReport(sources=(), hours=0.5, intervals=(call,))
    plan = plan_of(A, B, REVIEW_1, REVIEW_2, c, d).model_copy(update={"busy": busy})
    assert reviewed_windows_hold_one_topic(plan, PROFILE, NEEDS) == []


def test_a_window_after_midnight_on_the_plans_last_day_is_a_window_of_its_own() -> None:
    """Monday evenings and Tuesdays 00:15-01:00: c and d meet on Monday evening, and the
    last session, a review of d at 00:15 on Tuesday (Monday 23:15 in UTC), is in
    Tuesday's window, which holds no topic."""
    weekly = {"mon": ["18:00-22:00"], "tue": ["00:15-01:00"]}
    late = Profile.model_validate({**PROFILE.model_dump(mode="json"), "weekly": weekly})
    c = study("c", berlin(1, 11, 18), berlin(1, 11, 19))
    d = study("d", berlin(1, 11, 19), berlin(1, 11, 21))
    of_d = review("d", 1, berlin(1, 12, 0, 15), date(2027, 1, 12))
    plan = plan_of(c, d, of_d)
    assert reviewed_windows_hold_one_topic(plan, late, NEEDS) == []


def test_a_review_window_where_two_topics_meet_is_a_violation() -> None:
    c = study("c", berlin(1, 11, 18, 30), berlin(1, 11, 20))
    d = study("d", berlin(1, 11, 20), berlin(1, 11, 21))
    plan = plan_of(A, B, REVIEW_1, REVIEW_2, c, d)
    assert reviewed_windows_hold_one_topic(plan, PROFILE, NEEDS) == [
        "review 2 of a 2027-01-11T18:00:00+01:00: its window holds more than one topic (c, d)"
    ]


# --- inside windows and no overlap: the general rules cover reviews ----------------------


def test_reviews_inside_windows_without_overlap_pass_the_general_rules() -> None:
    assert sessions_are_inside_windows(VALID, PROFILE, NEEDS) == []
    assert sessions_do_not_overlap(VALID, PROFILE, NEEDS) == []


def test_a_review_outside_the_windows_is_a_violation() -> None:
    tuesday = review("a", 1, berlin(1, 5, 18), date(2027, 1, 5))
    assert sessions_are_inside_windows(plan_of(A, B, tuesday, REVIEW_2), PROFILE, NEEDS) == [
        "a session 2027-01-05T18:00:00+01:00: not inside a study window"
    ]


def test_a_review_over_a_study_session_is_a_violation() -> None:
    over = study("c", berlin(1, 11, 18), berlin(1, 11, 19))
    assert sessions_do_not_overlap(plan_of(A, B, REVIEW_1, REVIEW_2, over), PROFILE, NEEDS) == [
        "c session 2027-01-11T18:00:00+01:00 overlaps a"
    ]


@pytest.mark.parametrize(
    "zone", ["America/Los_Angeles", "Asia/Tokyo", "Pacific/Chatham"], ids=lambda zone: zone
)
def test_a_planner_that_counts_24_00_as_the_next_day_is_caught(
    monkeypatch: pytest.MonkeyPatch, zone: str
) -> None:
    """Issue 27: the validator once shared the planner's date helper, so a planner that
    counted a topic ending at 24:00 on the next day (its reviews due a day late) passed
    it. Planted here in the shared helper, wherever a module uses it; the validator's
    own arithmetic names the review."""
    import sys

    from planner.errors import PlanValidationError
    from planner.inputs.plan_inputs import PlanInputs
    from planner.planning.pipeline import make_plan
    from planner.planning.reviews import dues as review_dues
    from tests.test_replan import TINY, TINY_EDGES

    every_day = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
    profile = Profile.model_validate(
        {"timezone": zone, "start": "2027-03-01",
         "weekly": {day: ["22:00-00:00"] for day in every_day},
         "session": {"min_minutes": 60, "max_minutes": 120, "slot_minutes": 30},
         "review": {"after_days": [1, 3], "minutes": 30, "min_topic_hours": 2, "slack_days": 0}}
    )  # fmt: skip
    inputs = PlanInputs(TINY, TINY_EDGES, profile)
    plan = make_plan(inputs, today=date(2027, 3, 1)).plan
    first = plan.sessions[0]
    assert (first.topic, first.end.isoformat()[:19]) == ("1.1", "2027-03-02T00:00:00")
    reviews = [s for s in plan.sessions if s.topic == "1.1" and s.is_review]
    assert reviews[0].due == date(2027, 3, 2), "the day 1.1 ends at 24:00 is 1 March"

    def next_day_at_midnight(end: datetime, zone: ZoneInfo) -> date:
        return end.astimezone(zone).date()  # the bug: 24:00 belongs to the day before

    shared = review_dues.day_ended
    for module in list(sys.modules.values()):
        if module.__name__.startswith("planner.") and getattr(module, "day_ended", None) is shared:
            monkeypatch.setattr(module, "day_ended", next_day_at_midnight)
    with pytest.raises(PlanValidationError) as raised:
        make_plan(inputs, today=date(2027, 3, 1))
    assert "review 1 of 1.1 2027-03-03T22:00:00" in str(raised.value)
    assert "due 2027-03-03, but its topic's end makes it 2027-03-02" in str(raised.value)
