"""When a deadline cannot be met: say what is missing in the learner's terms, computed
and checked by planning the fixes, not guessed.

"234 h needed, 181 h available before 2027-06-30: add 3.5 h a week, or move the
deadline to 2027-09-14, or drop 53 h (e.g. skip sections 15-16)."
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, datetime

import networkx as nx

from planner.errors import InfeasiblePlanError, PlannerError
from planner.inputs.graph import build_graph
from planner.inputs.plan_inputs import PlanInputs
from planner.models.plan import Plan
from planner.models.profile import Profile
from planner.models.roadmap import Section
from planner.planning.goal_dates import explain_missed_goal
from planner.planning.horizon import usable_hours
from planner.planning.least_hours import LeastHours, least_weekly_hours
from planner.planning.pipeline import PlanResult, make_plan, misses_deadline
from planner.planning.scaling import weekly_minutes
from planner.solver.settings import SolverSettings

MAX_TRIES = 8  # sections to drop, at most


@dataclass(frozen=True)
class Shortfall:
    needed_hours: float
    available_hours: float  # usable before the deadline
    earliest_finish: datetime  # the plan without the deadline
    add_hours_per_week: float | None  # checked: the scaled week meets the deadline
    drop_sections: tuple[str, ...]  # checked: skipping them meets the deadline
    drop_hours: float


class DeadlineMissedError(InfeasiblePlanError):
    """The deadline cannot be met with this profile. `shortfall` holds the numbers and
    the fixes that were checked by planning them: more hours a week, a later deadline,
    or fewer topics."""

    def __init__(self, deadline: date, shortfall: Shortfall) -> None:
        self.deadline = deadline
        self.shortfall = shortfall
        super().__init__(_sentence(deadline, shortfall))


def require_deadline(inputs: PlanInputs, result: PlanResult, *, today: date) -> PlanResult:
    """`result` when its plan meets the profile's deadline and the goals' dates.

    Raises:
        DeadlineMissedError: the plan ends after the deadline; the error says what is
            missing and which fixes work, each checked by planning it.
        GoalDateMissedError: a goal is reached after its date; explained the same way.
    """
    if misses_deadline(result.plan):
        raise explain_missed_deadline(inputs, result.plan, today=today)
    late = [g for g in result.plan.goals if g.misses_its_date(inputs.profile.zone)]
    if late:
        raise explain_missed_goal(inputs, result.plan, late[0], today=today)
    return result


def explain_missed_deadline(inputs: PlanInputs, plan: Plan, *, today: date) -> DeadlineMissedError:
    """The numbers and the checked fixes for a plan that ends after its deadline."""
    assert plan.deadline is not None and plan.finish is not None
    sections, drop_hours = _droppable(inputs, plan, today)
    least = least_weekly_hours(inputs, by=plan.deadline, today=today)
    shortfall = Shortfall(
        needed_hours=plan.planned_hours,
        available_hours=usable_hours(inputs, plan.planned_from, plan.deadline),
        earliest_finish=plan.finish,
        add_hours_per_week=_extra(inputs, least),
        drop_sections=sections,
        drop_hours=drop_hours,
    )
    return DeadlineMissedError(plan.deadline, shortfall)


def _extra(inputs: PlanInputs, least: LeastHours) -> float | None:
    """The hours a week to add to what the learner studies now (their windows, or their
    weekly cap if lower) for the least budget found, if any."""
    if least.hours_per_week is None:
        return None
    profile = inputs.profile
    base = min(weekly_minutes(profile) / 60, profile.max_hours_per_week or math.inf)
    return max(least.hours_per_week - base, 0.0)


def _meets(inputs: PlanInputs, profile: Profile, today: date) -> bool:
    """Whether `profile` (with the deadline of the original) finishes in time."""
    # The finish is all that is asked here: the solver's session sweep would not move it,
    # and the other order modes are not asked about.
    quick = SolverSettings(max_sweeps=0, compare_orders=False)
    try:
        plan = make_plan(inputs.with_profile(profile), today=today, settings=quick).plan
    except PlannerError:
        return False
    return not misses_deadline(plan)


def _droppable(inputs: PlanInputs, plan: Plan, today: date) -> tuple[tuple[str, ...], float]:
    """Whole sections from the end of the roadmap that nothing left and no goal needs,
    as few as meet the deadline when skipped; () if none do."""
    graph = build_graph(inputs.roadmap, inputs.prerequisites, inputs.prerequisites_path)
    planned = {session.topic for session in plan.sessions}
    hours = {s.topic: 0.0 for s in plan.sessions}
    for session in plan.sessions:
        hours[session.topic] += session.minutes / 60
    goals = set(inputs.profile.goal_ids)
    dropped: list[Section] = []
    for section in reversed(inputs.roadmap.sections):
        if section.id in goals or any(t.id in goals for t in section.topics):
            continue
        if not any(topic.id in planned for topic in section.topics):
            continue
        if not _nothing_left_needs(graph, [*dropped, section], planned):
            continue
        dropped.append(section)
        skip = (*inputs.profile.skip, *(s.id for s in dropped))
        if _meets(inputs, inputs.profile.model_copy(update={"skip": skip}), today):
            ids = tuple(s.id for s in reversed(dropped))
            return ids, sum(hours.get(t.id, 0.0) for s in dropped for t in s.topics)
        if len(dropped) >= MAX_TRIES:
            break
    return (), 0.0


def _nothing_left_needs(graph: nx.DiGraph, sections: list[Section], planned: set[str]) -> bool:
    gone = {topic.id for section in sections for topic in section.topics}
    return all(
        successor in gone or successor not in planned
        for topic in gone
        for successor in nx.descendants(graph, topic)
    )


def _sentence(deadline: date, shortfall: Shortfall) -> str:
    fixes = []
    if shortfall.add_hours_per_week is not None:
        fixes.append(f"add {shortfall.add_hours_per_week:g} h a week (your windows scaled)")
    fixes.append(f"move the deadline to {shortfall.earliest_finish.date()}")
    if shortfall.drop_sections:
        fixes.append(
            f"drop {shortfall.drop_hours:g} h (e.g. skip {_sections_text(shortfall.drop_sections)})"
        )
    head = (
        f"the deadline {deadline} cannot be met: {shortfall.needed_hours:g} h needed, "
        f"{shortfall.available_hours:g} h available before it"
    )
    if shortfall.available_hours >= shortfall.needed_hours:
        head += " (the hours fit, but session rules and prerequisites leave gaps)"
    return f"{head}: {', or '.join(fixes)}"


def _sections_text(ids: tuple[str, ...]) -> str:
    numbers = [int(i) for i in ids] if all(i.isdigit() for i in ids) else None
    if numbers and len(numbers) > 1 and numbers == list(range(numbers[0], numbers[-1] + 1)):
        return f"sections {numbers[0]}-{numbers[-1]}"
    return ("section " if len(ids) == 1 else "sections ") + ", ".join(ids)
