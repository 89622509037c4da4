"""The scheduling problem as the solver sees it, and what each start position costs.

Topics are sequenced on the time axis (only available time, in slots): one interval per
topic, one learner, so a topic is studied without interruption until it is done. Where a
topic starts fixes everything else about it: which blocks it touches (its sessions),
whether its first session is long enough, whether its last one is a scrap. Those facts
are precomputed here for every start position, once, with numpy.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np
import numpy.typing as npt

from planner.timegrid import TimeAxis

IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]


@dataclass(frozen=True)
class SchedulingProblem:
    """Topics to place on `axis`. Indices refer to positions in `topic_ids`."""

    topic_ids: tuple[str, ...]
    durations: tuple[int, ...]  # slots, each > 0
    predecessors: tuple[tuple[int, ...], ...]
    reference_order: tuple[int, ...]  # topological, roadmap order breaking ties
    axis: TimeAxis
    min_slots: int

    @property
    def horizon(self) -> int:
        return self.axis.total_slots

    @property
    def total_slots(self) -> int:
        return sum(self.durations)

    @cached_property
    def start_tables(self) -> tuple[StartTable, ...]:
        return tuple(
            StartTable.build(self.axis, duration, self.min_slots) for duration in self.durations
        )


@dataclass(frozen=True)
class StartTable:
    """For one topic of `duration` slots, indexed by start position 0 .. horizon-duration.

    allowed:  no session but the last would be shorter than the minimum (the axis
              has no block shorter than that, so only the first piece can be);
    sessions: blocks touched, i.e. the number of sessions;
    scraps:   the last session is shorter than the minimum although the topic needs
              more than one session (allowed — it is only a remainder — but unwelcome).
    """

    allowed: BoolArray
    sessions: IntArray
    scraps: BoolArray
    next_allowed: IntArray  # smallest allowed start >= index, or -1

    @classmethod
    def build(cls, axis: TimeAxis, duration: int, min_slots: int) -> StartTable:
        sizes = np.asarray(axis.block_slots, dtype=np.int64)
        offsets = np.asarray(axis.block_offsets, dtype=np.int64)
        positions = np.arange(max(axis.total_slots - duration + 1, 0), dtype=np.int64)
        block_of_slot = np.repeat(np.arange(len(sizes), dtype=np.int64), sizes)
        first_block = block_of_slot[positions]
        last_block = block_of_slot[positions + duration - 1]
        first_piece = np.minimum(offsets[first_block] + sizes[first_block] - positions, duration)
        last_piece = positions + duration - offsets[last_block]
        single = first_block == last_block
        allowed = single | (first_piece >= min_slots)
        scraps = ~single & (last_piece < min_slots)
        return cls(
            allowed=allowed,
            sessions=last_block - first_block + 1,
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
    indices = np.where(flags, np.arange(len(flags), dtype=np.int64), len(flags))
    following = np.minimum.accumulate(indices[::-1])[::-1]
    return np.where(following == len(flags), -1, following)
