"""Busy calendars: expanding a large calendar, planning around it, and re-planning after
one new meeting.

`python -m bench.busy` writes its section of bench/RESULTS.md (between the markers) and
leaves the rest of the file alone. The calendar is generated with a fixed seed: five
years of 20 weekly one-hour series (half end after five years, half never end) in
Europe/Berlin with 500 exceptions (260 EXDATEs, 240 instances moved by RECURRENCE-ID).
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from functools import cache
from pathlib import Path
from zoneinfo import ZoneInfo

import icalendar

from bench.instances import PROFILE_PATHS, REPOSITORY
from bench.report import write_section
from planner.inputs.busy_calendar import BusyCalendar, BusyCalendarFile
from planner.inputs.loading import load_prerequisites, load_profile, load_roadmap
from planner.inputs.plan_inputs import PlanInputs
from planner.models.busy import BusySource
from planner.models.plan import Plan
from planner.models.progress import Progress
from planner.planning.pipeline import make_plan
from planner.planning.replan import ReplanResult, replan

RESULTS_PATH = Path(__file__).resolve().parent / "RESULTS.md"
BERLIN = ZoneInfo("Europe/Berlin")
FIRST_DAY = date(2027, 1, 4)
SERIES, EXDATES, MOVED = 20, 13, 12  # per series: 20 x 25 = 500 exceptions


def five_year_calendar(seed: int = 14) -> bytes:
    """The benchmark's busy calendar (see the module docstring)."""
    rng = random.Random(seed)
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//Roadmap Planner bench//busy//EN")
    calendar.add("version", "2.0")
    stamp = datetime(2026, 12, 1, tzinfo=UTC)
    for index in range(SERIES):
        # Most series in working hours; one in four on a study evening or Saturday.
        evenings = [(0, 19), (2, 20), (5, 10), (5, 12)]
        working_hours = [(day, hour) for day in range(5) for hour in (9, 11, 14, 16)]
        weekday, hour = rng.choice(evenings if index % 4 == 0 else working_hours)
        first = datetime.combine(
            FIRST_DAY + timedelta(days=weekday),
            datetime.min.time().replace(hour=hour),
            tzinfo=BERLIN,
        )
        uid = f"series-{index}@bench.example.org"
        series = _event(uid, first, first + timedelta(hours=1), stamp)
        rule = {"freq": "weekly"}
        if index % 2:
            rule["until"] = datetime(2031, 12, 31, tzinfo=UTC)  # type: ignore[assignment]
        series.add("rrule", rule)
        weeks = rng.sample(range(1, 260), EXDATES + MOVED)
        series.add("exdate", [first + timedelta(weeks=w) for w in weeks[:EXDATES]])
        calendar.add_component(series)
        for week in weeks[EXDATES:]:
            original = first + timedelta(weeks=week)
            moved = original + timedelta(days=rng.choice([-1, 1]), hours=rng.choice([-2, 2]))
            override = _event(uid, moved, moved + timedelta(hours=1), stamp)
            override.add("recurrence-id", original)
            calendar.add_component(override)
    return calendar.to_ical()


def _event(uid: str, start: datetime, end: datetime, stamp: datetime) -> icalendar.Event:
    event = icalendar.Event()
    event.add("uid", uid)
    event.add("dtstamp", stamp)
    event.add("dtstart", start)
    event.add("dtend", end)
    return event


@cache
def _bundled() -> PlanInputs:
    return PlanInputs(
        load_roadmap(REPOSITORY / "data" / "roadmap.yaml"),
        load_prerequisites(REPOSITORY / "data" / "prerequisites.yaml"),
        load_profile(PROFILE_PATHS[0]),  # the example learner: 8 h a week
    )


def _inputs(body: bytes) -> PlanInputs:
    """The bundled inputs with `body` as the busy calendar, not yet parsed."""
    busy = BusyCalendar([BusyCalendarFile(BusySource(ics="work.ics"), body)])
    return replace(_bundled(), busy=busy)


def _with_meeting(body: bytes, start: datetime) -> bytes:
    meeting = _event("new@bench.example.org", start, start + timedelta(hours=1), start)
    text = meeting.to_ical()
    return body.replace(b"END:VCALENDAR", text + b"END:VCALENDAR")


def _timed(function: object, runs: int) -> tuple[float, object]:
    seconds, result = [], None
    for _ in range(runs):
        clock = time.perf_counter()
        result = function()  # type: ignore[operator]
        seconds.append(time.perf_counter() - clock)
    return statistics.median(seconds), result


def busy_section(runs: int) -> list[str]:
    body = five_year_calendar()
    expand_s, busy = _timed(
        lambda: BusyCalendar([BusyCalendarFile(BusySource(ics="w"), body)]).busy_time(
            BERLIN, FIRST_DAY, FIRST_DAY + timedelta(days=5 * 365)
        ),
        runs,
    )
    plan_s, first = _timed(lambda: make_plan(_inputs(body), today=FIRST_DAY), runs)
    plan = first.plan  # type: ignore[attr-defined]
    rows = _replans(body, plan, runs)
    lines = [
        "## Busy calendars",
        "",
        f"A generated calendar ({len(body) / 1024:.0f} KiB, fixed seed): 20 weekly one-hour "
        "series over five years (half without an end; one in four on a study evening or "
        "Saturday morning, the rest in working hours), 500 exceptions (260 EXDATEs, 240 "
        "instances moved by RECURRENCE-ID), Europe/Berlin. `python -m bench.busy` "
        f"(median of {runs} runs, in process).",
        "",
        "| What | Result |",
        "|---|---|",
        f"| Parse + expand five years | {expand_s:.2f} s, "  # type: ignore[attr-defined]
        f"{len(busy.intervals)} busy intervals |",
        f"| Plan the bundled roadmap, example profile, around it | {plan_s:.2f} s; "
        f"{plan.busy.hours:g} h of study windows taken, finish {plan.finish:%Y-%m-%d} |",
        "",
        "Re-plan after one new one-hour meeting, as of week 8 (all done so far), the meeting "
        f"on one of {len(rows)} planned sessions drawn with a fixed seed:",
        "",
        "| | Median | Worst |",
        "|---|--:|--:|",
    ]
    for label, key, unit in (
        ("Re-plan s (parse, expand, solve; no I/O)", "seconds", ".2f"),
        ("Sessions hit by the meeting", "hit", "d"),
        ("Sessions kept (same UID, same time)", "kept", "d"),
        ("Sessions moved (same UID, new time)", "moved", "d"),
        ("Finish later by (days)", "days", "d"),
    ):
        values = [row[key] for row in rows]
        worst = min(values) if key == "kept" else max(values)
        median = statistics.median(values)
        lines.append(f"| {label} | {median:{unit if unit != 'd' else 'g'}} | {worst:{unit}} |")
    lines += [
        "",
        "Sessions before the first one the meeting takes never move; from there the rest is "
        "re-packed in the same order (one topic at a time, never interleaved), so the sessions "
        "after it shift by the time lost unless the plan had room.",
        "",
    ]
    return lines


def _replans(body: bytes, plan: Plan, runs: int) -> list[dict[str, float]]:
    as_of = FIRST_DAY + timedelta(weeks=8)
    progress = Progress.model_validate({"as_of": as_of})
    ahead = [s for s in plan.sessions if s.start.date() >= as_of + timedelta(days=7)]
    rng = random.Random(14)
    rows = []
    for target in rng.sample(ahead, 10):
        changed = _with_meeting(body, target.start)
        seconds, result = _timed(
            lambda c=changed: replan(_inputs(c), plan, progress, now=as_of), runs
        )
        changes = result.changes  # type: ignore[attr-defined]
        assert isinstance(result, ReplanResult)
        rows.append(
            {
                "seconds": seconds,
                "hit": changes.busy_hit,
                "kept": changes.kept,
                "moved": changes.moved,
                "days": changes.days_later or 0,
            }
        )
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.busy", description=__doc__)
    parser.add_argument("--runs", type=int, default=3, help="timed runs (median)")
    parser.add_argument("--output", type=Path, default=RESULTS_PATH)
    arguments = parser.parse_args(argv)
    section = write_section(arguments.output, "busy", busy_section(arguments.runs))
    print(section, file=sys.stdout)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
