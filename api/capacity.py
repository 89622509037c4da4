"""How much runs at once in one worker process: solves take turns through a gate with
a bounded queue; busy calendars are fetched by a small pool of their own, bounded in all
and per client address; feeds and /health have threads of their own, so a burst of
solves or of slow calendar servers never holds up a calendar app polling its feed, an
owner reading a plan or a load balancer checking health."""

from __future__ import annotations

import math
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TypeVar

from api.planning_process import SolveLimits, SolveTimeoutError, timeout_message
from api.settings import Settings

Fetched = TypeVar("Fetched")


class ServiceBusyError(Exception):
    """Every planning process is busy and the queue is full: try again later."""

    def __init__(self, retry_after_seconds: int, busy_with: str | None = None) -> None:
        busy_with = busy_with or "planning as many plans as it can, and as many wait"
        super().__init__(
            f"the service is {busy_with}: nothing was stored; try again in {retry_after_seconds} s"
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


class BusyFetchPool:
    """Busy calendars of requests are fetched by `threads` threads of their own, with
    `queued` more requests waiting, and at most `per_client` requests of one client
    address at once. Past either limit a request is refused at once (ServiceBusyError),
    so calendar servers that hang hold at most threads + queued request threads: reading
    a plan, feeds and /health keep answering."""

    def __init__(self, threads: int, queued: int, per_client: int) -> None:
        self._threads = threads
        self._pool = ThreadPoolExecutor(threads, thread_name_prefix="busy-fetch")
        self._limit = threads + queued
        self._per_client = per_client
        self._lock = threading.Lock()
        self._by_client: Counter[str] = Counter()
        self._recent_seconds = 1.0  # a moving average of fetch times, for Retry-After

    @property
    def admitted(self) -> int:
        """Requests whose calendars are being fetched or wait for a thread."""
        with self._lock:
            return self._by_client.total()

    def run(self, client: str, fetch: Callable[[], Fetched]) -> Fetched:
        """`fetch()` on a thread of the pool, for the request of `client` (its address).

        Raises:
            ServiceBusyError: the pool and its queue are full, or this client already
                has as many fetches running as it may.
        """
        with self._lock:
            admitted = self._by_client.total()
            retry_after = max(1, math.ceil(admitted / self._threads * self._recent_seconds))
            if self._by_client[client] >= self._per_client:
                busy_with = (
                    f"already fetching {self._by_client[client]} requests' busy calendars "
                    "for your address, as many as it fetches for one"
                )
                raise ServiceBusyError(retry_after, busy_with)
            if admitted >= self._limit:
                busy_with = "fetching as many busy calendars as it can, and as many wait"
                raise ServiceBusyError(retry_after, busy_with)
            self._by_client[client] += 1
        started = time.monotonic()
        try:
            return self._pool.submit(fetch).result()
        finally:
            with self._lock:
                self._by_client[client] -= 1
                if self._by_client[client] <= 0:
                    del self._by_client[client]
                elapsed = time.monotonic() - started
                self._recent_seconds = 0.8 * self._recent_seconds + 0.2 * elapsed

    def shutdown(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)


@dataclass(frozen=True)
class ClientFetches:
    """The pool as one request uses it: on behalf of its client's address."""

    pool: BusyFetchPool
    client: str

    def run(self, fetch: Callable[[], Fetched]) -> Fetched:
        return self.pool.run(self.client, fetch)


@dataclass
class WorkerCapacity:
    """The gate and the thread pools of one worker process (made at start-up)."""

    solves: SolveGate
    feed_threads: ThreadPoolExecutor
    busy_fetches: BusyFetchPool
    health_threads: ThreadPoolExecutor = field(
        default_factory=lambda: ThreadPoolExecutor(2, thread_name_prefix="health")
    )

    @classmethod
    def from_settings(cls, settings: Settings) -> WorkerCapacity:
        return cls(
            solves=SolveGate(settings.max_concurrent_solves, settings.max_queued_solves),
            feed_threads=ThreadPoolExecutor(settings.feed_threads, thread_name_prefix="feed"),
            busy_fetches=BusyFetchPool(
                settings.busy_fetch_threads,
                settings.busy_fetch_queue,
                settings.busy_fetches_per_client,
            ),
        )

    def shutdown(self) -> None:
        self.feed_threads.shutdown(wait=False, cancel_futures=True)
        self.health_threads.shutdown(wait=False, cancel_futures=True)
        self.busy_fetches.shutdown()


def solve_limits(settings: Settings) -> SolveLimits:
    """A request's limits; its time starts now and covers the wait for a turn too."""
    return SolveLimits(
        timeout_seconds=settings.solve_timeout_seconds,
        memory_mb=settings.solve_memory_mb,
        max_sessions=settings.max_sessions_per_plan,
        deadline=time.monotonic() + settings.solve_timeout_seconds,
        niceness=settings.solve_niceness,
    )
