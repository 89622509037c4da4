"""From a learner's week to concrete time: weekly local wall-clock windows and blackout days
become tz-aware windows (in UTC), cut by busy time and to the learner's caps.

Wall-clock rules: 19:00 stays 19:00 local across a DST change; a window loses the part of
it that falls into a skipped hour and gains a repeated hour it spans. Durations are always
taken from UTC, because arithmetic on aware datetimes of one zone ignores DST.
"""

from __future__ import annotations

import bisect
from collections import defaultdict
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING

from planner.models.busy import BusyTime
from planner.models.profile import Profile
from planner.timeline.zones import local_to_utc

if TYPE_CHECKING:
    from planner.models.plan import StudySession


@dataclass(frozen=True)
class StudyWindow:
    """One concrete window of study time, in UTC, from the weekly window of `day`.
    `one_topic`: at most one topic may be studied in it (the rest of the window is
    taken by something else, such as reviews, that it must not share with a topic
    change)."""

    start: datetime
    end: datetime
    day: date
    one_topic: bool = False

    @property
    def minutes(self) -> int:
        return int((self.end - self.start).total_seconds() // 60)


def study_windows(
    profile: Profile,
    first_day: date,
    last_day: date,
    studied: Mapping[date, float] | None = None,
    busy: BusyTime | None = None,
    not_before: datetime | None = None,
) -> list[StudyWindow]:
    """Concrete windows of the weekly windows starting on `first_day` .. `last_day`.

    Blackout days (the profile's, and days an all-day busy event takes) are empty: a
    window on one is dropped, and a past-midnight window is cut at the midnight that
    starts one. Busy intervals cut windows into the free parts around them. Windows that
    a skipped hour swallows whole are dropped. The profile's caps (hours a day, hours a
    week from Monday) cut the windows that come last in their day or week; `studied`
    (minutes by day, from a re-plan's history) counts against them first. Nothing
    before `not_before` (a re-plan's start): time gone unused does not count against a
    cap, so the windows are cut there before the caps are applied.
    """
    zone = profile.zone
    busy = busy or BusyTime()

    def is_off(day: date) -> bool:
        return profile.is_blackout(day) or day in busy.days

    windows: list[StudyWindow] = []
    day = first_day
    while day <= last_day:
        if not is_off(day):
            for weekly in profile.windows_on(day):
                end_day = day + timedelta(days=1) if weekly.crosses_midnight else day
                end_time = weekly.end
                if end_day != day and is_off(end_day):
                    end_time = time(0, 0)
                start = local_to_utc(datetime.combine(day, weekly.start), zone)
                end = local_to_utc(datetime.combine(end_day, end_time), zone)
                if not_before is not None:
                    start = max(start, not_before)
                if end > start:
                    windows += free_parts(StudyWindow(start=start, end=end, day=day), busy)
        day += timedelta(days=1)
    return _capped(sorted(windows, key=lambda window: window.start), profile, studied or {})


def free_parts(window: StudyWindow, busy: BusyTime) -> Iterator[StudyWindow]:
    """The parts of `window` outside the busy intervals (each part keeps its day)."""
    start = window.start
    index = bisect.bisect_right(busy.ends, window.start)
    while index < len(busy.intervals) and busy.intervals[index][0] < window.end:
        busy_start, busy_end = busy.intervals[index]
        index += 1
        if busy_start > start:
            yield StudyWindow(start=start, end=busy_start, day=window.day)
        start = max(start, busy_end)
    if start < window.end:
        yield StudyWindow(start=start, end=window.end, day=window.day)


class StudyTally:
    """Minutes of study per day and per week (Monday to Sunday): what the caps count."""

    def __init__(self, minutes_by_day: Mapping[date, float] | None = None) -> None:
        self.by_day: dict[date, float] = defaultdict(float)
        self.by_week: dict[date, float] = defaultdict(float)
        for day, minutes in (minutes_by_day or {}).items():
            self.add(day, minutes)

    def add(self, day: date, minutes: float) -> None:
        self.by_day[day] += minutes
        self.by_week[week_of(day)] += minutes


def week_of(day: date) -> date:
    """The Monday that starts `day`'s week."""
    return day - timedelta(days=day.weekday())


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
    used = StudyTally(studied)
    kept = []
    for window in windows:
        left = min(day_cap - used.by_day[window.day], week_cap - used.by_week[week_of(window.day)])
        slots = min(window.minutes, max(left, 0)) // rules.slot_minutes
        usable = rules.usable_slots(int(slots)) * rules.slot_minutes
        if usable == 0:
            continue
        used.add(window.day, usable)
        end = window.start + timedelta(minutes=usable)
        kept.append(StudyWindow(start=window.start, end=end, day=window.day))
    return kept


def inside_some_window(
    session: StudySession, windows: list[StudyWindow], window_starts: list[datetime]
) -> bool:
    """Whether `session` lies inside one of `windows` (sorted; `window_starts` theirs)."""
    index = bisect.bisect_right(window_starts, session.start_utc) - 1
    return (
        index >= 0
        and windows[index].start <= session.start_utc
        and session.end_utc <= windows[index].end
    )


def minutes_by_window_day(sessions: Sequence[StudySession], profile: Profile) -> dict[date, float]:
    """The sessions' minutes by the day of the window each lies in, as the caps count
    them: after midnight in an evening's window is the evening's day. A session in no
    window (study outside the plan, or a week that changed since) counts on its own day."""
    if not sessions:
        return {}
    zone = profile.zone
    uncapped = profile.model_copy(update={"max_hours_per_day": None, "max_hours_per_week": None})
    first = min(s.start_utc for s in sessions).astimezone(zone).date() - timedelta(days=1)
    last = max(s.end_utc for s in sessions).astimezone(zone).date()
    windows = study_windows(uncapped, first, last)
    starts = [window.start for window in windows]
    by_day: dict[date, float] = defaultdict(float)
    for session in sessions:
        index = bisect.bisect_right(starts, session.start_utc) - 1
        inside = index >= 0 and session.start_utc < windows[index].end
        day = windows[index].day if inside else session.start_utc.astimezone(zone).date()
        by_day[day] += session.minutes
    return dict(by_day)
