"""Whole-process wall time and peak memory of a command, the median of a few runs."""

from __future__ import annotations

import resource
import shutil
import statistics
import subprocess
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

GNU_TIME = "/usr/bin/time"


@dataclass(frozen=True)
class Run:
    returncode: int
    output: str  # stdout and stderr of the last run
    seconds: float  # median wall time
    peak_rss_mb: float | None  # median peak resident set size
    method: str


def run_timed(command: list[str], runs: int, cwd: Path | None = None) -> Run:
    """Run `command` `runs` times; medians of wall time and peak RSS. Stops at the first
    failing run (its output explains why)."""
    seconds: list[float] = []
    rss_mb: list[float] = []
    completed: subprocess.CompletedProcess[str] | None = None
    use_gnu_time = shutil.which(GNU_TIME) is not None
    for _ in range(runs):
        if use_gnu_time:
            with tempfile.NamedTemporaryFile("r", suffix=".time") as report:
                completed = subprocess.run(
                    [GNU_TIME, "-f", "%e %M", "-o", report.name, *command],
                    capture_output=True,
                    text=True,
                    check=False,
                    cwd=cwd,
                )
                fields = report.read().split()
            # GNU time prefixes "Command exited with non-zero status" on failure.
            wall, max_rss_kb = float(fields[-2]), int(fields[-1])
        else:
            # ru_maxrss of RUSAGE_CHILDREN is the largest child so far, not this run's own.
            clock = time.perf_counter()
            completed = subprocess.run(
                command, capture_output=True, text=True, check=False, cwd=cwd
            )
            wall = time.perf_counter() - clock
            max_rss_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        if completed.returncode != 0:
            break
        seconds.append(wall)
        rss_mb.append(max_rss_kb / 1024)
    assert completed is not None
    return Run(
        returncode=completed.returncode,
        output=(completed.stdout + completed.stderr).strip(),
        seconds=statistics.median(seconds) if seconds else float("nan"),
        peak_rss_mb=statistics.median(rss_mb) if rss_mb else None,
        method="/usr/bin/time %e %M" if use_gnu_time else "perf_counter + RUSAGE_CHILDREN",
    )


def time_in_process(function: Callable[[], object], runs: int) -> float:
    """Median wall time of calling `function`, in seconds."""
    seconds = []
    for _ in range(runs):
        clock = time.perf_counter()
        function()
        seconds.append(time.perf_counter() - clock)
    return statistics.median(seconds)
