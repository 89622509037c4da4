"""Planning for the service: the bundled roadmaps, and every solve in a child process
with a time limit, so no request can pin the server.

The child is forked from a forkserver that has already imported the planner, so a
solve starts in milliseconds, not the second a fresh interpreter needs.
"""

from __future__ import annotations

import hashlib
import multiprocessing
import multiprocessing.connection
from collections.abc import Callable
from datetime import date
from functools import lru_cache
from typing import Any, TypeVar

from planner.errors import PlannerError
from planner.inputs.busy_calendar import BusyCalendar, BusyCalendarFile
from planner.inputs.loading import bundled_file, load_prerequisites, load_roadmap
from planner.inputs.plan_inputs import PlanInputs
from planner.models.plan import Plan
from planner.models.profile import Profile
from planner.models.progress import Progress
from planner.models.roadmap import Prerequisites, Roadmap
from planner.output.ics import plan_to_calendar
from planner.planning.deadline import require_deadline
from planner.planning.least_hours import LeastHours, least_weekly_hours
from planner.planning.pipeline import PlanResult, make_plan
from planner.planning.replan import ReplanResult, replan
from planner.planning.whatif import WhatIfRow, what_if

ResultT = TypeVar("ResultT")
_PRELOAD = [
    "planner.planning.deadline",
    "planner.planning.replan",
    "planner.planning.whatif",
    "planner.planning.least_hours",
    "planner.output.ics",
    "recurring_ical_events",
    "x_wr_timezone",
]


class SolveTimeoutError(Exception):
    """A solve took longer than the service allows; it was stopped."""


@lru_cache
def bundled_roadmaps() -> dict[str, tuple[Roadmap, Prerequisites]]:
    """The roadmaps the service plans, by id (read once, on first use)."""
    with bundled_file("roadmap.yaml") as roadmap, bundled_file("prerequisites.yaml") as edges:
        loaded = load_roadmap(roadmap), load_prerequisites(edges)
    return {loaded[0].id: loaded}


def inputs_for(
    roadmap_id: str, profile: Profile, busy: tuple[BusyCalendarFile, ...] = ()
) -> PlanInputs:
    roadmap, prerequisites = bundled_roadmaps()[roadmap_id]
    return PlanInputs(
        roadmap, prerequisites, profile, "prerequisites.yaml", "profile", BusyCalendar(busy)
    )


def calendar_of(plan: Plan) -> tuple[bytes, str]:
    """The .ics bytes `planner plan` would write for `plan`, and their ETag."""
    roadmap, _ = bundled_roadmaps()[plan.roadmap]
    body = plan_to_calendar(plan, roadmap).to_ical()
    return body, '"' + hashlib.sha256(body).hexdigest()[:32] + '"'


def plan_within(
    profile: Profile,
    roadmap_id: str,
    today: date,
    seconds: float,
    *,
    plan_id: str,
    busy: tuple[BusyCalendarFile, ...] = (),
) -> PlanResult:
    """The plan `plan_id` (the service's own id, so its event UIDs are its own). The busy
    calendars travel as bytes: parsing and expanding them is part of the limited work."""
    return _run_limited(_plan, (roadmap_id, profile, today, plan_id, busy), seconds)


def replan_within(
    previous: Plan,
    profile: Profile,
    progress: Progress,
    today: date,
    seconds: float,
    *,
    busy: tuple[BusyCalendarFile, ...] = (),
) -> ReplanResult:
    return _run_limited(_replan, (previous, profile, progress, today, busy), seconds)


def what_if_within(
    profile: Profile,
    roadmap_id: str,
    budgets: list[float],
    today: date,
    seconds: float,
    *,
    busy: tuple[BusyCalendarFile, ...] = (),
) -> list[WhatIfRow]:
    """`planner whatif`'s rows for these weekly budgets, all within `seconds`."""
    return _run_limited(_what_if, (roadmap_id, profile, budgets, today, busy), seconds)


def least_hours_within(
    profile: Profile, roadmap_id: str, goal: str | None, by: date, today: date, seconds: float
) -> LeastHours:
    return _run_limited(_least_hours, (roadmap_id, profile, goal, by, today), seconds)


def _least_hours(
    roadmap_id: str, profile: Profile, goal: str | None, by: date, today: date
) -> LeastHours:
    return least_weekly_hours(inputs_for(roadmap_id, profile), by=by, goal=goal, today=today)


def _what_if(
    roadmap_id: str,
    profile: Profile,
    budgets: list[float],
    today: date,
    busy: tuple[BusyCalendarFile, ...],
) -> list[WhatIfRow]:
    return what_if(inputs_for(roadmap_id, profile, busy), budgets, today=today)


def _plan(
    roadmap_id: str,
    profile: Profile,
    today: date,
    plan_id: str,
    busy: tuple[BusyCalendarFile, ...],
) -> PlanResult:
    inputs = inputs_for(roadmap_id, profile, busy)
    result = make_plan(inputs, today=today, plan_id=plan_id)
    return require_deadline(inputs, result, today=today)


def _replan(
    previous: Plan,
    profile: Profile,
    progress: Progress,
    today: date,
    busy: tuple[BusyCalendarFile, ...],
) -> ReplanResult:
    inputs = inputs_for(previous.roadmap, profile, busy)
    return replan(inputs, previous, progress, previous_path="the plan", today=today)


def _run_limited(
    function: Callable[..., ResultT], arguments: tuple[Any, ...], seconds: float
) -> ResultT:
    """`function(*arguments)` in a child process; killed after `seconds`.

    Raises:
        PlannerError: the planner refused the input (its message is kept).
        SolveTimeoutError: the child did not answer in time.
    """
    context = _context()
    receiver, sender = context.Pipe(duplex=False)
    child = context.Process(target=_child_main, args=(sender, function, arguments), daemon=True)
    child.start()
    sender.close()
    try:
        if not receiver.poll(seconds):
            raise SolveTimeoutError(f"planning took longer than {seconds:g} s and was stopped")
        kind, value = receiver.recv()
    except EOFError:
        kind, value = "crash", f"the planning process ended unexpectedly ({child.exitcode})"
    finally:
        if child.is_alive():
            child.kill()
        child.join()
        receiver.close()
    if kind == "ok":
        return value  # type: ignore[no-any-return]
    if kind == "refused":
        raise PlannerError(value)
    raise RuntimeError(value)


@lru_cache
def _context() -> multiprocessing.context.ForkServerContext:
    context = multiprocessing.get_context("forkserver")
    assert isinstance(context, multiprocessing.context.ForkServerContext)
    context.set_forkserver_preload(_PRELOAD)
    return context


def _child_main(
    sender: multiprocessing.connection.Connection,
    function: Callable[..., object],
    arguments: tuple[Any, ...],
) -> None:
    # Errors travel as text: planner errors carry structured fields that do not pickle.
    try:
        sender.send(("ok", function(*arguments)))
    except PlannerError as error:
        sender.send(("refused", str(error)))
    except Exception as error:  # reported to the parent, which answers 500
        sender.send(("crash", f"{type(error).__name__}: {error}"))
    finally:
        sender.close()
