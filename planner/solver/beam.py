"""A beam search over study orders: the solver's starting plan.

CP-SAT polishes; what makes the solve fast is a good first plan. Sessions depend on where
topic changes fall relative to block edges (a change inside a block adds a session), so
a plan is good when consecutive topics add up to whole blocks. The beam keeps the `width`
best partial orders, ranked in the plan's own priority: idle time first (it delays the
finish), then topic changes inside a block, then scraps, then distance from the
reference plan.

Ranked that way, the beam is greedy about alignment: it happily postpones a topic whose
length does not fit the blocks, and such topics pile up at the end, far from their place
in the roadmap. So a second pass (`inside_budget`) keeps to the number of changes the
first pass reached and ranks by distance from the reference instead, using a lower bound
on the changes still to come so that it never commits to a dead end it cannot see.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass

from planner.solver.problem import SchedulingProblem


@dataclass(frozen=True)
class _Partial:
    idle: int  # available slots left unused so far
    inside: int  # topic changes inside a block so far
    scraps: int
    moved: int  # distance from the reference so far, in slots
    placed: int  # bitmask of placed topics
    cursor: int  # axis position where the next topic may start
    starts: tuple[tuple[int, int], ...]  # (topic, start)


def beam_schedule(
    problem: SchedulingProblem,
    reference_starts: list[int],
    width: int,
    inside_budget: int | None = None,
) -> list[int] | None:
    """The best complete plan the beam finds, or None if every path ran off the axis.

    Args:
        problem: the topics and the axis.
        reference_starts: the plan to stay close to.
        width: partial plans kept at each step.
        inside_budget: if given, the topic changes inside blocks the plan may make; the
            beam then prefers the order closest to the reference among plans within it.
    """
    search = _Search(problem, reference_starts, inside_budget)
    beam = [_Partial(0, 0, 0, 0, 0, 0, ())]
    for _depth in problem.topic_ids:
        # Partial plans with the same topics placed and the same cursor share every
        # estimate of the future, so the cheaper so far is the better one.
        children: dict[tuple[int, int], _Partial] = {}
        for partial in beam:
            for child in search.children(partial):
                key = (child.placed, child.cursor)
                if key not in children or _so_far(child) < _so_far(children[key]):
                    children[key] = child
        if not children:
            return None
        ranked = sorted((search.rank(child), child.starts, child) for child in children.values())
        beam = [child for _rank, _starts, child in ranked[:width]]
    starts = [0] * len(problem.topic_ids)
    for topic, start in beam[0].starts:
        starts[topic] = start
    return starts


def _so_far(partial: _Partial) -> tuple[int, int, int, int]:
    return (partial.idle, partial.inside, partial.scraps, partial.moved)


class _Search:
    def __init__(
        self, problem: SchedulingProblem, reference: list[int], inside_budget: int | None
    ) -> None:
        self.problem = problem
        self.reference = reference
        self.inside_budget = inside_budget
        self.required = [sum(1 << p for p in before) for before in problem.predecessors]
        self.all_placed = (1 << len(problem.topic_ids)) - 1
        self.blocks_before = _blocks_started_before(problem)
        # Block edges are multiples of `alignment`; a topic whose length is not cannot
        # end on an edge unless another such topic completes it.
        self.alignment = math.gcd(*problem.axis.block_slots) or 1
        self.misfits = sum(
            1 << topic
            for topic, duration in enumerate(problem.durations)
            if duration % self.alignment
        )

    def children(self, partial: _Partial) -> Iterator[_Partial]:
        """Every partial plan one ready topic longer, at that topic's earliest start."""
        for topic, table in enumerate(self.problem.start_tables):
            if partial.placed >> topic & 1 or self.required[topic] & ~partial.placed:
                continue
            start = table.earliest_start(partial.cursor)
            if start is None:
                continue
            end = start + self.problem.durations[topic]
            # Sessions beyond the blocks this topic adds to the plan are changes inside
            # a block (this topic started in a block another topic already uses).
            new_blocks = self.blocks_before[end] - self.blocks_before[partial.cursor]
            yield _Partial(
                idle=partial.idle + start - partial.cursor,
                inside=partial.inside + int(table.sessions[start]) - new_blocks,
                scraps=partial.scraps + int(table.scraps[start]),
                moved=partial.moved + abs(start - self.reference[topic]),
                placed=partial.placed | 1 << topic,
                cursor=end,
                starts=(*partial.starts, (topic, start)),
            )

    def rank(self, partial: _Partial) -> tuple[int, int, int, int]:
        if self.inside_budget is None:
            return (partial.idle, partial.inside, partial.scraps, partial.moved)
        overrun = partial.inside + self._inside_still_to_come(partial) - self.inside_budget
        return (partial.idle, max(overrun, 0), partial.scraps, partial.moved + self._late(partial))

    def _inside_still_to_come(self, partial: _Partial) -> int:
        """A lower bound on the changes inside blocks the unplaced topics will make (with
        no idle time). Misfits get back onto block edges only in groups of two or more,
        and a group of k costs k - 1 changes; the last group need not close. If the
        cursor is off the alignment, the next topic starts inside a block."""
        if partial.placed == self.all_placed:
            return 0
        misfits_left = (self.misfits & ~partial.placed).bit_count()
        if partial.cursor % self.alignment == 0:
            return misfits_left // 2
        return 1 + max(misfits_left - 1, 0) // 2

    def _late(self, partial: _Partial) -> int:
        """Distance every unplaced topic has already gained: none can start before the
        cursor, so one whose reference start is earlier moves at least that far."""
        return sum(
            max(partial.cursor - reference, 0)
            for topic, reference in enumerate(self.reference)
            if not partial.placed >> topic & 1
        )


def _blocks_started_before(problem: SchedulingProblem) -> list[int]:
    """result[k] = the number of blocks that start before axis position k."""
    counts = [0] * (problem.horizon + 1)
    offsets = problem.axis.block_offsets
    block = 0
    for position in range(problem.horizon + 1):
        while block < len(offsets) and offsets[block] < position:
            block += 1
        counts[position] = block
    return counts
