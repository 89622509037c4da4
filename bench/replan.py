"""Re-planning cost and churn: the example learner misses two weeks (issue: re-plan)."""

from __future__ import annotations

import tempfile
from collections.abc import Iterable
from datetime import date
from pathlib import Path

from bench.instances import PREREQUISITES_PATH, ROADMAP_PATH, Instance
from bench.measure import run_timed, time_in_process
from bench.planners import planner_executable
from planner.models import Progress, StudySession
from planner.planning import make_plan
from planner.replan import replan

AS_OF = date(2027, 2, 1)
MISSED_TWO_WEEKS = "as_of: 2027-02-01\nmissed:\n  - {from: 2027-01-18, to: 2027-01-31}\n"


def replan_section(instance: Instance, runs: int) -> list[str]:
    """A Markdown section: whole-process `planner plan` vs `planner replan`, the solve
    time of each, and what the re-plan changed."""
    common = ["--roadmap", str(ROADMAP_PATH), "--prerequisites", str(PREREQUISITES_PATH),
              "--profile", str(instance.profile_path)]  # fmt: skip
    with tempfile.TemporaryDirectory(prefix="bench-replan-") as folder:
        previous_json = Path(folder) / "plan.json"
        progress_path = Path(folder) / "progress.yaml"
        progress_path.write_text(MISSED_TWO_WEEKS, encoding="utf-8")
        plan_run = run_timed(
            [planner_executable(), "plan", *common, "--json", str(previous_json),
             "--ics", str(Path(folder) / "plan.ics")], runs,
        )  # fmt: skip
        replan_run = run_timed(
            [planner_executable(), "replan", *common, "--previous", str(previous_json),
             "--progress", str(progress_path), "--ics", str(Path(folder) / "new.ics")], runs,
        )  # fmt: skip
    first = make_plan(instance.inputs, today=instance.start)
    missed = [{"from": "2027-01-18", "to": "2027-01-31"}]
    progress = Progress.model_validate({"as_of": AS_OF, "missed": missed})
    result = replan(instance.inputs, first.plan, progress, today=AS_OF)
    replan_seconds = time_in_process(
        lambda: replan(instance.inputs, first.plan, progress, today=AS_OF), runs
    )
    changes = result.changes
    same_order = _topic_order(result.plan.upcoming) == _topic_order(
        [s for s in first.plan.sessions if s.start.date() >= date(2027, 1, 18)]
    )
    return [
        f"### Re-plan after two missed weeks ({instance.name})",
        "",
        f"Progress: `as_of {AS_OF}`, nothing done from 2027-01-18 to 2027-01-31.",
        "",
        "| | Wall s | Peak RSS MB | In-process s |",
        "|---|--:|--:|--:|",
        f"| `planner plan` | {plan_run.seconds:.2f} | {plan_run.peak_rss_mb:.0f} | "
        f"{time_in_process(lambda: make_plan(instance.inputs, today=instance.start), runs):.3f} |",
        f"| `planner replan` | {replan_run.seconds:.2f} | {replan_run.peak_rss_mb:.0f} | "
        f"{replan_seconds:.3f} |",
        "",
        f"Finish {changes.finish_before:%Y-%m-%d} → {changes.finish_after:%Y-%m-%d} "
        f"({changes.days_later:+d} days); sessions {changes.kept} kept, {changes.moved} moved, "
        f"{changes.added} added, {changes.dropped} dropped, {changes.done} done; "
        f"topic order after the missed weeks unchanged: {'yes' if same_order else 'no'} "
        "(the missed time is whole weeks, so the rest of the plan only shifts).",
        "",
    ]


def _topic_order(sessions: Iterable[StudySession]) -> list[str]:
    order: list[str] = []
    for session in sorted(sessions, key=lambda s: s.start_utc):
        if session.topic not in order:
            order.append(session.topic)
    return order
