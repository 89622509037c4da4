"""The learner's profile: time zone, weekly windows, blackouts, session rules, and
what they want (overrides, skips, goals, deadline, caps, pace)."""

from __future__ import annotations

import itertools
import re
from datetime import date, time
from typing import Annotated
from zoneinfo import ZoneInfo

from pydantic import (
    BeforeValidator,
    Field,
    PlainSerializer,
    WithJsonSchema,
    field_validator,
    model_validator,
)

from planner.arithmetic import ceil_div
from planner.models.fields import (
    WEEKDAYS,
    DateRange,
    FrozenModel,
    Hours,
    Identifier,
    PlanningDay,
    TimeZoneName,
    Weekday,
)

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


class Profile(FrozenModel):
    timezone: TimeZoneName
    start: PlanningDay | None = None
    weekly: dict[Weekday, WindowList]
    blackouts: tuple[DateRange, ...] = ()
    session: SessionRules = SessionRules()
    hours: dict[Identifier, Hours] = {}  # noqa: RUF012 (pydantic copies defaults)
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
