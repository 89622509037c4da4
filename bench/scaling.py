"""`python -m bench.scaling`: how time and memory grow with the roadmap, ours beside
TaskJuggler's.

Synthetic layered roadmaps (`synthetic.py`, fixed seed) at 1x, 3x, 10x and 30x the
bundled roadmap's 45 planned topics, and two odd but legal ones of 5,000 two-hour
topics (no prerequisites; one chain), all on the 10 h/week profile. Whole process
(`planner plan` writing JSON and .ics; `tj3` writing its export), the median of the
runs; sessions against our lower bound. A run past its planner's timeout is stopped and
reported as such. Writes its section of bench/RESULTS.md after every roadmap (a stopped
bench keeps what it measured) and, at the end, the chart bench/scaling.svg (shown in the
README).
"""

from __future__ import annotations

import argparse
import json
import math
import re
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import yaml

from bench.instances import REPOSITORY, Instance, load_instance
from bench.measure import run_timed, temporary_folder
from bench.planners import planner_executable, run_tj3
from bench.report import machine_lines, write_section
from bench.synthetic import write_synthetic

RESULTS_PATH = REPOSITORY / "bench" / "RESULTS.md"
CHART_PATH = REPOSITORY / "bench" / "scaling.svg"
PROFILE = REPOSITORY / "bench" / "profiles" / "ten-hours.yaml"
LAYERS_PER_SIZE, TOPICS_PER_LAYER = 5, 9  # 1x: 45 topics, as the bundled roadmap plans
SIZES = (1, 3, 10, 30)
ODD_TOPICS = 5000
ONE_RUN_ABOVE = 500  # topics; bigger roadmaps are run once
# Wall, per run: long enough for every roadmap here that a planner can plan at all (ours
# gets more: our own worst case is what this bench is for).
OURS_TIMEOUT, TJ3_TIMEOUT = 600, 120


@dataclass
class Row:
    name: str
    topics: int
    hours: float
    ours_seconds: float | None = None
    ours_rss_mb: float | None = None
    sessions: int | None = None
    sessions_bound: int | None = None
    ours_error: str | None = None
    tj3_seconds: float | None = None
    tj3_rss_mb: float | None = None
    tj3_error: str | None = None


def write_flat(folder: Path, count: int, *, chain: bool) -> tuple[Path, Path]:
    """`count` two-hour topics in one section, with no prerequisites or as one chain."""
    roadmap_id = f"{'chain' if chain else 'independent'}-{count}"
    topics = [{"id": f"1.{i}", "title": f"Topic {i}", "hours": 2} for i in range(1, count + 1)]
    roadmap = {"id": roadmap_id, "title": roadmap_id, "sections": [
        {"id": "1", "title": "All", "hours": 2 * count, "topics": topics}]}  # fmt: skip
    edges = [
        {"before": f"1.{i}", "after": f"1.{i + 1}", "why": "chain"}
        for i in range(1, count if chain else 1)
    ]
    folder.mkdir(parents=True, exist_ok=True)
    roadmap_path, prerequisites_path = folder / "roadmap.yaml", folder / "prerequisites.yaml"
    roadmap_path.write_text(yaml.safe_dump(roadmap, sort_keys=False), encoding="utf-8")
    prerequisites_path.write_text(
        yaml.safe_dump({"roadmap": roadmap_id, "edges": edges}, sort_keys=False), "utf-8"
    )
    return roadmap_path, prerequisites_path


def instances(folder: Path) -> list[Instance]:
    found = []
    for size in SIZES:
        paths = write_synthetic(
            folder / f"{size}x",
            sections=LAYERS_PER_SIZE * size,
            per_section=TOPICS_PER_LAYER,
            roadmap_id=f"synthetic-{size}x",
        )
        found.append(load_instance(PROFILE, *paths, name=f"{size}x layered"))
    for chain in (False, True):
        paths = write_flat(folder / f"flat-{chain}", ODD_TOPICS, chain=chain)
        name = f"{ODD_TOPICS:,} {'in a chain' if chain else 'independent'}"
        found.append(load_instance(PROFILE, *paths, name=name))
    return found


def measure(instance: Instance, runs: int, with_tj3: bool) -> Row:
    row = Row(instance.name, len(instance.requirements.minutes), instance.total_minutes / 60)
    with tempfile.TemporaryDirectory(prefix="bench-scaling-") as folder:
        json_path = Path(folder) / "plan.json"
        command = [planner_executable(), "plan", "--roadmap", str(instance.roadmap_path),
                   "--prerequisites", str(instance.prerequisites_path),
                   "--profile", str(instance.profile_path),
                   "--json", str(json_path), "--ics", str(Path(folder) / "plan.ics")]  # fmt: skip
        run = run_timed(command, runs, timeout=OURS_TIMEOUT)
        row.ours_seconds, row.ours_rss_mb = run.seconds, run.peak_rss_mb
        if run.timed_out:
            row.ours_error = f"timed out after {OURS_TIMEOUT} s"
        elif run.returncode != 0:
            row.ours_error = run.output.splitlines()[-1] if run.output else "failed"
        else:
            solver = json.loads(json_path.read_text(encoding="utf-8"))["solver"]
            row.sessions, row.sessions_bound = solver["sessions"], solver["sessions_lower_bound"]
    if with_tj3:
        peer = run_tj3(instance, runs, timeout=TJ3_TIMEOUT)
        row.tj3_seconds, row.tj3_rss_mb, row.tj3_error = peer.seconds, peer.peak_rss_mb, peer.error
    return row


def slope(rows: list[Row], seconds: str) -> float | None:
    """The least-squares slope of log(time) on log(topics): 1 is linear, 2 quadratic."""
    points = [(math.log(r.topics), math.log(getattr(r, seconds))) for r in rows
              if getattr(r, seconds) and not (r.ours_error if seconds == "ours_seconds"
                                              else r.tj3_error)]  # fmt: skip
    if len(points) < 2:
        return None
    mean_x = sum(x for x, _ in points) / len(points)
    mean_y = sum(y for _, y in points) / len(points)
    spread = sum((x - mean_x) ** 2 for x, _ in points)
    return sum((x - mean_x) * (y - mean_y) for x, y in points) / spread


def _figure(value: float | None, digits: int = 2) -> str:
    return "—" if value is None or math.isnan(value) else f"{value:.{digits}f}"


def _failure(error: str) -> str:
    """A table cell: a timeout as it is; else tj3's last message without its location
    (`file.tjp:131: Error:`, `file.rb:629:in `include?':`)."""
    if error.startswith("timed out"):
        return error
    last = re.sub(r"^[^:]+:\d+:(in `[^']*':)?\s*(Error:\s*)?", "", error.split(" / ")[-1])
    return "failed: " + last[:160].replace("|", "/")


def table(rows: list[Row]) -> list[str]:
    lines = [
        "| Roadmap | Topics | Hours | Ours s | Ours MB | tj3 s | tj3 MB | Sessions / our bound |",
        "|---|--:|--:|--:|--:|--:|--:|--:|",
    ]
    for row in rows:
        ours = (f"{_figure(row.ours_seconds)} | {_figure(row.ours_rss_mb, 0)}"
                if row.ours_error is None else f"{_failure(row.ours_error)} | —")  # fmt: skip
        peer = (f"{_figure(row.tj3_seconds)} | {_figure(row.tj3_rss_mb, 0)}"
                if row.tj3_error is None else f"{_failure(row.tj3_error)} | —")  # fmt: skip
        bound = (f"{row.sessions} / {row.sessions_bound} "
                 f"({row.sessions / row.sessions_bound:.2f})" if row.sessions and
                 row.sessions_bound else "—")  # fmt: skip
        lines.append(f"| {row.name} | {row.topics:,} | {row.hours:,.0f} | {ours} | {peer} "
                     f"| {bound} |")  # fmt: skip
    return lines


def chart(rows: list[Row], path: Path) -> None:
    """Time and peak memory against topics, log-log, ours and TaskJuggler's (SVG)."""
    import matplotlib

    matplotlib.use("Agg")
    matplotlib.rcParams["svg.hashsalt"] = "roadmap-planner"  # the same bytes every run
    import matplotlib.pyplot as plt

    figure, (time_axes, memory_axes) = plt.subplots(1, 2, figsize=(9, 3.6))
    for label, seconds, memory, style in (
        ("ours", "ours_seconds", "ours_rss_mb", "o-"),
        ("TaskJuggler 3", "tj3_seconds", "tj3_rss_mb", "s--"),
    ):
        error = "ours_error" if label == "ours" else "tj3_error"
        kept = [r for r in rows if getattr(r, seconds) and not getattr(r, error)]
        topics = [r.topics for r in kept]
        time_axes.loglog(topics, [getattr(r, seconds) for r in kept], style, label=label)
        memory_axes.loglog(topics, [getattr(r, memory) for r in kept], style, label=label)
    time_axes.set(xlabel="topics", ylabel="whole process, s", title="Time")
    memory_axes.set(xlabel="topics", ylabel="peak RSS, MB", title="Memory")
    for axes in (time_axes, memory_axes):
        axes.grid(True, which="both", alpha=0.3)
        axes.legend()
    figure.tight_layout()
    figure.savefig(path, format="svg", metadata={"Date": None})
    plt.close(figure)


def scaling_section(rows: list[Row], runs: int, total: int) -> list[str]:
    layered = [row for row in rows if row.name.endswith("layered")]
    ours, peer = slope(layered, "ours_seconds"), slope(layered, "tj3_seconds")
    both = [row for row in layered if row.tj3_error is None and row.ours_error is None]
    progress = [] if len(rows) == total else [
        f"**Partial: {len(rows)} of {total} roadmaps measured (the run was stopped or is "
        "still going).**", ""]  # fmt: skip
    return [
        "## Scaling",
        "",
        *machine_lines(),
        f"- Command: `python -m bench.scaling --runs {runs}` (median of {runs} runs up to "
        f"{ONE_RUN_ABOVE} topics, one run above; a run is stopped after {OURS_TIMEOUT} s "
        f"wall for ours, {TJ3_TIMEOUT} s for TaskJuggler)",
        "",
        *progress,
        "Synthetic layered roadmaps (each topic needs one or two of the three layers before "
        "it; the bundled roadmap's mix of hours; fixed seed) at 1x to 30x the bundled "
        f"roadmap, and {ODD_TOPICS:,} two-hour topics with no prerequisites or in one chain; "
        "10 h/week (`bench/profiles/ten-hours.yaml`). Whole process, `/usr/bin/time`. "
        "TaskJuggler refuses projects past 2035 (it then says so instead of planning).",
        "",
        *table(rows),
        "",
        f"Time growth on log-log axes (the layered roadmaps each planned): ours slope "
        f"{_figure(ours)}, TaskJuggler's {_figure(peer)}; ours "
        f"{_figure(slope(both, 'ours_seconds'))} on the {len(both)} sizes both planned "
        "(1 is linear).",
        "",
        "![Time and memory against topics](scaling.svg)",
        "",
    ]


def run_bench(runs: int, output: Path) -> str:
    """Measure every roadmap, rewriting the section after each one."""
    found = instances(temporary_folder("bench-scaling-"))
    rows: list[Row] = []
    section = ""
    for instance in found:
        print(f"bench.scaling: {instance.name} ...", file=sys.stderr, flush=True)
        big = len(instance.requirements.minutes) > ONE_RUN_ABOVE
        rows.append(measure(instance, 1 if big else runs, with_tj3=True))
        print(table(rows)[-1], file=sys.stderr, flush=True)
        section = write_section(output, "scaling", scaling_section(rows, runs, len(found)))
    chart(rows, CHART_PATH)
    return section


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.scaling", description=__doc__)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--output", type=Path, default=RESULTS_PATH)
    arguments = parser.parse_args(argv)
    print(run_bench(arguments.runs, arguments.output))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
