"""A re-plan's second phase (`solver/same_day.py`): once the finish is found, the fewest
sessions among the plans finishing on the same local day, never past its midnight."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from planner.models.profile import SessionRules
from planner.solver.order import OrderRule
from planner.solver.problem import SchedulingProblem
from planner.solver.search import solve
from planner.solver.settings import SolverSettings
from planner.timeline.axis import TimeAxis

LOS_ANGELES = ZoneInfo("America/Los_Angeles")
REPLAN = SolverSettings(compare_orders=False, same_day_sessions=True)


def evening_problem(second_window_at: str) -> SchedulingProblem:
    """A 90-minute window at 19:00, then a 2-hour one the next day at `second_window_at`
    (Los Angeles, 30-minute slots, sessions of 30 minutes to 3 hours); a 30-minute topic
    before a 2-hour one. Finishing earliest (after the 2-hour topic's first hour in the
    second window) splits it over both windows: 3 sessions; waiting for the second
    window takes it in one: 2 sessions, an hour later."""
    first = datetime(2027, 3, 15, 19, tzinfo=LOS_ANGELES)
    hour, minute = map(int, second_window_at.split(":"))
    second = datetime(2027, 3, 16, hour, minute, tzinfo=LOS_ANGELES)
    axis = TimeAxis(
        slot=timedelta(minutes=30),
        block_starts=(first, second),
        block_slots=(3, 4),
        block_offsets=(0, 3),
    )
    return SchedulingProblem(
        topic_ids=("short", "long"),
        durations=(1, 4),
        predecessors=((), ()),
        reference_order=(0, 1),
        axis=axis,
        rules=SessionRules(min_minutes=30, max_minutes=180, slot_minutes=30),
    )


def day_end_in(problem: SchedulingProblem, zone: ZoneInfo) -> Callable[[int], int]:
    return lambda finish: problem.axis.day_end(finish, zone)


def test_a_replan_finishes_later_the_same_evening_for_a_session_less() -> None:
    """The second window 21:30-23:30: finishing at 23:30 instead of 22:30 saves one."""
    problem = evening_problem("21:30")
    day_end = day_end_in(problem, LOS_ANGELES)
    first_plan = solve(problem, OrderRule("free"), SolverSettings(), day_end=day_end)
    assert (first_plan.finish, first_plan.sessions) == (5, 3)  # 22:30, the spec's finish
    replanned = solve(problem, OrderRule("free"), REPLAN, preferred=[None], day_end=day_end)
    assert (replanned.finish, replanned.sessions) == (7, 2)
    assert problem.axis.slot_end(replanned.finish - 1).astimezone(LOS_ANGELES).hour == 23


def test_a_replan_does_not_cross_midnight_for_a_session_less() -> None:
    """The second window 22:30-00:30: the plan with a session less ends at 00:30, the
    next day; the re-plan keeps the finish at 23:30 (midnight itself is the next day)."""
    problem = evening_problem("22:30")
    day_end = day_end_in(problem, LOS_ANGELES)
    replanned = solve(problem, OrderRule("free"), REPLAN, preferred=[None], day_end=day_end)
    assert (replanned.finish, replanned.sessions) == (5, 3)
