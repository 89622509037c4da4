"""The session bound (`bounds.py`, `relaxation.py`) against the fewest sessions that an
exhaustive search finds on small problems: never above it, and equal to it where the
counting bounds fall short (topics of whole hours in 2.5 h windows)."""

from __future__ import annotations

import math
from functools import cache

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from planner.solver.bounds import counting_bound, sessions_lower_bound
from planner.solver.order import OrderRule
from planner.solver.problem import SchedulingProblem
from planner.solver.relaxation import relaxation_bound
from planner.solver.search import solve
from tests.test_solver_units import problem_of


def fewest_sessions(problem: SchedulingProblem, makespan: int) -> float:
    """The fewest sessions of any plan that ends by `makespan`, in any order (no
    prerequisites), by trying every order and start; inf when no plan does."""
    lengths = sorted(set(problem.durations))
    table_of = dict(zip(problem.durations, problem.start_tables, strict=True))
    spare = makespan - problem.needed_slots

    @cache
    def fewest_from(position: int, left: tuple[int, ...], idle: int) -> float:
        if not any(left):
            return 0
        best = fewest_from(position + 1, left, idle + 1) if idle < spare else math.inf
        for k, length in enumerate(lengths):
            table = table_of[length]
            if left[k] and position < len(table.allowed) and table.allowed[position]:
                rest = (*left[:k], left[k] - 1, *left[k + 1 :])
                here = int(table.sessions[position])
                best = min(best, here + fewest_from(position + length, rest, idle))
        return best

    return fewest_from(0, tuple(problem.durations.count(length) for length in lengths), 0)


def test_whole_hour_topics_in_two_and_a_half_hour_windows() -> None:
    """Windows of 2.5, 2.5 and 3 h (5, 5, 6 slots) and topics of whole hours: every 2.5 h
    window that is full holds a topic change, so it makes two sessions. The counting
    bounds see 7 (six windows, or the topics alone); the fewest is 8, and the bound says so."""
    problem = problem_of([4, 4, 6, 8, 10], [5, 5, 6] * 3)
    finish = problem.needed_slots  # 32: two weeks of windows, no time left idle
    assert counting_bound(problem, finish) == 7
    assert fewest_sessions(problem, finish) == 8
    assert sessions_lower_bound(problem, finish) == 8
    assert solve(problem, OrderRule("free")).sessions == 8  # OPTIMAL, proven


def test_idle_time_is_priced_not_ignored() -> None:
    """Two idle slots let a plan of 4, 4 and 8 slots skip the changes inside the 2.5 h
    windows; without them the fewest is one more. The bound follows the finish."""
    problem = problem_of([4, 4, 8], [5, 5, 6, 5, 5])
    assert fewest_sessions(problem, 16) == sessions_lower_bound(problem, 16) == 5
    assert fewest_sessions(problem, 18) == sessions_lower_bound(problem, 18) == 4


def test_enough_stops_the_relaxation_at_the_plans_sessions() -> None:
    problem = problem_of([4, 4, 6, 8, 10], [5, 5, 6] * 3)
    assert relaxation_bound(problem, 32, enough=8) == 8
    assert sessions_lower_bound(problem, 32, enough=7) == 7  # the counting bounds suffice


@st.composite
def small_problems(draw: st.DrawFn) -> tuple[SchedulingProblem, int]:
    """A few topics on a few windows, and a finish some plan can reach."""
    max_slots = draw(st.integers(1, 6))
    min_slots = draw(st.integers(1, max_slots))
    durations = draw(st.lists(st.integers(1, 9), min_size=1, max_size=5))
    blocks = draw(st.lists(st.integers(min_slots, 9), min_size=1, max_size=9))
    problem = problem_of(durations, blocks, min_slots=min_slots, max_slots=max_slots)
    extra = draw(st.integers(0, 3))
    finish = problem.needed_slots + extra
    return problem, finish


@settings(
    max_examples=150,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
@given(small_problems())
def test_the_bound_is_never_above_the_fewest_sessions(case: tuple[SchedulingProblem, int]) -> None:
    problem, finish = case
    fewest = fewest_sessions(problem, finish) if finish <= problem.horizon else math.inf
    if fewest == math.inf:
        event("no plan ends by the finish")
        return
    bound = sessions_lower_bound(problem, finish)
    assert counting_bound(problem, finish) <= bound <= fewest
    assert sessions_lower_bound(problem, finish, enough=int(fewest)) <= fewest
    event("bound = fewest" if bound == fewest else "bound < fewest")


@st.composite
def small_plans(draw: st.DrawFn) -> SchedulingProblem:
    """A few topics with prerequisites on a week of windows repeated long enough for any
    order."""
    max_slots = draw(st.integers(1, 6))
    min_slots = draw(st.integers(1, max_slots))
    durations = draw(st.lists(st.integers(1, 9), min_size=1, max_size=6))
    week = draw(st.lists(st.integers(max(min_slots, 2), 8), min_size=1, max_size=4))
    weeks = -(-4 * sum(durations) // sum(week)) + 2
    predecessors = {
        topic: tuple(draw(st.sets(st.integers(0, topic - 1), max_size=2)))
        for topic in range(1, len(durations))
    }
    return problem_of(durations, week * weeks, predecessors, min_slots, max_slots)


@settings(
    max_examples=40,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(small_plans())
def test_every_plan_made_has_at_least_the_bound(problem: SchedulingProblem) -> None:
    """The plan of each order mode, with prerequisites, against the bound at its finish."""
    outcome = solve(problem, OrderRule("free"))
    for figures in (outcome.order, *outcome.alternatives):
        bound = sessions_lower_bound(problem, figures.finish)
        assert bound <= fewest_sessions(problem, figures.finish) <= figures.sessions
    assert outcome.sessions_lower_bound <= outcome.sessions
