"""Spaced reviews: what they cost the finish, how many are on time, and the solve time.

`python -m bench.reviews` plans the bundled roadmap with `review: true` (the defaults:
reviews 1, 7 and 30 days after a topic, 20 minutes, up to 3 days late) on the five
bench profiles and the generated family (`bench.family`), each also without reviews,
and writes its section of bench/RESULTS.md (between the markers).

- **Delay**: study time (usable window time, as the topics see it) between the last
  topic done without reviews and with them.
- **Review h**: the review time planned before the last topic is done. **Delay /
  review h** is the target's ratio (at most 1.1). **In slots**: the same reviews as the
  study time they take, back-to-back reviews rounded up to whole slots (a lone 20-minute
  review takes a 30-minute slot from the topics: 1.5x its minutes).
- **Absorbed h**: the review time the windows must absorb: review h less the reviews in
  window time the topics leave unused (after the last study session of their window,
  or in a window too short for a study session). **Delay / absorbed h** is the target's
  ratio read strictly: a review in unused time must not delay anything (it jumps where
  almost every review finds unused time: 2 h of delay against 0.3 h absorbed is 6x).
- **Least delay**: study time between the finish without reviews and the lower bound
  with them (`planner/planning/reviews/bound.py`): no plan with these reviews is done sooner.
- **On time**: reviews on their due day or within the slack (target: 95 % on profiles
  with three or more study days).
"""

from __future__ import annotations

import argparse
import bisect
import math
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from bench.family import generate_profiles
from bench.instances import PREREQUISITES_PATH, PROFILE_PATHS, ROADMAP_PATH
from bench.report import write_section
from planner.inputs.loading import load_prerequisites, load_profile, load_roadmap
from planner.inputs.plan_inputs import PlanInputs
from planner.models.plan import Plan, StudySession
from planner.models.profile import Profile, SessionRules
from planner.models.reviews import ReviewRules
from planner.planning.horizon import planning_windows
from planner.planning.pipeline import make_plan
from planner.timeline.axis import build_axis
from planner.timeline.windows import StudyWindow

RESULTS_PATH = Path(__file__).resolve().parent / "RESULTS.md"
SECTION = "reviews"
DELAY_TARGET, ON_TIME_TARGET = 1.1, 0.95


@dataclass(frozen=True)
class ReviewRow:
    name: str
    study_days: int
    reviews: int
    late: int
    review_hours: float  # review time before the last topic is done
    slot_hours: float  # the same, back-to-back reviews rounded up to whole slots
    free_hours: float  # ... of it in window time the topics leave unused
    delay_hours: float  # study time between the finish without and with reviews
    least_delay_hours: float  # ... between the finish without reviews and the bound with them
    finish_without: datetime
    finish: datetime
    last_review: datetime
    seconds_without: float
    seconds: float

    @property
    def ratio(self) -> float:
        return self.delay_hours / self.review_hours if self.review_hours else 0.0

    @property
    def absorbed_share(self) -> float:
        return 1 - self.free_hours / self.review_hours if self.review_hours else 1.0

    @property
    def absorbed_ratio(self) -> float:
        absorbed = self.review_hours - self.free_hours
        return self.delay_hours / absorbed if absorbed else 0.0

    @property
    def slot_ratio(self) -> float:
        return self.delay_hours / self.slot_hours if self.slot_hours else 0.0

    @property
    def on_time(self) -> float:
        return 1 - self.late / self.reviews if self.reviews else 1.0


def measure(name: str, inputs: PlanInputs) -> ReviewRow:
    """One profile planned without and with reviews (in process, no I/O)."""
    profile = inputs.profile
    assert profile.start is not None
    clock = time.perf_counter()
    without = make_plan(inputs, today=profile.start).plan
    middle = time.perf_counter()
    reviewing = inputs.with_profile(profile.model_copy(update={"review": ReviewRules()}))
    plan = make_plan(reviewing, today=profile.start).plan
    seconds = time.perf_counter() - middle
    report = plan.reviews
    assert report is not None and plan.finish is not None and without.finish is not None
    assert report.last_review is not None and report.lower_bound_finish is not None
    before = [s for s in plan.sessions if s.is_review and s.start_utc < plan.finish]
    last_day = plan.finish.astimezone(profile.zone).date() + timedelta(days=1)
    windows = planning_windows(reviewing, plan.start, last_day)
    study_time = _study_time(profile.session, windows)
    return ReviewRow(
        name=name,
        study_days=len(profile.weekly),
        reviews=report.reviews,
        late=report.late,
        review_hours=sum(s.minutes for s in before) / 60,
        slot_hours=_in_slots(before, profile.session.slot_minutes) / 60,
        free_hours=_in_unused_time(plan, before, windows, profile.session.min_minutes) / 60,
        delay_hours=study_time(without.finish, plan.finish),
        least_delay_hours=study_time(without.finish, report.lower_bound_finish),
        finish_without=without.finish,
        finish=plan.finish,
        last_review=report.last_review,
        seconds_without=middle - clock,
        seconds=seconds,
    )


def _in_slots(reviews: Sequence[StudySession], slot_minutes: int) -> float:
    """Minutes of back-to-back runs of reviews, each run rounded up to whole slots."""
    runs: list[float] = []
    last_end: datetime | None = None
    for review in sorted(reviews, key=lambda s: s.start_utc):
        if last_end is not None and review.start_utc == last_end:
            runs[-1] += review.minutes
        else:
            runs.append(review.minutes)
        last_end = review.end_utc
    return sum(math.ceil(run / slot_minutes) * slot_minutes for run in runs)


def _in_unused_time(
    plan: Plan, reviews: Sequence[StudySession], windows: Sequence[StudyWindow], min_minutes: int
) -> float:
    """Minutes of `reviews` in window time the topics leave unused: after the last study
    session of their window, or in a window too short for a study session."""
    starts = [window.start for window in windows]
    last_study: dict[int, datetime] = {}
    for session in plan.study_sessions:
        index = bisect.bisect_right(starts, session.start_utc) - 1
        last_study[index] = max(last_study.get(index, session.end_utc), session.end_utc)
    minutes = 0.0
    for review in reviews:
        index = bisect.bisect_right(starts, review.start_utc) - 1
        if index in last_study:
            unused = review.start_utc >= last_study[index]
        else:
            unused = windows[index].minutes < min_minutes
        minutes += review.minutes if unused else 0
    return minutes


def _study_time(
    rules: SessionRules, windows: Sequence[StudyWindow]
) -> Callable[[datetime, datetime], float]:
    """Hours of study time (the axis without reviews) from one moment to a later one."""
    axis = build_axis(list(windows), rules)
    starts = [axis.slot_start(k) for k in range(axis.total_slots)]

    def between(since: datetime, until: datetime) -> float:
        slots = sum(1 for start in starts if since <= start < until)
        return slots * rules.slot_minutes / 60

    return between


def bundled_rows() -> list[ReviewRow]:
    roadmap, prerequisites = load_roadmap(ROADMAP_PATH), load_prerequisites(PREREQUISITES_PATH)
    return [
        measure(path.stem, PlanInputs(roadmap, prerequisites, load_profile(path)))
        for path in PROFILE_PATHS
    ]


def family_rows(profiles: Sequence[tuple[str, Profile]]) -> list[ReviewRow]:
    roadmap, prerequisites = load_roadmap(ROADMAP_PATH), load_prerequisites(PREREQUISITES_PATH)
    rows = []
    for name, profile in profiles:
        print(f"bench.reviews: {name} ...", file=sys.stderr, flush=True)
        rows.append(measure(name, PlanInputs(roadmap, prerequisites, profile)))
    return rows


def bundled_table(rows: Sequence[ReviewRow]) -> list[str]:
    lines = [
        "| Profile | Reviews | On time | Review h (in slots) | Absorbed h | Delay h | Delay / "
        "review h (in slots) | Delay / absorbed h | Least delay h | Last topic: without → "
        "with reviews | Last review | Solve s: without / with |",
        "|---|--:|--:|--:|--:|--:|--:|--:|--:|---|---|--:|",
    ]
    for row in rows:
        lines.append(
            f"| {row.name} | {row.reviews} | {row.on_time:.0%} | {row.review_hours:.1f} "
            f"({row.slot_hours:.1f}) | {row.review_hours - row.free_hours:.1f} "
            f"| {row.delay_hours:.1f} | {row.ratio:.2f} ({row.slot_ratio:.2f}) "
            f"| {row.absorbed_ratio:.2f} | {row.least_delay_hours:.1f} "
            f"| {row.finish_without:%Y-%m-%d} → {row.finish:%Y-%m-%d} "
            f"| {row.last_review:%Y-%m-%d} | {row.seconds_without:.2f} / {row.seconds:.2f} |"
        )
    return lines


def family_table(rows: Sequence[ReviewRow]) -> list[str]:
    """Median and worst of each figure, over all profiles and over those with three or
    more study days."""
    spread = [row for row in rows if row.study_days >= 3]
    figures: list[tuple[str, Callable[[ReviewRow], float], str, bool]] = [
        ("Delay / review h", lambda r: r.ratio, "{:.2f}", True),
        ("Delay / review h in slots", lambda r: r.slot_ratio, "{:.2f}", True),
        ("Delay / absorbed h", lambda r: r.absorbed_ratio, "{:.2f}", True),
        ("Absorbed h / review h", lambda r: r.absorbed_share, "{:.0%}", True),
        ("Delay h", lambda r: r.delay_hours, "{:.1f}", True),
        ("Least delay h", lambda r: r.least_delay_hours, "{:.1f}", True),
        ("On time", lambda r: r.on_time, "{:.1%}", False),
        ("Solve s with reviews", lambda r: r.seconds, "{:.2f}", True),
        ("Solve s without", lambda r: r.seconds_without, "{:.2f}", True),
    ]
    lines = [
        f"| Figure | All {len(rows)}: median / worst | {len(spread)} with ≥ 3 study days: "
        "median / worst |",
        "|---|--:|--:|",
    ]
    for label, figure, fmt, larger_is_worse in figures:
        cells = []
        for group in (rows, spread):
            values = [figure(row) for row in group]
            worst = max(values) if larger_is_worse else min(values)
            cells.append(f"{fmt.format(statistics.median(values))} / {fmt.format(worst)}")
        lines.append(f"| {label} | {cells[0]} | {cells[1]} |")
    return lines


def targets_line(rows: Sequence[ReviewRow]) -> str:
    spread = [row for row in rows if row.study_days >= 3]
    delay_ok = sum(row.ratio <= DELAY_TARGET for row in rows)
    absorbed_ok = sum(row.absorbed_ratio <= DELAY_TARGET for row in rows)
    on_time_ok = sum(row.on_time >= ON_TIME_TARGET for row in spread)
    return (
        f"Targets: delay ≤ {DELAY_TARGET} x review h on {delay_ok} of {len(rows)} profiles "
        f"(≤ {DELAY_TARGET} x absorbed h on {absorbed_ok}); "
        f"≥ {ON_TIME_TARGET:.0%} on time on {on_time_ok} of {len(spread)} profiles with ≥ 3 "
        "study days."
    )


def reviews_section(count: int, note: str = "") -> list[str]:
    bundled = bundled_rows()
    family = family_rows(generate_profiles(count))
    return [
        "## Spaced reviews",
        "",
        (__doc__ or "").split("\n\n", 1)[1].strip(),
        "",
        *([note, ""] if note else []),
        "### Bundled roadmap, bench profiles",
        "",
        *bundled_table(bundled),
        "",
        f"### Bundled roadmap, the generated family ({len(family)} profiles)",
        "",
        *family_table(family),
        "",
        targets_line([*bundled, *family]),
        "",
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.reviews", description=__doc__)
    parser.add_argument("--profiles", type=int, default=48, help="generated profiles")
    parser.add_argument("--output", type=Path, default=RESULTS_PATH)
    parser.add_argument("--note", default="", help="a line on how this run was measured")
    arguments = parser.parse_args(argv)
    lines = reviews_section(arguments.profiles, arguments.note)
    write_section(arguments.output, SECTION, lines)
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
