"""A list schedule: the plan any person could make by hand, built in milliseconds.

It is the solver's first hint, the measure of the horizon, and the fallback plan: the
solver's answer is never worse than this one.
"""

from __future__ import annotations

from planner.solver.problem import SchedulingProblem


def list_schedule(problem: SchedulingProblem) -> list[int] | None:
    """Start positions from placing one topic after another, always the ready topic that
    can start earliest (the roadmap's order breaking ties), at its first allowed start.

    Returns None when the axis is too short to hold every topic.
    """
    rank = {topic: position for position, topic in enumerate(problem.reference_order)}
    waiting_on = [len(predecessors) for predecessors in problem.predecessors]
    successors: list[list[int]] = [[] for _ in problem.topic_ids]
    for topic, predecessors in enumerate(problem.predecessors):
        for predecessor in predecessors:
            successors[predecessor].append(topic)
    ready = {topic for topic, count in enumerate(waiting_on) if count == 0}
    starts = [0] * len(problem.topic_ids)
    cursor = 0
    while ready:
        best: tuple[int, int, int] | None = None  # (start, rank, topic)
        for topic in ready:
            start = problem.start_tables[topic].earliest_start(cursor)
            if start is not None and (best is None or (start, rank[topic]) < best[:2]):
                best = (start, rank[topic], topic)
        if best is None:
            return None
        start, _rank, topic = best
        starts[topic] = start
        cursor = start + problem.durations[topic]
        ready.remove(topic)
        for successor in successors[topic]:
            waiting_on[successor] -= 1
            if waiting_on[successor] == 0:
                ready.add(successor)
    return starts


def replay_schedule(
    problem: SchedulingProblem, order: list[int], not_before: list[int | None]
) -> list[int] | None:
    """Topics one after another in `order` (which must respect the prerequisites), each
    at its first allowed start after the previous topic and not before its own
    `not_before` position. Returns None when the axis is too short."""
    starts = [0] * len(problem.topic_ids)
    cursor = 0
    for topic in order:
        start = problem.start_tables[topic].earliest_start(max(cursor, not_before[topic] or 0))
        if start is None:
            return None
        starts[topic] = start
        cursor = start + problem.durations[topic]
    return starts
