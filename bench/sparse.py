"""First plans on sparse weeks against our finish bounds, and against their own re-plan.

A generated family (fixed seed) of profiles with one or two study windows a week, 45
minutes to 3 hours each, in zones with DST, odd offsets and none (Chatham, Los Angeles,
Tokyo, Auckland among them), planned on the bundled roadmap in the default order
(`balanced`) and in `free` order. Per plan, the finish against two bounds, in days and in
hours of window time:

- the capacity bound (`lower_bound_finish`: when the windows could hold the hours at all),
  the only finish bound before issue 25's leftovers;
- our finish bound (`bounds.finish_bound`): the capacity bound plus the idle time the
  window lengths force on every plan in any order (`solver/fit_bound.py`).

A plan at our finish bound is the earliest there is (its report says
`finish_proven_optimal`). Beside it, the first plan re-planned on its first day with
nothing reported (`replan(..., now=start)`): a first plan at its best leaves its re-plan
nothing to gain, so the re-plan finishes no sooner and with no fewer sessions. Run:

    python -m bench.sparse [--count 24] [--seed 7] [--label TEXT] [--output bench/RESULTS.md]
"""

from __future__ import annotations

import argparse
import random
import shlex
import statistics
import sys
import time
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

from pydantic import ValidationError

from bench.family import _usable_minutes_a_week, _window, _window_hours
from bench.report import write_section
from planner.inputs.graph import build_graph
from planner.inputs.loading import bundled_file, load_prerequisites, load_roadmap
from planner.inputs.plan_inputs import PlanInputs
from planner.models.fields import WEEKDAYS
from planner.models.order import OrderMode
from planner.models.profile import Profile
from planner.models.progress import Progress
from planner.planning.horizon import build_problem
from planner.planning.pipeline import make_plan
from planner.planning.replan import replan
from planner.planning.requirements import plan_requirements
from planner.solver.settings import SolverSettings
from planner.timeline.clock import day_of

RESULTS_PATH = Path(__file__).resolve().parent / "RESULTS.md"
COUNT, SEED, KEY = 24, 7, "sparse"
ZONES = ["Pacific/Auckland", "Pacific/Chatham", "America/Los_Angeles", "Asia/Tokyo",
         "Europe/Berlin", "Australia/Lord_Howe", "Asia/Kathmandu"]  # fmt: skip
START = date(2027, 1, 4)
START_TIMES = ["07:00", "09:00", "18:30", "20:00", "23:30"]
SESSION_RULES = [(60, 180), (45, 120), (90, 90), (60, 60), (60, 120), (30, 90)]
MODES: tuple[OrderMode, ...] = ("balanced", "free")
ALONE = SolverSettings(compare_orders=False)


def generate_sparse(count: int = COUNT, seed: int = SEED) -> list[tuple[str, Profile]]:
    """`count` profiles of one or two windows a week (the first is the issue's case:
    Auckland, one 90-minute Saturday window, default session rules)."""
    rng = random.Random(seed)
    issue = {"timezone": "Pacific/Auckland", "weekly": {"sat": ["09:00-10:30"]}}
    profiles = [("s01-auckland-issue", Profile.model_validate({**issue, "start": START}))]
    while len(profiles) < count:
        days = sorted(rng.sample(range(7), rng.randint(1, 2)))
        low, high = rng.choice(SESSION_RULES)
        fields = {
            "timezone": rng.choice(ZONES),
            "start": START + timedelta(days=rng.randrange(365)),
            "weekly": {
                WEEKDAYS[day]: [_window(rng.choice(START_TIMES), rng.randrange(45, 181, 15))]
                for day in days
            },
            "session": {
                "min_minutes": low,
                "max_minutes": high,
                "slot_minutes": rng.choice([15, 30]),
            },
        }
        try:
            profile = Profile.model_validate(fields)
        except ValidationError:
            continue
        if _usable_minutes_a_week(profile) < 60:  # no window holds a session
            continue
        zone = profile.timezone.split("/")[-1].lower()
        profiles.append((f"s{len(profiles) + 1:02d}-{zone}-{len(days)}w", profile))
    return profiles


@dataclass(frozen=True)
class Outcome:
    """One profile in one mode: the first plan against both bounds and its re-plan."""

    capacity_days: int  # finish day minus the capacity bound's day
    capacity_hours: float  # window time between them
    bound_days: int  # finish day minus our finish bound's day
    bound_hours: float
    proven: bool  # the plan reports its finish proven (at our finish bound)
    sessions_gap: float  # sessions above our session bound at its finish, %
    inversions: int  # topic pairs in the other order than the roadmap's
    replan_days: int  # the day-one re-plan's finish day minus the first plan's
    replan_sessions: int  # its study sessions minus the first plan's
    seconds: float

    @property
    def replan_better(self) -> bool:
        """The re-plan finishes on an earlier day, or the same day with fewer sessions:
        the first plan was not at its best."""
        return (self.replan_days, self.replan_sessions) < (0, 0)


def measure(inputs: PlanInputs, mode: OrderMode) -> Outcome:
    profile = inputs.profile.model_copy(update={"order": mode})
    inputs = inputs.with_profile(profile)
    assert profile.start is not None
    result = make_plan(inputs, today=profile.start, settings=ALONE)
    plan = result.plan
    again = replan(inputs, plan, Progress(), now=profile.start).plan
    zone = profile.zone
    assert plan.finish is not None and plan.lower_bound_finish is not None
    assert again.finish is not None
    bound = _finish_bound(inputs, profile.start)

    def days(later: datetime, earlier: datetime) -> int:
        return (day_of(later, zone) - day_of(earlier, zone)).days

    return Outcome(
        capacity_days=days(plan.finish, plan.lower_bound_finish),
        capacity_hours=_window_hours(profile, plan.lower_bound_finish, plan.finish),
        bound_days=days(plan.finish, bound),
        bound_hours=_window_hours(profile, bound, plan.finish),
        proven=plan.solver.finish_proven_optimal,
        sessions_gap=100 * (plan.solver.sessions / max(plan.solver.sessions_lower_bound, 1) - 1),
        inversions=plan.order.inversions if plan.order is not None else 0,
        replan_days=days(again.finish, plan.finish),
        replan_sessions=len(again.study_sessions) - len(plan.study_sessions),
        seconds=result.seconds,
    )


def _finish_bound(inputs: PlanInputs, start: date) -> datetime:
    """Our finish bound as a moment: the end of axis slot `finish_bound - 1`."""
    graph = build_graph(inputs.roadmap, inputs.prerequisites, inputs.prerequisites_path)
    problem = build_problem(inputs, plan_requirements(inputs, graph), start)
    return problem.axis.slot_end(problem.needed_slots + problem.least_idle - 1)


def run(profiles: list[tuple[str, Profile]]) -> dict[str, dict[OrderMode, Outcome]]:
    with bundled_file("roadmap.yaml") as roadmap, bundled_file("prerequisites.yaml") as edges:
        roadmap_file, prerequisites = load_roadmap(roadmap), load_prerequisites(edges)
    results: dict[str, dict[OrderMode, Outcome]] = {}
    clock = time.perf_counter()
    for name, profile in profiles:
        inputs = PlanInputs(roadmap_file, prerequisites, profile, "prerequisites", name)
        results[name] = {mode: measure(inputs, mode) for mode in MODES}
        print(f"{name}: {time.perf_counter() - clock:.0f} s", file=sys.stderr)
    return results


def _median_worst(values: list[float], fmt: str) -> str:
    return f"{fmt.format(statistics.median(values))} / {fmt.format(max(values))}"


def _median_best(rows: list[Outcome]) -> str:
    """The re-plans' finish days and sessions against the first plan: the median and the
    best (the re-plan that gains most: an earlier day, else fewer sessions)."""
    best = min(rows, key=lambda r: (r.replan_days, r.replan_sessions))
    median_days = statistics.median(r.replan_days for r in rows)
    median_sessions = statistics.median(r.replan_sessions for r in rows)
    return (
        f"{median_days:+g} d, {median_sessions:+g} / {best.replan_days:+d} d, "
        f"{best.replan_sessions:+d}"
    )


def section(
    profiles: list[tuple[str, Profile]],
    results: dict[str, dict[OrderMode, Outcome]],
    label: str,
    command: str,
    seconds: float,
) -> list[str]:
    lines = [
        f"## Sparse weeks: first plans against our finish bounds ({label})",
        "",
        f"{date.today():%Y-%m-%d}, `{command}` ({len(results)} generated profiles of one or "
        f"two windows a week, bundled roadmap, {seconds:.0f} s). Finish gaps in days and in "
        "hours of window time, median / worst; proven: the plan reports its finish proven "
        "the earliest (before our finish bound, only plans at the capacity bound could). "
        "Re-plan on day one: `replan` on the first plan's start day with nothing reported, "
        "against the first plan (negative: the re-plan finishes sooner / has fewer); better: "
        "an earlier finish day, or the same day with fewer sessions.",
        "",
        "| Mode | Finish vs capacity bound, days | h of window time | Finish vs our finish "
        "bound, days | h of window time | Proven before / after | Sessions above our bound, "
        "% | Inversions | Re-plan on day one: better | finish days, sessions: median / best "
        "| Solve s |",
        "|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|",
    ]
    for mode in MODES:
        rows = [by_mode[mode] for by_mode in results.values()]
        at_capacity = sum(1 for r in rows if r.capacity_hours == 0)
        lines.append(
            f"| `{mode}` | {_median_worst([r.capacity_days for r in rows], '{:g}')} | "
            f"{_median_worst([r.capacity_hours for r in rows], '{:g}')} | "
            f"{_median_worst([r.bound_days for r in rows], '{:g}')} | "
            f"{_median_worst([r.bound_hours for r in rows], '{:g}')} | "
            f"{at_capacity} / {sum(r.proven for r in rows)} of {len(rows)} | "
            f"{_median_worst([r.sessions_gap for r in rows], '{:.1f}')} | "
            f"{_median_worst([r.inversions for r in rows], '{:g}')} | "
            f"{sum(r.replan_better for r in rows)} of {len(rows)} | "
            f"{_median_best(rows)} | "
            f"{_median_worst([r.seconds for r in rows], '{:.2f}')} |"
        )
    lines += [
        "",
        "Per profile, `balanced` then `free`: finish vs capacity bound / vs our finish bound "
        "(h of window time), inversions, re-plan on day one (finish days, sessions).",
        "",
        "| Profile | Week | Session min-max / slot | balanced | free |",
        "|---|---|---|--:|--:|",
    ]
    for name, profile in profiles:
        rules = profile.session
        week = ", ".join(f"{d} {' '.join(str(w) for w in ws)}" for d, ws in profile.weekly.items())
        cells = [
            f"{r.capacity_hours:g} / {r.bound_hours:g}, {r.inversions} inv, "
            f"{r.replan_days:+d} d {r.replan_sessions:+d}"
            for r in (results[name][mode] for mode in MODES)
        ]
        lines.append(
            f"| {name} | {week} | {rules.min_minutes}-{rules.max_minutes} / "
            f"{rules.slot_minutes} | " + " | ".join(cells) + " |"
        )
    return [*lines, ""]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.sparse",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--count", type=int, default=COUNT, help="generated profiles")
    parser.add_argument("--seed", type=int, default=SEED, help="the family's seed")
    parser.add_argument("--label", default="today", help="what was measured, shown in the section")
    parser.add_argument("--output", type=Path, default=RESULTS_PATH)
    arguments = parser.parse_args(argv)
    profiles = generate_sparse(arguments.count, arguments.seed)
    clock = time.perf_counter()
    results = run(profiles)
    given = sys.argv[1:] if argv is None else argv
    command = shlex.join(["python", "-m", "bench.sparse", *given])
    lines = section(profiles, results, arguments.label, command, time.perf_counter() - clock)
    print(write_section(arguments.output, KEY, lines))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
