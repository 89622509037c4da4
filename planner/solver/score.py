"""A plan's quality, in the priority order the planner promises: finish, then sessions,
then windows shared by two topics, then scraps, then inversions of the reference order.

Every stage of the solver ranks plans with this one tuple; a plan replaces another only
when its score is smaller. Because inversions come last, a reordering survives only if
it buys something on an earlier criterion.
"""

from __future__ import annotations

import itertools
from typing import NamedTuple

from planner.solver.order import inversions
from planner.solver.problem import SchedulingProblem


class Score(NamedTuple):
    """A plan's quality in priority order; smaller is better (compared as a tuple)."""

    finish: int  # axis position after the last slot: available time used, idle included
    sessions: int
    shared_windows: int
    scraps: int
    inversions: int


def score(problem: SchedulingProblem, starts: list[int]) -> Score:
    return Score(
        finish=finish_of(problem, starts),
        sessions=sessions_of(problem, starts),
        shared_windows=shared_windows(problem, starts),
        scraps=scraps_of(problem, starts),
        inversions=inversions(problem, starts),
    )


def finish_of(problem: SchedulingProblem, starts: list[int]) -> int:
    return max(
        (start + duration for start, duration in zip(starts, problem.durations, strict=True)),
        default=0,
    )


def idle_of(problem: SchedulingProblem, starts: list[int]) -> int:
    """Available slots the plan leaves unused before its finish (0: at the capacity bound)."""
    return finish_of(problem, starts) - problem.needed_slots


def shared_windows(problem: SchedulingProblem, starts: list[int]) -> int:
    """Topic changes inside a window: a topic that starts in the window where the topic
    before it ended."""
    block = problem.block_of_slot
    ends = sorted(
        (start, start + duration) for start, duration in zip(starts, problem.durations, strict=True)
    )
    return sum(
        1
        for (_, end), (start, _) in itertools.pairwise(ends)
        if end > 0 and block[start] == block[end - 1]
    )


def sessions_of(problem: SchedulingProblem, starts: list[int]) -> int:
    return sum(
        table.sessions[start] for table, start in zip(problem.start_tables, starts, strict=True)
    )


def scraps_of(problem: SchedulingProblem, starts: list[int]) -> int:
    """Topics whose last session is shorter than the minimum (a remainder)."""
    return sum(
        table.scraps[start] for table, start in zip(problem.start_tables, starts, strict=True)
    )
