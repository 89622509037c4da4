"""The daily loop: `planner next` (what to study tonight and this week), `planner done`
and `planner missed` (say what happened; they add to the progress file), then
`planner replan` reads that file. No YAML to edit by hand."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from planner.cli.common import fail, parse_day, stdout, today_in
from planner.errors import PlannerError
from planner.models.plan import Plan, StudySession
from planner.words import plural

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
DEFAULT_PLAN, DEFAULT_PROGRESS = Path("plan.json"), Path("progress.yaml")


def _load(plan_path: Path) -> Plan:
    from planner.inputs.loading import load_plan

    if not plan_path.exists():
        raise PlannerError(
            f"{plan_path}: no plan here: make one with `planner plan --profile <yours> "
            f"--json {plan_path}`"
        )
    return load_plan(plan_path)


def _line(plan: Plan, session: StudySession, *, with_day: bool) -> str:
    from planner.planning.agenda import session_number, short_id

    number, of = session_number(plan, session)
    when = f"{session.start:%a %Y-%m-%d }" if with_day else ""
    mark = "✓ " if session.done else ""
    what = f"Review: {session.topic}" if session.is_review else session.topic
    kind = "review" if session.is_review else "session"
    return (
        f"  {when}{session.start:%H:%M}-{session.end:%H:%M}  {mark}{what} "
        f"{session.title} ({kind} {number} of {of}; {short_id(plan, session)})"
    )


def next_sessions(
    plan_path: PlanFileOption = DEFAULT_PLAN,
    progress_path: ProgressFileOption = DEFAULT_PROGRESS,
    on: Annotated[
        str | None,
        typer.Option(
            "--date", metavar="YYYY-MM-DD", help="Show this day (YYYY-MM-DD) instead of today."
        ),
    ] = None,
) -> None:
    """Tonight's and the rest of this week's sessions.

    \b
    Examples:
      planner next
      planner next --date 2027-03-12 --plan my-plan.json
    """
    from planner.output.progress_file import read_progress
    from planner.planning.agenda import missed_since_the_plan, rest_of_week, sessions_between

    try:
        plan = _load(plan_path)
        day = parse_day(on, "--date") if on else today_in(plan.timezone)
        progress = read_progress(progress_path)
    except PlannerError as error:
        raise fail(error) from None
    if missed_since_the_plan(plan, progress):
        stdout.print(
            f"You reported missed days in {escape(str(progress_path))}: run `planner replan` "
            "first, so the plan resumes where you stopped.",
            style="yellow",
        )
    today = sessions_between(plan, day, day)
    week = sessions_between(plan, day + timedelta(days=1), rest_of_week(day))
    stdout.print(f"Today, {day:%a %Y-%m-%d} ({plan.timezone}):", style="bold")
    lines = [_line(plan, s, with_day=False) for s in today] or ["  nothing planned"]
    if week:
        lines += ["Rest of this week:", *(_line(plan, s, with_day=True) for s in week)]
    later = [s for s in plan.upcoming if s.start.date() > rest_of_week(day)]
    if not today and not week:
        lines.append(
            f"Next: {_line(plan, later[0], with_day=True).strip()}" if later else "Nothing left."
        )
    stdout.print("\n".join(escape(line) for line in lines), highlight=False, soft_wrap=True)


def done(
    topic: Annotated[
        str | None,
        typer.Argument(metavar="TOPIC", hidden=True),
    ] = None,
    session: Annotated[
        str | None,
        typer.Option(
            "--session",
            metavar="SESSION",
            help="A session you studied: 4.1-2 as `next` shows it, or its UID.",
        ),
    ] = None,
    today: Annotated[bool, typer.Option("--today", help="Today's sessions (the default).")] = False,
    on: Annotated[
        str | None,
        typer.Option("--on", metavar="YYYY-MM-DD", help="That day's sessions (YYYY-MM-DD)."),
    ] = None,
    plan_path: PlanFileOption = DEFAULT_PLAN,
    progress_path: ProgressFileOption = DEFAULT_PROGRESS,
) -> None:
    """Record what you studied (default: today's sessions).

    Today's sessions, one session (--session), or a finished TOPIC or section (4.1,
    or 4), added to your progress file; `planner replan` plans the rest.

    \b
    Examples:
      planner done                  # today's sessions, as planned
      planner done --on 2027-03-09  # a day you forgot to record
      planner done --session 4.1-2
      planner done 4.1              # the whole topic is finished
    """
    from planner.output.progress_file import add_to_progress

    try:
        if sum(x is not None for x in (topic, session, on)) + today > 1:
            raise PlannerError("say one thing at a time: a TOPIC, --session, --today or --on")
        plan = _load(plan_path)
        if topic is not None:
            written = _done_topic(plan, topic, progress_path)
        else:
            sessions = _sessions_done(plan, session, on)
            add_to_progress(progress_path, "sessions", [s.uid for s in sessions])
            written = "\n".join(_line(plan, s, with_day=True) for s in sessions)
    except PlannerError as error:
        raise fail(error) from None
    stdout.print(
        f"Recorded in {escape(str(progress_path))}:\n{escape(written)}\n"
        "`planner replan` plans the rest from today.",
        highlight=False,
        soft_wrap=True,
    )


def _done_topic(plan: Plan, topic: str, progress_path: Path) -> str:
    from planner.inputs.graph import expand_id
    from planner.inputs.loading import bundled_file, load_roadmap
    from planner.output.progress_file import add_to_progress

    titles = {session.topic: session.title for session in plan.sessions}
    if topic not in titles:  # a section, or a topic with no session: ask the roadmap
        with bundled_file("roadmap.yaml") as path:
            roadmap = load_roadmap(path)
        if roadmap.id == plan.roadmap:
            expand_id(roadmap, topic, "planner done", "TOPIC")  # unknown: "did you mean"
    add_to_progress(progress_path, "done", [topic])
    return f"  {topic} {titles.get(topic, '')} finished".rstrip()


def _sessions_done(plan: Plan, reference: str | None, on: str | None) -> list[StudySession]:
    from planner.planning.agenda import find_session, sessions_between

    today = today_in(plan.timezone)
    if reference is not None:
        chosen = find_session(plan, reference)
        if chosen.start.date() > today:
            raise PlannerError(
                f"--session {reference} is planned for {chosen.start:%a %Y-%m-%d}: record it "
                "once you have studied it (`planner done TOPIC` if you finished the topic)"
            )
        return [chosen]
    day = parse_day(on, "--on") if on else today
    if day > today:
        raise PlannerError(f"--on {day} is after today ({today}): record a day once it is over")
    sessions = [s for s in sessions_between(plan, day, day) if not s.done]
    if not sessions:
        upcoming = [s for s in plan.upcoming if s.start.date() > day]
        then = f"; the next is {upcoming[0].start:%a %Y-%m-%d %H:%M}" if upcoming else ""
        raise PlannerError(
            f"no session is planned on {day:%a %Y-%m-%d}{then} (`planner done TOPIC` records "
            "a finished topic, `--session` one session)"
        )
    return sessions


def missed(
    first: Annotated[str, typer.Argument(metavar="FIRST", hidden=True)],
    last: Annotated[
        str | None,
        typer.Argument(metavar="LAST", hidden=True),
    ] = None,
    plan_path: PlanFileOption = DEFAULT_PLAN,
    progress_path: ProgressFileOption = DEFAULT_PROGRESS,
) -> None:
    """Record days you did not study, FIRST to LAST.

    Days as YYYY-MM-DD, both included; LAST defaults to FIRST. `planner replan` then
    resumes where you stopped: every other planned session before today counts as
    studied, in the plan's topic order.

    \b
    Examples:
      planner missed 2027-02-22 2027-03-07
      planner missed 2027-03-09
    """
    from planner.output.progress_file import add_to_progress
    from planner.planning.agenda import sessions_between

    try:
        start = parse_day(first, "FIRST")
        end = parse_day(last, "LAST") if last else start
        if end < start:
            raise PlannerError(f"LAST ({end}) is before FIRST ({start})")
        plan = _load(plan_path)
        add_to_progress(progress_path, "missed", [{"from": start, "to": end}])
    except PlannerError as error:
        raise fail(error) from None
    days = (end - start).days + 1
    sessions = [s for s in sessions_between(plan, start, end) if not s.done]
    stdout.print(
        f"Recorded in {escape(str(progress_path))}: missed {start:%a %Y-%m-%d} to "
        f"{end:%a %Y-%m-%d} ({plural(days, 'day')}, {plural(len(sessions), 'planned session')}).\n"
        "`planner replan` resumes where you stopped.",
        highlight=False,
        soft_wrap=True,
    )
