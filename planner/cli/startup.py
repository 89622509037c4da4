"""How the `planner` process starts: its imports run with the garbage collector paused,
and what they built is then frozen out of the collector's reach.

Importing the command line builds some 55,000 objects the collector tracks (classes,
functions, pydantic schemas), and the modules `planner plan` imports when it runs
(networkx, icalendar, the planning pipeline) 40,000 more. They all live until the process
exits, yet the collector's older generations walk them again and again, and once more at
exit: about a quarter of a cold `planner plan` (bench/RESULTS.md, "What `planner plan`
imports"). main() pauses the collector while it imports the app and freezes what that
built (`gc.freeze()`); the commands import their heavy modules inside lasting_imports(),
which does the same. The command's own garbage is collected as usual.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

# Set by main(): this process is the `planner` command, whose imports are frozen. Not
# gc.get_freeze_count(): that walks every frozen object, some 10 ms each time.
_freezing_imports = False


def main() -> None:
    """The `planner` command (the installed script and `python -m planner`)."""
    global _freezing_imports
    gc.disable()
    from planner.cli.app import app

    gc.freeze()
    _freezing_imports = True  # lasting_imports() freezes too from here on
    gc.enable()
    app()


@contextmanager
def lasting_imports() -> Iterator[None]:
    """Import a command's own modules with the collector paused, and freeze what they
    built in the `planner` command. A test that calls the app in its own process has
    nothing frozen, and freezing there would keep that process's pending garbage."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if _freezing_imports:
            gc.freeze()
        if was_enabled:
            gc.enable()
