"""One scoring function for every planner's sessions, so all are measured the same way.

Before scoring, sessions are normalised the same way for every planner: back-to-back
sessions of one topic are merged into one sitting, and a sitting longer than
`max_minutes` is split into the fewest near-equal whole-slot pieces. So a planner that
cuts a 4 h window into two 2 h events and one that books it as a single 4 h stretch
count the same (two sessions), and nobody gains by ignoring `max_minutes`.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from bench.instances import Instance
from planner.models.plan import Plan, SolverReport, StudySession
from planner.planning.validation import (
    hours_are_complete,
    prerequisites_come_first,
    sessions_are_inside_windows,
    sessions_do_not_overlap,
    sessions_respect_length_rules,
)
from planner.timeline.windows import StudyWindow


@dataclass(frozen=True)
class Session:
    """A stretch of study of one topic, with aware datetimes."""

    topic: str
    start: datetime
    end: datetime

    @property
    def duration(self) -> timedelta:
        # From UTC: subtracting aware datetimes of one zone ignores a DST change between them.
        return self.end.astimezone(UTC) - self.start.astimezone(UTC)


@dataclass(frozen=True)
class Score:
    finish: datetime | None
    wasted_hours: float  # available time before the finish that nobody studies in
    events: int  # sessions as the planner emitted them
    sessions: int  # after normalisation (see the module docstring)
    shared_windows: int  # concrete windows holding sessions of two or more topics
    short_sessions: int  # shorter than min_minutes and not the topic's last session
    inversions: int  # topic pairs whose first sessions contradict the roadmap's order
    violations: list[str]  # broken hard rules (hours, prerequisites, windows, overlap)


def normalise(sessions: Iterable[Session], slot: timedelta, max_minutes: int) -> list[Session]:
    """Merge back-to-back sessions of a topic, then split sittings longer than
    `max_minutes` into the fewest near-equal pieces of whole slots."""
    merged: list[Session] = []
    last_of_topic: dict[str, int] = {}
    for session in sorted(sessions, key=lambda s: s.start.astimezone(UTC)):
        index = last_of_topic.get(session.topic)
        if index is not None and merged[index].end.astimezone(UTC) == session.start.astimezone(UTC):
            merged[index] = Session(session.topic, merged[index].start, session.end)
            continue
        last_of_topic[session.topic] = len(merged)
        merged.append(session)
    limit = timedelta(minutes=max_minutes)
    pieces: list[Session] = []
    for sitting in merged:
        count = math.ceil(sitting.duration / limit)
        if count <= 1:
            pieces.append(sitting)
            continue
        slots = sitting.duration // slot
        base, extra = divmod(slots, count)
        start = sitting.start.astimezone(UTC)
        for index in range(count):
            end = start + (base + (1 if index < extra else 0)) * slot
            if index == count - 1:
                end = sitting.end.astimezone(UTC)
            zone = sitting.start.tzinfo
            pieces.append(Session(sitting.topic, start.astimezone(zone), end.astimezone(zone)))
            start = end
    return sorted(pieces, key=lambda s: s.start.astimezone(UTC))


def score(instance: Instance, sessions: list[Session]) -> Score:
    """Every metric of one plan, computed from its sessions alone."""
    profile = instance.inputs.profile
    rules = profile.session
    normal = normalise(sessions, instance.slot, rules.max_minutes)
    if not normal:
        return Score(None, 0.0, 0, 0, 0, 0, 0, ["no sessions"])
    finish = max(session.end.astimezone(UTC) for session in normal)
    last_day = finish.astimezone(profile.zone).date() + timedelta(days=1)
    windows = instance.windows_through(last_day)
    return Score(
        finish=finish.astimezone(profile.zone),
        wasted_hours=_available_minutes_before(instance, windows, finish) / 60
        - instance.total_minutes / 60,
        events=len(sessions),
        sessions=len(normal),
        shared_windows=_shared_windows(windows, normal),
        short_sessions=_short_sessions(normal, rules.min_minutes),
        inversions=first_session_inversions(instance, normal),
        violations=_violations(instance, normal),
    )


def _available_minutes_before(
    instance: Instance, windows: list[StudyWindow], finish: datetime
) -> float:
    slot_minutes = instance.inputs.profile.session.slot_minutes
    minutes = 0
    for window in windows:
        if window.start >= finish:
            break
        whole_slots = window.minutes // slot_minutes
        slots_before = min(whole_slots, (finish - window.start) // instance.slot)
        minutes += slots_before * slot_minutes
    return minutes


def _shared_windows(windows: list[StudyWindow], sessions: list[Session]) -> int:
    shared = 0
    for window in windows:
        topics = {
            s.topic
            for s in sessions
            if s.start.astimezone(UTC) < window.end and s.end.astimezone(UTC) > window.start
        }
        shared += len(topics) >= 2
    return shared


def _short_sessions(sessions: list[Session], min_minutes: int) -> int:
    by_topic: dict[str, list[Session]] = {}
    for session in sessions:
        by_topic.setdefault(session.topic, []).append(session)
    return sum(
        session.duration < timedelta(minutes=min_minutes)
        for topic_sessions in by_topic.values()
        for session in topic_sessions[:-1]
    )


def first_session_inversions(instance: Instance, sessions: list[Session]) -> int:
    """Pairs of topics (a before b in the roadmap) where b's first session comes first."""
    first: dict[str, datetime] = {}
    for session in sessions:
        start = session.start.astimezone(UTC)
        first[session.topic] = min(first.get(session.topic, start), start)
    rank = {topic.id: index for index, topic in enumerate(instance.inputs.roadmap.topics)}
    ordered = sorted(first, key=rank.__getitem__)
    return sum(
        first[later] < first[earlier] for earlier, later in itertools.combinations(ordered, 2)
    )


def study_order_inversions(instance: Instance) -> int:
    """Inversions of the study order itself: what the prerequisites force on anyone who
    keeps to the roadmap's order wherever they allow."""
    rank = {topic.id: index for index, topic in enumerate(instance.inputs.roadmap.topics)}
    order = [rank[topic] for topic in instance.requirements.order]
    return sum(a > b for a, b in itertools.combinations(order, 2))


def _violations(instance: Instance, sessions: list[Session]) -> list[str]:
    """Hard rules of planner.planning.validation that apply to any planner: every topic's minutes,
    prerequisites first, inside the windows, no overlap, whole slots. The minimum length is
    a metric here (short sessions), and the maximum is normalised away."""
    profile = instance.inputs.profile
    roadmap = instance.inputs.roadmap
    plan = Plan(
        roadmap=roadmap.id,
        timezone=profile.timezone,
        start=instance.start,
        finish=None,
        lower_bound_finish=None,
        planned_hours=instance.total_minutes / 60,
        solver=SolverReport(
            status="FEASIBLE",
            finish_proven_optimal=False,
            sessions=len(sessions),
            sessions_lower_bound=0,
            list_schedule_sessions=0,
        ),
        sessions=tuple(
            StudySession(
                uid=f"bench-{index}",
                topic=session.topic,
                title=roadmap.topic_by_id[session.topic].title,
                start=session.start,
                end=session.end,
            )
            for index, session in enumerate(sessions)
        ),
    )
    requirements = instance.requirements
    found = [
        *hours_are_complete(plan, profile, requirements),
        *prerequisites_come_first(plan, profile, requirements),
        *sessions_are_inside_windows(plan, profile, requirements),
        *sessions_do_not_overlap(plan, profile, requirements),
    ]
    found += [
        violation
        for violation in sessions_respect_length_rules(plan, profile, requirements)
        if "whole slots" in violation
    ]
    return found
