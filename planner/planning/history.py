"""What happened before a re-plan: the sessions the learner studied (kept as history,
marked done), the minutes studied per topic, and the warnings the report deserves.

The record reads as session_reports says. "Resume where I stopped", the meaning of
missed sessions and days (`missed_mode: resume`): the learner studied nothing in them,
and in every session the record says nothing of they went on in the plan's topic
sequence from where they were, for the session's length. So a session after a missed
week holds what the first missed session held, not what the calendar said for that
day; one that covers the end of a topic and the start of the next becomes two sessions
(the first keeps the event's UID, the second gets a new one). Prerequisites hold in
such a history as they do in the plan.
"""

from __future__ import annotations

import itertools
from collections import Counter, deque
from collections.abc import Callable
from datetime import datetime, time, timedelta

import networkx as nx

from planner.models.plan import StudySession
from planner.models.progress import Progress
from planner.models.roadmap import Roadmap
from planner.planning.session_reports import ProgressReading
from planner.planning.sessions import is_extra_uid, session_uid
from planner.timeline.zones import local_to_utc

NOON = time(12, 0)  # extra study the learner gave no time for


def history_of(
    reading: ProgressReading, at: datetime, stamp: datetime, roadmap: Roadmap
) -> list[StudySession]:
    """The sessions studied before `at`, marked done (`stamp`: their LAST-MODIFIED).

    History of earlier re-plans stays as it is. Of the previous plan's other sessions
    before `at`, as the record reads (session_reports): those reported studied (for
    their minutes, where a record gives them), those of topics done, those that a
    topic's hours so far cover; then those it says nothing of, followed as planned, or
    resumed where the learner stopped (`missed_mode`). Then the extra study.
    """
    previous, progress = reading.plan, reading.progress
    history = [session for session in previous.sessions if session.done]
    pending = sorted(
        (s for s in previous.sessions if not s.done and s.start_utc < at),
        key=lambda s: s.start_utc,
    )
    studied = _studied_as_reported(reading, pending, history)
    defaulted = [session for session in pending if reading.report(session) is None]
    taken = {session.uid for session in previous.sessions} | set(previous.retired_uids)
    if progress.missed_mode == "resume":
        new_uid = _fresh_uids(roadmap.id, previous.plan_id, taken)
        # A review is no part of the topic sequence: it happened as planned.
        resumed = _resumed(
            [s for s in defaulted if not s.is_review],
            _sequence(reading, studied),
            roadmap,
            new_uid,
        )
        defaulted = [*resumed, *(s for s in defaulted if s.is_review)]
    extra = extra_sessions(reading, roadmap)
    return _marked(history, [*studied, *defaulted, *extra], stamp)


def _studied_as_reported(
    reading: ProgressReading, pending: list[StudySession], history: list[StudySession]
) -> list[StudySession]:
    """The sessions the record says were studied: as planned, or for the minutes it
    gives (the event then ends when the study did); all of a topic done; of a topic
    with hours so far, as many as those hours cover (history counts against them)."""
    minutes_left = {topic: hours * 60 for topic, hours in reading.progress.hours.items()}
    for session in history:
        if session.topic in minutes_left and not session.is_review:
            minutes_left[session.topic] -= session.minutes
    studied = []
    for session in pending:
        report = reading.report(session)
        record = reading.record(session)
        if record is not None and record.minutes is not None:  # done for N minutes
            end = session.start_utc + timedelta(minutes=record.minutes)
            studied.append(session.model_copy(update={"end": end.astimezone(session.start.tzinfo)}))
        elif report in ("done", "topic done"):
            studied.append(session)
        elif report == "topic hours" and minutes_left[session.topic] >= session.minutes:
            minutes_left[session.topic] -= session.minutes
            studied.append(session)
    return studied


def extra_sessions(reading: ProgressReading, roadmap: Roadmap) -> list[StudySession]:
    """The record's study outside the plan as sessions on the days it happened (at the
    time given, else at noon), each with a UID of its own made from the record, so a
    later re-plan, which keeps it as history, does not add it again."""
    zone = reading.zone
    sessions = []
    for uid, extra in reading.new_extra():
        start = local_to_utc(datetime.combine(extra.day, extra.at or NOON), zone)
        sessions.append(
            StudySession(
                uid=uid,
                topic=extra.topic,
                title=roadmap.topic_by_id[extra.topic].title,
                start=start.astimezone(zone),
                end=(start + timedelta(minutes=extra.minutes)).astimezone(zone),
            )
        )
    return sessions


def _sequence(reading: ProgressReading, studied: list[StudySession]) -> list[tuple[str, float]]:
    """The previous plan's topic sequence (its sessions still to do, in time order) with
    the minutes each topic has left after the `studied` sessions; without the topics a
    shortcut speaks for (done, skipped, hours so far): their totals are said."""
    said = {*reading.done_topics, *reading.skipped_topics, *reading.progress.hours}
    left: dict[str, float] = {}
    for session in sorted(reading.plan.upcoming, key=lambda s: s.start_utc):
        if not session.is_review and session.topic not in said:
            left[session.topic] = left.get(session.topic, 0) + session.minutes
    for session in studied:
        if session.topic in left:
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
    for topic in done & full_minutes.keys():
        studied[topic] = full_minutes[topic]
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


def in_progress(
    studied: Counter[str], left: dict[str, int], sessions: list[StudySession]
) -> tuple[str, ...]:
    """The topics begun in a planned session and not finished, the one studied last
    first: a re-plan goes on with them before anything else. (Hours reported, or study
    outside the plan, of a topic not begun in the plan are study ahead: the topic keeps
    its place.)"""
    planned = sorted((s for s in sessions if not is_extra_uid(s.uid)), key=lambda s: s.end_utc)
    last = {s.topic: s.end_utc for s in planned}
    begun = [topic for topic in left if studied[topic] > 0 and topic in last]
    return tuple(sorted(begun, key=lambda topic: last[topic], reverse=True))
