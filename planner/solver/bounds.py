"""Lower bounds we compute ourselves, to say how good a plan is.

CP-SAT's own bound on the number of sessions is weak here and never proves optimality,
so the plan's gap is measured against `sessions_lower_bound`: the counting bounds below,
and where they fall short of the plan, the relaxation of `relaxation.py`.
"""

from __future__ import annotations

import math

from planner.arithmetic import ceil_div
from planner.solver.problem import SchedulingProblem
from planner.solver.relaxation import relaxation_bound
from planner.solver.score import finish_of, sessions_of


def capacity_bound(problem: SchedulingProblem) -> int:
    """Axis length the topics need at the very least: the sum of their slots (no plan can
    finish before the available time covers the total)."""
    return problem.needed_slots


def finish_bound(problem: SchedulingProblem, finish: int | None = None) -> int:
    """The earliest axis position any plan can finish at, in any order: the capacity
    bound, and the idle time the topic lengths force on the windows (`fit_bound.py`).

    `finish`: a plan's finish; at the capacity bound it needs no programme to prove."""
    if finish is not None and finish <= problem.needed_slots:
        return problem.needed_slots
    return problem.needed_slots + problem.least_idle


def sessions_lower_bound(
    problem: SchedulingProblem, makespan: int, enough: int | None = None
) -> int:
    """No plan that ends by axis position `makespan` has fewer sessions than this.

    `enough`: a plan's sessions (no bound can be higher); the relaxation is skipped when
    the counting bounds reach it and stops improving once it does.
    """
    bound = counting_bound(problem, makespan)
    if enough is not None and bound >= enough:
        return bound
    return max(bound, relaxation_bound(problem, makespan, enough))


def at_both_bounds(problem: SchedulingProblem, starts: list[int]) -> bool:
    """The plan finishes at our finish bound with the fewest sessions a plan finishing
    then can have: no plan, in any order, finishes sooner or with fewer sessions."""
    finish = finish_of(problem, starts)
    if finish != finish_bound(problem, finish):
        return False
    sessions = sessions_of(problem, starts)
    return sessions == sessions_lower_bound(problem, finish, enough=sessions)


def counting_bound(problem: SchedulingProblem, makespan: int) -> int:
    """A quick bound on the sessions of any plan that ends by axis position `makespan`.

    The strongest of:
    - topics: each topic needs ceil(slots / longest session) sessions;
    - time: all the hours need ceil(total / longest session) sessions;
    - windows (only when the plan leaves no available time unused, so every window up
      to the finish is full): a window makes at least ceil(length / longest session)
      sessions and at least one per topic in it, so sessions >= the windows' own
      sessions + the topic changes inside windows beyond what those sessions absorb.
      A change falls on a window edge only if the topics before it add up to a
      multiple of g, the gcd of the window lengths; topics whose length is not a
      multiple of g get back onto an edge only in groups of two or more, with residues
      adding up to at least g. That caps the changes that can be on edges.
    """
    longest = problem.max_slots
    per_topic = sum(ceil_div(duration, longest) for duration in problem.durations)
    bound = max(per_topic, ceil_div(problem.needed_slots, longest))
    if makespan == problem.needed_slots and problem.durations:
        sizes = _block_sizes_within(problem, makespan)
        window_sessions = [ceil_div(size, longest) for size in sizes]
        absorbed = sum(count - 1 for count in window_sessions)
        forced = _forced_changes_inside_blocks(problem, sizes)
        bound = max(bound, sum(window_sessions) + max(0, forced - absorbed))
    return bound


def _block_sizes_within(problem: SchedulingProblem, makespan: int) -> list[int]:
    """Sizes of the blocks that start before `makespan`, the last one cut at it."""
    axis = problem.axis
    sizes = []
    for offset, size in zip(axis.block_offsets, axis.block_slots, strict=True):
        if offset >= makespan:
            break
        sizes.append(min(size, makespan - offset))
    return sizes


def _forced_changes_inside_blocks(problem: SchedulingProblem, sizes: list[int]) -> int:
    edge_gcd = math.gcd(*sizes[:-1]) if len(sizes) > 1 else 0
    if edge_gcd <= 1:
        return 0 if edge_gcd == 1 else len(problem.durations) - 1
    residues = [duration % edge_gcd for duration in problem.durations]
    aligned_alone = residues.count(0)
    misaligned = len(residues) - aligned_alone
    groups_of_misaligned = min(sum(residues) // edge_gcd, misaligned // 2)
    changes_on_edges = min(len(residues) - 1, aligned_alone + groups_of_misaligned)
    return len(residues) - 1 - changes_on_edges
