"""The study order of a plan, measured against the problem's reference order.

A plan's order is its topics sorted by start (one topic at a time, so by first session).
Two figures say how far it is from the reference order (topological, the roadmap's
position breaking ties, goals first): **inversions**, the topic pairs studied the other
way round, and each topic's **shift**, how many places it moved. `OrderRule` is what the
learner allows: `roadmap` (no shift), `balanced` (at most `max_shift` places) or `free`.
"""

from __future__ import annotations

from bisect import bisect_right, insort
from dataclasses import dataclass

from planner.models.order import OrderMode
from planner.solver.problem import SchedulingProblem


@dataclass(frozen=True)
class OrderRule:
    """How far a plan may move topics from the reference order."""

    mode: OrderMode = "balanced"
    max_shift: int = 3

    @property
    def band(self) -> int | None:
        """The most places any topic may move; None when there is no bound."""
        return {"roadmap": 0, "balanced": self.max_shift, "free": None}[self.mode]


def study_sequence(starts: list[int]) -> list[int]:
    """The topics in the order they are studied."""
    return sorted(range(len(starts)), key=starts.__getitem__)


def shifts(problem: SchedulingProblem, starts: list[int]) -> list[int]:
    """For each topic, its place in the plan minus its place in the reference order."""
    place = {topic: index for index, topic in enumerate(study_sequence(starts))}
    return [place[topic] - index for index, topic in enumerate(problem.reference_order)]


def largest_shift(problem: SchedulingProblem, starts: list[int]) -> int:
    return max((abs(shift) for shift in shifts(problem, starts)), default=0)


def keeps_band(problem: SchedulingProblem, starts: list[int], band: int | None) -> bool:
    """True when no topic moved more than `band` places (always, for no bound)."""
    return band is None or largest_shift(problem, starts) <= band


def inversions(problem: SchedulingProblem, starts: list[int]) -> int:
    """Topic pairs the plan studies in the opposite order of the reference order."""
    rank = {topic: index for index, topic in enumerate(problem.reference_order)}
    count = 0
    studied: list[int] = []  # the ranks of the topics studied so far, sorted
    for topic in study_sequence(starts):
        # The topics studied before it that the reference order puts after it.
        count += len(studied) - bisect_right(studied, rank[topic])
        insort(studied, rank[topic])
    return count


def topic_pairs(count: int) -> int:
    return count * (count - 1) // 2
