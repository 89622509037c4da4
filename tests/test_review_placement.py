"""Where reviews sit inside a window, on the example profile (Mon and Wed 19-21, Sat
09-13): at its start, before its one topic, or in its idle end after that topic, never
between two sessions of a topic.
"""

from __future__ import annotations

import re
from datetime import date
from zoneinfo import ZoneInfo

import pytest

from planner.inputs.plan_inputs import PlanInputs
from planner.models.plan import Plan, StudySession
from planner.models.reviews import ReviewRules
from planner.planning.pipeline import make_plan

TODAY = date(2027, 1, 1)
Window = tuple[date, int]


@pytest.fixture(scope="module")
def plans(inputs: PlanInputs) -> tuple[Plan, Plan]:
    """The example planned without and with the default reviews."""
    reviewing = inputs.with_profile(inputs.profile.model_copy(update={"review": ReviewRules()}))
    return make_plan(inputs, today=TODAY).plan, make_plan(reviewing, today=TODAY).plan


def window_of(session: StudySession, zone: ZoneInfo) -> Window:
    local = session.start.astimezone(zone)
    return (local.date(), 9 if local.hour < 14 else 19)  # sat 09-13, mon/wed 19-21


def by_window(plan: Plan) -> dict[Window, list[StudySession]]:
    zone = ZoneInfo(plan.timezone)
    windows: dict[Window, list[StudySession]] = {}
    for session in plan.sessions:
        windows.setdefault(window_of(session, zone), []).append(session)
    return {window: sorted(s, key=lambda s: s.start_utc) for window, s in windows.items()}


def test_a_review_never_cuts_a_topic_in_its_window_in_two(plans: tuple[Plan, Plan]) -> None:
    """Reviews sit at the edges of their window's topic time: the window's study
    sessions are one run, with reviews only before it or after it."""
    _, reviewed = plans
    for window, sessions in by_window(reviewed).items():
        kinds = "".join("R" if s.is_review else "S" for s in sessions)
        assert re.search("SR+S", kinds) is None, (window, kinds)
        assert len({s.topic for s in sessions if not s.is_review}) <= 1 or "R" not in kinds


def test_reviews_fill_the_idle_end_a_topic_leaves_in_a_window(plans: tuple[Plan, Plan]) -> None:
    """A topic that ends inside a window where the next cannot start (the rest is
    shorter than a session) leaves the rest idle: reviews due then move there and give
    their study time back elsewhere, also where no review sits at the window's start."""
    _, reviewed = plans
    idle_ends = [
        sessions
        for sessions in by_window(reviewed).values()
        if not sessions[0].is_review and sessions[-1].is_review
    ]
    assert idle_ends, "the example has topics ending inside windows with no review before"
    for sessions in idle_ends:
        study = [s for s in sessions if not s.is_review]
        tail = sessions[len(study) :]
        assert len({s.topic for s in study}) == 1
        assert all(review.start_utc >= study[-1].end_utc for review in tail)
        assert all(not review.late for review in tail)


def test_the_example_with_reviews_keeps_near_the_study_sessions_it_had(
    plans: tuple[Plan, Plan],
) -> None:
    """Reviews take a review's slots out of the windows they sit in: topics need more
    windows (each a session more) and, on windows cut shorter, change inside more of
    them. A guard against more than that: a quarter more study sessions (120 without
    reviews, 152 with them when this was written), not sessions cut in two."""
    without, reviewed = plans
    assert len(reviewed.study_sessions) <= 1.3 * len(without.study_sessions)
