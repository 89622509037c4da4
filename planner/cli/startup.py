"""How the `planner` process starts: its imports run with the garbage collector paused,
and what they built is then frozen out of the collector's reach.

Importing the command line builds some 55,000 objects the collector tracks (classes,
functions, pydantic schemas), and the modules `planner plan` imports when it runs
(networkx, icalendar, the planning pipeline) 40,000 more. They all live until the process
exits, yet the collector's older generations walk them again and again, and once more at
exit: a quarter to a third of a cold `planner plan` (bench/RESULTS.md, "What `planner plan`
imports"). The `planner` command (`planner.__main__`) imports the app inside
lasting_imports(), which pauses the collector and then freezes what the imports built
(`gc.freeze()`); the commands import their heavy modules inside it too. The command's own
garbage is collected as usual.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

# Set by freeze_lasting_imports(): this process is the `planner` command. Not
# gc.get_freeze_count(): that walks every frozen object, some 10 ms each time.
_freezing = False


def freeze_lasting_imports() -> None:
    """From now on, lasting_imports() freezes what it imported (the `planner` command).
    Not by default: a test that calls the app in its own process would keep that
    process's pending garbage for good."""
    global _freezing
    _freezing = True


@contextmanager
def lasting_imports() -> Iterator[None]:
    """Import modules that live as long as the process: the collector paused meanwhile,
    and what they built frozen after if freeze_lasting_imports() was called."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if _freezing:
            gc.freeze()
        if was_enabled:
            gc.enable()
