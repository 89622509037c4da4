"""A goal that cannot be reached by its date (`goals: [{topic: "6.3", by: 2027-06-30}]`),
explained like a deadline: what is missing, and the fixes, each checked by planning.

"goal 6.3 FastAPI by 2027-06-30 cannot be met: it needs 96 h (6.3 and what it needs),
88 h are available before then, and the plan reaches it Sat 2027-07-17: add 1.5 h a
week (your windows scaled), or move its date to 2027-07-17."
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from planner.errors import InfeasiblePlanError
from planner.inputs.graph import build_graph
from planner.inputs.plan_inputs import PlanInputs
from planner.models.plan import GoalReport, Plan
from planner.planning.goals import resolve_goals
from planner.planning.horizon import usable_hours
from planner.planning.least_hours import least_weekly_hours
from planner.planning.scaling import weekly_minutes
from planner.solver.settings import SolverSettings


@dataclass(frozen=True)
class GoalShortfall:
    goal: str
    title: str
    by: date
    needed_hours: float  # the goal and everything it needs, still to study
    available_hours: float  # usable before the end of `by`
    reached: datetime  # in the plan
    add_hours_per_week: float | None  # checked: the scaled week reaches it in time


class GoalDateMissedError(InfeasiblePlanError):
    """A goal is reached after its date. `shortfall` holds the numbers and the fixes that
    were checked by planning them: more hours a week, or a later date."""

    def __init__(self, shortfall: GoalShortfall) -> None:
        self.shortfall = shortfall
        super().__init__(_sentence(shortfall))


def explain_missed_goal(
    inputs: PlanInputs,
    plan: Plan,
    report: GoalReport,
    *,
    today: date,
    settings: SolverSettings | None = None,
) -> GoalDateMissedError:
    """The numbers and the checked fixes for a goal reached after its date."""
    assert report.by is not None and report.reached is not None
    graph = build_graph(inputs.roadmap, inputs.prerequisites, inputs.prerequisites_path)
    (goal,) = resolve_goals(inputs.roadmap, graph, [report.goal], inputs.profile_path)
    needed = sum(s.minutes for s in plan.upcoming if s.topic in goal.closure) / 60
    least = least_weekly_hours(
        inputs, by=report.by, goal=report.goal, today=today, settings=settings
    )
    extra = None
    if least.hours_per_week is not None:
        extra = max(least.hours_per_week - weekly_minutes(inputs.profile) / 60, 0.0)
    return GoalDateMissedError(
        GoalShortfall(
            goal=report.goal,
            title=_title(inputs, report.goal),
            by=report.by,
            needed_hours=needed,
            available_hours=usable_hours(inputs, plan.planned_from, report.by),
            reached=report.reached,
            add_hours_per_week=extra,
        )
    )


def _title(inputs: PlanInputs, item_id: str) -> str:
    roadmap = inputs.roadmap
    if item_id in roadmap.topic_by_id:
        return roadmap.topic_by_id[item_id].title
    return next(section.title for section in roadmap.sections if section.id == item_id)


def _sentence(shortfall: GoalShortfall) -> str:
    fixes = []
    if shortfall.add_hours_per_week is not None:
        fixes.append(f"add {shortfall.add_hours_per_week:g} h a week (your windows scaled)")
    fixes.append(f"move its date to {shortfall.reached.date()}")
    head = (
        f"goal {shortfall.goal} {shortfall.title} by {shortfall.by} cannot be met: it needs "
        f"{shortfall.needed_hours:g} h ({shortfall.goal} and what it needs), "
        f"{shortfall.available_hours:g} h are available before then, and the plan reaches it "
        f"{shortfall.reached:%a %Y-%m-%d}"
    )
    return f"{head}: {', or '.join(fixes)}"
