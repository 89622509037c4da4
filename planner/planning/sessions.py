"""Solver positions -> study sessions with real times and stable UIDs."""

from __future__ import annotations

import itertools
import re
from collections.abc import Set
from datetime import date
from zoneinfo import ZoneInfo

from planner.models.plan import StudySession
from planner.models.roadmap import Roadmap
from planner.solver.problem import SchedulingProblem

UID_DOMAIN = "roadmap-planner"


def session_uid(roadmap_id: str, topic_id: str, ordinal: int, plan_id: str | None) -> str:
    """UID of the `ordinal`-th session (1-based) of a topic in the plan `plan_id`: unique
    to the plan (RFC 5545: globally unique), and the same session keeps it in every
    re-plan, so a subscribed calendar updates it in place. Plans made before plans had
    an id (`plan_id` None) keep the UIDs they had."""
    identity = f".{plan_id}" if plan_id else ""
    return f"{roadmap_id}-{topic_id}-{ordinal}{identity}@{UID_DOMAIN}"


def review_uid(roadmap_id: str, topic_id: str, number: int, plan_id: str | None) -> str:
    """UID of the `number`-th review (1-based) of a topic: its own namespace beside the
    topic's sessions, the same in every re-plan (a review that moves keeps it)."""
    identity = f".{plan_id}" if plan_id else ""
    return f"{roadmap_id}-{topic_id}-review{number}{identity}@{UID_DOMAIN}"


def extra_uid(roadmap_id: str, topic_id: str, day: date, number: int, plan_id: str | None) -> str:
    """UID of the `number`-th study of a topic outside the plan on `day` (from 1): made
    from the record, so every re-plan gives it the same one."""
    identity = f".{plan_id}" if plan_id else ""
    return f"{roadmap_id}-{topic_id}-extra{day:%Y%m%d}-{number}{identity}@{UID_DOMAIN}"


def is_extra_uid(uid: str) -> bool:
    """Whether `uid` is one `extra_uid` made: study outside the plan."""
    return re.search(r"-extra\d{8}-\d+[.@]", uid) is not None


def sessions_from_starts(
    roadmap: Roadmap,
    problem: SchedulingProblem,
    starts: list[int],
    zone: ZoneInfo,
    plan_id: str | None,
    taken_uids: Set[str] = frozenset(),
) -> list[StudySession]:
    """One session per block each topic touches, in local time, sorted by start.

    A topic's sessions are numbered 1, 2, ... in time order, skipping the numbers whose
    UIDs are `taken_uids` (a re-plan's history), so a session that moves to the future
    keeps the UID it had."""
    axis = problem.axis
    sessions = []
    for topic_id, start, duration in zip(problem.topic_ids, starts, problem.durations, strict=True):
        title = roadmap.topic_by_id[topic_id].title
        free_uids = (
            uid
            for uid in (session_uid(roadmap.id, topic_id, n, plan_id) for n in itertools.count(1))
            if uid not in taken_uids
        )
        for first, last in _session_ranges(problem, start, start + duration):
            sessions.append(
                StudySession(
                    uid=next(free_uids),
                    topic=topic_id,
                    title=title,
                    start=axis.slot_start(first).astimezone(zone),
                    end=axis.slot_end(last - 1).astimezone(zone),
                )
            )
    return sorted(sessions, key=lambda session: session.start_utc)


def _session_ranges(problem: SchedulingProblem, start: int, end: int) -> list[tuple[int, int]]:
    """Axis ranges of the sessions of a topic on [start, end): its share of each window,
    split by the session rules."""
    ranges = []
    for share_start, share_end in problem.axis.pieces(start, end):
        position = share_start
        for length in problem.rules.split(share_end - share_start, topic_ends=share_end == end):
            ranges.append((position, position + length))
            position += length
    return ranges
