"""A re-plan's reviews: what the record (history, and sessions kept as they were) says
is done, and which reviews are still owed for topics it finished.

A topic finished in the record is reviewed from when it was actually finished: the end
of its last study session there. A review still owed whose on-time days are over was
missed; it is planned again, once, due from the re-plan's first day, and the reviews
after it keep their own due days.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import date, datetime
from zoneinfo import ZoneInfo

from planner.inputs.plan_inputs import PlanInputs
from planner.models.plan import Plan, StudySession
from planner.models.reviews import ReviewRules
from planner.planning.requirements import PlanRequirements
from planner.planning.reviews.dues import ReviewDue, day_ended, due_days, on_time_until
from planner.planning.reviews.schedule import ReviewState
from planner.planning.sessions import review_uid
from planner.timeline.windows import minutes_by_window_day


def reviews_in(record: Sequence[StudySession]) -> frozenset[tuple[str, int]]:
    """(topic, number) of the reviews the record holds."""
    return frozenset(
        (session.topic, session.review)
        for session in record
        if session.is_review and session.review is not None
    )


def owed_reviews(
    record: Sequence[StudySession],
    reviewed: Collection[str],
    still_to_study: Collection[str],
    rules: ReviewRules,
    zone: ZoneInfo,
    as_of: date,
    roadmap_id: str,
    plan_id: str | None,
) -> tuple[ReviewDue, ...]:
    """The reviews the topics the record finishes still owe (not in the record), due
    from the end of each topic's last study session there, or from `as_of` when their
    on-time days are over."""
    ends: dict[str, StudySession] = {}
    for session in record:
        if not session.is_review and (
            session.topic not in ends or session.end_utc > ends[session.topic].end_utc
        ):
            ends[session.topic] = session
    held = reviews_in(record)
    owed = []
    for topic in sorted(set(ends) & set(reviewed) - set(still_to_study)):
        finished = day_ended(ends[topic].end, zone)
        for number, natural in enumerate(due_days(finished, rules), start=1):
            if (topic, number) in held:
                continue
            due = natural if on_time_until(natural, rules) >= as_of else as_of
            uid = review_uid(roadmap_id, topic, number, plan_id)
            owed.append(ReviewDue(topic, number, due, on_time_until(due, rules), uid))
    return tuple(owed)


def replan_review_state(
    inputs: PlanInputs,
    previous: Plan,
    requirements: PlanRequirements,
    to_plan: PlanRequirements,
    record: list[StudySession],
    as_of: date,
    not_before: datetime | None,
) -> ReviewState:
    """What the reviews of the re-plan start from: the `record` (history, and sessions
    kept as they were, up to `not_before`) holds some, and owes the ones of the topics
    it finished."""
    rules, zone = inputs.profile.review, inputs.profile.zone
    assert rules is not None
    return ReviewState(
        reviewed=requirements.reviewed,
        first_day=not_before.astimezone(zone).date() if not_before else as_of,
        studied=minutes_by_window_day(record, inputs.profile),
        not_before=not_before,
        pending=owed_reviews(
            record,
            requirements.reviewed,
            to_plan.minutes,
            rules,
            zone,
            as_of,
            inputs.roadmap.id,
            previous.plan_id,
        ),
        held=reviews_in(record),
    )
