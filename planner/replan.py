"""Re-planning: progress + the previous plan -> a new plan from `as_of`.

What happened stays as history (sessions marked done, same UIDs); what was missed leaves
the calendar; the rest is planned again from `as_of`, keeping the previous plan wherever
that costs no finish time. A session keeps its UID when it moves, with its SEQUENCE
raised, so a subscribed calendar updates it in place instead of duplicating it.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from pathlib import Path
from zoneinfo import ZoneInfo

import networkx as nx

from planner.errors import PlannerError, UnknownTopicError
from planner.graph import build_graph, expand_id, redundant_edge_warnings
from planner.models import Plan, Progress, Roadmap, StudySession
from planner.planning import (
    PlanInputs,
    build_problem,
    ensure_valid,
    planned_minutes,
    requirements_for,
    schedule,
)
from planner.solver import SchedulingProblem, SolverSettings
from planner.solver.list_schedule import replay_schedule


@dataclass(frozen=True)
class PlanChanges:
    """What a re-plan changed, in the learner's terms."""

    finish_before: datetime | None
    finish_after: datetime | None
    kept: int  # upcoming sessions at the same time as before
    moved: int  # same session (UID), new time
    added: int  # new sessions
    dropped: int  # sessions of the previous plan that are gone (missed, or not needed)
    done: int  # sessions kept as history
    hours_done: float
    hours_left: float

    @property
    def days_later(self) -> int | None:
        if self.finish_before is None or self.finish_after is None:
            return None
        return (self.finish_after.date() - self.finish_before.date()).days


@dataclass(frozen=True)
class ReplanResult:
    plan: Plan
    changes: PlanChanges
    warnings: list[str] = field(default_factory=list)
    seconds: float = 0.0


def replan(
    inputs: PlanInputs,
    previous: Plan,
    progress: Progress,
    *,
    progress_path: Path | str = "progress",
    today: date,
    settings: SolverSettings | None = None,
) -> ReplanResult:
    """A new plan from `progress.as_of` (default `today`) that keeps what is done.

    Raises:
        PlannerError: the previous plan is for another roadmap, the progress names an
            unknown topic, or the rest does not fit the profile.
    """
    roadmap = inputs.roadmap
    if previous.roadmap != roadmap.id:
        raise PlannerError(
            f"the previous plan is for roadmap {previous.roadmap!r}, not {roadmap.id!r}"
        )
    as_of = progress.as_of or today
    graph = build_graph(roadmap, inputs.prerequisites, inputs.prerequisites_path)
    warnings = redundant_edge_warnings(graph, inputs.prerequisites_path)
    done, skipped = _reported_topics(roadmap, progress, progress_path)
    zone = ZoneInfo(previous.timezone)
    # LAST-MODIFIED of what this re-plan changes: from the inputs, not the clock.
    stamp = datetime.combine(as_of, time(0, 0), tzinfo=zone).astimezone(UTC)
    history = _history(previous, progress, done, as_of, stamp)
    full_minutes, rounded = planned_minutes(inputs)
    left = _minutes_left(inputs, full_minutes, history, progress, done | skipped)
    warnings += _done_before_prerequisites(graph, roadmap, done, left)
    requirements = requirements_for(roadmap, graph, left, rounded)
    problem = build_problem(inputs, requirements, as_of)
    scheduled = schedule(
        inputs,
        problem,
        settings,
        preferred=_replays(problem, previous, graph, roadmap),
        taken_uids={session.uid for session in history},
    )
    upcoming = _with_sequences(scheduled.sessions, previous, stamp)
    sessions = sorted([*history, *upcoming], key=lambda session: session.start_utc)
    plan = Plan(
        roadmap=roadmap.id,
        timezone=inputs.profile.timezone,
        start=min(previous.start, as_of),
        as_of=as_of,
        finish=scheduled.finish or max((s.end for s in history), default=None, key=_utc),
        lower_bound_finish=scheduled.lower_bound_finish,
        planned_hours=sum(left.values()) / 60,
        rounded=rounded,
        solver=scheduled.report,
        sessions=tuple(sessions),
    )
    ensure_valid(plan, inputs.profile, requirements)
    return ReplanResult(
        plan=plan,
        changes=_changes(
            previous, plan, hours_done=sum(full_minutes.values()) / 60 - plan.planned_hours
        ),
        warnings=warnings,
        seconds=scheduled.seconds,
    )


def _utc(moment: datetime) -> datetime:
    return moment.astimezone(UTC)


def _reported_topics(
    roadmap: Roadmap, progress: Progress, path: Path | str
) -> tuple[set[str], set[str]]:
    """The topics reported done and skipped (section ids expanded), ids checked."""
    done = {
        topic
        for index, item in enumerate(progress.done)
        for topic in expand_id(roadmap, item, path, f"done[{index}]")
    }
    skipped = {
        topic
        for index, item in enumerate(progress.skipped)
        for topic in expand_id(roadmap, item, path, f"skipped[{index}]")
    }
    for topic in progress.hours:
        if topic not in roadmap.topic_by_id:
            raise UnknownTopicError(topic, path, f"hours.{topic}")
    return done, skipped


def _history(
    previous: Plan, progress: Progress, done: set[str], as_of: date, stamp: datetime
) -> list[StudySession]:
    """The previous plan's sessions before `as_of` that happened, marked done.

    History of earlier re-plans stays as it is. Otherwise, with explicit progress a
    session happened if its topic is done, or while the topic's reported hours last;
    with only `missed` ranges it happened unless its day is in one of them.
    """
    zone = ZoneInfo(previous.timezone)
    hours_left = {topic: hours * 60 for topic, hours in progress.hours.items()}
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


def _minutes_left(
    inputs: PlanInputs,
    full_minutes: dict[str, int],
    history: list[StudySession],
    progress: Progress,
    finished: set[str],
) -> dict[str, int]:
    """Minutes still to plan per topic, in whole slots: the topic's minutes less what
    was done (reported hours where given, else the history's sessions)."""
    slot = inputs.profile.session.slot_minutes
    studied = Counter[str]()
    for session in history:
        studied[session.topic] += round(session.minutes)
    for topic, hours in progress.hours.items():
        studied[topic] = round(hours * 60)
    left = {}
    for topic, minutes in full_minutes.items():
        remaining = minutes - studied[topic]
        if topic not in finished and remaining > 0:
            left[topic] = math.ceil(remaining / slot) * slot
    return left


def _done_before_prerequisites(
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


def _replays(
    problem: SchedulingProblem, previous: Plan, graph: nx.DiGraph, roadmap: Roadmap
) -> list[list[int] | None]:
    """The previous plan's order replayed on the new axis: first with every topic no
    earlier than it was (nothing moves that need not), then packed from `as_of`."""
    first_start: dict[str, datetime] = {}
    for session in sorted(previous.upcoming, key=lambda s: s.start_utc):
        first_start.setdefault(session.topic, session.start_utc)
    rank = {topic.id: index for index, topic in enumerate(roadmap.topics)}
    wanted = sorted(
        problem.topic_ids,
        key=lambda t: (first_start.get(t, datetime.max.replace(tzinfo=UTC)), rank[t]),
    )
    position = {topic: index for index, topic in enumerate(wanted)}
    order = study_order_by(graph.subgraph(problem.topic_ids), position)
    index = {topic: i for i, topic in enumerate(problem.topic_ids)}
    slot_of = {problem.axis.slot_start(k): k for k in range(problem.horizon)}
    anchors = [
        slot_of.get(first_start[topic]) if topic in first_start else None
        for topic in problem.topic_ids
    ]
    sequence = [index[topic] for topic in order]
    return [
        replay_schedule(problem, sequence, anchors),
        replay_schedule(problem, sequence, [None] * len(anchors)),
    ]


def study_order_by(graph: nx.DiGraph, position: dict[str, int]) -> list[str]:
    """A topological order of `graph` as close to `position` as prerequisites allow."""
    return list(nx.lexicographical_topological_sort(graph, key=position.__getitem__))


def _with_sequences(
    upcoming: list[StudySession], previous: Plan, stamp: datetime
) -> list[StudySession]:
    """SEQUENCE and LAST-MODIFIED: kept for a session at the same time as before, raised
    (and stamped) for one that moved."""
    before = {session.uid: session for session in previous.sessions}
    updated = []
    for session in upcoming:
        old = before.get(session.uid)
        if old is None:
            updated.append(session)
        elif (old.start_utc, old.end_utc, old.done) == (session.start_utc, session.end_utc, False):
            same = {"sequence": old.sequence, "modified": old.modified}
            updated.append(session.model_copy(update=same))
        else:
            moved = {"sequence": old.sequence + 1, "modified": stamp}
            updated.append(session.model_copy(update=moved))
    return updated


def _changes(previous: Plan, plan: Plan, hours_done: float) -> PlanChanges:
    before = {session.uid: session for session in previous.upcoming}
    now = {session.uid for session in plan.sessions}
    kept = moved = added = 0
    for session in plan.upcoming:
        old = before.get(session.uid)
        if old is None:
            added += 1
        elif (old.start_utc, old.end_utc) == (session.start_utc, session.end_utc):
            kept += 1
        else:
            moved += 1
    history = [session for session in plan.sessions if session.done]
    return PlanChanges(
        finish_before=previous.finish,
        finish_after=plan.finish,
        kept=kept,
        moved=moved,
        added=added,
        dropped=sum(1 for uid in before if uid not in now),
        done=len(history),
        hours_done=hours_done,
        hours_left=plan.planned_hours,
    )
