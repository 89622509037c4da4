"""Each planner run on one instance: its sessions, its cost, or the error it gave."""

from __future__ import annotations

import json
import shutil
import sys
import tempfile
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from bench.greedy import greedy_plan
from bench.instances import Instance
from bench.measure import run_timed, time_in_process
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


def planner_executable() -> str:
    """The `planner` script of the Python running the bench (the dev venv's)."""
    beside = Path(sys.executable).parent / "planner"
    return str(beside) if beside.exists() else (shutil.which("planner") or "planner")


def run_ours(instance: Instance, runs: int) -> PlannerResult:
    with tempfile.TemporaryDirectory(prefix="bench-ours-") as folder:
        json_path, ics_path = Path(folder) / "plan.json", Path(folder) / "plan.ics"
        command = [
            planner_executable(), "plan",
            "--roadmap", str(instance.roadmap_path),
            "--prerequisites", str(instance.prerequisites_path),
            "--profile", str(instance.profile_path),
            "--json", str(json_path),
            "--ics", str(ics_path),
        ]  # fmt: skip
        run = run_timed(command, runs)
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


def run_tj3(instance: Instance, runs: int, timeout: float | None = None) -> PlannerResult:
    """TaskJuggler on `instance`; a run past `timeout` seconds is stopped and reported."""
    result = PlannerResult("tj3")
    if shutil.which("tj3") is None:
        result.error = "tj3 is not installed"
        return result
    end = project_end(instance)
    result.details["project_end"] = str(end)
    with tempfile.TemporaryDirectory(prefix="bench-tj3-") as folder:
        project = Path(folder) / f"{instance.name}.tjp"
        project.write_text(tjp_source(instance, end), encoding="utf-8")
        run = run_timed(tj3_command(project), runs, cwd=Path(folder), timeout=timeout)
        result.seconds, result.peak_rss_mb = run.seconds, run.peak_rss_mb
        if run.timed_out:
            result.error = f"timed out after {timeout:g} s"
            return result
        if run.output:
            result.details["messages"] = _last_lines(run.output)
        export = Path(folder) / f"{EXPORT_NAME}.tji"
        if run.returncode != 0 or not export.exists():
            result.error = _last_lines(run.output) or f"tj3 exited with {run.returncode}"
            if end == LAST_DAY_TJ3_ACCEPTS:
                result.error += f" (project end capped at {end}: tj3 refuses later years)"
            return result
        result.sessions = parse_bookings(export.read_text(encoding="utf-8"), instance)
    return result


def run_greedy(instance: Instance, runs: int) -> PlannerResult:
    result = PlannerResult("greedy", sessions=greedy_plan(instance))
    result.in_process_seconds = time_in_process(lambda: greedy_plan(instance), runs)
    return result


def _last_lines(output: str, count: int = 3) -> str:
    lines = [line.strip() for line in output.splitlines() if line.strip()]
    errors = [line for line in lines if "Error" in line or "error" in line]
    return " / ".join((errors or lines)[-count:])
