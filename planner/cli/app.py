"""`planner`: the command line. Thin: parse options, call the planner, print, write files.

The commands live beside this file, one module per group; each imports what it needs
when it runs, so `planner --help` and the light commands do not wait for OR-Tools, the
web stack or plotting. Help is click's plain text: wrapped to the terminal's width,
without type names, with examples under each command.
"""

from __future__ import annotations

from typing import Annotated

import typer

from planner.cli.daily import next_sessions
from planner.cli.import_command import import_roadmap
from planner.cli.plan_commands import plan, replan
from planner.cli.progress_commands import done, missed
from planner.cli.roadmap_commands import check, topics
from planner.cli.service import publish, serve
from planner.cli.sync_command import sync
from planner.cli.whatif_command import whatif

app = typer.Typer(
    help="Turn a learning roadmap into a study calendar that fits your week.\n\n"
    "Start with `planner plan --profile me.yaml --json plan.json`. Then every day: "
    "`planner next` (what to study), `planner done` or `planner missed` (what happened), "
    "and now and then `planner replan` (plan the rest from today).",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    # Wrap help to the terminal's width, not click's 80 columns.
    context_settings={"max_content_width": 120, "help_option_names": ["--help", "-h"]},
)


def _print_version(asked: bool) -> None:
    if asked:
        from importlib.metadata import PackageNotFoundError, version

        try:
            number = version("roadmap-planner")
        except PackageNotFoundError:  # run from a checkout that was never installed
            number = "unknown"
        typer.echo(f"planner {number}")
        raise typer.Exit()


@app.callback()
def main(
    show_version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_print_version, is_eager=True, help="Show the version and exit."
        ),
    ] = False,
) -> None:
    """The options every command shares (`planner --version`)."""


for name, command in (
    ("plan", plan),
    ("next", next_sessions),
    ("done", done),
    ("missed", missed),
    ("replan", replan),
    ("topics", topics),
    ("whatif", whatif),
    ("import", import_roadmap),
    ("check", check),
    ("publish", publish),
    ("sync", sync),
    ("serve", serve),
):
    app.command(name)(command)
