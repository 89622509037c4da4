"""What a plan must contain: minutes per topic (the learner's overrides, skips, pace and
goals applied, whole slots), the prerequisites among the planned topics, and the order
the roadmap recommends."""

from __future__ import annotations

import math
from dataclasses import dataclass

import networkx as nx

from planner.inputs.graph import expand_ids, require_topics, study_order, without_topics
from planner.inputs.plan_inputs import PlanInputs
from planner.models.plan import RoundedTopic
from planner.models.roadmap import Roadmap
from planner.planning.goals import Goal, goal_order, resolve_goals


@dataclass(frozen=True)
class PlanRequirements:
    """What a plan must contain: minutes per topic (whole slots), and for each planned
    topic the planned topics it needs finished first. `order` is the study order the
    roadmap recommends; `rounded` lists the topics whose hours were rounded up."""

    minutes: dict[str, int]
    prerequisites: dict[str, tuple[str, ...]]
    order: tuple[str, ...] = ()
    rounded: tuple[RoundedTopic, ...] = ()
    # Extra (before, after) order the plan keeps on top of the prerequisites: goals first.
    sequence: tuple[tuple[str, str], ...] = ()
    goals: tuple[Goal, ...] = ()


def plan_requirements(inputs: PlanInputs, graph: nx.DiGraph) -> PlanRequirements:
    """Minutes per topic to plan (overrides applied, rounded up to whole slots; skipped
    and 0-hour topics left out) and the prerequisites among the planned topics.

    Raises:
        UnknownTopicError: the profile's `hours` or `skip` names an unknown id.
    """
    minutes, rounded = planned_minutes(inputs)
    goals, minutes = with_goals(inputs, graph, minutes)
    return requirements_for(inputs.roadmap, graph, minutes, rounded, goals)


def with_goals(
    inputs: PlanInputs, graph: nx.DiGraph, minutes: dict[str, int]
) -> tuple[tuple[Goal, ...], dict[str, int]]:
    """The profile's goals, and `minutes` cut to what they need if `only_goals`."""
    goals = resolve_goals(inputs.roadmap, graph, inputs.profile.goals, inputs.profile_path)
    if inputs.profile.only_goals:
        needed = set().union(*(goal.closure for goal in goals))
        minutes = {topic: length for topic, length in minutes.items() if topic in needed}
    return tuple(goals), minutes


def planned_minutes(inputs: PlanInputs) -> tuple[dict[str, int], tuple[RoundedTopic, ...]]:
    """Each topic's minutes after the profile's overrides and skips, in whole slots, and
    the topics that rounding changed."""
    roadmap, profile = inputs.roadmap, inputs.profile
    require_topics(roadmap, profile.hours, inputs.profile_path, "hours")
    # The learner's own estimates win over pace, which scales the roadmap's.
    hours = {
        topic.id: profile.hours.get(topic.id, topic.hours * profile.pace)
        for topic in roadmap.topics
    }
    skipped = expand_ids(roadmap, profile.skip, inputs.profile_path, "skip")
    slot = profile.session.slot_minutes
    minutes: dict[str, int] = {}
    rounded: list[RoundedTopic] = []
    for topic in roadmap.topics:
        slots = math.ceil(round(hours[topic.id] * 60 / slot, 6))
        if topic.id in skipped or slots == 0:
            continue
        minutes[topic.id] = slots * slot
        if not math.isclose(slots * slot, hours[topic.id] * 60):
            rounded.append(
                RoundedTopic(topic=topic.id, hours=hours[topic.id], planned_hours=slots * slot / 60)
            )
    return minutes, tuple(rounded)


def requirements_for(
    roadmap: Roadmap,
    graph: nx.DiGraph,
    minutes: dict[str, int],
    rounded: tuple[RoundedTopic, ...] = (),
    goals: tuple[Goal, ...] = (),
) -> PlanRequirements:
    """Requirements for planning `minutes`: topics not in it are done, skipped or take no
    time, and the order they imposed on the others stays; goals come first."""
    unplanned = [topic.id for topic in roadmap.topics if topic.id not in minutes]
    planned_graph = without_topics(graph, unplanned)
    sequence = goal_order(goals, minutes)
    ordering = planned_graph.copy()
    ordering.add_edges_from(sequence)
    return PlanRequirements(
        minutes=minutes,
        order=tuple(study_order(ordering, roadmap)),
        prerequisites={
            topic: tuple(sorted(planned_graph.predecessors(topic))) for topic in minutes
        },
        rounded=rounded,
        sequence=tuple(sequence),
        goals=goals,
    )
