"""`planner serve` (the HTTP service) and `planner publish` (a feed without a server)."""

from __future__ import annotations

import copy
import os
import re
import secrets
from contextlib import ExitStack
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.markup import escape

from planner.cli.common import RoadmapOption, fail, or_bundled, stdout
from planner.errors import PlannerError
from planner.inputs.loading import load_roadmap
from planner.output.files import require_inside, write_all_or_nothing

FEED_NAME_FILE = ".planner-feed-name"
# What `publish` itself writes there: a random token and .ics, never a path.
_FEED_NAME = re.compile(r"^[A-Za-z0-9_-]{16,64}\.ics$")


def serve(
    host: Annotated[str, typer.Option(metavar="HOST", help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[
        int,
        typer.Option(min=1, max=65535, metavar="PORT", help="Port to listen on."),
    ] = 8000,
    workers: Annotated[
        int,
        typer.Option(min=1, metavar="N", help="Worker processes (each with its own solve limit)."),
    ] = 1,
) -> None:
    """Run the web app, the HTTP API and the subscribable .ics feeds.

    A uvicorn server: open the address it prints. Settings come from PLANNER_*
    environment variables (see the guide's Running the service); the guide is at
    /guide, the API docs at /docs.

    \b
    Examples:
      planner serve
      PLANNER_PUBLIC_URL=https://plans.example.org planner serve --host 0.0.0.0 --workers 2
    """
    # The one place the planner reaches into api/ (imported here, lazily, so the engine
    # never loads the web stack otherwise): learners start the server with the same
    # command they already have.
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
    """Write the calendar into a folder for a static host.

    A feed without a server: the calendar goes under an unguessable file name that
    stays the same on every publish (so subscriptions keep working) until you --rotate
    it.

    \b
    Examples:
      planner publish --plan plan.json --dir site/
      planner publish --plan plan.json --dir site/ --rotate
    """
    from planner.inputs.loading import load_plan, require_plan_for
    from planner.output.ics import plan_to_calendar

    try:
        with ExitStack() as stack:
            loaded_roadmap = load_roadmap(or_bundled(roadmap, "roadmap.yaml", stack))
            plan = load_plan(plan_path)
            require_plan_for(plan, loaded_roadmap, plan_path)
            name_file = directory / FEED_NAME_FILE
            old_name = _published_name(name_file, rotating=rotate)
            name = f"{secrets.token_urlsafe(24)}.ics" if rotate or not old_name else old_name
            calendar = plan_to_calendar(plan, loaded_roadmap).to_ical()
            # The folder is what gets uploaded: nothing is written or removed out of it.
            for path in (
                directory / name,
                name_file,
                *([directory / old_name] if old_name else []),
            ):
                require_inside(path, directory)
            write_all_or_nothing({directory / name: calendar, name_file: name.encode()})
            if old_name and old_name != name:
                (directory / old_name).unlink(missing_ok=True)
    except PlannerError as error:
        raise fail(error) from None
    stdout.print(
        f"Wrote {escape(str(directory / name))} ({len(plan.sessions)} events). Upload "
        f"{escape(str(directory))} to a static host and subscribe to https://<host>/{name}",
        highlight=False,
        soft_wrap=True,
    )


def _published_name(name_file: Path, *, rotating: bool) -> str | None:
    """The feed's file name from an earlier publish, or None. Only a bare name that
    `publish` could have made is accepted: the file lives in the folder being uploaded,
    and "../x.ics" or "/etc/x" in it must not make `publish` write (or, rotating,
    delete) outside `--dir`. Rotating, such a name is ignored and replaced."""
    if not name_file.is_file():
        return None
    name = name_file.read_text(encoding="utf-8", errors="replace").strip()
    if not name:
        return None
    if not _FEED_NAME.fullmatch(name):
        if rotating:
            return None
        raise PlannerError(
            f"{name_file}: {name[:80]!r} is not a feed file name this tool writes "
            "(letters, digits, '-', '_' and .ics); publish with --rotate to start a new feed"
        )
    return name
