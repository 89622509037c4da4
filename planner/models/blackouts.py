"""Days off in a profile: ranges of dates, or a country's public holidays."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable
from datetime import date, timedelta
from functools import cached_property
from typing import TYPE_CHECKING, Annotated

from pydantic import Discriminator, Field, Tag, model_validator

from planner.models.fields import DateRange, FrozenModel

if TYPE_CHECKING:
    from holidays import HolidayBase


class HolidayBlackout(FrozenModel):
    """A country's public holidays (the `holidays` library), optionally of one
    subdivision (a state, a province) and with more categories than "public"."""

    holidays: str = Field(
        min_length=2, max_length=3, examples=["BR", "DE", "US"], description="A country code."
    )
    subdivision: str | None = Field(
        default=None, max_length=40, examples=["SP", "BY", "CA"], description="A state, a province."
    )
    categories: tuple[str, ...] = Field(
        default=(),
        max_length=10,
        examples=[["public", "optional"]],
        description='More kinds of holidays than "public" (the `holidays` library\'s names).',
    )

    @model_validator(mode="after")
    def _known_calendar(self) -> HolidayBlackout:
        self.calendar  # noqa: B018 (builds it once, so a typo is refused at load time)
        return self

    @cached_property
    def calendar(self) -> HolidayBase:
        """The holiday calendar, growing by the years asked for (any year works)."""
        return holiday_calendar(self.holidays, self.subdivision, self.categories)

    def __contains__(self, day: date) -> bool:
        return day in self.calendar

    def name_of(self, day: date) -> str:
        return str(self.calendar.get(day, ""))

    def __str__(self) -> str:
        return "-".join(part for part in (self.holidays.upper(), self.subdivision) if part)


class DaysOff:
    """A profile's blackouts as a look-up: the date ranges merged and sorted, so a day is
    one bisection and not a scan of every range (a profile may list thousands)."""

    def __init__(self, blackouts: Iterable[DateRange | HolidayBlackout]) -> None:
        merged: list[list[date]] = []
        ranges = sorted((b.first, b.last) for b in blackouts if isinstance(b, DateRange))
        for first, last in ranges:
            if merged and first <= merged[-1][1] + timedelta(days=1):
                merged[-1][1] = max(merged[-1][1], last)
            else:
                merged.append([first, last])
        self._firsts = [first for first, _last in merged]
        self._lasts = [last for _first, last in merged]
        self._holidays = [b for b in blackouts if isinstance(b, HolidayBlackout)]

    def __contains__(self, day: date) -> bool:
        index = bisect_right(self._firsts, day) - 1
        if index >= 0 and day <= self._lasts[index]:
            return True
        return any(day in calendar for calendar in self._holidays)


def holiday_calendar(
    country: str, subdivision: str | None, categories: tuple[str, ...]
) -> HolidayBase:
    """A country's holidays (of one subdivision, of these categories: none is "public").

    Raises:
        ValueError: an unknown country, subdivision or category, in words.
    """
    # Imported here: the library is large and only these profiles need it.
    import holidays

    code = country.upper()
    supported = holidays.list_supported_countries()
    if code not in supported:
        raise ValueError(
            f"{country!r} is not a country the holidays library knows "
            "(use an ISO 3166 code like BR, DE, US)"
        )
    if subdivision is not None and subdivision not in supported[code]:
        known = ", ".join(supported[code]) or "none"
        raise ValueError(f"{code} has no subdivision {subdivision!r}; its subdivisions: {known}")
    try:
        return holidays.country_holidays(
            code,
            subdiv=subdivision,
            categories=categories or None,
            language=_english_if_known(code),
        )
    except (NotImplementedError, ValueError) as error:  # an unknown category
        raise ValueError(str(error)) from None


def _english_if_known(country: str) -> str | None:
    import holidays

    languages = getattr(holidays, country).supported_languages
    return "en_US" if "en_US" in languages else None


def _blackout_kind(value: object) -> str:
    if isinstance(value, dict):
        return HOLIDAYS if "holidays" in value else DATES
    return HOLIDAYS if isinstance(value, HolidayBlackout) else DATES


# The names of the members of tagged unions appear in validation error locations; the
# loader leaves them out of the key path it shows, which names the learner's keys only.
DATES, HOLIDAYS, ONE_FACTOR, FACTOR_PER_ID = (
    "date range", "public holidays", "one factor", "factor per id"
)  # fmt: skip
UNION_TAGS = frozenset({DATES, HOLIDAYS, ONE_FACTOR, FACTOR_PER_ID})

# `{from: 2027-04-01, to: 2027-04-05}` or `{holidays: BR, subdivision: SP}`.
Blackout = Annotated[
    Annotated[DateRange, Tag(DATES)] | Annotated[HolidayBlackout, Tag(HOLIDAYS)],
    Discriminator(_blackout_kind),
]
