"""A call run in a planning process of its own, with limits: a deadline (the search
keeps its best plan at `SolveLimits.search_share` of the time; the process is killed at the
deadline), an address-space limit (RLIMIT_AS), a lower CPU priority (nice). No request
can pin the server, exhaust its memory or slow its feeds. The call and its answer cross
as typed values (`Done`, `Refused`, `OutOfMemory`, `Failed`): nothing is parsed back.

Planning processes are forked from a forkserver that has already imported the planner,
so one starts in milliseconds, not the second a fresh interpreter needs.
"""

from __future__ import annotations

import multiprocessing
import multiprocessing.connection
import multiprocessing.forkserver
import os
import resource
import threading
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import Generic, TypeVar

from planner.errors import PlannerError, PlanValidationError
from planner.solver.settings import search_until

ResultT = TypeVar("ResultT")
# What planning imports: the forkserver imports it once, every planning process has it.
PRELOAD = [
    "planner.planning.deadline",
    "planner.planning.replan",
    "planner.planning.whatif",
    "planner.planning.least_hours",
    "planner.output.ics",
    "recurring_ical_events",
    "x_wr_timezone",
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
class Done(Generic[ResultT]):
    """The child's answer: what the call returned."""

    value: ResultT


@dataclass(frozen=True)
class Refused:
    """The planner refused the input: its own error, with its fields (planner errors
    pickle whole, see `PlannerError.__reduce__`)."""

    error: PlannerError


@dataclass(frozen=True)
class OutOfMemory:
    """The child asked for more memory than its limit allows (a MemoryError)."""


@dataclass(frozen=True)
class Failed:
    """A bug on our side, not in the learner's input: a plan that breaks a rule
    (`PlanValidationError`, with its `violations`) or any other exception."""

    error_type: str
    message: str
    traceback: str
    violations: tuple[str, ...] = ()


# What a planning process sends back, one value: typed, never a message to parse.
Answer = Done[ResultT] | Refused | OutOfMemory | Failed


class PlanningFailedError(Exception):
    """The planning process answered with a bug of ours (`failure` says which); the
    service answers 500 with an error id it logs beside the failure."""

    def __init__(self, failure: Failed) -> None:
        super().__init__(f"{failure.error_type}: {failure.message}")
        self.failure = failure


@dataclass(frozen=True)
class SolveLimits:
    timeout_seconds: float
    memory_mb: int
    max_sessions: int
    deadline: float  # time.monotonic() by which the whole request must be done
    niceness: int = 10  # the child's CPU priority: the server's own processes go first
    # The share of the time left that the search may take: the rest is for what follows
    # it (the guard, reviews, the calendar: 0.9 s of a 1,440-session plan's 1.5 s). A
    # search stopped there keeps its best plan; the kill at the deadline is the last resort.
    search_share: float = 0.6


def run_limited(call: Callable[[], ResultT], limits: SolveLimits) -> ResultT:
    """`call()` in a child process; killed at `limits.deadline`. `call` is a typed value
    (a frozen dataclass per kind of call, see `api.solving`): it pickles with its fields.

    Raises:
        PlannerError: the planner refused the input (the child's own error, with its
            fields), or the child ran out of memory within its limit.
        SolveTimeoutError: the child did not answer in time.
        PlanningFailedError: the child answered with a bug of ours.
        SolveCrashedError: the child died without answering.
    """
    context = _context()
    receiver, sender = context.Pipe(duplex=False)
    child = context.Process(target=_child_main, args=(sender, limits, call), daemon=True)
    _start(child)
    sender.close()
    answer: Answer[ResultT] | None = None
    try:
        if not receiver.poll(max(limits.deadline - time.monotonic(), 0)):
            raise SolveTimeoutError(timeout_message(limits.timeout_seconds))
        answer = receiver.recv()
    except EOFError:
        pass
    finally:
        if child.is_alive():
            child.kill()
        child.join()
        receiver.close()
    match answer:
        case Done(value=value):
            return value
        case Refused(error=error):
            raise error
        case OutOfMemory():
            raise PlannerError(
                f"planning this profile needs more than the {limits.memory_mb} MB this "
                "service gives a plan: fewer windows or longer sessions"
            )
        case Failed() as failure:
            raise PlanningFailedError(failure)
    raise SolveCrashedError(
        f"the planning process died (exit code {child.exitcode})", limits.memory_mb
    )


def timeout_message(seconds: float) -> str:
    return (
        f"planning took longer than the {seconds:g} s this service allows and was stopped; "
        "nothing was stored (fewer windows or longer sessions plan faster)"
    )


@lru_cache
def _context() -> multiprocessing.context.ForkServerContext:
    context = multiprocessing.get_context("forkserver")
    assert isinstance(context, multiprocessing.context.ForkServerContext)
    context.set_forkserver_preload(PRELOAD)
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
    limits: SolveLimits,
    call: Callable[[], object],
) -> None:
    started = time.monotonic()  # the same clock in every process (CLOCK_MONOTONIC)
    memory_bytes = limits.memory_mb * 2**20
    try:
        os.nice(limits.niceness)
        _, hard = resource.getrlimit(resource.RLIMIT_AS)
        if hard != resource.RLIM_INFINITY:
            memory_bytes = min(memory_bytes, hard)
        resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, hard))
        with search_until(started + limits.search_share * (limits.deadline - started)):
            answer: Answer[object] = Done(call())
    except PlanValidationError as error:  # a planner bug, not the learner's input: a 500
        answer = _failed(error, tuple(error.violations))
    except PlannerError as error:
        answer = Refused(error)
    except MemoryError:
        answer = OutOfMemory()
    except Exception as error:  # reported to the parent, which answers 500
        answer = _failed(error)
    try:
        sender.send(answer)
    except Exception as error:  # an answer that does not pickle is a bug of ours too
        sender.send(_failed(error))
    finally:
        sender.close()


def _failed(error: BaseException, violations: tuple[str, ...] = ()) -> Failed:
    return Failed(
        error_type=type(error).__name__,
        message=str(error),
        traceback="".join(traceback.format_exception(error)),
        violations=violations,
    )
