"""`planner whatif`: when would I finish at other weekly budgets, and how many hours a
week do I need to reach a goal by a date?"""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import ExitStack
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from pydantic import TypeAdapter, ValidationError
from rich.markup import escape

from planner.cli.common import (
    BusyOption,
    PrerequisitesOption,
    ProfileOption,
    RoadmapOption,
    fail,
    parse_day,
    plan_inputs,
    stdout,
    working,
)
from planner.cli.startup import lasting_imports
from planner.errors import PlannerError
from planner.inputs.plan_inputs import PlanInputs
from planner.models.fields import MAX_WEEKLY_HOURS, MIN_WEEKLY_HOURS, WeeklyHours
from planner.models.forecast import FinishedTopic
from planner.timeline.clock import now_in

if TYPE_CHECKING:
    from planner.models.plan import Plan


def whatif(
    profile: ProfileOption = None,
    roadmap: RoadmapOption = None,
    prerequisites: PrerequisitesOption = None,
    hours_per_week: Annotated[
        str, typer.Option(metavar="4,6,8", help="Weekly budgets to try, comma-separated.")
    ] = "4,6,8,10,15",
    chart: Annotated[
        list[Path] | None,
        typer.Option(
            metavar="FILE",
            help="Write the chart here: .svg or .png (give it twice for both). Default: "
            "whatif.svg; none with --by unless you ask.",
        ),
    ] = None,
    goal: Annotated[
        str | None,
        typer.Option("--goal", metavar="ID", help="A topic or section to reach first (e.g. 6.3)."),
    ] = None,
    by: Annotated[
        str | None,
        typer.Option(
            "--by",
            metavar="YYYY-MM-DD",
            help="Answer instead: the least hours a week that reach --goal (or everything) "
            "by this day, YYYY-MM-DD.",
        ),
    ] = None,
    busy: BusyOption = None,
    plan: Annotated[
        Path | None,
        typer.Option(
            "--plan",
            metavar="PLAN.json",
            help="Your plan (the JSON of plan or replan): its profile (unless --profile "
            "gives one) and the pace it learned from your progress, which sets the columns "
            "'Most likely' and '9 in 10 by'. Default: the estimates, with their usual spread.",
        ),
    ] = None,
) -> None:
    """Finish dates at other weekly budgets, or the hours a goal needs.

    Scales your own windows to each budget and plans it; prints a table and draws a
    chart. With --by: the least hours a week that reach --goal (or everything) by then,
    each budget checked by planning.

    \b
    Examples:
      planner whatif --profile me.yaml --hours-per-week 4,6,8,10 --chart w.svg --chart w.png
      planner whatif --profile me.yaml --goal 6.3 --by 2027-06-30
      planner whatif --profile me.yaml --by 2027-12-31
      planner whatif --plan plan.json   # your plan's week, at your own pace
    """
    from planner.output.chart import CHART_SUFFIXES

    try:
        charts = chart if chart else ([] if by else [Path("whatif.svg")])
        for path in charts:
            if path.suffix.lower() not in CHART_SUFFIXES:
                raise PlannerError(f"--chart: {path}: the chart is written as .svg or .png")
        with ExitStack() as stack:
            inputs = plan_inputs(stack, roadmap, prerequisites, profile, list(charts), busy)
        made = _plan_for(plan, inputs) if plan is not None else None
        if made is not None and profile is None and made.profile is not None:
            inputs = inputs.with_profile(made.profile)  # the plan's learner, not the example
        if by is not None:
            _least_hours(inputs, goal, parse_day(by, "--by"), charts)
        else:
            finished = made.forecast.finished if made and made.forecast else ()
            _table(inputs, goal, _parse_budgets(hours_per_week), charts, finished)
    except PlannerError as error:
        raise fail(error) from None
    if charts:
        written = ", ".join(str(path) for path in charts)
        stdout.print(f"Wrote {escape(written)}", highlight=False, soft_wrap=True)


def _plan_for(path: Path, inputs: PlanInputs) -> Plan:
    """The plan at `path`, checked against the roadmap: its profile (unless --profile
    says otherwise) and the finished topics it learned its pace from."""
    from planner.cli.daily import load_plan_file
    from planner.inputs.loading import require_plan_for

    plan = load_plan_file(path)
    require_plan_for(plan, inputs.roadmap, path)
    return plan


def _table(
    inputs: PlanInputs,
    goal: str | None,
    budgets: list[float],
    charts: list[Path],
    finished: Sequence[FinishedTopic] = (),
) -> None:
    with lasting_imports():
        from planner.models.goals import ProfileGoal
        from planner.output.chart import write_chart
        from planner.output.forecast_report import pace_words
        from planner.output.whatif_report import failed_budgets, forecast_by_budget, whatif_table
        from planner.planning.pace import learn_pace
        from planner.planning.whatif import what_if

    if goal is not None and goal not in inputs.profile.goal_ids:
        goals = (ProfileGoal(topic=goal), *inputs.profile.goals)
        inputs = inputs.with_profile(inputs.profile.model_copy(update={"goals": goals}))
    with working("Planning each budget…"):
        today = now_in(inputs.profile.zone).date()
        rows = what_if(inputs, budgets, today=today, finished=finished)
    stdout.print(whatif_table(rows, inputs.roadmap))
    learned = learn_pace(finished, inputs.roadmap)
    for line in forecast_by_budget(rows, pace_words(learned.pace, len(finished))):
        stdout.print(escape(line), highlight=False, soft_wrap=True)
    for line in failed_budgets(rows):
        stdout.print(escape(line), style="yellow", highlight=False, soft_wrap=True)
    if charts:
        write_chart(rows, charts, inputs)


def _least_hours(inputs: PlanInputs, goal: str | None, by: date, charts: list[Path]) -> None:
    with lasting_imports():
        from planner.models.goals import ProfileGoal
        from planner.output.whatif_report import least_hours_answer
        from planner.planning.least_hours import by_day_problem, least_weekly_hours

    today = now_in(inputs.profile.zone).date()  # the learner's today, in their zone
    if (problem := by_day_problem(by, today)) is not None:
        raise PlannerError(f"--by {by} {problem}")
    with working("Searching the least weekly hours…"):
        answer = least_weekly_hours(inputs, by=by, goal=goal, today=today)
    stdout.print(least_hours_answer(answer, inputs.roadmap), highlight=False, soft_wrap=True)
    if charts and answer.hours_per_week is not None:
        # The chart draws the date asked about: as the goal's date, or as the deadline.
        profile = inputs.profile
        if goal is None:
            profile = profile.model_copy(update={"deadline": by})
        else:
            others = tuple(g for g in profile.goals if g.topic != goal)
            profile = profile.model_copy(
                update={"goals": (ProfileGoal(topic=goal, by=by), *others)}
            )
        budgets = sorted({answer.current_hours_per_week, answer.hours_per_week})
        _table(inputs.with_profile(profile), goal, budgets, charts)


def _parse_budgets(text: str) -> list[float]:
    try:
        budgets = [float(part) for part in text.split(",") if part.strip()]
    except ValueError:
        raise PlannerError(f"--hours-per-week: {text!r} is not a list like 4,6,8") from None
    if not budgets:
        raise PlannerError(f"--hours-per-week: {text!r} is not a list like 4,6,8")
    try:
        return TypeAdapter(list[WeeklyHours]).validate_python(budgets)
    except ValidationError:
        raise PlannerError(
            f"--hours-per-week: {text!r}: give budgets between {MIN_WEEKLY_HOURS:g} and "
            f"{MAX_WEEKLY_HOURS:g} h"
        ) from None
