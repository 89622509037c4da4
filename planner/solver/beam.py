"""A beam search over study orders: the free plan's starting point.

The beam finds the orders far from the roadmap's that save sessions; the band search and
CP-SAT then polish what it finds (`free_search.py`). A topic change inside a window can
cost a session (two topics share it), so a plan is good when topics fill whole windows.
The beam keeps the `width` best partial orders, ranked in the plan's own priority: idle
time first (it delays the finish), then sessions beyond the fewest that could cover the
same time, then windows shared by two topics, then scraps, then distance from the
reference plan.

Ranked that way, the beam is greedy about alignment: it happily postpones a topic whose
length does not fit the windows, and such topics pile up at the end, far from their
place in the roadmap. So a second pass (`extra_budget`) keeps to the extra sessions the
first pass needed and ranks by distance from the reference instead, using a lower bound
on the extra sessions still to come so that it never commits to a dead end it can see.
"""

from __future__ import annotations

import bisect
import itertools
import math
from collections.abc import Iterator
from dataclasses import dataclass, replace

from planner.arithmetic import ceil_div
from planner.solver.problem import SchedulingProblem

# A partial plan tries every ready topic when at most `ALL_READY` are ready (the bundled
# roadmap never has more); beyond that, the first `PER_LENGTH` of each length in the
# reference order: topics of one length cost the same where they go next.
ALL_READY, PER_LENGTH = 64, 4


@dataclass(frozen=True)
class _Partial:
    idle: int  # available slots left unused so far
    extra: int  # sessions beyond the fewest that could cover the same time
    shared: int  # windows two topics share (a topic change inside a window)
    scraps: int
    moved: int  # distance from the reference so far, in slots
    placed: int  # bitmask of placed topics
    count: int  # how many are placed
    placed_reference: int  # the sum of their reference starts
    cursor: int  # axis position where the next topic may start
    ready: tuple[int, ...]  # unplaced topics whose prerequisites are all placed
    # The last placement and the partial plan before it: a linked list, so a child
    # costs O(1) instead of a copy of every start so far.
    last: tuple[int, int] | None
    parent: _Partial | None

    def starts(self, count: int) -> list[int]:
        starts = [0] * count
        node: _Partial | None = self
        while node is not None and node.last is not None:
            topic, start = node.last
            starts[topic] = start
            node = node.parent
        return starts


def beam_schedule(
    problem: SchedulingProblem,
    reference_starts: list[int],
    width: int,
    extra_budget: int | None = None,
    shared_budget: int = 0,
    *,
    all_ready: int = ALL_READY,
    per_length: int = PER_LENGTH,
) -> list[int] | None:
    """The best complete plan the beam finds, or None if every path ran off the axis.

    Args:
        problem: the topics and the axis.
        reference_starts: the plan to stay close to.
        width: partial plans kept at each step.
        extra_budget: if given, the extra sessions the plan may make; the beam then
            prefers the order closest to the reference among plans within it and
            within `shared_budget` windows shared by two topics.
        all_ready, per_length: the frontier a partial plan tries (`ALL_READY`,
            `PER_LENGTH`).
    """
    search = _Search(problem, reference_starts, extra_budget, shared_budget)
    search.frontier(all_ready, per_length)
    ready = tuple(
        sorted((t for t, needs in enumerate(search.required) if not needs), key=search.rank_of)
    )
    beam = [_Partial(0, 0, 0, 0, 0, 0, 0, 0, 0, ready, None, None)]
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
        # Ties go to the lower bitmask of placed topics: deterministic, and cheap.
        ranked = sorted(children.values(), key=lambda p: (search.rank(p), p.cursor, p.placed))
        beam = [search.with_ready(partial) for partial in ranked[:width]]
    return beam[0].starts(len(problem.topic_ids))


def _so_far(partial: _Partial) -> tuple[int, int, int, int, int]:
    return (partial.idle, partial.extra, partial.shared, partial.scraps, partial.moved)


class _Search:
    def __init__(
        self,
        problem: SchedulingProblem,
        reference: list[int],
        extra_budget: int | None,
        shared_budget: int,
    ) -> None:
        self.problem = problem
        self.reference = reference
        self.extra_budget = extra_budget
        self.frontier(ALL_READY, PER_LENGTH)
        self.shared_budget = shared_budget
        self.required = [sum(1 << p for p in before) for before in problem.predecessors]
        self.all_placed = (1 << len(problem.topic_ids)) - 1
        self.fewest = problem.fewest_sessions
        # Window edges are multiples of `alignment`; a topic whose length is not cannot
        # end on an edge unless another such topic completes it.
        self.alignment = math.gcd(*problem.axis.block_slots) or 1
        self.misfits = sum(
            1 << topic
            for topic, duration in enumerate(problem.durations)
            if duration % self.alignment
        )
        self.absorbed_after = _changes_absorbed_after(problem)
        self.successors: list[list[int]] = [[] for _ in problem.topic_ids]
        for topic, before in enumerate(problem.predecessors):
            for predecessor in before:
                self.successors[predecessor].append(topic)
        self.block = problem.block_of_slot
        self.distinct_lengths = len(set(problem.durations))
        self.rank_of = {
            topic: rank for rank, topic in enumerate(problem.reference_order)
        }.__getitem__
        self.sorted_references = sorted(reference)
        self.reference_prefix = [0, *itertools.accumulate(self.sorted_references)]

    def frontier(self, all_ready: int, per_length: int) -> None:
        """Try every ready topic when at most `all_ready` are ready; else the first
        `per_length` of each length, in the reference order."""
        self.all_ready, self.per_length = all_ready, per_length

    def children(self, partial: _Partial) -> Iterator[_Partial]:
        """Partial plans one ready topic longer, at that topic's earliest start, for the
        candidates `ALL_READY` and `PER_LENGTH` allow. Their `ready` is left empty;
        `with_ready` fills it in for the ones the beam keeps, so a step holds a bounded
        number of small plans, not as many copies of a long ready list (thousands of
        independent topics took gigabytes)."""
        for topic in self._candidates(partial.ready):
            table = self.problem.start_tables[topic]
            start = table.earliest_start(partial.cursor)
            if start is None:
                continue
            end = start + self.problem.durations[topic]
            fewest = self.fewest[end] - self.fewest[partial.cursor]
            placed = partial.placed | 1 << topic
            # The topic shares a window when it starts in the one the last topic ended in.
            shares = partial.cursor > 0 and self.block[start] == self.block[partial.cursor - 1]
            yield _Partial(
                idle=partial.idle + start - partial.cursor,
                extra=partial.extra + int(table.sessions[start]) - fewest,
                shared=partial.shared + shares,
                scraps=partial.scraps + int(table.scraps[start]),
                moved=partial.moved + abs(start - self.reference[topic]),
                placed=placed,
                count=partial.count + 1,
                placed_reference=partial.placed_reference + self.reference[topic],
                cursor=end,
                ready=(),
                last=(topic, start),
                parent=partial,
            )

    def _candidates(self, ready: tuple[int, ...]) -> Iterator[int]:
        if len(ready) <= self.all_ready:
            yield from ready
            return
        tried: dict[int, int] = {}
        full = 0
        for topic in ready:
            length = self.problem.durations[topic]
            count = tried.get(length, 0)
            if count < self.per_length:
                tried[length] = count + 1
                full += count + 1 == self.per_length
                yield topic
            elif full == self.distinct_lengths:
                return

    def with_ready(self, child: _Partial) -> _Partial:
        """`child` with its ready topics: its parent's, less the topic it placed, and the
        topics that one unlocked, in the reference order."""
        assert child.parent is not None and child.last is not None
        topic = child.last[0]
        ready = list(child.parent.ready)
        del ready[ready.index(topic)]
        for unlocked in self.successors[topic]:
            if not self.required[unlocked] & ~child.placed:
                bisect.insort(ready, unlocked, key=self.rank_of)
        return replace(child, ready=tuple(ready))

    def rank(self, partial: _Partial) -> tuple[int, int, int, int, int]:
        if self.extra_budget is None:
            return _so_far(partial)
        overrun = partial.extra + self._extra_still_to_come(partial) - self.extra_budget
        late = partial.moved + self._late(partial)
        shared_over = max(partial.shared - self.shared_budget, 0)
        return (partial.idle, max(overrun, 0), shared_over, partial.scraps, late)

    def _extra_still_to_come(self, partial: _Partial) -> int:
        """A lower bound on the extra sessions the unplaced topics will make (with no idle
        time): topic changes inside windows, less what the windows still to come can
        absorb (a window that needs k sessions anyway takes k - 1 changes for free).
        Misfits get back onto window edges only in groups of two or more, and a group
        of k costs k - 1 changes; the last group need not close. If the cursor is off
        the alignment, the next topic starts inside a window."""
        if partial.placed == self.all_placed:
            return 0
        misfits_left = (self.misfits & ~partial.placed).bit_count()
        if partial.cursor % self.alignment == 0:
            changes = misfits_left // 2
        else:
            changes = 1 + max(misfits_left - 1, 0) // 2
        return max(changes - self.absorbed_after[partial.cursor], 0)

    def _late(self, partial: _Partial) -> int:
        """Distance every unplaced topic has already gained: none can start before the
        cursor, so one whose reference start is earlier moves at least that far."""
        # All topics with a reference before the cursor, from prefix sums, less the
        # placed ones (counted as if all were before it: an estimate, and cheap).
        cursor = partial.cursor
        before = bisect.bisect_left(self.sorted_references, cursor)
        everyone = before * cursor - self.reference_prefix[before]
        placed = partial.count * cursor - partial.placed_reference
        return max(everyone - placed, 0)


def _changes_absorbed_after(problem: SchedulingProblem) -> list[int]:
    """result[k] = topic changes the windows that end after position k can take without
    an extra session: k - 1 for a window that needs k sessions anyway."""
    longest = problem.max_slots
    absorbed = [0] * (problem.horizon + 1)
    total = 0
    windows = list(zip(problem.axis.block_offsets, problem.axis.block_slots, strict=True))
    for offset, size in reversed(windows):
        total += ceil_div(size, longest) - 1
        for position in range(offset, offset + size):
            absorbed[position] = total
    return absorbed
