"""Re-plan quality against a fresh plan from the same state (issue 25).

Each profile of a generated family (`bench.family`, fixed seed) is planned on the bundled
roadmap, then one event happens and it is re-planned two weeks after its start, from the
first moment of that local day (`replan(..., now=start + 14 days)`):

- followed: nothing reported, so the plan was followed;
- missed week: week 2 missed (`missed: [{from: start + 7, to: start + 13}]`);
- meeting: a new 2-hour busy event at the start of a session of week 4 (seeded choice;
  the first later week with sessions if week 4 has none);
- half session: the first session of week 2 that is two slots or longer done for half
  its minutes, rounded down to the slot (failing that, the first session of week 2 for
  one slot, or the last session before the re-plan day);
- week changed: one weekly window removed (seeded choice) from the re-plan day on.

Beside each re-plan, a fresh plan from the same state: `make_plan` from the moment the
re-plan starts (the re-plan day's first moment, unless a session runs over midnight into
it: then that session's start or end, as the re-plan rule says), with the topics the
re-plan has nothing left of in `skip`, each other topic's hours left as an `hours`
override, and the same busy calendar and profile change. Hours left are taken from the
re-plan itself: its upcoming study minutes per topic (the full minutes less those
studied, in whole slots), so that both plans plan the same minutes.

Measured per re-plan: its study sessions against the fresh plan's, its finish against
the fresh finish (in the learner's days), the sessions changed in the 14 days from the
re-plan start (those of either plan there that the other does not have at the same
time: moved, dropped, added, or moved in from later), the sessions changed overall
(moved + added + dropped, `ReplanResult.changes`) and the solver's seconds. A case that
raises a PlannerError is counted as failed. All but the seconds is deterministic. Run:

    python -m bench.replan_quality [--count 40] [--seed 25] [--label TEXT]
        [--key replan-quality] [--output bench/RESULTS.md]
"""

from __future__ import annotations

import argparse
import os
import random
import shlex
import statistics
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import icalendar

from bench.family import generate_profiles
from bench.report import write_section
from planner.errors import PlannerError
from planner.inputs.busy_calendar import BusyCalendar, BusyCalendarFile
from planner.inputs.loading import bundled_file, load_prerequisites, load_roadmap
from planner.inputs.plan_inputs import PlanInputs
from planner.models.busy import BusySource
from planner.models.plan import Plan, StudySession
from planner.models.profile import Profile
from planner.models.progress import Progress
from planner.planning.pipeline import PlanResult, make_plan
from planner.planning.replan import replan
from planner.solver.settings import SolverSettings
from planner.timeline.clock import day_of, start_of_day

RESULTS_PATH = Path(__file__).resolve().parent / "RESULTS.md"
COUNT, SEED, KEY = 40, 25, "replan-quality"
REPLAN_AFTER = timedelta(days=14)
CALM_DAYS = 14  # the stretch after the re-plan start whose changes the learner feels most
# The learner's own order mode only, as a re-plan does: the other modes are not compared.
ALONE = SolverSettings(compare_orders=False)


@dataclass(frozen=True)
class Case:
    """One event on one profile, ready to re-plan: the inputs (busy time, changed week)
    and what the learner reports."""

    inputs: PlanInputs
    progress: Progress


@dataclass(frozen=True)
class Outcome:
    """A re-plan measured against the fresh plan from the same state."""

    sessions: int  # the re-plan's upcoming study sessions
    fresh_sessions: int
    finish_days: int  # the re-plan's finish day minus the fresh plan's (learner's days)
    changed_ahead: int  # sessions changed in the CALM_DAYS after the re-plan start
    changed: int  # moved + added + dropped
    seconds: float  # the re-plan's solver
    fresh_seconds: float
    off_midnight: bool  # the re-plan starts elsewhere than the re-plan day's first moment

    @property
    def worse(self) -> bool:
        """Worse by the re-plan's objective: a later finish day, or the same day with more
        sessions (a re-plan that finishes a day sooner with more sessions is better).
        Days are the learner's: the re-plan ranks finishes by day (`calm.replan_rank`)."""
        return self.later or (self.finish_days == 0 and self.sessions > self.fresh_sessions)

    @property
    def later(self) -> bool:
        return self.finish_days > 0

    @property
    def over_percent(self) -> float:
        return 100 * (self.sessions / self.fresh_sessions - 1) if self.fresh_sessions else 0.0


class CaseFailed(Exception):
    """A PlannerError in one step of a case (`step`: "first plan", "re-plan", "fresh
    plan"): counted as failed, and the run goes on."""

    def __init__(self, step: str, error: PlannerError) -> None:
        super().__init__(f"{step}: {type(error).__name__}: {' '.join(error.message.split())}")


def _followed(inputs: PlanInputs, plan: Plan, rng: random.Random) -> Case | None:
    return Case(inputs, Progress())


def _missed_week(inputs: PlanInputs, plan: Plan, rng: random.Random) -> Case | None:
    start = _start(inputs.profile)
    missed = [{"from": start + timedelta(days=7), "to": start + timedelta(days=13)}]
    return Case(inputs, Progress.model_validate({"missed": missed}))


def _meeting(inputs: PlanInputs, plan: Plan, rng: random.Random) -> Case | None:
    start, zone = _start(inputs.profile), inputs.profile.zone
    for week in range(3, 53):  # week 4, else the first later week with a session
        first, last = start + timedelta(weeks=week), start + timedelta(weeks=week + 1)
        sessions = [s for s in plan.study_sessions if first <= day_of(s.start_utc, zone) < last]
        if sessions:
            target = rng.choice(sessions).start_utc
            body = _calendar_with_meeting(target, target + timedelta(hours=2))
            busy = BusyCalendar([BusyCalendarFile(BusySource(ics="work.ics"), body)])
            return Case(replace(inputs, busy=busy), Progress())
    return None


def _calendar_with_meeting(start: datetime, end: datetime) -> bytes:
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//Roadmap Planner bench//replan quality//EN")
    calendar.add("version", "2.0")
    event = icalendar.Event()
    event.add("uid", "meeting@bench.example.org")
    event.add("dtstamp", datetime(2026, 12, 1, tzinfo=UTC))  # from the bench, not the clock
    event.add("dtstart", start)
    event.add("dtend", end)
    calendar.add_component(event)
    return bytes(calendar.to_ical())


def _half_session(inputs: PlanInputs, plan: Plan, rng: random.Random) -> Case | None:
    start, zone = _start(inputs.profile), inputs.profile.zone
    slot = inputs.profile.session.slot_minutes
    before = [s for s in plan.study_sessions if day_of(s.start_utc, zone) < start + REPLAN_AFTER]
    week_two = [s for s in before if day_of(s.start_utc, zone) >= start + timedelta(days=7)]
    # A one-slot session (a topic's last few minutes) has no half: done for one slot it
    # would be done as planned, so the first one long enough to halve is taken.
    candidates = [s for s in week_two if s.minutes >= 2 * slot] or week_two
    if not before:
        return None
    session = min(candidates, key=_utc_start) if candidates else max(before, key=_utc_start)
    minutes = max(slot, int(session.minutes) // 2 // slot * slot)
    record = {"session": session.uid, "minutes": minutes}
    return Case(inputs, Progress.model_validate({"sessions": [record]}))


def _week_changed(inputs: PlanInputs, plan: Plan, rng: random.Random) -> Case | None:
    profile = inputs.profile
    windows = [(day, index) for day, days in profile.weekly.items() for index in range(len(days))]
    if len(windows) < 2:
        return None  # no week is left without its only window
    gone_day, gone_index = rng.choice(windows)
    weekly = {
        day: tuple(w for index, w in enumerate(days) if (day, index) != (gone_day, gone_index))
        for day, days in profile.weekly.items()
    }
    weekly = {day: days for day, days in weekly.items() if days}
    return Case(inputs.with_profile(profile.model_copy(update={"weekly": weekly})), Progress())


EventMaker = Callable[[PlanInputs, Plan, random.Random], Case | None]
EVENTS: list[tuple[str, EventMaker, str]] = [  # name, maker, why it may not apply
    ("followed", _followed, ""),
    ("missed week", _missed_week, ""),
    ("meeting", _meeting, "no session after week 3"),
    ("half session", _half_session, "no session before the re-plan day"),
    ("week changed", _week_changed, "one window a week"),
]


def _start(profile: Profile) -> date:
    assert profile.start is not None, "generated profiles have a start"
    return profile.start


def _utc_start(session: StudySession) -> datetime:
    return session.start_utc


def measure(case: Case, previous: Plan) -> Outcome:
    """Re-plan `case`, and plan afresh from the state the re-plan starts from.

    Raises:
        CaseFailed: the re-plan or the fresh plan raised a PlannerError.
    """
    day, zone = _start(case.inputs.profile) + REPLAN_AFTER, case.inputs.profile.zone
    try:
        result = replan(case.inputs, previous, case.progress, now=day)
    except PlannerError as error:
        raise CaseFailed("re-plan", error) from error
    new = result.plan
    # A session running over midnight into the re-plan day makes the re-plan start at
    # its start (kept, as not yet reported) or its end (reported): the fresh plan starts
    # at the same moment, so that neither has window time the other has not.
    at = result.start.at if result.start is not None else start_of_day(day, zone)
    try:
        fresh = fresh_plan(case.inputs, new, at)
    except PlannerError as error:
        raise CaseFailed("fresh plan", error) from error
    new_finish, fresh_finish = new.finish or at, fresh.plan.finish or at
    changes = result.changes
    return Outcome(
        sessions=sum(1 for s in new.upcoming if not s.is_review),
        fresh_sessions=len(fresh.plan.study_sessions),
        finish_days=(day_of(new_finish, zone) - day_of(fresh_finish, zone)).days,
        changed_ahead=changed_ahead(
            previous, new, at, start_of_day(day + timedelta(days=CALM_DAYS), zone)
        ),
        changed=changes.moved + changes.added + changes.dropped,
        seconds=result.seconds,
        fresh_seconds=fresh.seconds,
        off_midnight=at != start_of_day(day, zone),
    )


def fresh_plan(inputs: PlanInputs, new: Plan, at: datetime) -> PlanResult:
    """A first plan from `at` of what the re-plan `new` has left: the topics it plans no
    more of skipped, the others' hours set to its upcoming study minutes, and the topics
    begun and not finished as goals, the one studied last first: a re-plan goes on with
    them first (a topic is studied in one run), and a goal is how a first plan is told."""
    minutes_left: Counter[str] = Counter()
    for session in new.upcoming:
        if not session.is_review:
            minutes_left[session.topic] += round(session.minutes)
    day = day_of(at, inputs.profile.zone)
    last_studied = {
        s.topic: s.end_utc for s in sorted(new.sessions, key=lambda s: s.end_utc) if s.done
    }
    begun = sorted(
        (topic for topic in minutes_left if topic in last_studied),
        key=lambda topic: last_studied[topic],
        reverse=True,
    )
    state = {
        "start": day,
        "goals": (*begun, *inputs.profile.goals),
        "skip": tuple(t.id for t in inputs.roadmap.topics if t.id not in minutes_left),
        "hours": {topic: minutes / 60 for topic, minutes in minutes_left.items()},
    }
    profile = inputs.profile.model_copy(update=state)
    return make_plan(inputs.with_profile(profile), today=day, now=at, settings=ALONE)


def changed_ahead(previous: Plan, new: Plan, first: datetime, last: datetime) -> int:
    """Sessions in [first, last) of either plan that the other does not have at the same
    time: a previous one moved or dropped, a new one added or moved in from elsewhere."""
    before = {s.uid: (s.start_utc, s.end_utc) for s in previous.sessions}
    after = {s.uid: (s.start_utc, s.end_utc) for s in new.sessions}
    changed = {
        s.uid
        for sessions, other in ((previous.upcoming, after), (new.upcoming, before))
        for s in sessions
        if first <= s.start_utc < last and other.get(s.uid) != (s.start_utc, s.end_utc)
    }
    return len(changed)


Results = dict[str, dict[str, Outcome | str]]  # by profile, by event; a str: "n/a", "failed"


def run(
    profiles: list[tuple[str, Profile]], seed: int
) -> tuple[Results, list[tuple[str, str, str]]]:
    """Every event on every profile; the outcomes, and (profile, event, what failed) of
    each case that raised a PlannerError (a first plan's failure counts for all five)."""
    with bundled_file("roadmap.yaml") as roadmap, bundled_file("prerequisites.yaml") as edges:
        roadmap_file, prerequisites = load_roadmap(roadmap), load_prerequisites(edges)
    results: Results = {}
    failures: list[tuple[str, str, str]] = []
    clock = time.perf_counter()
    for name, profile in profiles:
        inputs = PlanInputs(roadmap_file, prerequisites, profile, "prerequisites", name)
        results[name] = {}
        try:
            first = make_plan(inputs, today=_start(profile), settings=ALONE).plan
        except PlannerError as error:
            failures.append((name, "every event", str(CaseFailed("first plan", error))))
            results[name] = {event: "failed" for event, _, _ in EVENTS}
            continue
        for event, make_case, _ in EVENTS:
            # One generator per profile and event: a case does not depend on the others.
            case = make_case(inputs, first, random.Random(f"{seed}:{name}:{event}"))
            if case is None:
                results[name][event] = "n/a"
                continue
            try:
                results[name][event] = measure(case, first)
            except CaseFailed as failure:
                failures.append((name, event, str(failure)))
                results[name][event] = "failed"
        print(f"{name}: {time.perf_counter() - clock:.0f} s", file=sys.stderr)
    return results, failures


Metric = Callable[[Outcome], float]
SUMMARY: list[tuple[str, Metric, str]] = [
    ("Sessions over fresh, %", lambda o: o.over_percent, "{:+.1f}"),
    ("Finish vs fresh, days", lambda o: o.finish_days, "{:+g}"),
    (f"Changed in the next {CALM_DAYS} days", lambda o: o.changed_ahead, "{:g}"),
    ("Changed overall", lambda o: o.changed, "{:g}"),
    ("Re-plan solve s", lambda o: o.seconds, "{:.2f}"),
    ("Fresh solve s", lambda o: o.fresh_seconds, "{:.2f}"),
]


def summary_table(results: Results) -> list[str]:
    """Per event: how many re-plans are worse than fresh, and each metric's median and
    worst (the largest value)."""
    header = " | ".join(f"{name}: median / worst" for name, _, _ in SUMMARY)
    lines = [
        f"| Event | Re-plans | Worse than fresh (finish, then sessions) | More sessions than "
        f"fresh | Finish later than fresh | {header} |",
        "|---|---|--:|--:|--:|" + "--:|" * len(SUMMARY),
    ]
    for event, _, _ in EVENTS:
        cells = [by_event[event] for by_event in results.values()]
        outcomes = [c for c in cells if isinstance(c, Outcome)]
        counted = f"{len(outcomes)}" + "".join(
            f", {cells.count(word)} {word}" for word in ("failed", "n/a") if word in cells
        )
        if not outcomes:
            lines.append(f"| {event} | {counted} | | | |" + " |" * len(SUMMARY))
            continue
        worse = sum(1 for o in outcomes if o.worse)
        more = sum(1 for o in outcomes if o.sessions > o.fresh_sessions)
        later = sum(1 for o in outcomes if o.later)
        metrics = [
            f"{fmt.format(statistics.median(v))} / {fmt.format(max(v))}"
            for v, fmt in (([metric(o) for o in outcomes], fmt) for _, metric, fmt in SUMMARY)
        ]
        lines.append(
            f"| {event} | {counted} | {worse} | {more} | {later} | " + " | ".join(metrics) + " |"
        )
    return lines


def profile_table(results: Results) -> list[str]:
    """One row per profile: each event's sessions and finish against fresh, and the
    sessions changed in the next days and overall."""
    lines = [
        "| Profile | " + " | ".join(event for event, _, _ in EVENTS) + " |",
        "|---|" + "--:|" * len(EVENTS),
    ]
    for name, by_event in results.items():
        cells = [
            f"{c.sessions - c.fresh_sessions:+d} / {c.finish_days:+d} / "
            f"{c.changed_ahead} / {c.changed}"
            if isinstance(c, Outcome)
            else c
            for c in (by_event[event] for event, _, _ in EVENTS)
        ]
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    return lines


def section(
    results: Results, failures: list[tuple[str, str, str]], label: str, command: str, seconds: float
) -> list[str]:
    outcomes = [c for r in results.values() for c in r.values() if isinstance(c, Outcome)]
    followed = [c for c in (r["followed"] for r in results.values()) if isinstance(c, Outcome)]
    lines = [
        f"## Re-plan quality against a fresh plan: {label}",
        "",
        f"{date.today():%Y-%m-%d}, commit `{_commit()}`, `{command}` "
        f"({len(results)} generated profiles, {seconds:.0f} s on {os.cpu_count()} CPUs).",
        "",
        "Each profile is re-planned two weeks after its start, from that day's first moment, "
        "after one event: the plan followed (nothing reported), week 2 missed, a new 2-hour "
        "meeting over a session of week 4, the first session of week 2 done for half its "
        "minutes, one weekly window removed. The fresh plan starts at the same moment with "
        "the topics left and their minutes left (`skip`, `hours`), the same busy time and "
        "week, and the topics begun as goals (a re-plan goes on with them first). Worse "
        "than fresh: a later finish day, or the same day with more sessions (the re-plan's "
        "objective ranks finishes by the learner's day; the fresh plan's by the minute). "
        f"{sum(1 for o in outcomes if o.off_midnight)} of {len(outcomes)} re-plans "
        "start elsewhere than at midnight: at the start of an unreported session running "
        "over midnight into the day, or at the end of a reported one. Changed in the next "
        f"{CALM_DAYS} days: sessions of either plan there that the other does not have at "
        "the same time. Worst is the largest value.",
        "",
        *summary_table(results),
        "",
        f"After following the plan, {sum(1 for o in followed if o.changed)} of {len(followed)} "
        "re-plans changed a session.",
        "",
    ]
    if failures:
        lines += ["Failed (PlannerError):", ""]
        lines += [f"- {name}, {event}: {failure}" for name, event, failure in failures]
        lines.append("")
    not_applicable = [f"{event}: {why}" for event, _, why in EVENTS if why]
    lines += [
        "Per profile: sessions vs fresh / finish vs fresh (days) / changed in the next "
        f"{CALM_DAYS} days / changed overall; n/a: the event does not apply ("
        + "; ".join(not_applicable)
        + ").",
        "",
        *profile_table(results),
        "",
    ]
    return lines


def _commit() -> str:
    """The commit the planner was measured at, marked when `planner/` has changes on it."""
    folder = Path(__file__).resolve().parent.parent
    git = ["git", "-C", str(folder)]
    commit = subprocess.run([*git, "rev-parse", "--short", "HEAD"], capture_output=True, text=True)
    dirty = subprocess.run([*git, "diff", "--quiet", "HEAD", "--", "planner"], check=False)
    return commit.stdout.strip() + (
        " + uncommitted changes in planner/" if dirty.returncode else ""
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.replan_quality",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--count", type=int, default=COUNT, help="generated profiles")
    parser.add_argument("--seed", type=int, default=SEED, help="the family's and the events' seed")
    parser.add_argument("--label", default="today", help="what was measured, shown in the section")
    parser.add_argument("--key", default=KEY, help="the section's marker in the results file")
    parser.add_argument("--output", type=Path, default=RESULTS_PATH)
    arguments = parser.parse_args(argv)
    clock = time.perf_counter()
    results, failures = run(generate_profiles(arguments.count, arguments.seed), arguments.seed)
    seconds = time.perf_counter() - clock
    given = sys.argv[1:] if argv is None else argv
    command = shlex.join(["python", "-m", "bench.replan_quality", *given])
    lines = section(results, failures, arguments.label, command, seconds)
    print(write_section(arguments.output, arguments.key, lines))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
