"""Re-planning cost and churn: a learner misses whole weeks, or ten days.

Churn is how much the order of what is left changed: the pairs of remaining topics the
re-plan studies in the other order than the previous plan did (0: the rest only shifts).
"""

from __future__ import annotations

import itertools
import tempfile
from collections.abc import Iterable
from datetime import date, timedelta
from functools import partial
from pathlib import Path

from bench.instances import Instance
from bench.measure import run_timed, time_in_process
from bench.planners import planner_executable
from planner.models.plan import Plan, StudySession
from planner.models.progress import Progress
from planner.planning.pipeline import make_plan
from planner.planning.replan import replan

SCENARIOS = (("two weeks missed", 14), ("ten days missed", 10))


def replan_section(instances: list[Instance], runs: int) -> list[str]:
    """A Markdown section: whole-process plan vs replan on the first instance, then the
    in-process cost and churn of each scenario on every instance."""
    lines = ["### Re-plan", "", *_whole_process(instances[0], runs), ""]
    lines += [
        "| Instance | Missed | Plan s | Re-plan s | Re-plan solve s | Finish moves | "
        "Kept / moved / added / dropped | Churn (order inversions) |",
        "|---|---|--:|--:|--:|--:|---|--:|",
    ]
    for instance in instances:
        inputs, start = instance.inputs, instance.start
        first = make_plan(inputs, today=start).plan
        plan_seconds = time_in_process(partial(make_plan, inputs, today=start), runs)
        for label, days in SCENARIOS:
            progress = _missed(start, days)
            assert progress.as_of is not None
            result = replan(inputs, first, progress, now=progress.as_of)
            again = partial(replan, inputs, first, progress, now=progress.as_of)
            seconds = time_in_process(again, runs)
            c = result.changes
            lines.append(
                f"| {instance.name} | {label} | {plan_seconds:.2f} | {seconds:.2f} | "
                f"{result.seconds:.2f} | {c.days_later:+d} days | {c.kept} / {c.moved} / "
                f"{c.added} / {c.dropped} | {_churn(first, result.plan, progress.as_of)} |"
            )
    return [*lines, ""]


def _missed(start: date, days: int) -> Progress:
    """Nothing done in `days` days from the third week on; re-planned four weeks in."""
    first = start + timedelta(days=14)
    missed = [{"from": first, "to": first + timedelta(days=days - 1)}]
    return Progress.model_validate({"as_of": start + timedelta(days=28), "missed": missed})


def _churn(previous: Plan, new: Plan, as_of: date) -> int:
    before = _topic_order(s for s in previous.sessions if s.start.date() >= as_of - timedelta(28))
    after = _topic_order(new.upcoming)
    common = [topic for topic in after if topic in before]
    position = {topic: index for index, topic in enumerate(before)}
    return sum(1 for a, b in itertools.combinations(common, 2) if position[a] > position[b])


def _topic_order(sessions: Iterable[StudySession]) -> list[str]:
    order: list[str] = []
    for session in sorted(sessions, key=lambda s: s.start_utc):
        if session.topic not in order:
            order.append(session.topic)
    return order


def _whole_process(instance: Instance, runs: int) -> list[str]:
    common = ["--roadmap", str(instance.roadmap_path),
              "--prerequisites", str(instance.prerequisites_path),
              "--profile", str(instance.profile_path)]  # fmt: skip
    progress = _missed(instance.start, 14)
    with tempfile.TemporaryDirectory(prefix="bench-replan-") as folder:
        previous_json, progress_path = Path(folder) / "plan.json", Path(folder) / "progress.yaml"
        progress_path.write_text(progress.model_dump_json(by_alias=True), encoding="utf-8")
        plan_run = run_timed(
            [planner_executable(), "plan", *common, "--json", str(previous_json),
             "--ics", str(Path(folder) / "plan.ics")], runs,
        )  # fmt: skip
        replan_run = run_timed(
            [planner_executable(), "replan", *common, "--previous", str(previous_json),
             "--progress", str(progress_path), "--ics", str(Path(folder) / "new.ics")], runs,
        )  # fmt: skip
    return [
        f"Whole process on {instance.name} (two weeks missed): `planner plan` "
        f"{plan_run.seconds:.2f} s / {plan_run.peak_rss_mb:.0f} MB, `planner replan` "
        f"{replan_run.seconds:.2f} s / {replan_run.peak_rss_mb:.0f} MB."
    ]
