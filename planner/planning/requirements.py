"""What a plan must contain: minutes per topic (the learner's overrides, skips, pace and
goals applied, whole slots), the prerequisites among the planned topics, and the order
the roadmap recommends."""

from __future__ import annotations

from dataclasses import dataclass, replace

import networkx as nx

from planner.inputs.graph import study_order, without_topics
from planner.inputs.plan_inputs import PlanInputs
from planner.models.plan import RoundedTopic
from planner.models.roadmap import Roadmap
from planner.planning.estimates import estimated_slots
from planner.planning.goals import Goal, goal_order, resolve_goals
from planner.planning.reviews.dues import reviewed_topics


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
    # Topics that get spaced reviews (planned with at least the profile's review.min_topic_hours).
    reviewed: frozenset[str] = frozenset()


def plan_requirements(inputs: PlanInputs, graph: nx.DiGraph) -> PlanRequirements:
    """Minutes per topic to plan (overrides applied, rounded up to whole slots; skipped
    and 0-hour topics left out) and the prerequisites among the planned topics.

    Raises:
        UnknownTopicError: the profile's `hours` or `skip` names an unknown id.
    """
    minutes, rounded = planned_minutes(inputs)
    goals, minutes = with_goals(inputs, graph, minutes)
    requirements = requirements_for(inputs.roadmap, graph, minutes, rounded, goals)
    return replace(requirements, reviewed=reviewed_topics(minutes, inputs.profile.review))


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
    """Each topic's minutes after the profile's overrides, pace and skips, in whole
    slots (topics with no time left out), and the topics that rounding changed."""
    slots, rounded = estimated_slots(inputs)
    slot = inputs.profile.session.slot_minutes
    return {topic: n * slot for topic, n in slots.items() if n > 0}, rounded


def requirements_for(
    roadmap: Roadmap,
    graph: nx.DiGraph,
    minutes: dict[str, int],
    rounded: tuple[RoundedTopic, ...] = (),
    goals: tuple[Goal, ...] = (),
    in_progress: tuple[str, ...] = (),
) -> PlanRequirements:
    """Requirements for planning `minutes`: topics not in it are done, skipped or take no
    time, and the order they imposed on the others stays; goals come first, then the
    topics `in_progress` (a re-plan's, begun and not finished, in this order), so a topic
    is studied in one run: its rest right after what was studied, not weeks later."""
    unplanned = [topic.id for topic in roadmap.topics if topic.id not in minutes]
    planned_graph = without_topics(graph, unplanned)
    sequence = goal_order(goals, minutes)
    ordering = planned_graph.copy()
    ordering.add_edges_from(sequence)
    for topic in (t for t in in_progress if t in minutes):
        # Before everything it can precede: not its own prerequisites nor the goals
        # before it, nor a topic in progress put first already.
        ahead = nx.ancestors(ordering, topic)
        edges = [(topic, other) for other in minutes if other != topic and other not in ahead]
        ordering.add_edges_from(edges)
        sequence += edges
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
