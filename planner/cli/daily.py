"""The daily loop: `planner next` (what is not reported yet, today, what comes next),
`planner done` and `planner missed` (say what happened; they add to the progress file),
then `planner replan` reads that file. No YAML to edit by hand.

One clock: every daily command takes `--now YYYY-MM-DD[THH:MM]`, the learner's local
time (default: the clock, read in the plan's time zone), and every day is a local day.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.markup import escape

from planner.cli.common import fail, stdout
from planner.errors import PlannerError
from planner.models.plan import Plan, StudySession
from planner.models.progress import Progress

if TYPE_CHECKING:  # imported when used: `planner --help` needs no networkx
    from planner.models.roadmap import Roadmap
    from planner.planning.session_reports import ProgressReading

PlanFileOption = Annotated[
    Path,
    typer.Option("--plan", help="Your plan: the JSON that `plan --json` or `replan` wrote."),
]
ProgressFileOption = Annotated[
    Path,
    typer.Option(
        "--progress", help="Your progress file (created on first use; `replan` reads it)."
    ),
]
NowOption = Annotated[
    str | None,
    typer.Option(
        "--now",
        metavar="YYYY-MM-DD[THH:MM]",
        help="Your local time, in the plan's time zone (default: the clock). A day alone "
        "is its first moment.",
    ),
]
DEFAULT_PLAN, DEFAULT_PROGRESS = Path("plan.json"), Path("progress.yaml")
MARKS: dict[str | None, str] = {
    "done": "✓ ",
    "topic done": "✓ ",
    "missed": "✗ missed: ",
    "missed day": "✗ missed: ",
    "skipped": "skipped: ",
}
MOST_LISTED = 10


def load_plan_file(plan_path: Path) -> Plan:
    from planner.inputs.loading import load_plan

    if not plan_path.exists():
        raise PlannerError(
            f"{plan_path}: no plan here: make one with `planner plan --profile <yours> "
            f"--json {plan_path}`"
        )
    return load_plan(plan_path)


def learner_now(plan: Plan, text: str | None) -> datetime:
    """`--now` read in the plan's zone, or the clock there."""
    from zoneinfo import ZoneInfo

    from planner.timeline.clock import now_in, parse_now

    zone = ZoneInfo(plan.timezone)
    return parse_now(text, zone) if text is not None else now_in(zone)


def reading_of(plan: Plan, progress: Progress, path: Path) -> ProgressReading:
    """The record read against the plan; section ids expanded with the bundled roadmap
    when the plan is of it (another roadmap's ids are taken as topic ids)."""
    from planner.inputs.graph import expand_ids
    from planner.planning.session_reports import ProgressReading

    done, skipped = set(progress.done), set(progress.skipped)
    roadmap = bundled_roadmap(plan) if done or skipped else None
    if roadmap is not None:
        done = expand_ids(roadmap, progress.done, path, "done")
        skipped = expand_ids(roadmap, progress.skipped, path, "skipped")
    return ProgressReading(plan, progress, frozenset(done), frozenset(skipped))


def bundled_roadmap(plan: Plan) -> Roadmap | None:
    """The bundled roadmap if the plan is of it, else None."""
    from planner.inputs.loading import bundled_file, load_roadmap

    with bundled_file("roadmap.yaml") as path:
        roadmap = load_roadmap(path)
    return roadmap if roadmap.id == plan.roadmap else None


def session_line(reading: ProgressReading, session: StudySession, *, with_day: bool) -> str:
    """One session as the daily commands list it, with what the record says of it."""
    from planner.planning.agenda import session_number, short_id

    plan = reading.plan
    number, of = session_number(plan, session)
    start = session.start.astimezone(reading.zone)
    end = session.end.astimezone(reading.zone)
    when = f"{start:%a %Y-%m-%d }" if with_day else ""
    report = "done" if session.done else reading.report(session)
    record = reading.record(session)
    mark = MARKS.get(report, "")
    if report == "partly" and record is not None:
        mark = f"✓ {record.minutes} of {session.minutes:g} min: "
    what = f"Review: {session.topic}" if session.is_review else session.topic
    kind = "review" if session.is_review else "session"
    return (
        f"  {when}{start:%H:%M}-{end:%H:%M}  {mark}{what} {session.title} "
        f"({kind} {number} of {of}; {short_id(plan, session)})"
    )


def next_sessions(
    plan_path: PlanFileOption = DEFAULT_PLAN,
    progress_path: ProgressFileOption = DEFAULT_PROGRESS,
    now_text: NowOption = None,
) -> None:
    """What you have not reported yet, today's sessions, and what comes next.

    \b
    Examples:
      planner next
      planner next --now 2027-03-12T21:30 --plan my-plan.json
    """
    from planner.output.progress_file import read_progress

    try:
        plan = load_plan_file(plan_path)
        now = learner_now(plan, now_text)
        reading = reading_of(plan, read_progress(progress_path), progress_path)
    except PlannerError as error:
        raise fail(error) from None
    lines = agenda_lines(reading, now)
    stdout.print("\n".join(escape(line) for line in lines), highlight=False, soft_wrap=True)


def agenda_lines(reading: ProgressReading, now: datetime) -> list[str]:
    """`planner next`'s answer at `now`: earlier days' sessions nobody reported (with how
    to report them), today's with their marks, the next session after now, the rest of
    the week, and whether the plan ahead still holds."""
    from planner.planning.agenda import sessions_between, short_id
    from planner.timeline.clock import start_of_day, week_of

    plan, zone = reading.plan, reading.zone
    today = now.astimezone(zone).date()
    lines: list[str] = []
    unreported = reading.unreported_before(start_of_day(today, zone))
    if unreported:
        lines.append(f"Not reported yet ({len(unreported)}): did you study these?")
        lines += [session_line(reading, s, with_day=True) for s in unreported[:MOST_LISTED]]
        if len(unreported) > MOST_LISTED:
            lines.append(f"  … and {len(unreported) - MOST_LISTED} more")
        first = unreported[0]
        lines.append(
            f"  Say which: `planner done --session {short_id(plan, first)}` (add --minutes N "
            f"for part of it) or `planner missed {first.start.astimezone(zone):%Y-%m-%d}`. "
            "A re-plan counts what you leave unsaid as studied."
        )
    lines.append(f"Today, {today:%a %Y-%m-%d} ({plan.timezone}):")
    todays = sessions_between(plan, today, today)
    lines += [session_line(reading, s, with_day=False) for s in todays] or ["  nothing planned"]
    coming = [
        s
        for s in sorted(plan.upcoming, key=lambda s: s.start_utc)
        if s.start_utc >= now and reading.report(s) not in ("missed", "skipped", "topic done")
    ]
    lines.append(
        f"Next: {session_line(reading, coming[0], with_day=True).strip()}"
        if coming
        else "Next: nothing left."
    )
    week = sessions_between(plan, today + timedelta(days=1), week_of(today)[1])
    if week:
        lines += ["Rest of this week:", *(session_line(reading, s, with_day=True) for s in week)]
    differs = reading.off_plan(now)
    if differs:
        lines.append(
            f"Your record differs from the plan ({'; '.join(differs[:3])}"
            f"{'; …' if len(differs) > 3 else ''}): `planner replan` plans the rest from "
            "where you are."
        )
    return lines
