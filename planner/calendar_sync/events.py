"""The plan as CalDAV resources: one calendar object per session (its own VCALENDAR
with the VTIMEZONE of just its span, so another session's move does not change its
bytes), and the events of ours read back from the server."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event, IncompleteComponent, InvalidCalendar

from planner.inputs.busy_calendar import OUR_UID_DOMAIN
from planner.models.plan import Plan
from planner.models.roadmap import Roadmap
from planner.output.ics import PRODUCT_ID, plan_to_calendar
from planner.timeline.vtimezone import build_vtimezone


@dataclass(frozen=True)
class EventBody:
    """A session's calendar object: its bytes, and their digest without DTSTAMP (which
    follows the day a plan was made: a re-plan alone rewrites no event)."""

    uid: str
    body: bytes
    digest: str


def plan_events(plan: Plan, roadmap: Roadmap) -> dict[str, EventBody]:
    """Each session of `plan` as a calendar object of its own, by UID."""
    found = {}
    for event in plan_to_calendar(plan, roadmap).events:
        calendar = Calendar()
        calendar.add("PRODID", PRODUCT_ID)
        calendar.add("VERSION", "2.0")
        start, end = timed(event.start), timed(event.end)
        calendar.add_component(build_vtimezone(plan.timezone, start, end))
        calendar.add_component(event)
        body = calendar.to_ical()
        uid = str(event["UID"])
        found[uid] = EventBody(uid, body, _digest(body))
    return found


def _digest(body: bytes) -> str:
    kept = b"\n".join(line for line in body.splitlines() if not line.startswith(b"DTSTAMP"))
    return "sha256:" + hashlib.sha256(kept).hexdigest()


@dataclass(frozen=True)
class RemoteEvent:
    """One of our events as the server holds it: where, its ETag, and its times (UTC)."""

    uid: str
    href: str
    etag: str | None
    start: datetime
    end: datetime


def read_event(
    href: str, etag: str | None, body: str | bytes, zone: ZoneInfo
) -> RemoteEvent | None:
    """Our event in a calendar object (None: not ours, or not a timed event). A date
    alone (an app that made it all-day) is read as the learner's local midnight."""
    calendar = Calendar.from_ical(body)
    for event in calendar.events:
        uid = str(event.get("UID", ""))
        if not uid.endswith(OUR_UID_DOMAIN) or "RECURRENCE-ID" in event:
            continue
        try:
            start, end = _utc(event.start, zone), _utc(event.end, zone)
        except (IncompleteComponent, InvalidCalendar):  # no DTSTART: not a session
            return None
        return RemoteEvent(uid, href, etag, start, end) if end > start else None
    return None


def _utc(moment: datetime | date, zone: ZoneInfo) -> datetime:
    if not isinstance(moment, datetime):
        moment = datetime.combine(moment, time(), tzinfo=zone)
    elif moment.tzinfo is None:  # floating: the learner's wall clock
        moment = moment.replace(tzinfo=zone)
    return moment.astimezone(UTC)


def timed(moment: datetime | date) -> datetime:
    """A time of an event we wrote: always a date with a time."""
    assert isinstance(moment, datetime), moment
    return moment


def event_of(body: bytes) -> Event:
    """The VEVENT of a calendar object we wrote."""
    return Calendar.from_ical(body).events[0]
