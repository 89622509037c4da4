"""The solver's time axis: only available time, in whole slots, one block per window."""

from __future__ import annotations

import bisect
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from planner.models.profile import SessionRules
from planner.timeline.windows import StudyWindow


@dataclass(frozen=True)
class TimeAxis:
    """The solver's time axis: only available time, in whole slots, one block after another.

    A block is a window (its usable part: whole slots that split into sessions of
    `min_minutes` to `max_minutes`). Axis index k is the k-th available slot. A topic's
    time in one block is one session, or several back to back when it is longer than
    `max_minutes` (`SessionRules.split`). In a block of `one_topic_blocks` a topic may
    start only at its first slot, so no two topics share it.
    """

    slot: timedelta
    block_starts: tuple[datetime, ...]
    block_slots: tuple[int, ...]
    block_offsets: tuple[int, ...]
    # Blocks of windows that hold at most one topic: no topic starts inside them.
    one_topic_blocks: frozenset[int] = frozenset()

    @property
    def total_slots(self) -> int:
        return self.block_offsets[-1] + self.block_slots[-1] if self.block_slots else 0

    def block_of(self, slot_index: int) -> int:
        return bisect.bisect_right(self.block_offsets, slot_index) - 1

    def slot_start(self, slot_index: int) -> datetime:
        block = self.block_of(slot_index)
        return self.block_starts[block] + (slot_index - self.block_offsets[block]) * self.slot

    def slot_end(self, slot_index: int) -> datetime:
        """End of the slot `slot_index`: the moment the plan finishes if it is the last."""
        return self.slot_start(slot_index) + self.slot

    def position_at(self, moment: datetime) -> int:
        """The first axis position whose slot starts at or after `moment`
        (`total_slots` if none does)."""
        block = bisect.bisect_right(self.block_starts, moment) - 1
        if block < 0:
            return 0
        into = -(-(moment - self.block_starts[block]) // self.slot)  # whole slots, rounded up
        if into < self.block_slots[block]:
            return self.block_offsets[block] + into
        return self.block_offsets[block] + self.block_slots[block]

    def day_end(self, finish: int, zone: ZoneInfo) -> int:
        """The latest axis position a plan that finishes at `finish` (after slot
        `finish - 1`) could finish at on the same day in `zone` (the finish day a learner
        sees); `finish` itself when no later slot of the axis ends that day."""
        if finish <= 0:
            return finish
        day = self.slot_end(finish - 1).astimezone(zone).date()
        while finish < self.total_slots and self.slot_end(finish).astimezone(zone).date() == day:
            finish += 1
        return finish

    def truncated(self, length: int) -> TimeAxis:
        """The first `length` slots of the axis."""
        kept = [block for block, offset in enumerate(self.block_offsets) if offset < length]
        return TimeAxis(
            self.slot,
            tuple(self.block_starts[b] for b in kept),
            tuple(min(self.block_slots[b], length - self.block_offsets[b]) for b in kept),
            tuple(self.block_offsets[b] for b in kept),
            frozenset(block for block in self.one_topic_blocks if block < len(kept)),
        )

    def block_index(self) -> list[int]:
        """result[k] = the block (window) that axis position k is in."""
        return [block for block, size in enumerate(self.block_slots) for _ in range(size)]

    def pieces(self, start: int, end: int) -> list[tuple[int, int]]:
        """Axis range [start, end) cut at block edges: its time in each window."""
        cuts: list[tuple[int, int]] = []
        while start < end:
            block = self.block_of(start)
            block_end = self.block_offsets[block] + self.block_slots[block]
            cuts.append((start, min(end, block_end)))
            start = min(end, block_end)
        return cuts


def build_axis(windows: list[StudyWindow], rules: SessionRules) -> TimeAxis:
    """The axis of `windows`: each window's usable whole slots as one block. Time that
    cannot hold a session of `min_minutes` is left out: minutes that do not make a whole
    slot, windows shorter than the minimum session, and the end of a window that would
    leave a too-short session (150 min with sessions of 90-120 min: 120 min are used).
    Left in, such a scrap of time would also stop a topic from running on across it."""
    slot = timedelta(minutes=rules.slot_minutes)
    starts: list[datetime] = []
    sizes: list[int] = []
    offsets: list[int] = []
    one_topic: set[int] = set()
    usable: dict[int, int] = {}  # by whole slots: windows repeat every week
    offset = 0
    for window in windows:
        whole = window.minutes // rules.slot_minutes
        if whole not in usable:
            usable[whole] = rules.usable_slots(whole)
        size = usable[whole]
        if size:
            if window.one_topic:
                one_topic.add(len(starts))
            starts.append(window.start)
            sizes.append(size)
            offsets.append(offset)
            offset += size
    return TimeAxis(slot, tuple(starts), tuple(sizes), tuple(offsets), frozenset(one_topic))
