"""How hard the solver searches: deterministic limits, the seed, and what it compares."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from planner.solver.beam import ALL_READY, PER_LENGTH

# When the search must keep what it has (a time.monotonic()); None: search in full.
_STOP_AT: ContextVar[float | None] = ContextVar("search_stop_at", default=None)


@dataclass(frozen=True)
class SolverSettings:
    """Search effort. One worker and limits in CP-SAT's deterministic time (a count of
    work, not seconds) make the same inputs give the same plan on any machine;
    `max_seconds_per_window` is only a safety net for a very slow machine.

    `compare_orders`: also solve the order modes the learner did not choose, so the plan
    can say what its order costs (a first plan does; re-plans and the plans that explain
    a deadline or compare budgets do not need it)."""

    seed: int = 0
    beam_width: int = 24
    # CP-SAT windows (windows.py): six topics each, side by side. After the band polish,
    # windows overlapping by half (stride 3) found nothing more on the benchmarks and
    # cost a third more time. One sweep: more never changed the finish or the sessions.
    window_topics: int = 6
    window_stride: int = 6
    max_sweeps: int = 1
    work_per_window: float = 0.01
    max_seconds_per_window: float = 5.0
    compare_orders: bool = True
    # A re-plan's second phase (same_day.py): once the finish is found, the fewest
    # sessions among the plans that finish on the same day of the learner's.
    same_day_sessions: bool = False
    # The exact band search (band.py): states per layer before it turns into a beam;
    # the bands of the free plan's polish, narrowest first, and the most rounds of each.
    band_states: int = 4096
    polish_shifts: tuple[int, ...] = (3, 4)
    polish_rounds: int = 100
    # Plans of at most `wide_polish_topics` topics are polished within
    # `wide_polish_shift` places too: on the bundled roadmap (sparse and generated
    # families, 144 plans) 16 `free` plans got better, none worse, for at most 0.4 s more;
    # on the 10x synthetic roadmap (450 topics) it made the solve 3.5 times as long.
    wide_polish_shift: int = 5
    wide_polish_topics: int = 120
    # The beam's frontier (beam.py): every ready topic when at most `beam_all_ready`
    # are ready, else the first `beam_per_length` of each length.
    beam_all_ready: int = ALL_READY
    beam_per_length: int = PER_LENGTH

    def polish_shifts_for(self, topics: int) -> tuple[int, ...]:
        """The bands a polish of a plan of `topics` topics searches, narrowest first."""
        if topics <= self.wide_polish_topics:
            return (*self.polish_shifts, self.wide_polish_shift)
        return self.polish_shifts


@contextmanager
def search_until(stop_at: float) -> Iterator[None]:
    """Within the block, every search keeps the best plan it has once `time.monotonic()`
    passes `stop_at`: the steps that would improve it are skipped, CP-SAT's own time
    limit ends there. The plan is valid, and FEASIBLE unless it meets our bounds.

    The service's planning processes search within their deadline so that a slow solve
    returns its best plan rather than being killed with nothing; outside the block (the
    CLI, the tests) the search is the deterministic one the settings describe."""
    token = _STOP_AT.set(stop_at)
    try:
        yield
    finally:
        _STOP_AT.reset(token)


def out_of_time() -> bool:
    """Whether the search must stop improving (see `search_until`)."""
    stop_at = _STOP_AT.get()
    return stop_at is not None and time.monotonic() >= stop_at


def seconds_left(at_most: float) -> float:
    """`at_most`, or the seconds to the stop of `search_until` if fewer (never below 0)."""
    stop_at = _STOP_AT.get()
    return at_most if stop_at is None else max(min(at_most, stop_at - time.monotonic()), 0.0)
