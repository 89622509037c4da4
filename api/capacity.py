"""How much runs at once in one worker process: solves take turns through a gate with
a bounded queue; feeds and /health have threads of their own, so a burst of solves
never holds up a calendar app polling its feed or a load balancer checking health."""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field

from api.planning_process import SolveLimits, SolveTimeoutError, timeout_message
from api.settings import Settings


class ServiceBusyError(Exception):
    """Every planning process is busy and the queue is full: try again later."""

    def __init__(self, retry_after_seconds: int) -> None:
        super().__init__(
            "the service is planning as many plans as it can, and as many wait: nothing "
            f"was stored; try again in {retry_after_seconds} s"
        )
        self.retry_after_seconds = retry_after_seconds


class SolveGate:
    """At most `running` solves at once, `queued` more waiting for a turn; past that a
    request is refused at once (ServiceBusyError) instead of piling up."""

    def __init__(self, running: int, queued: int) -> None:
        self._running = running
        self._turns = threading.BoundedSemaphore(running)
        self._lock = threading.Lock()
        self._admitted = 0
        self._limit = running + queued
        self._recent_seconds = 1.0  # a moving average of solve times, for Retry-After

    @property
    def admitted(self) -> int:
        """Solves running or waiting for a turn."""
        with self._lock:
            return self._admitted

    @contextmanager
    def turn(self, deadline: float, timeout_seconds: float) -> Iterator[None]:
        """Wait for a turn until `deadline` (time.monotonic()).

        Raises:
            ServiceBusyError: the queue is full.
            SolveTimeoutError: no turn came before the deadline.
        """
        with self._lock:
            if self._admitted >= self._limit:
                waits = self._admitted / self._running
                raise ServiceBusyError(max(1, math.ceil(waits * self._recent_seconds)))
            self._admitted += 1
        try:
            if not self._turns.acquire(timeout=max(deadline - time.monotonic(), 0)):
                raise SolveTimeoutError(timeout_message(timeout_seconds))
            started = time.monotonic()
            try:
                yield
            finally:
                self._turns.release()
                with self._lock:
                    elapsed = time.monotonic() - started
                    self._recent_seconds = 0.8 * self._recent_seconds + 0.2 * elapsed
        finally:
            with self._lock:
                self._admitted -= 1


@dataclass
class WorkerCapacity:
    """The gate and the thread pools of one worker process (made at start-up)."""

    solves: SolveGate
    feed_threads: ThreadPoolExecutor
    health_threads: ThreadPoolExecutor = field(
        default_factory=lambda: ThreadPoolExecutor(2, thread_name_prefix="health")
    )

    @classmethod
    def from_settings(cls, settings: Settings) -> WorkerCapacity:
        return cls(
            solves=SolveGate(settings.max_concurrent_solves, settings.max_queued_solves),
            feed_threads=ThreadPoolExecutor(settings.feed_threads, thread_name_prefix="feed"),
        )

    def shutdown(self) -> None:
        self.feed_threads.shutdown(wait=False, cancel_futures=True)
        self.health_threads.shutdown(wait=False, cancel_futures=True)


def solve_limits(settings: Settings) -> SolveLimits:
    """A request's limits; its time starts now and covers the wait for a turn too."""
    return SolveLimits(
        timeout_seconds=settings.solve_timeout_seconds,
        memory_mb=settings.solve_memory_mb,
        max_sessions=settings.max_sessions_per_plan,
        deadline=time.monotonic() + settings.solve_timeout_seconds,
        niceness=settings.solve_niceness,
    )
