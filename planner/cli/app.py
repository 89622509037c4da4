"""`planner`: the command line. Thin: parse options, call the planner, print, write files.

Each command imports what it needs when it runs, so `planner --help` and the light
commands do not wait for OR-Tools, the web stack or plotting.
"""

from __future__ import annotations

from contextlib import ExitStack
from datetime import date
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from planner.cli.common import (
    PrerequisitesOption,
    ProfileOption,
    RoadmapOption,
    fail,
    or_bundled,
    parse_day,
    parse_plan_id,
    plan_inputs,
    refuse_to_overwrite_inputs,
    stderr,
    stdout,
    warn,
    write_plan,
)
from planner.cli.service import publish, serve
from planner.errors import PlannerError
from planner.inputs.loading import load_prerequisites, load_roadmap

app = typer.Typer(
    help="Turn a learning roadmap into a study calendar that fits your week.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def plan(
    roadmap: RoadmapOption = None,
    prerequisites: PrerequisitesOption = None,
    profile: ProfileOption = None,
    json_path: Annotated[
        Path | None, typer.Option("--json", help="Also write the plan as JSON to this file.")
    ] = None,
    ics_path: Annotated[
        Path, typer.Option("--ics", help="Write the calendar (.ics) to this file.")
    ] = Path("plan.ics"),
    start: Annotated[
        str | None,
        typer.Option(
            "--start", help="First day to plan, YYYY-MM-DD (default: the profile's, or today)."
        ),
    ] = None,
    plan_id: Annotated[
        str | None,
        typer.Option(
            "--plan-id",
            help="The plan's identity in its event UIDs (letters, digits, - and _). Reuse "
            "an earlier plan's id to replace that plan's events in your calendar; default: "
            "derived from the roadmap, the profile and the start day.",
        ),
    ] = None,
) -> None:
    """Plan the roadmap into your week and write a calendar you can import or subscribe to."""
    # Imported here, not at the top: `planner --help` should not wait for OR-Tools.
    from planner.output.report import plan_summary
    from planner.planning.deadline import require_deadline
    from planner.planning.pipeline import make_plan

    try:
        with ExitStack() as stack:
            inputs = plan_inputs(stack, roadmap, prerequisites, profile, [ics_path, json_path])
            if start is not None:
                inputs = inputs.with_start(parse_day(start))
            chosen_id = parse_plan_id(plan_id) if plan_id is not None else None
            with stderr.status("Planning…", spinner="dots"):
                result = make_plan(inputs, today=date.today(), plan_id=chosen_id)
                result = require_deadline(inputs, result, today=date.today())
            for warning in result.warnings:
                warn(warning)
            written = write_plan(result.plan, inputs.roadmap, ics_path, json_path)
    except PlannerError as error:
        raise fail(error) from None
    stdout.print(plan_summary(result.plan, inputs.roadmap, result.seconds))
    stdout.print(f"Wrote {escape(written)}", highlight=False, soft_wrap=True)


def replan(
    previous: Annotated[
        Path,
        typer.Option("--previous", help="The plan to start from: a JSON file from `plan --json`."),
    ],
    progress: Annotated[
        Path,
        typer.Option(
            "--progress",
            help="What happened: as_of, done, hours, skipped, missed (see README).",
        ),
    ],
    roadmap: RoadmapOption = None,
    prerequisites: PrerequisitesOption = None,
    profile: ProfileOption = None,
    json_path: Annotated[
        Path | None,
        typer.Option("--json", help="Write the new plan as JSON (keep it for the next re-plan)."),
    ] = None,
    ics_path: Annotated[
        Path, typer.Option("--ics", help="Write the new calendar (.ics) to this file.")
    ] = Path("plan.ics"),
) -> None:
    """Plan again from today after missed weeks or early finishes; say what changed."""
    from planner.inputs.loading import load_plan, load_progress
    from planner.output.report import changes_summary
    from planner.planning.replan import replan as replan_plan

    try:
        with ExitStack() as stack:
            # --json may replace --previous (the new plan supersedes it); --ics may not.
            refuse_to_overwrite_inputs([ics_path], [previous])
            refuse_to_overwrite_inputs([ics_path, json_path], [progress])
            inputs = plan_inputs(stack, roadmap, prerequisites, profile, [ics_path, json_path])
            previous_plan = load_plan(previous)
            reported = load_progress(progress)
            with stderr.status("Re-planning…", spinner="dots"):
                result = replan_plan(
                    inputs,
                    previous_plan,
                    reported,
                    previous_path=previous,
                    progress_path=progress,
                    today=date.today(),
                )
            for warning in result.warnings:
                warn(warning)
            written = write_plan(result.plan, inputs.roadmap, ics_path, json_path)
    except PlannerError as error:
        raise fail(error) from None
    stdout.print(changes_summary(result.plan, result.changes, result.seconds))
    stdout.print(f"Wrote {escape(written)}", highlight=False, soft_wrap=True)


def whatif(
    profile: ProfileOption = None,
    roadmap: RoadmapOption = None,
    prerequisites: PrerequisitesOption = None,
    hours_per_week: Annotated[
        str, typer.Option(help="Weekly budgets to try, comma-separated.")
    ] = "4,6,8,10,15",
    chart: Annotated[Path, typer.Option(help="Write the chart here (.svg or .png).")] = Path(
        "whatif.svg"
    ),
) -> None:
    """When would I finish (and reach my goals) at other weekly budgets? Scales your own
    windows to each budget and plans; prints a table and writes a chart."""
    from planner.output.chart import CHART_SUFFIXES, write_chart
    from planner.output.report import whatif_table
    from planner.planning.whatif import what_if

    try:
        budgets = _parse_budgets(hours_per_week)
        if chart.suffix.lower() not in CHART_SUFFIXES:
            raise PlannerError(f"--chart: {chart}: the chart is written as .svg or .png")
        with ExitStack() as stack:
            inputs = plan_inputs(stack, roadmap, prerequisites, profile, [chart])
            with stderr.status("Planning each budget…", spinner="dots"):
                rows = what_if(inputs, budgets, today=date.today())
        stdout.print(whatif_table(rows))
        write_chart(rows, chart, f"{inputs.roadmap.title}: when am I done?")
    except PlannerError as error:
        raise fail(error) from None
    stdout.print(f"Wrote {escape(str(chart))}", highlight=False, soft_wrap=True)


def _parse_budgets(text: str) -> list[float]:
    try:
        budgets = [float(part) for part in text.split(",") if part.strip()]
    except ValueError:
        raise PlannerError(f"--hours-per-week: {text!r} is not a list like 4,6,8") from None
    if not budgets or any(not 0 < budget <= 100 for budget in budgets):
        raise PlannerError(f"--hours-per-week: {text!r}: give budgets between 0 and 100 h")
    return budgets


def check(roadmap: RoadmapOption = None, prerequisites: PrerequisitesOption = None) -> None:
    """Validate a roadmap and its prerequisites: ids, hours, cycles, redundant edges."""
    from planner.inputs.graph import (
        build_graph,
        longest_chain,
        redundant_edge_warnings,
        study_order,
    )
    from planner.output.report import DataCheck, check_summary

    try:
        with ExitStack() as stack:
            roadmap_path = or_bundled(roadmap, "roadmap.yaml", stack)
            prerequisites_path = or_bundled(prerequisites, "prerequisites.yaml", stack)
            loaded_roadmap = load_roadmap(roadmap_path)
            loaded_prerequisites = load_prerequisites(prerequisites_path)
            graph = build_graph(loaded_roadmap, loaded_prerequisites, prerequisites_path)
    except PlannerError as error:
        raise fail(error) from None
    hours = {topic.id: topic.hours for topic in loaded_roadmap.topics}
    order = [topic.id for topic in loaded_roadmap.topics]
    summary = DataCheck(
        roadmap=loaded_roadmap,
        file_edges=len(loaded_prerequisites.edges),
        topic_edges=graph.number_of_edges(),
        longest_chain=longest_chain(graph, hours, study_order(graph, loaded_roadmap)),
        warnings=redundant_edge_warnings(graph, prerequisites_path),
        needs={topic: sorted(graph.predecessors(topic), key=order.index) for topic in graph},
    )
    stdout.print(check_summary(summary))


for command in (plan, replan, serve, publish, whatif, check):
    app.command()(command)
