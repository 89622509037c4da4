"""Help a newcomer can follow: wrapped to the terminal, examples under every command,
no type names, a version."""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest
from typer.testing import CliRunner

from planner.cli.app import app

COMMANDS = ["plan", "next", "done", "missed", "replan", "topics", "whatif", "import",
            "check", "publish", "serve"]  # fmt: skip
runner = CliRunner()


@pytest.mark.parametrize("command", COMMANDS)
def test_each_command_has_examples_and_no_type_noise(command: str) -> None:
    """Regression: help showed `--help <bool>` and never an example."""
    result = runner.invoke(app, [command, "--help"], env={"COLUMNS": "100"})
    assert result.exit_code == 0
    assert "Examples:" in result.stdout and f"planner {command}" in result.stdout
    assert not re.search(r"<(bool|str|int|float)>|list\[", result.stdout)


@pytest.mark.parametrize("columns", [60, 120])
def test_help_is_wrapped_to_the_terminal(columns: int) -> None:
    """Regression: help broke mid-sentence at 80 columns whatever the terminal. Run as a
    process: the test runner fixes the width at 80."""
    environment = {**os.environ, "COLUMNS": str(columns)}
    result = subprocess.run(
        [sys.executable, "-m", "planner", "replan", "--help"],
        capture_output=True, text=True, env=environment, check=True,
    )  # fmt: skip
    prose = [line for line in result.stdout.splitlines() if "planner replan" not in line]
    assert max(len(line) for line in prose) <= columns  # examples keep their lines
    if columns > 80:
        assert max(len(line) for line in prose) > 80  # it uses the width it has


def test_the_main_help_shows_the_daily_loop_and_the_version_is_there() -> None:
    result = runner.invoke(app, ["--help"], env={"COLUMNS": "100"})
    assert "`planner next`" in result.stdout and "`planner replan`" in result.stdout
    assert "goals" in runner.invoke(app, ["plan", "--help"]).stdout
    version = runner.invoke(app, ["--version"])
    assert version.exit_code == 0 and re.fullmatch(r"planner \S+\n", version.stdout)


def test_serve_refuses_a_port_that_does_not_exist() -> None:
    """`--port 99999` was taken: uvicorn listened on another port while the feed links
    said :99999."""
    result = CliRunner().invoke(app, ["serve", "--port", "99999"])
    assert result.exit_code == 2
    assert "--port" in result.output and "65535" in result.output
