"""A plan upgraded to a changed roadmap: what a re-plan keeps, drops and plans anew when
the roadmap or its prerequisites differ from the ones the plan was made from.

Topics are matched by id. A changed estimate is planned as the new estimate less what
was studied (never below zero), except that a topic finished under the old estimate
stays finished; a new topic is planned like any other; a removed topic keeps its history
and loses its sessions ahead; the new prerequisites apply to what is left.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path

from planner.errors import PlannerError
from planner.inputs.plan_inputs import PlanInputs
from planner.models.plan import Plan
from planner.planning.history import history_of, studied_minutes
from planner.planning.requirements import planned_minutes
from planner.planning.session_reports import ProgressReading


@dataclass(frozen=True)
class RoadmapUpgrade:
    """How the roadmap changed since the plan was made (topic ids, hours)."""

    changed: tuple[tuple[str, float, float], ...]  # topic, hours before, hours now
    added: tuple[tuple[str, float], ...]  # topic, hours
    removed: tuple[tuple[str, int], ...]  # topic, sessions ahead dropped
    prerequisites_changed: bool


def upgraded(
    previous: Plan, inputs: PlanInputs, path: Path | str, now: datetime
) -> tuple[Plan, RoadmapUpgrade | None]:
    """`previous` ready to be re-planned with `inputs`' roadmap at `now`: as it is when
    that is the roadmap it was made from; else with the new digest, the sessions of
    removed topics that have not begun by `now` dropped and those before it history
    (studied as planned: nothing can report them any more), and what changed.

    Raises:
        PlannerError: the plan is for another roadmap, or was made from other files and
            keeps no copy of them to upgrade from (made by an older version).
    """
    if previous.roadmap_digest in (None, inputs.roadmap_digest):
        return previous, None
    if previous.roadmap != inputs.roadmap.id:
        raise PlannerError(
            f"{path}: this plan is for roadmap {previous.roadmap!r}, not {inputs.roadmap.id!r}"
        )
    if previous.made_from is None:
        raise PlannerError(
            f"{path}: this plan was made from another version of roadmap "
            f"{inputs.roadmap.id!r} than the roadmap and prerequisites given "
            f"({inputs.roadmap_path}, {inputs.prerequisites_path}), and keeps no copy of "
            "them to upgrade from (an older version made it): re-plan with the files the "
            "plan was made from, or start a new plan with `planner plan`"
        )
    before, after = previous.made_from.roadmap.topic_by_id, inputs.roadmap.topic_by_id
    gone = {topic for topic in before if topic not in after}
    ahead = [s for s in previous.sessions if s.topic in gone and s.start_utc >= now]
    upgrade = RoadmapUpgrade(
        changed=tuple(
            (topic.id, before[topic.id].hours, topic.hours)
            for topic in inputs.roadmap.topics
            if topic.id in before and before[topic.id].hours != topic.hours
        ),
        added=tuple(
            (topic.id, topic.hours) for topic in inputs.roadmap.topics if topic.id not in before
        ),
        removed=tuple(
            (topic, sum(1 for s in ahead if s.topic == topic)) for topic in before if topic in gone
        ),
        prerequisites_changed=previous.made_from.prerequisites.edges != inputs.prerequisites.edges,
    )
    kept = tuple(
        session.model_copy(update={"done": True}) if session.topic in gone else session
        for session in previous.sessions
        if session.topic not in gone or session.start_utc < now
    )
    plan = previous.model_copy(update={"sessions": kept, "roadmap_digest": inputs.roadmap_digest})
    return plan, upgrade


def finished_before(
    inputs: PlanInputs, made: Plan, reading: ProgressReading, at: datetime, stamp: datetime
) -> set[str]:
    """Topics whose study before `at` reached their estimate in the roadmap the plan
    `made` was made from: a changed estimate does not open a finished topic again."""
    assert made.made_from is not None  # an upgrade needs the roadmap it upgrades from
    old_minutes, _ = planned_minutes(replace(inputs, roadmap=made.made_from.roadmap))
    history = history_of(reading, at, stamp, made.made_from.roadmap)
    studied = studied_minutes(old_minutes, history, reading.progress, set(reading.done_topics))
    still = inputs.roadmap.topic_by_id
    return {
        topic
        for topic, minutes in old_minutes.items()
        if topic in still and studied[topic] >= minutes
    }
