"""`python -m planner` is the `planner` command."""

from planner.cli.app import app

if __name__ == "__main__":
    app()
