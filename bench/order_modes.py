"""What each order mode gives: the issue's four kinds of profiles, and the generated family
on the bundled roadmap and on a roadmap with fractional hours.

`python -m bench.order_modes` writes its section of bench/RESULTS.md (between the
markers) and leaves the rest of the file alone.
"""

from __future__ import annotations

import argparse
import statistics
import sys
from datetime import date
from pathlib import Path

from bench.family import (
    ModeResult,
    generate_profiles,
    profile_table,
    run_family,
    summary_table,
)
from bench.instances import PREREQUISITES_PATH, ROADMAP_PATH
from bench.measure import temporary_folder
from bench.report import machine_lines, write_section
from bench.synthetic import FRACTIONAL_HOURS, write_synthetic
from planner.models.order import ORDER_MODES, OrderMode
from planner.models.profile import Profile

RESULTS_PATH = Path(__file__).resolve().parent / "RESULTS.md"
START = date(2027, 1, 4)


def _profile(timezone: str, weekly: dict[str, list[str]], low: int, high: int) -> Profile:
    return Profile.model_validate(
        {
            "timezone": timezone,
            "start": START,
            "weekly": weekly,
            "session": {"min_minutes": low, "max_minutes": high, "slot_minutes": 30},
        }
    )


# The four kinds of profiles the issue measured on (tried as a new user would).
EVENINGS = ["18:30-21:00"]
ISSUE_PROFILES = [
    (
        "one 90-min window a week, min = max = 90",
        _profile("Europe/Berlin", {"wed": ["19:00-20:30"]}, 90, 90),
    ),
    (
        "2.5 h evenings + a past-midnight window",
        _profile(
            "America/Chicago",
            {"mon": EVENINGS, "tue": EVENINGS, "thu": EVENINGS, "fri": ["23:30-01:30"]},
            60,
            150,
        ),
    ),
    (
        "mixed 1/2/3 h windows, spring-forward inside one",
        _profile(
            "Europe/Berlin",
            {"tue": ["19:00-20:00"], "thu": ["18:00-20:00"], "sun": ["01:00-04:00"]},
            60,
            120,
        ),
    ),
    (
        "30-minute DST zone, 2 h + 3 h windows",
        _profile("Australia/Lord_Howe", {"mon": ["19:00-21:00"], "sat": ["09:00-12:00"]}, 60, 180),
    ),
]


def issue_table(results: dict[str, dict[OrderMode, ModeResult]]) -> list[str]:
    lines = [
        "| Profile kind | Inversions % roadmap / balanced / free | Sessions vs roadmap: "
        "balanced / free | Finish vs roadmap, h of window time: balanced / free |",
        "|---|--:|--:|--:|",
    ]
    for name, row in results.items():
        balanced, free = row["balanced"], row["free"]
        lines.append(
            f"| {name} | "
            + " / ".join(f"{row[mode].inversions_percent:.1f}" for mode in ORDER_MODES)
            + f" | {balanced.sessions_vs_roadmap:+d} / {free.sessions_vs_roadmap:+d} | "
            f"{balanced.finish_vs_roadmap_hours:+g} / {free.finish_vs_roadmap_hours:+g} |"
        )
    return lines


def targets(results: dict[str, dict[OrderMode, ModeResult]]) -> list[str]:
    """The issue's targets, checked on these results."""
    rows = list(results.values())
    worst_balanced = max(row["balanced"].inversions_percent for row in rows)
    median_balanced = statistics.median(row["balanced"].inversions_percent for row in rows)
    never_worse = all(
        row["balanced"].sessions_vs_roadmap <= 0 and row["balanced"].finish_vs_roadmap_hours <= 0
        for row in rows
    )
    saved = [
        (-row["balanced"].sessions_vs_roadmap, -row["free"].sessions_vs_roadmap)
        for row in rows
        if row["free"].sessions_vs_roadmap < 0
    ]
    kept = statistics.median(b / f for b, f in saved) if saved else float("nan")
    roadmap_exact = all(row["roadmap"].inversions_percent == 0 for row in rows)
    return [
        f"- `balanced`: inversions at most {worst_balanced:.1f} % of pairs (median "
        f"{median_balanced:.1f} %; target: at most 5 % everywhere); sessions and finish "
        f"never worse than `roadmap`: {'yes' if never_worse else 'NO'}; on the {len(saved)} "
        f"profiles where `free` saves sessions over `roadmap`, `balanced` keeps a median "
        f"{kept:.0%} of the saving (target: at least half).",
        f"- `roadmap`: exactly the reference order on every profile: "
        f"{'yes' if roadmap_exact else 'NO'} (the validator checks it after every solve).",
    ]


def order_modes_section() -> list[str]:
    folder = temporary_folder("bench-fractional-")
    fractional = write_synthetic(
        folder, sections=7, per_section=7, seed=11, hours=FRACTIONAL_HOURS,
        roadmap_id="fractional",
    )  # fmt: skip
    profiles = generate_profiles()
    lines = [
        "## Order modes",
        "",
        *machine_lines(),
        "",
        "Inversions: topic pairs in the opposite order of the reference order (the roadmap's",
        "topological order, its position breaking ties), so 0 means nothing beyond what the",
        "prerequisites force; % of all pairs. Shift: places a topic moved from its place in it.",
        "Sessions and finish against the `roadmap` plan of the same profile; the finish in",
        "hours of window time between the two (negative: earlier). Solve s: the learner's own",
        "mode alone (`planner plan` also solves the other two to report them; see the",
        "per-instance tables for its whole time).",
        "",
        "### The issue's profiles (bundled roadmap)",
        "",
        *issue_table(run_family(ROADMAP_PATH, PREREQUISITES_PATH, ISSUE_PROFILES)),
        "",
    ]
    for title, (roadmap, prerequisites) in [
        ("bundled roadmap", (ROADMAP_PATH, PREREQUISITES_PATH)),
        ("fractional roadmap: 49 topics, hours like 1.6 and 2.75, layered DAG", fractional),
    ]:
        print(f"bench.order_modes: {title} ...", file=sys.stderr, flush=True)
        results = run_family(roadmap, prerequisites, profiles)
        lines += [
            f"### {len(profiles)} generated profiles, {title}",
            "",
            *summary_table(results),
            "",
            *targets(results),
            "",
            "<details><summary>Every profile</summary>",
            "",
            *profile_table(profiles, results),
            "",
            "</details>",
            "",
        ]
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.order_modes", description=__doc__)
    parser.add_argument("--output", type=Path, default=RESULTS_PATH)
    arguments = parser.parse_args(argv)
    print(write_section(arguments.output, "order-modes", order_modes_section()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
