"""What each start position of a topic costs, precomputed once with numpy: whether its
sessions keep the minimum length, how many sessions it makes, whether it ends in a scrap."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np
import numpy.typing as npt

from planner.arithmetic import ceil_div
from planner.timeline.axis import TimeAxis

# int32 holds any axis position (a century of 5-minute slots) at half the memory.
IntArray = npt.NDArray[np.int32]
BoolArray = npt.NDArray[np.bool_]


@dataclass(frozen=True)
class AxisArrays:
    """The axis as arrays, built once for all of a problem's start tables."""

    sizes: IntArray  # slots per block
    offsets: IntArray  # first axis position of each block
    block_of_slot: IntArray  # the block of each axis position
    sessions_before: IntArray  # [b]: sessions that whole blocks before b make
    closed: BoolArray  # positions inside a one-topic block, past its first slot

    @classmethod
    def of(cls, axis: TimeAxis, max_slots: int) -> AxisArrays:
        sizes = np.asarray(axis.block_slots, dtype=np.int32)
        offsets = np.asarray(axis.block_offsets, dtype=np.int32)
        block_of_slot = np.repeat(np.arange(len(sizes), dtype=np.int32), sizes)
        one_topic = np.zeros(len(sizes), dtype=np.bool_)
        one_topic[sorted(axis.one_topic_blocks)] = True
        positions = np.arange(len(block_of_slot), dtype=np.int32)
        return cls(
            sizes=sizes,
            offsets=offsets,
            block_of_slot=block_of_slot,
            sessions_before=np.concatenate(([0], np.cumsum(ceil_div(sizes, max_slots)))),
            closed=one_topic[block_of_slot] & (positions != offsets[block_of_slot]),
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

    allowed: BoolArray
    sessions: IntArray
    scraps: BoolArray
    next_allowed: IntArray  # smallest allowed start >= index, or -1

    @classmethod
    def build(cls, blocks: AxisArrays, duration: int, min_slots: int, max_slots: int) -> StartTable:
        sizes, offsets, block_of_slot = blocks.sizes, blocks.offsets, blocks.block_of_slot
        positions = np.arange(max(len(block_of_slot) - duration + 1, 0), dtype=np.int32)
        first_block = block_of_slot[positions]
        last_block = block_of_slot[positions + duration - 1]
        single = first_block == last_block
        first_share = np.minimum(offsets[first_block] + sizes[first_block] - positions, duration)
        last_share = np.where(single, duration, positions + duration - offsets[last_block])
        sessions_before = blocks.sessions_before
        whole_windows = sessions_before[last_block] - sessions_before[first_block + 1]
        first_count = ceil_div(first_share, max_slots)
        last_count = ceil_div(last_share, max_slots)
        sessions = np.where(
            single, last_count, first_count + np.maximum(whole_windows, 0) + last_count
        )
        allowed = (single | (first_share >= first_count * max(min_slots, 1))) & ~blocks.closed[
            positions
        ]
        # SessionRules.split puts a short remainder last when even parts are too short.
        even_too_short = last_share // last_count < min_slots
        remainder = last_share - (last_count - 1) * max_slots
        scraps = (sessions > 1) & even_too_short & (remainder < min_slots)
        return cls(
            allowed=allowed,
            sessions=sessions,
            scraps=scraps,
            next_allowed=_next_true(allowed),
        )

    # The same tables as lists, for pure-Python loops (`band.py`): indexing a list is
    # several times faster than indexing a numpy array one element at a time.
    @cached_property
    def sessions_list(self) -> list[int]:
        return self.sessions.tolist()  # type: ignore[no-any-return]

    @cached_property
    def scraps_list(self) -> list[bool]:
        return self.scraps.tolist()  # type: ignore[no-any-return]

    @cached_property
    def next_allowed_list(self) -> list[int]:
        return self.next_allowed.tolist()  # type: ignore[no-any-return]

    @cached_property
    def next_cheaper_list(self) -> list[int]:
        """[i] = the first allowed start after i that makes fewer sessions, or as many
        and no scrap where i makes one; -1 if none. Following it from a start visits
        exactly the starts that beat every start before them (`band.py` tries only
        those: a later start that is no better than an earlier one is never worth it)."""
        cost = self.sessions.astype(np.int64) * 2 + self.scraps
        cheaper = np.full(len(cost), -1, dtype=np.int32)
        for level in np.unique(cost[self.allowed]):
            following = np.append(_next_true(self.allowed & (cost < level))[1:], -1)
            here = self.allowed & (cost == level)
            cheaper[here] = following[here]
        return cheaper.tolist()

    def earliest_start(self, not_before: int) -> int | None:
        """The first allowed start at or after `not_before`, or None if none is left."""
        if not_before >= len(self.next_allowed):
            return None
        found = int(self.next_allowed[not_before])
        return None if found < 0 else found


def _next_true(flags: BoolArray) -> IntArray:
    """result[i] = the smallest j >= i with flags[j], or -1."""
    indices = np.where(flags, np.arange(len(flags), dtype=np.int32), len(flags))
    following = np.minimum.accumulate(indices[::-1])[::-1]
    return np.where(following == len(flags), -1, following)
