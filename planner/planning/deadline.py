"""When a deadline cannot be met: say what is missing in the learner's terms, computed
and checked by planning the fixes, not guessed.

"234 h needed, 181 h available before 2027-06-30: add 3.5 h a week, or move the
deadline to 2027-09-14, or drop 53 h (e.g. skip sections 15-16)."
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta

import networkx as nx

from planner.errors import InfeasiblePlanError, PlannerError
from planner.inputs.graph import build_graph
from planner.inputs.plan_inputs import PlanInputs
from planner.models.plan import Plan
from planner.models.profile import Profile
from planner.models.roadmap import Section
from planner.planning.pipeline import PlanResult, make_plan, misses_deadline
from planner.planning.whatif import scaled_profile, weekly_minutes
from planner.solver.settings import SolverSettings
from planner.timeline.axis import build_axis
from planner.timeline.windows import study_windows

MAX_TRIES = 8


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


def require_deadline(
    inputs: PlanInputs,
    result: PlanResult,
    *,
    today: date,
    settings: SolverSettings | None = None,
) -> PlanResult:
    """`result` when its plan meets the profile's deadline (or there is none).

    Raises:
        DeadlineMissedError: the plan ends after the deadline; the error says what is
            missing and which fixes work, each checked by planning it.
    """
    if not misses_deadline(result.plan):
        return result
    raise explain_missed_deadline(inputs, result.plan, today=today, settings=settings)


def explain_missed_deadline(
    inputs: PlanInputs,
    plan: Plan,
    *,
    today: date,
    settings: SolverSettings | None = None,
) -> DeadlineMissedError:
    """The numbers and the checked fixes for a plan that ends after its deadline."""
    assert plan.deadline is not None and plan.finish is not None
    deadline_end = datetime.combine(
        plan.deadline + timedelta(days=1), time(0, 0), tzinfo=inputs.profile.zone
    )
    # The same axis the plan was solved on, up to the deadline day.
    windows = study_windows(inputs.profile, plan.planned_from, plan.deadline)
    axis = build_axis(windows, inputs.profile.session)
    usable = sum(1 for k in range(axis.total_slots) if axis.slot_end(k) <= deadline_end)
    slot_hours = inputs.profile.session.slot_minutes / 60
    sections, drop_hours = _droppable(inputs, plan, today, settings)
    shortfall = Shortfall(
        needed_hours=plan.planned_hours,
        available_hours=usable * slot_hours,
        earliest_finish=plan.finish,
        add_hours_per_week=_more_hours(inputs, plan, usable * slot_hours, today, settings),
        drop_sections=sections,
        drop_hours=drop_hours,
    )
    return DeadlineMissedError(plan.deadline, shortfall)


def _meets(
    inputs: PlanInputs, profile: Profile, today: date, settings: SolverSettings | None
) -> bool:
    """Whether `profile` (with the deadline of the original) finishes in time. Planned
    without the deadline, so a miss is an answer here, not another explanation."""
    # The finish is all that is asked here: the solver's session sweep would not move it.
    quick = replace(settings or SolverSettings(), max_sweeps=0)
    deadline = inputs.profile.deadline
    try:
        plan = make_plan(
            inputs.with_profile(profile.model_copy(update={"deadline": None})),
            today=today,
            settings=quick,
        ).plan
    except PlannerError:
        return False
    return not misses_deadline(plan.model_copy(update={"deadline": deadline}))


def _more_hours(
    inputs: PlanInputs,
    plan: Plan,
    available: float,
    today: date,
    settings: SolverSettings | None,
) -> float | None:
    """The fewest extra hours a week (in half hours) with which the scaled week meets
    the deadline, starting from the shortfall spread over the weeks left."""
    profile = inputs.profile
    start = plan.start
    assert profile.deadline is not None
    weeks = max((profile.deadline - start).days + 1, 1) / 7
    # What the learner studies a week now: the windows, or the weekly cap if lower.
    base = min(weekly_minutes(profile) / 60, profile.max_hours_per_week or math.inf)
    extra = max(math.ceil(2 * (plan.planned_hours - available) / weeks) / 2, 0.5)
    for _try in range(MAX_TRIES):
        scaled = scaled_profile(profile, base + extra)
        if _meets(inputs, scaled, today, settings):
            # The hours the checked week really has (windows are whole slots).
            return weekly_minutes(scaled) / 60 - base
        extra += max(0.5, math.ceil(extra / 2) / 2)
    return None


def _droppable(
    inputs: PlanInputs, plan: Plan, today: date, settings: SolverSettings | None
) -> tuple[tuple[str, ...], float]:
    """Whole sections from the end of the roadmap that nothing left and no goal needs,
    as few as meet the deadline when skipped; () if none do."""
    graph = build_graph(inputs.roadmap, inputs.prerequisites, inputs.prerequisites_path)
    planned = {session.topic for session in plan.sessions}
    hours = {s.topic: 0.0 for s in plan.sessions}
    for session in plan.sessions:
        hours[session.topic] += session.minutes / 60
    goals = set(inputs.profile.goals)
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
        if _meets(inputs, inputs.profile.model_copy(update={"skip": skip}), today, settings):
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
