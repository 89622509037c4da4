"""A plan's quality, in the priority order the planner promises: finish, then sessions
(and scraps), then windows shared by two topics, then distance from the reference."""

from __future__ import annotations

import itertools
from typing import NamedTuple

from planner.solver.problem import SchedulingProblem


class Score(NamedTuple):
    """A plan's quality in priority order; smaller is better (compared as a tuple)."""

    finish: int
    sessions_penalty: int
    shared_windows: int
    moved: int


def score(problem: SchedulingProblem, starts: list[int], reference: list[int]) -> Score:
    finish = max(
        (start + duration for start, duration in zip(starts, problem.durations, strict=True)),
        default=0,
    )
    scraps = scraps_of(problem, starts)
    return Score(
        finish=finish,
        sessions_penalty=(len(starts) + 1) * sessions_of(problem, starts) + scraps,
        shared_windows=shared_windows(problem, starts),
        moved=sum(abs(start - ref) for start, ref in zip(starts, reference, strict=True)),
    )


def shared_windows(problem: SchedulingProblem, starts: list[int]) -> int:
    """Topic changes inside a window: a topic that starts in the window where the topic
    before it ended."""
    axis = problem.axis
    ends = sorted(
        (start, start + duration) for start, duration in zip(starts, problem.durations, strict=True)
    )
    return sum(
        1
        for (_, end), (start, _) in itertools.pairwise(ends)
        if end > 0 and axis.block_of(start) == axis.block_of(end - 1)
    )


def sessions_of(problem: SchedulingProblem, starts: list[int]) -> int:
    return sum(
        int(table.sessions[start])
        for table, start in zip(problem.start_tables, starts, strict=True)
    )


def scraps_of(problem: SchedulingProblem, starts: list[int]) -> int:
    """Topics whose last session is shorter than the minimum (a remainder)."""
    return sum(
        int(table.scraps[start]) for table, start in zip(problem.start_tables, starts, strict=True)
    )
