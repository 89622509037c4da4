"""`holidays:` in a profile: a country's public holidays as days off work, when a learner
who works on weekdays has time to study, or as blackouts, when there is no study at all.

`blackouts: [{holidays: KR}]` (older, and still valid) only takes holidays away."""

from __future__ import annotations

from datetime import date, time
from functools import cached_property
from typing import TYPE_CHECKING, Annotated, Literal

from pydantic import BeforeValidator, ConfigDict, Field, model_validator

from planner.models.blackouts import holiday_calendar
from planner.models.fields import FrozenModel, Weekday
from planner.models.weekly import WeeklyWindow, WindowList

if TYPE_CHECKING:
    from holidays import HolidayBase

HolidayKind = Literal["day_off", "blackout"]
DAY_OFF: HolidayKind = "day_off"
BLACKOUT: HolidayKind = "blackout"
SATURDAY: Weekday = "sat"


class HolidaysOff(FrozenModel):
    """A country's holidays (of one subdivision, of more categories than "public"), and
    what a holiday is: a day off (`as: day_off`, the default: study as on `like`, a
    Saturday unless said otherwise, or in `windows` of its own) or a blackout (no study).

    A day off changes holidays from Monday to Friday; one on a Saturday or Sunday keeps
    that day's windows (it was a day off already)."""

    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)

    country: str = Field(
        min_length=2, max_length=3, examples=["KR", "DE", "US"],
        description="The country's code (ISO 3166), as the `holidays` library knows it.",
    )  # fmt: skip
    subdivision: str | None = Field(
        default=None, max_length=40, examples=["BY", "CA"],
        description="A state or region's code, for its own holidays.",
    )  # fmt: skip
    categories: tuple[str, ...] = Field(
        default=(), max_length=10, examples=[["public", "optional"]],
        description="Holiday categories beyond the default (public ones).",
    )  # fmt: skip
    kind: HolidayKind = Field(
        default=DAY_OFF, alias="as",
        description="day_off: study as on a weekend day; blackout: no study on a holiday.",
    )  # fmt: skip
    like: Weekday = Field(
        default=SATURDAY, description="The weekday whose windows a day off has (as: day_off)."
    )
    windows: WindowList | None = Field(
        default=None, description="A day off's own windows, instead of a weekday's."
    )

    @model_validator(mode="after")
    def _consistent(self) -> HolidaysOff:
        self.calendar  # noqa: B018 (builds it once, so a typo is refused at load time)
        # Read from the values, not from the keys given: a profile written back (with
        # every default) reads the same.
        like_given = self.like != SATURDAY
        if self.kind == BLACKOUT and (like_given or self.windows is not None):
            raise ValueError(
                "'like' and 'windows' say when to study on a holiday: they need "
                "'as: day_off' (with 'as: blackout' there is no study on a holiday)"
            )
        if self.windows is not None and like_given:
            raise ValueError("give either 'like' (a weekday's windows) or 'windows', not both")
        for window in self.windows or ():
            if window.crosses_midnight and window.end != time(0, 0):
                raise ValueError(
                    f"{window} runs past midnight; a holiday's windows end by midnight "
                    f"(write '{window.start:%H:%M}-24:00')"
                )
        return self

    @cached_property
    def calendar(self) -> HolidayBase:
        return holiday_calendar(self.country, self.subdivision, self.categories)

    def __contains__(self, day: date) -> bool:
        return day in self.calendar

    def name_of(self, day: date) -> str:
        return str(self.calendar.get(day, ""))

    def is_blackout(self, day: date) -> bool:
        return self.kind == BLACKOUT and day in self

    def is_day_off(self, day: date) -> bool:
        """Whether `day` is a holiday from Monday to Friday studied as a day off."""
        return self.kind == DAY_OFF and day.weekday() < 5 and day in self

    def day_off_windows(
        self,
        weekly: dict[Weekday, tuple[WeeklyWindow, ...]],
        night_before: tuple[WeeklyWindow, ...],
    ) -> tuple[WeeklyWindow, ...]:
        """A day off's windows: its own, or those of `like` in `weekly`, each ending by
        midnight (the next day has windows of its own) and starting after the night
        before's windows that run past midnight end."""
        windows = self.windows if self.windows is not None else weekly.get(self.like) or ()
        free_from = max(
            (window.end for window in night_before if window.crosses_midnight),
            default=time(0, 0),
        )
        kept = []
        for window in windows:
            start = max(window.start, free_from)
            end = time(0, 0) if window.crosses_midnight else window.end
            if end == time(0, 0) or start < end:
                kept.append(WeeklyWindow(start=start, end=end, crosses_midnight=end <= start))
        return tuple(kept)

    def __str__(self) -> str:
        return "-".join(part for part in (self.country.upper(), self.subdivision) if part)


def _country_alone(value: object) -> object:
    if isinstance(value, str):
        return {"country": value}
    if isinstance(value, list | tuple):
        raise ValueError(
            "give a country code like KR, or {country: KR, ...}; one country (a list is not taken)"
        )
    return value


# `holidays: KR` is short for `holidays: {country: KR}` (days off, studied as Saturdays).
HolidaysField = Annotated[HolidaysOff | None, BeforeValidator(_country_alone)]
