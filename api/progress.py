"""A plan's recorded progress: reading it, adding to it, checking it against the plan,
and the learner's today and re-plan start it is reported against."""

from __future__ import annotations

import json
import logging
from dataclasses import replace
from datetime import date, datetime, timedelta
from typing import Any

from pydantic import ValidationError

from api.schemas import ReplanFrom
from api.solving import roadmap_pair, source_of
from api.tables import PlanRecord
from planner.errors import PlannerError
from planner.models.fields import DateRange
from planner.models.plan import Plan
from planner.models.profile import Profile
from planner.models.progress import Progress
from planner.planning.progress_checks import (
    read_progress,
    require_history_unchanged,
    require_no_future,
)
from planner.planning.session_reports import ProgressReading, ReplanStart, Report, start_of_replan
from planner.timeline.clock import day_of

log = logging.getLogger("planner.api")


def progress_of(record: PlanRecord) -> Progress | None:
    return Progress.model_validate_json(record.progress_json) if record.progress_json else None


def learner_today(record: PlanRecord, now: datetime) -> date:
    """The date at `now` in the plan's time zone: at 08:00 in Tokyo it is still
    yesterday in UTC, and a re-plan "from today" means the learner's day."""
    return day_of(now, Profile.model_validate_json(record.profile_json).zone)


def reading_of(record: PlanRecord, progress: Progress | None = None) -> ProgressReading:
    """The plan's progress (or `progress`) read against it, ids checked.

    Raises:
        UnknownTopicError: an id the roadmap does not have.
        PlannerError: a session record names a session the plan does not have.
    """
    plan = Plan.model_validate_json(record.plan_json)
    roadmap, _ = roadmap_pair(source_of(plan))
    return read_progress(roadmap, plan, progress or progress_of(record) or Progress(), "progress")


def check_progress_against_plan(record: PlanRecord, progress: Progress, now: datetime) -> None:
    """Refuse, now rather than at the next re-plan: unknown ids and sessions, reports of
    what has not happened yet, an as_of before the day the plan was re-planned from,
    and a change to the record of a session that a re-plan already made history.

    Raises:
        PlannerError: naming the field and what is wrong.
    """
    reading = reading_of(record, progress)
    require_no_future(reading, now, "progress")
    require_history_unchanged(reading, progress_of(record), "progress")
    if progress.as_of is not None:  # against the plan a re-plan from it would start from
        plan = Plan.model_validate_json(plan_to_replan(record, progress.as_of))
        start_of_replan(replace(reading, plan=plan), now, "progress")


def replan_from(record: PlanRecord, now: datetime) -> ReplanStart:
    """Where a re-plan at `now` would start, and why (the web's "Plan again from")."""
    return start_of_replan(reading_of(record), now, "progress")


def plan_to_replan(record: PlanRecord, as_of: date) -> str:
    """The plan a re-plan from `as_of` starts from: the stored one, or, if that was made
    from a later day than `as_of` that had not come yet, the plan before it (so that a
    correction undoes what the mistaken re-plan counted as done)."""
    stored_as_of = Plan.model_validate_json(record.plan_json).as_of
    if record.undo_plan_json and stored_as_of is not None and as_of < stored_as_of:
        return record.undo_plan_json
    return record.plan_json


def session_reports(record: PlanRecord) -> dict[str, Report]:
    """What the recorded progress says of each session still to come or to report (by
    UID; a session it says nothing of is left out): the rule of session_reports, so the
    web shows what a re-plan will count."""
    reading = reading_of(record)
    return {
        session.uid: report
        for session in reading.plan.upcoming
        if (report := reading.report(session)) is not None
    }


def merge_progress(recorded: Progress | None, new: Progress) -> Progress:
    """The union of what was recorded and what is new: a session's new record replaces
    its old one, later hours win, missed ranges that overlap or touch become one, extra
    study is added (two alike are two stretches of study), and the missed mode is the
    one last given."""
    if recorded is None:
        return new.model_copy(update={"missed": merged_ranges(new.missed)})
    records = {record.session: record for record in (*recorded.sessions, *new.sessions)}
    missed = merged_ranges((*recorded.missed, *new.missed))
    try:
        return Progress.model_validate(
            {
                "as_of": new.as_of or recorded.as_of,
                "done": sorted(set(recorded.done) | set(new.done)),
                "hours": {**recorded.hours, **new.hours},
                "skipped": sorted(set(recorded.skipped) | set(new.skipped)),
                "missed": [missed_range.model_dump(by_alias=True) for missed_range in missed],
                "sessions": [record.model_dump() for record in records.values()],
                "extra": [extra.model_dump() for extra in (*recorded.extra, *new.extra)],
                # What the learner did in their own calendar (a sync): kept, in order.
                "calendar": [edit.model_dump() for edit in (*recorded.calendar, *new.calendar)],
                "missed_mode": new.missed_mode
                if "missed_mode" in new.model_fields_set
                else recorded.missed_mode,
            }
        )
    except ValidationError as error:
        problem = error.errors()[0]["msg"].removeprefix("Value error, ")
        raise PlannerError(f"progress: with what was recorded before, {problem}") from None


def merged_ranges(ranges: tuple[DateRange, ...]) -> tuple[DateRange, ...]:
    """The same days as fewest ranges, in order."""
    merged: list[DateRange] = []
    for current in sorted(ranges, key=lambda each: each.first):
        if merged and current.first <= merged[-1].last + timedelta(days=1):
            last = max(merged[-1].last, current.last)
            merged[-1] = DateRange.model_validate({"from": merged[-1].first, "to": last})
        else:
            merged.append(current)
    return tuple(merged)


def reading_fields(record: PlanRecord, now: datetime) -> dict[str, Any]:
    """`replan_from` and `reports` of an answer. A stored progress that no longer reads
    against the plan (written before a rule it breaks) leaves them out, logged, rather
    than making the plan unreadable: the owner can still correct it."""
    try:
        return {
            "replan_from": ReplanFrom.of(replan_from(record, now)),
            "reports": session_reports(record),
        }
    except PlannerError as error:
        log.warning(json.dumps({"event": "progress_unreadable", "plan": record.id,
                                "problem": str(error)}))  # fmt: skip
        return {}
