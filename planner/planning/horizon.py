"""How far ahead to plan: the scheduling problem on an axis just long enough, or a clear
answer when the profile's windows cannot hold the topics at all."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from datetime import date, datetime, time, timedelta

from planner.errors import InfeasiblePlanError
from planner.inputs.plan_inputs import PlanInputs
from planner.planning.requirements import PlanRequirements
from planner.solver.list_schedule import list_schedule, replay_schedule
from planner.solver.problem import SchedulingProblem
from planner.solver.score import finish_of
from planner.timeline.axis import build_axis
from planner.timeline.windows import StudyWindow, study_windows

MAX_PLAN_YEARS = 30
MAX_PLAN_DAYS = 365 * MAX_PLAN_YEARS + MAX_PLAN_YEARS // 4  # the planning horizon searched


def build_problem(
    inputs: PlanInputs,
    requirements: PlanRequirements,
    start_day: date,
    studied: Mapping[date, float] | None = None,
    not_before: datetime | None = None,
    plan_start: date | None = None,
) -> SchedulingProblem:
    """The scheduling problem from `start_day` on an axis just long enough for the list
    schedule and the reference order packed from the start (the solver's answer is
    never worse than the one its order mode allows). `studied` (minutes by day, a
    re-plan's history) counts against the profile's caps; nothing is planned before
    `not_before` (a re-plan that keeps the sessions before it).

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
    _refuse_what_no_week_can_hold(inputs, sum(requirements.minutes.values()) // slot, start_day)
    days = 7 * 8
    while True:
        last_day = start_day + timedelta(days=days - 1)
        windows = planning_windows(inputs, start_day, last_day, studied, not_before, plan_start)
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
            # The solver starts from both plans "anyone could make": the list schedule
            # (first ready topic first) and the reference order packed from the start.
            # The list schedule goes on with the problem: the solver's fallback (its
            # starts are the same on the axis cut at its finish).
            reference = list(problem.reference_order)
            by_list = list_schedule(problem)
            packed = replay_schedule(problem, reference, [None] * len(reference))
            if by_list is not None and packed is not None:
                finish = max(finish_of(problem, by_list), finish_of(problem, packed))
                return replace(
                    problem,
                    axis=problem.axis.truncated(finish),
                    list_schedule_starts=tuple(by_list),
                )
        if days == MAX_PLAN_DAYS:
            raise InfeasiblePlanError(_why_nothing_fits(inputs, problem, start_day))
        days = min(days * 2, MAX_PLAN_DAYS)


def planning_windows(
    inputs: PlanInputs,
    first_day: date,
    last_day: date,
    studied: Mapping[date, float] | None = None,
    not_before: datetime | None = None,
    plan_start: date | None = None,
) -> list[StudyWindow]:
    """The windows a plan may use from `first_day` to `last_day`: the profile's, cut by
    busy time and the caps (`studied` counting first), none before `not_before`. The
    day before's window past midnight counts too when that day is in the plan (from
    `plan_start`): a re-plan from midnight keeps the rest of last night's window."""
    if not_before is not None and plan_start is not None and first_day > plan_start:
        first_day -= timedelta(days=1)
    busy = inputs.busy_time(first_day, last_day)
    return study_windows(inputs.profile, first_day, last_day, studied, busy, not_before)


def usable_hours(inputs: PlanInputs, first_day: date, last_day: date) -> float:
    """The hours the profile's windows can hold sessions in from `first_day` to the end
    of `last_day`, busy time taken out (the axis a plan over those days is solved on)."""
    profile = inputs.profile
    day_after = datetime.combine(last_day + timedelta(days=1), time(0, 0), tzinfo=profile.zone)
    axis = build_axis(planning_windows(inputs, first_day, last_day), profile.session)
    usable = sum(1 for k in range(axis.total_slots) if axis.slot_end(k) <= day_after)
    return usable * profile.session.slot_minutes / 60


def _refuse_what_no_week_can_hold(inputs: PlanInputs, needed_slots: int, start_day: date) -> None:
    """Answer "does not fit" from the weekly windows alone, before building anything: when
    no window can hold a session, or when every week at its fullest (each window whole and
    an hour longer, for a clock change) could not hold the hours in the whole horizon."""
    profile = inputs.profile
    rules = profile.session
    windows = [window for day in profile.weekly.values() for window in day or ()]
    if not windows:
        raise InfeasiblePlanError(_no_study_time(inputs))
    if not any(rules.usable_slots(window.minutes // rules.slot_minutes) for window in windows):
        longest = max(window.minutes for window in windows)
        raise InfeasiblePlanError(_too_short(inputs, longest))
    most_a_week = sum(
        rules.usable_slots((window.minutes + 60) // rules.slot_minutes) for window in windows
    )
    if most_a_week * (MAX_PLAN_DAYS // 7 + 1) < needed_slots:
        hours = rules.slot_minutes / 60
        raise InfeasiblePlanError(
            f"{inputs.profile_path}: {needed_slots * hours:g} h do not fit: the weekly windows "
            f"hold at most {most_a_week * hours:g} h a week, not enough in the "
            f"{MAX_PLAN_YEARS} years after {start_day}"
        )


def _why_nothing_fits(inputs: PlanInputs, problem: SchedulingProblem, start_day: date) -> str:
    profile = inputs.profile
    rules = profile.session
    needed_hours = problem.needed_slots * rules.slot_minutes / 60
    if problem.horizon == 0:
        uncapped = profile.model_copy(
            update={"max_hours_per_day": None, "max_hours_per_week": None}
        )
        last_day = start_day + timedelta(days=7 * 52)
        busy = inputs.busy_time(start_day, last_day)
        windows = study_windows(uncapped, start_day, last_day, busy=busy)
        if not windows:
            return _no_study_time(inputs)
        longest = max(window.minutes for window in windows)
        usable = max(rules.usable_slots(window.minutes // rules.slot_minutes) for window in windows)
        capped = profile.max_hours_per_day is not None or profile.max_hours_per_week is not None
        if usable and capped:  # then the caps leave no room for a session
            return (
                f"{inputs.profile_path}: max_hours_per_day / max_hours_per_week leave no room "
                f"for a session of session.min_minutes ({rules.min_minutes} min)"
            )
        return _too_short(inputs, longest)
    available_hours = problem.horizon * rules.slot_minutes / 60
    return (
        f"{inputs.profile_path}: {needed_hours:g} h do not fit in the "
        f"{available_hours:g} h available in the {MAX_PLAN_YEARS} years after {start_day}"
    )


def _too_short(inputs: PlanInputs, longest: int) -> str:
    rules = inputs.profile.session
    shortest, name = max(
        (rules.min_minutes, "session.min_minutes"), (rules.slot_minutes, "one slot")
    )
    return (
        f"{inputs.profile_path}: every study window is shorter than {name} "
        f"({shortest} min; the longest is {longest} min): lower min_minutes "
        "or add longer windows"
    )


def _no_study_time(inputs: PlanInputs) -> str:
    outside = "blackouts and busy time" if inputs.busy else "blackouts"
    return (
        f"{inputs.profile_path}: the profile has no study time: `weekly` gives no window "
        f"outside {outside}"
    )
