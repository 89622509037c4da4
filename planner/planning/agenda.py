"""The plan as a learner meets it day to day: a day's sessions (the learner's local days),
short names for sessions ("4.1-2") and which of its topic's sessions one is."""

from __future__ import annotations

from datetime import date
from zoneinfo import ZoneInfo

from planner.errors import PlannerError
from planner.models.plan import Plan, StudySession
from planner.planning.sessions import UID_DOMAIN
from planner.timeline.clock import day_of, start_of_day


def local_day(plan: Plan, session: StudySession) -> date:
    return day_of(session.start_utc, ZoneInfo(plan.timezone))


def sessions_of_day(plan: Plan, day: date, *, starting: bool = False) -> list[StudySession]:
    """The plan's sessions of the learner's `day`, in time order: those that start on it,
    and (unless `starting`) one that began the evening before and runs into it (a window
    past midnight)."""
    zone = ZoneInfo(plan.timezone)
    midnight = start_of_day(day, zone)
    return sorted(
        (
            s
            for s in plan.sessions
            if local_day(plan, s) == day or (not starting and s.start_utc < midnight < s.end_utc)
        ),
        key=lambda session: session.start_utc,
    )


def short_id(plan: Plan, session: StudySession) -> str:
    """The UID without the roadmap, the plan id and the domain: "4.1-2"."""
    name = session.uid.removesuffix(f"@{UID_DOMAIN}").removeprefix(f"{plan.roadmap}-")
    return name.removesuffix(f".{plan.plan_id}") if plan.plan_id else name


def find_session(plan: Plan, reference: str) -> StudySession:
    """The session a learner names by its UID or its short id ("4.1-2").

    Raises:
        PlannerError: no session of the plan has that name.
    """
    for session in plan.sessions:
        if reference in (session.uid, short_id(plan, session)):
            return session
    raise PlannerError(
        f"--session: the plan has no session {reference!r} (`planner next` shows them, e.g. 4.1-2)"
    )


def session_number(plan: Plan, session: StudySession) -> tuple[int, int]:
    """(n, of): the session is the n-th of its topic's `of` sessions in the plan (a
    review: of its topic's reviews)."""
    of_topic = sorted(
        (s for s in plan.sessions if (s.topic, s.kind) == (session.topic, session.kind)),
        key=lambda s: s.start_utc,
    )
    return of_topic.index(session) + 1, len(of_topic)
