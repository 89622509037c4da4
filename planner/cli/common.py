"""What the commands share: the console, the file options, loading the plan inputs,
writing the calendar and JSON, and turning a PlannerError into a clear message."""

from __future__ import annotations

from contextlib import ExitStack
from datetime import date
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape

from planner.errors import PlannerError
from planner.inputs.loading import bundled_file, load_prerequisites, load_profile, load_roadmap
from planner.inputs.plan_inputs import PlanInputs
from planner.models.plan import Plan
from planner.models.roadmap import Roadmap
from planner.output.files import write_all_or_nothing

stdout = Console()
stderr = Console(stderr=True)

RoadmapOption = Annotated[
    Path | None,
    typer.Option(
        "--roadmap", help="Roadmap YAML (sections, topics, hours). Default: the bundled one."
    ),
]
PrerequisitesOption = Annotated[
    Path | None,
    typer.Option(
        "--prerequisites",
        help="Prerequisite edges YAML (before/after/why). Default: the bundled one.",
    ),
]

ProfileOption = Annotated[
    Path | None,
    typer.Option(
        "--profile",
        help="Your profile YAML: time zone, weekly windows, blackouts, session rules. "
        "Default: the bundled example (data/profiles/example.yaml).",
    ),
]


def fail(error: PlannerError) -> typer.Exit:
    # Escaped: a file name or topic id like "[red]" is text, not rich markup.
    stderr.print(f"[bold red]error:[/] {escape(str(error))}", highlight=False, soft_wrap=True)
    return typer.Exit(code=1)


def warn(warning: str) -> None:
    stderr.print(f"[yellow]warning:[/] {escape(warning)}", highlight=False, soft_wrap=True)


def or_bundled(path: Path | None, name: str, stack: ExitStack) -> Path:
    return path if path is not None else stack.enter_context(bundled_file(name))


def plan_inputs(
    stack: ExitStack,
    roadmap: Path | None,
    prerequisites: Path | None,
    profile: Path | None,
    outputs: list[Path | None],
) -> PlanInputs:
    """The files to plan from (the bundled ones where none is given), loaded, after
    making sure no output would overwrite one of them."""
    roadmap_path = or_bundled(roadmap, "roadmap.yaml", stack)
    prerequisites_path = or_bundled(prerequisites, "prerequisites.yaml", stack)
    profile_path = or_bundled(profile, "profiles/example.yaml", stack)
    refuse_to_overwrite_inputs(outputs, [roadmap_path, prerequisites_path, profile_path])
    return PlanInputs(
        roadmap=load_roadmap(roadmap_path),
        prerequisites=load_prerequisites(prerequisites_path),
        profile=load_profile(profile_path),
        prerequisites_path=prerequisites_path,
        profile_path=profile_path,
    )


def write_plan(plan: Plan, roadmap: Roadmap, ics_path: Path, json_path: Path | None) -> str:
    """Write the calendar (and the JSON), both or neither; say what was written."""
    from planner.output.ics import plan_to_calendar

    if json_path is not None and json_path.resolve() == ics_path.resolve():
        raise PlannerError(f"{ics_path}: --ics and --json name the same file")
    files = {ics_path: plan_to_calendar(plan, roadmap).to_ical()}
    if json_path is not None:
        files[json_path] = plan.to_json().encode()
    write_all_or_nothing(files)
    described = [f"{ics_path} ({len(plan.sessions)} events)"]
    return ", ".join(described + ([str(json_path)] if json_path is not None else []))


def parse_day(text: str) -> date:
    from pydantic import TypeAdapter, ValidationError

    from planner.models.fields import PlanningDay

    try:
        return TypeAdapter(PlanningDay).validate_python(date.fromisoformat(text))
    except ValueError as error:
        problem = error.errors()[0]["msg"] if isinstance(error, ValidationError) else None
        raise PlannerError(
            f"--start: {problem or f'{text!r} is not a date like 2027-01-04'}"
        ) from None


def parse_plan_id(text: str) -> str:
    from pydantic import TypeAdapter, ValidationError

    from planner.models.plan import PlanId

    try:
        return TypeAdapter(PlanId).validate_python(text)
    except ValidationError:
        raise PlannerError(
            f"--plan-id: {text!r}: use 1 to 40 letters, digits, '-' or '_'"
        ) from None


def refuse_to_overwrite_inputs(outputs: list[Path | None], inputs: list[Path]) -> None:
    resolved_inputs = {path.resolve() for path in inputs}
    for output in outputs:
        if output is not None and output.resolve() in resolved_inputs:
            raise PlannerError(f"{output}: refusing to overwrite an input file with the output")
