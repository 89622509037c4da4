"""The scheduling problem as the solver sees it, and what each start position costs.

Topics are sequenced on the time axis (only available time, in slots): one interval per
topic, one learner, so a topic is studied without interruption until it is done. Where a
topic starts fixes everything else about it: its time in each window it touches, so its
sessions (`SessionRules.split`), whether its first window's share can be split into
sessions long enough, whether its last session is a scrap. Those facts are precomputed
here for every start position, once, with numpy.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np
import numpy.typing as npt

from planner.models import SessionRules
from planner.timegrid import TimeAxis

# int32 holds any axis position (a century of 5-minute slots) at half the memory.
IntArray = npt.NDArray[np.int32]
BoolArray = npt.NDArray[np.bool_]


@dataclass(frozen=True)
class SchedulingProblem:
    """Topics to place on `axis`. Indices refer to positions in `topic_ids`."""

    topic_ids: tuple[str, ...]
    durations: tuple[int, ...]  # slots, each > 0
    predecessors: tuple[tuple[int, ...], ...]
    reference_order: tuple[int, ...]  # topological, roadmap order breaking ties
    axis: TimeAxis
    rules: SessionRules  # session lengths, in slots of the axis

    @property
    def min_slots(self) -> int:
        return self.rules.min_slots

    @property
    def max_slots(self) -> int:
        return self.rules.max_slots

    @property
    def horizon(self) -> int:
        return self.axis.total_slots

    @property
    def needed_slots(self) -> int:
        """Slots all topics need together (the axis may be longer: `horizon`)."""
        return sum(self.durations)

    @cached_property
    def start_tables(self) -> tuple[StartTable, ...]:
        blocks = _AxisArrays.of(self.axis, self.max_slots)
        return tuple(
            StartTable.build(blocks, duration, self.min_slots, self.max_slots)
            for duration in self.durations
        )


@dataclass(frozen=True)
class _AxisArrays:
    """The axis as arrays, built once for all of a problem's start tables."""

    sizes: IntArray  # slots per block
    offsets: IntArray  # first axis position of each block
    block_of_slot: IntArray  # the block of each axis position
    sessions_before: IntArray  # [b]: sessions that whole blocks before b make

    @classmethod
    def of(cls, axis: TimeAxis, max_slots: int) -> _AxisArrays:
        sizes = np.asarray(axis.block_slots, dtype=np.int32)
        return cls(
            sizes=sizes,
            offsets=np.asarray(axis.block_offsets, dtype=np.int32),
            block_of_slot=np.repeat(np.arange(len(sizes), dtype=np.int32), sizes),
            sessions_before=np.concatenate(([0], np.cumsum(-(-sizes // max_slots)))),
        )


@dataclass(frozen=True)
class StartTable:
    """For one topic of `duration` slots, indexed by start position 0 .. horizon-duration.

    allowed:  every session but the topic's last is at least the minimum: the share of
              the first window (when the topic goes on after it) splits into sessions
              that long (whole windows always do; the axis keeps only such time);
    sessions: the sessions it makes: in each window, ceil(share / longest session);
    scraps:   the last session is shorter than the minimum although the topic needs
              more than one session (allowed — it is only a remainder — but unwelcome).
    """

    allowed: BoolArray
    sessions: IntArray
    scraps: BoolArray
    next_allowed: IntArray  # smallest allowed start >= index, or -1

    @classmethod
    def build(
        cls, blocks: _AxisArrays, duration: int, min_slots: int, max_slots: int
    ) -> StartTable:
        sizes, offsets, block_of_slot = blocks.sizes, blocks.offsets, blocks.block_of_slot
        positions = np.arange(max(len(block_of_slot) - duration + 1, 0), dtype=np.int32)
        first_block = block_of_slot[positions]
        last_block = block_of_slot[positions + duration - 1]
        single = first_block == last_block
        first_share = np.minimum(offsets[first_block] + sizes[first_block] - positions, duration)
        last_share = np.where(single, duration, positions + duration - offsets[last_block])
        sessions_before = blocks.sessions_before
        whole_windows = sessions_before[last_block] - sessions_before[first_block + 1]
        first_count = -(-first_share // max_slots)
        last_count = -(-last_share // max_slots)
        sessions = np.where(
            single, last_count, first_count + np.maximum(whole_windows, 0) + last_count
        )
        allowed = single | (first_share >= first_count * max(min_slots, 1))
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
