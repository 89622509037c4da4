"""The commands a learner runs every day load only what they use: no web stack, no SQL,
no plotting, and no OR-Tools where the search never reaches CP-SAT. A fresh process, so
nothing another test imported counts; what is loaded, not how long it takes (timings are
in bench/RESULTS.md)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

NEVER_FOR_DAILY_COMMANDS = {"fastapi", "starlette", "uvicorn", "sqlalchemy", "sqlmodel",
                            "alembic", "matplotlib", "jinja2", "httpcore", "rapidfuzz"}  # fmt: skip

SCRIPT = """
import json, sys
from planner.cli.app import app
for arguments in json.loads(sys.argv[1]):
    try:
        app(arguments, standalone_mode=False)
    except SystemExit as stop:
        assert not stop.code, (arguments, stop.code)
print(json.dumps(sorted({name.partition('.')[0] for name in sys.modules})))
"""


def _loaded_by(commands: list[list[str]], folder: Path) -> set[str]:
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT, json.dumps(commands)],
        capture_output=True, text=True, cwd=folder, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    return set(json.loads(result.stdout.splitlines()[-1]))


def test_plan_and_the_daily_commands_load_no_web_sql_plotting_or_cp_sat(tmp_path: Path) -> None:
    """The bundled roadmap and example profile: the balanced plan is at both bounds, so
    the free order is not searched and no CP-SAT window is solved: OR-Tools stays out,
    and numpy with it (the start tables are plain lists)."""
    loaded = _loaded_by(
        [
            ["plan", "--json", "plan.json"],
            ["next"],
            ["done", "1.1"],
            ["replan"],
            ["topics", "fastapi"],
            ["check"],
        ],
        tmp_path,
    )
    assert (tmp_path / "plan.ics").exists()
    not_needed = NEVER_FOR_DAILY_COMMANDS | {"ortools", "numpy"}
    assert loaded.isdisjoint(not_needed), loaded & not_needed
    assert {"planner", "icalendar", "networkx"} <= loaded  # the test sees real imports


COLLECTOR_AFTER_PLAN = """
import gc, sys
from planner.__main__ import main
sys.argv = ["planner", "plan", "--json", "plan.json"]
try:
    main()
except SystemExit as stop:
    assert not stop.code, stop.code
print(gc.isenabled(), gc.get_freeze_count() > 0)
"""


def test_the_planner_command_freezes_its_imports_and_keeps_collecting(tmp_path: Path) -> None:
    """`planner` pauses the garbage collector while it imports and freezes what the
    imports built (planner/cli/startup.py); the collector must be on again for the work,
    or a long run (a big roadmap, `planner serve`) would never free its cycles."""
    result = subprocess.run(
        [sys.executable, "-c", COLLECTOR_AFTER_PLAN],
        capture_output=True, text=True, cwd=tmp_path, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1] == "True True"
    assert (tmp_path / "plan.json").exists()
