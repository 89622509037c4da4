"""Re-planning: progress + the previous plan -> a new plan from where the learner is.

What happened stays as history (sessions marked done, same UIDs); what was missed leaves
the calendar; the rest is planned again from then, keeping the previous plan wherever
that costs no finish time. A session keeps its UID when it moves, with its SEQUENCE
raised, so a subscribed calendar updates it in place instead of duplicating it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time, timedelta
from functools import partial
from pathlib import Path
from typing import NamedTuple
from zoneinfo import ZoneInfo

import networkx as nx

from planner.inputs.graph import build_graph, redundant_edge_warnings
from planner.inputs.loading import require_made_from
from planner.inputs.plan_inputs import PlanInputs
from planner.models.pace import LEARNED
from planner.models.plan import Plan, StudySession
from planner.models.progress import Progress
from planner.planning.busy import busy_warnings, changed_sources, hit_by_busy
from planner.planning.calm import Left, kept_candidates, minutes_left, replan_rank
from planner.planning.history import (
    done_before_prerequisites,
    history_of,
    in_progress,
    studied_before_prerequisites,
    studied_minutes,
)
from planner.planning.horizon import build_problem
from planner.planning.pins import (
    holding,
    pinned_from,
    pins_before_what_needs_them,
    with_calendar_edits,
    without_sessions,
)
from planner.planning.pipeline import assemble_plan, schedule
from planner.planning.profile_changes import profile_changes
from planner.planning.progress_checks import read_progress, require_no_future
from planner.planning.replan_changes import (
    KeepingCost,
    PlanChanges,
    changed_within,
    count_changes,
    with_sequences,
)
from planner.planning.replan_pace import forecast_after_replan, learned_so_far
from planner.planning.replan_warnings import followed_unsaid, late_goals, surprises
from planner.planning.replays import replays
from planner.planning.requirements import (
    PlanRequirements,
    planned_minutes,
    requirements_for,
    with_goals,
)
from planner.planning.reviews.dues import reviewed_topics
from planner.planning.reviews.history import replan_review_state
from planner.planning.roadmap_upgrade import (
    RoadmapUpgrade,
    finished_before,
    renamed_progress,
    upgraded,
)
from planner.planning.session_reports import ProgressReading, ReplanStart, start_of_replan
from planner.solver.settings import SolverSettings
from planner.timeline.clock import Clock, day_of, moment_of, start_of_day
from planner.timeline.windows import minutes_by_window_day


@dataclass(frozen=True)
class ReplanResult:
    plan: Plan
    changes: PlanChanges
    warnings: list[str] = field(default_factory=list)
    seconds: float = 0.0
    # How the profile differs from the one the previous plan was made with.
    profile_changes: list[str] = field(default_factory=list)
    start: ReplanStart | None = None  # where it started, and why there
    upgrade: RoadmapUpgrade | None = None  # how the roadmap changed since the plan


def replan(
    inputs: PlanInputs,
    previous: Plan,
    progress: Progress,
    *,
    previous_path: Path | str = "previous plan",
    progress_path: Path | str = "progress",
    now: Clock,
    renames: Mapping[str, str] | None = None,
) -> ReplanResult:
    """A new plan that keeps what is done: from `progress.as_of` if the record gives it,
    else from the first moment at `now` that loses nothing reported
    (session_reports.replan_start). `now` is aware, or a day alone: then the re-plan
    starts at its first moment, and the whole day may be reported. With a changed
    roadmap the plan is upgraded (`roadmap_upgrade`); `renames` (old id -> new id) say
    which removed topics are new ones renamed.

    Raises:
        PlannerError: the previous plan is for another roadmap or names topics it does
            not have, the progress names an unknown topic or reports the future, or the
            rest does not fit.
    """
    original, zone = previous, ZoneInfo(previous.timezone)
    moment = moment_of(now, zone)
    previous, upgrade = upgraded(previous, inputs, previous_path, moment, renames)
    progress = renamed_progress(progress, renames or {})
    pins = with_calendar_edits(previous, progress)  # the learner's moves and deletions
    previous, inputs = pins.previous, holding(inputs, pins)
    require_made_from(previous, inputs, previous_path)
    reading = read_progress(inputs.roadmap, previous, progress, progress_path)
    require_no_future(reading, now, progress_path)
    start = start_of_replan(reading, moment, progress_path)
    pinned = with_sequences(pinned_from(previous, start.at), original, _stamp(start))
    reading = replace(reading, plan=without_sessions(previous, pinned))
    today = day_of(moment, zone)
    graph = build_graph(inputs.roadmap, inputs.prerequisites, inputs.prerequisites_path)
    finished = (
        finished_before(inputs, original, reading, start.at, _stamp(start)) if upgrade else set()
    )
    left = _what_is_left(inputs, reading, graph, start, finished, pinned)
    # Hours done at the estimates (with `pace: learned`, before a pace is learned), so
    # that turning the learned pace on does not change what the learner has done.
    hours_done = _minutes_studied(left) / 60
    if inputs.profile.pace == LEARNED:  # planned at the learner's pace, not the estimates
        learned = learned_so_far(
            inputs, reading, original, left.history, set(left.requirements.minutes)
        )
        inputs = replace(inputs, learned_pace=learned.as_profile_pace())
        left = _what_is_left(inputs, reading, graph, start, finished, pinned)
    plan, hit, seconds, keeping_cost = _plan_the_rest(inputs, reading, graph, start, left)
    plan = forecast_after_replan(plan, inputs, reading, original)
    warnings = [
        *redundant_edge_warnings(graph, inputs.prerequisites_path),
        *surprises(previous, inputs, progress, progress.as_of or today, today),
        *followed_unsaid(reading, start.at, inputs.profile),
        *left.warnings,
        *late_goals(plan, zone),
        *busy_warnings(inputs, plan),
        *pins_before_what_needs_them(plan, graph),
    ]
    keep_days = inputs.profile.replan.keep_days
    changes = replace(
        count_changes(original, plan, hours_done),
        busy_changed=tuple(changed_sources(previous, inputs)),
        busy_hit=len(hit),
        changed_soon=changed_within(previous, plan, start.at, keep_days),
        soon_days=keep_days,
        keeping_cost=keeping_cost,
    )
    changed = profile_changes(previous.profile, inputs.profile.masked()) if previous.profile else []
    return ReplanResult(plan, changes, warnings, seconds, changed, start, upgrade)


def _what_is_left(
    inputs: PlanInputs,
    reading: ProgressReading,
    graph: nx.DiGraph,
    start: ReplanStart,
    finished: set[str],
    pinned: list[StudySession],
) -> Left:
    """`finished`: topics done though no record says so (finished under an older
    roadmap's estimate); `pinned`: sessions kept where the learner put them (planned,
    so their minutes count as if studied)."""
    roadmap, previous = inputs.roadmap, reading.plan
    done, skipped = set(reading.done_topics) | finished, set(reading.skipped_topics)
    history = history_of(reading, start.at, _stamp(start), roadmap)
    full_minutes, rounded = planned_minutes(inputs)
    goals, full_minutes = with_goals(inputs, graph, full_minutes)
    studied = studied_minutes(full_minutes, history, reading.progress, done)
    for session in pinned:
        studied[session.topic] += round(session.minutes)
    left = minutes_left(full_minutes, studied, skipped, inputs.profile.session.slot_minutes)
    earlier = {session.uid for session in previous.sessions if session.done}
    new_history = [session for session in history if session.uid not in earlier]
    warnings = [
        *done_before_prerequisites(graph, roadmap, done, left),
        *studied_before_prerequisites(graph, roadmap, new_history, done, left),
    ]
    requirements = replace(
        requirements_for(roadmap, graph, left, rounded, goals, in_progress(studied, left, history)),
        reviewed=reviewed_topics(
            {t: m for t, m in full_minutes.items() if t not in skipped}, inputs.profile.review
        ),
    )
    return Left(history, studied, requirements, full_minutes, rounded, goals, warnings, pinned)


def _minutes_studied(left: Left) -> int:
    return sum(left.studied.values()) - sum(round(s.minutes) for s in left.pinned)


def _stamp(start: ReplanStart) -> datetime:
    """LAST-MODIFIED of what a re-plan changes: from its inputs, not the clock."""
    return datetime.combine(start.as_of, time(), tzinfo=start.at.tzinfo).astimezone(UTC)


def _plan_the_rest(
    inputs: PlanInputs,
    reading: ProgressReading,
    graph: nx.DiGraph,
    start: ReplanStart,
    left: Left,
) -> tuple[Plan, list[StudySession], float, KeepingCost | None]:
    """The new plan: the history, and the rest planned from `start` (the previous plan's
    order preferred); with the previous sessions that new busy time takes, the solver's
    seconds, and what keeping the next `keep_days` days as they were would have cost.

    Up to three plans are weighed (`_rank`): the previous plan's sessions kept as far as
    they still fit, then only those of the next `keep_days` days, each with the rest
    planned after them; and the rest planned afresh from `start`."""
    previous, zone = reading.plan, reading.zone
    # Re-planning "from today" in December a plan whose profile starts in January keeps it
    # in January; an `as_of` the learner wrote is taken as written.
    first_day, not_before = start.as_of, start.at
    profile_start = inputs.profile.start
    if profile_start and reading.progress.as_of is None and profile_start > start.as_of:
        first_day, not_before = profile_start, start_of_day(profile_start, zone)
    keep_days = inputs.profile.replan.keep_days
    calm_until = start_of_day(day_of(not_before, zone) + timedelta(days=keep_days), zone)
    plan_after = partial(_plan_after, inputs, reading, start, left, first_day)
    # Planned afresh first: of plans equal on every count, it wins (its solver report
    # covers all that is left); then the plans that keep sessions as they were.
    options = [_Option(*plan_after([], left.requirements, not_before), kept=[])]
    for kept, to_plan, after_kept in kept_candidates(
        inputs, reading, graph, left, not_before, (None, calm_until)
    ):
        if any(len(kept) == len(o.kept) for o in options[1:]):
            continue
        option = _Option(*plan_after(kept, to_plan, after_kept), kept=kept)
        if not to_plan.minutes:  # all that is left kept: the previous plan itself
            option = option._replace(plan=_bounded_like(option.plan, options[0].plan))
        options.append(option)
    plan = min(options, key=lambda o: replan_rank(previous, o.plan, start.at, keep_days)).plan
    # What the calmest plan that keeps sessions would have cost (the last one: the next
    # `keep_days` days, when the two differ).
    calm = [option for option in options if option.kept][-1:]
    cost = None
    if calm and calm[0].plan is not plan and not set(calm[0].kept) <= set(plan.sessions):
        cost = KeepingCost.of(calm[0].plan, calm[0].kept, plan, zone)
    hit = hit_by_busy(inputs, previous, not_before)
    seconds = sum(option.seconds for option in options)
    return plan, hit, seconds, cost if cost and cost.costs else None


def _bounded_like(kept: Plan, fresh: Plan) -> Plan:
    """The previous plan kept whole, with the bounds of the plan made afresh: they bound
    the same work from the same moment (the kept plan's own solve placed nothing). The
    previous plan was made by another problem (from its own start), and our session
    bound is a bound for the re-plan's problem: where the previous plan beats it, the
    bound quoted is the previous plan's count."""
    sessions = len(kept.upcoming_study)
    bound = min(sessions, fresh.solver.sessions_lower_bound)
    proven = fresh.solver.finish_proven_optimal and kept.finish == fresh.finish
    report = fresh.solver.model_copy(
        update={
            "status": "OPTIMAL" if proven and sessions == bound else "FEASIBLE",
            "finish_proven_optimal": proven,
            "sessions": sessions,
            "sessions_lower_bound": bound,
        }
    )
    return kept.model_copy(
        update={"solver": report, "lower_bound_finish": fresh.lower_bound_finish}
    )


class _Option(NamedTuple):
    """One plan a re-plan weighs: the plan, its solver's seconds, the previous plan's
    sessions it keeps as they were (none: planned afresh)."""

    plan: Plan
    seconds: float
    kept: list[StudySession]


def _plan_after(
    inputs: PlanInputs,
    reading: ProgressReading,
    start: ReplanStart,
    left: Left,
    first_day: date,
    kept: list[StudySession],
    to_plan: PlanRequirements,
    not_before: datetime,
) -> tuple[Plan, float]:
    """The plan that keeps the history and `kept`, and plans `to_plan` from
    `not_before`; with the solver's seconds."""
    previous, zone = reading.plan, reading.zone
    record = [*left.history, *left.pinned, *kept]
    retired = (*previous.retired_uids, *reading.missed_by_record(start.at))
    problem = build_problem(
        inputs,
        to_plan,
        day_of(not_before, zone),
        minutes_by_window_day(record, inputs.profile),
        not_before,
        plan_start=previous.start,
    )
    reviews = (
        replan_review_state(
            inputs, previous, left.requirements, to_plan, record, first_day, not_before
        )
        if inputs.profile.review
        else None
    )
    scheduled = schedule(
        inputs,
        problem,
        previous.plan_id,  # a re-plan keeps the plan's identity, and so its UIDs
        # A re-plan keeps its mode; what the other modes would give was said at planning.
        # Finishes ranked by the learner's day, as `replan_rank` does: the fewest
        # sessions among the plans that finish on the day the solver's plan does.
        SolverSettings(compare_orders=False, same_day_sessions=True),
        preferred=replays(problem, previous, inputs.roadmap),
        taken_uids={session.uid for session in record} | set(retired),
        reviews=reviews,
    )
    upcoming = with_sequences(scheduled.sessions, previous, _stamp(start))
    # The order is checked as the plan was made: the kept sessions as they were, the
    # rest against its own reference order (the previous plan placed the kept topics
    # within its band; the rest keeps its band after them).
    kept_first = tuple(dict.fromkeys([*(s.topic for s in kept), *to_plan.order]))
    plan = assemble_plan(
        inputs,
        replace(left.requirements, order=kept_first) if kept else left.requirements,
        problem,
        scheduled,
        [*record, *upcoming],
        start=min(previous.start, first_day),
        as_of=first_day,
    )
    plan = plan.model_copy(update={"retired_uids": retired})
    if first_day == start.as_of and start.at > start_of_day(start.as_of, zone):
        plan = plan.model_copy(update={"resumes_at": start.at})
    return plan, scheduled.seconds
