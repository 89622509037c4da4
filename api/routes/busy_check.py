"""/busy/check: read a busy calendar once, before any plan, and say what was read — so
a learner sees that the address works (how many events, how busy the next weeks are)
before planning with it. The same rules as a plan's calendars: URLs only, public
addresses only (unless the operator allows a network), within the size and time limits.
Nothing is kept, and the answer names the calendar masked."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict, Field

from api.busy import fetch_limits
from api.deps import NowDep, SettingsDep
from api.http import StrictJSONRoute
from api.schemas import documented
from planner.errors import PlannerError
from planner.inputs.busy_calendar import BusyCalendar, BusyCalendarFile
from planner.inputs.busy_fetch import fetch_url
from planner.models.busy import BusySource, display_name
from planner.models.fields import TimeZoneName

router = APIRouter(prefix="/busy", tags=["busy calendars"], route_class=StrictJSONRoute)
DAYS_SHOWN = 28


class BusyCheck(BaseModel):
    """A calendar to read: its address, and the learner's time zone (its days)."""

    model_config = ConfigDict(extra="forbid")

    ics: str = Field(min_length=1, max_length=4096, examples=["https://calendar.example.org/x.ics"])
    timezone: TimeZoneName


class BusyCheckPublic(BaseModel):
    source: str = Field(description="The calendar, masked (its address is a secret).")
    events: int = Field(description="VEVENTs in the calendar (a repeating one counts once).")
    busy_hours: float = Field(description=f"Busy hours in the next {DAYS_SHOWN} days.")
    days: int = DAYS_SHOWN


@router.post("/check", response_model=BusyCheckPublic, responses=documented(413))
def check_busy_calendar(body: BusyCheck, settings: SettingsDep, clock: NowDep) -> BusyCheckPublic:
    """Fetch a busy calendar now and count what it holds; nothing is stored.

    Refused (422, in words): a file name, an address that is not public, a calendar
    that cannot be fetched or read."""
    import icalendar

    source = BusySource(ics=body.ics)
    if not source.is_url:
        raise PlannerError(
            "ics: this service reads busy calendars by URL (http, https or webcal), not by "
            "file name"
        )
    fetched = BusyCalendarFile(source, fetch_url(source.ics, fetch_limits(settings)).body or b"")
    zone = ZoneInfo(body.timezone)
    first_day = clock.astimezone(zone).date()
    last_day = first_day + timedelta(days=DAYS_SHOWN - 1)
    busy = BusyCalendar([fetched]).busy_time(zone, first_day, last_day)  # also checks it reads
    events = len(icalendar.Calendar.from_ical(fetched.body).walk("VEVENT"))
    seconds = sum((end - start).total_seconds() for start, end in busy.intervals)
    return BusyCheckPublic(
        source=display_name(source.ics), events=events, busy_hours=round(seconds / 3600, 1)
    )
