"""Lower bounds we compute ourselves, to say how good a plan is.

CP-SAT's own bound on the number of sessions is weak here and never proves optimality,
so the plan's gap is measured against `sessions_lower_bound`.
"""

from __future__ import annotations

import math

from planner.solver.problem import SchedulingProblem


def capacity_bound(problem: SchedulingProblem) -> int:
    """Axis length the topics need at the very least: the sum of their slots (no plan can
    finish before the available time covers the total)."""
    return problem.total_slots


def sessions_lower_bound(problem: SchedulingProblem, makespan: int) -> int:
    """No plan that ends at axis position `makespan` has fewer sessions than this.

    Three arguments, the strongest wins:
    - blocks: the hours need at least as many blocks as the largest ones that cover them;
    - topics: each topic needs ceil(slots / longest block) sessions;
    - alignment (only when the plan leaves no available time unused, so every block up
      to the finish is full): sessions = blocks used + topic changes inside a block. A
      change falls on a block edge only if the topics before it add up to a multiple of
      g, the gcd of the block lengths; topics whose length is not a multiple of g can
      make such a group only with others, at least two per group and with residues
      adding up to at least g. That caps the changes that can be on edges.
    """
    sizes = _block_sizes_within(problem, makespan)
    total = problem.total_slots
    covered, blocks_needed = 0, 0
    for size in sorted(sizes, reverse=True):
        if covered >= total:
            break
        covered += size
        blocks_needed += 1
    longest = max(sizes, default=1)
    per_topic = sum(math.ceil(duration / longest) for duration in problem.durations)
    bound = max(blocks_needed, per_topic)
    if makespan == total and problem.durations:
        bound = max(bound, len(sizes) + _forced_changes_inside_blocks(problem, sizes))
    return bound


def _block_sizes_within(problem: SchedulingProblem, makespan: int) -> list[int]:
    """Sizes of the blocks that start before `makespan`, the last one cut at it."""
    axis = problem.axis
    sizes = []
    for offset, size in zip(axis.block_offsets, axis.block_slots, strict=True):
        if offset >= makespan:
            break
        sizes.append(min(size, makespan - offset))
    return sizes


def _forced_changes_inside_blocks(problem: SchedulingProblem, sizes: list[int]) -> int:
    edge_gcd = math.gcd(*sizes[:-1]) if len(sizes) > 1 else 0
    if edge_gcd <= 1:
        return 0 if edge_gcd == 1 else len(problem.durations) - 1
    residues = [duration % edge_gcd for duration in problem.durations]
    aligned_alone = residues.count(0)
    misaligned = len(residues) - aligned_alone
    groups_of_misaligned = min(sum(residues) // edge_gcd, misaligned // 2)
    changes_on_edges = min(len(residues) - 1, aligned_alone + groups_of_misaligned)
    return len(residues) - 1 - changes_on_edges
