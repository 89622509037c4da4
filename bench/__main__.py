"""`python -m bench`: run every planner on every instance and write bench/RESULTS.md."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from bench.instances import load_instances
from bench.measure import temporary_folder
from bench.planners import PlannerResult, run_greedy, run_ours_and_tj3
from bench.replan import replan_section
from bench.report import (
    RERUN,
    instance_table,
    kept_sections,
    machine_lines,
    order_table,
    ratio_table,
    solver_table,
)

RESULTS_PATH = Path(__file__).resolve().parent / "RESULTS.md"

METRICS = """\
How to read the tables. Every planner gets the same inputs (bundled roadmap and
prerequisites, one profile; 0-hour topics are left out but keep the order they impose) and
its sessions go through one scoring function (`bench/metrics.py`). Sessions are first
normalised for everyone: back-to-back sessions of one topic are merged, and a stretch
longer than `max_minutes` is split into the fewest near-equal whole-slot pieces.

- **Finish**: end of the last session (local time). **Wasted h**: available time (whole
  slots of the windows) before the finish that holds no study; 0 means the finish is the
  capacity bound.
- **Sessions**: after normalisation. **Events**: what the planner emitted (ours: one .ics
  event per block; tj3: merged bookings; greedy: one per window piece).
- **Shared windows**: concrete windows with sessions of two or more topics.
  **Short**: sessions under `min_minutes` that are not the topic's last.
  **Inversions**: topic pairs whose first sessions contradict the roadmap's order.
- **Violations**: `planner.planning.validation` rules any planner must keep (every topic's minutes,
  prerequisites first, inside windows, no overlap, whole slots).
- **Wall s / Peak RSS MB**: whole process (`planner plan` writing JSON and .ics; `tj3`
  writing its export), median of the runs, from `/usr/bin/time -f '%e %M'`; ours and tj3
  run by turns (ours, tj3, ours, ...), ours as installed by `pip install .` in a fresh venv.
  **In-process s**: the planning call alone (ours: `make_plan` on loaded inputs; greedy:
  the function), median of the runs; the greedy baseline has no process of its own.

Limits. TaskJuggler 3 refuses years after 2035, so its project end is capped at
2035-12-31 and a plan that needs longer is reported as its error. Its model gets the
windows (a past-midnight window split at 24:00), the blackouts as holidays and the
prerequisites, but no session rules: it books slot by slot, so `min_minutes` is not
applied (see Short). The greedy baseline applies no session rules either. Timings are
from a shared machine; medians of few runs, not a controlled lab.
"""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--runs", type=int, default=5, help="timed runs per planner (median)")
    parser.add_argument("--output", type=Path, default=RESULTS_PATH, help="Markdown file")
    arguments = parser.parse_args(argv)
    rows: list[tuple[object, dict[str, PlannerResult]]] = []
    sections: list[str] = []
    synthetic = temporary_folder("bench-synthetic-")
    instances = load_instances(synthetic)
    for instance in instances:
        print(f"bench: {instance.name} ...", file=sys.stderr, flush=True)
        try:  # a planner's failure is a result, not a crash
            results = [*run_ours_and_tj3(instance, arguments.runs)]
        except Exception as error:
            results = [PlannerResult(name, error=repr(error)) for name in ("ours", "tj3")]
        try:
            results.append(run_greedy(instance, arguments.runs))
        except Exception as error:
            results.append(PlannerResult("greedy", error=repr(error)))
        by_name = {result.planner: result.scored(instance) for result in results}
        rows.append((instance, by_name))
        sections += instance_table(instance, list(by_name.values()))
    text = "\n".join(
        [
            "# Benchmark: our planner vs TaskJuggler 3 vs a greedy baseline",
            "",
            *machine_lines(),
            f"- Runs: median of {arguments.runs} per planner and instance",
            "",
            METRICS,
            "## Per instance",
            "",
            *sections,
            "## Ratios (ours / peer; below 1 means ours uses less)",
            "",
            *ratio_table(rows),  # type: ignore[arg-type]
            "",
            "## Our solver",
            "",
            *solver_table(rows),  # type: ignore[arg-type]
            "",
            "Order (`planner plan`'s default, `balanced`; the other modes as the plan reports",
            "them; inversions against the reference order; a plan at both bounds does not",
            "solve the modes after its own: they have its sessions, their inversions are —):",
            "",
            *order_table(rows),  # type: ignore[arg-type]
            "",
            "## Re-planning",
            "",
            *replan_section([instances[0], instances[-1]], arguments.runs),
            "## How to rerun",
            "",
            f"`{RERUN}` (writes this file; needs `tj3` on the PATH for the TaskJuggler rows).",
            "The sections below are written by their own benchmarks (`python -m bench.busy`,",
            "`python -m bench.order_modes`, `python -m bench.reviews`,",
            "`python -m bench.service_load`); this run keeps them as they are.",
            "",
            *kept_sections(arguments.output),
            "",
        ]
    )
    arguments.output.write_text(text, encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
