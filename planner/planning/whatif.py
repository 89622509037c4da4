"""What if I studied B hours a week? The learner's own week scaled to each budget
(`scaling`), planned; the finish and each goal's date for each."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime

from planner.errors import PlannerError
from planner.inputs.plan_inputs import PlanInputs
from planner.models.profile import Profile
from planner.planning.pipeline import make_plan
from planner.planning.scaling import scaled_profile, weekly_minutes
from planner.solver.settings import SolverSettings
from planner.words import plural


@dataclass(frozen=True)
class WhatIfRow:
    hours_per_week: float  # asked for
    scaled_hours_per_week: float  # reached: what the scaled windows hold
    finish: datetime | None
    goals: dict[str, datetime | None]
    problem: str | None = None  # why this budget gives no plan
    note: str | None = None  # why the reached budget is not the one asked for


def what_if(
    inputs: PlanInputs,
    budgets: list[float],
    *,
    today: date,
    settings: SolverSettings | None = None,
) -> list[WhatIfRow]:
    """The finish (and each goal's date) for each weekly budget; a budget that gives
    no plan is a row with its `problem`."""
    rows = []
    goal_ids = list(inputs.profile.goal_ids)
    # Each budget in the profile's own order mode; the other modes are not asked about.
    alone = replace(settings or SolverSettings(), compare_orders=False)
    for hours in budgets:
        profile = scaled_profile(inputs.profile, hours)
        reached = weekly_minutes(profile) / 60
        note = budget_note(inputs.profile, hours, reached)
        try:
            plan = make_plan(inputs.with_profile(profile), today=today, settings=alone).plan
        except PlannerError as error:  # this budget does not work; the others may
            rows.append(WhatIfRow(hours, reached, None, dict.fromkeys(goal_ids), str(error), note))
            continue
        dates = {goal.goal: goal.reached for goal in plan.goals}
        rows.append(WhatIfRow(hours, reached, plan.finish, dates, None, note))
    return rows


def budget_note(profile: Profile, asked: float, reached: float) -> str | None:
    """Why scaling `profile` to `asked` hours a week gives `reached` (None if equal)."""
    if asked == reached:
        return None
    windows = sum(len(day) for day in profile.weekly.values())
    if reached > asked:
        rules = profile.session
        return (
            f"the least your {plural(windows, 'window')} hold: each at least one session "
            f"of {rules.min_minutes} min in {rules.slot_minutes}-min slots"
        )
    if reached < asked - profile.session.slot_minutes / 60:
        return (
            f"the most your {plural(windows, 'window')} hold: none longer than 12 h or "
            "into the next window; add windows for more"
        )
    return f"whole {profile.session.slot_minutes}-min slots"
