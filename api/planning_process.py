"""A function run in a planning process of its own, with limits: a deadline (the process
is killed), an address-space limit (RLIMIT_AS), a lower CPU priority (nice). No request
can pin the server, exhaust its memory or slow its feeds.

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
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, TypeVar

from planner.errors import PlannerError, PlanValidationError

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
class SolveLimits:
    timeout_seconds: float
    memory_mb: int
    max_sessions: int
    deadline: float  # time.monotonic() by which the whole request must be done
    niceness: int = 10  # the child's CPU priority: the server's own processes go first


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
    except PlanValidationError as error:  # a planner bug, not the learner's input: a 500
        sender.send(("crash", f"{type(error).__name__}: {error}"))
    except PlannerError as error:
        sender.send(("refused", str(error)))
    except MemoryError:
        sender.send(("memory", ""))
    except Exception as error:  # reported to the parent, which answers 500
        sender.send(("crash", f"{type(error).__name__}: {error}"))
    finally:
        sender.close()
