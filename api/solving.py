"""Planning for the service: the bundled roadmaps, and every solve in a child process
with limits on its time, memory and size, so no request can pin or sink the server.

The child plans and also writes the calendar (for a huge plan that takes longer than
the solve), so the time limit covers both. It is forked from a forkserver that has
already imported the planner, so a solve starts in milliseconds, not the second a fresh
interpreter needs.
"""

from __future__ import annotations

import gzip
import hashlib
import multiprocessing
import multiprocessing.connection
import multiprocessing.forkserver
import os
import resource
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Any, TypeVar

from planner.errors import PlannerError
from planner.inputs.loading import bundled_file, load_prerequisites, load_roadmap
from planner.inputs.plan_inputs import PlanInputs
from planner.models.plan import Plan
from planner.models.profile import Profile
from planner.models.progress import Progress
from planner.models.roadmap import Prerequisites, Roadmap
from planner.output.ics import plan_to_calendar
from planner.planning.deadline import require_deadline
from planner.planning.pipeline import make_plan
from planner.planning.replan import PlanChanges, replan
from planner.planning.requirements import planned_minutes
from planner.planning.whatif import WhatIfRow, what_if

ResultT = TypeVar("ResultT")
_PRELOAD = [
    "planner.planning.deadline",
    "planner.planning.replan",
    "planner.planning.whatif",
    "planner.output.ics",
]
_FORKSERVER_START = threading.Lock()


class SolveTimeoutError(Exception):
    """A solve took longer than the service allows; it was stopped."""


class SolveCrashedError(Exception):
    """The planning process died without an answer: most likely it reached its memory
    limit inside OR-Tools (which aborts rather than raising MemoryError), else a bug."""

    def __init__(self, reason: str, memory_mb: int) -> None:
        super().__init__(reason)
        self.memory_mb = memory_mb


@dataclass(frozen=True)
class SolveLimits:
    timeout_seconds: float
    memory_mb: int
    max_sessions: int
    deadline: float  # time.monotonic() by which the whole request must be done
    niceness: int = 10  # the child's CPU priority: the server's own processes go first


@dataclass(frozen=True)
class Solved:
    """A plan and the calendar the feed serves, as the child made them."""

    plan: Plan
    warnings: list[str]
    changes: PlanChanges | None
    calendar_gzip: bytes
    calendar_etag: str


@lru_cache
def bundled_roadmaps() -> dict[str, tuple[Roadmap, Prerequisites]]:
    """The roadmaps the service plans, by id (read once, on first use)."""
    with bundled_file("roadmap.yaml") as roadmap, bundled_file("prerequisites.yaml") as edges:
        loaded = load_roadmap(roadmap), load_prerequisites(edges)
    return {loaded[0].id: loaded}


def inputs_for(roadmap_id: str, profile: Profile) -> PlanInputs:
    roadmap, prerequisites = bundled_roadmaps()[roadmap_id]
    return PlanInputs(roadmap, prerequisites, profile, "prerequisites.yaml", "profile")


def calendar_of(plan: Plan) -> tuple[bytes, str]:
    """The .ics bytes `planner plan` would write for `plan`, and their ETag."""
    roadmap, _ = bundled_roadmaps()[plan.roadmap]
    body = plan_to_calendar(plan, roadmap).to_ical()
    return body, '"' + hashlib.sha256(body).hexdigest()[:32] + '"'


def plan_within(
    profile: Profile, roadmap_id: str, today: date, limits: SolveLimits, *, plan_id: str
) -> Solved:
    """The plan `plan_id` (the service's own id, so its event UIDs are its own)."""
    arguments = (roadmap_id, profile, today, plan_id, limits.max_sessions)
    return run_limited(_plan, arguments, limits)


def replan_within(
    previous: Plan, profile: Profile, progress: Progress, today: date, limits: SolveLimits
) -> Solved:
    arguments = (previous, profile, progress, today, limits.max_sessions)
    return run_limited(_replan, arguments, limits)


def what_if_within(
    profile: Profile, roadmap_id: str, budgets: list[float], today: date, limits: SolveLimits
) -> list[WhatIfRow]:
    """`planner whatif`'s rows for these weekly budgets, all within the limits."""
    return run_limited(_what_if, (roadmap_id, profile, budgets, today), limits)


def _what_if(
    roadmap_id: str, profile: Profile, budgets: list[float], today: date
) -> list[WhatIfRow]:
    return what_if(inputs_for(roadmap_id, profile), budgets, today=today)


def _plan(
    roadmap_id: str, profile: Profile, today: date, plan_id: str, max_sessions: int
) -> Solved:
    inputs = inputs_for(roadmap_id, profile)
    minutes, _ = planned_minutes(inputs)
    at_least = -(-sum(minutes.values()) // profile.session.max_minutes)
    if at_least > max_sessions:  # known before solving: sessions are at most max_minutes
        raise PlannerError(_too_many(f"at least {at_least}", max_sessions))
    result = make_plan(inputs, today=today, plan_id=plan_id)
    result = require_deadline(inputs, result, today=today)
    return _solved(result.plan, result.warnings, None, max_sessions)


def _replan(
    previous: Plan, profile: Profile, progress: Progress, today: date, max_sessions: int
) -> Solved:
    inputs = inputs_for(previous.roadmap, profile)
    result = replan(inputs, previous, progress, previous_path="the plan", today=today)
    return _solved(result.plan, result.warnings, result.changes, max_sessions)


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


def run_limited(
    function: Callable[..., ResultT], arguments: tuple[Any, ...], limits: SolveLimits
) -> ResultT:
    """`function(*arguments)` in a child process; killed at `limits.deadline`.

    Raises:
        PlannerError: the planner refused the input (its message is kept), or the
            child ran out of memory within its limit.
        SolveTimeoutError: the child did not answer in time.
        SolveCrashedError: the child died without answering.
    """
    context = _context()
    receiver, sender = context.Pipe(duplex=False)
    bounds = (limits.memory_mb * 2**20, limits.niceness)
    child = context.Process(
        target=_child_main, args=(sender, bounds, function, arguments), daemon=True
    )
    _start(child)
    sender.close()
    try:
        if not receiver.poll(max(limits.deadline - time.monotonic(), 0)):
            raise SolveTimeoutError(timeout_message(limits.timeout_seconds))
        kind, value = receiver.recv()
    except EOFError:
        kind, value = "crash", ""
    finally:
        if child.is_alive():
            child.kill()
        child.join()
        receiver.close()
    if kind == "crash" and not value:
        value = f"the planning process died (exit code {child.exitcode})"
    if kind == "ok":
        return value  # type: ignore[no-any-return]
    if kind == "refused":
        raise PlannerError(value)
    if kind == "memory":
        raise PlannerError(
            f"planning this profile needs more than the {limits.memory_mb} MB this service "
            "gives a plan: fewer windows or longer sessions"
        )
    raise SolveCrashedError(value, limits.memory_mb)


def timeout_message(seconds: float) -> str:
    return (
        f"planning took longer than the {seconds:g} s this service allows and was stopped; "
        "nothing was stored (fewer windows or longer sessions plan faster)"
    )


@lru_cache
def _context() -> multiprocessing.context.ForkServerContext:
    context = multiprocessing.get_context("forkserver")
    assert isinstance(context, multiprocessing.context.ForkServerContext)
    context.set_forkserver_preload(_PRELOAD)
    return context


def _start(child: multiprocessing.process.BaseProcess) -> None:
    # The forkserver is a fresh interpreter started with `-c`, which puts the current
    # folder first on sys.path: run from a checkout after `pip install .`, the checkout's
    # planner/ (which has no planner.bundled) would hide the installed package. Safe path
    # mode (Python 3.11) leaves the folder out; set only while the forkserver starts.
    with _FORKSERVER_START:
        before = os.environ.get("PYTHONSAFEPATH")
        os.environ["PYTHONSAFEPATH"] = "1"
        try:
            multiprocessing.forkserver.ensure_running()
        finally:
            if before is None:
                del os.environ["PYTHONSAFEPATH"]
            else:
                os.environ["PYTHONSAFEPATH"] = before
    child.start()


def _child_main(
    sender: multiprocessing.connection.Connection,
    bounds: tuple[int, int],
    function: Callable[..., object],
    arguments: tuple[Any, ...],
) -> None:
    # Errors travel as text: planner errors carry structured fields that do not pickle.
    memory_bytes, niceness = bounds
    try:
        os.nice(niceness)
        _, hard = resource.getrlimit(resource.RLIMIT_AS)
        if hard != resource.RLIM_INFINITY:
            memory_bytes = min(memory_bytes, hard)
        resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, hard))
        sender.send(("ok", function(*arguments)))
    except PlannerError as error:
        sender.send(("refused", str(error)))
    except MemoryError:
        sender.send(("memory", ""))
    except Exception as error:  # reported to the parent, which answers 500
        sender.send(("crash", f"{type(error).__name__}: {error}"))
    finally:
        sender.close()
