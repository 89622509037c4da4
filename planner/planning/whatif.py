"""What if I studied B hours a week? The learner's own week scaled to each budget
(`scaling`), planned; the finish and each goal's date for each, and the finish most
likely (P50) and 9 in 10 (P90) at the learner's own pace (forecast.py)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime

from planner.errors import PlannerError
from planner.inputs.plan_inputs import PlanInputs
from planner.models.forecast import FinishedTopic
from planner.models.profile import Profile
from planner.planning.forecast import forecast_of
from planner.planning.pace import learn_pace
from planner.planning.pipeline import make_plan
from planner.planning.scaling import (
    least_hours_per_week,
    most_hours_per_week,
    scaled_profile,
    weekly_minutes,
)
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
    finish_p50: datetime | None = None  # at the learner's own pace: most likely
    finish_p90: datetime | None = None  # ... and 9 in 10


def what_if(
    inputs: PlanInputs,
    budgets: list[float],
    *,
    today: date,
    finished: Sequence[FinishedTopic] = (),
) -> list[WhatIfRow]:
    """The finish (and each goal's date) for each weekly budget, and its forecast at
    the pace learned from `finished` (a plan's evidence; none: the estimates and their
    prior spread); a budget that gives no plan is a row with its `problem`."""
    rows = []
    goal_ids = list(inputs.profile.goal_ids)
    # Each budget in the profile's own order mode; the other modes are not asked about.
    alone = SolverSettings(compare_orders=False)
    learned = learn_pace(finished, inputs.roadmap)
    for hours in budgets:
        profile = scaled_profile(inputs.profile, hours)
        reached = weekly_minutes(profile) / 60
        note = budget_note(inputs.profile, hours, reached)
        scaled = replace(inputs.with_profile(profile), learned_pace=learned.as_profile_pace())
        try:
            plan = make_plan(scaled, today=today, settings=alone).plan
        except PlannerError as error:  # this budget does not work; the others may
            rows.append(WhatIfRow(hours, reached, None, dict.fromkeys(goal_ids), str(error), note))
            continue
        dates = {goal.goal: goal.reached for goal in plan.goals}
        forecast = forecast_of(plan, scaled, learned)
        likely = {"finish_p50": forecast.finish_p50, "finish_p90": forecast.finish_p90}
        rows.append(WhatIfRow(hours, reached, plan.finish, dates, None, note, **likely))
    return rows


def budget_note(profile: Profile, asked: float, reached: float) -> str | None:
    """Why scaling `profile` to `asked` hours a week gives `reached` (None if equal): the
    windows hold no less, or no more, or only whole slots."""
    if asked == reached:
        return None
    count = sum(len(day) for day in profile.weekly.values())
    windows = f"{plural(count, 'window')} {'holds' if count == 1 else 'hold'}"
    rules = profile.session
    if asked < reached == least_hours_per_week(profile):
        return (
            f"the least your {windows}: each at least one session of {rules.min_minutes} "
            f"min in {rules.slot_minutes}-min slots"
        )
    if asked > reached == most_hours_per_week(profile):
        return (
            f"the most your {windows}: none longer than 12 h or into the next window; "
            "add windows for more"
        )
    return f"whole {rules.slot_minutes}-min slots"
