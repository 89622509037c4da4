"""`planner sync`: two-way sync with your own calendar (the profile's `calendar:`, a
CalDAV account). Pull: what you moved or deleted there; re-plan if you did; push: only
the events that changed. The plan, the calendar file and the progress file are written
together or not at all, before the push; the push records each write in the sync state
as it succeeds, so one cut short is finished by the next sync."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import ExitStack
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, TypeVar

import typer
from rich.markup import escape

from planner.cli.common import (
    PrerequisitesOption,
    RoadmapOption,
    fail,
    plan_inputs,
    refuse_to_overwrite_inputs,
    stdout,
    warn,
    working,
)
from planner.cli.daily import (
    DEFAULT_PLAN,
    DEFAULT_PROGRESS,
    NowOption,
    PlanFileOption,
    ProgressFileOption,
    learner_now,
    load_plan_file,
)
from planner.errors import CalendarSyncError, PlannerError

T = TypeVar("T")

if TYPE_CHECKING:
    from planner.calendar_sync.events import RemoteEvent
    from planner.calendar_sync.exchange import CalendarEdits
    from planner.calendar_sync.state import SyncState
    from planner.calendar_sync.webdav import DavClient
    from planner.inputs.plan_inputs import PlanInputs
    from planner.models.calendar_target import CalendarTarget
    from planner.models.plan import Plan
    from planner.models.progress import CalendarEdit


def sync(
    plan_path: PlanFileOption = DEFAULT_PLAN,
    progress_path: ProgressFileOption = DEFAULT_PROGRESS,
    profile: Annotated[
        Path | None,
        typer.Option(
            "--profile",
            help="The profile whose `calendar:` to sync with (and to re-plan with). "
            "Default: the profile the plan was made with.",
        ),
    ] = None,
    ics_path: Annotated[
        Path, typer.Option("--ics", help="Write the calendar file (.ics) here on a re-plan.")
    ] = Path("plan.ics"),
    roadmap: RoadmapOption = None,
    prerequisites: PrerequisitesOption = None,
    now_text: NowOption = None,
) -> None:
    """Sync the plan with your own calendar (CalDAV: iCloud, Fastmail, Nextcloud, ...).

    Reads what you moved or deleted there (a moved session stays where you put it, a
    deleted one frees its time and its hours are planned elsewhere; title edits are
    left alone), records it in the progress file, re-plans if anything changed, and
    writes only the events that differ. The profile names the calendar:
    `calendar: {caldav: URL, username: NAME, password_env: VAR, name: "Study plan"}`.

    \b
    Examples:
      STUDY_CALENDAR_PASSWORD=... planner sync
      planner sync --profile me.yaml --now 2027-03-09T18:00
    """
    from planner.calendar_sync.connection import calendar_label, open_calendar, password_for
    from planner.calendar_sync.exchange import pulled_edits, read_remote
    from planner.calendar_sync.state import SyncState, read_state, state_path
    from planner.inputs.loading import recorded_profile

    try:
        with ExitStack() as stack:
            refuse_to_overwrite_inputs([ics_path], [plan_path, progress_path])
            plan = load_plan_file(plan_path)
            chosen = profile or recorded_profile(plan, plan_path)
            outputs: list[Path | None] = [ics_path, plan_path, progress_path]
            inputs = plan_inputs(stack, roadmap, prerequisites, chosen, outputs,
                                 profile_folder=plan_path.parent)  # fmt: skip
            target = _target(inputs, profile or plan_path)
            label = calendar_label(target)
            client, calendar_url = open_calendar(target, password_for(target))
            stack.callback(client.close)
            where = state_path(progress_path)
            state = read_state(where)
            if state.calendar != calendar_url:  # another calendar: start over
                state = SyncState(calendar=calendar_url)
            zone = inputs.profile.zone
            remote = _guarded(label, lambda: read_remote(client, calendar_url, zone))
            edits = pulled_edits(plan, state, remote)
            if edits:
                plan = _take_in(inputs, plan, edits, plan_path, progress_path, ics_path, now_text)
            _push(client, calendar_url, inputs, plan, state, remote, where, label)
    except PlannerError as error:
        raise fail(error) from None


def _target(inputs: PlanInputs, source: Path) -> CalendarTarget:
    target = inputs.profile.calendar
    if target is None:
        raise PlannerError(
            f"{source}: the profile names no calendar to sync with: add "
            '`calendar: {caldav: URL, username: NAME, password_env: VAR, name: "Study plan"}` '
            "(the guide: Calendars, Your own calendar, both ways)"
        )
    return target


def _guarded(label: str, call: Callable[[], T]) -> T:
    """`call()`, with the library's and the network's errors said in a sentence."""
    from planner.calendar_sync.connection import SERVER_ERRORS, describe

    try:
        return call()
    except SERVER_ERRORS as error:
        raise CalendarSyncError(label, describe(error)) from None


def _take_in(
    inputs: PlanInputs,
    plan: Plan,
    edits: CalendarEdits,
    plan_path: Path,
    progress_path: Path,
    ics_path: Path,
    now_text: str | None,
) -> Plan:
    """Record the learner's edits in the progress file and re-plan; write the plan, the
    calendar file and the progress file, all or none."""
    from planner.models.progress import CalendarEdit
    from planner.output.files import write_all_or_nothing
    from planner.output.ics import plan_to_calendar
    from planner.output.progress_file import calendar_edits_added
    from planner.output.report import changes_summary
    from planner.planning.replan import replan

    zone = inputs.profile.zone
    recorded = [
        *(CalendarEdit(session=s.uid, start=e.start.astimezone(zone), end=e.end.astimezone(zone))
          for s, e in edits.moved),
        *(CalendarEdit(session=s.uid, start=s.start, end=s.end, deleted=True)
          for s, _ in edits.deleted),
    ]  # fmt: skip
    progress, progress_bytes = calendar_edits_added(progress_path, recorded)
    with working("Re-planning…"):
        result = replan(inputs, plan, progress, previous_path=plan_path,
                        progress_path=progress_path, now=learner_now(plan, now_text))  # fmt: skip
    for warning in result.warnings:
        warn(warning)
    write_all_or_nothing({
        plan_path: result.plan.to_json().encode(),
        ics_path: plan_to_calendar(result.plan, inputs.roadmap).to_ical(),
        progress_path: progress_bytes,
    })  # fmt: skip
    stdout.print("Taken in from your calendar:", highlight=False)
    for line in _edit_lines(recorded, edits, zone.key):
        stdout.print(f"  {escape(line)}", highlight=False)
    stdout.print(changes_summary(result, inputs.roadmap))
    stdout.print(f"Wrote {escape(f'{plan_path}, {ics_path}, {progress_path}')}", highlight=False)
    return result.plan


def _edit_lines(recorded: list[CalendarEdit], edits: CalendarEdits, zone: str) -> list[str]:
    titles = {s.uid: f"{s.topic} {s.title}" for s, _ in [*edits.moved, *edits.deleted]}
    return [
        f"{titles[edit.session]}: deleted ({edit.start:%a %Y-%m-%d %H:%M}), its time stays free "
        "and its hours are planned elsewhere"
        if edit.deleted
        else f"{titles[edit.session]}: moved to {edit.start:%a %Y-%m-%d %H:%M}-{edit.end:%H:%M} "
        f"({zone}), kept there"
        for edit in recorded
    ]


def _push(
    client: DavClient,
    calendar_url: str,
    inputs: PlanInputs,
    plan: Plan,
    state: SyncState,
    remote: dict[str, RemoteEvent],
    where: Path,
    label: str,
) -> None:
    """Push what changed; the sync state is written whatever happens, with what was
    really written."""
    from planner.calendar_sync.events import plan_events
    from planner.calendar_sync.exchange import push
    from planner.calendar_sync.state import write_state

    wanted = plan_events(plan, inputs.roadmap)
    try:
        client.restart_deadline()  # the push has its own time, after the re-plan's
        report = _guarded(label, lambda: push(client, calendar_url, wanted, state, remote))
    except CalendarSyncError as error:
        write_state(where, state)
        raise CalendarSyncError(
            error.calendar,
            f"{error.problem}; the plan is saved, and the next `planner sync` "
            "finishes writing the calendar",
        ) from None
    write_state(where, state)
    stdout.print(
        f"Calendar {escape(label)}: {report.written} written, {report.deleted} deleted, "
        f"{report.unchanged} unchanged",
        highlight=False,
    )
    if report.conflicts:
        raise CalendarSyncError(
            label,
            f"{len(report.conflicts)} event(s) changed in the calendar while we wrote "
            f"them, twice: {', '.join(report.conflicts[:5])}; sync again",
        )
