"""A re-plan's second phase: the fewest sessions among the plans that finish on the day.

The search (`search.py`) finishes as early as it can to the minute, then uses the fewest
sessions at that finish. A re-plan ranks its plans by the learner's finish day, then
sessions (`planning.calm.replan_rank`): a plan that ends at 19:15 with 129 sessions is
better there than one that ends at 03:45 the same day with 130, and the minute-first
search never looks at it. This phase does, once the finish is known: with every finish
up to `latest_finish` (the end of that day on the axis, `TimeAxis.day_end`: the day the
finish moment falls on, as `replan_rank` reads it) allowed, it minimises the sessions,
then shared windows, scraps, inversions, and the finish last.

It reuses the exact band search (`band.best_in_band` with `value_first`: the slack is
the time to the day's end and any finish within it is as good): around the reference
order within the rule's band (the exact best plan of the roadmap and balanced modes),
and around the plan's own order in the polish bands, while that improves. First plans
do not run it: their finish is the spec's, to the minute.
"""

from __future__ import annotations

from planner.solver.band import Stretch, best_in_band
from planner.solver.order import OrderRule, inversions, keeps_band, study_sequence
from planner.solver.problem import SchedulingProblem
from planner.solver.score import finish_of, scraps_of, sessions_of, shared_windows
from planner.solver.settings import SolverSettings, out_of_time

DayScore = tuple[int, int, int, int, int]


def day_score(problem: SchedulingProblem, starts: list[int]) -> DayScore:
    """Sessions, shared windows, scraps, inversions, then the finish (smaller is better)."""
    return (
        sessions_of(problem, starts),
        shared_windows(problem, starts),
        scraps_of(problem, starts),
        inversions(problem, starts),
        finish_of(problem, starts),
    )


def fewest_sessions_by(
    problem: SchedulingProblem,
    starts: list[int],
    latest_finish: int,
    rule: OrderRule,
    settings: SolverSettings,
) -> list[int]:
    """`starts`, or a plan of the rule's orders that finishes by `latest_finish` with a
    better `day_score` (fewer sessions first); never a later finish than
    `latest_finish`, never a worse `day_score`."""
    best, best_score = starts, day_score(problem, starts)

    def better(found: list[int] | None) -> bool:
        nonlocal best, best_score
        if (
            found is None
            or finish_of(problem, found) > latest_finish
            or not keeps_band(problem, found, rule.band)
            or day_score(problem, found) >= best_score
        ):
            return False
        best, best_score = found, day_score(problem, found)
        return True

    slack = latest_finish - problem.needed_slots
    if slack < 0 or out_of_time():
        return starts
    around_reference = rule.band if rule.band is not None else rule.max_shift
    better(
        best_in_band(
            problem,
            Stretch(list(problem.reference_order), slack),
            around_reference,
            most_states=settings.band_states,
            value_first=True,
        )
    )
    if rule.band == 0:  # the roadmap order: the search above is exact
        return best
    for shift in settings.polish_shifts_for(len(problem.topic_ids)):
        for _round in range(settings.polish_rounds):
            if out_of_time():
                return best
            whole = Stretch(study_sequence(best), slack)
            found = best_in_band(
                problem, whole, shift, most_states=settings.band_states, value_first=True
            )
            if not better(found):
                break
    return best
