"""From a learner's week to concrete time: weekly local wall-clock windows and blackout days
become tz-aware windows (in UTC), and those become the solver's time axis.

Wall-clock rules: 19:00 stays 19:00 local across a DST change; a window loses the part of
it that falls into a skipped hour and gains a repeated hour it spans. Durations are always
taken from UTC, because arithmetic on aware datetimes of one zone ignores DST.
"""

from __future__ import annotations

import bisect
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from planner.models import Profile, SessionRules


@dataclass(frozen=True)
class StudyWindow:
    """One concrete window of study time, in UTC, from the weekly window of `day`."""

    start: datetime
    end: datetime
    day: date

    @property
    def minutes(self) -> int:
        return int((self.end - self.start).total_seconds() // 60)


def local_to_utc(local: datetime, zone: ZoneInfo) -> datetime:
    """The UTC instant of a naive local wall-clock time.

    A repeated (fall-back) time resolves to its first occurrence, so a window gains the
    repeated hour only when it spans all of it ("01:30-03:30"), and "01:00-02:00" ends
    where "02:00-03:00" begins. A skipped (spring-forward) time resolves to the
    transition instant, so a window loses just the skipped part.
    """
    first = local.replace(tzinfo=zone, fold=0).astimezone(UTC)
    second = local.replace(tzinfo=zone, fold=1).astimezone(UTC)
    if first == second or first.astimezone(zone).replace(tzinfo=None) == local:
        return min(first, second)
    return _transition_between(min(first, second), max(first, second), zone)


def _transition_between(before: datetime, after: datetime, zone: ZoneInfo) -> datetime:
    """The first instant in (before, after] with `after`'s UTC offset (bisection, 1 s)."""
    target = after.astimezone(zone).utcoffset()
    low, high = before, after
    while high - low > timedelta(seconds=1):
        middle = low + (high - low) / 2
        middle = middle.replace(microsecond=0)
        if middle.astimezone(zone).utcoffset() == target:
            high = middle
        else:
            low = middle
    return high


def study_windows(
    profile: Profile, first_day: date, last_day: date, studied: Mapping[date, float] | None = None
) -> list[StudyWindow]:
    """Concrete windows of the weekly windows starting on `first_day` .. `last_day`.

    Blackout days are empty: a window on a blackout day is dropped, and a past-midnight
    window is cut at the midnight that starts a blackout day. Windows that a skipped hour
    swallows whole are dropped. The profile's caps (hours a day, hours a week from
    Monday) cut the windows that come last in their day or week; `studied` (minutes by
    day, from a re-plan's history) counts against them first.
    """
    zone = profile.zone
    windows: list[StudyWindow] = []
    day = first_day
    while day <= last_day:
        if not profile.is_blackout(day):
            for weekly in profile.windows_on(day):
                end_day = day + timedelta(days=1) if weekly.crosses_midnight else day
                end_time = weekly.end
                if end_day != day and profile.is_blackout(end_day):
                    end_time = time(0, 0)
                start = local_to_utc(datetime.combine(day, weekly.start), zone)
                end = local_to_utc(datetime.combine(end_day, end_time), zone)
                if end > start:
                    windows.append(StudyWindow(start=start, end=end, day=day))
        day += timedelta(days=1)
    return _capped(sorted(windows, key=lambda window: window.start), profile, studied or {})


def _capped(
    windows: list[StudyWindow], profile: Profile, studied: Mapping[date, float]
) -> list[StudyWindow]:
    """`windows` cut to the profile's hours a day and a week, the earliest kept first.
    Only time that can hold sessions counts against a cap: whole slots that split into
    sessions of `min_minutes` or more (as `build_axis` will use them)."""
    if profile.max_hours_per_day is None and profile.max_hours_per_week is None:
        return windows
    rules = profile.session
    day_cap = (profile.max_hours_per_day or 24) * 60
    week_cap = (profile.max_hours_per_week or 168) * 60
    used_by_day: dict[date, float] = defaultdict(float)
    used_by_week: dict[date, float] = defaultdict(float)
    for day, minutes in studied.items():
        used_by_day[day] += minutes
        used_by_week[day - timedelta(days=day.weekday())] += minutes
    kept = []
    for window in windows:
        week = window.day - timedelta(days=window.day.weekday())
        left = min(day_cap - used_by_day[window.day], week_cap - used_by_week[week])
        slots = min(window.minutes, max(left, 0)) // rules.slot_minutes
        usable = rules.usable_slots(int(slots)) * rules.slot_minutes
        if usable == 0:
            continue
        used_by_day[window.day] += usable
        used_by_week[week] += usable
        end = window.start + timedelta(minutes=usable)
        kept.append(StudyWindow(start=window.start, end=end, day=window.day))
    return kept


@dataclass(frozen=True)
class TimeAxis:
    """The solver's time axis: only available time, in whole slots, one block after another.

    A block is a window (its usable part: whole slots that split into sessions of
    `min_minutes` to `max_minutes`). Axis index k is the k-th available slot. A topic's
    time in one block is one session, or several back to back when it is longer than
    `max_minutes` (`SessionRules.split`).
    """

    slot: timedelta
    block_starts: tuple[datetime, ...]
    block_slots: tuple[int, ...]
    block_offsets: tuple[int, ...]

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
    offset = 0
    for window in windows:
        size = rules.usable_slots(window.minutes // rules.slot_minutes)
        if size:
            starts.append(window.start)
            sizes.append(size)
            offsets.append(offset)
            offset += size
    return TimeAxis(slot, tuple(starts), tuple(sizes), tuple(offsets))
