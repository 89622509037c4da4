"""Yearly rules such as "the last Sunday of March at 02:00": recognising them in a zone's
changes, and writing them as iCalendar RRULEs (for `vtimezone`)."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, datetime, time

from icalendar import vRecur

_WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


@dataclass(frozen=True)
class YearlyRule:
    """Yearly change on a weekday in a 7-day window of a month.

    ``first_day`` is the first day of the window; None means the last seven
    days of the month ("last weekday").
    """

    month: int
    weekday: int
    first_day: int | None
    at: time

    def occurrence(self, year: int) -> datetime:
        """Local wall-clock time of the change in ``year``."""
        first_day = self.first_day
        if first_day is None:
            first_day = calendar.monthrange(year, self.month)[1] - 6
        start_weekday = date(year, self.month, first_day).weekday()
        day = first_day + (self.weekday - start_weekday) % 7
        return datetime.combine(date(year, self.month, day), self.at)

    def to_recur(self, until: datetime | None) -> vRecur:
        """The rule as ``FREQ=YEARLY;BYMONTH=..;BYDAY=..`` (+ BYMONTHDAY)."""
        weekday = _WEEKDAYS[self.weekday]
        recur = vRecur(freq="YEARLY", bymonth=self.month)
        if self.first_day is None:
            recur["BYDAY"] = f"-1{weekday}"
        elif self.first_day in (1, 8, 15, 22):
            recur["BYDAY"] = f"{(self.first_day - 1) // 7 + 1}{weekday}"
        else:
            recur["BYDAY"] = weekday
            recur["BYMONTHDAY"] = list(range(self.first_day, self.first_day + 7))
        if until is not None:
            recur["UNTIL"] = until
        return recur


def fitting_rules(onsets: list[datetime]) -> list[YearlyRule]:
    """Yearly rules whose occurrences are exactly ``onsets``, most natural first.

    Order: last weekday, nth weekday, then "weekday on or after day D" with
    the latest D first.  A few years of onsets often fit several rules.
    """
    head = onsets[0]
    month, weekday, at = head.month, head.weekday(), head.time()
    if any((o.month, o.weekday(), o.time()) != (month, weekday, at) for o in onsets):
        return []
    # "On or after day D" fits iff D <= every day and D > every day - 7; the
    # window D..D+6 must also fit in the month's shortest length.
    low = max(o.day for o in onsets) - 6
    high = min(min(o.day for o in onsets), calendar.monthrange(2001, month)[1] - 6)
    first_days = sorted(range(max(low, 1), high + 1), key=lambda d: (d % 7 != 1, -d))
    candidates = [YearlyRule(month, weekday, None, at)]
    candidates += [YearlyRule(month, weekday, d, at) for d in first_days]
    return [r for r in candidates if all(r.occurrence(o.year) == o for o in onsets)]
