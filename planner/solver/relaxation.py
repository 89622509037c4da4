"""A session bound that sees how topic lengths fit window lengths: a Lagrangian relaxation.

Every plan that finishes by axis position `makespan` is a path along the axis from 0:
each topic is an arc from its start to its end, costing the sessions it makes there
(its start table), and each idle slot an arc of length 1. The path has exactly n_d arcs
of each topic length d and at most `makespan - needed_slots` idle slots. Dropping the
prerequisites and which topic of a length goes where leaves a shortest-path problem,
and the counts are moved into the objective with a price per length (lambda_d) and per
idle slot (mu >= 0):

    L = min over paths [sum of (sessions - lambda_d) + mu * idle]
        + sum_d lambda_d * n_d - mu * allowed_idle

For a real plan the priced terms add up to mu * (idle - allowed_idle) <= 0, so its
sessions are at least L, and so are the fewest sessions of any plan: any prices give a
proven bound. The prices only make it tighter; they are improved by subgradient steps
(a length the shortest path uses too often gets cheaper to leave out). Integer prices
(sessions scaled by `_SCALE`) keep the arithmetic exact and the result deterministic.

It sees what the counting bounds in `bounds.py` do not: that topics of whole hours
cannot fill a 2.5 h window without a second session in it, and what idle time before
the finish can buy. On the bundled roadmap's bench profiles it comes within one session
of the linear programme it relaxes (solved with an LP solver while it was written).
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass

from planner.solver.problem import SchedulingProblem

_SCALE = 1 << 10  # one session, in price units
# Subgradient steps (each one shortest path along the axis): up to _ROUNDS, fewer on long
# axes (within _WORK arcs in all, at least _FEW_ROUNDS), a limit in work, not seconds.
# Long axes reach their best bound in a few steps; the bundled roadmap's needs up to 40.
_ROUNDS, _FEW_ROUNDS, _WORK = 40, 10, 400_000
_PATIENCE = 3  # steps without a better bound before the step size halves


@dataclass(frozen=True)
class _Arcs:
    """The path problem: per axis position, the topic arcs leaving it as
    (end, scaled sessions, length class); the count of topics of each class."""

    leaving: list[list[tuple[int, int, int]]]
    counts: list[int]
    cheapest: list[int]  # per class, the fewest scaled sessions of any start
    allowed_idle: int
    needed: int

    @property
    def total(self) -> int:
        return sum(len(leaving) for leaving in self.leaving)


def relaxation_bound(problem: SchedulingProblem, makespan: int, enough: int | None = None) -> int:
    """A proven lower bound on the sessions of any plan of `problem` finishing by axis
    position `makespan`; it stops improving once it reaches `enough` (a plan's sessions:
    no bound can be higher). When no plan finishes by `makespan` any number is such a
    bound, so the result means nothing then (0 if not even the relaxation has a path)."""
    if not problem.durations or makespan < problem.needed_slots:
        return 0
    arcs = _arcs(problem, makespan)
    prices = list(arcs.cheapest)  # the counting bound's prices: each topic at its best
    idle_price, step, stalled = 0, float(_SCALE), 0
    best = -math.inf
    rounds = max(_FEW_ROUNDS, min(_ROUNDS, _WORK // max(arcs.total, 1)))
    for _ in range(rounds):
        path = _shortest_path(arcs, prices, idle_price)
        if path is None:
            return 0
        value, used, idle = path
        bound = value + sum(p * n for p, n in zip(prices, arcs.counts, strict=True))
        bound -= idle_price * arcs.allowed_idle
        stalled = 0 if bound > best else stalled + 1
        best = max(best, bound)
        if enough is not None and -(-best // _SCALE) >= enough:
            break
        excess = [n - u for n, u in zip(arcs.counts, used, strict=True)]
        idle_excess = idle - arcs.allowed_idle
        norm = math.sqrt(sum(e * e for e in excess) + idle_excess * idle_excess)
        if norm == 0:  # the path keeps every count: it is the relaxation's optimum
            break
        if stalled >= _PATIENCE:
            step, stalled = step / 2, 0
        moved = [p + round(step * e / norm) for p, e in zip(prices, excess, strict=True)]
        moved_idle = max(0, idle_price + round(step * idle_excess / norm))
        if (moved, moved_idle) == (prices, idle_price):  # steps below one price unit
            break
        prices, idle_price = moved, moved_idle
    return int(-(-best // _SCALE))


def _arcs(problem: SchedulingProblem, makespan: int) -> _Arcs:
    lengths = sorted(set(problem.durations))
    table_of = dict(zip(problem.durations, problem.start_tables, strict=True))
    leaving: list[list[tuple[int, int, int]]] = [[] for _ in range(makespan + 1)]
    cheapest = []
    for k, length in enumerate(lengths):
        table = table_of[length]
        last_start = min(makespan - length, len(table.allowed) - 1)
        starts = [start for start in range(last_start + 1) if table.allowed[start]]
        sessions = table.sessions
        for start in starts:
            leaving[start].append((start + length, sessions[start] * _SCALE, k))
        cheapest.append(min((sessions[start] * _SCALE for start in starts), default=0))
    count_of = Counter(problem.durations)
    return _Arcs(
        leaving=leaving,
        counts=[count_of[length] for length in lengths],
        cheapest=cheapest,
        allowed_idle=makespan - problem.needed_slots,
        needed=problem.needed_slots,
    )


def _shortest_path(
    arcs: _Arcs, prices: list[int], idle_price: int
) -> tuple[int, list[int], int] | None:
    """The cheapest path from 0 to an end in [needed, makespan] at these prices: its
    priced cost, the arcs of each class it uses, its idle slots (None: no path)."""
    last = len(arcs.leaving) - 1
    cost: list[float] = [math.inf] * (last + 1)
    via: list[tuple[int, int]] = [(-1, -1)] * (last + 1)  # (from, class; -1: idle)
    cost[0] = 0
    for position in range(last):
        here = cost[position]
        if here == math.inf:
            continue
        if here + idle_price < cost[position + 1]:
            cost[position + 1], via[position + 1] = here + idle_price, (position, -1)
        for end, sessions, k in arcs.leaving[position]:
            priced = here + sessions - prices[k]
            if priced < cost[end]:
                cost[end], via[end] = priced, (position, k)
    end = min(range(arcs.needed, last + 1), key=lambda position: cost[position])
    value = cost[end]
    if value == math.inf:
        return None
    used, idle = [0] * len(arcs.counts), 0
    while end:
        end, k = via[end]
        if k < 0:
            idle += 1
        else:
            used[k] += 1
    return int(value), used, idle
