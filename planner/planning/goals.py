"""Goals: "reach 6.3 (and what it needs) as early as possible, then the rest".

With one learner studying one topic at a time, a goal is reached earliest when the
topics it needs come before everything else. So a goal becomes an order the plan keeps:
each goal's topics finish before any topic outside the goals so far starts (in the
order the goals are listed). The solver then plans everything else as usual.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from zoneinfo import ZoneInfo

import networkx as nx

from planner.inputs.ids import expand_id
from planner.models.goals import ProfileGoal
from planner.models.plan import GoalReport, StudySession
from planner.models.roadmap import Roadmap
from planner.timeline.axis import TimeAxis


@dataclass(frozen=True)
class Goal:
    """A goal as the learner wrote it, the topics that reach it, and all it needs."""

    id: str
    topics: frozenset[str]
    closure: frozenset[str]  # its topics and every topic they need, directly or not
    by: date | None = None  # the day by which the learner wants to reach it


def resolve_goals(
    roadmap: Roadmap,
    graph: nx.DiGraph,
    goals: Iterable[ProfileGoal | str],
    path: Path | str,
) -> list[Goal]:
    """The profile's goals (topic or section ids, maybe with dates) with what they need.

    Raises:
        UnknownTopicError: a goal names an id the roadmap does not have.
    """
    resolved = []
    for index, goal in enumerate(goals):
        goal_id, by = (goal, None) if isinstance(goal, str) else (goal.topic, goal.by)
        where = (
            f"goals[{index}]" if isinstance(goal, str) or by is None else f"goals[{index}].topic"
        )
        topics = frozenset(expand_id(roadmap, goal_id, path, where))
        needed = set(topics)
        for topic in topics:
            needed |= nx.ancestors(graph, topic)
        resolved.append(Goal(goal_id, topics, frozenset(needed), by))
    return resolved


def goal_order(goals: Iterable[Goal], planned: Iterable[str]) -> list[tuple[str, str]]:
    """(before, after) pairs that put each goal first: every planned topic of goal k
    ends before any planned topic outside goals 1..k starts."""
    planned = set(planned)
    pairs: list[tuple[str, str]] = []
    reached: set[str] = set()
    for goal in goals:
        reached |= goal.closure
        ends = sorted(goal.topics & planned)
        later = sorted(planned - reached)
        pairs += [(end, topic) for end in ends for topic in later]
    return pairs


def goal_reports(
    goals: Iterable[Goal],
    minutes: dict[str, int],
    sessions: Iterable[StudySession],
    axis: TimeAxis,
    zone: ZoneInfo,
) -> tuple[GoalReport, ...]:
    """For each goal: the end of its last session, and the earliest it could be reached
    at all (when the available time first covers every hour the goal needs)."""
    sessions = list(sessions)
    reports = []
    for goal in goals:
        own = [s for s in sessions if s.topic in goal.topics and not s.is_review]
        last = max(own, key=lambda session: session.end_utc, default=None)
        needed = sum(minutes.get(topic, 0) for topic in goal.closure)
        slots = needed // int(axis.slot.total_seconds() // 60)
        earliest = (
            axis.slot_end(slots - 1).astimezone(zone) if 0 < slots <= axis.total_slots else None
        )
        reached = last.end if last else None
        reports.append(GoalReport(goal=goal.id, reached=reached, earliest=earliest, by=goal.by))
    return tuple(reports)
