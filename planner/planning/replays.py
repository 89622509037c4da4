"""The previous plan replayed on a re-plan's axis: what a re-plan keeps when it costs
nothing (`solve`'s `preferred` plans)."""

from __future__ import annotations

import bisect
from datetime import UTC, datetime

import networkx as nx

from planner.inputs.graph import study_order
from planner.models.plan import Plan
from planner.models.roadmap import Roadmap
from planner.solver.list_schedule import replay_schedule
from planner.solver.problem import SchedulingProblem


def replays(problem: SchedulingProblem, previous: Plan, roadmap: Roadmap) -> list[list[int] | None]:
    """The previous plan's order replayed on the new axis: first with every topic no
    earlier than it was (nothing moves that need not), then packed from `as_of`. The
    order keeps the problem's own precedence: the prerequisites, and the goals first (a
    goal the profile added since comes before the rest, even where the mode is free)."""
    first_start: dict[str, datetime] = {}
    for session in sorted(previous.upcoming, key=lambda s: s.start_utc):
        if not session.is_review:
            first_start.setdefault(session.topic, session.start_utc)
    rank = {topic.id: index for index, topic in enumerate(roadmap.topics)}
    wanted = sorted(
        problem.topic_ids,
        key=lambda t: (first_start.get(t, datetime.max.replace(tzinfo=UTC)), rank[t]),
    )
    position = {topic: index for index, topic in enumerate(wanted)}
    before = nx.DiGraph()
    before.add_nodes_from(problem.topic_ids)
    before.add_edges_from(
        (problem.topic_ids[earlier], problem.topic_ids[later])
        for later, earliers in enumerate(problem.predecessors)
        for earlier in earliers
    )
    order = study_order(before, roadmap, preferred=position)
    index = {topic: i for i, topic in enumerate(problem.topic_ids)}
    # Each topic no earlier than it was: at its old first slot, or the first one after
    # it when that time is gone (now busy, or no longer in a window).
    slot_starts = [problem.axis.slot_start(k) for k in range(problem.horizon)]
    anchors = [
        bisect.bisect_left(slot_starts, first_start[topic]) if topic in first_start else None
        for topic in problem.topic_ids
    ]
    sequence = [index[topic] for topic in order]
    return [
        replay_schedule(problem, sequence, anchors),
        replay_schedule(problem, sequence, [None] * len(anchors)),
    ]
