"""Planning for the service: the bundled roadmaps, and what a planning process does for
each request (`api.planning_process` runs it within its limits): plan, re-plan or
what-if, refuse a plan with more sessions than the service keeps, and write the
calendar the feed serves — in the planning process, so the time limit covers it too
(a huge plan takes longer to write than to solve)."""

from __future__ import annotations

import gzip
import hashlib
from dataclasses import dataclass, replace
from datetime import date, datetime
from functools import lru_cache

from api.planning_process import SolveLimits, run_limited
from api.tables import PlanRecord
from planner.errors import PlannerError
from planner.inputs.busy_calendar import BusyCalendar, BusyCalendarFile
from planner.inputs.loading import bundled_file, load_prerequisites, load_roadmap
from planner.inputs.plan_inputs import PlanInputs
from planner.models.forecast import FinishedTopic
from planner.models.plan import Plan
from planner.models.profile import Profile
from planner.models.progress import Progress
from planner.models.roadmap import Prerequisites, Roadmap
from planner.output.ics import plan_to_calendar
from planner.output.roadmap_report import upgrade_line
from planner.planning.deadline import require_deadline
from planner.planning.least_hours import LeastHours, least_weekly_hours
from planner.planning.pipeline import make_plan
from planner.planning.replan import replan
from planner.planning.replan_changes import PlanChanges
from planner.planning.requirements import planned_minutes
from planner.planning.session_reports import ReplanStart
from planner.planning.whatif import WhatIfRow, what_if
from planner.timeline.clock import day_of


@dataclass(frozen=True)
class Solved:
    """A plan and the calendar the feed serves, as the child made them."""

    plan: Plan
    warnings: list[str]
    changes: PlanChanges | None
    calendar_gzip: bytes
    calendar_etag: str
    start: ReplanStart | None = None  # a re-plan's: where it started, and why
    roadmap_changed: str | None = None  # a re-plan's: how the roadmap changed, if it did


@lru_cache
def bundled_roadmaps() -> dict[str, tuple[Roadmap, Prerequisites]]:
    """The roadmaps the service plans, by id (read once, on first use)."""
    with bundled_file("roadmap.yaml") as roadmap, bundled_file("prerequisites.yaml") as edges:
        loaded = load_roadmap(roadmap), load_prerequisites(edges)
    return {loaded[0].id: loaded}


# A bundled roadmap by id, or a learner's own roadmap and its prerequisites.
RoadmapSource = str | tuple[Roadmap, Prerequisites]


def roadmap_pair(source: RoadmapSource) -> tuple[Roadmap, Prerequisites]:
    return bundled_roadmaps()[source] if isinstance(source, str) else source


def source_of(plan: Plan) -> RoadmapSource:
    """What a stored plan is planned with: its bundled roadmap as this release has it
    (a re-plan upgrades the plan to it), else the learner's own it keeps."""
    if plan.roadmap in bundled_roadmaps() or plan.made_from is None:
        return plan.roadmap
    return plan.made_from.roadmap, plan.made_from.prerequisites


def record_source(record: PlanRecord) -> RoadmapSource:
    """`source_of` a stored plan (its JSON read only for a learner's own roadmap)."""
    if record.roadmap_id in bundled_roadmaps():
        return record.roadmap_id
    return source_of(Plan.model_validate_json(record.plan_json))


def inputs_for(
    source: RoadmapSource, profile: Profile, busy: tuple[BusyCalendarFile, ...] = ()
) -> PlanInputs:
    roadmap, prerequisites = roadmap_pair(source)
    return PlanInputs(
        roadmap, prerequisites, profile, "prerequisites.yaml", "profile", BusyCalendar(busy)
    )


def calendar_of(plan: Plan) -> tuple[bytes, str]:
    """The .ics bytes `planner plan` would write for `plan`, and their ETag."""
    roadmap, _ = roadmap_pair(source_of(plan))
    body = plan_to_calendar(plan, roadmap).to_ical()
    return body, '"' + hashlib.sha256(body).hexdigest()[:32] + '"'


Busy = tuple[BusyCalendarFile, ...]  # busy calendars travel as bytes: parsing is limited work


@dataclass(frozen=True)
class PlanCall:
    """A first plan, as a planning process makes it: `plan_id` is the service's own id
    (so its event UIDs are its own); `now` is aware (the learner's day is read from it)."""

    roadmap: RoadmapSource
    profile: Profile
    now: datetime
    plan_id: str
    busy: Busy
    max_sessions: int

    def __call__(self) -> Solved:
        inputs = inputs_for(self.roadmap, self.profile, self.busy)
        minutes, _ = planned_minutes(inputs)
        at_least = -(-sum(minutes.values()) // self.profile.session.max_minutes)
        if at_least > self.max_sessions:  # known before solving: sessions <= max_minutes
            raise PlannerError(_too_many(f"at least {at_least}", self.max_sessions))
        today = day_of(self.now, self.profile.zone)
        result = make_plan(inputs, today=today, now=self.now, plan_id=self.plan_id)
        result = require_deadline(inputs, result, today=today)
        return _solved(result.plan, result.warnings, None, self.max_sessions)


@dataclass(frozen=True)
class ReplanCall:
    """A re-plan of `previous` at `now` (aware: the learner's day and time)."""

    previous: Plan
    profile: Profile
    progress: Progress
    now: datetime
    busy: Busy
    max_sessions: int

    def __call__(self) -> Solved:
        inputs = inputs_for(source_of(self.previous), self.profile, self.busy)
        result = replan(
            inputs, self.previous, self.progress, previous_path="the plan", now=self.now
        )
        solved = _solved(result.plan, result.warnings, result.changes, self.max_sessions)
        changed = upgrade_line(result.upgrade, result.plan) if result.upgrade else None
        return replace(solved, start=result.start, roadmap_changed=changed)


@dataclass(frozen=True)
class WhatIfCall:
    """`planner whatif`'s rows for these weekly budgets."""

    roadmap: RoadmapSource
    profile: Profile
    budgets: tuple[float, ...]
    today: date
    busy: Busy
    finished: tuple[FinishedTopic, ...] = ()  # the plan's evidence of the learner's pace

    def __call__(self) -> list[WhatIfRow]:
        inputs = inputs_for(self.roadmap, self.profile, self.busy)
        return what_if(inputs, list(self.budgets), today=self.today, finished=self.finished)


@dataclass(frozen=True)
class LeastHoursCall:
    """The fewest weekly hours that reach `goal` (or the end) by the end of `by`."""

    roadmap: RoadmapSource
    profile: Profile
    goal: str | None
    by: date
    today: date

    def __call__(self) -> LeastHours:
        inputs = inputs_for(self.roadmap, self.profile)
        return least_weekly_hours(inputs, by=self.by, goal=self.goal, today=self.today)


def plan_within(
    profile: Profile,
    roadmap: RoadmapSource,
    now: datetime,
    limits: SolveLimits,
    *,
    plan_id: str,
    busy: Busy = (),
) -> Solved:
    """The plan `plan_id` (the service's own id, so its event UIDs are its own), made at
    `now` (the learner's day and time are read from it)."""
    call = PlanCall(
        roadmap=roadmap,
        profile=profile,
        now=now,
        plan_id=plan_id,
        busy=busy,
        max_sessions=limits.max_sessions,
    )
    return run_limited(call, limits)


def replan_within(
    previous: Plan,
    profile: Profile,
    progress: Progress,
    now: datetime,
    limits: SolveLimits,
    *,
    busy: Busy = (),
) -> Solved:
    """The re-plan at `now` (aware: the learner's day and time are read from it)."""
    call = ReplanCall(
        previous=previous,
        profile=profile,
        progress=progress,
        now=now,
        busy=busy,
        max_sessions=limits.max_sessions,
    )
    return run_limited(call, limits)


def what_if_within(
    profile: Profile,
    roadmap: RoadmapSource,
    budgets: list[float],
    today: date,
    limits: SolveLimits,
    *,
    busy: Busy = (),
    finished: tuple[FinishedTopic, ...] = (),
) -> list[WhatIfRow]:
    """`planner whatif`'s rows for these weekly budgets, all within the limits; the
    forecast columns at the pace learned from `finished`."""
    call = WhatIfCall(
        roadmap=roadmap,
        profile=profile,
        budgets=tuple(budgets),
        today=today,
        busy=busy,
        finished=finished,
    )
    return run_limited(call, limits)


def least_hours_within(
    profile: Profile,
    roadmap: RoadmapSource,
    goal: str | None,
    by: date,
    today: date,
    limits: SolveLimits,
) -> LeastHours:
    call = LeastHoursCall(roadmap=roadmap, profile=profile, goal=goal, by=by, today=today)
    return run_limited(call, limits)


def _solved(
    plan: Plan, warnings: list[str], changes: PlanChanges | None, max_sessions: int
) -> Solved:
    if len(plan.sessions) > max_sessions:
        raise PlannerError(_too_many(str(len(plan.sessions)), max_sessions))
    calendar, etag = calendar_of(plan)
    # mtime=0: the same calendar always compresses to the same bytes.
    return Solved(plan, warnings, changes, gzip.compress(calendar, mtime=0), etag)


def _too_many(count: str, max_sessions: int) -> str:
    return (
        f"profile.session: this plan needs {count} study sessions; this service keeps at "
        f"most {max_sessions} per plan: allow longer sessions (session.max_minutes)"
    )
