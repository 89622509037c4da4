"""Writes every output of the command line into one folder, in one process: the plan
and its re-plan (JSON, .ics, printed summary with --verbose), a plan with reviews, and
the what-if table and chart (SVG and PNG). tests/test_cli.py runs it under different
PYTHONHASHSEEDs and compares the folders byte for byte.

    python tests/write_every_output.py OUT_FOLDER
"""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

from typer.testing import CliRunner

from planner.cli.app import app

FIXTURES = Path(__file__).resolve().parent / "fixtures"
PROFILE = str(FIXTURES / "summary-profile.yaml")  # goals, deadline, holidays, busy time
REVIEWS = str(FIXTURES / "review-profile.yaml")  # spaced reviews
COMMANDS = {
    "plan": ["plan", "--profile", PROFILE, "--json", "plan.json", "--ics", "plan.ics",
             "--verbose"],
    "replan": ["replan", "--previous", "plan.json", "--progress", "progress.yaml",
               "--profile", PROFILE, "--json", "replan.json", "--ics", "replan.ics",
               "--verbose"],
    "reviews": ["plan", "--profile", REVIEWS, "--json", "reviews.json", "--ics", "reviews.ics"],
    "whatif": ["whatif", "--profile", PROFILE, "--hours-per-week", "6",
               "--chart", "whatif.svg", "--chart", "whatif.png"],
}  # fmt: skip


def main(folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    os.chdir(folder)  # relative names: the printed "Wrote …" lines are the same anywhere
    Path("progress.yaml").write_text(
        "as_of: 2027-02-01\nmissed:\n  - {from: 2027-01-18, to: 2027-01-31}\n"
    )
    runner = CliRunner(env={"COLUMNS": "100"})
    for name, arguments in COMMANDS.items():
        result = runner.invoke(app, arguments)
        if result.exit_code != 0:
            raise SystemExit(f"{name} failed:\n{result.output}")
        printed = re.sub(r"in \d+\.\d+ s", "in X s", result.stdout + result.stderr)
        Path(f"{name}.txt").write_text(printed)


if __name__ == "__main__":
    main(Path(sys.argv[1]))
