"""How hard the solver searches: deterministic limits and the seed."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class SolverSettings:
    """Search effort. One worker and limits in CP-SAT's deterministic time (a count of
    work, not seconds) make the same inputs give the same plan on any machine;
    `max_seconds_per_window` is only a safety net for a very slow machine."""

    seed: int = 0
    beam_width: int = 24
    window_topics: int = 6
    window_stride: int = 3
    # One sweep: on the benchmark profiles further sweeps never changed the finish or
    # the session count, and each costs about as much as the rest of the solve.
    max_sweeps: int = 1
    work_per_window: float = 0.02
    max_seconds_per_window: float = 5.0
