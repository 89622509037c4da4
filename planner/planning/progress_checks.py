"""What a progress record may not say, checked against the plan and the roadmap before
anything reads it: ids the roadmap does not have, sessions the plan does not have, what
has not happened yet, and changes to what a re-plan already took into the past. Each
check names the field and what to do."""

from __future__ import annotations

from datetime import datetime, time
from pathlib import Path

from planner.errors import PlannerError, UnknownTopicError
from planner.inputs.ids import expand_ids, require_topics
from planner.inputs.lookup import did_you_mean
from planner.models.plan import Plan
from planner.models.progress import Progress
from planner.models.roadmap import Roadmap
from planner.planning.session_reports import ProgressReading
from planner.timeline.clock import Clock, has_begun
from planner.timeline.zones import local_to_utc


def read_progress(
    roadmap: Roadmap, plan: Plan, progress: Progress, path: Path | str
) -> ProgressReading:
    """The record read against `plan`, its ids checked against `roadmap`.

    Raises:
        UnknownTopicError: `done`, `skipped`, `hours` or `extra` name an id the roadmap
            does not have.
        PlannerError: a session record names a session the plan does not have.
    """
    require_known_sessions(plan, progress, path)
    require_topics(roadmap, progress.hours, path, "hours")
    for index, extra in enumerate(progress.extra):
        require_study_topic(roadmap, extra.topic, path, f"extra[{index}].topic")
    return ProgressReading(
        plan,
        progress,
        frozenset(expand_ids(roadmap, progress.done, path, "done")),
        frozenset(expand_ids(roadmap, progress.skipped, path, "skipped")),
    )


def require_study_topic(roadmap: Roadmap, topic: str, path: Path | str, where: str) -> None:
    """Study outside the plan is of a topic, not of a section.

    Raises:
        PlannerError: `topic` is a section (naming its topics).
        UnknownTopicError: `topic` is neither.
    """
    if topic in roadmap.topic_by_id:
        return
    for section in roadmap.sections:
        if section.id == topic:
            topics = ", ".join(t.id for t in section.topics)
            raise PlannerError(
                f"{path}: {where}: {topic} is a section: name the topic you studied ({topics})"
            )
    raise UnknownTopicError(topic, path, where, did_you_mean(roadmap, topic))


def require_no_future(reading: ProgressReading, clock: Clock, path: Path | str) -> None:
    """Nothing is reported that has not happened by the learner's `clock` (a day alone:
    by its end).

    Raises:
        PlannerError: a session record names a session that has not begun, or extra
            study began after `clock`.
    """
    zone = reading.zone
    by_uid = {session.uid: session for session in reading.plan.sessions}
    for index, record in enumerate(reading.progress.sessions):
        session = by_uid.get(record.session)  # None: missed, and planned anew since
        if session and not session.done and not has_begun(session.start_utc, clock, zone):
            raise PlannerError(
                f"{path}: sessions[{index}]: {record.session} begins "
                f"{session.start.astimezone(zone):%a %Y-%m-%d %H:%M}, after now: report it "
                "once it has begun (a day you will not study is a blackout in your profile)"
            )
    for index, extra in enumerate(reading.progress.extra):
        began = local_to_utc(datetime.combine(extra.day, extra.at or time(0, 0)), zone)
        if not has_begun(began, clock, zone):
            when = f"{extra.day} {extra.at:%H:%M}" if extra.at else f"{extra.day}"
            raise PlannerError(
                f"{path}: extra[{index}]: {when} is after now: report study once it has happened"
            )


def require_history_unchanged(
    reading: ProgressReading, recorded: Progress | None, path: Path | str
) -> None:
    """The record of a session that a re-plan already took into the past (history, or
    missed and planned anew) stays as it was: the history keeps what it said then.

    Raises:
        PlannerError: a session record for such a session differs from `recorded`.
    """
    before = {record.session: record for record in (recorded.sessions if recorded else ())}
    past = {s.uid for s in reading.plan.sessions if s.done} | set(reading.plan.retired_uids)
    for index, record in enumerate(reading.progress.sessions):
        if record.session in past and before.get(record.session) != record:
            raise PlannerError(
                f"{path}: sessions[{index}]: {record.session} is in the past of the last "
                "re-plan, which took it as it was then; say how much of its topic you have "
                "studied with the topic's hours instead"
            )


def require_known_sessions(previous: Plan, progress: Progress, path: Path | str) -> None:
    """Every UID the progress reports on (study or review) is a session of the plan, or
    one a re-plan took as missed.

    Raises:
        PlannerError: naming the first UID the plan does not have.
    """
    uids = {session.uid for session in previous.sessions} | set(previous.retired_uids)
    for index, record in enumerate(progress.sessions):
        uid = record.session
        if uid not in uids:
            raise PlannerError(
                f"{path}: sessions[{index}]: the plan has no session {uid!r} (`planner next` "
                "shows the sessions and their UIDs)"
            )
