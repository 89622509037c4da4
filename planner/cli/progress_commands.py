"""`planner done` and `planner missed`: say what happened. Each adds to the progress file
(planning/session_reports.py says how it reads) and says whether the plan ahead still
holds. A record is about what has happened: a session that has not begun yet, or a
session a re-plan already took into the past, cannot be recorded."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from planner.cli.common import fail, parse_day
from planner.cli.daily import (
    DEFAULT_PLAN,
    DEFAULT_PROGRESS,
    NowOption,
    PlanFileOption,
    ProgressFileOption,
    learner_now,
    load_plan_file,
    plan_roadmap,
    plan_zone,
    print_recorded,
    record_check,
    record_sessions_said,
    recordable_session,
)
from planner.errors import PlannerError
from planner.models.plan import Plan, StudySession
from planner.models.progress import MINUTES_A_DAY, Progress, SessionRecord
from planner.words import plural

if TYPE_CHECKING:
    from planner.timeline.clock import Clock

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
        max=MINUTES_A_DAY,
        help="With --session: you studied it for this long. With TOPIC: you studied it "
        "this long outside the plan (on --on, default today).",
    ),
]
ONE_THING = "say one thing at a time: a TOPIC, --session, --today or --on"


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
    """Record what you studied (default: today's sessions that have begun, as planned).

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
        clock = learner_now(plan, now_text)
        if topic is not None and minutes is not None:
            written, said = _extra(plan, topic, minutes, on, at, clock, progress_path)
        elif topic is not None:
            written, said = _done_topic(plan, topic, hours, clock, progress_path)
        elif session is not None:
            chosen = recordable_session(plan, session, clock)
            record = SessionRecord(session=chosen.uid, minutes=minutes)
            written, said = record_sessions_said(plan, [record], clock, progress_path)
        else:
            written, said = _days_sessions(plan, on, clock, progress_path)
        print_recorded(plan, written, said, progress_path, clock)
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
    if (topic and session) or (session and on) or (today and (on or topic or session)):
        raise PlannerError(ONE_THING)
    if on and topic and minutes is None:
        raise PlannerError("--on with a TOPIC needs --minutes (how long you studied it that day)")
    if minutes is not None and topic is None and session is None:
        raise PlannerError("--minutes goes with --session (part of it) or a TOPIC (extra study)")
    if hours is not None and (topic is None or minutes is not None):
        raise PlannerError("--hours goes with a finished TOPIC (how long it took in all)")
    if at is not None and (topic is None or minutes is None):
        raise PlannerError("--at goes with TOPIC --minutes (when you studied it)")


def _days_sessions(
    plan: Plan, on: str | None, clock: Clock, progress_path: Path
) -> tuple[Progress, str]:
    """A day's sessions done as planned: those that have begun and are not recorded
    as done already (a missed or partial record is corrected)."""
    from planner.output.progress_file import read_progress_file
    from planner.planning.agenda import sessions_of_day
    from planner.timeline.clock import has_begun, moment_of

    today = moment_of(clock, plan_zone(plan)).date()
    day = parse_day(on, "--on") if on else today
    if day > today:
        raise PlannerError(f"--on {day} is after today ({today}): record a day once it is over")
    recorded = read_progress_file(progress_path)
    todays = [s for s in sessions_of_day(plan, day) if _to_record(s, recorded)]
    begun = [s for s in todays if has_begun(s.start_utc, clock, plan_zone(plan))]
    if not begun:
        raise PlannerError(_nothing_torecord_sessions_said(plan, day, todays))
    records = [SessionRecord(session=s.uid) for s in begun]
    return record_sessions_said(plan, records, clock, progress_path)


def _to_record(session: StudySession, recorded: Progress) -> bool:
    """Whether `planner done` for the session's day records it: not history yet, and not
    recorded as done as planned already (a missed or partial record is corrected)."""
    record = recorded.record_of(session.uid)
    return not session.done and (record is None or not record.as_planned)


def _nothing_torecord_sessions_said(plan: Plan, day: date, waiting: list[StudySession]) -> str:
    from planner.planning.agenda import local_day, sessions_of_day

    if waiting:  # not begun yet
        return (
            f"no session of {day:%a %Y-%m-%d} has begun yet (the next begins "
            f"{waiting[0].start:%H:%M}): record it once you have studied"
        )
    if sessions_of_day(plan, day):
        return f"every session on {day:%a %Y-%m-%d} is recorded already (`planner next` shows them)"
    upcoming = [s for s in plan.upcoming if local_day(plan, s) > day]
    then = f"; the next is {upcoming[0].start:%a %Y-%m-%d %H:%M}" if upcoming else ""
    return (
        f"no session is planned on {day:%a %Y-%m-%d}{then} (`planner done TOPIC` records a "
        "finished topic, `--session` one session, `TOPIC --minutes N` study outside the plan)"
    )


def _extra(
    plan: Plan,
    topic: str,
    minutes: int,
    on: str | None,
    at: str | None,
    clock: Clock,
    progress_path: Path,
) -> tuple[Progress, str]:
    """Study outside the plan: on --on (default today), from --at; today with the
    clock's time known and no --at, it ended now."""
    from ruamel.yaml.scalarstring import DoubleQuotedScalarString

    from planner.output.progress_file import add_to_progress
    from planner.planning.progress_checks import require_study_topic

    now = clock.astimezone(plan_zone(plan)) if isinstance(clock, datetime) else None
    today = now.date() if now else clock
    day = parse_day(on, "--on") if on else today
    start = _time_of(at) if at is not None else None
    if now is not None and day == today and start is None:  # it ended now
        began = now.replace(tzinfo=None) - timedelta(minutes=minutes)
        day = began.date() if on is None else day  # from yesterday evening, if so
        start = began.time().replace(second=0, microsecond=0) if began.date() == day else time(0)
    if day > today or (now and day == today and start and start > now.time()):
        when = f"{day} {start:%H:%M}" if start else f"{day}"
        raise PlannerError(f"{when} is after now: record study once you have done it")
    roadmap = plan_roadmap(plan)
    if roadmap is not None:
        require_study_topic(roadmap, topic, "planner done", "TOPIC")
    entry: dict[str, Any] = {"topic": topic, "day": day, "minutes": minutes}
    if start is not None:
        entry["at"] = DoubleQuotedScalarString(f"{start:%H:%M}")
    check = record_check(plan, progress_path, clock)
    written = add_to_progress(progress_path, "extra", [entry], unique=False, check=check)
    when = f" from {start:%H:%M}" if start is not None else ""
    studied = f"{topic}, {plural(minutes, 'minute')} outside the plan"
    return written, f"  {day:%a %Y-%m-%d}{when}: {studied}"


def _time_of(text: str) -> time:
    try:
        return time.fromisoformat(text).replace(second=0, microsecond=0)
    except ValueError:
        raise PlannerError(f"--at: {text!r} is not a time: write it as HH:MM") from None


def _done_topic(
    plan: Plan, topic: str, hours: float | None, clock: Clock, progress_path: Path
) -> tuple[Progress, str]:
    from planner.inputs.ids import expand_id
    from planner.inputs.lookup import titles_by_id
    from planner.output.progress_file import finish_topic

    titles = {session.topic: session.title for session in plan.sessions}
    roadmap = plan_roadmap(plan) if topic not in titles or hours is not None else None
    if roadmap is not None:
        ids = expand_id(roadmap, topic, "planner done", "TOPIC")  # unknown: "did you mean"
        if hours is not None and ids != [topic]:
            raise PlannerError(f"--hours: {topic} is a section: give the hours of each topic")
        titles = titles_by_id(roadmap)  # a section's title too
    check = record_check(plan, progress_path, clock)
    written = finish_topic(progress_path, topic, hours, check=check)
    took = f", in {hours:g} h" if hours is not None else ""
    title = f" {titles[topic]}" if topic in titles else ""
    return written, f"  {topic}{title} finished{took}"


def missed(
    first: Annotated[str | None, typer.Argument(metavar="FIRST", hidden=True)] = None,
    last: Annotated[str | None, typer.Argument(metavar="LAST", hidden=True)] = None,
    session: SessionOption = None,
    now_text: NowOption = None,
    plan_path: PlanFileOption = DEFAULT_PLAN,
    progress_path: ProgressFileOption = DEFAULT_PROGRESS,
) -> None:
    """Record days you did not study, FIRST to LAST (default: today), or one --session.

    Days as YYYY-MM-DD, both included; LAST defaults to FIRST. The sessions of those
    days that have begun count as missed (one still ahead stays planned: a day you will
    not study is a blackout in your profile). `planner replan` then resumes where you
    stopped: every session you did not report counts as studied, in the plan's topic
    order.

    \b
    Examples:
      planner missed                          # today
      planner missed 2027-02-22 2027-03-07
      planner missed --session 4.1-2
    """
    try:
        plan = load_plan_file(plan_path)
        clock = learner_now(plan, now_text)
        if session is not None:
            if first is not None:
                raise PlannerError("say one thing at a time: days (FIRST [LAST]) or --session")
            chosen = recordable_session(plan, session, clock)
            record = SessionRecord(session=chosen.uid, missed=True)
            written, said = record_sessions_said(plan, [record], clock, progress_path)
        else:
            written, said = _missed_days(plan, first, last, clock, progress_path)
        print_recorded(plan, written, said, progress_path, clock)
    except PlannerError as error:
        raise fail(error) from None


def _missed_days(
    plan: Plan, first: str | None, last: str | None, clock: Clock, progress_path: Path
) -> tuple[Progress, str]:
    from planner.output.progress_file import add_to_progress
    from planner.planning.agenda import sessions_of_day
    from planner.timeline.clock import has_begun, moment_of

    today = moment_of(clock, plan_zone(plan)).date()
    start = parse_day(first, "FIRST") if first else today
    end = parse_day(last, "LAST") if last else start
    if end < start:
        raise PlannerError(f"LAST ({end}) is before FIRST ({start})")
    if end > today:
        raise PlannerError(
            f"{'LAST' if last else 'FIRST'} ({end}) is after today ({today}): days to come "
            "are blackouts in your profile (`planner replan --profile` with them)"
        )
    check = record_check(plan, progress_path, clock)
    written = add_to_progress(progress_path, "missed", [{"from": start, "to": end}], check=check)
    days = (end - start).days + 1
    sessions = [
        s
        for n in range(days)
        for s in sessions_of_day(plan, start + timedelta(days=n), starting=True)
        if not s.done
    ]
    ahead = [s for s in sessions if not has_begun(s.start_utc, clock, plan_zone(plan))]
    span = f"{start:%a %Y-%m-%d}" + (f" to {end:%a %Y-%m-%d}" if end > start else "")
    said = f"  missed {span} ({plural(days, 'day')}, {plural(len(sessions), 'planned session')})"
    if ahead:
        said += f"; {plural(len(ahead), 'session')} still ahead today stays planned"
    return written, said
