"""A plan's recorded progress: reading it, adding to it, checking its topic ids, and the
learner's today it is reported against."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from pydantic import ValidationError

from api.solving import bundled_roadmaps
from api.tables import PlanRecord
from planner.errors import PlannerError
from planner.inputs.graph import expand_ids, require_topics
from planner.models.fields import DateRange
from planner.models.profile import Profile
from planner.models.progress import Progress
from planner.timeline.zones import date_in


def progress_of(record: PlanRecord) -> Progress | None:
    return Progress.model_validate_json(record.progress_json) if record.progress_json else None


def learner_today(record: PlanRecord, now: datetime) -> date:
    """The date at `now` in the plan's time zone: at 08:00 in Tokyo it is still
    yesterday in UTC, and a re-plan "from today" means the learner's day."""
    return date_in(Profile.model_validate_json(record.profile_json).timezone, now)


def check_progress_ids(progress: Progress, roadmap_id: str) -> None:
    """Refuse unknown ids now, not at the next re-plan."""
    roadmap, _ = bundled_roadmaps()[roadmap_id]
    expand_ids(roadmap, progress.done, "progress", "done")
    expand_ids(roadmap, progress.skipped, "progress", "skipped")
    require_topics(roadmap, progress.hours, "progress", "hours")


def merge_progress(recorded: Progress | None, new: Progress) -> Progress:
    """The union of what was recorded and what is new: later hours win, a topic now done
    no longer counts its hours, missed ranges that overlap or touch become one, and the
    missed mode is the one last given."""
    if recorded is None:
        return new.model_copy(update={"missed": merged_ranges(new.missed)})
    done = sorted(set(recorded.done) | set(new.done))
    hours = {topic: h for topic, h in {**recorded.hours, **new.hours}.items() if topic not in done}
    missed = merged_ranges((*recorded.missed, *new.missed))
    try:
        return Progress.model_validate(
            {
                "as_of": new.as_of or recorded.as_of,
                "done": done,
                "hours": hours,
                "skipped": sorted(set(recorded.skipped) | set(new.skipped)),
                "missed": [missed_range.model_dump(by_alias=True) for missed_range in missed],
                "sessions": list(dict.fromkeys((*recorded.sessions, *new.sessions))),
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
