"""A plan upgraded to a changed roadmap: what a re-plan keeps, drops and plans anew when
the roadmap or its prerequisites differ from the ones the plan was made from.

Topics are matched by id. A changed estimate is planned as the new estimate less what
was studied (never below zero), except that a topic finished under the old estimate
stays finished; a new topic is planned like any other; a removed topic keeps its history
and loses its sessions ahead; the new prerequisites apply to what is left. A topic whose
id changed is the same topic only on the learner's word (`--rename OLD=NEW`); the summary
suggests it where a removed and a new topic have alike titles.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path

from planner.errors import PlannerError
from planner.inputs.plan_inputs import PlanInputs
from planner.models.plan import Plan
from planner.models.progress import Progress
from planner.models.roadmap import Roadmap
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
    renamed: tuple[tuple[str, str], ...] = ()  # old id, new id: on the learner's word
    # A removed topic and a new one with alike titles: perhaps renamed (old id, new id).
    alike: tuple[tuple[str, str], ...] = ()


def upgraded(
    previous: Plan,
    inputs: PlanInputs,
    path: Path | str,
    now: datetime,
    renames: Mapping[str, str] | None = None,
) -> tuple[Plan, RoadmapUpgrade | None]:
    """`previous` ready to be re-planned with `inputs`' roadmap at `now`: as it is when
    that is the roadmap it was made from; else with the new digest, the sessions of
    removed topics that have not begun by `now` dropped and those before it history
    (studied as planned: nothing can report them any more), and what changed.
    `renames` (old id -> new id) make a topic of the old roadmap the new one.

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
    renames = dict(renames or {})
    previous = _renamed(previous, inputs, renames, path)
    assert previous.made_from is not None
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
        renamed=tuple(renames.items()),
        alike=_alike(
            {t: before[t].title for t in gone},
            {t.id: t.title for t in inputs.roadmap.topics if t.id not in before},
        ),
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


def renamed_progress(progress: Progress, renames: Mapping[str, str]) -> Progress:
    """The record with the renamed topics' old ids read as their new ones."""
    if not renames:
        return progress

    def new(topic: str) -> str:
        return renames.get(topic, topic)

    return progress.model_copy(
        update={
            "done": tuple(new(t) for t in progress.done),
            "skipped": tuple(new(t) for t in progress.skipped),
            "hours": {new(t): hours for t, hours in progress.hours.items()},
            "extra": tuple(e.model_copy(update={"topic": new(e.topic)}) for e in progress.extra),
        }
    )


def _renamed(previous: Plan, inputs: PlanInputs, renames: dict[str, str], path: Path | str) -> Plan:
    """`previous` with the renamed topics under their new ids: its sessions, and the
    roadmap copy it was made from (so the two roadmaps compare topic by topic).

    Raises:
        PlannerError: OLD is not a topic of the plan's roadmap, or NEW not one of the
            new roadmap, or either is still a topic of both.
    """
    if not renames:
        return previous
    assert previous.made_from is not None
    before, after = previous.made_from.roadmap.topic_by_id, inputs.roadmap.topic_by_id
    for old, new in renames.items():
        if old not in before or old in after:
            raise PlannerError(
                f"--rename {old}={new}: {old} is not a topic the plan's roadmap had and the "
                "new one has not (give the id of a removed topic)"
            )
        if new not in after or new in before:
            raise PlannerError(
                f"--rename {old}={new}: {new} is not a topic new in {path}'s roadmap "
                f"(give the id of a topic the new roadmap ({inputs.roadmap_path}) adds)"
            )
    sessions = tuple(
        session.model_copy(
            update={"topic": renames[session.topic], "title": after[renames[session.topic]].title}
        )
        if session.topic in renames
        else session
        for session in previous.sessions
    )
    roadmap = previous.made_from.roadmap.model_dump(mode="json")
    for section in roadmap["sections"]:
        for topic in section["topics"]:
            topic["id"] = renames.get(topic["id"], topic["id"])
    made_from = previous.made_from.model_copy(update={"roadmap": Roadmap.model_validate(roadmap)})
    return previous.model_copy(update={"sessions": sessions, "made_from": made_from})


def _alike(removed: dict[str, str], added: dict[str, str]) -> tuple[tuple[str, str], ...]:
    """Removed and new topics whose titles are alike (perhaps one topic renamed)."""
    from rapidfuzz import fuzz

    return tuple(
        (old, new)
        for old, old_title in removed.items()
        for new, new_title in added.items()
        if fuzz.token_sort_ratio(old_title.lower(), new_title.lower()) >= 80
    )
