"""The planner's front door: roadmap + prerequisites + profile -> a validated Plan.

`make_plan` plans; it does not judge the deadline. The layers above it (`deadline`,
`replan`, `whatif`) call it, never the reverse.
"""

from __future__ import annotations

import time
from collections.abc import Sequence, Set
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from planner.errors import PlanValidationError
from planner.inputs.graph import build_graph, redundant_edge_warnings
from planner.inputs.plan_inputs import PlanInputs
from planner.models.plan import (
    MadeFrom,
    OrderAlternative,
    OrderReport,
    Plan,
    ReviewReport,
    SolverReport,
    StudySession,
)
from planner.models.profile import Profile
from planner.planning.busy import busy_report, busy_warnings
from planner.planning.forecast import forecast_of
from planner.planning.goals import goal_reports
from planner.planning.horizon import build_problem
from planner.planning.pace import LearnedPace
from planner.planning.requirements import PlanRequirements, plan_requirements
from planner.planning.reviews.schedule import ReviewState, schedule_reviews
from planner.planning.sessions import sessions_from_starts
from planner.planning.validation import validate_plan
from planner.solver.bounds import sessions_lower_bound
from planner.solver.list_schedule import list_schedule
from planner.solver.order import OrderRule, topic_pairs
from planner.solver.problem import SchedulingProblem
from planner.solver.score import sessions_of
from planner.solver.search import OrderFigures, SolveOutcome, solve
from planner.solver.settings import SolverSettings
from planner.timeline.clock import day_of


@dataclass(frozen=True)
class PlanResult:
    plan: Plan
    warnings: list[str] = field(default_factory=list)
    seconds: float = 0.0


def make_plan(
    inputs: PlanInputs,
    *,
    today: date,
    now: datetime | None = None,
    settings: SolverSettings | None = None,
    plan_id: str | None = None,
) -> PlanResult:
    """Plan every topic's hours into the profile's windows, validated against every rule.
    A plan that ends after the profile's deadline is returned as it is (`misses_deadline`
    tells); `planning.deadline.require_deadline` turns it into an explanation.

    Args:
        inputs: roadmap, prerequisites, profile.
        today: the first day to plan when the profile gives no `start`.
        now: the learner's clock: a plan that starts today plans nothing before it (a
            plan made at 21:00 does not begin with a session at 19:00).
        settings: solver effort (defaults are deterministic).
        plan_id: the plan's identity in its event UIDs (default: derived from the
            inputs, so the same inputs give the same bytes).

    Raises:
        PlannerError: unknown ids, a cycle, or no plan fits the profile.
    """
    graph = build_graph(inputs.roadmap, inputs.prerequisites, inputs.prerequisites_path)
    warnings = redundant_edge_warnings(graph, inputs.prerequisites_path)
    requirements = plan_requirements(inputs, graph)
    start_day = inputs.profile.start or today
    if start_day < today:
        warnings.append(
            f"start {start_day} is in the past (today is {today} where you are): the plan's "
            f"sessions before today are over; leave `start` (and --start) out to plan from today"
        )
    plan_id = plan_id or inputs.derived_plan_id(start_day)
    # Planned today: not before now (a plan made at 21:00 has no session at 19:00).
    not_before = now if now is not None and day_of(now, inputs.profile.zone) == start_day else None
    problem = build_problem(inputs, requirements, start_day, not_before=not_before)
    reviews = ReviewState(requirements.reviewed, start_day, not_before=not_before)
    scheduled = schedule(inputs, problem, plan_id, settings, reviews=reviews)
    plan = assemble_plan(
        inputs, requirements, problem, scheduled, scheduled.sessions, start=start_day
    )
    warnings += busy_warnings(inputs, plan)
    # A first plan knows nothing of the learner's pace yet: the prior spread alone.
    plan = plan.model_copy(update={"forecast": forecast_of(plan, inputs, LearnedPace())})
    return PlanResult(plan=plan, warnings=warnings, seconds=scheduled.seconds)


def assemble_plan(
    inputs: PlanInputs,
    requirements: PlanRequirements,
    problem: SchedulingProblem,
    scheduled: Schedule,
    sessions: Sequence[StudySession],
    *,
    start: date,
    as_of: date | None = None,
) -> Plan:
    """The Plan of a solved problem, checked against every hard rule.

    Args:
        sessions: the scheduled sessions, and a re-plan's history (marked done).
        start: the plan's first day; `as_of`: the day a re-plan was made from.

    Raises:
        PlanValidationError: the plan breaks a rule (a planner bug).
    """
    ordered = tuple(sorted(sessions, key=lambda session: session.start_utc))
    finish = scheduled.finish or max(
        (session.end for session in ordered), default=None, key=lambda end: end.astimezone(UTC)
    )
    plan = Plan(
        roadmap=inputs.roadmap.id,
        plan_id=scheduled.plan_id,
        roadmap_digest=inputs.roadmap_digest,
        made_from=MadeFrom(roadmap=inputs.roadmap, prerequisites=inputs.prerequisites),
        timezone=inputs.profile.timezone,
        start=start,
        as_of=as_of,
        finish=finish,
        lower_bound_finish=scheduled.lower_bound_finish,
        planned_hours=sum(requirements.minutes.values()) / 60,
        rounded=requirements.rounded,
        goals=goal_reports(
            requirements.goals, requirements.minutes, ordered, problem.axis, inputs.profile.zone
        ),
        deadline=inputs.profile.deadline,
        busy=busy_report(inputs, as_of or start, _last_end(finish, scheduled.reviews)),
        solver=scheduled.report,
        order=scheduled.order,
        profile=inputs.profile.masked(),  # a busy calendar's URL is a secret
        reviews=scheduled.reviews,
        sessions=ordered,
    )
    ensure_valid(plan, inputs.profile, requirements)
    return plan


def _last_end(finish: datetime | None, reviews: ReviewReport | None) -> datetime | None:
    """Where the plan's time ends: the last topic, or the last review after it."""
    last = reviews.last_review if reviews is not None else None
    if finish is None or last is None:
        return finish or last
    return max(finish, last, key=lambda moment: moment.astimezone(UTC))


def days_past_deadline(plan: Plan) -> int:
    """How many days after its deadline day the plan ends, in its own zone (0 when on
    time or without a deadline)."""
    if plan.deadline is None or plan.finish is None:
        return 0
    return max(0, (plan.finish.astimezone(ZoneInfo(plan.timezone)).date() - plan.deadline).days)


def misses_deadline(plan: Plan) -> bool:
    """True when the plan ends after the end of its deadline day (in its own zone)."""
    return days_past_deadline(plan) > 0


@dataclass(frozen=True)
class Schedule:
    """A solved problem as sessions in real time, with the solver's report."""

    plan_id: str | None  # in the sessions' UIDs
    sessions: list[StudySession]
    finish: datetime | None
    lower_bound_finish: datetime | None
    report: SolverReport
    order: OrderReport
    seconds: float
    reviews: ReviewReport | None = None


def schedule(
    inputs: PlanInputs,
    problem: SchedulingProblem,
    plan_id: str | None,
    settings: SolverSettings | None = None,
    preferred: Sequence[list[int] | None] = (),
    taken_uids: Set[str] = frozenset(),
    reviews: ReviewState | None = None,
) -> Schedule:
    """Solve `problem` and turn the result into sessions of the plan `plan_id` (UIDs not
    in `taken_uids`), with the reviews `reviews` starts from when the profile asks for
    reviews.

    `preferred` plans (a re-plan's replays of the previous plan) win whenever they keep
    the profile's order mode and are as good as the best plan the solver finds on finish,
    then sessions."""
    profile = inputs.profile
    zone = profile.zone
    axis = problem.axis
    rule = OrderRule(profile.order, profile.max_shift)
    # The finish a learner sees is a day: a reordering that only buys minutes is undone.
    outcome = solve(problem, rule, settings, preferred, lambda end: axis.day_end(end, zone))
    planned = bool(problem.topic_ids)
    topics_alone = Schedule(
        plan_id=plan_id,
        sessions=sessions_from_starts(
            inputs.roadmap, problem, outcome.starts, zone, plan_id, taken_uids
        ),
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
        order=order_report(problem, outcome, profile),
        seconds=outcome.seconds,
    )
    if reviews is None or inputs.profile.review is None:
        return topics_alone
    return _with_reviews(
        inputs, problem, topics_alone, outcome.starts, reviews, settings, taken_uids
    )


def _with_reviews(
    inputs: PlanInputs,
    problem: SchedulingProblem,
    topics_alone: Schedule,
    starts: list[int],
    state: ReviewState,
    settings: SolverSettings | None,
    taken_uids: Set[str],
) -> Schedule:
    """`topics_alone` with the reviews planned in: topics placed again around them."""
    clock = time.perf_counter()
    order = sorted(range(len(starts)), key=lambda topic: (starts[topic], topic))
    reviewed = schedule_reviews(
        inputs,
        problem,
        order,
        state,
        topics_alone.plan_id,
        (topics_alone.finish, topics_alone.lower_bound_finish),
        taken_uids,
    )
    finish = max(
        (s + length for s, length in zip(reviewed.starts, reviewed.problem.durations, strict=True)),
        default=0,
    )
    study = sum(not session.is_review for session in reviewed.sessions)
    bound = sessions_lower_bound(reviewed.problem, finish, enough=study) if finish else 0
    at_bound = reviewed.finish == reviewed.report.lower_bound_finish
    # The list schedule on the time the reviews leave: what anyone could make of it.
    fallback = list_schedule(reviewed.problem)
    report = topics_alone.report.model_copy(
        update={
            "status": "OPTIMAL" if at_bound and study == bound else "FEASIBLE",
            "finish_proven_optimal": at_bound,
            "sessions": study,
            "sessions_lower_bound": bound,
            "list_schedule_sessions": sessions_of(reviewed.problem, fallback)
            if fallback is not None
            else topics_alone.report.list_schedule_sessions,
        }
    )
    return replace(
        topics_alone,
        sessions=reviewed.sessions,
        finish=reviewed.finish,
        report=report,
        seconds=topics_alone.seconds + time.perf_counter() - clock,
        reviews=reviewed.report,
    )


def order_report(
    problem: SchedulingProblem, outcome: SolveOutcome, profile: Profile
) -> OrderReport:
    """The plan's order against the reference order, and the other modes' plans."""

    def finish(figures: OrderFigures) -> datetime | None:
        if not problem.topic_ids:
            return None
        return problem.axis.slot_end(figures.finish - 1).astimezone(profile.zone)

    return OrderReport(
        mode=profile.order,
        max_shift=profile.max_shift if profile.order == "balanced" else None,
        pairs=topic_pairs(len(problem.topic_ids)),
        inversions=outcome.order.inversions,
        largest_shift=outcome.order.largest_shift,
        alternatives=tuple(
            OrderAlternative(
                mode=figures.mode,
                finish=finish(figures),
                sessions=figures.sessions,
                inversions=figures.inversions,
                largest_shift=figures.largest_shift,
            )
            for figures in outcome.alternatives
        ),
        unbeatable_by=outcome.unbeatable_by,
    )


def ensure_valid(plan: Plan, profile: Profile, requirements: PlanRequirements) -> None:
    """The guard after every solve: a plan that breaks a rule is a planner bug."""
    violations = validate_plan(plan, profile, requirements)
    if violations:
        raise PlanValidationError(violations)
