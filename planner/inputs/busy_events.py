"""Which events of a busy calendar are read, and which are set aside with a reason the
learner is told: one event that cannot be placed in time should not stop a plan, and
must not be guessed at either.

Set aside:
- an event whose TZID names no zone we know and has no VTIMEZONE in the file. icalendar
  reads IANA names, Windows names (its own CLDR table) and "globally unique" TZIDs
  (`/vendor/Europe/Berlin`); anything else it leaves as a floating time, which we would
  read in the learner's zone (6 h off for a New York learner with a Berlin meeting).
  Outlook's display names ("(UTC+01:00) Amsterdam, Berlin, Bern, Rome, Stockholm,
  Vienna") are read by the cities they list, but only when every listed place that is an
  IANA city changes its clocks at the same instants to the same offsets (in the event's
  year and in a year their current rules govern), with the standard offset the name
  states. "(UTC-08:00) Pacific Time (US & Canada)" lists no city, and an offset alone is
  no zone (DST), so it is set aside. No library we found carries a table of these names
  (they differ by Windows version and language: "Rom", "Wien" in German).
- an event that ends before it starts, or lasts a negative DURATION: libical drops it,
  recurring-ical-events would swap the ends (busy time where the file says none).
"""

from __future__ import annotations

import functools
import re
import zoneinfo
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from planner.inputs.busy_rules import event_label

if TYPE_CHECKING:
    import icalendar

_TIMES = ("DTSTART", "DTEND", "RECURRENCE-ID", "EXDATE", "RDATE")
_DISPLAY_NAME = re.compile(r"\((?:UTC|GMT)(?:([+-])(\d{1,2}):(\d{2}))?\)\s*(.+)")
_RULE_YEAR = 2040  # past the transitions a TZif table lists: its footer rule applies


def set_aside(calendar: icalendar.Calendar) -> list[tuple[icalendar.Component, str]]:
    """The events of `calendar` that cannot be read as busy time, each with the reason
    in words; an Outlook display name that names a zone unambiguously is read in it
    (the event's times are changed in place)."""
    found = []
    for event in calendar.walk("VEVENT"):
        reason = _unknown_zone(event) or _ends_before_start(event)
        if reason is not None:
            found.append((event, f"{event_label(event)} left out: {reason}"))
    return found


def _unknown_zone(event: icalendar.Component) -> str | None:
    """Why `event` cannot be placed in time (a TZID that names no zone), or None after
    reading its display-name TZIDs in the zone they name."""
    for name in _TIMES:
        for prop in _listed(event.get(name)):
            tzid = prop.params.get("TZID") if hasattr(prop, "params") else None
            values = [prop] if hasattr(prop, "dt") else list(getattr(prop, "dts", []))
            naive = [v for v in values if isinstance(v.dt, datetime) and v.dt.tzinfo is None]
            if not tzid or not naive:
                continue
            zone = zone_of_display_name(str(tzid), naive[0].dt.year)
            if zone is None:
                return (
                    f'its time zone "{tzid}" is neither an IANA nor a Windows zone name, and '
                    "the file has no VTIMEZONE for it; give the event a known zone"
                )
            for value in naive:
                value.dt = value.dt.replace(tzinfo=zone)
    return None


def _ends_before_start(event: icalendar.Component) -> str | None:
    start, end, duration = event.get("DTSTART"), event.get("DTEND"), event.get("DURATION")
    if start is None or not hasattr(start, "dt"):
        return None
    length = getattr(duration, "dt", None)
    if isinstance(length, timedelta) and length < timedelta(0):
        return f"it lasts less than nothing (DURATION:{duration.to_ical().decode()})"
    if end is None or not hasattr(end, "dt"):
        return None
    begins, ends = _comparable(start.dt), _comparable(end.dt)
    return f"it ends ({end.dt}) before it starts ({start.dt})" if ends < begins else None


def _comparable(moment: date | datetime) -> datetime:
    if not isinstance(moment, datetime):
        return datetime(moment.year, moment.month, moment.day, tzinfo=UTC)
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def _listed(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def zone_of_display_name(tzid: str, year: int) -> ZoneInfo | None:
    """The zone an Outlook display name such as "(UTC+01:00) Amsterdam, Berlin, Bern,
    Rome, Stockholm, Vienna" names: its places that are IANA cities, if they change
    their clocks at the same instants to the same offsets in `year` (the event's) and
    in _RULE_YEAR (the rule each keeps from now on), and their standard offset is the
    one stated. None when no place is a city, or they disagree."""
    found = _DISPLAY_NAME.fullmatch(tzid.strip())
    if found is None:
        return None
    sign, hours, minutes, places = found.groups()
    stated = timedelta(hours=int(hours or 0), minutes=int(minutes or 0))
    stated = -stated if sign == "-" else stated
    cities = _zones_by_city()
    keys = sorted(key for place in places.split(",") for key in cities.get(_city(place), ()))
    years = (year, _RULE_YEAR)
    if not keys or len({tuple(_offset_changes(key, y) for y in years) for key in keys}) != 1:
        return None
    zone = ZoneInfo(keys[0])
    # Windows states the standard offset: the lower of winter's and summer's.
    offsets = [offset for _instant, offset in _offset_changes(keys[0], _RULE_YEAR)]
    return zone if min(o for o in offsets if o is not None) == stated else None


def _city(place: str) -> str:
    return place.strip().replace(" ", "_").lower()


@functools.cache
def _zones_by_city() -> dict[str, tuple[str, ...]]:
    """IANA zone names by their last part in lower case ("berlin": Europe/Berlin)."""
    by_city: dict[str, list[str]] = {}
    for key in zoneinfo.available_timezones():
        by_city.setdefault(key.rsplit("/", 1)[-1].lower(), []).append(key)
    return {city: tuple(keys) for city, keys in by_city.items()}


@functools.cache
def _offset_changes(key: str, year: int) -> tuple[tuple[datetime, timedelta | None], ...]:
    """The zone's UTC offset at the start of `year`, and each change in it: the instant
    (to the minute, found by halving the day it falls in) and the new offset."""
    zone = ZoneInfo(key)

    def offset(moment: datetime) -> timedelta | None:
        return moment.astimezone(zone).utcoffset()

    day = datetime(year, 1, 1, tzinfo=UTC)
    changes = [(day, offset(day))]
    while day.year == year:
        after = day + timedelta(days=1)
        if offset(after) != offset(day):
            before, changed = day, after
            while changed - before > timedelta(minutes=1):
                middle = before + (changed - before) / 2
                before, changed = (
                    (middle, changed) if offset(middle) == offset(before) else (before, middle)
                )
            changes.append((changed, offset(changed)))
        day = after
    return tuple(changes)
