"""`python -m bench.imports`: the cold start of `planner plan` beside TaskJuggler's, and
what it still imports, from `python -X importtime`.

The cold start: `planner plan` (bundled roadmap, example profile, JSON and .ics) and tj3
on the same instance, run by turns (ours, tj3, ours, ...) so that both see the same load
on a shared machine; ours as a learner installs it (`pip install .` into a fresh venv, see
`bench.planners.planner_executable`). The imports: the least of five runs with
`-X importtime` in that venv, the self time of every module summed by top-level package
(a package's own modules, not the ones it imports from others). Writes its section of
bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import tempfile
from collections import Counter
from pathlib import Path

from bench.instances import PROFILE_PATHS, load_instance
from bench.measure import run_by_turns
from bench.planners import planner_executable
from bench.report import machine_lines, write_section
from bench.tj3 import project_end, tj3_command, tjp_source

RESULTS_PATH = Path(__file__).resolve().parent / "RESULTS.md"
PLAN = ["plan", "--json", "plan.json", "--ics", "plan.ics"]
# The app without planner.cli.startup.main, for the cold start with the collector left on.
WITHOUT_FREEZE = "from planner.cli.app import app; app()"


def import_times(runs: int = 5) -> Counter[str]:
    """Microseconds of import self time per top-level package, the least of `runs` runs
    (one run on a shared machine can charge a package for another process's time)."""
    least = _import_times()
    for _ in range(runs - 1):
        least &= _import_times()  # Counter's & keeps the smaller count per package
    return least


def _import_times() -> Counter[str]:
    command = [_installed_python(), "-X", "importtime", "-m", "planner", *PLAN]
    with tempfile.TemporaryDirectory(prefix="bench-imports-") as folder:
        completed = subprocess.run(command, capture_output=True, text=True, cwd=folder, check=True)
    totals: Counter[str] = Counter()
    for line in completed.stderr.splitlines():
        if not line.startswith("import time:") or "self [us]" in line:
            continue
        self_time, _cumulative, name = line.removeprefix("import time:").split("|")
        totals[name.strip().partition(".")[0]] += int(self_time)
    return totals


def cold_start_lines(turns: int) -> list[str]:
    """Ours and tj3's wall time and peak RSS on the example profile, by turns."""
    instance = load_instance(PROFILE_PATHS[0])
    with tempfile.TemporaryDirectory(prefix="bench-cold-") as name:
        folder = Path(name)
        project = folder / "example.tjp"
        project.write_text(tjp_source(instance, project_end(instance)), encoding="utf-8")
        load_before = os.getloadavg()[0]
        ours, unfrozen, tj3 = run_by_turns(
            [
                ([planner_executable(), *PLAN], folder),
                ([_installed_python(), "-c", WITHOUT_FREEZE, *PLAN], folder),
                (tj3_command(project), folder),
            ],
            turns,
        )
        load_after = os.getloadavg()[0]
    for name, run in (("ours", ours), ("unfrozen", unfrozen), ("tj3", tj3)):
        if run.returncode != 0 or run.peak_rss_mb is None:
            raise SystemExit(f"{name} failed: {run.output}")
    assert ours.peak_rss_mb is not None and tj3.peak_rss_mb is not None
    assert unfrozen.peak_rss_mb is not None
    return [
        f"Cold start, `planner plan --json plan.json --ics plan.ics` (example profile) and "
        f"tj3 on the same instance, by turns, median of {turns} each (load average "
        f"{load_before:.2f} before, {load_after:.2f} after; 2 cores):",
        "",
        "| | Wall s | Peak RSS MB |",
        "|---|--:|--:|",
        f"| ours | {ours.seconds:.2f} | {ours.peak_rss_mb:.0f} |",
        f"| tj3 | {tj3.seconds:.2f} | {tj3.peak_rss_mb:.0f} |",
        f"| ours / tj3 | {ours.seconds / tj3.seconds:.2f} | "
        f"{ours.peak_rss_mb / tj3.peak_rss_mb:.2f} |",
        f"| ours without the frozen imports | {unfrozen.seconds:.2f} | "
        f"{unfrozen.peak_rss_mb:.0f} |",
        "",
        "`planner` imports with the garbage collector paused and then freezes what the imports "
        "built (`planner/cli/startup.py`), so the collector never walks those objects again. "
        "The last row is the same installed code with the app called directly "
        f"(`python -c {WITHOUT_FREEZE!r} plan ...`): the collector walks them.",
        "",
    ]


def _installed_python() -> str:
    return str(Path(planner_executable()).parent / "python")


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
        "`python -X importtime -m planner plan --json plan.json --ics plan.ics`, bundled "
        "roadmap, example profile; both in a venv made by `pip install .`)",
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
