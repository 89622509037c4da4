"""The learner's profile: time zone, weekly windows, blackouts, session rules, and
what they want (overrides, skips, goals, deadline, caps, pace, how closely to follow the
roadmap's order)."""

from __future__ import annotations

import itertools
from datetime import date, timedelta
from functools import cached_property
from typing import Annotated
from zoneinfo import ZoneInfo

from pydantic import (
    Field,
    field_validator,
    model_validator,
)

from planner.arithmetic import ceil_div
from planner.models.blackouts import Blackout, DaysOff
from planner.models.busy import BusySourceList
from planner.models.calendar_target import CalendarTarget
from planner.models.fields import (
    MAX_WINDOWS_PER_WEEK,
    WEEKDAYS,
    FrozenModel,
    Hours,
    Identifier,
    KeyProblem,
    PlanningDay,
    TimeZoneName,
    Weekday,
    too_many_windows,
)
from planner.models.goals import GoalItem, ProfileGoal
from planner.models.holidays_off import HolidaysField
from planner.models.order import MaxShift, OrderField
from planner.models.pace import ALL_TOPICS, Pace
from planner.models.reviews import ReviewSwitch
from planner.models.weekly import WeeklyWindow, WindowList


class ReplanRules(FrozenModel):
    """Of re-plans as good on finish and sessions, the fewest changed in `keep_days` win."""

    keep_days: int = Field(
        default=14,
        ge=0,
        le=365,
        strict=True,  # not `false` for 0
        description="A re-plan changes as little as it can in these days (from today).",
    )


class SessionRules(FrozenModel):
    min_minutes: int = Field(
        default=60,
        ge=0,
        strict=True,
        le=24 * 60,
        description="No session is shorter, except a topic's last (a remainder).",
    )
    max_minutes: int = Field(
        default=180,
        ge=1,
        strict=True,
        le=24 * 60,
        description="No session is longer: more time becomes back-to-back sessions.",
    )
    slot_minutes: int = Field(
        default=30,
        ge=5,
        strict=True,
        le=240,
        description="The unit of a plan: sessions are whole slots, hours rounded up to them.",
    )

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


CapPerDay = Annotated[float, Field(ge=0.25, le=24, strict=True)]
CapPerWeek = Annotated[float, Field(ge=0.25, le=168, strict=True)]


class Profile(FrozenModel):
    timezone: TimeZoneName = Field(description="Your IANA time zone; every day is yours there.")
    start: PlanningDay | None = Field(
        default=None, description="The first day to plan; none: today."
    )
    weekly: dict[Weekday, WindowList] = Field(
        description="Your study windows per weekday, local wall-clock times; one that ends "
        "before it starts runs past midnight.",
        examples=[{"mon": ["19:00-21:00"], "sat": ["09:00-13:00"]}],
    )
    blackouts: tuple[Blackout, ...] = Field(
        default=(), description="Days off: date ranges, or a country's public holidays."
    )
    holidays: HolidaysField = Field(
        default=None,
        description="Public holidays as days off work (studied like a weekend day, or in "
        "windows of their own) or as blackouts: a country code, or its options.",
        examples=["KR", {"country": "US", "subdivision": "CA", "as": "day_off"}],
    )
    session: SessionRules = Field(default=SessionRules(), description="How long sessions may be.")
    hours: dict[Identifier, Hours] = Field(
        default={},
        description="Your own hours per topic, or per section (spread over its topics by "
        "their estimates).",
        examples=[{"4": 30}],
    )
    skip: tuple[Identifier, ...] = Field(
        default=(), description="Topics or whole sections you already know: not planned."
    )
    goals: tuple[GoalItem, ...] = Field(
        default=(), description="Topics or sections to reach first, in this order, maybe by a day."
    )
    only_goals: bool = Field(
        default=False, strict=True, description="Plan just the goals and what they need."
    )
    deadline: PlanningDay | None = Field(
        default=None, description="Everything planned ends by the end of this day (a hard rule)."
    )
    max_hours_per_day: CapPerDay | None = Field(
        default=None, description="Your own cap on a day's study, below what its windows hold."
    )
    max_hours_per_week: CapPerWeek | None = Field(
        default=None, description="Your own cap on a week's study (Monday to Sunday)."
    )
    pace: Pace = Field(
        default=1.0,
        description='A factor on every estimate, or per topic or section id ("all": the '
        'rest), or "learned": the pace your finished topics show; your own hours win over it.',
        examples=[1.25, {"all": 1.25, "4": 1.5}, "learned"],
    )
    busy: BusySourceList = Field(
        default=(),
        description="Your own calendars (files or URLs): their events are not study time.",
    )
    order: OrderField = "balanced"
    max_shift: MaxShift = 3
    review: ReviewSwitch = Field(
        default=None,
        description="Spaced reviews of what you studied: true (the defaults) or rules.",
    )
    replan: ReplanRules = Field(
        default=ReplanRules(), description="How a re-plan weighs keeping what was planned."
    )
    calendar: CalendarTarget | None = Field(
        default=None, description="The CalDAV calendar `planner sync` writes your plan to."
    )

    @model_validator(mode="after")
    def _goals_for_only_goals(self) -> Profile:
        if self.only_goals and not self.goals:
            raise KeyProblem(
                ("only_goals",), "only_goals needs goals (the topics or sections to plan)"
            )
        if self.deadline is not None and self.start is not None and self.deadline < self.start:
            raise KeyProblem(
                ("deadline",), f"deadline {self.deadline} is before start {self.start}"
            )
        if self.review is not None and self.review.minutes > self.session.max_minutes:
            raise KeyProblem(
                ("review", "minutes"),
                f"review.minutes ({self.review.minutes}) is longer than session.max_minutes "
                f"({self.session.max_minutes})",
            )
        off = self.holidays
        if (
            off is not None
            and off.kind == "day_off"
            and not (off.windows or self.weekly.get(off.like))
        ):
            raise KeyProblem(
                ("holidays",),
                f"holidays: a day off is studied as on {off.like}, which has no windows: "
                "give holidays.like a day with windows, or holidays.windows",
            )
        for index, goal in enumerate(self.goals):
            if not isinstance(goal, ProfileGoal) or goal.by is None:
                continue  # a str: put in by `model_copy(update=...)`, which does not validate
            if self.start is not None and goal.by < self.start:
                raise KeyProblem(
                    ("goals", index, "by"),
                    f"goal {goal.topic} by {goal.by} is before start {self.start}",
                )
        return self

    @property
    def goal_ids(self) -> tuple[str, ...]:
        return tuple(goal if isinstance(goal, str) else goal.topic for goal in self.goals)

    def pace_for(self, topic_id: str, section_id: str) -> float:
        """The factor on a topic's estimate: its own, else its section's, else "all"
        (`learned`: 1.0 here; PlanInputs.pace_for knows the learned pace)."""
        if isinstance(self.pace, str):  # LEARNED
            return 1.0
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
        """The weekly windows of `day`'s weekday, or a holiday's as a day off."""
        windows = self.weekly.get(WEEKDAYS[day.weekday()]) or ()
        if self.holidays is None or not self.holidays.is_day_off(day):
            return windows
        night_before = self.windows_on(day - timedelta(days=1))
        return self.holidays.day_off_windows(self.weekly, night_before)

    @cached_property
    def days_off(self) -> DaysOff:
        return DaysOff(self.blackouts)

    def is_blackout(self, day: date) -> bool:
        holiday = self.holidays is not None and self.holidays.is_blackout(day)
        return holiday or day in self.days_off
