"""Exact, RRULE-based VTIMEZONE components derived from zoneinfo.

Every VEVENT we write carries ``DTSTART;TZID=<IANA name>``; the calendar must
also carry a VTIMEZONE whose rules give the right UTC instant in every client.

Why RRULE and not date lists
----------------------------
icalendar's own generator (``Timezone.from_tzinfo`` and
``Calendar.add_missing_timezones``) writes one STANDARD/DAYLIGHT component per
kind of change, with the first onset as DTSTART and every later onset in one
comma-separated RDATE list.  ical.js 2.2.1 (Thunderbird, many web apps) reads
such a VTIMEZONE wrongly: ``Timezone._expandComponent`` ignores DTSTART as an
onset once a component has an RDATE, and it takes only the *first* value of
each RDATE property.  Whole summers then read as standard time, 1 h off (see
``tests/test_vtimezone.py``).  icalendar also writes spring-forward onsets in
the wall clock *after* the change (03:00 for Europe/Berlin) while RFC 5545
wants the clock before it (TZOFFSETFROM, 02:00), so they read 1 h late.

The well-known tzurl.org/Outlook style avoids all of this: one component per
recurring change with ``RRULE:FREQ=YEARLY;BYMONTH=..;BYDAY=..``, which every
client we know of expands correctly.  This module derives such rules from
zoneinfo instead of hard-coding them per zone:

1. scan the zone for every change of (offset, DST flag, name) in a window of
   whole years around ``[first, last]``;
2. group the changes by (offset before, observance after);
3. cut each group into runs of consecutive years that one yearly rule
   reproduces: month + weekday + wall-clock time, with the day given as
   "last weekday" (``-1SU``), "nth weekday" (``2SU``) or "weekday on or after
   day D" (``BYDAY=FR;BYMONTHDAY=23,...,29``, e.g. Asia/Jerusalem).
   When a few years fit several rules (e.g. ``1SU`` and ``Sun>=2``), the one
   zoneinfo confirms for the most following years wins;
4. a rule that zoneinfo does not continue after its last change gets an
   UNTIL; a change that fits no rule (e.g. Africa/Casablanca's Ramadan
   changes) gets a component of its own with DTSTART only -- no RRULE, no
   RDATE -- which ical.js reads right;
5. expand the result again and require it to equal zoneinfo's changes.

The window runs from 1 January of the year before ``first`` to the end of
the year after ``last`` (local time).  The result is exact from its earliest
onset -- the first change in the window, or the window start for zones
without one before ``first`` -- to the window end, so always on
``[first, last]``.  After the window the rules follow zoneinfo's own
projection as far as a yearly rule can.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import NamedTuple
from zoneinfo import ZoneInfo

from icalendar import Timezone, TimezoneDaylight, TimezoneStandard

from planner.timeline.yearly_rules import YearlyRule, fitting_rules
from planner.timeline.zones import first_second_where

__all__ = ["build_vtimezone"]

_UTC = UTC
_ZERO = timedelta(0)
# Scan step: zoneinfo is sampled this often, then bisected to the second.
# A change undone within one step would be missed; tzdata (2026) has no two
# changes less than two days apart since 1970.
_SCAN_STEP = timedelta(hours=6)
# Years after its last change in the window that a rule is checked against
# zoneinfo, to pick among rules that fit the window equally well (28 years:
# one full cycle of weekdays and leap years).
_LOOKAHEAD_YEARS = 28


class _Observance(NamedTuple):
    """What a zone's clocks show: UTC offset, name and whether it is DST."""

    offset: timedelta
    name: str
    is_daylight: bool


@dataclass(frozen=True)
class _Transition:
    """A change of observance at a UTC instant."""

    at: datetime
    before: _Observance
    after: _Observance

    @property
    def local(self) -> datetime:
        """Wall-clock time of the change in the 'from' offset (RFC 5545)."""
        return (self.at + self.before.offset).replace(tzinfo=None)


@dataclass(frozen=True)
class _Run:
    """Changes of one kind, one per consecutive year, sharing one rule.

    ``rule`` is None for a change that fits no rule: then the run holds
    exactly one change.  ``until`` ends a rule that zoneinfo does not go on with.
    """

    changes: tuple[_Transition, ...]
    rule: YearlyRule | None
    until: datetime | None

    def onsets(self, end: datetime) -> list[datetime]:
        """UTC instants this run's component defines before ``end``."""
        head = self.changes[0]
        if self.rule is None:
            return [head.at]
        result: list[datetime] = []
        year = head.local.year
        while True:
            onset = _to_utc(self.rule.occurrence(year), head.before.offset)
            if onset >= end or (self.until is not None and onset > self.until):
                return result
            result.append(onset)
            year += 1


def build_vtimezone(tz_name: str, first: datetime, last: datetime) -> Timezone:
    """VTIMEZONE for tz_name that is exact for every instant in [first, last] (aware datetimes)."""
    if first.utcoffset() is None or last.utcoffset() is None:
        raise ValueError("first and last must be aware datetimes")
    if first > last:
        raise ValueError(f"first ({first}) is after last ({last})")
    if first.year < 1900 or last.year > 9000:
        raise ValueError("first and last must lie in the years 1900..9000")
    zone = ZoneInfo(tz_name)
    start = _new_year(zone, first.astimezone(zone).year - 1)
    end = _new_year(zone, last.astimezone(zone).year + 2)
    changes = _find_transitions(zone, start, end)
    runs = [run for group in _group(changes) for run in _runs(zone, group)]
    _verify(runs, changes, end, tz_name)
    components = [_component(run) for run in runs]
    if not changes or changes[0].at > first:
        components.append(_initial_component(_observance(zone, start), start))
    components.sort(key=lambda c: (c.DTSTART, c.name))
    vtimezone = Timezone()
    vtimezone.add("TZID", tz_name)
    for component in components:
        vtimezone.add_component(component)
    return vtimezone


def _new_year(zone: ZoneInfo, year: int) -> datetime:
    """Local midnight of 1 January ``year``, as a UTC instant."""
    return datetime(year, 1, 1, tzinfo=zone).astimezone(_UTC)


def _observance(zone: ZoneInfo, instant: datetime) -> _Observance:
    local = instant.astimezone(zone)
    offset, dst = local.utcoffset(), local.dst()
    if offset is None or dst is None:  # pragma: no cover - zoneinfo always answers
        raise ValueError(f"{zone.key} has no UTC offset at {instant}")
    return _Observance(offset, local.tzname() or _format_offset(offset), dst > _ZERO)


def _find_transitions(zone: ZoneInfo, start: datetime, end: datetime) -> list[_Transition]:
    """Every change of observance in [start, end), in order."""
    result: list[_Transition] = []
    instant, current = start, _observance(zone, start)
    while instant < end:
        probe = instant + _SCAN_STEP
        if probe > end:
            probe = end
        if _observance(zone, probe) == current:
            instant = probe
            continue
        change = _bisect(zone, instant, probe, current)
        result.append(change)
        instant, current = change.at, change.after
    return result


def _bisect(zone: ZoneInfo, low: datetime, high: datetime, before: _Observance) -> _Transition:
    """The first second in (low, high] whose observance is not ``before``."""
    at = first_second_where(low, high, lambda moment: _observance(zone, moment) != before)
    return _Transition(at, before, _observance(zone, at))


def _group(changes: list[_Transition]) -> list[list[_Transition]]:
    """Changes grouped by (offset before, observance after), in order."""
    groups: dict[tuple[timedelta, _Observance], list[_Transition]] = {}
    for change in changes:
        groups.setdefault((change.before.offset, change.after), []).append(change)
    return list(groups.values())


def _runs(zone: ZoneInfo, group: list[_Transition]) -> list[_Run]:
    """Cut a group into maximal runs of consecutive years with one rule."""
    runs: list[_Run] = []
    index = 0
    while index < len(group):
        stop, rules = index + 1, []
        while stop < len(group) and group[stop].local.year == group[stop - 1].local.year + 1:
            fitting = fitting_rules([change.local for change in group[index : stop + 1]])
            if not fitting:
                break
            stop, rules = stop + 1, fitting
        changes = tuple(group[index:stop])
        if not rules:
            runs.append(_Run(changes, None, None))
        else:
            # max() keeps the first of equals, so ties follow the preference order.
            rule = max(rules, key=lambda r: _years_confirmed(zone, r, changes[-1]))
            following = _years_confirmed(zone, rule, changes[-1], limit=1)
            runs.append(_Run(changes, rule, None if following else _until(changes[-1])))
        index = stop
    return runs


def _years_confirmed(
    zone: ZoneInfo, rule: YearlyRule, last: _Transition, limit: int = _LOOKAHEAD_YEARS
) -> int:
    """For how many years after ``last`` zoneinfo makes the change ``rule`` predicts."""
    for years in range(limit):
        at = _to_utc(rule.occurrence(last.local.year + years + 1), last.before.offset)
        before = _observance(zone, at - timedelta(seconds=1))
        if before.offset != last.before.offset or _observance(zone, at) != last.after:
            return years
    return limit


def _until(last: _Transition) -> datetime:
    """UNTIL for a rule whose last onset is ``last``.

    RFC 5545 wants UTC; dateutil's tzical (icalendar's ``Timezone.to_tz``)
    drops the Z and compares with the local DTSTART.  Any value from the last
    onset to the next (a year later) is the same rule, so take the later of
    the two readings: both then include the last onset.
    """
    return max(last.at, last.local.replace(tzinfo=_UTC))


def _verify(runs: list[_Run], changes: list[_Transition], end: datetime, tz_name: str) -> None:
    """Expand the runs again; they must give exactly zoneinfo's changes."""
    expected = [(change.at, change.after) for change in changes]
    actual = sorted(
        ((onset, run.changes[0].after) for run in runs for onset in run.onsets(end)),
        key=lambda pair: pair[0],
    )
    if actual != expected:  # pragma: no cover - a bug in this module
        raise RuntimeError(f"VTIMEZONE rules for {tz_name} do not reproduce zoneinfo")


def _component(run: _Run) -> TimezoneStandard | TimezoneDaylight:
    head = run.changes[0]
    component = _new_component(head.before.offset, head.after, head.local)
    if run.rule is not None:
        component.add("RRULE", run.rule.to_recur(run.until))
    return component


def _initial_component(
    observance: _Observance, start: datetime
) -> TimezoneStandard | TimezoneDaylight:
    """The observance in force at the window start, for zones without an
    earlier change in the window (e.g. no DST at all)."""
    local_start = (start + observance.offset).replace(tzinfo=None)
    return _new_component(observance.offset, observance, local_start)


def _new_component(
    offset_from: timedelta, after: _Observance, local_start: datetime
) -> TimezoneStandard | TimezoneDaylight:
    component = TimezoneDaylight() if after.is_daylight else TimezoneStandard()
    component.add("TZNAME", after.name)
    component.add("TZOFFSETFROM", offset_from)
    component.add("TZOFFSETTO", after.offset)
    component.add("DTSTART", local_start)
    return component


def _to_utc(local: datetime, offset: timedelta) -> datetime:
    return (local - offset).replace(tzinfo=_UTC)


def _format_offset(offset: timedelta) -> str:
    seconds = int(offset.total_seconds())
    sign = "+" if seconds >= 0 else "-"
    hours, minutes = divmod(abs(seconds) // 60, 60)
    return f"{sign}{hours:02d}{minutes:02d}"
