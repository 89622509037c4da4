"""Days off in a profile: ranges of dates, or a country's public holidays."""

from __future__ import annotations

from datetime import date
from functools import cached_property
from typing import TYPE_CHECKING, Annotated

from pydantic import Discriminator, Field, Tag, model_validator

from planner.models.fields import DateRange, FrozenModel

if TYPE_CHECKING:
    from holidays import HolidayBase


class HolidayBlackout(FrozenModel):
    """A country's public holidays (the `holidays` library), optionally of one
    subdivision (a state, a province) and with more categories than "public"."""

    holidays: str = Field(min_length=2, max_length=3, examples=["BR", "DE", "US"])
    subdivision: str | None = Field(default=None, max_length=40, examples=["SP", "BY", "CA"])
    categories: tuple[str, ...] = Field(
        default=(), max_length=10, examples=[["public", "optional"]]
    )

    @model_validator(mode="after")
    def _known_calendar(self) -> HolidayBlackout:
        self.calendar  # noqa: B018 (builds it once, so a typo is refused at load time)
        return self

    @cached_property
    def calendar(self) -> HolidayBase:
        """The holiday calendar, growing by the years asked for (any year works)."""
        # Imported here: the library is large and only these profiles need it.
        import holidays

        country = self.holidays.upper()
        supported = holidays.list_supported_countries()
        if country not in supported:
            raise ValueError(
                f"{self.holidays!r} is not a country the holidays library knows "
                "(use an ISO 3166 code like BR, DE, US)"
            )
        if self.subdivision is not None and self.subdivision not in supported[country]:
            known = ", ".join(supported[country]) or "none"
            raise ValueError(
                f"{country} has no subdivision {self.subdivision!r}; its subdivisions: {known}"
            )
        try:
            return holidays.country_holidays(
                country,
                subdiv=self.subdivision,
                categories=self.categories or None,
                language=_english_if_known(country),
            )
        except (NotImplementedError, ValueError) as error:  # an unknown category
            raise ValueError(str(error)) from None

    def __contains__(self, day: date) -> bool:
        return day in self.calendar

    def name_of(self, day: date) -> str:
        return str(self.calendar.get(day, ""))

    def __str__(self) -> str:
        return "-".join(part for part in (self.holidays.upper(), self.subdivision) if part)


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
