"""The learner's profile: time zone, weekly windows, blackouts, session rules, and
what they want (overrides, skips, goals, deadline, caps, pace, how closely to follow the
roadmap's order)."""

from __future__ import annotations

import itertools
import re
from datetime import date, time
from functools import cached_property
from typing import Annotated
from zoneinfo import ZoneInfo

from pydantic import (
    BeforeValidator,
    Discriminator,
    Field,
    PlainSerializer,
    Tag,
    WithJsonSchema,
    field_validator,
    model_validator,
)

from planner.arithmetic import ceil_div
from planner.models.blackouts import FACTOR_PER_ID, ONE_FACTOR, Blackout, DaysOff
from planner.models.busy import BusySourceList
from planner.models.calendar_target import CalendarTarget
from planner.models.fields import (
    MAX_WINDOWS_PER_WEEK,
    WEEKDAYS,
    FrozenModel,
    Hours,
    Identifier,
    PlanningDay,
    TimeZoneName,
    Weekday,
    too_many_windows,
)
from planner.models.order import MaxShift, OrderField
from planner.models.reviews import ReviewSwitch

MINUTES_A_DAY = 24 * 60
_WINDOW = re.compile(r"^(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})$")
# A longer window is nearly always a reversed one ("22:30-20:00" for "20:00-22:30"),
# which would otherwise read as 21.5 h past midnight.
MAX_WINDOW_HOURS = 12


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
        if start == end and not ends_at_midnight:
            raise ValueError(f"{text!r} is empty (start equals end)")
        window = cls(start=start, end=end, crosses_midnight=end <= start)
        if window.minutes > MAX_WINDOW_HOURS * 60:
            raise ValueError(_too_long(text, window))
        return window

    @property
    def minutes(self) -> int:
        """Nominal wall-clock length (a DST change aside)."""
        start = self.start.hour * 60 + self.start.minute
        end = self.end.hour * 60 + self.end.minute
        return (end - start) % MINUTES_A_DAY or MINUTES_A_DAY

    def __str__(self) -> str:
        return f"{self.start:%H:%M}-{self.end:%H:%M}"


def _too_long(text: str, window: WeeklyWindow) -> str:
    hours = f"{window.minutes / 60:g} h"
    if window.start == window.end:
        return f"{text!r} is a whole day; a window is at most {MAX_WINDOW_HOURS} h of study"
    if not window.crosses_midnight:
        return (
            f"{text!r} is {hours} long; a window is at most {MAX_WINDOW_HOURS} h: split it in two"
        )
    return (
        f"{text!r} runs past midnight, from {window.start:%H:%M} to {window.end:%H:%M} the next "
        f"day ({hours}); a window is at most {MAX_WINDOW_HOURS} h. Did you mean "
        f"'{window.end:%H:%M}-{window.start:%H:%M}'? A window that does run past midnight is "
        "written as on a clock: '23:00-01:00' is 23:00 to 01:00 the next day"
    )


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


class ReplanRules(FrozenModel):
    """Of re-plans as good on finish and sessions, the fewest changed in `keep_days` win."""

    keep_days: int = Field(default=14, ge=0, le=365)


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
        return ceil_div(self.min_minutes, self.slot_minutes)

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
        count = ceil_div(slots, self.max_slots)
        base, extra = divmod(slots, count)
        if base >= self.min_slots or not topic_ends:
            return [base + 1] * extra + [base] * (count - extra)
        full, rest = divmod(slots, self.max_slots)
        return [self.max_slots] * full + ([rest] if rest else [])

    def usable_slots(self, slots: int) -> int:
        """The most of a window of `slots` that splits into sessions of `min_slots` to
        `max_slots` each (0 if none): the rest cannot hold a session of its own."""
        for usable in range(slots, 0, -1):
            if usable >= ceil_div(usable, self.max_slots) * max(self.min_slots, 1):
                return usable
        return 0


def _goal_from_id(value: object) -> object:
    return {"topic": value} if isinstance(value, str) else value


class ProfileGoal(FrozenModel):
    """A goal as the profile states it: a topic or section to reach first, and maybe the
    day by which it must be reached (`{topic: "6.3", by: 2027-06-30}`; a plain "6.3"
    has no date)."""

    topic: Identifier
    by: PlanningDay | None = None

    def __str__(self) -> str:
        return self.topic if self.by is None else f"{self.topic} by {self.by}"


def _goal_as_written(goal: ProfileGoal | str) -> str | dict[str, str]:
    # A str: a goal put in by `model_copy(update=...)`, which does not validate.
    if isinstance(goal, str) or goal.by is None:
        return str(goal)
    return {"topic": goal.topic, "by": str(goal.by)}


# Read as "6.3" or {topic: "6.3", by: 2027-06-30}; written back the same way.
GoalItem = Annotated[
    ProfileGoal,
    BeforeValidator(_goal_from_id),
    PlainSerializer(lambda goal: _goal_as_written(goal)),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "string", "examples": ["6.3"]},
                {
                    "type": "object",
                    "properties": {
                        "topic": {"type": "string", "minLength": 1, "pattern": r"^\S+$"},
                        "by": {"type": "string", "format": "date"},
                    },
                    "required": ["topic"],
                    "additionalProperties": False,
                },
            ]
        }
    ),
]
PaceFactor = Annotated[float, Field(ge=0.1, le=10, strict=True)]
ALL_TOPICS = "all"  # the key of the global factor when `pace` is a mapping
# `pace: 1.25`, or `pace: {"4": 1.5, all: 1.25}`.
Pace = Annotated[
    Annotated[PaceFactor, Tag(ONE_FACTOR)]
    | Annotated[dict[Identifier, PaceFactor], Tag(FACTOR_PER_ID)],
    Discriminator(lambda value: FACTOR_PER_ID if isinstance(value, dict) else ONE_FACTOR),
]


class Profile(FrozenModel):
    timezone: TimeZoneName
    start: PlanningDay | None = None
    weekly: dict[Weekday, WindowList]
    blackouts: tuple[Blackout, ...] = ()
    session: SessionRules = SessionRules()
    # Hours per topic, or per section (spread over its topics by their estimates).
    hours: dict[Identifier, Hours] = {}  # noqa: RUF012 (pydantic copies defaults)
    skip: tuple[Identifier, ...] = ()
    goals: tuple[GoalItem, ...] = ()  # topics or sections to reach first, in this order
    only_goals: bool = False  # plan just the goals and what they need
    deadline: PlanningDay | None = None  # everything planned ends by the end of this day
    max_hours_per_day: Annotated[float, Field(ge=0.25, le=24, strict=True)] | None = None
    max_hours_per_week: Annotated[float, Field(ge=0.25, le=168, strict=True)] | None = None
    # x every estimate, or per topic / section id ("all": the rest), e.g. {"4": 1.5}.
    pace: Pace = 1.0
    busy: BusySourceList = ()  # the learner's own calendars: their events are not free
    order: OrderField = "balanced"  # how closely to follow the roadmap's order
    max_shift: MaxShift = 3  # in balanced order: places a topic may move
    # Spaced reviews of what was studied; None (the default): no reviews.
    review: ReviewSwitch = None
    replan: ReplanRules = ReplanRules()
    calendar: CalendarTarget | None = None  # the CalDAV calendar `planner sync` writes to

    @model_validator(mode="after")
    def _goals_for_only_goals(self) -> Profile:
        if self.only_goals and not self.goals:
            raise ValueError("only_goals needs goals (the topics or sections to plan)")
        if self.deadline is not None and self.start is not None and self.deadline < self.start:
            raise ValueError(f"deadline {self.deadline} is before start {self.start}")
        if self.review is not None and self.review.minutes > self.session.max_minutes:
            raise ValueError(
                f"review.minutes ({self.review.minutes}) is longer than session.max_minutes "
                f"({self.session.max_minutes})"
            )
        for goal in self.goals:
            if not isinstance(goal, ProfileGoal) or goal.by is None:
                continue  # a str: put in by `model_copy(update=...)`, which does not validate
            if self.start is not None and goal.by < self.start:
                raise ValueError(f"goal {goal.topic} by {goal.by} is before start {self.start}")
        return self

    @property
    def goal_ids(self) -> tuple[str, ...]:
        return tuple(goal if isinstance(goal, str) else goal.topic for goal in self.goals)

    def pace_for(self, topic_id: str, section_id: str) -> float:
        """The factor on a topic's estimate: its own, else its section's, else "all"."""
        if not isinstance(self.pace, dict):
            return self.pace
        for key in (topic_id, section_id, ALL_TOPICS):
            if key in self.pace:
                return self.pace[key]
        return 1.0

    @field_validator("weekly")
    @classmethod
    def _windows_do_not_overlap(
        cls, weekly: dict[Weekday, tuple[WeeklyWindow, ...]]
    ) -> dict[Weekday, tuple[WeeklyWindow, ...]]:
        if (problem := too_many_windows(weekly, MAX_WINDOWS_PER_WEEK)) is not None:
            raise ValueError(problem)
        for day_index, day in enumerate(WEEKDAYS):
            ordered = sorted(weekly.get(day) or (), key=lambda window: window.start)
            for earlier, later in itertools.pairwise(ordered):
                if earlier.crosses_midnight or earlier.end > later.start:
                    raise ValueError(
                        f"{day} {earlier} overlaps {day} {later}: merge them into one window"
                    )
            next_day = WEEKDAYS[(day_index + 1) % 7]
            for late in (window for window in ordered if window.crosses_midnight):
                for early in weekly.get(next_day) or ():
                    if early.start < late.end:
                        raise ValueError(f"{day} {late} overlaps {next_day} {early}")
        return weekly

    def masked(self) -> Profile:
        """The profile as it may be shown or kept in a plan: a busy calendar's URL is a
        secret (its scheme, host and a fingerprint stay)."""
        shown = tuple(source.model_copy(update={"ics": source.name}) for source in self.busy)
        return self.model_copy(update={"busy": shown})

    @property
    def has_secret_addresses(self) -> bool:
        """Whether a busy calendar is named by a URL (which `masked` hides)."""
        return any(source.is_url for source in self.busy)

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def windows_on(self, day: date) -> tuple[WeeklyWindow, ...]:
        """The weekly windows of `day`'s weekday."""
        return self.weekly.get(WEEKDAYS[day.weekday()]) or ()

    @cached_property
    def days_off(self) -> DaysOff:
        return DaysOff(self.blackouts)

    def is_blackout(self, day: date) -> bool:
        return day in self.days_off
