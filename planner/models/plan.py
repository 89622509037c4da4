"""The planner's answer: study sessions with real times, and what it knows of them."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Annotated, Literal

from pydantic import AwareDatetime, Field, model_validator

from planner.models.fields import FrozenModel, TimeZoneName

# Goes into every event UID: letters, digits, '-' and '_' only, so a UID stays one token.
PlanId = Annotated[str, Field(pattern=r"^[A-Za-z0-9_-]{1,40}$")]


class StudySession(FrozenModel):
    """One study session. `done` marks history kept by a re-plan; `sequence` and
    `modified` are the iCalendar SEQUENCE and LAST-MODIFIED of its event, raised when a
    re-plan moves or changes it, so a subscribed calendar updates it in place."""

    uid: str
    topic: str
    title: str
    start: AwareDatetime  # with its UTC offset: a local time alone is ambiguous
    end: AwareDatetime
    done: bool = False
    sequence: int = Field(default=0, ge=0)
    modified: AwareDatetime | None = None

    @model_validator(mode="after")
    def _ends_after_it_starts(self) -> StudySession:
        if self.end_utc <= self.start_utc:
            raise ValueError(f"session {self.uid} ends before it starts")
        return self

    # Compare and subtract sessions in UTC: Python compares aware datetimes of one zone by
    # wall clock, which ignores a DST change between them and which 02:30 of a repeated
    # hour is meant.
    @property
    def start_utc(self) -> datetime:
        return self.start.astimezone(UTC)

    @property
    def end_utc(self) -> datetime:
        return self.end.astimezone(UTC)

    @property
    def minutes(self) -> float:
        return (self.end_utc - self.start_utc).total_seconds() / 60


class RoundedTopic(FrozenModel):
    """A topic whose hours were rounded up to whole slots."""

    topic: str
    hours: float
    planned_hours: float


class GoalReport(FrozenModel):
    """When a goal is reached, and the earliest it could be (capacity bound of all the
    hours it needs): equal means no plan reaches it sooner."""

    goal: str
    reached: AwareDatetime | None
    earliest: AwareDatetime | None


class SolverReport(FrozenModel):
    status: Literal["OPTIMAL", "FEASIBLE"]
    finish_proven_optimal: bool
    sessions: int
    sessions_lower_bound: int
    list_schedule_sessions: int


class Plan(FrozenModel):
    """A study plan. After a re-plan, `as_of` is the day it was made from: sessions before
    it are history (`done`), the rest is planned from it; `planned_hours` and `finish`
    speak of what is left."""

    roadmap: str
    # The plan's identity, in every event UID; re-plans keep it. None: a plan made
    # before plans had one (it keeps its old UIDs).
    plan_id: PlanId | None = None
    timezone: TimeZoneName
    start: date
    as_of: date | None = None
    finish: AwareDatetime | None
    lower_bound_finish: AwareDatetime | None
    planned_hours: float
    rounded: tuple[RoundedTopic, ...] = ()
    goals: tuple[GoalReport, ...] = ()
    deadline: date | None = None
    solver: SolverReport
    sessions: tuple[StudySession, ...]

    @model_validator(mode="after")
    def _uids_are_unique(self) -> Plan:
        uids = [session.uid for session in self.sessions]
        if len(set(uids)) != len(uids):
            duplicate = next(uid for uid in uids if uids.count(uid) > 1)
            raise ValueError(f"session UID {duplicate!r} is used twice")
        return self

    def to_json(self) -> str:
        """The plan as SPEC.md shows it; fields at their defaults (a session not done,
        SEQUENCE 0) are left out."""
        return self.model_dump_json(indent=2, exclude_defaults=True) + "\n"

    @property
    def planned_from(self) -> date:
        """The first day of what is still to do."""
        return self.as_of or self.start

    @property
    def upcoming(self) -> tuple[StudySession, ...]:
        return tuple(session for session in self.sessions if not session.done)
