"""Whole-process wall time and peak memory of a command, the median of a few runs."""

from __future__ import annotations

import atexit
import os
import resource
import shutil
import signal
import statistics
import subprocess
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

GNU_TIME = "/usr/bin/time"


def temporary_folder(prefix: str) -> Path:
    """A folder for this bench process's inputs and installs, removed when it exits."""
    folder = Path(tempfile.mkdtemp(prefix=prefix))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    return folder


@dataclass(frozen=True)
class Run:
    returncode: int
    output: str  # stdout and stderr of the last run
    seconds: float  # median wall time
    peak_rss_mb: float | None  # median peak resident set size
    method: str
    timed_out: bool = False  # the last run was stopped after `timeout` seconds


def _run(command: list[str], cwd: Path | None, timeout: float | None) -> tuple[int, str, bool]:
    """Run `command` in its own process group, so that a timeout stops the whole of it
    (`/usr/bin/time` and the program it runs), not only its first process."""
    with subprocess.Popen(
        command,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        cwd=cwd,
        start_new_session=True,
    ) as process:
        try:
            output, _ = process.communicate(timeout=timeout)
            return process.returncode, output, False
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            output, _ = process.communicate()
            return process.returncode, output, True


def run_timed(
    command: list[str], runs: int, cwd: Path | None = None, timeout: float | None = None
) -> Run:
    """Run `command` `runs` times; medians of wall time and peak RSS. Stops at the first
    failing or timed-out run (its output explains why)."""
    return run_by_turns([(command, cwd)], runs, timeout)[0]


def run_by_turns(
    commands: list[tuple[list[str], Path | None]], runs: int, timeout: float | None = None
) -> list[Run]:
    """Run each (command, folder) `runs` times by turns (the first, the second, ..., the
    first again), so that all of them see the same load on a shared machine; each one's
    medians of wall time and peak RSS. A command stops at its first failing or timed-out
    run (its output explains why); the others go on."""
    use_gnu_time = shutil.which(GNU_TIME) is not None
    timings: list[list[tuple[float, float]]] = [[] for _ in commands]
    last: list[tuple[int, str, bool]] = [(0, "", False) for _ in commands]
    for _ in range(runs):
        for index, (command, cwd) in enumerate(commands):
            returncode, _output, timed_out = last[index]
            if returncode != 0 or timed_out:
                continue
            returncode, output, timed_out, timing = _time_once(command, cwd, timeout, use_gnu_time)
            last[index] = (returncode, output, timed_out)
            if returncode == 0 and timing is not None:
                timings[index].append(timing)
    method = "/usr/bin/time %e %M" if use_gnu_time else "perf_counter + RUSAGE_CHILDREN"
    return [
        Run(
            returncode=returncode,
            output=output.strip(),
            seconds=statistics.median(s for s, _ in runs_of) if runs_of else float("nan"),
            peak_rss_mb=statistics.median(mb for _, mb in runs_of) if runs_of else None,
            method=method,
            timed_out=timed_out,
        )
        for (returncode, output, timed_out), runs_of in zip(last, timings, strict=True)
    ]


def _time_once(
    command: list[str], cwd: Path | None, timeout: float | None, use_gnu_time: bool
) -> tuple[int, str, bool, tuple[float, float] | None]:
    """One run: return code, output, whether it timed out, and (wall s, peak RSS MB)."""
    if use_gnu_time:
        with tempfile.NamedTemporaryFile("r", suffix=".time") as report:
            returncode, output, timed_out = _run(
                [GNU_TIME, "-f", "%e %M", "-o", report.name, *command], cwd, timeout
            )
            fields = report.read().split()
        if timed_out:  # killed with it, GNU time wrote nothing
            return returncode, output, timed_out, None
        # GNU time prefixes "Command exited with non-zero status" on failure.
        wall, max_rss_kb = float(fields[-2]), int(fields[-1])
    else:
        # ru_maxrss of RUSAGE_CHILDREN is the largest child so far, not this run's own.
        clock = time.perf_counter()
        returncode, output, timed_out = _run(command, cwd, timeout)
        wall = time.perf_counter() - clock
        max_rss_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return returncode, output, timed_out, (wall, max_rss_kb / 1024)


def time_in_process(function: Callable[[], object], runs: int) -> float:
    """Median wall time of calling `function`, in seconds."""
    seconds = []
    for _ in range(runs):
        clock = time.perf_counter()
        function()
        seconds.append(time.perf_counter() - clock)
    return statistics.median(seconds)
