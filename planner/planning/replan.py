"""Re-planning: progress + the previous plan -> a new plan from `as_of`.

What happened stays as history (sessions marked done, same UIDs); what was missed leaves
the calendar; the rest is planned again from `as_of`, keeping the previous plan wherever
that costs no finish time. A session keeps its UID when it moves, with its SEQUENCE
raised, so a subscribed calendar updates it in place instead of duplicating it.
"""

from __future__ import annotations

import bisect
from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import networkx as nx

from planner.arithmetic import ceil_div
from planner.errors import PlannerError
from planner.inputs.graph import (
    build_graph,
    expand_ids,
    redundant_edge_warnings,
    require_topics,
    study_order,
)
from planner.inputs.loading import require_made_from
from planner.inputs.plan_inputs import PlanInputs
from planner.models.plan import Plan, StudySession
from planner.models.progress import Progress
from planner.models.roadmap import Roadmap
from planner.planning.busy import changed_sources, kept_before_busy, sessions_hit
from planner.planning.history import (
    done_before_prerequisites,
    history_of,
    minutes_by_day,
    studied_before_prerequisites,
    studied_minutes,
)
from planner.planning.horizon import build_problem
from planner.planning.pipeline import assemble_plan, misses_deadline, schedule
from planner.planning.profile_changes import profile_changes
from planner.planning.requirements import (
    planned_minutes,
    requirements_for,
    with_goals,
)
from planner.planning.review_dues import reviewed_topics
from planner.planning.review_history import replan_review_state
from planner.solver.list_schedule import replay_schedule
from planner.solver.problem import SchedulingProblem
from planner.solver.settings import SolverSettings
from planner.words import plural


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
    busy_changed: tuple[str, ...] = ()  # busy calendars whose bytes changed (or are new)
    busy_hit: int = 0  # sessions of the previous plan that busy time now takes

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
    # How the profile differs from the one the previous plan was made with.
    profile_changes: list[str] = field(default_factory=list)


def replan(
    inputs: PlanInputs,
    previous: Plan,
    progress: Progress,
    *,
    previous_path: Path | str = "previous plan",
    progress_path: Path | str = "progress",
    today: date,
    settings: SolverSettings | None = None,
) -> ReplanResult:
    """A new plan from `progress.as_of` (default `today`) that keeps what is done.

    Raises:
        PlannerError: the previous plan is for another roadmap or names topics it does
            not have, the progress names an unknown topic, or the rest does not fit.
    """
    roadmap = inputs.roadmap
    require_made_from(previous, inputs, previous_path)
    require_known_sessions(previous, progress, progress_path)
    as_of = progress.as_of or _default_as_of(previous, progress, today)
    if previous.as_of is not None and as_of < previous.as_of:
        raise PlannerError(
            f"{progress_path}: as_of {as_of} is before {previous.as_of}, the day the previous "
            "plan was made from; re-plan from that day or later"
        )
    zone = ZoneInfo(previous.timezone)
    graph = build_graph(roadmap, inputs.prerequisites, inputs.prerequisites_path)
    warnings = redundant_edge_warnings(graph, inputs.prerequisites_path)
    warnings += _surprises(previous, inputs, progress.as_of or today, today)
    done = expand_ids(roadmap, progress.done, progress_path, "done")
    skipped = expand_ids(roadmap, progress.skipped, progress_path, "skipped")
    require_topics(roadmap, progress.hours, progress_path, "hours")
    # LAST-MODIFIED of what this re-plan changes: from the inputs, not the clock.
    stamp = datetime.combine(as_of, time(0, 0), tzinfo=zone).astimezone(UTC)
    history = history_of(previous, progress, done, as_of, stamp, roadmap)
    full_minutes, rounded = planned_minutes(inputs)
    goals, full_minutes = with_goals(inputs, graph, full_minutes)
    studied = studied_minutes(full_minutes, history, progress, done)
    slot = inputs.profile.session.slot_minutes
    left = _minutes_left(full_minutes, studied, skipped, slot)
    warnings += done_before_prerequisites(graph, roadmap, done, left)
    earlier = {session.uid for session in previous.sessions if session.done}
    new_history = [session for session in history if session.uid not in earlier]
    warnings += studied_before_prerequisites(graph, roadmap, new_history, done, left)
    requirements = replace(
        requirements_for(roadmap, graph, left, rounded, goals),
        reviewed=reviewed_topics(
            {t: m for t, m in full_minutes.items() if t not in skipped}, inputs.profile.review
        ),
    )
    # New busy time: the sessions before the first one it takes stay as they are; the
    # rest is planned after them.
    hit = _hit_by_busy(inputs, previous, as_of)
    kept = kept_before_busy(previous, hit, studied, skipped, as_of)
    # Re-planning "from today" in December a plan whose profile starts in January keeps it
    # in January; an `as_of` the learner wrote is taken as written.
    start = inputs.profile.start
    first_day = max(as_of, start) if start and progress.as_of is None else as_of
    to_plan, start_day, not_before = requirements, first_day, None
    if kept:
        planned = studied.copy()
        for session in kept:
            planned[session.topic] += round(session.minutes)
        minutes = _minutes_left(full_minutes, planned, skipped, slot)
        to_plan = requirements_for(roadmap, graph, minutes, rounded, goals)
        not_before = max(session.end_utc for session in kept)
        start_day = not_before.astimezone(zone).date()
    record = [*history, *kept]
    problem = build_problem(inputs, to_plan, start_day, minutes_by_day(record, zone), not_before)
    scheduled = schedule(
        inputs,
        problem,
        previous.plan_id,  # a re-plan keeps the plan's identity, and so its UIDs
        # A re-plan keeps its mode; what the other modes would give was said at planning.
        replace(settings or SolverSettings(), compare_orders=False),
        preferred=_replays(problem, previous, roadmap),
        taken_uids={session.uid for session in record},
        reviews=replan_review_state(
            inputs, previous, requirements, to_plan, record, as_of, not_before
        )
        if inputs.profile.review
        else None,
    )
    upcoming = _with_sequences(scheduled.sessions, previous, stamp)
    plan = assemble_plan(
        inputs,
        requirements,
        problem,
        scheduled,
        [*history, *kept, *upcoming],
        start=min(previous.start, first_day),
        as_of=as_of,
    )
    if misses_deadline(plan):  # a re-plan reports it: the learner still needs a plan
        assert plan.finish is not None and plan.deadline is not None
        late = (plan.finish.date() - plan.deadline).days
        warnings.append(f"the deadline {plan.deadline} no longer holds: {plural(late, 'day')} late")
    for goal in plan.goals:
        if goal.misses_its_date(zone) and goal.reached is not None:
            late = (goal.reached.astimezone(zone).date() - (goal.by or as_of)).days
            warnings.append(
                f"goal {goal.goal} by {goal.by} no longer holds: {plural(late, 'day')} late"
            )
    changes = replace(
        _changes(previous, plan, sum(studied.values()) / 60),
        busy_changed=tuple(changed_sources(previous, inputs)),
        busy_hit=len(hit),
    )
    changed = profile_changes(previous.profile, inputs.profile.masked()) if previous.profile else []
    return ReplanResult(plan, changes, warnings, scheduled.seconds, changed)


def _minutes_left(
    full_minutes: dict[str, int], studied: Counter[str], skipped: set[str], slot: int
) -> dict[str, int]:
    """Minutes still to plan per topic, in whole slots."""
    return {
        topic: ceil_div(minutes - studied[topic], slot) * slot
        for topic, minutes in full_minutes.items()
        if topic not in skipped and minutes > studied[topic]
    }


def _hit_by_busy(inputs: PlanInputs, previous: Plan, as_of: date) -> list[StudySession]:
    """The previous plan's sessions from `as_of` on that busy time now takes."""
    zone = inputs.profile.zone
    ahead = [s for s in previous.upcoming if s.start_utc.astimezone(zone).date() >= as_of]
    if not inputs.busy or not ahead:
        return []
    last_day = max(s.end_utc for s in ahead).astimezone(zone).date()
    return sessions_hit(ahead, inputs.busy_time(as_of, last_day), zone)


def _default_as_of(previous: Plan, progress: Progress, today: date) -> date:
    """Today; or tomorrow once a session of today is reported studied (`planner done`
    in the evening, then `planner replan`): the day is over for studying."""
    zone = ZoneInfo(previous.timezone)
    reported = set(progress.sessions)
    studied_today = any(
        session.uid in reported and session.start.astimezone(zone).date() == today
        for session in previous.sessions
    )
    return today + timedelta(days=1) if studied_today else today


def require_known_sessions(previous: Plan, progress: Progress, path: Path | str) -> None:
    """Every UID the progress reports done (study or review) is a session of the plan.

    Raises:
        PlannerError: naming the first UID the plan does not have.
    """
    uids = {session.uid for session in previous.sessions}
    for index, uid in enumerate(progress.sessions):
        if uid not in uids:
            raise PlannerError(
                f"{path}: sessions[{index}]: the plan has no session {uid!r} (`planner next` "
                "shows the sessions and their UIDs)"
            )


def _surprises(previous: Plan, inputs: PlanInputs, as_of: date, today: date) -> list[str]:
    """Warnings about inputs that are allowed but often a mistake."""
    warnings = []
    if as_of > today:
        warnings.append(f"as_of {as_of} is after today ({today}): sessions before it count as past")
    if previous.timezone != inputs.profile.timezone:
        warnings.append(
            f"the previous plan was made for {previous.timezone}; this re-plan uses "
            f"{inputs.profile.timezone} from {inputs.profile_path} (give --profile to choose)"
        )
    return warnings


def _replays(
    problem: SchedulingProblem, previous: Plan, roadmap: Roadmap
) -> list[list[int] | None]:
    """The previous plan's order replayed on the new axis: first with every topic no
    earlier than it was (nothing moves that need not), then packed from `as_of`. The
    order keeps the problem's own precedence: the prerequisites, and the goals first (a
    goal the profile added since comes before the rest, even where the mode is free)."""
    first_start: dict[str, datetime] = {}
    for session in sorted(previous.upcoming, key=lambda s: s.start_utc):
        if not session.is_review:
            first_start.setdefault(session.topic, session.start_utc)
    rank = {topic.id: index for index, topic in enumerate(roadmap.topics)}
    wanted = sorted(
        problem.topic_ids,
        key=lambda t: (first_start.get(t, datetime.max.replace(tzinfo=UTC)), rank[t]),
    )
    position = {topic: index for index, topic in enumerate(wanted)}
    before = nx.DiGraph()
    before.add_nodes_from(problem.topic_ids)
    before.add_edges_from(
        (problem.topic_ids[earlier], problem.topic_ids[later])
        for later, earliers in enumerate(problem.predecessors)
        for earlier in earliers
    )
    order = study_order(before, roadmap, preferred=position)
    index = {topic: i for i, topic in enumerate(problem.topic_ids)}
    # Each topic no earlier than it was: at its old first slot, or the first one after
    # it when that time is gone (now busy, or no longer in a window).
    slot_starts = [problem.axis.slot_start(k) for k in range(problem.horizon)]
    anchors = [
        bisect.bisect_left(slot_starts, first_start[topic]) if topic in first_start else None
        for topic in problem.topic_ids
    ]
    sequence = [index[topic] for topic in order]
    return [
        replay_schedule(problem, sequence, anchors),
        replay_schedule(problem, sequence, [None] * len(anchors)),
    ]


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
    """Kept / moved / added / dropped, counted by UID against the previous plan."""
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
