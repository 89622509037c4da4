"""`planner whatif`: honest budgets (asked and reached), the least weekly hours for a
goal by a date (checked by planning), and a chart people read."""

from __future__ import annotations

import re
import struct
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from planner.cli.app import app
from planner.inputs.plan_inputs import PlanInputs
from planner.models.profile import Profile
from planner.output.whatif_report import failed_budgets
from planner.planning.least_hours import STEP_HOURS, least_weekly_hours
from planner.planning.pipeline import make_plan
from planner.planning.scaling import scaled_profile, weekly_minutes
from planner.planning.whatif import WhatIfRow, what_if

TODAY = date(2027, 1, 1)
runner = CliRunner()


def with_profile(inputs: PlanInputs, **changes: Any) -> PlanInputs:
    fields = inputs.profile.model_dump(by_alias=True)
    fields.update(changes)
    return inputs.with_profile(Profile.model_validate(fields))


def reached(inputs: PlanInputs, hours: float, goal: str) -> date:
    plan = make_plan(inputs.with_profile(scaled_profile(inputs.profile, hours)), today=TODAY).plan
    (report,) = [g for g in plan.goals if g.goal == goal]
    assert report.reached is not None
    return report.reached.date()


def test_the_least_weekly_hours_for_a_goal_by_a_date_are_checked_and_least(
    inputs: PlanInputs,
) -> None:
    goal_inputs = with_profile(inputs, goals=["6.3"])
    by = date(2027, 2, 14)
    answer = least_weekly_hours(goal_inputs, by=by, goal="6.3", today=TODAY)
    assert answer.hours_per_week is not None and answer.reached is not None
    assert answer.current_hours_per_week == 8
    assert answer.hours_per_week > 8  # the example week reaches 6.3 on 2027-02-27
    assert answer.reached.date() <= by
    assert reached(goal_inputs, answer.hours_per_week, "6.3") <= by
    assert reached(goal_inputs, answer.hours_per_week - STEP_HOURS, "6.3") > by


def test_whatif_says_when_the_windows_cannot_be_scaled_that_far(inputs: PlanInputs) -> None:
    answer = least_weekly_hours(inputs, by=date(2027, 1, 20), today=TODAY)
    assert answer.hours_per_week is None
    assert answer.problem is not None
    assert answer.problem.startswith(f"even at {answer.most_hours_per_week:g} h a week")
    assert "at most 12 h each and never into the next one" in answer.problem


def test_asked_and_reached_budgets_are_both_shown_with_the_reason(inputs: PlanInputs) -> None:
    """Regression: asking 1 h a week showed "scaled 2" and 3 showed "2.5" with no word."""
    rows = what_if(inputs, [1, 3, 100], today=TODAY)
    low, exact, high = rows
    assert (low.hours_per_week, low.scaled_hours_per_week) == (1, 3)
    assert low.note is not None and "each at least one session of 60 min" in low.note
    assert (exact.hours_per_week, exact.scaled_hours_per_week, exact.note) == (3, 3, None)
    assert high.scaled_hours_per_week == 36  # three windows of 12 h
    assert high.note is not None and "none longer than 12 h" in high.note
    assert weekly_minutes(scaled_profile(inputs.profile, 3)) == 3 * 60


def test_budgets_without_a_plan_are_listed_with_why() -> None:
    rows = [
        WhatIfRow(8, 8, None, {}, problem="profile: 300 h do not fit"),
        WhatIfRow(1, 3, None, {}, note="the least your 3 windows hold"),
    ]
    assert failed_budgets(rows) == [
        "* 1 h asked, 3 h reached: the least your 3 windows hold",
        "No plan at 8 h a week: profile: 300 h do not fit",
    ]


def png_size(path: Path) -> tuple[int, int]:
    width, height = struct.unpack(">II", path.read_bytes()[16:24])
    return width, height


def test_the_chart_is_large_labelled_and_in_both_formats(tmp_path: Path) -> None:
    profile = tmp_path / "me.yaml"
    example = (Path(__file__).parent.parent / "data" / "profiles" / "example.yaml").read_text()
    profile.write_text(example + "goals: [{topic: '6.3', by: 2027-04-30}]\ndeadline: 2027-12-31\n")
    svg, png = tmp_path / "w.svg", tmp_path / "w.png"
    result = runner.invoke(
        app,
        ["whatif", "--profile", str(profile), "--hours-per-week", "6,10",
         "--chart", str(svg), "--chart", str(png)],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "h/week asked" in result.stdout and "h/week reached" in result.stdout
    assert "Goal 6.3 FastAPI" in result.stdout
    assert png_size(png) >= (1200, 700)
    text = svg.read_text()
    width, height = (float(re.search(rf'{key}="([\d.]+)pt"', text)[1]) * 96 / 72  # type: ignore[index]
                     for key in ("width", "height"))  # fmt: skip
    assert width >= 1200 and height >= 700
    assert "6.3 FastAPI" in text and "everything" in text  # goals by title
    assert "deadline 2027-12-31" in text and "6.3 FastAPI by 2027-04-30" in text
    # Every point of every line carries its date: 2 budgets x 2 lines.
    assert len(re.findall(r">20\d\d-\d\d-\d\d<", text)) >= 4


def test_whatif_by_a_date_answers_on_the_command_line() -> None:
    result = runner.invoke(app, ["whatif", "--goal", "6.3", "--by", "2027-02-14"])
    assert result.exit_code == 0, result.output
    assert "To reach 6.3 FastAPI by 2027-02-14 you need at least" in result.stdout
    assert "more than your windows hold now, 8 h); then it is reached" in result.stdout
    assert "Each budget was checked by planning" in result.stdout


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--goal", "FastAPI", "--by", "2027-06-30"], "did you mean 6.3 FastAPI?"),
        (["--by", "30/06/2027"], "--by: '30/06/2027' is not a date: write it as YYYY-MM-DD"),
        (["--hours-per-week", "4,x"], "--hours-per-week: '4,x' is not a list like 4,6,8"),
    ],
)
def test_whatif_refuses_bad_input_clearly(
    tmp_path: Path, arguments: list[str], message: str
) -> None:
    chart = tmp_path / "w.svg"
    result = runner.invoke(app, ["whatif", *arguments, "--chart", str(chart)])
    assert result.exit_code == 1
    assert message in result.stderr and "Traceback" not in result.output
    assert not chart.exists()
