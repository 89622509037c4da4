"""How the `planner` process starts: its imports run with the garbage collector paused,
and what they built is then frozen out of the collector's reach.

Importing the command line builds some 55,000 objects the collector tracks (classes,
functions, pydantic schemas), and `planner plan`'s own modules (networkx, icalendar,
the planning pipeline) 40,000 more. They all live until the process exits, yet the
collector's older generations walk them again and again, and once more at exit: about a
quarter of a cold `planner plan` (bench/RESULTS.md). Paused during the imports and
frozen after them (`gc.freeze()`), they are never walked; the command's own garbage is
collected as usual.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


def main() -> None:
    """The `planner` command (the installed script and `python -m planner`)."""
    gc.disable()
    from planner.cli.app import app

    gc.freeze()  # from here on, lasting_imports() freezes too
    gc.enable()
    app()


@contextmanager
def lasting_imports() -> Iterator[None]:
    """Import a command's own modules with the collector paused, and freeze what they
    built if main() froze the start. A test that calls the app in its own process has
    nothing frozen, and freezing there would keep that process's pending garbage."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if gc.get_freeze_count():
            gc.freeze()
        if was_enabled:
            gc.enable()
