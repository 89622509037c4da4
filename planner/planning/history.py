"""What happened before a re-plan: the sessions the learner studied (kept as history,
marked done), the minutes studied per topic, and the warnings the report deserves.

Planned sessions before `as_of` are studied as reported (`Progress` says how a report
reads). "Resume where I stopped", the meaning of missed days: the learner studied
nothing on them, and in every other session they went on in the plan's topic sequence
from where they were, for the session's length. So a session after a missed week holds
what the first missed session held, not what the calendar said for that day; one that
covers the end of a topic and the start of the next becomes two sessions (the first
keeps the event's UID, the second gets a new one). Prerequisites hold in such a history
as they do in the plan.
"""

from __future__ import annotations

import itertools
from collections import Counter, defaultdict, deque
from collections.abc import Callable
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import networkx as nx

from planner.models.plan import Plan, StudySession
from planner.models.progress import Progress
from planner.models.roadmap import Roadmap
from planner.planning.sessions import session_uid


def history_of(
    previous: Plan,
    progress: Progress,
    done: set[str],
    as_of: date,
    stamp: datetime,
    roadmap: Roadmap,
) -> list[StudySession]:
    """The sessions studied before `as_of`, marked done (`stamp`: their LAST-MODIFIED).

    History of earlier re-plans stays as it is. Of the previous plan's other sessions
    before `as_of`: those reported (`sessions`), those of topics reported done, and
    those that reported hours cover, as planned; then, by default (see `Progress`), the
    unreported ones outside missed days, resumed or as planned.
    """
    zone = ZoneInfo(previous.timezone)
    history = [session for session in previous.sessions if session.done]
    pending = sorted(
        (s for s in previous.sessions if not s.done and _day(s, zone) < as_of),
        key=lambda s: s.start_utc,
    )
    reported = _reported(pending, history, progress, done)
    studied = [s for s in pending if s.uid in reported]
    by_default = _studied_by_default(previous, progress, as_of)
    defaulted = [
        s
        for s in pending
        if by_default and s.uid not in reported and not _on_missed_day(s, progress, zone)
    ]
    if progress.missed_mode == "resume":
        taken = {session.uid for session in previous.sessions}
        new_uid = _fresh_uids(roadmap.id, previous.plan_id, taken)
        # A review is no part of the topic sequence: it happened as planned.
        resumed = _resumed(
            [s for s in defaulted if not s.is_review],
            _sequence(previous, studied),
            roadmap,
            new_uid,
        )
        defaulted = [*resumed, *(s for s in defaulted if s.is_review)]
    return _marked(history, [*studied, *defaulted], stamp)


def _day(session: StudySession, zone: ZoneInfo) -> date:
    return session.start.astimezone(zone).date()


def _on_missed_day(session: StudySession, progress: Progress, zone: ZoneInfo) -> bool:
    day = _day(session, zone)
    return any(day in missed for missed in progress.missed)


def _studied_by_default(previous: Plan, progress: Progress, as_of: date) -> bool:
    """Whether unreported sessions before `as_of` were studied: yes with missed days
    since the plan was made (ranges before it are old news the plan already holds);
    no if something else is reported; yes if nothing is."""
    since = previous.planned_from
    if any(missed.last >= since and missed.first < as_of for missed in progress.missed):
        return True
    return not progress.reports_studying


def _reported(
    pending: list[StudySession], history: list[StudySession], progress: Progress, done: set[str]
) -> set[str]:
    """UIDs of the sessions studied as planned by the report: named ones, those of topics
    done, and those of a topic while its reported hours last (a topic's total so far:
    history already kept counts against it). A review only when named: a topic done
    says nothing of its reviews."""
    reported = set(progress.sessions)
    minutes_left = {topic: hours * 60 for topic, hours in progress.hours.items()}
    for session in history:
        if session.topic in minutes_left and not session.is_review:
            minutes_left[session.topic] -= session.minutes
    for session in pending:
        if session.is_review:
            continue
        if session.topic in done:
            reported.add(session.uid)
        elif minutes_left.get(session.topic, 0) >= session.minutes:
            minutes_left[session.topic] -= session.minutes
            reported.add(session.uid)
    return reported


def _sequence(previous: Plan, studied: list[StudySession]) -> list[tuple[str, float]]:
    """The previous plan's topic sequence (its sessions still to do, in time order) with
    the minutes each topic has left after the `studied` sessions."""
    left: dict[str, float] = {}
    for session in sorted(previous.upcoming, key=lambda s: s.start_utc):
        if not session.is_review:
            left[session.topic] = left.get(session.topic, 0) + session.minutes
    for session in studied:
        left[session.topic] -= session.minutes
    return [(topic, minutes) for topic, minutes in left.items() if minutes > 0]


def _resumed(
    sessions: list[StudySession],
    sequence: list[tuple[str, float]],
    roadmap: Roadmap,
    new_uid: Callable[[str], str],
) -> list[StudySession]:
    """`sessions` (in time order) each filled with the next `session.minutes` of
    `sequence`: a session that spans the end of a topic becomes two."""
    queue = deque(sequence)
    resumed = []
    for session in sessions:
        start, remaining, first = session.start_utc, session.minutes, True
        while remaining > 0 and queue:
            topic, minutes = queue.popleft()
            length = min(minutes, remaining)
            end = start + timedelta(minutes=length)
            resumed.append(
                session.model_copy(
                    update={
                        "uid": session.uid if first else new_uid(topic),
                        "topic": topic,
                        "title": roadmap.topic_by_id[topic].title,
                        "start": start.astimezone(session.start.tzinfo),
                        "end": end.astimezone(session.start.tzinfo),
                    }
                )
            )
            if minutes > length:
                queue.appendleft((topic, minutes - length))
            start, remaining, first = end, remaining - length, False
    return resumed


def _fresh_uids(roadmap_id: str, plan_id: str | None, taken: set[str]) -> Callable[[str], str]:
    """A UID maker for sessions that no plan had: the next unused number of the topic."""

    def new_uid(topic: str) -> str:
        uid = next(
            uid
            for uid in (session_uid(roadmap_id, topic, n, plan_id) for n in itertools.count(1))
            if uid not in taken
        )
        taken.add(uid)
        return uid

    return new_uid


def _marked(
    history: list[StudySession], studied: list[StudySession], stamp: datetime
) -> list[StudySession]:
    """Earlier history as it is, and the newly studied sessions marked done."""
    changes = {"done": True, "modified": stamp}
    marked = [s.model_copy(update={**changes, "sequence": s.sequence + 1}) for s in studied]
    return sorted([*history, *marked], key=lambda session: session.start_utc)


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
        if not session.is_review:
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


def studied_before_prerequisites(
    graph: nx.DiGraph,
    roadmap: Roadmap,
    history: list[StudySession],
    done: set[str],
    left: dict[str, int],
) -> list[str]:
    """A warning for each topic the history studied while a prerequisite is still to do
    (sessions reported as planned after missed ones, or `missed_mode: as_planned`)."""
    studied = {session.topic for session in history if not session.is_review} - done
    return [
        f"sessions of {topic} count as studied, but its prerequisite {before} is not "
        "finished; the rest of both is planned in order"
        for topic in (t.id for t in roadmap.topics if t.id in studied)
        for before in sorted(graph.predecessors(topic))
        if before in left
    ]


def minutes_by_day(sessions: list[StudySession], zone: ZoneInfo) -> dict[date, float]:
    by_day: dict[date, float] = defaultdict(float)
    for session in sessions:
        by_day[session.start.astimezone(zone).date()] += session.minutes
    return dict(by_day)
