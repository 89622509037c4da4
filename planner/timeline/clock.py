"""The learner's clock: what "now", "today" and "this week" mean where the learner is.

Every day boundary of the daily loop is the learner's local midnight, never the
machine's or UTC's: at 22:00 in Los Angeles it is already tomorrow in UTC, at 08:00 in
Tokyo still yesterday, and Chatham is 13:45 ahead. The CLI, the service and the
planning code read days through these functions only.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from planner.errors import PlannerError
from planner.models.fields import FIRST_PLANNING_DAY, LAST_PLANNING_DAY
from planner.timeline.zones import local_to_utc

_NOW = re.compile(r"(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2}))?")


def day_of(moment: datetime, zone: ZoneInfo) -> date:
    """The learner's calendar date at the instant `moment`."""
    return moment.astimezone(zone).date()


def start_of_day(day: date, zone: ZoneInfo) -> datetime:
    """The UTC instant the learner's `day` begins (where a DST change skips midnight,
    the first moment of the day that exists)."""
    return local_to_utc(datetime.combine(day, time(0, 0)), zone)


def week_of(day: date) -> tuple[date, date]:
    """The Monday and the Sunday of `day`'s week (weeks run Monday to Sunday)."""
    monday = day - timedelta(days=day.weekday())
    return monday, monday + timedelta(days=6)


def now_in(zone: ZoneInfo) -> datetime:
    """The clock, read in the learner's zone."""
    return datetime.now(UTC).astimezone(zone)


# The learner's now: a moment, or a day alone (its time not known).
Clock = datetime | date


def moment_of(clock: Clock, zone: ZoneInfo) -> datetime:
    """`clock` as a moment in `zone`: a day alone is its first moment."""
    if isinstance(clock, datetime):
        return clock.astimezone(zone)
    return start_of_day(clock, zone).astimezone(zone)


def until_of(clock: Clock, zone: ZoneInfo) -> datetime:
    """The moment by which everything at `clock` has happened: `clock` itself, or, for a
    day alone, its end (the first moment of the next day)."""
    if isinstance(clock, datetime):
        return clock.astimezone(zone)
    return start_of_day(clock + timedelta(days=1), zone).astimezone(zone)


def has_begun(instant: datetime, clock: Clock, zone: ZoneInfo) -> bool:
    """Whether `instant` is not after `clock`: with a day alone, any time of that day or
    before (the learner may be at its end)."""
    if isinstance(clock, datetime):
        return instant <= clock
    return day_of(instant, zone) <= clock


def parse_now(text: str, zone: ZoneInfo, option: str = "--now") -> Clock:
    """`--now YYYY-MM-DD[THH:MM]`, the learner's local time: an aware datetime in `zone`,
    or, for a day alone, that day (its time not known).

    Raises:
        PlannerError: not a date (and time) in that form, or outside the planning years.
    """
    match = _NOW.fullmatch(text.strip())
    try:
        if match is None:
            raise ValueError
        day = date.fromisoformat(match[1])
        clock = time.fromisoformat(match[2]) if match[2] else None
    except ValueError:
        raise PlannerError(
            f"{option}: {text!r} is not a local time: write YYYY-MM-DD or YYYY-MM-DDTHH:MM"
        ) from None
    if not FIRST_PLANNING_DAY <= day <= LAST_PLANNING_DAY:
        raise PlannerError(f"{option}: {day} is outside {FIRST_PLANNING_DAY}..{LAST_PLANNING_DAY}")
    if clock is None:
        return day
    return local_to_utc(datetime.combine(day, clock), zone).astimezone(zone)
