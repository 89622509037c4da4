"""Plan -> iCalendar (RFC 5545) with the icalendar library: one VEVENT per study session.

Times are written in the learner's zone (TZID) with a VTIMEZONE built from rules (see
`planner.timeline.vtimezone`), except a time that falls in a repeated or skipped hour: no TZID
form can say which of two 02:30s is meant, and ical.js resolves them differently from
RFC 5545, so those are written in UTC, which every client reads the same way.
"""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event, vDuration

from planner.models.plan import Plan, StudySession
from planner.models.roadmap import Roadmap, Topic
from planner.timeline.vtimezone import build_vtimezone
from planner.timeline.zones import is_ambiguous

PRODUCT_ID = "-//Roadmap Planner//roadmap-planner//EN"
REFRESH_INTERVAL = timedelta(hours=12)


def plan_to_calendar(plan: Plan, roadmap: Roadmap) -> Calendar:
    """A calendar with one event per session of `plan`; same plan -> same bytes."""
    zone = ZoneInfo(plan.timezone)
    calendar = Calendar()
    name = f"{roadmap.title} — study plan"
    # The same on every re-plan: calendar-level properties are part of every item for
    # clients that hash whole items (vdirsyncer), so a changing count or finish date
    # here would rewrite every event. The figures are in the summary and the JSON.
    description = f"Study sessions for {roadmap.title}, one event each. Made by Roadmap Planner."
    calendar.add("PRODID", PRODUCT_ID)
    calendar.add("VERSION", "2.0")
    calendar.add("CALSCALE", "GREGORIAN")
    # No METHOD: a subscribed feed is no iTIP message, and METHOD:PUBLISH would need an
    # ORGANIZER in every event (RFC 5546 §3.2.1); Outlook reads a calendar without
    # METHOD as PUBLISH ([MS-STANOICAL] V0078), and Apple Calendar has refused feeds
    # that carry it.
    calendar.add("NAME", name)
    calendar.add("X-WR-CALNAME", name)
    calendar.add("DESCRIPTION", description)
    calendar.add("X-WR-CALDESC", description)
    calendar.add("X-WR-TIMEZONE", plan.timezone)
    calendar.add("REFRESH-INTERVAL", REFRESH_INTERVAL, parameters={"VALUE": "DURATION"})
    calendar.add("X-PUBLISHED-TTL", vDuration(REFRESH_INTERVAL))
    if plan.sessions:
        first = min(session.start_utc for session in plan.sessions)
        last = max(session.end_utc for session in plan.sessions)
        calendar.add_component(build_vtimezone(plan.timezone, first, last))
    # DTSTAMP comes from the plan, not the clock, so the same plan gives the same bytes.
    stamp = datetime.combine(plan.planned_from, time(0, 0), tzinfo=zone).astimezone(UTC)
    totals = Counter(session.topic for session in plan.study_sessions)
    seen: Counter[str] = Counter()
    for session in sorted(plan.sessions, key=lambda s: s.start_utc):
        topic = roadmap.topic_by_id.get(session.topic)
        if topic is None:  # history of a topic a roadmap upgrade removed
            topic = Topic(id=session.topic, title=session.title, hours=0)
        if session.is_review:
            reviews_of = len(plan.reviews.after_days) if plan.reviews else session.review
            calendar.add_component(_review_event(session, topic, zone, stamp, reviews_of))
            continue
        seen[session.topic] += 1
        progress = f"Session {seen[topic.id]} of {totals[topic.id]}"
        calendar.add_component(_study_event(session, topic, roadmap, zone, stamp, progress))
    return calendar


def _study_event(
    session: StudySession,
    topic: Topic,
    roadmap: Roadmap,
    zone: ZoneInfo,
    stamp: datetime,
    progress: str,
) -> Event:
    description = _description(topic, progress + (" (done)" if session.done else ""))
    section = roadmap.section_of[topic.id].title if topic.id in roadmap.section_of else "Removed"
    return _event(session, zone, stamp, f"{topic.id} {topic.title}", description, section)


def _review_event(
    session: StudySession, topic: Topic, zone: ZoneInfo, stamp: datetime, reviews_of: int | None
) -> Event:
    """A review: "Review: 2.3 OOP (1 of 3)", in the Review category, with the topic's
    items to recall."""
    number = f"{session.review} of {reviews_of}"
    lines = [f"Recall {topic.id} {topic.title} without notes, then check (review {number})."]
    if session.late:
        lines.append(f"Due {session.due}; no study time was free sooner.")
    if topic.items:
        lines += ["", *(f"- {item}" for item in topic.items)]
    summary = f"Review: {topic.id} {topic.title} ({number})"
    return _event(session, zone, stamp, summary, "\n".join(lines), "Review")


def _event(
    session: StudySession,
    zone: ZoneInfo,
    stamp: datetime,
    summary: str,
    description: str,
    category: str,
) -> Event:
    event = Event()
    event.add("UID", session.uid)
    event.add("DTSTAMP", stamp)
    event.add("DTSTART", _calendar_time(session.start, zone))
    event.add("DTEND", _calendar_time(session.end, zone))
    event.add("SUMMARY", ("✓ " if session.done else "") + summary)
    event.add("DESCRIPTION", description)
    event.add("CATEGORIES", [category])
    event.add("SEQUENCE", session.sequence)
    if session.modified is not None:
        event.add("LAST-MODIFIED", session.modified)
    event.add("TRANSP", "OPAQUE")
    return event


def _description(topic: Topic, progress: str) -> str:
    lines = [f"{progress} for {topic.id} {topic.title}."]
    if topic.items:
        lines += ["", *(f"- {item}" for item in topic.items)]
    if topic.links:
        lines += ["", "Links:", *(f"- {link.title}: {link.url}" for link in topic.links)]
    if topic.note:
        lines += ["", topic.note]
    return "\n".join(lines)


def _calendar_time(moment: datetime, zone: ZoneInfo) -> datetime:
    """`moment` in the learner's zone, or in UTC if its wall-clock time is ambiguous."""
    local = moment.astimezone(zone).replace(tzinfo=None)
    return moment.astimezone(UTC) if is_ambiguous(local, zone) else moment.astimezone(zone)
