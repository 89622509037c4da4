"""`python -m bench.imports`: the cold start of `planner plan` beside TaskJuggler's, and
what it still imports, from `python -X importtime`.

The cold start: `planner plan` (bundled roadmap, example profile, JSON and .ics) and tj3
on the same instance, run by turns (ours, tj3, ours, ...) so that both see the same load
on a shared machine; the main bench runs all of ours and then all of tj3's. The imports:
the least of five runs with `-X importtime`, the self time of every module summed by
top-level package (a package's own modules, not the ones it imports from others). Writes
its section of bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

from bench.instances import PROFILE_PATHS, load_instance
from bench.measure import run_timed
from bench.planners import planner_executable
from bench.report import machine_lines, write_section
from bench.tj3 import project_end, tj3_command, tjp_source

RESULTS_PATH = Path(__file__).resolve().parent / "RESULTS.md"
COMMAND = [sys.executable, "-X", "importtime", "-m", "planner", "plan", "--json", "plan.json"]


def import_times(runs: int = 5) -> Counter[str]:
    """Microseconds of import self time per top-level package, the least of `runs` runs
    (one run on a shared machine can charge a package for another process's time)."""
    least = _import_times()
    for _ in range(runs - 1):
        least &= _import_times()  # Counter's & keeps the smaller count per package
    return least


def _import_times() -> Counter[str]:
    with tempfile.TemporaryDirectory(prefix="bench-imports-") as folder:
        completed = subprocess.run(COMMAND, capture_output=True, text=True, cwd=folder, check=True)
    totals: Counter[str] = Counter()
    for line in completed.stderr.splitlines():
        if not line.startswith("import time:") or "self [us]" in line:
            continue
        self_time, _cumulative, name = line.removeprefix("import time:").split("|")
        totals[name.strip().partition(".")[0]] += int(self_time)
    return totals


def cold_starts(turns: int) -> dict[str, list[tuple[float, float]]]:
    """Wall seconds and peak RSS MB of each turn, ours and tj3's, on the example profile."""
    instance = load_instance(PROFILE_PATHS[0])
    times: dict[str, list[tuple[float, float]]] = {"ours": [], "tj3": []}
    with tempfile.TemporaryDirectory(prefix="bench-cold-") as folder:
        project = Path(folder) / "example.tjp"
        project.write_text(tjp_source(instance, project_end(instance)), encoding="utf-8")
        ours = [planner_executable(), "plan", "--json", "plan.json", "--ics", "plan.ics"]
        for _ in range(turns):
            for name, command in (("ours", ours), ("tj3", tj3_command(project))):
                run = run_timed(command, 1, cwd=Path(folder))
                if run.returncode != 0 or run.peak_rss_mb is None:
                    raise SystemExit(f"{name} failed: {run.output}")
                times[name].append((run.seconds, run.peak_rss_mb))
    return times


def cold_start_lines(turns: int) -> list[str]:
    medians = {
        name: (statistics.median(t for t, _ in runs), statistics.median(m for _, m in runs))
        for name, runs in cold_starts(turns).items()
    }
    (ours_s, ours_mb), (tj3_s, tj3_mb) = medians["ours"], medians["tj3"]
    return [
        f"Cold start, `planner plan --json plan.json --ics plan.ics` (example profile) and "
        f"tj3 on the same instance, by turns, median of {turns} each:",
        "",
        "| | Wall s | Peak RSS MB |",
        "|---|--:|--:|",
        f"| ours | {ours_s:.2f} | {ours_mb:.0f} |",
        f"| tj3 | {tj3_s:.2f} | {tj3_mb:.0f} |",
        f"| ours / tj3 | {ours_s / tj3_s:.2f} | {ours_mb / tj3_mb:.2f} |",
        "",
    ]


def imports_section(turns: int, top: int = 15) -> list[str]:
    totals = import_times()
    everything = sum(totals.values())
    rows = [f"| {name} | {micros / 1000:.0f} | {100 * micros / everything:.0f} |"
            for name, micros in totals.most_common(top)]  # fmt: skip
    return [
        "## What `planner plan` imports",
        "",
        *machine_lines(),
        "- Command: `python -m bench.imports` (the cold start by turns; the least of five runs of "
        "`python -X importtime -m planner plan --json plan.json`, bundled roadmap, example "
        "profile)",
        "",
        *cold_start_lines(turns),
        f"All imports: {everything / 1000:.0f} ms of self time in {len(totals)} top-level "
        "packages. Not imported at all: fastapi, starlette, uvicorn, sqlalchemy, sqlmodel, "
        "alembic, matplotlib, jinja2, httpcore, rapidfuzz and, unless a CP-SAT "
        "window has to be solved, ortools (`tests/test_cold_start.py` checks the list).",
        "",
        "| Package | Self ms | % |",
        "|---|--:|--:|",
        *rows,
        "",
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.imports", description=__doc__)
    parser.add_argument("--output", type=Path, default=RESULTS_PATH)
    parser.add_argument("--turns", type=int, default=9, help="cold-start runs of each")
    arguments = parser.parse_args(argv)
    print(write_section(arguments.output, "imports", imports_section(arguments.turns)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
