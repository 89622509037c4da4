"""Solver positions -> study sessions with real times and stable UIDs."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from planner.models import Roadmap, StudySession
from planner.solver import SchedulingProblem


def session_uid(roadmap_id: str, topic_id: str, ordinal: int) -> str:
    """Stable UID of the `ordinal`-th session (1-based) of a topic: the same session gets
    the same UID in every plan, so a subscribed calendar updates it in place."""
    return f"{roadmap_id}-{topic_id}-{ordinal}@roadmap-planner"


def sessions_from_starts(
    roadmap: Roadmap, problem: SchedulingProblem, starts: list[int], zone: ZoneInfo
) -> list[StudySession]:
    """One session per block each topic touches, in local time, sorted by start."""
    axis = problem.axis
    sessions = []
    for topic_id, start, duration in zip(problem.topic_ids, starts, problem.durations, strict=True):
        title = roadmap.topic_by_id[topic_id].title
        for ordinal, (first, end) in enumerate(axis.pieces(start, start + duration), 1):
            sessions.append(
                StudySession(
                    uid=session_uid(roadmap.id, topic_id, ordinal),
                    topic=topic_id,
                    title=title,
                    start=axis.slot_start(first).astimezone(zone),
                    end=axis.slot_end(end - 1).astimezone(zone),
                )
            )
    return sorted(sessions, key=lambda session: session.start_utc)
