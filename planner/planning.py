"""The planner's front door: roadmap + prerequisites + profile -> a validated Plan."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence, Set
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import networkx as nx

from planner.errors import InfeasiblePlanError, PlanValidationError
from planner.goals import Goal, goal_order, goal_reports, resolve_goals
from planner.graph import (
    build_graph,
    expand_ids,
    redundant_edge_warnings,
    require_topics,
    study_order,
    without_topics,
)
from planner.models import (
    Plan,
    Prerequisites,
    Profile,
    Roadmap,
    RoundedTopic,
    SolverReport,
    StudySession,
)
from planner.sessions import sessions_from_starts
from planner.solver import SchedulingProblem, SolverSettings, solve
from planner.solver.list_schedule import list_schedule
from planner.timegrid import TimeAxis, build_axis, study_windows
from planner.validation import PlanRequirements, validate_plan

MAX_PLAN_YEARS = 30
MAX_PLAN_DAYS = 365 * MAX_PLAN_YEARS + MAX_PLAN_YEARS // 4  # the planning horizon searched


@dataclass(frozen=True)
class PlanInputs:
    """What a plan is made from, with the files it came from (for error messages)."""

    roadmap: Roadmap
    prerequisites: Prerequisites
    profile: Profile
    prerequisites_path: Path | str = "prerequisites"
    profile_path: Path | str = "profile"

    def with_start(self, start: date) -> PlanInputs:
        """The same inputs, planned from `start` instead of the profile's first day."""
        return replace(self, profile=self.profile.model_copy(update={"start": start}))

    def with_profile(self, profile: Profile) -> PlanInputs:
        return replace(self, profile=profile)


@dataclass(frozen=True)
class PlanResult:
    plan: Plan
    warnings: list[str] = field(default_factory=list)
    seconds: float = 0.0


def make_plan(
    inputs: PlanInputs, *, today: date, settings: SolverSettings | None = None
) -> PlanResult:
    """Plan every topic's hours into the profile's windows, validated against every rule.

    Args:
        inputs: roadmap, prerequisites, profile.
        today: the first day to plan when the profile gives no `start`.
        settings: solver effort (defaults are deterministic).

    Raises:
        PlannerError: unknown ids, a cycle, or no plan fits the profile.
    """
    graph = build_graph(inputs.roadmap, inputs.prerequisites, inputs.prerequisites_path)
    warnings = redundant_edge_warnings(graph, inputs.prerequisites_path)
    requirements = plan_requirements(inputs, graph)
    start_day = inputs.profile.start or today
    problem = build_problem(inputs, requirements, start_day)
    scheduled = schedule(inputs, problem, settings)
    plan = Plan(
        roadmap=inputs.roadmap.id,
        timezone=inputs.profile.timezone,
        start=start_day,
        finish=scheduled.finish,
        lower_bound_finish=scheduled.lower_bound_finish,
        planned_hours=sum(requirements.minutes.values()) / 60,
        rounded=requirements.rounded,
        goals=goal_reports(
            requirements.goals,
            requirements.minutes,
            scheduled.sessions,
            problem.axis,
            inputs.profile.zone,
        ),
        deadline=inputs.profile.deadline,
        solver=scheduled.report,
        sessions=tuple(scheduled.sessions),
    )
    ensure_valid(plan, inputs.profile, requirements)
    if misses_deadline(plan):
        from planner.deadline import explain_missed_deadline  # it plans variants itself

        raise explain_missed_deadline(inputs, plan, problem, today=today, settings=settings)
    return PlanResult(plan=plan, warnings=warnings, seconds=scheduled.seconds)


def misses_deadline(plan: Plan) -> bool:
    """True when the plan ends after the end of its deadline day (in its own zone)."""
    return (
        plan.deadline is not None
        and plan.finish is not None
        and plan.finish.astimezone(ZoneInfo(plan.timezone)).date() > plan.deadline
    )


@dataclass(frozen=True)
class Schedule:
    """A solved problem as sessions in real time, with the solver's report."""

    sessions: list[StudySession]
    finish: datetime | None
    lower_bound_finish: datetime | None
    report: SolverReport
    seconds: float


def schedule(
    inputs: PlanInputs,
    problem: SchedulingProblem,
    settings: SolverSettings | None = None,
    preferred: Sequence[list[int] | None] = (),
    taken_uids: Set[str] = frozenset(),
) -> Schedule:
    """Solve `problem` and turn the result into sessions (UIDs not in `taken_uids`).

    `preferred` plans (a re-plan's replays of the previous plan) win whenever they finish
    as early as the best plan the solver finds."""
    outcome = solve(problem, settings, preferred=preferred)
    zone = inputs.profile.zone
    axis = problem.axis
    planned = bool(problem.topic_ids)
    return Schedule(
        sessions=sessions_from_starts(inputs.roadmap, problem, outcome.starts, zone, taken_uids),
        finish=axis.slot_end(outcome.finish - 1).astimezone(zone) if planned else None,
        lower_bound_finish=axis.slot_end(problem.needed_slots - 1).astimezone(zone)
        if planned
        else None,
        report=SolverReport(
            status=outcome.status,
            finish_proven_optimal=outcome.finish == outcome.finish_lower_bound,
            sessions=outcome.sessions,
            sessions_lower_bound=outcome.sessions_lower_bound,
            list_schedule_sessions=outcome.list_schedule_sessions,
        ),
        seconds=outcome.seconds,
    )


def ensure_valid(plan: Plan, profile: Profile, requirements: PlanRequirements) -> None:
    """The guard after every solve: a plan that breaks a rule is a planner bug."""
    violations = validate_plan(plan, profile, requirements)
    if violations:
        raise PlanValidationError(violations)


def plan_requirements(inputs: PlanInputs, graph: nx.DiGraph) -> PlanRequirements:
    """Minutes per topic to plan (overrides applied, rounded up to whole slots; skipped
    and 0-hour topics left out) and the prerequisites among the planned topics.

    Raises:
        UnknownTopicError: the profile's `hours` or `skip` names an unknown id.
    """
    minutes, rounded = planned_minutes(inputs)
    goals, minutes = with_goals(inputs, graph, minutes)
    return requirements_for(inputs.roadmap, graph, minutes, rounded, goals)


def with_goals(
    inputs: PlanInputs, graph: nx.DiGraph, minutes: dict[str, int]
) -> tuple[tuple[Goal, ...], dict[str, int]]:
    """The profile's goals, and `minutes` cut to what they need if `only_goals`."""
    goals = resolve_goals(inputs.roadmap, graph, inputs.profile.goals, inputs.profile_path)
    if inputs.profile.only_goals:
        needed = set().union(*(goal.closure for goal in goals))
        minutes = {topic: length for topic, length in minutes.items() if topic in needed}
    return tuple(goals), minutes


def planned_minutes(inputs: PlanInputs) -> tuple[dict[str, int], tuple[RoundedTopic, ...]]:
    """Each topic's minutes after the profile's overrides and skips, in whole slots, and
    the topics that rounding changed."""
    roadmap, profile = inputs.roadmap, inputs.profile
    require_topics(roadmap, profile.hours, inputs.profile_path, "hours")
    # The learner's own estimates win over pace, which scales the roadmap's.
    hours = {
        topic.id: profile.hours.get(topic.id, topic.hours * profile.pace)
        for topic in roadmap.topics
    }
    skipped = expand_ids(roadmap, profile.skip, inputs.profile_path, "skip")
    slot = profile.session.slot_minutes
    minutes: dict[str, int] = {}
    rounded: list[RoundedTopic] = []
    for topic in roadmap.topics:
        slots = math.ceil(round(hours[topic.id] * 60 / slot, 6))
        if topic.id in skipped or slots == 0:
            continue
        minutes[topic.id] = slots * slot
        if not math.isclose(slots * slot, hours[topic.id] * 60):
            rounded.append(
                RoundedTopic(topic=topic.id, hours=hours[topic.id], planned_hours=slots * slot / 60)
            )
    return minutes, tuple(rounded)


def requirements_for(
    roadmap: Roadmap,
    graph: nx.DiGraph,
    minutes: dict[str, int],
    rounded: tuple[RoundedTopic, ...] = (),
    goals: tuple[Goal, ...] = (),
) -> PlanRequirements:
    """Requirements for planning `minutes`: topics not in it are done, skipped or take no
    time, and the order they imposed on the others stays; goals come first."""
    unplanned = [topic.id for topic in roadmap.topics if topic.id not in minutes]
    planned_graph = without_topics(graph, unplanned)
    sequence = goal_order(goals, minutes)
    ordering = planned_graph.copy()
    ordering.add_edges_from(sequence)
    return PlanRequirements(
        minutes=minutes,
        order=tuple(study_order(ordering, roadmap)),
        prerequisites={
            topic: tuple(sorted(planned_graph.predecessors(topic))) for topic in minutes
        },
        rounded=rounded,
        sequence=tuple(sequence),
        goals=goals,
    )


def build_problem(
    inputs: PlanInputs,
    requirements: PlanRequirements,
    start_day: date,
    studied: Mapping[date, float] | None = None,
) -> SchedulingProblem:
    """The scheduling problem from `start_day` on an axis just long enough for the list
    schedule (which is never worse than the solver's answer). `studied` (minutes by day,
    a re-plan's history) counts against the profile's caps.

    Raises:
        InfeasiblePlanError: the profile's windows cannot hold the topics.
    """
    profile = inputs.profile
    order = requirements.order
    index = {topic: position for position, topic in enumerate(requirements.minutes)}
    slot = profile.session.slot_minutes
    before = {topic: set(needs) for topic, needs in requirements.prerequisites.items()}
    for earlier, later in requirements.sequence:
        before[later].add(earlier)
    days = 7 * 8
    while True:
        last_day = start_day + timedelta(days=days - 1)
        windows = study_windows(profile, start_day, last_day, studied)
        problem = SchedulingProblem(
            topic_ids=tuple(requirements.minutes),
            durations=tuple(minutes // slot for minutes in requirements.minutes.values()),
            predecessors=tuple(
                tuple(sorted(index[p] for p in before[topic])) for topic in requirements.minutes
            ),
            reference_order=tuple(index[topic] for topic in order),
            axis=build_axis(windows, profile.session),
            rules=profile.session,
        )
        if problem.horizon >= problem.needed_slots:
            starts = list_schedule(problem)
            if starts is not None:
                finish = max(
                    (s + d for s, d in zip(starts, problem.durations, strict=True)), default=0
                )
                return replace(problem, axis=_truncated(problem.axis, finish))
        if days == MAX_PLAN_DAYS:
            raise InfeasiblePlanError(_why_nothing_fits(inputs, problem, start_day))
        days = min(days * 2, MAX_PLAN_DAYS)


def _truncated(axis: TimeAxis, length: int) -> TimeAxis:
    """The first `length` slots of `axis`."""
    kept = [block for block, offset in enumerate(axis.block_offsets) if offset < length]
    sizes = [min(axis.block_slots[b], length - axis.block_offsets[b]) for b in kept]
    return TimeAxis(
        axis.slot,
        tuple(axis.block_starts[b] for b in kept),
        tuple(sizes),
        tuple(axis.block_offsets[b] for b in kept),
    )


def _why_nothing_fits(inputs: PlanInputs, problem: SchedulingProblem, start_day: date) -> str:
    profile = inputs.profile
    rules = profile.session
    needed_hours = problem.needed_slots * rules.slot_minutes / 60
    if problem.horizon == 0:
        uncapped = profile.model_copy(
            update={"max_hours_per_day": None, "max_hours_per_week": None}
        )
        windows = study_windows(uncapped, start_day, start_day + timedelta(days=7 * 52))
        if not windows:
            return (
                f"{inputs.profile_path}: the profile has no study time: `weekly` gives no "
                "window outside blackouts"
            )
        longest = max(window.minutes for window in windows)
        usable = max(rules.usable_slots(window.minutes // rules.slot_minutes) for window in windows)
        capped = profile.max_hours_per_day is not None or profile.max_hours_per_week is not None
        if usable and capped:  # then the caps leave no room for a session
            return (
                f"{inputs.profile_path}: max_hours_per_day / max_hours_per_week leave no room "
                f"for a session of session.min_minutes ({rules.min_minutes} min)"
            )
        shortest, name = max(
            (rules.min_minutes, "session.min_minutes"), (rules.slot_minutes, "one slot")
        )
        return (
            f"{inputs.profile_path}: every study window is shorter than {name} "
            f"({shortest} min; the longest is {longest} min): lower min_minutes "
            "or add longer windows"
        )
    available_hours = problem.horizon * rules.slot_minutes / 60
    return (
        f"{inputs.profile_path}: {needed_hours:g} h do not fit in the "
        f"{available_hours:g} h available in the {MAX_PLAN_YEARS} years after {start_day}"
    )
