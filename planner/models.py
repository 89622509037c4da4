"""Domain models: what the learner's files say (roadmap, prerequisites, profile) and what
the planner answers (a plan of study sessions). Frozen, and strict about unknown keys so a
typo in a file is reported instead of silently ignored.
"""

from __future__ import annotations

import itertools
import math
import re
from datetime import UTC, date, datetime, time
from functools import cached_property
from typing import Annotated, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import (
    AfterValidator,
    AwareDatetime,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainSerializer,
    WithJsonSchema,
    field_validator,
    model_validator,
)


def _id_must_be_text(value: object) -> object:
    # YAML reads an unquoted 4.1 as a number, and 10.10 would silently become "10.1".
    if isinstance(value, int | float) and not isinstance(value, bool):
        raise ValueError(f'ids must be quoted strings: write "{value}", not {value}')
    return value


Identifier = Annotated[
    str, BeforeValidator(_id_must_be_text), Field(min_length=1, pattern=r"^\S+$")
]
# Strict: YAML's `true` is not 1 hour. The cap keeps arithmetic sane (a roadmap of more
# than 10,000 hours in one topic is a typo).
Hours = Annotated[float, Field(ge=0, le=10_000, allow_inf_nan=False, strict=True)]


def _known_zone(name: str) -> str:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(
            f"unknown time zone {name!r} (use an IANA name like Europe/Berlin)"
        ) from None
    return name


TimeZoneName = Annotated[str, AfterValidator(_known_zone)]

FIRST_PLANNING_DAY, LAST_PLANNING_DAY = date(1970, 1, 1), date(2199, 12, 31)


def _plausible_day(day: date) -> date:
    # A plan may run decades past its start; time zone rules and datetime arithmetic
    # need room on both sides, and a start outside this range is a typo anyway.
    if not FIRST_PLANNING_DAY <= day <= LAST_PLANNING_DAY:
        raise ValueError(f"{day} is outside {FIRST_PLANNING_DAY}..{LAST_PLANNING_DAY}")
    return day


PlanningDay = Annotated[date, AfterValidator(_plausible_day)]
Weekday = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
WEEKDAYS: tuple[Weekday, ...] = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


class FrozenModel(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


# --- roadmap -------------------------------------------------------------------------


class Link(FrozenModel):
    title: str
    url: str


class Topic(FrozenModel):
    id: Identifier
    title: str = Field(min_length=1)
    hours: Hours
    items: tuple[str, ...] = ()
    links: tuple[Link, ...] = ()
    note: str | None = None


class Section(FrozenModel):
    id: Identifier
    title: str = Field(min_length=1)
    hours: Hours
    topics: tuple[Topic, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _hours_add_up(self) -> Section:
        # Catches transcription slips: the section total is stated separately in sources.
        topic_hours = sum(topic.hours for topic in self.topics)
        if not math.isclose(topic_hours, self.hours, abs_tol=1e-9):
            raise ValueError(
                f"section {self.id} states {self.hours:g} h but its topics add up to "
                f"{topic_hours:g} h"
            )
        return self


class Roadmap(FrozenModel):
    id: Identifier
    title: str = Field(min_length=1)
    sections: tuple[Section, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _ids_are_unique(self) -> Roadmap:
        seen: set[str] = set()
        for section in self.sections:
            for item_id in (section.id, *(topic.id for topic in section.topics)):
                if item_id in seen:
                    raise ValueError(f"id {item_id!r} is used twice")
                seen.add(item_id)
        return self

    @cached_property
    def topics(self) -> tuple[Topic, ...]:
        """All topics in the roadmap's own order."""
        return tuple(topic for section in self.sections for topic in section.topics)

    @cached_property
    def topic_by_id(self) -> dict[str, Topic]:
        return {topic.id: topic for topic in self.topics}

    @cached_property
    def section_of(self) -> dict[str, Section]:
        """Topic id -> the section that holds it."""
        return {topic.id: section for section in self.sections for topic in section.topics}

    @property
    def total_hours(self) -> float:
        return sum(topic.hours for topic in self.topics)


class Edge(FrozenModel):
    before: Identifier
    after: Identifier
    why: str = Field(min_length=1)


class Prerequisites(FrozenModel):
    roadmap: Identifier
    edges: tuple[Edge, ...] = ()


# --- learner profile -------------------------------------------------------------------

_WINDOW = re.compile(r"^(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})$")


class WeeklyWindow(FrozenModel):
    """A local wall-clock window such as "19:00-21:00"; `end <= start` runs past midnight."""

    start: time
    end: time
    crosses_midnight: bool

    @classmethod
    def parse(cls, text: str) -> WeeklyWindow:
        match = _WINDOW.match(text.strip())
        if not match:
            raise ValueError(f"{text!r} is not a window like '19:00-21:00'")
        start_h, start_m, end_h, end_m = (int(group) for group in match.groups())
        ends_at_midnight = (end_h, end_m) == (24, 0)
        if ends_at_midnight:
            end_h, end_m = 0, 0
        if start_h > 23 or end_h > 23 or start_m > 59 or end_m > 59:
            raise ValueError(f"{text!r} has a time outside 00:00-24:00")
        start, end = time(start_h, start_m), time(end_h, end_m)
        if start == end and not ends_at_midnight:  # "00:00-24:00" is the whole day
            raise ValueError(f"{text!r} is empty (start equals end)")
        return cls(start=start, end=end, crosses_midnight=end <= start)

    def __str__(self) -> str:
        # The whole day, "00:00-24:00", must read back as itself, not as an empty window.
        end = "24:00" if self.start == self.end else f"{self.end:%H:%M}"
        return f"{self.start:%H:%M}-{end}"


def _window_from_text(value: object) -> object:
    return WeeklyWindow.parse(value) if isinstance(value, str) else value


# Read from and written as text ("19:00-21:00"), and described so in JSON schemas.
WindowText = Annotated[
    WeeklyWindow,
    BeforeValidator(_window_from_text),
    PlainSerializer(str, return_type=str),
    WithJsonSchema(
        {
            "type": "string",
            "pattern": r"^\d{1,2}:\d{2}\s*-\s*\d{1,2}:\d{2}$",
            "examples": ["19:00-21:00", "23:00-01:00"],
        }
    ),
]
# `mon: "19:00-21:00"` means the same as `mon: ["19:00-21:00"]`.
WindowList = Annotated[
    tuple[WindowText, ...],
    BeforeValidator(lambda value: [value] if isinstance(value, str) else value),
]


class DateRange(FrozenModel):
    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)

    first: date = Field(alias="from")
    last: date = Field(alias="to")

    @model_validator(mode="after")
    def _ordered(self) -> DateRange:
        if self.last < self.first:
            raise ValueError(f"'to' ({self.last}) is before 'from' ({self.first})")
        return self

    def __contains__(self, day: date) -> bool:
        return self.first <= day <= self.last


class SessionRules(FrozenModel):
    min_minutes: int = Field(default=60, ge=0, le=24 * 60)
    max_minutes: int = Field(default=180, ge=1, le=24 * 60)
    slot_minutes: int = Field(default=30, ge=5, le=240)

    @model_validator(mode="after")
    def _consistent(self) -> SessionRules:
        if self.min_minutes > self.max_minutes:
            raise ValueError("min_minutes is larger than max_minutes")
        if self.max_minutes < self.slot_minutes:
            raise ValueError("max_minutes is shorter than one slot (slot_minutes)")
        if self.min_slots > self.max_slots:
            raise ValueError(
                f"in whole slots of {self.slot_minutes} min, min_minutes becomes "
                f"{self.min_slots * self.slot_minutes} and max_minutes "
                f"{self.max_slots * self.slot_minutes}: no session length fits both"
            )
        return self

    @property
    def min_slots(self) -> int:
        """Shortest allowed session, in whole slots (rounded up)."""
        return -(-self.min_minutes // self.slot_minutes)

    @property
    def max_slots(self) -> int:
        """Longest allowed session, in whole slots (rounded down)."""
        return self.max_minutes // self.slot_minutes

    def split(self, slots: int, *, topic_ends: bool) -> list[int]:
        """One topic's time in one window, in slots, as sessions: as few as `max_slots`
        allows, of even length. If even parts would be shorter than `min_slots`, full
        sessions and the rest last — allowed only where the topic ends (its last session
        may be a remainder); elsewhere such a stretch is not a valid placement and the
        caller never asks for it."""
        count = -(-slots // self.max_slots)
        base, extra = divmod(slots, count)
        if base >= self.min_slots or not topic_ends:
            return [base + 1] * extra + [base] * (count - extra)
        full, rest = divmod(slots, self.max_slots)
        return [self.max_slots] * full + ([rest] if rest else [])

    def usable_slots(self, slots: int) -> int:
        """The most of a window of `slots` that splits into sessions of `min_slots` to
        `max_slots` each (0 if none): the rest cannot hold a session of its own."""
        for usable in range(slots, 0, -1):
            if usable >= -(-usable // self.max_slots) * max(self.min_slots, 1):
                return usable
        return 0


class Profile(FrozenModel):
    timezone: TimeZoneName
    start: PlanningDay | None = None
    weekly: dict[Weekday, WindowList]
    blackouts: tuple[DateRange, ...] = ()
    session: SessionRules = SessionRules()
    hours: dict[Identifier, Hours] = {}
    skip: tuple[Identifier, ...] = ()
    goals: tuple[Identifier, ...] = ()  # topics or sections to reach first, in this order
    only_goals: bool = False  # plan just the goals and what they need
    deadline: PlanningDay | None = None  # everything planned ends by the end of this day
    max_hours_per_day: Annotated[float, Field(ge=0.25, le=24, strict=True)] | None = None
    max_hours_per_week: Annotated[float, Field(ge=0.25, le=168, strict=True)] | None = None
    pace: Annotated[float, Field(ge=0.1, le=10, strict=True)] = 1.0  # x every estimate

    @model_validator(mode="after")
    def _goals_for_only_goals(self) -> Profile:
        if self.only_goals and not self.goals:
            raise ValueError("only_goals needs goals (the topics or sections to plan)")
        if self.deadline is not None and self.start is not None and self.deadline < self.start:
            raise ValueError(f"deadline {self.deadline} is before start {self.start}")
        return self

    @field_validator("weekly")
    @classmethod
    def _windows_do_not_overlap(
        cls, weekly: dict[Weekday, tuple[WeeklyWindow, ...]]
    ) -> dict[Weekday, tuple[WeeklyWindow, ...]]:
        for day_index, day in enumerate(WEEKDAYS):
            ordered = sorted(weekly.get(day) or (), key=lambda window: window.start)
            for earlier, later in itertools.pairwise(ordered):
                if earlier.crosses_midnight or earlier.end > later.start:
                    raise ValueError(f"{day} {earlier} overlaps {day} {later}")
            next_day = WEEKDAYS[(day_index + 1) % 7]
            for late in (window for window in ordered if window.crosses_midnight):
                for early in weekly.get(next_day) or ():
                    if early.start < late.end:
                        raise ValueError(f"{day} {late} overlaps {next_day} {early}")
        return weekly

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def windows_on(self, day: date) -> tuple[WeeklyWindow, ...]:
        """The weekly windows of `day`'s weekday."""
        return self.weekly.get(WEEKDAYS[day.weekday()]) or ()

    def is_blackout(self, day: date) -> bool:
        return any(day in blackout for blackout in self.blackouts)


# --- plan ------------------------------------------------------------------------------


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


class Progress(FrozenModel):
    """What a learner reports (`progress.yaml`). Either explicit (`done`, `hours`), or
    only `missed` ranges: then every planned session before `as_of` outside them counts
    as done, and those inside as not done."""

    as_of: PlanningDay | None = None
    done: tuple[Identifier, ...] = ()
    hours: dict[Identifier, Hours] = {}
    skipped: tuple[Identifier, ...] = ()
    missed: tuple[DateRange, ...] = ()

    @model_validator(mode="after")
    def _one_way_of_saying_it(self) -> Progress:
        if self.missed and (self.done or self.hours):
            raise ValueError(
                "say what happened either with done/hours or with missed ranges, not both "
                "(with done/hours, only what you list counts as done)"
            )
        both = sorted(set(self.done) & set(self.hours))
        if both:
            raise ValueError(f"{both[0]} is in both done and hours: which is it?")
        return self

    @property
    def is_explicit(self) -> bool:
        return bool(self.done or self.hours)
