"""What a plan records of the learner's busy calendars, and what a re-plan learns from
comparing that record with the calendars read today."""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from planner.inputs.plan_inputs import PlanInputs
from planner.models.busy import BusyInterval, BusyReport, BusyTime
from planner.models.plan import Plan, StudySession
from planner.timeline.clock import day_of
from planner.timeline.windows import StudyWindow, free_parts, study_windows


def recorded_busy(plan: Plan) -> BusyTime | None:
    """The busy time a plan records (None: made without busy calendars)."""
    if plan.busy is None:
        return None
    return BusyTime(
        intervals=tuple(
            (i.start.astimezone(UTC), i.end.astimezone(UTC)) for i in plan.busy.intervals
        ),
        days=frozenset(plan.busy.days),
    )


def busy_report(inputs: PlanInputs, first_day: date, finish: datetime | None) -> BusyReport | None:
    """Each source's digest, and the busy time that fell into the study windows from
    `first_day` to `finish`, with the hours it took out (None without busy calendars).
    Caps aside: the hours are what the calendar took out of the weekly windows."""
    if not inputs.busy:
        return None
    zone = inputs.profile.zone
    end = finish.astimezone(UTC) if finish else datetime.combine(first_day, time(), tzinfo=zone)
    last_day = end.astimezone(zone).date()
    busy = inputs.busy_time(first_day, last_day)
    uncapped = inputs.profile.model_copy(
        update={"max_hours_per_day": None, "max_hours_per_week": None}
    )
    plain = [w for w in study_windows(uncapped, first_day, last_day) if w.start < end]
    free = study_windows(uncapped, first_day, last_day, busy=busy)
    used: set[int] = set()
    for window in plain:
        index = bisect.bisect_right(busy.ends, window.start)
        while index < len(busy.intervals) and busy.intervals[index][0] < window.end:
            used.add(index)
            index += 1
    return BusyReport(
        sources=inputs.busy.digests(),
        hours=round((_minutes_before(plain, end) - _minutes_before(free, end)) / 60, 2),
        intervals=tuple(
            BusyInterval(start=start.astimezone(zone), end=stop.astimezone(zone))
            for start, stop in (busy.intervals[index] for index in sorted(used))
        ),
        days=tuple(sorted(day for day in busy.days if any(w.day == day for w in plain))),
    )


def busy_warnings(inputs: PlanInputs, plan: Plan) -> list[str]:
    """The busy calendars' events left out of busy time (a zone no one knows, an end
    before the start) that fall in the plan's days, each named with the reason."""
    if not inputs.busy:
        return []
    zone, first_day = inputs.profile.zone, plan.as_of or plan.start
    last_review = plan.reviews.last_review if plan.reviews is not None else None
    ends = [moment.astimezone(UTC) for moment in (plan.finish, last_review) if moment is not None]
    last_day = max(ends).astimezone(zone).date() if ends else first_day
    return inputs.busy.warnings(zone, first_day, last_day)


def _minutes_before(windows: Sequence[StudyWindow], end: datetime) -> float:
    return sum((min(w.end, end) - w.start).total_seconds() / 60 for w in windows if w.start < end)


def sessions_hit(
    sessions: Sequence[StudySession], busy: BusyTime, zone: ZoneInfo
) -> list[StudySession]:
    """The sessions that overlap busy time or touch a day it makes a blackout."""
    hit = []
    for session in sessions:
        whole = StudyWindow(start=session.start_utc, end=session.end_utc, day=session.start.date())
        last_instant = session.end_utc - timedelta(microseconds=1)
        days = {session.start_utc.astimezone(zone).date(), last_instant.astimezone(zone).date()}
        if list(free_parts(whole, busy)) != [whole] or days & busy.days:
            hit.append(session)
    return hit


def changed_sources(previous: Plan, inputs: PlanInputs) -> list[str]:
    """The sources whose bytes differ from what the previous plan read (new ones too)."""
    read = previous.busy.sources if previous.busy else ()
    before = {entry.source: entry.digest for entry in read}
    return [
        entry.source for entry in inputs.busy.digests() if before.get(entry.source) != entry.digest
    ]


def hit_by_busy(inputs: PlanInputs, previous: Plan, at: datetime) -> list[StudySession]:
    """The previous plan's sessions from `at` on that busy time now takes."""
    zone = inputs.profile.zone
    ahead = [s for s in previous.upcoming if s.start_utc >= at]
    if not inputs.busy or not ahead:
        return []
    last_day = max(s.end_utc for s in ahead).astimezone(zone).date()
    return sessions_hit(ahead, inputs.busy_time(day_of(at, zone), last_day), zone)
