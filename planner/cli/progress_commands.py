"""`planner done` and `planner missed`: say what happened. Each adds to the progress
file (planning/session_reports.py says how it reads) and says whether the plan ahead
still holds."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.markup import escape

from planner.cli.common import fail, parse_day, stdout
from planner.cli.daily import (
    DEFAULT_PLAN,
    DEFAULT_PROGRESS,
    NowOption,
    PlanFileOption,
    ProgressFileOption,
    bundled_roadmap,
    learner_now,
    load_plan_file,
    reading_of,
    session_line,
)
from planner.errors import PlannerError
from planner.models.plan import Plan, StudySession
from planner.models.progress import Progress, SessionRecord
from planner.words import plural

SessionOption = Annotated[
    str | None,
    typer.Option(
        "--session", metavar="SESSION", help="One session: 4.1-2 as `next` shows it, or its UID."
    ),
]
MinutesOption = Annotated[
    int | None,
    typer.Option(
        "--minutes",
        min=1,
        max=24 * 60,
        help="With --session: you studied it for this long. With TOPIC: you studied it "
        "this long outside the plan (on --on, default today).",
    ),
]


def done(
    topic: Annotated[str | None, typer.Argument(metavar="TOPIC", hidden=True)] = None,
    session: SessionOption = None,
    minutes: MinutesOption = None,
    hours: Annotated[
        float | None,
        typer.Option("--hours", min=0, help="With TOPIC: it is finished and took this long."),
    ] = None,
    today: Annotated[bool, typer.Option("--today", help="Today's sessions (the default).")] = False,
    on: Annotated[
        str | None,
        typer.Option("--on", metavar="YYYY-MM-DD", help="That day's sessions (YYYY-MM-DD)."),
    ] = None,
    at: Annotated[
        str | None,
        typer.Option("--at", metavar="HH:MM", help="With TOPIC --minutes: when you started."),
    ] = None,
    now_text: NowOption = None,
    plan_path: PlanFileOption = DEFAULT_PLAN,
    progress_path: ProgressFileOption = DEFAULT_PROGRESS,
) -> None:
    """Record what you studied (default: today's sessions, as planned).

    Today's sessions, one session (--session, for part of it with --minutes), a
    finished TOPIC or section (4.1, or 4; with --hours, how long it took), or study
    outside the plan (TOPIC --minutes). `planner replan` plans the rest.

    \b
    Examples:
      planner done                          # today's sessions, as planned
      planner done --on 2027-03-09          # a day you forgot to record
      planner done --session 4.1-2          # one session
      planner done --session 4.1-2 --minutes 45   # part of it
      planner done 4.1                      # the whole topic is finished
      planner done 4.1 --hours 6            # ... and it took 6 hours
      planner done 4.2 --minutes 90 --on 2027-03-13 --at 14:00   # outside the plan
    """
    try:
        _one_thing(topic, session, on, today, minutes, hours, at)
        plan = load_plan_file(plan_path)
        now = learner_now(plan, now_text)
        if topic is not None and minutes is not None:
            day = parse_day(on, "--on") if on else now.date()
            start = _extra_start(
                at, day, now, minutes, clock_time=now_text is None or "T" in now_text
            )
            written, said = _extra(plan, topic, day, minutes, start, progress_path, now)
        elif topic is not None:
            written, said = _done_topic(plan, topic, hours, progress_path)
        else:
            written, said = _sessions_done(plan, session, minutes, on, now, progress_path)
        print_recorded(plan, written, said, progress_path, now)
    except PlannerError as error:
        raise fail(error) from None


def _one_thing(
    topic: str | None,
    session: str | None,
    on: str | None,
    today: bool,
    minutes: int | None,
    hours: float | None,
    at: str | None,
) -> None:
    if (topic, session).count(None) == 0 or (today and (on or topic or session)):
        raise PlannerError("say one thing at a time: a TOPIC, --session, --today or --on")
    if on and session:
        raise PlannerError("say one thing at a time: a TOPIC, --session, --today or --on")
    if on and topic and minutes is None:
        raise PlannerError("--on with a TOPIC needs --minutes (how long you studied it that day)")
    if minutes is not None and topic is None and session is None:
        raise PlannerError("--minutes goes with --session (part of it) or a TOPIC (extra study)")
    if hours is not None and (topic is None or minutes is not None):
        raise PlannerError("--hours goes with a finished TOPIC (how long it took in all)")
    if at is not None and (topic is None or minutes is None):
        raise PlannerError("--at goes with TOPIC --minutes (when you studied it)")


def _extra_start(
    at: str | None, day: date, now: datetime, minutes: int, *, clock_time: bool
) -> time | None:
    """When extra study began: --at; or, today with a known time, `minutes` before now
    (never before the day began); else not known."""
    if at is not None:
        try:
            return time.fromisoformat(at).replace(second=0, microsecond=0)
        except ValueError:
            raise PlannerError(f"--at: {at!r} is not a time: write it as HH:MM") from None
    if day != now.date() or not clock_time:
        return None
    began = now.replace(tzinfo=None) - timedelta(minutes=minutes)
    return began.time().replace(second=0, microsecond=0) if began.date() == day else time(0, 0)


def _extra(
    plan: Plan,
    topic: str,
    day: date,
    minutes: int,
    start: time | None,
    progress_path: Path,
    now: datetime,
) -> tuple[Progress, str]:
    from ruamel.yaml.scalarstring import DoubleQuotedScalarString

    from planner.inputs.graph import require_topics
    from planner.output.progress_file import add_to_progress

    if day > now.date():
        raise PlannerError(
            f"--on {day} is after today ({now.date()}): record study once it is done"
        )
    roadmap = bundled_roadmap(plan)
    if roadmap is not None:
        require_topics(roadmap, [topic], "planner done", "TOPIC")
    entry: dict[str, Any] = {"topic": topic, "day": day, "minutes": minutes}
    if start is not None:
        entry["at"] = DoubleQuotedScalarString(f"{start:%H:%M}")
    written = add_to_progress(progress_path, "extra", [entry])
    when = f" from {start:%H:%M}" if start is not None else ""
    return (
        written,
        f"  {day:%a %Y-%m-%d}{when}: {topic}, {plural(minutes, 'minute')} outside the plan",
    )


def _done_topic(
    plan: Plan, topic: str, hours: float | None, progress_path: Path
) -> tuple[Progress, str]:
    from planner.inputs.graph import expand_id
    from planner.output.progress_file import add_to_progress, set_hours

    titles = {session.topic: session.title for session in plan.sessions}
    roadmap = bundled_roadmap(plan) if topic not in titles or hours is not None else None
    if roadmap is not None:
        ids = expand_id(roadmap, topic, "planner done", "TOPIC")  # unknown: "did you mean"
        if hours is not None and ids != [topic]:
            raise PlannerError(f"--hours: {topic} is a section: give the hours of each topic")
    written = add_to_progress(progress_path, "done", [topic])
    took = ""
    if hours is not None:
        written = set_hours(progress_path, topic, hours)
        took = f", in {hours:g} h"
    return written, f"  {topic} {titles.get(topic, '')} finished{took}".replace(
        "  finished", " finished"
    )


def _sessions_done(
    plan: Plan,
    reference: str | None,
    minutes: int | None,
    on: str | None,
    now: datetime,
    progress_path: Path,
) -> tuple[Progress, str]:
    from planner.output.progress_file import read_progress, record_sessions
    from planner.planning.agenda import find_session, sessions_between

    today = now.date()
    if reference is not None:
        chosen = find_session(plan, reference)
        if _day(plan, chosen) > today:
            raise PlannerError(
                f"--session {reference} is planned for {_day(plan, chosen):%a %Y-%m-%d}: record "
                "it once you have studied it (`planner done TOPIC` if you finished the topic)"
            )
        sessions = [chosen]
    else:
        day = parse_day(on, "--on") if on else today
        if day > today:
            raise PlannerError(f"--on {day} is after today ({today}): record a day once it is over")
        recorded = read_progress(progress_path)
        sessions = [s for s in sessions_between(plan, day, day) if _to_record(s, recorded)]
        if not sessions:
            raise PlannerError(_nothing_to_record(plan, day, recorded))
    written = record_sessions(
        progress_path, [SessionRecord(session=s.uid, minutes=minutes) for s in sessions]
    )
    reading = reading_of(plan, written, progress_path)
    return written, "\n".join(session_line(reading, s, with_day=True) for s in sessions)


def _to_record(session: StudySession, recorded: Progress) -> bool:
    """Whether `planner done` for the session's day records it: not history yet, and not
    recorded as done as planned already (a missed or partial record is corrected)."""
    record = recorded.record_of(session.uid)
    return not session.done and (record is None or not record.as_planned)


def _nothing_to_record(plan: Plan, day: date, recorded: Progress) -> str:
    from planner.planning.agenda import sessions_between

    if sessions_between(plan, day, day):
        return f"every session on {day:%a %Y-%m-%d} is recorded already (`planner next` shows them)"
    upcoming = [s for s in plan.upcoming if _day(plan, s) > day]
    then = f"; the next is {upcoming[0].start:%a %Y-%m-%d %H:%M}" if upcoming else ""
    return (
        f"no session is planned on {day:%a %Y-%m-%d}{then} (`planner done TOPIC` records a "
        "finished topic, `--session` one session, `TOPIC --minutes N` study outside the plan)"
    )


def _day(plan: Plan, session: StudySession) -> date:
    from planner.planning.agenda import local_day

    return local_day(plan, session)


def print_recorded(
    plan: Plan, written: Progress, said: str, progress_path: Path, now: datetime
) -> None:
    """What was recorded, and whether the plan ahead still holds."""
    differs = reading_of(plan, written, progress_path).off_plan(now)
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


def missed(
    first: Annotated[str | None, typer.Argument(metavar="FIRST", hidden=True)] = None,
    last: Annotated[str | None, typer.Argument(metavar="LAST", hidden=True)] = None,
    session: SessionOption = None,
    now_text: NowOption = None,
    plan_path: PlanFileOption = DEFAULT_PLAN,
    progress_path: ProgressFileOption = DEFAULT_PROGRESS,
) -> None:
    """Record days you did not study, FIRST to LAST (default: today), or one --session.

    Days as YYYY-MM-DD, both included; LAST defaults to FIRST. `planner replan` then
    resumes where you stopped: every session you did not report before then counts as
    studied, in the plan's topic order.

    \b
    Examples:
      planner missed                          # today
      planner missed 2027-02-22 2027-03-07
      planner missed --session 4.1-2
    """
    from planner.output.progress_file import add_to_progress
    from planner.planning.agenda import sessions_between

    try:
        plan = load_plan_file(plan_path)
        now = learner_now(plan, now_text)
        if session is not None:
            if first is not None:
                raise PlannerError("say one thing at a time: days (FIRST [LAST]) or --session")
            written, said = _missed_session(plan, session, now, progress_path)
            print_recorded(plan, written, said, progress_path, now)
            return
        start = parse_day(first, "FIRST") if first else now.date()
        end = parse_day(last, "LAST") if last else start
        if end < start:
            raise PlannerError(f"LAST ({end}) is before FIRST ({start})")
        if end > now.date():
            raise PlannerError(
                f"{'LAST' if last else 'FIRST'} ({end}) is after today ({now.date()}): days to "
                "come are blackouts in your profile (`planner replan --profile` with them)"
            )
        written = add_to_progress(progress_path, "missed", [{"from": start, "to": end}])
    except PlannerError as error:
        raise fail(error) from None
    days = (end - start).days + 1
    sessions = [s for s in sessions_between(plan, start, end) if not s.done]
    span = f"{start:%a %Y-%m-%d}" + (f" to {end:%a %Y-%m-%d}" if end > start else "")
    said = f"  missed {span} ({plural(days, 'day')}, {plural(len(sessions), 'planned session')})"
    print_recorded(plan, written, said, progress_path, now)


def _missed_session(
    plan: Plan, reference: str, now: datetime, progress_path: Path
) -> tuple[Progress, str]:
    from planner.output.progress_file import record_sessions
    from planner.planning.agenda import find_session

    chosen = find_session(plan, reference)
    if _day(plan, chosen) > now.date():
        raise PlannerError(
            f"--session {reference} is planned for {_day(plan, chosen):%a %Y-%m-%d}: record "
            "it once its day has come (days off to come are blackouts in your profile)"
        )
    written = record_sessions(progress_path, [SessionRecord(session=chosen.uid, missed=True)])
    return written, session_line(reading_of(plan, written, progress_path), chosen, with_day=True)
