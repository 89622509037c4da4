"""Solve the study plan: the best plan within the order the learner allows.

The objective is the same in every mode, in priority order (`score.Score`): (1) finish
as early as the windows allow, (2) fewest sessions, (3) fewest windows shared by two
topics, (4) fewest scraps (a last session shorter than the minimum), (5) fewest
inversions of the reference order; and, where the caller says which axis positions end
on the same day, no inversion that only buys minutes on the finish day (`untangle.py`).
What the modes change is which orders are allowed (`order.OrderRule`):

- `roadmap`: the reference order exactly; `band.py` chooses the starts (band 0).
- `balanced`: every topic within `max_shift` places of it, and never a later finish or
  more sessions than the roadmap plan; `band.py` searches the band exactly from the
  roadmap plan's finish.
- `free`: any order the prerequisites allow; `free_search.py` starts from the balanced
  plan, so it is never worse than it.

The modes build on each other (roadmap -> balanced -> free), so the plans of the modes
before the learner's come for free; the others are solved too when the settings ask to
compare (the plan then says what its order costs), unless the learner's plan is at both
of our bounds (finish and sessions): then no order can finish sooner or with fewer
sessions, and the plan says so instead. A re-plan passes its replays of the previous
plan as `preferred`: the first that keeps the mode's order and is as good as the best
plan found on finish and then sessions wins (keeping costs the learner nothing). With
`SolverSettings.same_day_sessions` (re-plans), the finish counts by the learner's day:
after the search, the fewest sessions among the plans finishing on the same day
(`same_day.py`), and a preferred plan is as good when it finishes on that day or
earlier with no more sessions.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Literal

from planner.models.order import ORDER_MODES, OrderMode
from planner.solver.band import Stretch, best_in_band
from planner.solver.bounds import at_both_bounds, finish_bound, sessions_lower_bound
from planner.solver.free_search import free_search
from planner.solver.list_schedule import list_schedule, replay_schedule
from planner.solver.order import OrderRule, inversions, keeps_band, largest_shift
from planner.solver.problem import SchedulingProblem
from planner.solver.same_day import fewest_sessions_by
from planner.solver.score import finish_of, idle_of, score, sessions_of
from planner.solver.settings import SolverSettings, out_of_time
from planner.solver.untangle import untangle


@dataclass(frozen=True)
class OrderFigures:
    """What one mode's plan gives: its finish (axis position), sessions and order."""

    mode: OrderMode
    finish: int
    sessions: int
    inversions: int
    largest_shift: int

    @classmethod
    def of(cls, problem: SchedulingProblem, mode: OrderMode, starts: list[int]) -> OrderFigures:
        return cls(
            mode=mode,
            finish=finish_of(problem, starts),
            sessions=sessions_of(problem, starts),
            inversions=inversions(problem, starts),
            largest_shift=largest_shift(problem, starts),
        )


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
    order: OrderFigures  # the plan's own
    alternatives: tuple[OrderFigures, ...]  # the other modes' plans, when compared
    # When comparing: the modes left unsolved because the plan is at both bounds.
    unbeatable_by: tuple[OrderMode, ...] = ()

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
    rule: OrderRule | None = None,
    settings: SolverSettings | None = None,
    preferred: Sequence[list[int] | None] = (),
    day_end: Callable[[int], int] | None = None,
) -> SolveOutcome:
    """The best plan within `rule`, found within the settings' effort.

    Args:
        problem: topics and axis; the axis must hold the list schedule and the roadmap
            order packed from the start (the caller sizes it).
        rule: the orders allowed (default: balanced, 3 places).
        settings: effort, determinism, and whether to solve the other modes too.
        preferred: plans to keep if they keep `rule` and are as good as the best plan
            found on finish, then sessions; the first that is (a re-plan's replays of
            the previous plan, the most stable first).
        day_end: the latest axis position on the learner's day that a finish position
            falls on; given, the balanced and free plans keep no inversion that only
            buys time on their finish day (`untangle.py`). Not in a re-plan (any
            `preferred` given): there the tie-break is the previous plan.

    Raises:
        ValueError: the axis is too short for the roadmap order.
    """
    rule = rule or OrderRule()
    settings = settings or SolverSettings()
    clock = time.perf_counter()
    given = problem.list_schedule_starts
    fallback = list(given) if given is not None else list_schedule(problem)
    keepable = [
        plan for plan in preferred if plan is not None and keeps_band(problem, plan, rule.band)
    ]
    # A preferred plan at both bounds: no order finishes sooner or with fewer sessions.
    unbeatable = next((plan for plan in keepable if at_both_bounds(problem, plan)), None)
    if unbeatable is not None and not settings.compare_orders:
        return _outcome(problem, rule, unbeatable, {}, fallback, sweeps=0, clock=clock)
    # A re-plan (it passes its replays of the previous plan, even when none fits) breaks
    # ties by staying as it was, not by the reference order: no untangling there.
    plans, sweeps = _plans_by_mode(
        problem, rule, settings, fallback, None if preferred else day_end
    )
    stopped = out_of_time()
    # Stopped at the deadline (`search_until`) before the rule's mode: the plan of the
    # last mode solved, whose order every later mode allows (roadmap -> balanced -> free).
    best = plans.get(rule.mode) or plans[list(plans)[-1]]
    finish_day = day_end if settings.same_day_sessions else None
    if finish_day is not None and not stopped:
        best = fewest_sessions_by(
            problem, best, finish_day(finish_of(problem, best)), rule, settings
        )
    kept = _first_as_good(problem, keepable, best, finish_day)
    # When comparing, a mode is left unsolved only when it cannot beat the plan.
    unbeatable_by = [] if stopped else [mode for mode in ORDER_MODES if mode not in plans]
    return _outcome(
        problem,
        rule,
        kept or best,
        plans,
        fallback,
        sweeps=sweeps,
        clock=clock,
        unbeatable_by=unbeatable_by if settings.compare_orders else (),
    )


def _plans_by_mode(
    problem: SchedulingProblem,
    rule: OrderRule,
    settings: SolverSettings,
    fallback: list[int] | None,
    day_end: Callable[[int], int] | None,
) -> tuple[dict[OrderMode, list[int]], int]:
    """The best plan of the rule's mode and of the modes it builds on; of the later
    modes too when the settings ask to compare, unless the rule's plan is at both bounds.
    Also the CP-SAT sweeps the free search took. With `day_end`, the balanced and free
    plans keep no inversion that buys nothing on the finish day (`_untangled`)."""

    at_bounds: list[bool] = []  # the rule's plan checked once (the bound can take a while)

    def enough() -> bool:
        if rule.mode not in plans or not settings.compare_orders:
            return rule.mode in plans
        if not at_bounds:
            at_bounds.append(at_both_bounds(problem, plans[rule.mode]))
        return at_bounds[0]

    reference = list(problem.reference_order)
    packed = replay_schedule(problem, reference, [None] * len(reference))
    if packed is None:
        raise ValueError("the time axis is too short for the roadmap order")
    plans: dict[OrderMode, list[int]] = {"roadmap": packed}
    if out_of_time():  # `search_until`: keep what there is
        return plans, 0
    roadmap = best_in_band(problem, Stretch(reference, idle_of(problem, packed)), 0)
    if roadmap is not None and score(problem, roadmap) <= score(problem, packed):
        plans["roadmap"] = roadmap
    if enough() or out_of_time():
        return plans, 0
    balanced = _balanced(problem, plans["roadmap"], rule.max_shift, settings)
    plans["balanced"] = _untangled(problem, balanced, plans["roadmap"], day_end, rule.max_shift)
    if enough() or out_of_time():
        return plans, 0
    free, sweeps = free_search(problem, plans["balanced"], fallback, settings)
    plans["free"] = _untangled(problem, free, plans["balanced"], day_end, None)
    return plans, sweeps


def _untangled(
    problem: SchedulingProblem,
    starts: list[int],
    before: list[int],
    day_end: Callable[[int], int] | None,
    band: int | None,
) -> list[int]:
    """`starts` without the inversions that buy nothing a learner sees (`untangle.py`):
    no later finish day, no more sessions, shared windows or scraps; and still no worse
    than `before`, the plan of the mode it builds on (finish, then sessions), within
    `band` places."""
    if day_end is None or out_of_time():
        return starts
    # More sessions than `before`: it beats `before` on the finish alone, and must go on.
    beats_by_finish = sessions_of(problem, starts) > sessions_of(problem, before)
    latest = min(day_end(finish_of(problem, starts)), finish_of(problem, before) - beats_by_finish)
    return untangle(problem, starts, latest, band)


def _balanced(
    problem: SchedulingProblem, roadmap: list[int], max_shift: int, settings: SolverSettings
) -> list[int]:
    """The best plan within `max_shift` places of the reference order that finishes no
    later and has no more sessions than the roadmap plan (which is one of them)."""
    found = best_in_band(
        problem,
        Stretch(list(problem.reference_order), idle_of(problem, roadmap)),
        max_shift,
        most_sessions=sessions_of(problem, roadmap),
        most_states=settings.band_states,
    )
    # Beyond `band_states` the band search is a beam and could miss the roadmap plan.
    if found is None or score(problem, roadmap) < score(problem, found):
        return roadmap
    return found


def _outcome(
    problem: SchedulingProblem,
    rule: OrderRule,
    starts: list[int],
    plans: dict[OrderMode, list[int]],
    fallback: list[int] | None,
    *,
    sweeps: int,
    clock: float,
    unbeatable_by: Sequence[OrderMode] = (),
) -> SolveOutcome:
    finish, sessions = finish_of(problem, starts), sessions_of(problem, starts)
    return SolveOutcome(
        starts=starts,
        finish=finish,
        finish_lower_bound=finish_bound(problem, finish),
        sessions=sessions,
        sessions_lower_bound=sessions_lower_bound(problem, finish, enough=sessions),
        list_schedule_sessions=sessions_of(problem, fallback or starts),
        sweeps=sweeps,
        seconds=time.perf_counter() - clock,
        order=OrderFigures.of(problem, rule.mode, starts),
        alternatives=tuple(
            OrderFigures.of(problem, mode, plan)
            for mode, plan in plans.items()
            if mode != rule.mode
        ),
        unbeatable_by=tuple(unbeatable_by),
    )


def _first_as_good(
    problem: SchedulingProblem,
    plans: list[list[int]],
    best: list[int],
    finish_day: Callable[[int], int] | None = None,
) -> list[int] | None:
    """The first of `plans` that finishes and uses sessions no worse than `best` (finish
    first; with `finish_day`, the finish's day): what a re-plan keeps of the previous
    plan costs the learner nothing."""

    def cost(plan: list[int]) -> tuple[int, int]:
        finish = finish_of(problem, plan)
        return finish_day(finish) if finish_day else finish, sessions_of(problem, plan)

    return next((plan for plan in plans if cost(plan) <= cost(best)), None)
