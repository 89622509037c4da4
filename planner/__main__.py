"""The `planner` command: the installed script and `python -m planner`."""

from planner.cli.startup import freeze_lasting_imports, lasting_imports


def main() -> None:
    freeze_lasting_imports()  # see planner/cli/startup.py
    with lasting_imports():
        from planner.cli.app import app
    app()


if __name__ == "__main__":
    main()
