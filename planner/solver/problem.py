"""The scheduling problem as the solver sees it, and what each start position costs.

Topics are sequenced on the time axis (only available time, in slots): one interval per
topic, one learner, so a topic is studied without interruption until it is done. Where a
topic starts fixes everything else about it: its time in each window it touches, so its
sessions (`SessionRules.split`), whether its first window's share can be split into
sessions long enough, whether its last session is a scrap. Those facts are precomputed
here for every start position, once.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from planner.arithmetic import ceil_div
from planner.models.profile import SessionRules
from planner.solver.fit_bound import least_idle_slots
from planner.solver.start_tables import AxisBlocks, StartTable
from planner.timeline.axis import TimeAxis


@dataclass(frozen=True)
class SchedulingProblem:
    """Topics to place on `axis`. Indices refer to positions in `topic_ids`."""

    topic_ids: tuple[str, ...]
    durations: tuple[int, ...]  # slots, each > 0
    predecessors: tuple[tuple[int, ...], ...]
    reference_order: tuple[int, ...]  # topological, roadmap order breaking ties
    axis: TimeAxis
    rules: SessionRules  # session lengths, in slots of the axis
    # The list schedule (`list_schedule.py`) when whoever sized the axis made it already
    # (`planning.horizon`): the solver's fallback, computed once per plan.
    list_schedule_starts: tuple[int, ...] | None = None

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
        """Each topic's table. A table depends only on the duration, so topics of the
        same length share one: memory grows with the distinct lengths, not the topics."""
        blocks = AxisBlocks.of(self.axis, self.max_slots)
        by_duration = {
            duration: StartTable.build(blocks, duration, self.min_slots, self.max_slots)
            for duration in sorted(set(self.durations))
        }
        return tuple(by_duration[duration] for duration in self.durations)

    @cached_property
    def block_of_slot(self) -> list[int]:
        """result[k] = the block (window) that axis position k is in."""
        return self.axis.block_index()

    @cached_property
    def fewest_sessions(self) -> list[int]:
        """result[k] = the fewest sessions that can cover axis positions [0, k): whole
        windows at ceil(length / longest session) each, and the part of the next one."""
        longest = self.max_slots
        fewest = [0] * (self.horizon + 1)
        done_before = 0
        for offset, size in zip(self.axis.block_offsets, self.axis.block_slots, strict=True):
            for used in range(1, size + 1):
                fewest[offset + used] = done_before + ceil_div(used, longest)
            done_before += ceil_div(size, longest)
        return fewest

    @cached_property
    def least_idle(self) -> int:
        """Slots every plan leaves idle before its finish, at the least, in any order
        (`fit_bound.py`): the finish is never before `needed_slots + least_idle`."""
        return least_idle_slots(self.durations, self.start_tables, self.horizon)
