"""`planner`: the command line. Thin: parse options, call the planner, print, write files."""

from __future__ import annotations

import copy
import os
import secrets
import tempfile
from contextlib import ExitStack
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape

from planner.errors import PlannerError
from planner.loading import bundled_file, load_prerequisites, load_profile, load_roadmap
from planner.models import Plan, Roadmap

if TYPE_CHECKING:
    from planner.planning import PlanInputs

app = typer.Typer(
    help="Turn a learning roadmap into a study calendar that fits your week.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
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


def _fail(error: PlannerError) -> typer.Exit:
    # Escaped: a file name or topic id like "[red]" is text, not rich markup.
    stderr.print(f"[bold red]error:[/] {escape(str(error))}", highlight=False, soft_wrap=True)
    return typer.Exit(code=1)


def _warn(warning: str) -> None:
    stderr.print(f"[yellow]warning:[/] {escape(warning)}", highlight=False, soft_wrap=True)


def _or_bundled(path: Path | None, name: str, stack: ExitStack) -> Path:
    return path if path is not None else stack.enter_context(bundled_file(name))


def _write_all_or_nothing(files: dict[Path, bytes]) -> None:
    """Write every file or none: each goes to a temporary file beside it first, and only
    when all are written do they replace the old ones, keeping their permissions.

    Raises:
        PlannerError: a file cannot be written (the old files are left as they were).
    """
    written: list[tuple[str, Path]] = []
    try:
        for path, content in files.items():
            path.parent.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
            written.append((temporary, path))
            with os.fdopen(handle, "wb") as file:
                file.write(content)
                os.fchmod(file.fileno(), _mode_for(path))
        for temporary, path in written:
            os.replace(temporary, path)
    except OSError as error:
        raise PlannerError(f"{error.filename or path}: cannot write ({error.strerror})") from None
    finally:
        for temporary, _path in written:
            Path(temporary).unlink(missing_ok=True)


def _mode_for(path: Path) -> int:
    """The permissions `path` has, or those a new file gets (mkstemp's are owner-only)."""
    try:
        return path.stat().st_mode & 0o777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


@app.command()
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
) -> None:
    """Plan the roadmap into your week and write a calendar you can import or subscribe to."""
    # Imported here, not at the top: `planner --help` should not wait for OR-Tools.
    from planner.planning import make_plan
    from planner.report import plan_summary

    try:
        with ExitStack() as stack:
            inputs = _plan_inputs(stack, roadmap, prerequisites, profile, [ics_path, json_path])
            if start is not None:
                inputs = inputs.with_start(_parse_day(start))
            with stderr.status("Planning…", spinner="dots"):
                result = make_plan(inputs, today=date.today())
            for warning in result.warnings:
                _warn(warning)
            written = _write_plan(result.plan, inputs.roadmap, ics_path, json_path)
    except PlannerError as error:
        raise _fail(error) from None
    stdout.print(plan_summary(result.plan, inputs.roadmap, result.seconds))
    stdout.print(f"Wrote {escape(written)}", highlight=False, soft_wrap=True)


@app.command()
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
    from planner.loading import load_plan, load_progress
    from planner.replan import replan as replan_plan
    from planner.report import changes_summary

    try:
        with ExitStack() as stack:
            # --json may replace --previous (the new plan supersedes it); --ics may not.
            _refuse_to_overwrite_inputs([ics_path], [previous])
            _refuse_to_overwrite_inputs([ics_path, json_path], [progress])
            inputs = _plan_inputs(stack, roadmap, prerequisites, profile, [ics_path, json_path])
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
                _warn(warning)
            written = _write_plan(result.plan, inputs.roadmap, ics_path, json_path)
    except PlannerError as error:
        raise _fail(error) from None
    stdout.print(changes_summary(result.plan, result.changes, result.seconds))
    stdout.print(f"Wrote {escape(written)}", highlight=False, soft_wrap=True)


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    workers: Annotated[
        int, typer.Option(min=1, help="Worker processes (each with its own solve limit).")
    ] = 1,
) -> None:
    """Run the HTTP API and the subscribable .ics feeds (uvicorn). Settings come from
    PLANNER_* environment variables (see README); API docs at /docs."""
    # The one place the planner reaches into api/: the server is started from the same
    # command learners already have.
    import uvicorn

    from api.database import make_engine, migrate
    from api.main import create_app
    from api.settings import Settings

    if "PLANNER_PUBLIC_URL" not in os.environ:  # feed links that work on this machine
        os.environ["PLANNER_PUBLIC_URL"] = f"http://{host}:{port}"
    # No access log: feed URLs carry their secret token; the app logs route templates.
    options = {"host": host, "port": port, "access_log": False, "log_config": _log_config()}
    if workers == 1:
        uvicorn.run(create_app(Settings()), **options)  # type: ignore[arg-type]
        return
    engine = make_engine(Settings())  # once, before the workers start
    migrate(engine)
    engine.dispose()
    # Workers import the app by name and read their settings from the environment.
    uvicorn.run("api.main:create_app", factory=True, workers=workers, **options)  # type: ignore[arg-type]


def _log_config() -> dict[str, Any]:
    """uvicorn's logging, plus the service's JSON lines as they are (in every worker)."""
    from uvicorn.config import LOGGING_CONFIG

    config = copy.deepcopy(LOGGING_CONFIG)
    config["formatters"]["plain"] = {"format": "%(message)s"}
    config["handlers"]["plain"] = {
        "formatter": "plain",
        "class": "logging.StreamHandler",
        "stream": "ext://sys.stderr",
    }
    config["loggers"]["planner.api"] = {"handlers": ["plain"], "level": "INFO", "propagate": False}
    return config


@app.command()
def publish(
    plan_path: Annotated[
        Path, typer.Option("--plan", help="The plan JSON (from `plan --json` or `replan --json`).")
    ],
    directory: Annotated[
        Path, typer.Option("--dir", help="Folder to publish to (upload it to any static host).")
    ],
    roadmap: RoadmapOption = None,
    rotate: Annotated[
        bool, typer.Option(help="Publish under a new name; the old one is deleted.")
    ] = False,
) -> None:
    """Write the plan's calendar into a folder under an unguessable file name, for a
    feed without a server. The name stays the same on every publish (so subscriptions
    keep working) until you --rotate it."""
    from planner.ics import plan_to_calendar
    from planner.loading import load_plan

    try:
        with ExitStack() as stack:
            loaded_roadmap = load_roadmap(_or_bundled(roadmap, "roadmap.yaml", stack))
            plan = load_plan(plan_path)
            if plan.roadmap != loaded_roadmap.id:
                raise PlannerError(
                    f"{plan_path}: this plan is for roadmap {plan.roadmap!r}, "
                    f"not {loaded_roadmap.id!r}"
                )
            name_file = directory / FEED_NAME_FILE
            old_name = name_file.read_text().strip() if name_file.is_file() else None
            name = f"{secrets.token_urlsafe(24)}.ics" if rotate or not old_name else old_name
            calendar = plan_to_calendar(plan, loaded_roadmap).to_ical()
            _write_all_or_nothing({directory / name: calendar, name_file: name.encode()})
            if old_name and old_name != name:
                (directory / old_name).unlink(missing_ok=True)
    except PlannerError as error:
        raise _fail(error) from None
    stdout.print(
        f"Wrote {escape(str(directory / name))} ({len(plan.sessions)} events). Upload "
        f"{escape(str(directory))} to a static host and subscribe to https://<host>/{name}",
        highlight=False,
        soft_wrap=True,
    )


FEED_NAME_FILE = ".planner-feed-name"


@app.command()
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
    from planner.report import whatif_table
    from planner.whatif import what_if
    from planner.whatif_chart import CHART_SUFFIXES, write_chart

    try:
        budgets = _parse_budgets(hours_per_week)
        if chart.suffix.lower() not in CHART_SUFFIXES:
            raise PlannerError(f"--chart: {chart}: the chart is written as .svg or .png")
        with ExitStack() as stack:
            inputs = _plan_inputs(stack, roadmap, prerequisites, profile, [chart])
            with stderr.status("Planning each budget…", spinner="dots"):
                rows = what_if(inputs, budgets, today=date.today())
        stdout.print(whatif_table(rows))
        write_chart(rows, chart, f"{inputs.roadmap.title}: when am I done?")
    except PlannerError as error:
        raise _fail(error) from None
    stdout.print(f"Wrote {escape(str(chart))}", highlight=False, soft_wrap=True)


def _parse_budgets(text: str) -> list[float]:
    try:
        budgets = [float(part) for part in text.split(",") if part.strip()]
    except ValueError:
        raise PlannerError(f"--hours-per-week: {text!r} is not a list like 4,6,8") from None
    if not budgets or any(not 0 < budget <= 100 for budget in budgets):
        raise PlannerError(f"--hours-per-week: {text!r}: give budgets between 0 and 100 h")
    return budgets


@app.command()
def check(roadmap: RoadmapOption = None, prerequisites: PrerequisitesOption = None) -> None:
    """Validate a roadmap and its prerequisites: ids, hours, cycles, redundant edges."""
    from planner.graph import build_graph, longest_chain, redundant_edge_warnings, study_order
    from planner.report import DataCheck, check_summary

    try:
        with ExitStack() as stack:
            roadmap_path = _or_bundled(roadmap, "roadmap.yaml", stack)
            prerequisites_path = _or_bundled(prerequisites, "prerequisites.yaml", stack)
            loaded_roadmap = load_roadmap(roadmap_path)
            loaded_prerequisites = load_prerequisites(prerequisites_path)
            graph = build_graph(loaded_roadmap, loaded_prerequisites, prerequisites_path)
    except PlannerError as error:
        raise _fail(error) from None
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


def _plan_inputs(
    stack: ExitStack,
    roadmap: Path | None,
    prerequisites: Path | None,
    profile: Path | None,
    outputs: list[Path | None],
) -> PlanInputs:
    """The files to plan from (the bundled ones where none is given), loaded, after
    making sure no output would overwrite one of them."""
    from planner.planning import PlanInputs

    roadmap_path = _or_bundled(roadmap, "roadmap.yaml", stack)
    prerequisites_path = _or_bundled(prerequisites, "prerequisites.yaml", stack)
    profile_path = _or_bundled(profile, "profiles/example.yaml", stack)
    _refuse_to_overwrite_inputs(outputs, [roadmap_path, prerequisites_path, profile_path])
    return PlanInputs(
        roadmap=load_roadmap(roadmap_path),
        prerequisites=load_prerequisites(prerequisites_path),
        profile=load_profile(profile_path),
        prerequisites_path=prerequisites_path,
        profile_path=profile_path,
    )


def _write_plan(plan: Plan, roadmap: Roadmap, ics_path: Path, json_path: Path | None) -> str:
    """Write the calendar (and the JSON), both or neither; say what was written."""
    from planner.ics import plan_to_calendar

    if json_path is not None and json_path.resolve() == ics_path.resolve():
        raise PlannerError(f"{ics_path}: --ics and --json name the same file")
    files = {ics_path: plan_to_calendar(plan, roadmap).to_ical()}
    if json_path is not None:
        files[json_path] = plan.to_json().encode()
    _write_all_or_nothing(files)
    described = [f"{ics_path} ({len(plan.sessions)} events)"]
    return ", ".join(described + ([str(json_path)] if json_path is not None else []))


def _parse_day(text: str) -> date:
    from pydantic import TypeAdapter, ValidationError

    from planner.models import PlanningDay

    try:
        return TypeAdapter(PlanningDay).validate_python(date.fromisoformat(text))
    except ValueError as error:
        problem = error.errors()[0]["msg"] if isinstance(error, ValidationError) else None
        raise PlannerError(
            f"--start: {problem or f'{text!r} is not a date like 2027-01-04'}"
        ) from None


def _refuse_to_overwrite_inputs(outputs: list[Path | None], inputs: list[Path]) -> None:
    resolved_inputs = {path.resolve() for path in inputs}
    for output in outputs:
        if output is not None and output.resolve() in resolved_inputs:
            raise PlannerError(f"{output}: refusing to overwrite an input file with the output")
