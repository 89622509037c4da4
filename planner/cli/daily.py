"""The daily loop: `planner next` (what is not reported yet, today, what comes next),
`planner done` and `planner missed` (say what happened; they add to the progress file),
then `planner replan` reads that file. No YAML to edit by hand.

One clock: every daily command takes `--now YYYY-MM-DD[THH:MM]`, the learner's local
time (default: the clock, read in the plan's time zone), and every day is a local day.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Annotated
from zoneinfo import ZoneInfo

import typer
from rich.markup import escape

from planner.cli.common import fail, stdout
from planner.errors import PlannerError
from planner.models.plan import Plan, StudySession
from planner.models.progress import Progress, SessionRecord

if TYPE_CHECKING:  # imported when used: `planner --help` needs no networkx
    from planner.models.roadmap import Roadmap
    from planner.planning.session_reports import ProgressReading
    from planner.timeline.clock import Clock

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


def learner_now(plan: Plan, text: str | None) -> Clock:
    """`--now` read in the plan's zone (a day alone stays a day), or the clock there."""
    from zoneinfo import ZoneInfo

    from planner.timeline.clock import now_in, parse_now

    zone = ZoneInfo(plan.timezone)
    return parse_now(text, zone) if text is not None else now_in(zone)


def reading_of(plan: Plan, progress: Progress, path: Path) -> ProgressReading:
    """The record read against the plan and checked, as a re-plan reads it, when the
    plan's roadmap is known (`plan_roadmap`); else its ids are taken as topic ids."""
    from planner.planning.progress_checks import read_progress
    from planner.planning.session_reports import ProgressReading

    roadmap = plan_roadmap(plan)
    if roadmap is not None:
        return read_progress(roadmap, plan, progress, path)
    return ProgressReading(plan, progress, frozenset(progress.done), frozenset(progress.skipped))


def plan_roadmap(plan: Plan) -> Roadmap | None:
    """The roadmap the plan was made from: the copy it keeps, else (a plan made before
    plans kept one) the bundled roadmap if the plan is of it, else None."""
    if plan.made_from is not None:
        return plan.made_from.roadmap
    from planner.inputs.loading import bundled_file, load_roadmap

    with bundled_file("roadmap.yaml") as path:
        roadmap = load_roadmap(path)
    return roadmap if roadmap.id == plan.roadmap else None


def session_line(
    reading: ProgressReading, session: StudySession, clock: Clock, *, with_day: bool
) -> str:
    """One session as the daily commands list it, with what the record says of it (a
    missed day says nothing of a session still ahead at `clock`: it stays planned)."""
    from planner.planning.agenda import session_number, short_id
    from planner.timeline.clock import has_begun

    plan = reading.plan
    number, of = session_number(plan, session)
    start = session.start.astimezone(reading.zone)
    end = session.end.astimezone(reading.zone)
    when = f"{start:%a %Y-%m-%d }" if with_day else ""
    report = "done" if session.done else reading.report(session)
    if report == "missed day" and not has_begun(session.start_utc, clock, reading.zone):
        report = None
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
    from planner.output.progress_file import read_progress_file

    try:
        plan = load_plan_file(plan_path)
        clock = learner_now(plan, now_text)
        reading = reading_of(plan, read_progress_file(progress_path), progress_path)
    except PlannerError as error:
        raise fail(error) from None
    lines = agenda_lines(reading, clock)
    stdout.print("\n".join(escape(line) for line in lines), highlight=False, soft_wrap=True)


def agenda_lines(reading: ProgressReading, clock: Clock) -> list[str]:
    """`planner next`'s answer at `clock`: the sessions over that nobody reported (with
    how to report them), today's with their marks, the next session after now, the rest
    of the week, and whether the plan ahead still holds."""
    from planner.planning.agenda import sessions_of_day, short_id
    from planner.timeline.clock import moment_of, until_of

    plan, zone = reading.plan, reading.zone
    now = moment_of(clock, zone)
    today = now.date()
    lines: list[str] = []
    unreported = [s for s in reading.unreported_before(now) if s.end_utc <= now]
    if unreported:
        lines.append(f"Not reported yet ({len(unreported)}): did you study these?")
        lines += [session_line(reading, s, clock, with_day=True) for s in unreported[:MOST_LISTED]]
        if len(unreported) > MOST_LISTED:
            lines.append(f"  … and {len(unreported) - MOST_LISTED} more")
        first = unreported[0]
        lines.append(
            f"  Say which: `planner done --session {short_id(plan, first)}` (add --minutes N "
            f"for part of it) or `planner missed {first.start.astimezone(zone):%Y-%m-%d}`. "
            "A re-plan counts what you leave unsaid as studied."
        )
    lines.append(f"Today, {today:%a %Y-%m-%d} ({plan.timezone}):")
    todays = [session_line(reading, s, clock, with_day=False) for s in sessions_of_day(plan, today)]
    lines += todays or ["  nothing planned"]
    coming = [s for s in sorted(plan.upcoming, key=lambda s: s.start_utc) if s.start_utc >= now]
    coming = [s for s in coming if _still_to_come(reading, s, clock)]
    lines.append(
        f"Next: {session_line(reading, coming[0], clock, with_day=True).strip()}"
        if coming
        else "Next: nothing left."
    )
    week = [s for day in _rest_of_week(today) for s in sessions_of_day(plan, day, starting=True)]
    if week:
        lines.append("Rest of this week:")
        lines += [session_line(reading, s, clock, with_day=True) for s in week]
    differs = reading.off_plan(until_of(clock, zone))
    if differs:
        lines.append(
            f"Your record differs from the plan ({'; '.join(differs[:3])}"
            f"{'; …' if len(differs) > 3 else ''}): `planner replan` plans the rest from "
            "where you are."
        )
    return lines


def _still_to_come(reading: ProgressReading, session: StudySession, clock: Clock) -> bool:
    """Whether a session is one to study next: nothing recorded of it, not missed,
    skipped or of a topic done; a missed day only once it has begun (a day alone: all
    of it has)."""
    from planner.timeline.clock import has_begun

    report = reading.report(session)
    if report == "missed day":
        return not has_begun(session.start_utc, clock, reading.zone)
    return reading.record(session) is None and report not in ("skipped", "topic done")


def _rest_of_week(today: date) -> list[date]:
    from planner.timeline.clock import week_of

    sunday = week_of(today)[1]
    return [today + timedelta(days=n) for n in range(1, (sunday - today).days + 1)]


def recordable_session(plan: Plan, reference: str, clock: Clock) -> StudySession:
    """The session a learner names, if it can be recorded: it has begun, and no re-plan
    has taken it into the past yet.

    Raises:
        PlannerError: no such session, not begun, or history already.
    """
    from planner.planning.agenda import find_session
    from planner.timeline.clock import has_begun

    chosen = find_session(plan, reference)
    start = chosen.start.astimezone(plan_zone(plan))
    if chosen.done:
        raise PlannerError(
            f"--session {reference} is history since the last re-plan, which took it as it "
            "was: say how much of its topic you have studied with `planner done TOPIC "
            "--hours N` (finished) or in progress.yaml's hours"
        )
    if not has_begun(chosen.start_utc, clock, plan_zone(plan)):
        raise PlannerError(
            f"--session {reference} begins {start:%a %Y-%m-%d %H:%M}: record it once it has "
            "begun (`planner done TOPIC` if you finished the topic)"
        )
    return chosen


def record_sessions_said(
    plan: Plan, records: list[SessionRecord], clock: Clock, progress_path: Path
) -> tuple[Progress, str]:
    from planner.output.progress_file import record_sessions

    written = record_sessions(
        progress_path, records, check=record_check(plan, progress_path, clock)
    )
    reading = reading_of(plan, written, progress_path)
    by_uid = {session.uid: session for session in plan.sessions}
    lines = [session_line(reading, by_uid[r.session], clock, with_day=True) for r in records]
    return written, "\n".join(lines)


def record_check(plan: Plan, progress_path: Path, clock: Clock) -> Callable[[Progress], None]:
    """What the daily commands check of the record as it would be written, before they
    write it: as a re-plan reads it (ids, sessions), and nothing that has not happened."""
    from planner.planning.progress_checks import require_no_future

    def check(progress: Progress) -> None:
        require_no_future(reading_of(plan, progress, progress_path), clock, progress_path)

    return check


def plan_zone(plan: Plan) -> ZoneInfo:
    return ZoneInfo(plan.timezone)


def print_recorded(
    plan: Plan, written: Progress, said: str, progress_path: Path, clock: Clock
) -> None:
    """What was recorded, and whether the plan ahead still holds."""
    from planner.timeline.clock import until_of

    differs = reading_of(plan, written, progress_path).off_plan(until_of(clock, plan_zone(plan)))
    advice = (
        "On plan: nothing to re-plan."
        if not differs
        else "`planner replan` plans the rest from where you are."
    )
    stdout.print(
        f"Recorded in {escape(str(progress_path))}:\n{escape(said)}\n{advice}",
        highlight=False,
        soft_wrap=True,
    )
