"""CP-SAT over windows of the plan: a large-neighbourhood search in the cpsat-primer shape.

A window is a few topics that follow each other in the plan; CP-SAT re-sequences them
optimally in the stretch of time they occupy while the rest stays (`constraints.py`
builds the model, `objective.py` its objective: the window's end when the plan leaves
time idle, then sessions and scraps). CP-SAT over the whole axis stalls for minutes on
this problem; a window solves to optimality in milliseconds. A new plan replaces the
current one only if its `Score` is better, so a re-sequencing that buys nothing (more
inversions for the same sessions) is refused.

It runs after the band polish (`free_search.py`) on windows of `window_topics` topics,
which reach orders the band does not: a topic moving up to five places inside its
window where the band allows four. On the bench's profiles and the generated family it
has found nothing the polish had not (see bench/RESULTS.md); it stays as the check of
that wider neighbourhood.
"""

from __future__ import annotations

from planner.arithmetic import ceil_div
from planner.solver.bounds import at_both_bounds, finish_bound
from planner.solver.order import study_sequence
from planner.solver.problem import SchedulingProblem
from planner.solver.score import Score, score, scraps_of
from planner.solver.settings import SolverSettings, out_of_time, seconds_left


def sweep_windows(
    problem: SchedulingProblem, starts: list[int], settings: SolverSettings
) -> tuple[list[int], int]:
    """`starts` improved by CP-SAT window by window, sweep after sweep while a sweep
    improves it (at most `settings.max_sweeps`), and the number of sweeps."""
    best, sweeps = starts, 0
    while sweeps < settings.max_sweeps and not _meets_bounds(problem, best):
        sweeps += 1
        before = best_score = score(problem, best)
        stride = settings.window_stride
        for offset in range(0, max(len(best) - stride, 1), stride):
            if out_of_time():
                return best, sweeps
            window = study_sequence(best)[offset : offset + settings.window_topics]
            found = _resequence(problem, best, best_score, window, settings)
            if found is not None:
                best, best_score = found
        if best_score == before:
            break
    return best, sweeps


def _resequence(
    problem: SchedulingProblem,
    current: list[int],
    current_score: Score,
    window: list[int],
    settings: SolverSettings,
) -> tuple[list[int], Score] | None:
    """The best order of the `window` topics (consecutive in `current`) within the time
    they occupy and its score, if it makes the whole plan better; the other topics stay
    where they are."""
    durations = problem.durations
    span_first = min(current[topic] for topic in window)
    span_last = max(current[topic] + durations[topic] for topic in window)
    # Compacting a window moves idle time towards the end, where the finish can absorb it.
    compact = current_score.finish > finish_bound(problem, current_score.finish)
    if not compact and _cannot_improve(problem, current, window, span_first, span_last):
        return None
    # OR-Tools (about 80 MB and a third of a second) only once a window needs solving.
    from planner.solver.constraints import build_model
    from planner.solver.cp_sat import cp_model
    from planner.solver.objective import window_objective

    ranges = [(span_first, span_last - durations[topic]) for topic in window]
    model, variables = build_model(problem, window, ranges, latest_finish=span_last)
    model.minimize(window_objective(problem, variables, compact))
    for start, topic in zip(variables.starts, window, strict=True):
        model.add_hint(start, current[topic])
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.random_seed = settings.seed
    solver.parameters.max_deterministic_time = settings.work_per_window
    solver.parameters.max_time_in_seconds = seconds_left(settings.max_seconds_per_window)
    if solver.solve(model) not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None
    found = list(current)
    for start, topic in zip(variables.starts, window, strict=True):
        found[topic] = solver.value(start)
    found_score = score(problem, found)
    return (found, found_score) if found_score < current_score else None


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
    to improve but the order, which the band search takes care of."""
    return not scraps_of(problem, starts) and at_both_bounds(problem, starts)
