"""The least hours a week that reach a goal (or everything) by a date: a search over
weekly budgets, each checked by planning the learner's week scaled to it.

"6.3 FastAPI by 2027-06-30 needs 9.5 h a week (you have 8 h): reached Tue 2027-06-29."
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta

from planner.errors import PlannerError
from planner.inputs.graph import build_graph
from planner.inputs.plan_inputs import PlanInputs
from planner.models.goals import ProfileGoal
from planner.models.plan import Plan
from planner.models.profile import Profile
from planner.models.weekly import MAX_WINDOW_HOURS
from planner.planning.goals import resolve_goals
from planner.planning.horizon import MAX_PLAN_DAYS
from planner.planning.pipeline import make_plan
from planner.planning.requirements import plan_requirements
from planner.planning.scaling import most_hours_per_week, scaled_profile, weekly_minutes
from planner.solver.settings import SolverSettings

STEP_HOURS = 0.5  # budgets are searched in half hours


@dataclass(frozen=True)
class LeastHours:
    """The answer to "how many hours a week to reach `goal` (None: everything) by
    `by`?". `hours_per_week` is the least budget found whose plan reaches it (the
    hours the scaled windows really hold), `reached` when that plan reaches it; both
    None when even `most_hours_per_week` does not, and then `problem` says why."""

    goal: str | None
    by: date
    hours_per_week: float | None
    reached: datetime | None
    current_hours_per_week: float  # what the profile's windows hold now
    most_hours_per_week: float  # the most they scale to
    problem: str | None = None


def by_day_problem(by: date, today: date) -> str | None:
    """Why a least-hours question about `by` cannot be answered (the day is before the
    learner's `today`, or beyond the furthest a plan reaches), or None when it can."""
    last = today + timedelta(days=MAX_PLAN_DAYS)
    if by < today:
        return f"is before today ({today}): ask about a day from today on"
    if by > last:
        return f"is after {last}, the furthest a plan reaches"
    return None


def least_weekly_hours(
    inputs: PlanInputs,
    *,
    by: date,
    goal: str | None = None,
    today: date,
    settings: SolverSettings | None = None,
) -> LeastHours:
    """The least weekly hours with which the learner's week, scaled, reaches `goal` (a
    topic or section id; None: everything planned) by the end of `by`: a search over
    budgets in half hours, each planned (caps and deadline left out, as in `whatif`).

    Raises:
        UnknownTopicError: `goal` is not a topic or section id of the roadmap.
        PlannerError: the profile has no windows to scale.
    """
    goals, needed_topics = _goals_with(inputs, goal)
    profile = inputs.profile.model_copy(update={"goals": goals})
    inputs = inputs.with_profile(profile)
    # The finish is all we ask, in the profile's own order mode.
    quick = replace(settings or SolverSettings(), max_sweeps=0, compare_orders=False)
    current = weekly_minutes(profile) / 60
    most = most_hours_per_week(profile)

    def reached_with(hours: float) -> tuple[float, Plan | None]:
        scaled = scaled_profile(profile, hours)
        try:
            plan = make_plan(inputs.with_profile(scaled), today=today, settings=quick).plan
        except PlannerError:
            return weekly_minutes(scaled) / 60, None
        return weekly_minutes(scaled) / 60, plan

    deadline_end = datetime.combine(by + timedelta(days=1), time(0, 0), tzinfo=profile.zone)

    def attempt(steps: int) -> tuple[float, datetime | None, bool]:
        """The hours the week scaled to `steps` holds, when it reaches, and if in time."""
        hours, plan = reached_with(steps * STEP_HOURS)
        reached = _reached(plan, goal) if plan else None
        return hours, reached, reached is not None and reached <= deadline_end

    # Gallop up from a budget that surely fails, then bisect: the answer is usually a
    # few half hours above that bound, so this plans far fewer budgets than bisecting
    # the whole range would.
    needed = _needed_hours(inputs, needed_topics)
    low = _surely_too_few(profile, needed, profile.start or today, by)
    top = max(math.ceil(most / STEP_HOURS), low + 1)
    step = 1
    while True:
        high = min(low + step, top)
        best_hours, best_reached, in_time = attempt(high)
        if in_time:
            break
        if high == top:
            return LeastHours(
                goal, by, None, None, current, most, _why_not(goal, by, most, best_reached)
            )
        low, step = high, step * 2
    while high - low > 1:
        middle = (low + high) // 2
        hours, reached, in_time = attempt(middle)
        if in_time:
            high, best_hours, best_reached = middle, hours, reached
        else:
            low = middle
    return LeastHours(goal, by, best_hours, best_reached, current, most)


def _needed_hours(inputs: PlanInputs, needed_topics: frozenset[str] | None) -> float:
    """The hours to plan for `needed_topics` (None: everything the profile plans)."""
    graph = build_graph(inputs.roadmap, inputs.prerequisites, inputs.prerequisites_path)
    minutes = plan_requirements(inputs, graph).minutes
    return sum(m for t, m in minutes.items() if needed_topics is None or t in needed_topics) / 60


def _surely_too_few(profile: Profile, needed: float, first_day: date, by: date) -> int:
    """A budget (in steps) too small to hold `needed` hours by `by` at all: at B hours a
    week no more than B hours fit in each calendar week the days touch."""
    weeks = math.ceil(((by - first_day).days + 1) / 7) + 1

    def holds(steps: int) -> float:
        return weekly_minutes(scaled_profile(profile, steps * STEP_HOURS)) / 60 * weeks

    steps = math.floor(needed / weeks / STEP_HOURS)
    while steps > 0 and holds(steps) >= needed:
        steps -= 1
    return steps


def _goals_with(
    inputs: PlanInputs, goal: str | None
) -> tuple[tuple[ProfileGoal, ...], frozenset[str] | None]:
    """The profile's goals, and `goal` first if it is not one of them (a goal of the
    profile keeps the learner's order); and what `goal` needs (None: everything).

    Raises:
        UnknownTopicError: `goal` is not an id of the roadmap.
    """
    goals = inputs.profile.goals
    if goal is None:
        return goals, None
    graph = build_graph(inputs.roadmap, inputs.prerequisites, inputs.prerequisites_path)
    (resolved,) = resolve_goals(inputs.roadmap, graph, [goal], "--goal")
    if goal not in inputs.profile.goal_ids:
        goals = (ProfileGoal(topic=goal), *goals)
    return goals, resolved.closure


def _reached(plan: Plan, goal: str | None) -> datetime | None:
    if goal is None:
        return plan.finish
    return next((report.reached for report in plan.goals if report.goal == goal), None)


def _why_not(goal: str | None, by: date, most: float, reached: datetime | None) -> str:
    what = f"goal {goal}" if goal else "everything"
    when = f"is reached on {reached:%Y-%m-%d}" if reached else "gives no plan"
    return (
        f"even at {most:g} h a week (your windows as long as they can be: at most "
        f"{MAX_WINDOW_HOURS} h each and never into the next one) {what} {when}, after "
        f"{by}: add study windows, or choose a later date"
    )
