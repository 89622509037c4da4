"""What each start position of a topic costs, precomputed once per topic length: whether
its sessions keep the minimum length, how many sessions it makes, whether it ends in a
scrap. Plain lists: the search reads them one element at a time, where a list is several
times faster than a numpy array (and a cold start does not pay for importing numpy)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from itertools import accumulate

from planner.arithmetic import ceil_div
from planner.timeline.axis import TimeAxis


@dataclass(frozen=True)
class AxisBlocks:
    """The axis's blocks as lists, built once for all of a problem's start tables."""

    sizes: tuple[int, ...]  # slots per block
    offsets: tuple[int, ...]  # first axis position of each block
    block_of_slot: list[int]  # the block of each axis position
    sessions_before: list[int]  # [b]: sessions that whole blocks before b make
    closed: list[bool]  # positions inside a one-topic block, past its first slot

    @classmethod
    def of(cls, axis: TimeAxis, max_slots: int) -> AxisBlocks:
        block_of_slot = axis.block_index()
        one_topic = axis.one_topic_blocks
        return cls(
            sizes=axis.block_slots,
            offsets=axis.block_offsets,
            block_of_slot=block_of_slot,
            sessions_before=list(
                accumulate((ceil_div(size, max_slots) for size in axis.block_slots), initial=0)
            ),
            closed=[
                block in one_topic and position != axis.block_offsets[block]
                for position, block in enumerate(block_of_slot)
            ],
        )


@dataclass(frozen=True)
class StartTable:
    """For one topic of `duration` slots, indexed by start position 0 .. horizon-duration.

    allowed:  every session but the topic's last is at least the minimum: the share of
              the first window (when the topic goes on after it) splits into sessions
              that long (whole windows always do; the axis keeps only such time); and
              not inside a one-topic block past its first slot;
    sessions: the sessions it makes: in each window, ceil(share / longest session);
    scraps:   the last session is shorter than the minimum although the topic needs
              more than one session (allowed — it is only a remainder — but unwelcome).
    """

    allowed: list[bool]
    sessions: list[int]
    scraps: list[bool]
    next_allowed: list[int]  # smallest allowed start >= index, or -1

    @classmethod
    def build(cls, blocks: AxisBlocks, duration: int, min_slots: int, max_slots: int) -> StartTable:
        sizes, offsets, block_of_slot = blocks.sizes, blocks.offsets, blocks.block_of_slot
        sessions_before, closed = blocks.sessions_before, blocks.closed
        shortest_first = max(min_slots, 1)
        allowed, sessions, scraps = [], [], []
        for start in range(len(block_of_slot) - duration + 1):
            first_block, last_block = block_of_slot[start], block_of_slot[start + duration - 1]
            if first_block == last_block:
                first_share = last_share = duration
                count = ceil_div(duration, max_slots)
                allowed.append(not closed[start])
            else:
                first_share = offsets[first_block] + sizes[first_block] - start
                last_share = start + duration - offsets[last_block]
                first_count = ceil_div(first_share, max_slots)
                whole_windows = sessions_before[last_block] - sessions_before[first_block + 1]
                count = first_count + whole_windows + ceil_div(last_share, max_slots)
                allowed.append(first_share >= first_count * shortest_first and not closed[start])
            sessions.append(count)
            # SessionRules.split puts a short remainder last when even parts are too short.
            last_count = ceil_div(last_share, max_slots)
            remainder = last_share - (last_count - 1) * max_slots
            scraps.append(
                count > 1 and last_share // last_count < min_slots and remainder < min_slots
            )
        return cls(allowed=allowed, sessions=sessions, scraps=scraps, next_allowed=_next(allowed))

    @cached_property
    def next_cheaper(self) -> list[int]:
        """[i] = the first allowed start after i that makes fewer sessions, or as many
        and no scrap where i makes one; -1 if none (or i is not allowed). Following it
        from a start visits exactly the starts that beat every start before them
        (`band.py` tries only those: a later start that is no better than an earlier one
        is never worth it)."""
        cost = [
            sessions * 2 + scrap for sessions, scrap in zip(self.sessions, self.scraps, strict=True)
        ]
        cheaper = [-1] * len(cost)
        # From the right, the allowed starts that are cheaper than every start between
        # them and the position looked at: the nearest cheaper one is on top.
        waiting: list[int] = []
        for start in range(len(cost) - 1, -1, -1):
            if not self.allowed[start]:
                continue
            while waiting and cost[waiting[-1]] >= cost[start]:
                waiting.pop()
            if waiting:
                cheaper[start] = waiting[-1]
            waiting.append(start)
        return cheaper

    def earliest_start(self, not_before: int) -> int | None:
        """The first allowed start at or after `not_before`, or None if none is left."""
        if not_before >= len(self.next_allowed):
            return None
        found = self.next_allowed[not_before]
        return None if found < 0 else found


def _next(flags: list[bool]) -> list[int]:
    """result[i] = the smallest j >= i with flags[j], or -1."""
    result, following = [-1] * len(flags), -1
    for index in range(len(flags) - 1, -1, -1):
        if flags[index]:
            following = index
        result[index] = following
    return result
