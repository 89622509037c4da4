"""What if I studied B hours a week? The learner's own week, scaled.

Each window keeps its day and start time and grows or shrinks by the same factor (in
whole slots, never into the next window), so the plan keeps the learner's rhythm. The
profile's own caps and deadline are left out: the question is what the budget buys.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from pydantic import ValidationError

from planner.errors import PlannerError
from planner.inputs.plan_inputs import PlanInputs
from planner.models.fields import WEEKDAYS
from planner.models.profile import Profile, WeeklyWindow
from planner.planning.pipeline import make_plan

MINUTES_A_DAY, MINUTES_A_WEEK = 24 * 60, 7 * 24 * 60


def weekly_minutes(profile: Profile) -> int:
    """The nominal length of the profile's weekly windows (DST and blackouts aside)."""
    return sum(_length(window) for windows in profile.weekly.values() for window in windows)


def _length(window: WeeklyWindow) -> int:
    start = window.start.hour * 60 + window.start.minute
    end = window.end.hour * 60 + window.end.minute
    return (end - start) % MINUTES_A_DAY or MINUTES_A_DAY


def scaled_profile(profile: Profile, hours_per_week: float) -> Profile:
    """`profile` with its windows scaled to about `hours_per_week` (see the module).

    Raises:
        PlannerError: the profile has no windows to scale.
    """
    nominal = weekly_minutes(profile)
    if nominal == 0:
        raise PlannerError("the profile has no weekly windows to scale")
    slot = profile.session.slot_minutes
    factor = hours_per_week * 60 / nominal
    starts = sorted(
        (WEEKDAYS.index(day) * MINUTES_A_DAY + w.start.hour * 60 + w.start.minute, day, w)
        for day, windows in profile.weekly.items()
        for w in windows
    )
    weekly: dict[str, list[str]] = {}
    for index, (start, day, window) in enumerate(starts):
        next_start = starts[(index + 1) % len(starts)][0]
        room = (next_start - start) % MINUTES_A_WEEK or MINUTES_A_WEEK
        room = min(room, MINUTES_A_DAY - slot) // slot * slot
        # Half a slot rounds up: a budget is never quietly rounded down to the last one.
        length = max(slot, math.floor(_length(window) * factor / slot + 0.5) * slot)
        if room < slot:  # no whole slot before the next window: leave this one as it is
            weekly.setdefault(day, []).append(str(window))
            continue
        weekly.setdefault(day, []).append(_window_text(start, min(length, room)))
    fields: dict[str, Any] = profile.model_dump(by_alias=True)
    fields.update(weekly=weekly, max_hours_per_day=None, max_hours_per_week=None, deadline=None)
    try:
        return Profile.model_validate(fields)
    except ValidationError as error:
        raise PlannerError(f"cannot scale the weekly windows: {error.errors()[0]['msg']}") from None


def _window_text(start: int, length: int) -> str:
    first, last = start % MINUTES_A_DAY, (start + length) % MINUTES_A_DAY
    return f"{first // 60:02d}:{first % 60:02d}-{last // 60:02d}:{last % 60:02d}"


@dataclass(frozen=True)
class WhatIfRow:
    hours_per_week: float  # asked for
    scaled_hours_per_week: float  # what the scaled windows give (slots, no overlaps)
    finish: datetime | None
    goals: dict[str, datetime | None]
    problem: str | None = None  # why this budget gives no plan


def what_if(inputs: PlanInputs, budgets: list[float], *, today: date) -> list[WhatIfRow]:
    """The finish (and each goal's date) for each weekly budget."""
    rows = []
    goal_ids = list(inputs.profile.goals)
    for hours in budgets:
        profile = scaled_profile(inputs.profile, hours)
        scaled = weekly_minutes(profile) / 60
        try:
            plan = make_plan(inputs.with_profile(profile), today=today).plan
        except PlannerError as error:  # this budget does not work; the others may
            rows.append(WhatIfRow(hours, scaled, None, dict.fromkeys(goal_ids), str(error)))
            continue
        reached = {goal.goal: goal.reached for goal in plan.goals}
        rows.append(WhatIfRow(hours, scaled, plan.finish, reached))
    return rows
