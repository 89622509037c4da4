"""Solve the study plan in priority order: (1) finish as early as the windows allow,
(2) fewest sessions, then scraps, (3) closest to the reference order.

The pipeline: a list schedule (the fallback and the reference order), a beam search (the
first good plan), then sweeps of CP-SAT over windows of the current plan: a few topics
that follow each other are re-sequenced optimally in the stretch of time they occupy,
while the rest stays. Each window solves to optimality in milliseconds, where the model
over the whole axis needs minutes; the sweeps stop when a whole sweep brings nothing.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from ortools.sat.python import cp_model
else:  # the same module, imported without pandas (see cp_sat.py)
    from planner.solver.cp_sat import cp_model

from planner.arithmetic import ceil_div
from planner.solver.beam import beam_schedule, fewest_sessions_before
from planner.solver.bounds import capacity_bound, sessions_lower_bound
from planner.solver.constraints import build_model
from planner.solver.list_schedule import list_schedule
from planner.solver.objective import window_objective
from planner.solver.problem import SchedulingProblem
from planner.solver.score import score, scraps_of, sessions_of, shared_windows
from planner.solver.settings import SolverSettings


@dataclass(frozen=True)
class SolveOutcome:
    starts: list[int]
    finish: int  # axis position after the last slot
    finish_lower_bound: int
    sessions: int
    sessions_lower_bound: int
    list_schedule_sessions: int
    sweeps: int
    seconds: float

    @property
    def status(self) -> Literal["OPTIMAL", "FEASIBLE"]:
        """OPTIMAL when our bounds prove both the finish and the session count."""
        proven = (self.finish, self.sessions) == (
            self.finish_lower_bound,
            self.sessions_lower_bound,
        )
        return "OPTIMAL" if proven else "FEASIBLE"


def solve(
    problem: SchedulingProblem,
    settings: SolverSettings | None = None,
    preferred: Sequence[list[int] | None] = (),
) -> SolveOutcome:
    """The best plan found within the settings' effort; never worse than the list schedule.

    Args:
        problem: topics and axis; the axis must hold the list schedule.
        settings: effort and determinism.
        preferred: plans to keep if they finish as early as the best plan found, the
            first that does (a re-plan's replays of the previous plan: among the plans
            that finish earliest, the closest to the previous one). The first of them is
            also the order the search stays close to; without them, the list schedule
            (the roadmap's order) is.

    Raises:
        ValueError: the axis is too short for the list schedule (the caller sizes it).
    """
    settings = settings or SolverSettings()
    clock = time.perf_counter()
    fallback = list_schedule(problem)
    if fallback is None:
        raise ValueError("the time axis is too short for the list schedule")
    preferred_plans = [plan for plan in preferred if plan is not None]
    reference = preferred_plans[0] if preferred_plans else fallback
    at_bound = _first_finishing_by(problem, preferred_plans, capacity_bound(problem))
    if at_bound is not None:  # nothing finishes sooner: keep it, search nothing
        return _outcome(problem, at_bound, fallback, sweeps=0, clock=clock)
    first_pass = beam_schedule(problem, reference, settings.beam_width)
    candidates = [fallback, first_pass]
    if (
        first_pass is not None
        and score(problem, first_pass, reference).finish == problem.needed_slots
    ):
        # As few sessions and shared windows, in an order closer to the reference.
        fewest = fewest_sessions_before(problem)[problem.needed_slots]
        extra = sessions_of(problem, first_pass) - fewest
        shared = shared_windows(problem, first_pass)
        candidates.append(
            beam_schedule(
                problem, reference, settings.beam_width, extra_budget=extra, shared_budget=shared
            )
        )
    best = min(
        (plan for plan in candidates if plan is not None),
        key=lambda plan: score(problem, plan, reference),
    )
    sweeps = 0
    kept = _first_finishing_by(problem, preferred_plans, score(problem, best, reference).finish)
    while kept is None and sweeps < settings.max_sweeps and not _meets_bounds(problem, best):
        sweeps += 1
        before = score(problem, best, reference)
        for offset in range(0, max(len(best) - settings.window_stride, 1), settings.window_stride):
            sequence = sorted(range(len(best)), key=best.__getitem__)
            window = sequence[offset : offset + settings.window_topics]
            best = _resequence(problem, best, reference, window, settings) or best
        if score(problem, best, reference) == before:
            break
        kept = _first_finishing_by(problem, preferred_plans, score(problem, best, reference).finish)
    return _outcome(problem, kept or best, fallback, sweeps=sweeps, clock=clock)


def _outcome(
    problem: SchedulingProblem, starts: list[int], fallback: list[int], *, sweeps: int, clock: float
) -> SolveOutcome:
    finish = score(problem, starts, starts).finish
    return SolveOutcome(
        starts=starts,
        finish=finish,
        finish_lower_bound=capacity_bound(problem),
        sessions=sessions_of(problem, starts),
        sessions_lower_bound=sessions_lower_bound(problem, finish),
        list_schedule_sessions=sessions_of(problem, fallback),
        sweeps=sweeps,
        seconds=time.perf_counter() - clock,
    )


def _resequence(
    problem: SchedulingProblem,
    current: list[int],
    reference: list[int],
    window: list[int],
    settings: SolverSettings,
) -> list[int] | None:
    """The best order of the `window` topics (consecutive in `current`) within the time
    they occupy, if it makes the whole plan better; the other topics stay where they are."""
    durations = problem.durations
    span_first = min(current[topic] for topic in window)
    span_last = max(current[topic] + durations[topic] for topic in window)
    current_score = score(problem, current, reference)
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
    return found if score(problem, found, reference) < current_score else None


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


def _first_finishing_by(
    problem: SchedulingProblem, plans: list[list[int]], finish: int
) -> list[int] | None:
    return next((plan for plan in plans if score(problem, plan, plan).finish <= finish), None)


def _meets_bounds(problem: SchedulingProblem, starts: list[int]) -> bool:
    """Finish and sessions at our lower bounds, and no scraps: nothing left to improve
    but the order, which the beam has already decided."""
    finish = score(problem, starts, starts).finish
    scraps = scraps_of(problem, starts)
    return (
        finish == capacity_bound(problem)
        and sessions_of(problem, starts) == sessions_lower_bound(problem, finish)
        and scraps == 0
    )
