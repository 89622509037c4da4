"""A finish bound that sees how topic lengths fit the windows: the least idle time.

The capacity bound (`bounds.capacity_bound`) says when the available time could hold
the hours at all. On sparse weeks it is loose: with one 90-minute window a week and
topics of whole hours, a topic that leaves 30 minutes of a window cannot hand them to
the next one (its first session would be below the minimum), so the slot stays idle,
and no order avoids all of it. On the bundled roadmap with one Saturday window in
Auckland, every plan in any order leaves at least 8 slots idle: the capacity bound was
2.7 weeks too early, and the best plan looked FEASIBLE where it is the earliest there is.

The bound is the linear programme of the path relaxation of `relaxation.py` with idle
time as the cost: a unit of flow from axis position 0 to an end at or before the axis
end, along topic arcs (a topic length at one of its allowed starts) and idle arcs (one
slot), using exactly as many arcs of each length as there are topics of that length.
Every plan is such a path (prerequisites and which topic of a length goes where are
dropped), so the programme's least idle, rounded up, is a proven bound for any order.
GLOP (OR-Tools' LP solver) solves it in tens of milliseconds on the bundled roadmap; it
is deterministic. Above `MOST_ARCS` arcs the bound is not computed (0: the capacity
bound alone), a limit in work, not seconds.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from planner.solver.start_tables import StartTable

MOST_ARCS = 50_000  # about 2 s of GLOP on one core; 240,000 took 27 s
_TOLERANCE = 1e-4  # an LP optimum of 7.9999 is 8 idle slots (never round a bound up)


def least_idle_slots(durations: Sequence[int], tables: Sequence[StartTable], horizon: int) -> int:
    """A lower bound on the available slots any plan of these topics leaves idle before
    its finish, on an axis of `horizon` slots (0 when every plan could have none, when
    the axis cannot hold the topics, or when the programme would be too large)."""
    needed = sum(durations)
    if not durations or horizon <= needed:
        return 0
    table_of = dict(zip(durations, tables, strict=True))
    starts_of = {
        length: [
            start
            for start in range(min(horizon - length, len(table.allowed) - 1) + 1)
            if table.allowed[start]
        ]
        for length, table in table_of.items()
    }
    if sum(len(starts) for starts in starts_of.values()) + 2 * horizon > MOST_ARCS:
        return 0
    # OR-Tools' LP solver only when there is idle time to bound.
    from ortools.linear_solver import pywraplp

    solver = pywraplp.Solver.CreateSolver("GLOP")
    # Flow conservation at each position: what arrives (1 at the source) = what leaves.
    balance = [solver.Constraint(0, 0) for _ in range(horizon + 1)]
    balance[0].SetBounds(-1, -1)
    objective = solver.Objective()
    for position in range(horizon):  # an idle slot: position -> position + 1
        idle = solver.NumVar(0, 1, "")
        balance[position].SetCoefficient(idle, -1)
        balance[position + 1].SetCoefficient(idle, 1)
        objective.SetCoefficient(idle, 1)
    for end in range(needed, horizon + 1):  # the plan's finish
        finish = solver.NumVar(0, 1, "")
        balance[end].SetCoefficient(finish, -1)
    counts = Counter(durations)
    for length, starts in starts_of.items():
        count = solver.Constraint(counts[length], counts[length])
        for start in starts:
            topic = solver.NumVar(0, 1, "")
            balance[start].SetCoefficient(topic, -1)
            balance[start + length].SetCoefficient(topic, 1)
            count.SetCoefficient(topic, 1)
    objective.SetMinimization()
    if solver.Solve() != pywraplp.Solver.OPTIMAL:
        return 0  # no path: every number is a bound, and 0 claims nothing
    return max(0, _ceil(objective.Value()))


def _ceil(value: float) -> int:
    whole = int(value)
    return whole + (value - whole > _TOLERANCE)
