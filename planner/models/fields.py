"""Field types shared by every model: ids, hours, days, time zones, date ranges."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, timedelta
from functools import cache
from typing import Annotated, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainSerializer,
    model_validator,
)


class KeyProblem(ValueError):
    """A model-level check's problem with one of the model's keys (`key_path`, relative
    to the model). pydantic places a model validator's error at the model itself (for
    the profile: line 1); the loader appends `key_path`, so the error names that key's
    line. The message is the whole sentence, as a ValueError's."""

    def __init__(self, key_path: tuple[str | int, ...], message: str) -> None:
        self.key_path = key_path
        super().__init__(message)


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

# A weekly budget to plan with (`planner whatif`, the service's what-if): at least a
# quarter of an hour (as `max_hours_per_week`; 2.9e-244 h is no budget), at most 16 h a day.
MIN_WEEKLY_HOURS, MAX_WEEKLY_HOURS = 0.25, 112
WeeklyHours = Annotated[float, Field(ge=MIN_WEEKLY_HOURS, le=MAX_WEEKLY_HOURS, allow_inf_nan=False)]


def _known_zone(name: str) -> str:
    # Looked up in the list of zones first: a name that is a folder of the zone data
    # ("Europe") or too long for a file name fails in the file system, not as a zone.
    if name not in _zone_names():
        raise ValueError(f"unknown time zone {name[:80]!r} (use an IANA name like Europe/Berlin)")
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        raise ValueError(
            f"unknown time zone {name!r} (use an IANA name like Europe/Berlin)"
        ) from None
    return name


@cache
def _zone_names() -> frozenset[str]:
    """The IANA zone names the zone data holds (read once)."""
    return frozenset(available_timezones())


TimeZoneName = Annotated[str, AfterValidator(_known_zone)]

FIRST_PLANNING_DAY, LAST_PLANNING_DAY = date(1970, 1, 1), date(2199, 12, 31)


def _plausible_day(day: date) -> date:
    # A plan may run decades past its start; time zone rules and datetime arithmetic
    # need room on both sides, and a start outside this range is a typo anyway.
    if not FIRST_PLANNING_DAY <= day <= LAST_PLANNING_DAY:
        raise ValueError(f"{day} is outside {FIRST_PLANNING_DAY}..{LAST_PLANNING_DAY}")
    return day


def _written_as_a_day(value: object) -> object:
    # pydantic reads a number as a Unix time (0 is 1970-01-01); a day is never a number
    # (YAML's unquoted 20270104 is one), and the schema says a YYYY-MM-DD string.
    if isinstance(value, int | float):
        raise ValueError(f"write the day as YYYY-MM-DD, not the number {value}")
    return value


Day = Annotated[date, BeforeValidator(_written_as_a_day)]
PlanningDay = Annotated[Day, AfterValidator(_plausible_day)]
Weekday = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
WEEKDAYS: tuple[Weekday, ...] = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


class FrozenModel(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class DateRange(FrozenModel):
    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)

    first: Day = Field(alias="from", description="The first day (included).")
    last: Day = Field(alias="to", description="The last day (included).")

    @model_validator(mode="after")
    def _ordered(self) -> DateRange:
        if self.last < self.first:
            raise ValueError(f"'to' ({self.last}) is before 'from' ({self.first})")
        return self

    def __contains__(self, day: date) -> bool:
        return self.first <= day <= self.last


# A week of more windows is not a learner's week (one every 100 minutes, day and night),
# and the plan's tables grow with windows x topics. The service may set a lower limit.
MAX_WINDOWS_PER_WEEK = 100


def too_many_windows(weekly: Mapping[Weekday, Sequence[object] | None], limit: int) -> str | None:
    """Why a profile's `weekly` has too many windows for `limit` (None: it has not)."""
    count = sum(len(windows or ()) for windows in weekly.values())
    if count <= limit:
        return None
    return f"{count} windows a week; at most {limit}: merge windows that follow each other"


def _iso_duration(span: timedelta) -> str:
    """ISO 8601 in days, hours, minutes and seconds ("P400DT16H"): pydantic writes years
    ("P1Y35DT16H") with no months after them, which RFC 3339's duration grammar (JSON
    Schema's `format: duration`) refuses. Not negative: the grammar has no sign."""
    minutes, seconds = divmod(span.seconds, 60)
    hours, minutes = divmod(minutes, 60)
    time = "".join(f"{n}{unit}" for n, unit in ((hours, "H"), (minutes, "M"), (seconds, "S")) if n)
    if not span.days and not time:
        return "PT0S"
    return f"P{f'{span.days}D' if span.days else ''}{f'T{time}' if time else ''}"


# A span of time in JSON as an RFC 3339 duration.
Duration = Annotated[timedelta, PlainSerializer(_iso_duration, return_type=str, when_used="json")]
