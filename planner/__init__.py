"""Roadmap Planner: a learning roadmap and a learner's week -> a study calendar.

The package reads as the pipeline: `models` (what the files say) -> `inputs` (reading
them, the prerequisite graph) -> `timeline` (windows and the time axis) -> `solver`
-> `planning` (plans, re-plans, deadlines, what-ifs) -> `output` (calendar, summaries,
charts) -> `cli`. The names below are the public face; they are imported on first use,
so `import planner` stays light (the CLI's startup depends on it).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

_PUBLIC = {
    "CycleError": "planner.errors",
    "DeadlineMissedError": "planner.planning.deadline",
    "GoalDateMissedError": "planner.planning.goal_dates",
    "InfeasiblePlanError": "planner.errors",
    "InputFileError": "planner.errors",
    "PlanInputs": "planner.inputs.plan_inputs",
    "PlanValidationError": "planner.errors",
    "PlannerError": "planner.errors",
    "UnknownTopicError": "planner.errors",
    "least_weekly_hours": "planner.planning.least_hours",
    "load_plan": "planner.inputs.loading",
    "load_prerequisites": "planner.inputs.loading",
    "load_profile": "planner.inputs.loading",
    "load_progress": "planner.inputs.loading",
    "load_roadmap": "planner.inputs.loading",
    "make_plan": "planner.planning.pipeline",
    "plan_to_calendar": "planner.output.ics",
    "replan": "planner.planning.replan",
    "require_deadline": "planner.planning.deadline",
    "validate_plan": "planner.planning.validation",
    "what_if": "planner.planning.whatif",
}
__all__ = [
    "CycleError",
    "DeadlineMissedError",
    "GoalDateMissedError",
    "InfeasiblePlanError",
    "InputFileError",
    "PlanInputs",
    "PlanValidationError",
    "PlannerError",
    "UnknownTopicError",
    "least_weekly_hours",
    "load_plan",
    "load_prerequisites",
    "load_profile",
    "load_progress",
    "load_roadmap",
    "make_plan",
    "plan_to_calendar",
    "replan",
    "require_deadline",
    "validate_plan",
    "what_if",
]

if TYPE_CHECKING:
    from planner.errors import (
        CycleError,
        InfeasiblePlanError,
        InputFileError,
        PlannerError,
        PlanValidationError,
        UnknownTopicError,
    )
    from planner.inputs.loading import (
        load_plan,
        load_prerequisites,
        load_profile,
        load_progress,
        load_roadmap,
    )
    from planner.inputs.plan_inputs import PlanInputs
    from planner.output.ics import plan_to_calendar
    from planner.planning.deadline import DeadlineMissedError, require_deadline
    from planner.planning.goal_dates import GoalDateMissedError
    from planner.planning.least_hours import least_weekly_hours
    from planner.planning.pipeline import make_plan
    from planner.planning.replan import replan
    from planner.planning.validation import validate_plan
    from planner.planning.whatif import what_if


def __getattr__(name: str) -> Any:
    if name not in _PUBLIC:
        raise AttributeError(f"module 'planner' has no attribute {name!r}")
    return getattr(importlib.import_module(_PUBLIC[name]), name)
