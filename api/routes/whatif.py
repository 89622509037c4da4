"""/plans/{id}/whatif: "how many hours a week do I need?" — `planner whatif` for a
stored plan's profile, at a few weekly budgets."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel, Field

from api import repository
from api.busy import stored_busy_files
from api.capacity import solve_limits
from api.deps import LearnerTodayDep, OwnedPlanDep, SessionDep, SettingsDep, SolveGateDep
from api.routes.plans import SOLVES
from api.solving import least_hours_within, record_source, roadmap_pair, what_if_within
from planner.inputs.lookup import did_you_mean, titles_by_id
from planner.models.fields import WeeklyHours
from planner.models.plan import Plan
from planner.models.profile import Profile
from planner.models.roadmap import Roadmap
from planner.planning.least_hours import by_day_problem
from planner.planning.scaling import weekly_minutes

router = APIRouter(prefix="/plans", tags=["plans"])
MAX_BUDGETS = 8
SCALES = (0.5, 0.75, 1, 1.5, 2)  # the default budgets, as multiples of the learner's week


class WhatIfRowPublic(BaseModel):
    hours_per_week: float = Field(description="The budget asked for.")
    scaled_hours_per_week: float = Field(
        description="What the scaled windows really give (whole slots, no overlaps)."
    )
    finish: datetime | None
    goals: dict[str, datetime | None] = Field(description="Goal id -> when it is reached.")
    problem: str | None = Field(description="Why this budget gives no plan, if it does not.")
    note: str | None = Field(
        default=None, description="Why the hours reached differ from those asked, if they do."
    )
    finish_p50: datetime | None = Field(
        default=None, description="At the learner's own pace (the plan's): most likely done by."
    )
    finish_p90: datetime | None = Field(
        default=None, description="At the learner's own pace: done by, 9 times in 10."
    )


class WhatIfPublic(BaseModel):
    """Each budget scales the learner's own windows (same days and start times) and plans
    the whole roadmap from the plan's start; caps and deadline are left out."""

    start: date | None = Field(description="The first day planned (the profile's start).")
    current_hours_per_week: float
    rows: list[WhatIfRowPublic]


def default_budgets(profile: Profile) -> list[float]:
    """A few budgets around the learner's own week, in half hours."""
    hours = weekly_minutes(profile) / 60
    return sorted({max(0.5, round(hours * scale * 2) / 2) for scale in SCALES})


@router.get("/{plan_id}/whatif", response_model=WhatIfPublic, responses=SOLVES)
def what_if_plan(
    record: OwnedPlanDep,
    session: SessionDep,
    settings: SettingsDep,
    gate: SolveGateDep,
    today: LearnerTodayDep,
    hours_per_week: Annotated[
        list[WeeklyHours] | None,
        Query(
            max_length=MAX_BUDGETS, description="Weekly budgets in hours (default: around yours)."
        ),
    ] = None,
) -> WhatIfPublic:
    """The finish date (and each goal's) at other weekly budgets; each budget is a plan,
    so this takes a few seconds."""
    limits = solve_limits(settings)
    profile = Profile.model_validate_json(record.profile_json)
    budgets = sorted(set(hours_per_week or default_budgets(profile)))
    busy = stored_busy_files(session, record)  # the plan's busy calendars, as last read
    forecast = Plan.model_validate_json(record.plan_json).forecast
    finished = forecast.finished if forecast else ()  # the pace the plan learned
    repository.end_transaction(session)
    with gate.turn(limits.deadline, limits.timeout_seconds):
        rows = what_if_within(
            profile, record_source(record), budgets, today, limits, busy=busy, finished=finished
        )
    return WhatIfPublic(
        start=profile.start,
        current_hours_per_week=weekly_minutes(profile) / 60,
        rows=[WhatIfRowPublic(**vars(row)) for row in rows],
    )


class LeastHoursPublic(BaseModel):
    """The least weekly hours with which the learner's week, scaled, reaches `goal` (or
    everything) by the end of `by`; each budget of the search was planned."""

    goal: str | None
    by: date
    hours_per_week: float | None = Field(description="None: no budget the windows reach does.")
    reached: datetime | None = Field(description="When the goal is reached at those hours.")
    current_hours_per_week: float
    most_hours_per_week: float = Field(description="The most the windows scale to.")
    problem: str | None = Field(description="Why no budget works, if none does.")


@router.get("/{plan_id}/least-hours", response_model=LeastHoursPublic, responses=SOLVES)
def least_hours(
    record: OwnedPlanDep,
    session: SessionDep,
    settings: SettingsDep,
    gate: SolveGateDep,
    today: LearnerTodayDep,
    by: Annotated[date, Query(description="The day (YYYY-MM-DD) to reach it by.")],
    goal: Annotated[
        str | None, Query(description="A topic or section id; leave out for everything.")
    ] = None,
) -> LeastHoursPublic:
    """How many hours a week reach a goal (or everything) by a date: a search over
    budgets, each planned, so this takes several seconds."""
    _check_by(by, today)
    source = record_source(record)  # an own roadmap: read from the plan once
    _check_goal(roadmap_pair(source)[0], goal)
    limits = solve_limits(settings)
    profile = Profile.model_validate_json(record.profile_json)
    repository.end_transaction(session)
    with gate.turn(limits.deadline, limits.timeout_seconds):
        answer = least_hours_within(profile, source, goal, by, today, limits)
    return LeastHoursPublic(**vars(answer))


def _check_by(by: date, today: date) -> None:
    """Refuse a day before the learner's today or beyond what a plan reaches (a 422 at
    ["query", "by"]), before any planning."""
    if (problem := by_day_problem(by, today)) is not None:
        message = f"by {by} {problem}"
        raise RequestValidationError(
            [{"loc": ("query", "by"), "msg": message, "type": "value_error", "input": str(by)}]
        )


def _check_goal(roadmap: Roadmap, goal: str | None) -> None:
    """Refuse an unknown goal as the query parameter it is (a 422 at ["query", "goal"],
    where a form shows it beside the field), before any planning."""
    if goal is not None and goal not in titles_by_id(roadmap):
        message = f"unknown topic or section id {goal!r}{did_you_mean(roadmap, goal)}"
        raise RequestValidationError(
            [{"loc": ("query", "goal"), "msg": message, "type": "value_error", "input": goal}]
        )
