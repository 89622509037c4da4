"""`planner plan` and `planner replan`: make a plan, and plan again from where you are."""

from __future__ import annotations

from contextlib import ExitStack
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from planner.cli.common import (
    BusyOption,
    PrerequisitesOption,
    ProfileOption,
    RoadmapOption,
    VerboseOption,
    fail,
    parse_day,
    parse_plan_id,
    plan_inputs,
    refuse_to_overwrite_inputs,
    stdout,
    warn,
    working,
    write_plan,
)
from planner.cli.daily import DEFAULT_PLAN, DEFAULT_PROGRESS, NowOption, learner_now
from planner.cli.startup import lasting_imports
from planner.errors import PlannerError
from planner.timeline.clock import now_in


def plan(
    roadmap: RoadmapOption = None,
    prerequisites: PrerequisitesOption = None,
    profile: ProfileOption = None,
    json_path: Annotated[
        Path | None,
        typer.Option(
            "--json", help="Also write the plan as JSON (keep it: next, done and replan read it)."
        ),
    ] = None,
    ics_path: Annotated[
        Path, typer.Option("--ics", help="Write the calendar (.ics) to this file.")
    ] = Path("plan.ics"),
    start: Annotated[
        str | None,
        typer.Option(
            "--start",
            metavar="YYYY-MM-DD",
            help="First day to plan, YYYY-MM-DD (default: the profile's, or today).",
        ),
    ] = None,
    plan_id: Annotated[
        str | None,
        typer.Option(
            "--plan-id",
            metavar="ID",
            help="The plan's identity in its event UIDs (letters, digits, - and _). Reuse "
            "an earlier plan's id to replace that plan's events in your calendar; default: "
            "derived from the roadmap, the profile and the start day.",
        ),
    ] = None,
    busy: BusyOption = None,
    verbose: VerboseOption = False,
) -> None:
    """Plan the roadmap into your week and write the calendar.

    Writes an .ics file you can import or subscribe to (and the plan as JSON with
    --json, which next, done and replan read). Your profile says when you study, what
    you know, your goals and your deadline.

    \b
    Examples:
      planner plan                                   # the example learner
      planner plan --profile me.yaml --json plan.json
      planner plan --profile me.yaml --start 2027-02-01
      planner plan --profile me.yaml --busy work.ics --json plan.json
    """
    # Imported here, not at the top: `planner --help`, `next` and `done` need none of it.
    with lasting_imports():
        from planner.output.report import plan_summary
        from planner.planning.deadline import require_deadline
        from planner.planning.pipeline import make_plan

    try:
        with ExitStack() as stack:
            inputs = plan_inputs(
                stack, roadmap, prerequisites, profile, [ics_path, json_path], busy
            )
            if start is not None:
                inputs = inputs.with_start(parse_day(start))
            chosen_id = parse_plan_id(plan_id) if plan_id is not None else None
            now = now_in(inputs.profile.zone)
            today = now.date()
            with working("Planning…"):
                result = make_plan(inputs, today=today, now=now, plan_id=chosen_id)
                result = require_deadline(inputs, result, today=today)
            for warning in result.warnings:
                warn(warning)
            written = write_plan(result.plan, inputs.roadmap, ics_path, json_path)
    except PlannerError as error:
        raise fail(error) from None
    stdout.print(plan_summary(result.plan, inputs.roadmap, result.seconds, verbose=verbose))
    stdout.print(f"Wrote {escape(written)}", highlight=False, soft_wrap=True)


def replan(
    previous: Annotated[
        Path,
        typer.Option("--previous", help="The plan to start from (the JSON of plan or replan)."),
    ] = DEFAULT_PLAN,
    progress: Annotated[
        Path,
        typer.Option(
            "--progress",
            help="What happened: written by `done` and `missed`, or by hand (see the guide's "
            "Every day). "
            "If the default file does not exist, you followed the plan.",
        ),
    ] = DEFAULT_PROGRESS,
    roadmap: RoadmapOption = None,
    prerequisites: PrerequisitesOption = None,
    profile: Annotated[
        Path | None,
        typer.Option(
            "--profile",
            help="A changed profile to plan with (the summary says what changed). "
            "Default: the profile the plan was made with.",
        ),
    ] = None,
    json_path: Annotated[
        Path | None,
        typer.Option("--json", help="Write the new plan as JSON. Default: over --previous."),
    ] = None,
    ics_path: Annotated[
        Path, typer.Option("--ics", help="Write the new calendar (.ics) to this file.")
    ] = Path("plan.ics"),
    busy: BusyOption = None,
    now_text: NowOption = None,
    verbose: VerboseOption = False,
    renames: Annotated[
        list[str] | None,
        typer.Option(
            "--rename",
            metavar="OLD=NEW",
            help="The roadmap changed and topic OLD is now NEW (same topic, new id): its "
            "history and progress carry over. Repeat for more.",
        ),
    ] = None,
) -> None:
    """Plan again from where you are, keeping what you studied.

    After missed days, early finishes or a changed week: reads what `done` and
    `missed` recorded and plans the rest from now: after today's sessions once they
    are all reported, else from the start of today (a session not reported yet stays).
    Says what changed. Uses the profile the plan was made with unless you give
    --profile.

    \b
    Examples:
      planner replan                          # plan.json + progress.yaml -> plan.json, plan.ics
      planner replan --profile me-now.yaml    # your week changed
      planner replan --previous old.json --progress p.yaml --json new.json
    """
    with lasting_imports():
        from planner.cli.daily import load_plan_file
        from planner.inputs.loading import recorded_profile
        from planner.output.progress_file import read_progress_file
        from planner.output.report import changes_summary
        from planner.planning.replan import replan as replan_plan

    json_path = json_path or previous  # the new plan supersedes the previous one
    try:
        with ExitStack() as stack:
            # --json may replace --previous (the new plan supersedes it); --ics may not.
            refuse_to_overwrite_inputs([ics_path], [previous])
            refuse_to_overwrite_inputs([ics_path, json_path], [progress])
            previous_plan = load_plan_file(previous)
            chosen = profile or recorded_profile(previous_plan, previous)
            inputs = plan_inputs(
                stack,
                roadmap,
                prerequisites,
                chosen,
                [ics_path, json_path],
                busy,
                profile_folder=previous.parent,  # the plan's profile: busy files beside it
            )
            # The default file may not exist yet (the plan was followed); another must.
            reported = read_progress_file(progress, missing_ok=progress == DEFAULT_PROGRESS)
            with working("Re-planning…"):
                result = replan_plan(
                    inputs,
                    previous_plan,
                    reported,
                    previous_path=previous,
                    progress_path=progress,
                    now=learner_now(previous_plan, now_text),
                    renames=_renames(renames or []),
                )
            for warning in result.warnings:
                warn(warning)
            written = write_plan(result.plan, inputs.roadmap, ics_path, json_path)
    except PlannerError as error:
        raise fail(error) from None
    stdout.print(changes_summary(result, inputs.roadmap, verbose=verbose))
    stdout.print(f"Wrote {escape(written)}", highlight=False, soft_wrap=True)


def _renames(pairs: list[str]) -> dict[str, str]:
    """`--rename OLD=NEW` options as old id -> new id.

    Raises:
        PlannerError: one is not OLD=NEW.
    """
    renames = {}
    for pair in pairs:
        old, equals, new = pair.partition("=")
        if not equals or not old.strip() or not new.strip():
            raise PlannerError(f"--rename {pair}: give OLD=NEW, e.g. --rename 16.4=16.5")
        renames[old.strip()] = new.strip()
    return renames
