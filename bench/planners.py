"""Each planner run on one instance: its sessions, its cost, or the error it gave."""

from __future__ import annotations

import functools
import json
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from bench.greedy import greedy_plan
from bench.instances import Instance
from bench.measure import Run, run_by_turns, run_timed, temporary_folder, time_in_process
from bench.metrics import Score, Session, score
from bench.tj3 import (
    EXPORT_NAME,
    LAST_DAY_TJ3_ACCEPTS,
    parse_bookings,
    project_end,
    tj3_command,
    tjp_source,
)
from planner.planning.pipeline import make_plan

CHECKOUT = Path(__file__).resolve().parents[1]
SHIPPED = ("pyproject.toml", "README.md", "planner", "api", "data")  # what `pip install .` reads


@dataclass
class PlannerResult:
    planner: str
    sessions: list[Session] | None = None
    error: str | None = None
    seconds: float | None = None  # whole process, median
    peak_rss_mb: float | None = None  # whole process, median
    in_process_seconds: float | None = None  # the planning call alone, median
    details: dict[str, object] = field(default_factory=dict)
    score: Score | None = None

    def scored(self, instance: Instance) -> PlannerResult:
        if self.sessions is not None:
            self.score = score(instance, self.sessions)
        return self


@functools.cache
def planner_executable() -> str:
    """The `planner` script as a learner gets it (README: `pip install .` into a venv),
    not the dev venv's: that one is an editable install (an import hook on every start),
    has the test tools' distributions too (scanned for entry points at import), and where
    PYTHONDONTWRITEBYTECODE is set, no .pyc of ours, which pip compiles at install. Built
    once per bench process from a copy of this checkout, in a temporary folder removed at
    exit; about a minute (pip gets the dependencies from its configured index)."""
    root = temporary_folder("bench-installed-")
    checkout = root / "checkout"
    checkout.mkdir()
    for name in SHIPPED:  # a copy, so that the build leaves no build/ folder here
        source = CHECKOUT / name
        if source.is_dir():
            shutil.copytree(source, checkout / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy(source, checkout / name)
    venv = root / "venv"
    for command in (
        [sys.executable, "-m", "venv", str(venv)],
        [str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet", str(checkout)],
    ):
        done = subprocess.run(command, capture_output=True, text=True, check=False)
        if done.returncode != 0:
            raise SystemExit(f"bench: {' '.join(command)} failed:\n{done.stderr}")
    return str(venv / "bin" / "planner")


def run_ours_and_tj3(instance: Instance, runs: int) -> tuple[PlannerResult, PlannerResult]:
    """Our whole process on `instance` (`planner plan` writing JSON and .ics) and
    TaskJuggler's, by turns (ours, tj3, ours, ...) so that both see the same load; then
    our planning call in process."""
    with _our_command(instance) as (ours, json_path):
        if shutil.which("tj3") is None:
            tj3_result = PlannerResult("tj3", error="tj3 is not installed")
            our_run = run_timed(ours, runs)
        else:
            with _tj3_project(instance) as (tj3, folder):
                our_run, tj3_run = run_by_turns([(ours, None), (tj3, folder)], runs)
                tj3_result = _read_tj3(instance, tj3_run, folder, timeout=None)
        return _read_ours(instance, our_run, json_path, runs), tj3_result


def run_tj3(instance: Instance, runs: int, timeout: float | None = None) -> PlannerResult:
    """TaskJuggler on `instance`; a run past `timeout` seconds is stopped and reported."""
    if shutil.which("tj3") is None:
        return PlannerResult("tj3", error="tj3 is not installed")
    with _tj3_project(instance) as (command, folder):
        run = run_timed(command, runs, cwd=folder, timeout=timeout)
        return _read_tj3(instance, run, folder, timeout)


@contextmanager
def _our_command(instance: Instance) -> Iterator[tuple[list[str], Path]]:
    """`planner plan` on `instance`, and where it writes the JSON."""
    with tempfile.TemporaryDirectory(prefix="bench-ours-") as folder:
        json_path, ics_path = Path(folder) / "plan.json", Path(folder) / "plan.ics"
        yield [
            planner_executable(), "plan",
            "--roadmap", str(instance.roadmap_path),
            "--prerequisites", str(instance.prerequisites_path),
            "--profile", str(instance.profile_path),
            "--json", str(json_path),
            "--ics", str(ics_path),
        ], json_path  # fmt: skip


@contextmanager
def _tj3_project(instance: Instance) -> Iterator[tuple[list[str], Path]]:
    """tj3 on `instance`, and the folder it runs in (the project file is written there)."""
    with tempfile.TemporaryDirectory(prefix="bench-tj3-") as name:
        project = Path(name) / f"{instance.name}.tjp"
        project.write_text(tjp_source(instance, project_end(instance)), encoding="utf-8")
        yield tj3_command(project), Path(name)


def _read_tj3(instance: Instance, run: Run, folder: Path, timeout: float | None) -> PlannerResult:
    end = project_end(instance)
    result = PlannerResult("tj3", seconds=run.seconds, peak_rss_mb=run.peak_rss_mb)
    result.details["project_end"] = str(end)
    if run.timed_out:
        result.error = f"timed out after {timeout:g} s"
        return result
    if run.output:
        result.details["messages"] = _last_lines(run.output)
    export = folder / f"{EXPORT_NAME}.tji"
    if run.returncode != 0 or not export.exists():
        result.error = _last_lines(run.output) or f"tj3 exited with {run.returncode}"
        if end == LAST_DAY_TJ3_ACCEPTS:
            result.error += f" (project end capped at {end}: tj3 refuses later years)"
        return result
    result.sessions = parse_bookings(export.read_text(encoding="utf-8"), instance)
    return result


def _read_ours(instance: Instance, run: Run, json_path: Path, runs: int) -> PlannerResult:
    result = PlannerResult("ours", seconds=run.seconds, peak_rss_mb=run.peak_rss_mb)
    if run.returncode != 0:
        result.error = _last_lines(run.output)
        return result
    plan = json.loads(json_path.read_text(encoding="utf-8"))
    result.sessions = [
        Session(s["topic"], datetime.fromisoformat(s["start"]), datetime.fromisoformat(s["end"]))
        for s in plan["sessions"]
    ]
    result.details = {
        "finish": plan["finish"],
        "lower_bound_finish": plan["lower_bound_finish"],
        **plan["solver"],
        "order": plan.get("order", {}),
    }
    try:  # the in-process timing is extra: its failure must not hide the plan above
        in_process = make_plan(instance.inputs, today=instance.start).plan
        result.details["deterministic"] = [
            (s.topic, s.start, s.end) for s in in_process.sessions
        ] == [(s.topic, s.start, s.end) for s in result.sessions]
        result.in_process_seconds = time_in_process(
            lambda: make_plan(instance.inputs, today=instance.start), runs
        )
    except Exception as error:
        result.details["in_process_error"] = repr(error)
    return result


def run_greedy(instance: Instance, runs: int) -> PlannerResult:
    result = PlannerResult("greedy", sessions=greedy_plan(instance))
    result.in_process_seconds = time_in_process(lambda: greedy_plan(instance), runs)
    return result


def _last_lines(output: str, count: int = 3) -> str:
    lines = [line.strip() for line in output.splitlines() if line.strip()]
    errors = [line for line in lines if "Error" in line or "error" in line]
    return " / ".join((errors or lines)[-count:])
