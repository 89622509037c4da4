"""The recurrence rules of a busy calendar, checked part by part before they are
expanded, so that a broken rule is reported as what it is (`BYDAY=XX`: not a weekday)
rather than as whatever the expanding library trips over next ("UNTIL parameter is
missing"), and a rule that would never end (`INTERVAL=0`, every second without a
COUNT) is refused before it hangs the run. A time icalendar could not read (`EXDATE:
2027xx`) is reported with its event too.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING

from planner.errors import BusySourceError

if TYPE_CHECKING:
    import icalendar

MAX_INSTANCES = 50_000  # events of one source in the planning period: more is a runaway rule
_FREQUENCIES = ("SECONDLY", "MINUTELY", "HOURLY", "DAILY", "WEEKLY", "MONTHLY", "YEARLY")
_RUNAWAY = {"SECONDLY": "second", "MINUTELY": "minute"}
_TIMES = ("DTSTART", "DTEND", "DURATION", "RDATE", "EXDATE", "RECURRENCE-ID")
_WEEKDAY = r"(MO|TU|WE|TH|FR|SA|SU)"
_DAYS_HELP = "a weekday MO TU WE TH FR SA SU, optionally after a number from -53 to 53 (2MO, -1FR)"


def _numbers(low: int, high: int, *, signed: bool) -> Callable[[str], str | None]:
    """A check of a comma-separated list of whole numbers from low to high (and from
    -high to -low when `signed`)."""

    def check(value: str) -> str | None:
        for item in value.split(","):
            if not re.fullmatch(r"[+-]?\d{1,7}" if signed else r"\d{1,7}", item):
                return f"{item!r} is not a whole number"
            if not low <= abs(int(item)) <= high:
                span = f"{low} to {high}" + (f" (or -{high} to -{low})" if signed else "")
                return f"{item} is not in {span}"
        return None

    return check


def _weekdays(value: str) -> str | None:
    for item in value.split(","):
        found = re.fullmatch(rf"([+-]?\d{{1,2}})?{_WEEKDAY}", item)
        if found is None or (found.group(1) and not 1 <= abs(int(found.group(1))) <= 53):
            return f"{item!r} is not {_DAYS_HELP}"
    return None


def _one_of(*allowed: str) -> Callable[[str], str | None]:
    def check(value: str) -> str | None:
        return None if value in allowed else f"{value!r} is not one of {', '.join(allowed)}"

    return check


def _until(value: str) -> str | None:
    ok = re.fullmatch(r"\d{8}(T\d{6}Z?)?", value)
    return None if ok else f"{value!r} is not a date (20270131) or a time (20270131T235959Z)"


_PARTS: dict[str, Callable[[str], str | None]] = {
    "FREQ": _one_of(*_FREQUENCIES),
    "INTERVAL": _numbers(1, 1_000_000, signed=False),
    "COUNT": _numbers(1, 1_000_000, signed=False),
    "UNTIL": _until,
    "BYSECOND": _numbers(0, 60, signed=False),
    "BYMINUTE": _numbers(0, 59, signed=False),
    "BYHOUR": _numbers(0, 23, signed=False),
    "BYDAY": _weekdays,
    "BYMONTHDAY": _numbers(1, 31, signed=True),
    "BYYEARDAY": _numbers(1, 366, signed=True),
    "BYWEEKNO": _numbers(1, 53, signed=True),
    "BYMONTH": _numbers(1, 12, signed=False),
    "BYSETPOS": _numbers(1, 366, signed=True),
    "WKST": _one_of("MO", "TU", "WE", "TH", "FR", "SA", "SU"),
}


def event_label(event: icalendar.Component) -> str:
    """An event as a learner finds it in their calendar: its title, UID and first day."""
    summary = str(event.get("SUMMARY", "")).strip()
    start = event.get("DTSTART")
    day = getattr(start, "dt", None) if "DTSTART" not in dict(event.errors) else None
    when = f", {day:%Y-%m-%d}" if day is not None else ""
    title = f'"{summary[:60]}" ' if summary else ""
    return f"event {title}(UID {event.get('UID', '?')}{when})"


def rule_problem(text: str) -> str | None:
    """What is wrong with one RRULE value, in words (None: nothing)."""
    seen = set()
    for part in text.strip().split(";"):
        name, equals, value = part.partition("=")
        name = name.strip().upper()
        if not equals or not value:
            return f"the part {part!r} is not NAME=VALUE"
        if name not in _PARTS:
            return f"{name} is not a part of a rule (FREQ, INTERVAL, COUNT, UNTIL, BY…, WKST)"
        if name in seen:
            return f"{name} is given twice"
        seen.add(name)
        problem = _PARTS[name](value.strip().upper())
        if problem is not None:
            return f"{name}={value}: {problem}"
    return None if "FREQ" in seen else "it has no FREQ (how often it repeats)"


def _check_times(event: icalendar.Component, name: str) -> None:
    """A time of the event that icalendar could not read (it keeps it as "broken")."""
    for prop, problem in getattr(event, "errors", []):
        if prop in _TIMES:
            raise BusySourceError(
                name, f"{event_label(event)} has a time that cannot be read: {prop}: {problem}"
            )


def check_rules(calendar: icalendar.Calendar, name: str) -> None:
    """Every event's RRULE read part by part, and one repeating every second or minute
    without a COUNT refused (it would take hours to expand).

    Raises:
        BusySourceError: names the calendar, the event and the part that is wrong.
    """
    for event in calendar.walk("VEVENT"):
        _check_times(event, name)
        rules = event.get("RRULE", [])
        for rule in rules if isinstance(rules, list) else [rules]:
            text = rule.to_ical().decode() if hasattr(rule, "to_ical") else str(rule)
            text = text.replace("\\", "")  # a broken rule comes back with its commas escaped
            problem = rule_problem(text)
            if problem is not None:
                raise BusySourceError(
                    name, f"{event_label(event)} has a rule that cannot be read: {problem}"
                )
            parts = dict(part.partition("=")[::2] for part in text.upper().split(";"))
            every = _RUNAWAY.get(parts["FREQ"])
            if every and not 0 < int(parts.get("COUNT", "0")) <= MAX_INSTANCES:
                raise BusySourceError(
                    name,
                    f"event {event.get('UID', '?')} repeats every {every} without a COUNT "
                    "(an endless RRULE): too many events to expand",
                )
