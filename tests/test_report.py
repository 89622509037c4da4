"""What `planner plan` prints, line by line: the guide's example word for word, and
each way a goal, the deadline and the distance from the earliest finish can read.
(The whole summaries of a plan and its re-plan are golden files: tests/test_golden.py.)"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from rich.text import Text
from typer.testing import CliRunner

from planner.cli.app import app
from planner.inputs.loading import load_prerequisites, load_profile, load_roadmap
from planner.inputs.plan_inputs import PlanInputs
from planner.models.plan import GoalReport, Plan, SolverReport
from planner.output.report import goal_and_deadline_lines, plan_summary
from planner.planning.pipeline import make_plan

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"


def readme_block(first_words: str) -> str:
    """The guide's code block (docs/get-started.md) that starts with `first_words`,
    whitespace collapsed."""
    readme = (ROOT / "docs" / "get-started.md").read_text()
    found = re.search(rf"```\n({re.escape(first_words)}.*?)```", readme, flags=re.DOTALL)
    assert found is not None, f"no block starting {first_words!r} in docs/get-started.md"
    return " ".join(found[1].split())


def test_the_guides_summary_is_what_the_command_prints(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        app,
        ["plan", "--profile", str(FIXTURES / "sao-paulo-profile.yaml"),
         "--ics", str(tmp_path / "plan.ics")],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    before_the_table = result.stdout.split("\nSections")[0]
    expected = readme_block("Python Backend Developer Roadmap: 235 hours")
    assert " ".join(before_the_table.split()) == expected


@pytest.fixture(scope="module")
def tiny() -> tuple[PlanInputs, Plan]:
    """The three-topic roadmap, planned: 1.1 and 1.2 (section 1), then 2.1."""
    inputs = PlanInputs(
        load_roadmap(FIXTURES / "tiny-roadmap.yaml"),
        load_prerequisites(FIXTURES / "tiny-prerequisites.yaml"),
        load_profile(FIXTURES / "dst-fallback-profile.yaml"),
    )
    return inputs, make_plan(inputs, today=date(2027, 10, 25)).plan


def lines_of(plan: Plan, inputs: PlanInputs, **changes: Any) -> list[str]:
    changed = plan.model_copy(update=changes)
    return [line.plain for line in goal_and_deadline_lines(changed, inputs.roadmap)
            if isinstance(line, Text)]  # fmt: skip


def goal(topic: str, reached: datetime | None, earliest: datetime | None, by: date | None) -> Any:
    return GoalReport(goal=topic, reached=reached, earliest=earliest, by=by)


def test_goal_lines_say_when_against_the_earliest_and_the_date(
    tiny: tuple[PlanInputs, Plan],
) -> None:
    inputs, plan = tiny
    finish = plan.finish
    assert finish is not None
    day = finish.date()
    early = finish - timedelta(hours=2)
    goals = (
        goal("1", finish, finish, None),  # a section, by its title
        goal("1.2", finish, early, day + timedelta(days=1)),
        goal("2.1", finish, None, day - timedelta(days=1)),
        goal("1.1", None, None, day),  # reported done before this plan
    )
    assert lines_of(plan, inputs, goals=goals) == [
        f"Goal 1 Basics: reached {finish:%a %Y-%m-%d %H:%M} (the earliest possible)",
        f"Goal 1.2 Next Steps: reached {finish:%a %Y-%m-%d %H:%M} (the earliest possible is "
        f"{early:%a %Y-%m-%d %H:%M}; by {day + timedelta(days=1)}, 1 day to spare)",
        f"Goal 2.1 Practice: reached {finish:%a %Y-%m-%d %H:%M} (the earliest possible; "
        f"by {day - timedelta(days=1)}: missed by 1 day)",
        "Goal 1.1 First Steps: already reached",
    ]


@pytest.mark.parametrize(
    ("days_after_the_finish", "verdict"),
    [(0, "0 days to spare"), (1, "1 day to spare"), (2, "2 days to spare"),
     (-1, ": missed by 1 day"), (-3, ": missed by 3 days")],
)  # fmt: skip
def test_the_deadline_line_counts_the_days_either_way(
    tiny: tuple[PlanInputs, Plan], days_after_the_finish: int, verdict: str
) -> None:
    inputs, plan = tiny
    assert plan.finish is not None
    deadline = plan.finish.date() + timedelta(days=days_after_the_finish)
    separator = "" if verdict.startswith(":") else ", "
    assert lines_of(plan, inputs, deadline=deadline) == [
        f"Deadline {deadline}: by {deadline}{separator}{verdict}"
    ]


@pytest.mark.parametrize(
    ("earlier_by", "distance"),
    [
        (timedelta(0), "the earliest your windows allow"),
        (timedelta(minutes=30), "0.5 hours after the earliest possible"),
        (timedelta(hours=1), "1 hour after the earliest possible"),
        (timedelta(days=2, hours=3), "2 days after the earliest possible"),
    ],
)
def test_the_finish_line_says_how_far_from_the_earliest_possible(
    tiny: tuple[PlanInputs, Plan], earlier_by: timedelta, distance: str
) -> None:
    inputs, plan = tiny
    assert plan.finish is not None
    bound = plan.finish - earlier_by
    unproven = plan.solver.model_copy(update={"finish_proven_optimal": not earlier_by})
    expected = f"Finish: {plan.finish:%a %Y-%m-%d %H:%M}, {distance}"
    if earlier_by:
        expected += (
            f" ({bound:%a %Y-%m-%d %H:%M}), where session lengths, prerequisites and the "
            "order leave gaps"
        )
    assert finish_line_of(plan, inputs, bound, unproven) == expected


def test_the_finish_line_says_when_no_plan_finishes_sooner_than_a_late_finish(
    tiny: tuple[PlanInputs, Plan],
) -> None:
    # Our finish bound (fit_bound.py) proved it: the windows' lengths, not the search.
    inputs, plan = tiny
    assert plan.finish is not None
    bound = plan.finish - timedelta(hours=1)
    proven = plan.solver.model_copy(update={"finish_proven_optimal": True})
    assert finish_line_of(plan, inputs, bound, proven) == (
        f"Finish: {plan.finish:%a %Y-%m-%d %H:%M}, the earliest any plan can finish: 1 hour "
        f"after the hours alone would fit ({bound:%a %Y-%m-%d %H:%M}), where session lengths "
        "leave window time unused"
    )


def finish_line_of(plan: Plan, inputs: PlanInputs, bound: datetime, solver: SolverReport) -> str:
    update = {"lower_bound_finish": bound, "solver": solver}
    summary = plan_summary(plan.model_copy(update=update), inputs.roadmap, 0.0)
    return next(
        line.plain for line in summary.renderables
        if isinstance(line, Text) and line.plain.startswith("Finish:")
    )  # fmt: skip
