"""The public holidays a plan keeps free, or studies as days off, in the summary."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

from rich.text import Text

from planner.models.blackouts import HolidayBlackout
from planner.models.holidays_off import HolidaysOff
from planner.models.plan import Plan

NONE_STUDIED = "none falls on a day you study"


def holiday_lines(plan: Plan) -> list[Text]:
    """Holidays off on days you would study (`blackouts` and `holidays: {as: blackout}`),
    and holidays from Monday to Friday studied as days off (`holidays:`)."""
    if plan.profile is None or plan.finish is None:
        return []
    profile = plan.profile
    calendars: list[HolidayBlackout | HolidaysOff] = [
        b for b in profile.blackouts if isinstance(b, HolidayBlackout)
    ]
    if profile.holidays is not None and profile.holidays.kind == "blackout":
        calendars.append(profile.holidays)
    lines = []
    for calendar in calendars:
        found = _days(plan, calendar, lambda day: bool(profile.windows_on(day)))
        lines.append(f"Public holidays off ({calendar}): {found or NONE_STUDIED}")
    holidays = profile.holidays
    if holidays is not None and holidays.kind == "day_off":
        found = _days(plan, holidays, holidays.is_day_off)
        lines.append(f"Public holidays as days off ({holidays}): {found or 'none on a weekday'}")
    return [Text(line) for line in lines]


def _days(
    plan: Plan, calendar: HolidayBlackout | HolidaysOff, chosen: Callable[[date], bool]
) -> str:
    """The holidays of the plan's span that are `chosen`, with their names."""
    assert plan.finish is not None
    day, days = plan.planned_from, []
    while day <= plan.finish.date():
        if day in calendar and chosen(day):
            days.append(f"{day:%a %Y-%m-%d} {calendar.name_of(day)}")
        day += timedelta(days=1)
    return "; ".join(days)
