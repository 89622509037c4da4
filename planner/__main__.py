"""`python -m planner` is the `planner` command."""

from planner.cli.startup import main

if __name__ == "__main__":
    main()
