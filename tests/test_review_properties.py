"""Reviews on small random roadmaps and profiles (the cases of test_properties, with
random review settings): every plan keeps every rule, the reviews' own included, and a
re-plan after a missed week does too.

The validator already guards every solve; these tests add what it cannot see by
itself: the number of reviews each topic gets, from the inputs alone, and that no
review is lost between a plan and its re-plan.
"""

from __future__ import annotations

from datetime import timedelta

from hypothesis import event, given
from hypothesis import strategies as st

from planner.errors import InfeasiblePlanError
from planner.models.plan import Plan
from planner.models.progress import Progress
from planner.models.reviews import ReviewRules
from planner.planning.pipeline import make_plan
from planner.planning.replan import replan
from tests.test_properties import PROPERTY_SETTINGS, Case, expected_minutes, planning_cases
from tests.window_oracle import assert_inside_oracle_windows

REVIEW_RULES = st.builds(
    ReviewRules,
    after_days=st.sampled_from([(1,), (1, 7), (1, 7, 30), (2, 3, 14)]),
    minutes=st.sampled_from([10, 15, 20, 30]),
    min_topic_hours=st.sampled_from([0.0, 1.0, 2.0, 3.5]),
    slack_days=st.integers(0, 3),
)


@st.composite
def reviewing_cases(draw: st.DrawFn) -> Case:
    case = draw(planning_cases())
    profile = case.inputs.profile
    rules = draw(REVIEW_RULES.filter(lambda rules: rules.minutes <= profile.session.max_minutes))
    reviewing = case.inputs.with_profile(profile.model_copy(update={"review": rules}))
    return Case(reviewing, case.today)


def review_counts(plan: Plan) -> dict[str, list[int]]:
    counts: dict[str, list[int]] = {}
    for session in plan.sessions:
        if session.is_review:
            counts.setdefault(session.topic, []).append(session.review or 0)
    return {topic: sorted(numbers) for topic, numbers in counts.items()}


@PROPERTY_SETTINGS
@given(reviewing_cases())
def test_every_topic_gets_its_reviews_inside_windows(case: Case) -> None:
    try:
        plan = make_plan(case.inputs, today=case.today).plan
    except InfeasiblePlanError:
        event("infeasible")
        return
    rules = case.inputs.profile.review
    assert rules is not None and plan.reviews is not None
    wanted = {
        topic: list(range(1, len(rules.after_days) + 1))
        for topic, minutes in expected_minutes(case.inputs).items()
        if minutes >= rules.min_topic_hours * 60
    }
    assert review_counts(plan) == wanted
    event(f"{(plan.reviews.late and 'some') or 'no'} late reviews")
    assert_inside_oracle_windows(plan.sessions, case.inputs.profile, plan.start)


@PROPERTY_SETTINGS
@given(reviewing_cases(), st.integers(0, 40))
def test_a_replan_after_a_missed_week_keeps_every_review(case: Case, offset: int) -> None:
    try:
        plan = make_plan(case.inputs, today=case.today).plan
    except InfeasiblePlanError:
        return
    missed_from = plan.start + timedelta(days=offset)
    progress = Progress.model_validate(
        {
            "as_of": missed_from + timedelta(days=7),
            "missed": [{"from": missed_from, "to": missed_from + timedelta(days=6)}],
        }
    )
    try:
        again = replan(case.inputs, plan, progress, now=missed_from).plan
    except InfeasiblePlanError:
        return
    # A review is done or planned again (with its UID), never dropped; a topic keeps
    # its reviews unless it has no study left in either plan.
    before = {s.uid: s.topic for s in plan.sessions if s.is_review}
    after = {s.uid for s in again.sessions if s.is_review}
    studied = {s.topic for s in again.study_sessions}
    assert {uid for uid, topic in before.items() if topic in studied} <= after
