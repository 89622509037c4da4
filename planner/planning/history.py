"""What happened before a re-plan: the previous plan's sessions that were studied (kept as
history, marked done), the minutes studied per topic, and the warnings the learner's
report deserves."""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date, datetime
from zoneinfo import ZoneInfo

import networkx as nx

from planner.models.plan import Plan, StudySession
from planner.models.progress import Progress
from planner.models.roadmap import Roadmap


def history_of(
    previous: Plan, progress: Progress, done: set[str], as_of: date, stamp: datetime
) -> list[StudySession]:
    """The previous plan's sessions before `as_of` that happened, marked done.

    History of earlier re-plans stays as it is. Otherwise, with explicit progress a
    session happened if its topic is done, or while the topic's reported hours last;
    with only `missed` ranges it happened unless its day is in one of them.
    """
    zone = ZoneInfo(previous.timezone)
    # Reported hours are a topic's total so far; history already kept counts against it.
    hours_left = {topic: hours * 60 for topic, hours in progress.hours.items()}
    for session in previous.sessions:
        if session.done and session.topic in hours_left:
            hours_left[session.topic] -= session.minutes
    kept = []
    for session in sorted(previous.sessions, key=lambda s: s.start_utc):
        day = session.start.astimezone(zone).date()
        if day >= as_of:
            continue
        if session.done:
            kept.append(session)
            continue
        if progress.is_explicit:
            happened = session.topic in done or hours_left.get(session.topic, 0) >= session.minutes
            if happened and session.topic in hours_left and session.topic not in done:
                hours_left[session.topic] -= session.minutes
        else:
            happened = not any(day in missed for missed in progress.missed)
        if happened:
            changes = {"done": True, "sequence": session.sequence + 1, "modified": stamp}
            kept.append(session.model_copy(update=changes))
    return kept


def studied_minutes(
    full_minutes: dict[str, int],
    history: list[StudySession],
    progress: Progress,
    done: set[str],
) -> Counter[str]:
    """Minutes already studied per topic, at most the topic's own: all of it for a topic
    reported done, the reported hours where given, else the history's sessions."""
    studied = Counter[str]()
    for session in history:
        studied[session.topic] += round(session.minutes)
    for topic, hours in progress.hours.items():
        studied[topic] = round(hours * 60)
    for topic in done:
        studied[topic] = full_minutes.get(topic, 0)
    return Counter(
        {topic: min(minutes, full_minutes.get(topic, 0)) for topic, minutes in studied.items()}
    )


def done_before_prerequisites(
    graph: nx.DiGraph, roadmap: Roadmap, done: set[str], left: dict[str, int]
) -> list[str]:
    """A warning for each topic reported done while a prerequisite is not: accepted,
    because the learner knows best."""
    return [
        f"{topic} is marked done but its prerequisite {before} is not; planning it anyway"
        for topic in (t.id for t in roadmap.topics if t.id in done)
        for before in sorted(graph.predecessors(topic))
        if before in left
    ]


def minutes_by_day(sessions: list[StudySession], zone: ZoneInfo) -> dict[date, float]:
    by_day: dict[date, float] = defaultdict(float)
    for session in sessions:
        by_day[session.start.astimezone(zone).date()] += session.minutes
    return dict(by_day)
