"""A plan upgraded when its roadmap changes (issue 26): the bundled roadmap with the
issue's edit (2.1 from 8 to 10 h, a new 2.6 of 3 h, 16.4 removed), re-planned with the
example learner's history kept; a topic removed after it was studied; a plan made before
plans kept their roadmap."""

from __future__ import annotations

import io
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
import yaml
from rich.console import Console
from typer.testing import CliRunner

from planner.cli.app import app
from planner.errors import PlannerError
from planner.inputs.plan_inputs import PlanInputs
from planner.models.plan import Plan
from planner.models.progress import Progress
from planner.models.roadmap import Prerequisites, Roadmap
from planner.output.ics import plan_to_calendar
from planner.output.report import changes_summary
from planner.planning.pipeline import make_plan
from planner.planning.replan import ReplanResult, replan
from tests.scopes import shared


def upgrade_inputs(inputs: PlanInputs, removed: str = "16.4") -> PlanInputs:
    """`inputs` with the roadmap the issue describes: 2.1 at 10 h, 2.6 new (3 h) in
    section 2, `removed` gone (with the edges that name it)."""
    data: dict[str, Any] = inputs.roadmap.model_dump(mode="json")
    for section in data["sections"]:
        for topic in section["topics"]:
            if topic["id"] == "2.1":
                topic["hours"] = 10
        if section["id"] == "2":
            section["topics"].append({"id": "2.6", "title": "Typing", "hours": 3})
            section["hours"] += 5
        kept = [topic for topic in section["topics"] if topic["id"] != removed]
        section["hours"] -= sum(t["hours"] for t in section["topics"] if t["id"] == removed)
        section["topics"] = kept
    data["sections"] = [section for section in data["sections"] if section["topics"]]
    edges = [
        edge
        for edge in inputs.prerequisites.model_dump(mode="json")["edges"]
        if removed not in (edge["before"], edge["after"])
    ]
    prerequisites = Prerequisites.model_validate({"roadmap": inputs.roadmap.id, "edges": edges})
    return replace(inputs, roadmap=Roadmap.model_validate(data), prerequisites=prerequisites)


@pytest.fixture(scope=shared)
def first(inputs: PlanInputs) -> Plan:
    return make_plan(inputs, today=date(2027, 1, 1)).plan


@pytest.fixture(scope=shared)
def upgraded(inputs: PlanInputs, first: Plan) -> ReplanResult:
    return replan(upgrade_inputs(inputs), first, Progress(), now=date(2027, 2, 1))


def test_the_upgrade_says_what_changed(inputs: PlanInputs, upgraded: ReplanResult) -> None:
    upgrade = upgraded.upgrade
    assert upgrade is not None
    assert upgrade.changed == (("2.1", 8, 10),)
    assert upgrade.added == (("2.6", 3),)
    ((topic, dropped),) = upgrade.removed
    assert topic == "16.4" and dropped > 0
    console = Console(width=300, file=io.StringIO(), color_system=None)
    console.print(changes_summary(upgraded, upgrade_inputs(inputs).roadmap))
    said = console.file.getvalue()  # type: ignore[attr-defined]
    assert (
        "Roadmap changed: 2.1 8 → 10 h (finished), 2.6 new (3 h), 16.4 removed "
        f"({dropped} sessions ahead dropped, its history kept), prerequisites changed" in said
    )


def test_history_stays_finished_topics_stay_finished_new_topics_are_planned(
    first: Plan, upgraded: ReplanResult
) -> None:
    """2.1 (8 h) was studied in January as planned: at 10 h it is still finished. 2.6
    gets its 3 h, 16.4 nothing ahead, and every topic its hours (the validator ran)."""
    plan = upgraded.plan
    before_february = [s for s in first.sessions if s.start.date() < date(2027, 2, 1)]
    history = [s for s in plan.sessions if s.done]
    assert [(s.uid, s.start) for s in history] == [(s.uid, s.start) for s in before_february]
    ahead: dict[str, float] = {}
    for session in plan.upcoming_study:
        ahead[session.topic] = ahead.get(session.topic, 0) + session.minutes
    assert "2.1" not in ahead and "16.4" not in ahead
    assert ahead["2.6"] == 180
    assert plan.made_from is not None and plan.made_from.roadmap.topic_by_id["2.1"].hours == 10


def test_a_topic_begun_gets_its_new_estimate_less_what_was_studied(
    inputs: PlanInputs, first: Plan
) -> None:
    """Re-planned the day after 2.1 began (its first 2 h studied as planned): its rest
    is 10 h less those 2 h, first of all."""
    (wednesday, *_) = [s for s in first.study_sessions if s.topic == "2.1"]
    day_after = wednesday.start.date() + timedelta(days=1)
    result = replan(upgrade_inputs(inputs), first, Progress(), now=day_after)
    history = sum(s.minutes for s in result.plan.sessions if s.topic == "2.1" and s.done)
    planned = sum(s.minutes for s in result.plan.upcoming_study if s.topic == "2.1")
    assert (history, planned) == (120, 600 - 120)
    assert result.plan.upcoming_study[0].topic == "2.1"


def test_a_removed_topic_keeps_its_history_in_the_calendar(inputs: PlanInputs, first: Plan) -> None:
    """1.2 studied in week 1, then removed: its sessions stay as history, in the
    calendar too, and nothing of it is planned."""
    changed = upgrade_inputs(inputs, removed="1.2")
    result = replan(changed, first, Progress(), now=date(2027, 2, 1))
    done = [s for s in result.plan.sessions if s.topic == "1.2"]
    assert done and all(s.done for s in done)
    assert result.upgrade is not None and result.upgrade.removed == (("1.2", 0),)
    calendar = plan_to_calendar(result.plan, changed.roadmap).to_ical().decode()
    assert "SUMMARY:✓ 1.2 Dev Environment & Tooling" in calendar


def test_unchanged_roadmap_is_no_upgrade(inputs: PlanInputs, first: Plan) -> None:
    result = replan(inputs, first, Progress(), now=date(2027, 2, 1))
    assert result.upgrade is None


def test_a_plan_without_its_roadmap_cannot_be_upgraded(inputs: PlanInputs, first: Plan) -> None:
    old = first.model_copy(update={"made_from": None})
    with pytest.raises(PlannerError) as refused:
        replan(upgrade_inputs(inputs), old, Progress(), now=date(2027, 2, 1), previous_path="p")
    assert "p: this plan was made from another version of roadmap 'python-backend'" in str(
        refused.value
    )
    assert "keeps no copy of them to upgrade from" in str(refused.value)


def test_the_cli_upgrades_the_plan_and_the_daily_commands_use_its_roadmap(
    inputs: PlanInputs, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`planner plan` on a roadmap file, the file edited, `planner replan` with it: the
    summary names the change; `planner done 2.6` knows the new topic from plan.json."""
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    files = ["--roadmap", "roadmap.yaml", "--prerequisites", "prerequisites.yaml"]

    def write(used: PlanInputs) -> None:
        for name, model in (
            ("roadmap.yaml", used.roadmap),
            ("prerequisites.yaml", used.prerequisites),
        ):
            Path(name).write_text(yaml.safe_dump(model.model_dump(mode="json", exclude_none=True)))

    write(inputs)
    made = runner.invoke(app, ["plan", *files, "--start", "2027-01-04", "--json", "plan.json"])
    assert made.exit_code == 0, made.output
    write(upgrade_inputs(inputs))
    again = runner.invoke(app, ["replan", *files, "--now", "2027-02-01"])
    assert again.exit_code == 0, again.output
    assert "Roadmap changed: 2.1 8 → 10 h (finished), 2.6 new (3 h), 16.4 removed" in again.stdout
    done = runner.invoke(app, ["done", "2.6", "--now", "2027-02-01T08:00"])
    assert done.exit_code == 0, done.output
    assert "2.6 Typing finished" in done.stdout
    odd = runner.invoke(app, ["replan", *files, "--rename", "16.4", "--now", "2027-02-01"])
    assert odd.exit_code == 1
    assert "error: --rename 16.4: give OLD=NEW, e.g. --rename 16.4=16.5" in odd.stderr


def renumbered(inputs: PlanInputs) -> PlanInputs:
    """`inputs` with topic 1.2 renumbered 1.3 (its edges too), nothing else changed."""
    text = inputs.roadmap.model_dump_json().replace('"1.2"', '"1.3"')
    edges = inputs.prerequisites.model_dump_json().replace('"1.2"', '"1.3"')
    return replace(
        inputs,
        roadmap=Roadmap.model_validate_json(text),
        prerequisites=Prerequisites.model_validate_json(edges),
    )


def test_a_renumbered_topic_is_the_same_topic_only_on_the_learners_word(
    inputs: PlanInputs, first: Plan
) -> None:
    """1.2 (studied in week 1) renumbered 1.3: without --rename, 1.2's history stays
    and 1.3 is planned as new, and the summary suggests the rename; with it, 1.3 is 1.2
    studied (nothing more planned) and its done record in progress carries over."""
    changed = renumbered(inputs)
    apart = replan(changed, first, Progress(), now=date(2027, 2, 1))
    assert apart.upgrade is not None and apart.upgrade.alike == (("1.2", "1.3"),)
    assert sum(s.minutes for s in apart.plan.upcoming_study if s.topic == "1.3") == 360
    console = Console(width=300, file=io.StringIO(), color_system=None)
    console.print(changes_summary(apart, changed.roadmap))
    said = console.file.getvalue()  # type: ignore[attr-defined]
    assert "1.2 and 1.3 look alike: --rename 1.2=1.3 if one topic" in said
    report = Progress.model_validate({"done": ["1.2"]})
    same = replan(changed, first, report, now=date(2027, 2, 1), renames={"1.2": "1.3"})
    assert same.upgrade is not None and same.upgrade.renamed == (("1.2", "1.3"),)
    assert not [s for s in same.plan.upcoming_study if s.topic in ("1.2", "1.3")]
    assert {s.topic for s in same.plan.sessions if s.done} >= {"1.3"}
    with pytest.raises(PlannerError, match=r"--rename 9\.9=1\.3: 9\.9 is not a topic"):
        replan(changed, first, report, now=date(2027, 2, 1), renames={"9.9": "1.3"})
