"""The soft goals of a CP-SAT model, as weighted expressions the search minimizes."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ortools.sat.python import cp_model
else:  # the same module, imported without pandas (see cp_sat.py)
    from planner.solver.cp_sat import cp_model

from planner.solver.problem import SchedulingProblem
from planner.solver.variables import PlanVariables


def sessions_penalty(problem: SchedulingProblem, variables: PlanVariables) -> cp_model.LinearExpr:
    """Fewest sessions (each topic change inside a block costs one), then fewest scraps."""
    weight = len(problem.topic_ids) + 1
    return weight * cp_model.LinearExpr.sum(variables.sessions) + cp_model.LinearExpr.sum(
        variables.scraps
    )


def window_objective(
    problem: SchedulingProblem, variables: PlanVariables, compact: bool
) -> cp_model.LinearExprT:
    """The window's end (if `compact`), then its sessions penalty, as one weighted sum
    (the weight exceeds the largest change the penalty can make in this window).

    The order is not in it: a window's plan replaces the current one only when its
    `Score` (inversions last) is better, and the band polish after it undoes reorderings
    that buy nothing; proving the best order of even a small window costs CP-SAT ten
    times more here."""
    penalty_spread = 0
    for topic, (first, last) in zip(variables.topics, variables.ranges, strict=True):
        counts = problem.start_tables[topic].sessions[first : last + 1]
        penalty_spread += (len(problem.topic_ids) + 1) * (max(counts) - min(counts)) + 1
    penalty = sessions_penalty(problem, variables)
    return (penalty_spread + 1) * variables.finish + penalty if compact else penalty
