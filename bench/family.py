"""A family of generated learner profiles (fixed seed), and what each order mode gives on them.

The five hand-picked bench profiles are what the solver was tuned on; these are not
(`bench.reviews` plans them too, with spaced reviews).
Each profile draws (from one seeded generator): 1-6 study days, one or two windows a day
of 45 min to 4 h at varied start times (some past midnight), 15- or 30-minute slots,
session rules from a list that includes min = max and maxima below the longest window,
a time zone with DST, with a 30- or 45-minute offset, or both, and 0-3 blackout ranges.

Every profile is planned in each mode (`roadmap`, `balanced`, `free`; the learner's own
mode only, as `planner whatif` does), on the bundled roadmap and on a synthetic roadmap
with fractional hours. Per mode: order inversions (% of topic pairs, against the
reference order, so 0 means nothing beyond what the prerequisites force), the largest
shift, sessions and finish against the `roadmap` plan (finish in hours of window time
between the two), the solve time, and the sessions above our proven bound (the gap the
plan reports: `solver.sessions / solver.sessions_lower_bound - 1`).
"""

from __future__ import annotations

import random
import statistics
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

from pydantic import ValidationError

from planner.inputs.loading import load_prerequisites, load_roadmap
from planner.inputs.plan_inputs import PlanInputs
from planner.models.fields import WEEKDAYS
from planner.models.order import ORDER_MODES, OrderMode
from planner.models.profile import Profile
from planner.planning.pipeline import make_plan
from planner.solver.settings import SolverSettings
from planner.timeline.axis import build_axis
from planner.timeline.windows import study_windows

SEED = 10
COUNT = 48
ZONES = [
    "Europe/Berlin", "America/New_York", "Australia/Sydney", "America/Santiago",
    "Australia/Lord_Howe",  # DST of 30 minutes
    "Asia/Kathmandu",  # +05:45, no DST
    "Asia/Kolkata",  # +05:30, no DST
    "America/St_Johns",  # -03:30 with DST
    "Pacific/Chatham",  # +12:45 with DST
]  # fmt: skip
START_TIMES = ["06:00", "07:30", "09:00", "12:15", "17:45", "18:00", "19:00", "20:30",
               "21:00", "22:00", "23:00", "23:30", "00:30", "01:00"]  # fmt: skip
SESSION_RULES = [  # (min, max) minutes
    (60, 180), (45, 120), (30, 90), (90, 90), (60, 60), (60, 120), (45, 45),
    (30, 240), (120, 120), (75, 150), (60, 90),
]  # fmt: skip
ALONE = SolverSettings(compare_orders=False)


def generate_profiles(count: int = COUNT, seed: int = SEED) -> list[tuple[str, Profile]]:
    """`count` valid profiles with at least 90 minutes of usable time a week, named
    by index, zone and study days. Draws that make an invalid profile are drawn again."""
    rng = random.Random(seed)
    profiles: list[tuple[str, Profile]] = []
    while len(profiles) < count:
        try:
            profile = _draw(rng)
        except ValidationError:
            continue
        if _usable_minutes_a_week(profile) < 90:
            continue
        zone = profile.timezone.split("/")[-1].lower()
        profiles.append((f"g{len(profiles) + 1:02d}-{zone}-{len(profile.weekly)}d", profile))
    return profiles


def _draw(rng: random.Random) -> Profile:
    days = sorted(rng.sample(range(7), rng.randint(1, 6)))
    weekly: dict[str, list[str]] = {}
    for day in days:
        starts = sorted(rng.sample(START_TIMES, 2 if rng.random() < 0.25 else 1))
        weekly[WEEKDAYS[day]] = [_window(start, rng.randrange(45, 241, 15)) for start in starts]
    start = date(2027, 1, 4) + timedelta(days=rng.randrange(365))
    blackouts = []
    for _ in range(rng.randint(0, 3)):
        first = start + timedelta(days=rng.randrange(400))
        blackouts.append({"from": first, "to": first + timedelta(days=rng.randrange(14))})
    low, high = rng.choice(SESSION_RULES)
    return Profile.model_validate(
        {
            "timezone": rng.choice(ZONES),
            "start": start,
            "weekly": weekly,
            "blackouts": blackouts,
            "session": {
                "min_minutes": low,
                "max_minutes": high,
                "slot_minutes": rng.choice([15, 30]),
            },
        }
    )


def _window(start: str, minutes: int) -> str:
    begin = datetime.strptime(start, "%H:%M")
    return f"{start}-{begin + timedelta(minutes=minutes):%H:%M}"


def _usable_minutes_a_week(profile: Profile) -> int:
    rules = profile.session
    return sum(
        rules.usable_slots(_minutes(window) // rules.slot_minutes) * rules.slot_minutes
        for windows in profile.weekly.values()
        for window in windows
    )


def _minutes(window: object) -> int:
    text = str(window)
    first, last = (datetime.strptime(part, "%H:%M") for part in text.split("-"))
    return int((last - first).total_seconds() // 60) % (24 * 60) or 24 * 60


@dataclass(frozen=True)
class ModeResult:
    """One profile planned in one mode."""

    inversions_percent: float
    largest_shift: int
    sessions_vs_roadmap: int  # sessions minus the roadmap plan's
    finish_vs_roadmap_hours: float  # window time from the roadmap plan's finish to this one
    seconds: float
    bound_gap_percent: float  # sessions above our proven bound (`sessions_lower_bound`), %


def run_family(
    roadmap_path: Path, prerequisites_path: Path, profiles: Sequence[tuple[str, Profile]]
) -> dict[str, dict[OrderMode, ModeResult]]:
    """Every profile planned in every mode; results by profile name and mode."""
    results: dict[str, dict[OrderMode, ModeResult]] = {}
    roadmap_file, prerequisites = load_roadmap(roadmap_path), load_prerequisites(prerequisites_path)
    for name, profile in profiles:
        plans = {}
        for mode in ORDER_MODES:
            inputs = PlanInputs(
                roadmap_file,
                prerequisites,
                profile.model_copy(update={"order": mode}),
                prerequisites_path,
                name,
            )
            assert profile.start is not None
            plans[mode] = make_plan(inputs, today=profile.start, settings=ALONE)
        roadmap = plans["roadmap"].plan
        results[name] = {}
        for mode, result in plans.items():
            plan, order = result.plan, result.plan.order
            assert order is not None and plan.finish is not None and roadmap.finish is not None
            results[name][mode] = ModeResult(
                inversions_percent=100 * order.inversions / max(order.pairs, 1),
                largest_shift=order.largest_shift,
                sessions_vs_roadmap=plan.solver.sessions - roadmap.solver.sessions,
                finish_vs_roadmap_hours=_window_hours(profile, roadmap.finish, plan.finish),
                seconds=result.seconds,
                bound_gap_percent=_gap_percent(
                    plan.solver.sessions, plan.solver.sessions_lower_bound
                ),
            )
    return results


def _gap_percent(sessions: int, bound: int) -> float:
    return 100 * (sessions / bound - 1) if bound else 0.0


def _window_hours(profile: Profile, since: datetime, until: datetime) -> float:
    """Usable window time between two moments, negative when `until` is earlier."""
    first, last = sorted([since, until])
    assert profile.start is not None
    zone = profile.zone
    windows = study_windows(profile, profile.start, last.astimezone(zone).date())
    axis = build_axis(windows, profile.session)
    slots = sum(1 for k in range(axis.total_slots) if first <= axis.slot_start(k) < last)
    hours = slots * profile.session.slot_minutes / 60
    return hours if until >= since else -hours


Metric = Callable[[ModeResult], float]
METRICS: list[tuple[str, Metric, str]] = [
    ("Inversions, % of pairs", lambda r: r.inversions_percent, "{:.1f}"),
    ("Largest shift", lambda r: r.largest_shift, "{:.0f}"),
    ("Sessions vs roadmap plan", lambda r: r.sessions_vs_roadmap, "{:+.0f}"),
    ("Finish vs roadmap plan, h of window time", lambda r: r.finish_vs_roadmap_hours, "{:+.1f}"),
    ("Solve s", lambda r: r.seconds, "{:.2f}"),
    ("Sessions above our bound, %", lambda r: r.bound_gap_percent, "{:.1f}"),
]


def summary_table(results: dict[str, dict[OrderMode, ModeResult]]) -> list[str]:
    """Median and worst (the largest value) of each metric, per mode."""
    header = " | ".join(f"{name}: median / worst" for name, _, _ in METRICS)
    lines = [f"| Mode | {header} |", "|---|" + "--:|" * len(METRICS)]
    for mode in ORDER_MODES:
        cells = []
        for _name, metric, fmt in METRICS:
            values = [metric(by_mode[mode]) for by_mode in results.values()]
            cells.append(f"{fmt.format(statistics.median(values))} / {fmt.format(max(values))}")
        lines.append(f"| `{mode}` | " + " | ".join(cells) + " |")
    return lines


def profile_table(
    profiles: Sequence[tuple[str, Profile]], results: dict[str, dict[OrderMode, ModeResult]]
) -> list[str]:
    """One row per profile: what it is, and each mode's inversions, sessions and finish."""
    lines = [
        "| Profile | Week | Session min-max / slot | Inversions % r/b/f | Shift b/f | "
        "Sessions vs roadmap b/f | Finish vs roadmap h b/f | Above bound % r/b/f |",
        "|---|---|---|--:|--:|--:|--:|--:|",
    ]
    for name, profile in profiles:
        row = results[name]
        week = ", ".join(
            f"{day} {' '.join(str(w) for w in windows)}" for day, windows in profile.weekly.items()
        )
        rules = profile.session
        lines.append(
            f"| {name} | {week} | {rules.min_minutes}-{rules.max_minutes} / "
            f"{rules.slot_minutes} | "
            + " / ".join(f"{row[m].inversions_percent:.1f}" for m in ORDER_MODES)
            + f" | {row['balanced'].largest_shift} / {row['free'].largest_shift} | "
            f"{row['balanced'].sessions_vs_roadmap:+d} / {row['free'].sessions_vs_roadmap:+d} | "
            f"{row['balanced'].finish_vs_roadmap_hours:+g} / "
            f"{row['free'].finish_vs_roadmap_hours:+g} | "
            + " / ".join(f"{row[m].bound_gap_percent:.1f}" for m in ORDER_MODES)
            + " |"
        )
    return lines
