"""An oracle for study windows and DST, for the property tests: the profile's weekly
windows expanded to real (UTC) instants with plain zoneinfo offsets and nothing of
`planner.timeline`. The validator shares the planner's window code, so a bug there
would pass it; it would not pass this.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from planner.models.fields import WEEKDAYS
from planner.models.plan import StudySession
from planner.models.profile import Profile


def instant_of(local: datetime, zone: ZoneInfo) -> datetime:
    """The UTC instant a naive wall-clock time names, by the guide's rules
    (docs/your-week.md), worked out from the zone's offsets alone (no fold): a repeated
    time is its first pass; a skipped time is the moment the clocks jump (the first
    instant whose wall clock is at or after it)."""
    offsets = {
        datetime.combine(local.date() + timedelta(days=shift), time(12), tzinfo=zone).utcoffset()
        for shift in (-1, 0, 1)
    }
    candidates = sorted(
        (local - offset).replace(tzinfo=UTC) for offset in offsets if offset is not None
    )
    exact = [t for t in candidates if t.astimezone(zone).replace(tzinfo=None) == local]
    if exact:
        return exact[0]
    moment = candidates[0]  # in the gap: step to the first instant past it, by the minute
    while moment.astimezone(zone).replace(tzinfo=None) < local:
        moment += timedelta(minutes=1)
    return moment


def _clocks(profile: Profile, day: date) -> list[tuple[time, time]]:
    """The (start, end) wall clocks of `day`'s weekday's windows."""
    texts = (str(window).split("-") for window in profile.weekly.get(WEEKDAYS[day.weekday()]) or ())
    return [(time.fromisoformat(start), time.fromisoformat(end)) for start, end in texts]


def _clocks_on(profile: Profile, day: date) -> list[tuple[time, time]]:
    """`day`'s windows; a holiday from Monday to Friday taken as a day off has those of
    its `like` weekday or its own, cut at midnight and after the night before's end."""
    holidays = profile.holidays
    if holidays is None or holidays.kind != "day_off" or day.weekday() > 4 or day not in holidays:
        return _clocks(profile, day)
    if holidays.windows is not None:
        texts = (str(window).split("-") for window in holidays.windows)
        own = [(time.fromisoformat(start), time.fromisoformat(end)) for start, end in texts]
    else:
        own = _clocks(profile, day - timedelta(days=day.weekday() - WEEKDAYS.index(holidays.like)))
    night_before = _clocks_on(profile, day - timedelta(days=1))
    free_from = max((end for start, end in night_before if end <= start), default=time(0))
    kept = []
    for start, end in own:
        start, end = max(start, free_from), time(0) if end <= start else end
        if end == time(0) or start < end:
            kept.append((start, end))
    return kept


def oracle_windows(
    profile: Profile, first_day: date, last_day: date
) -> list[tuple[datetime, datetime]]:
    """Every study window from `first_day` to `last_day` as UTC (start, end): the weekly
    windows of each day that is not a blackout, a past-midnight one cut at the midnight
    that starts a blackout day, empty ones dropped."""
    zone = profile.zone
    found = []
    day = first_day
    while day <= last_day:
        if not profile.is_blackout(day):
            for start_clock, end_clock in _clocks_on(profile, day):
                next_day = day + timedelta(days=1)
                end_day = next_day if end_clock <= start_clock else day
                if end_day == next_day and profile.is_blackout(next_day):
                    end_clock = time(0, 0)
                start = instant_of(datetime.combine(day, start_clock), zone)
                end = instant_of(datetime.combine(end_day, end_clock), zone)
                if end > start:
                    found.append((start, end))
        day += timedelta(days=1)
    return sorted(found)


def assert_inside_oracle_windows(
    sessions: Iterable[StudySession], profile: Profile, first_day: date
) -> None:
    """Each session lies in one window of the profile from `first_day` on."""
    sessions = list(sessions)
    if not sessions:
        return
    last_day = max(s.end.astimezone(profile.zone).date() for s in sessions)
    windows = oracle_windows(profile, first_day, last_day)
    for session in sessions:
        assert any(start <= session.start_utc and session.end_utc <= end
                   for start, end in windows), (
            f"{session.topic} {session.start}..{session.end} is in no study window"
        )  # fmt: skip
