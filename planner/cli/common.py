"""What the commands share: the console, the file options, loading the plan inputs,
writing the calendar and JSON, and turning a PlannerError into a clear message."""

from __future__ import annotations

from contextlib import AbstractContextManager, ExitStack, nullcontext
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.markup import escape

from planner.cli.startup import lasting_imports
from planner.errors import PlannerError, PlanValidationError
from planner.inputs.loading import bundled_file, load_prerequisites, load_profile, load_roadmap
from planner.inputs.plan_inputs import PlanInputs
from planner.models.busy import BusySource
from planner.models.plan import Plan
from planner.models.profile import Profile
from planner.models.roadmap import Roadmap
from planner.output.files import write_all_or_nothing

if TYPE_CHECKING:
    from planner.inputs.busy_calendar import BusyCalendar

# No emoji codes: a title like "Ports :8000:" is text (and the code table stays unloaded).
stdout = Console(emoji=False)
stderr = Console(stderr=True, emoji=False)

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
        help="Your profile YAML: time zone, weekly windows, blackouts and holidays, session "
        "rules, hours, pace, skips, goals (with dates), deadline, caps (every key: the "
        "guide's Profile keys). "
        "Default: the bundled example (data/profiles/example.yaml).",
    ),
]

VerboseOption = Annotated[
    bool,
    typer.Option("--verbose", help="Also say how the solver did (status, bounds, time)."),
]
BusyOption = Annotated[
    list[str] | None,
    typer.Option(
        "--busy",
        metavar="ICS",
        help="A calendar of yours (.ics file, or an http/https/webcal URL such as Google's "
        "secret iCal address): its events are not study time. Repeatable; adds to the "
        "profile's `busy` list.",
    ),
]


BUG_REPORT = (
    "This is a bug in the planner, not in your files: please report it with the command "
    "and its files."
)


def fail(error: PlannerError) -> typer.Exit:
    # Escaped: a file name or topic id like "[red]" is text, not rich markup.
    stderr.print(f"[bold red]error:[/] {escape(str(error))}", highlight=False, soft_wrap=True)
    if isinstance(error, PlanValidationError):  # the guard after every solve: our bug
        stderr.print(BUG_REPORT, highlight=False, soft_wrap=True)
        return typer.Exit(code=70)  # EX_SOFTWARE: an internal error, not bad input
    return typer.Exit(code=1)


def warn(warning: str) -> None:
    stderr.print(f"[yellow]warning:[/] {escape(warning)}", highlight=False, soft_wrap=True)


def working(message: str) -> AbstractContextManager[object]:
    """A spinner on stderr while the planner works, where someone sees it: in a terminal
    (piped or in a script, rich's live display would only cost time)."""
    return stderr.status(message, spinner="dots") if stderr.is_terminal else nullcontext()


def or_bundled(path: Path | None, name: str, stack: ExitStack) -> Path:
    return path if path is not None else stack.enter_context(bundled_file(name))


def plan_inputs(
    stack: ExitStack,
    roadmap: Path | None,
    prerequisites: Path | None,
    profile: Path | Profile | None,
    outputs: list[Path | None],
    busy: list[str] | None = None,
    profile_folder: Path | None = None,
) -> PlanInputs:
    """The files to plan from (the bundled ones where none is given; `profile` may be
    one already read, such as a plan's own, whose busy files are then read relative to
    `profile_folder`), loaded, after making sure no output would overwrite one of them;
    the busy calendars read (the profile's, relative to its folder, and `busy` from the
    command line)."""
    roadmap_path = or_bundled(roadmap, "roadmap.yaml", stack)
    prerequisites_path = or_bundled(prerequisites, "prerequisites.yaml", stack)
    if isinstance(profile, Profile):
        profile_path: Path | str = "the plan's profile"
        loaded_profile = profile
        folder = profile_folder or Path.cwd()
        refuse_to_overwrite_inputs(outputs, [roadmap_path, prerequisites_path])
    else:
        profile_path = or_bundled(profile, "profiles/example.yaml", stack)
        folder = profile_path.parent
        refuse_to_overwrite_inputs(outputs, [roadmap_path, prerequisites_path, profile_path])
        loaded_profile = load_profile(profile_path)
    return PlanInputs(
        roadmap=load_roadmap(roadmap_path),
        prerequisites=load_prerequisites(prerequisites_path),
        profile=loaded_profile,
        prerequisites_path=prerequisites_path,
        profile_path=profile_path,
        roadmap_path=roadmap_path,
        busy=_busy_calendar(loaded_profile.busy, folder, busy or [], outputs),
    )


def _busy_calendar(
    in_profile: tuple[BusySource, ...],
    profile_folder: Path,
    given: list[str],
    outputs: list[Path | None],
) -> BusyCalendar:
    """The busy calendars read now (files and URLs), none overwritten by an output."""
    from planner.inputs.busy_calendar import BusyCalendar, read_busy_sources

    if not in_profile and not given:  # the usual case: no HTTP client to load
        return BusyCalendar(())
    from planner.inputs.busy_fetch import FetchLimits

    on_command_line = tuple(BusySource(ics=location) for location in given)
    local = [profile_folder / s.ics for s in in_profile if not s.is_url]
    local += [Path(s.ics) for s in on_command_line if not s.is_url]
    refuse_to_overwrite_inputs(outputs, local)
    limits = FetchLimits()
    return BusyCalendar(
        read_busy_sources(in_profile, base_dir=profile_folder, limits=limits)
        + read_busy_sources(on_command_line, base_dir=Path.cwd(), limits=limits)
    )


def write_plan(plan: Plan, roadmap: Roadmap, ics_path: Path, json_path: Path | None) -> str:
    """Write the calendar (and the JSON), both or neither; say what was written."""
    with lasting_imports():
        from planner.output.ics import plan_to_calendar

    if json_path is not None and json_path.resolve() == ics_path.resolve():
        raise PlannerError(f"{ics_path}: --ics and --json name the same file")
    files = {ics_path: plan_to_calendar(plan, roadmap).to_ical()}
    if json_path is not None:
        files[json_path] = plan.to_json().encode()
    write_all_or_nothing(files)
    described = [f"{ics_path} ({len(plan.sessions)} events)"]
    return ", ".join(described + ([str(json_path)] if json_path is not None else []))


def parse_day(text: str, option: str = "--start") -> date:
    """A YYYY-MM-DD day given on the command line as `option`."""
    from pydantic import TypeAdapter, ValidationError

    from planner.models.fields import PlanningDay

    try:
        return TypeAdapter(PlanningDay).validate_python(date.fromisoformat(text))
    except ValueError as error:
        problem = (
            str(error.errors()[0]["msg"]).removeprefix("Value error, ")
            if isinstance(error, ValidationError)
            else None
        )
        raise PlannerError(
            f"{option}: {problem or f'{text!r} is not a date: write it as YYYY-MM-DD'}"
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
