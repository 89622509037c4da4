"""`python -m bench.imports`: what `planner plan` still imports, from `python -X importtime`.

One run of `planner plan` on the bundled roadmap and example profile in an empty folder;
the self time of every module summed by top-level package (a package's own modules, not
the ones it imports from others). Writes its section of bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

from bench.report import machine_lines, write_section

RESULTS_PATH = Path(__file__).resolve().parent / "RESULTS.md"
COMMAND = [sys.executable, "-X", "importtime", "-m", "planner", "plan", "--json", "plan.json"]


def import_times() -> Counter[str]:
    """Microseconds of import self time per top-level package."""
    with tempfile.TemporaryDirectory(prefix="bench-imports-") as folder:
        completed = subprocess.run(COMMAND, capture_output=True, text=True, cwd=folder, check=True)
    totals: Counter[str] = Counter()
    for line in completed.stderr.splitlines():
        if not line.startswith("import time:") or "self [us]" in line:
            continue
        self_time, _cumulative, name = line.removeprefix("import time:").split("|")
        totals[name.strip().partition(".")[0]] += int(self_time)
    return totals


def imports_section(top: int = 15) -> list[str]:
    totals = import_times()
    everything = sum(totals.values())
    rows = [f"| {name} | {micros / 1000:.0f} | {100 * micros / everything:.0f} |"
            for name, micros in totals.most_common(top)]  # fmt: skip
    return [
        "## What `planner plan` imports",
        "",
        *machine_lines(),
        "- Command: `python -m bench.imports` (one run of "
        "`python -X importtime -m planner plan --json plan.json`, bundled roadmap, example "
        "profile)",
        "",
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
    arguments = parser.parse_args(argv)
    print(write_section(arguments.output, "imports", imports_section()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
