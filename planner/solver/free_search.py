"""The `free` plan: any order the prerequisites allow, searched from the balanced plan.

Three steps, each never worse than its input (in `Score` order):

1. a beam search over study orders (`beam.py`), two passes: the first ranks by the plan's
   priorities, the second keeps to the sessions the first needed and stays close to the
   balanced plan; the balanced plan and the list schedule are candidates too;
2. sweeps of CP-SAT over windows of the current plan: a few topics that follow each
   other are re-sequenced optimally in the stretch of time they occupy, while the rest
   stays (a large-neighbourhood search). CP-SAT over the whole axis stalls for minutes on
   this problem; each window solves to optimality in milliseconds. The window model
   minimises the finish and the sessions (then scraps), not the order: proving the best
   order of even a small window costs CP-SAT ten times more, and step 3 does it better;
3. polish: the exact band search (`band.py`) around the plan's own order, repeated
   while it improves. It keeps the finish, the sessions, the shared windows and the
   scraps (or improves them) and undoes every reordering within the band that buys
   nothing, so the inversions that survive are the ones that pay for something.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ortools.sat.python import cp_model
else:  # the same module, imported without pandas (see cp_sat.py)
    from planner.solver.cp_sat import cp_model

from planner.arithmetic import ceil_div
from planner.solver.band import Stretch, best_in_band
from planner.solver.beam import beam_schedule
from planner.solver.bounds import capacity_bound, sessions_lower_bound
from planner.solver.constraints import build_model
from planner.solver.objective import window_objective
from planner.solver.order import study_sequence
from planner.solver.problem import SchedulingProblem
from planner.solver.score import (
    finish_of,
    idle_of,
    score,
    scraps_of,
    sessions_of,
    shared_windows,
)
from planner.solver.settings import SolverSettings


def free_search(
    problem: SchedulingProblem,
    seed: list[int],
    list_schedule: list[int] | None,
    settings: SolverSettings,
) -> tuple[list[int], int]:
    """The best plan found in any order, never worse than `seed` or `list_schedule`,
    and the number of CP-SAT sweeps it took."""
    candidates = [seed, list_schedule, beam_schedule(problem, seed, settings.beam_width)]
    first_pass = candidates[-1]
    if first_pass is not None and idle_of(problem, first_pass) == 0:
        # As few sessions and shared windows, in an order closer to the seed's.
        fewest = problem.fewest_sessions[problem.needed_slots]
        candidates.append(
            beam_schedule(
                problem,
                seed,
                settings.beam_width,
                extra_budget=sessions_of(problem, first_pass) - fewest,
                shared_budget=shared_windows(problem, first_pass),
            )
        )
    best = min((plan for plan in candidates if plan is not None), key=lambda p: score(problem, p))
    best = polish(problem, best, settings)
    sweeps = 0
    while sweeps < settings.max_sweeps and not _meets_bounds(problem, best):
        sweeps += 1
        before = score(problem, best)
        for offset in range(0, max(len(best) - settings.window_stride, 1), settings.window_stride):
            window = study_sequence(best)[offset : offset + settings.window_topics]
            best = _resequence(problem, best, window, settings) or best
        if score(problem, best) == before:
            break
        best = polish(problem, best, settings)
    return best, sweeps


def polish(problem: SchedulingProblem, starts: list[int], settings: SolverSettings) -> list[int]:
    """The exact band search around the plan's own order, while it finds a better plan:
    first in the narrow band (cheap, it does most of the work), then in the wider ones.

    A round over the whole plan changes a few places; the next improvements are where
    those changes opened room, so the rounds that follow search only stretches around
    what changed (the topics on either side stay), and a whole round again once those
    find nothing. The polish ends when a whole round finds nothing: then no reordering
    within the band improves the plan."""
    for shift in settings.polish_shifts:
        for _round in range(settings.polish_rounds):
            whole = Stretch(study_sequence(starts), idle_of(problem, starts))
            found = best_in_band(problem, whole, shift, most_states=settings.band_states)
            if found is None or score(problem, found) >= score(problem, starts):
                break
            starts = _follow_changes(problem, starts, found, shift, settings)
    return starts


def _follow_changes(
    problem: SchedulingProblem,
    before: list[int],
    after: list[int],
    shift: int,
    settings: SolverSettings,
) -> list[int]:
    """`after`, improved by band searches over stretches around what changed since
    `before`, for as long as they find something."""
    for _round in range(settings.polish_rounds):
        current, current_score = after, score(problem, after)
        for stretch in _stretches_around_changes(problem, before, after, margin=shift):
            found = best_in_band(problem, stretch, shift, most_states=settings.band_states)
            if found is None or all(found[t] == current[t] for t in stretch.order):
                continue
            merged = list(current)
            for topic in stretch.order:
                merged[topic] = found[topic]
            if score(problem, merged) < current_score:
                current, current_score = merged, score(problem, merged)
        if current == after:
            break
        before, after = after, current
    return after


def _stretches_around_changes(
    problem: SchedulingProblem, before: list[int], after: list[int], margin: int
) -> list[Stretch]:
    """Stretches of `after`'s order covering every topic whose start changed since
    `before`, `margin` places either side, with the topics around them fixed."""
    sequence = study_sequence(after)
    changed = [at for at, topic in enumerate(sequence) if before[topic] != after[topic]]
    ranges: list[list[int]] = []
    for at in changed:
        first, last = max(at - margin, 0), min(at + margin + 1, len(sequence))
        if ranges and first <= ranges[-1][1]:
            ranges[-1][1] = max(ranges[-1][1], last)
        else:
            ranges.append([first, last])
    stretches = []
    durations = problem.durations
    finish = finish_of(problem, after)
    for first, last in ranges:
        topics = sequence[first:last]
        first_start = after[sequence[first - 1]] + durations[sequence[first - 1]] if first else 0
        next_start = after[sequence[last]] if last < len(sequence) else None
        room = (finish if next_start is None else next_start) - first_start
        slack = room - sum(durations[topic] for topic in topics)
        stretches.append(Stretch(topics, slack, first_start, next_start))
    return stretches


def _resequence(
    problem: SchedulingProblem, current: list[int], window: list[int], settings: SolverSettings
) -> list[int] | None:
    """The best order of the `window` topics (consecutive in `current`) within the time
    they occupy, if it makes the whole plan better; the other topics stay where they are."""
    durations = problem.durations
    span_first = min(current[topic] for topic in window)
    span_last = max(current[topic] + durations[topic] for topic in window)
    current_score = score(problem, current)
    # Compacting a window moves idle time towards the end, where the finish can absorb it.
    compact = current_score.finish > capacity_bound(problem)
    if not compact and _cannot_improve(problem, current, window, span_first, span_last):
        return None
    ranges = [(span_first, span_last - durations[topic]) for topic in window]
    model, variables = build_model(problem, window, ranges, latest_finish=span_last)
    model.minimize(window_objective(problem, variables, compact))
    for start, topic in zip(variables.starts, window, strict=True):
        model.add_hint(start, current[topic])
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.random_seed = settings.seed
    solver.parameters.max_deterministic_time = settings.work_per_window
    solver.parameters.max_time_in_seconds = settings.max_seconds_per_window
    if solver.solve(model) not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None
    found = list(current)
    for start, topic in zip(variables.starts, window, strict=True):
        found[topic] = solver.value(start)
    return found if score(problem, found) < current_score else None


def _cannot_improve(
    problem: SchedulingProblem, starts: list[int], window: list[int], first: int, last: int
) -> bool:
    """True when the window's topics already make no scrap and only the sessions that
    covering [first, last) needs anyway: no order of them can do better."""
    tables = problem.start_tables
    if any(tables[topic].scraps[starts[topic]] for topic in window):
        return False
    sessions = sum(int(tables[topic].sessions[starts[topic]]) for topic in window)
    axis, longest, needed = problem.axis, problem.max_slots, 0
    for offset, size in zip(axis.block_offsets, axis.block_slots, strict=True):
        overlap = min(offset + size, last) - max(offset, first)
        if overlap > 0:
            needed += ceil_div(overlap, longest)
    return sessions <= needed


def _meets_bounds(problem: SchedulingProblem, starts: list[int]) -> bool:
    """Finish and sessions at our lower bounds, and no scraps: nothing left for CP-SAT
    to improve but the order, which the polish takes care of."""
    return (
        idle_of(problem, starts) == 0
        and sessions_of(problem, starts) == sessions_lower_bound(problem, problem.needed_slots)
        and scraps_of(problem, starts) == 0
    )
