"""How hard the solver searches: deterministic limits, the seed, and what it compares."""

from __future__ import annotations

from dataclasses import dataclass


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
    # The exact band search (band.py): states per layer before it turns into a beam;
    # the bands of the free plan's polish, narrowest first, and the most rounds of each.
    band_states: int = 4096
    polish_shifts: tuple[int, ...] = (3, 4)
    polish_rounds: int = 100
