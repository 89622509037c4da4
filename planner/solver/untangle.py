"""Undo the inversions of a plan that buy nothing the learner sees.

The search ranks plans by `Score`, whose finish is an axis position: an inversion that
moves the finish 30 minutes earlier on the same day wins there. A learner sees the
finish day; an inversion that changes neither it nor the rest of the `Score` before
inversions (sessions, windows shared by two topics, scraps) is a topic out of the
roadmap's order for nothing. On the bundled roadmap with one 90-minute window a week
and sessions of exactly 90 minutes, `free` moved 14.3 behind the seven topics after it
to end the last Saturday at 09:30 instead of 10:00.

The pass takes the topics in the reference order and moves each one back towards its
place in it, as far as the plan still finishes by `latest_finish` (at most the end of
the finish day) with no more sessions, shared windows and scraps; where each topic of
the stretch it crossed then starts is chosen exactly (`band.best_in_band` with band 0
over that stretch, the topics around it fixed). It repeats while a round moves
something. Every move removes inversions, so it ends; prerequisites are kept (a topic
never moves before one the reference order puts first, and that order is topological).
"""

from __future__ import annotations

from planner.solver.band import Stretch, best_in_band
from planner.solver.order import keeps_band, study_sequence
from planner.solver.problem import SchedulingProblem
from planner.solver.score import finish_of, scraps_of, sessions_of, shared_windows
from planner.solver.settings import out_of_time


def untangle(
    problem: SchedulingProblem, starts: list[int], latest_finish: int, band: int | None = None
) -> list[int]:
    """`starts` with every inversion undone that the plan can do without and still finish
    by axis position `latest_finish` with no more sessions, shared windows and scraps,
    each topic within `band` places of the reference order (None: no bound)."""
    rank = {topic: place for place, topic in enumerate(problem.reference_order)}
    most_sessions, most_scraps = sessions_of(problem, starts), scraps_of(problem, starts)
    most_shared = shared_windows(problem, starts)
    moved = True
    while moved:
        moved = False
        order = study_sequence(starts)
        for topic in problem.reference_order:
            if out_of_time():  # `search_until`: every plan on the way is valid
                return starts
            place = order.index(topic)
            target = place
            while target > 0 and rank[order[target - 1]] > rank[topic]:
                target -= 1
            # The move that undoes most first, then shorter ones.
            for to in range(target, place):
                trial = [*order[:to], topic, *order[to:place], *order[place + 1 :]]
                found = _restarted(problem, starts, trial, to, place, latest_finish)
                if (
                    found is not None
                    and finish_of(problem, found) <= latest_finish
                    and sessions_of(problem, found) <= most_sessions
                    and shared_windows(problem, found) <= most_shared
                    and scraps_of(problem, found) <= most_scraps
                    and keeps_band(problem, found, band)
                ):
                    starts, order, moved = found, trial, True
                    break
    return starts


def _restarted(
    problem: SchedulingProblem,
    starts: list[int],
    trial: list[int],
    first: int,
    last: int,
    latest_finish: int,
) -> list[int] | None:
    """`starts` with the topics at places `first`..`last` of `trial` (a new order of
    the same topics there) started where they make the fewest sessions, in the time
    between the topic before them and the one after (or `latest_finish`)."""
    durations = problem.durations
    topics = trial[first : last + 1]
    before = trial[first - 1] if first else None
    first_start = starts[before] + durations[before] if before is not None else 0
    next_start = starts[trial[last + 1]] if last + 1 < len(trial) else None
    room = (latest_finish if next_start is None else next_start) - first_start
    slack = room - sum(durations[topic] for topic in topics)
    if slack < 0:
        return None
    found = best_in_band(problem, Stretch(topics, slack, first_start, next_start), 0)
    if found is None:
        return None
    merged = list(starts)
    for topic in topics:
        merged[topic] = found[topic]
    return merged
