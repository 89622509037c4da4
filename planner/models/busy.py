"""Busy time from the learner's own calendars: where a source is (`BusySource`, in the
profile), the busy time read from them (`BusyTime`, what the windows are cut by) and
what a plan records of it (`BusyReport`, in the plan JSON).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cached_property
from typing import Annotated, Literal
from urllib.parse import urlsplit

from pydantic import AwareDatetime, BeforeValidator, Field

from planner.models.fields import FrozenModel

URL_SCHEMES = ("http", "https", "webcal")


def _addresses(value: object) -> object:
    return [value] if isinstance(value, str) else value


class BusySource(FrozenModel):
    """One calendar whose events are busy time: a file path (relative to the profile)
    or an http(s)/webcal URL (Google's "secret address in iCal format", a Nextcloud or
    Outlook link)."""

    ics: str = Field(
        min_length=1,
        max_length=4096,
        description="An .ics file (relative to the profile) or an http(s)/webcal URL.",
        examples=["work.ics"],
    )
    buffer_minutes: int = Field(
        default=0,
        ge=0,
        le=240,
        strict=True,
        description="Minutes kept free before and after each event.",
    )
    all_day: Literal["blackout", "ignore"] = Field(
        default="blackout", description="An all-day event: a day off (blackout), or ignored."
    )
    me: Annotated[
        tuple[str, ...], BeforeValidator(_addresses, json_schema_input_type=str | tuple[str, ...])
    ] = Field(
        default=(), description="Your addresses: an invitation you declined is not busy time."
    )

    @property
    def is_url(self) -> bool:
        return is_url(self.ics)

    @property
    def name(self) -> str:
        """How messages, logs and API answers name the source (a URL masked)."""
        return display_name(self.ics)


# `busy: ["work.ics"]` is short for `busy: [{ics: "work.ics"}]`.
BusySourceList = Annotated[
    tuple[BusySource, ...],
    BeforeValidator(
        lambda value: (
            [{"ics": item} if isinstance(item, str) else item for item in value]
            if isinstance(value, list | tuple)
            else value
        ),
        json_schema_input_type=tuple[BusySource | str, ...],
    ),
]


def is_url(location: str) -> bool:
    return "://" in location


def display_name(location: str) -> str:
    """A source as it may be shown anywhere: a path as given; a URL as its scheme and
    host, with the path, query and credentials masked (they hold the secret of a
    private address) and a short fingerprint that tells two URLs of one host apart."""
    if not is_url(location):
        return location
    parts = urlsplit(location)
    fingerprint = hashlib.sha256(location.encode()).hexdigest()[:6]
    host = parts.hostname or "?"
    if parts.port is not None:
        host += f":{parts.port}"
    return f"{parts.scheme}://{host}/… [{fingerprint}]"


# A URL as `display_name` shows it: "https://host/… [1a2b3c]".
_MASKED = re.compile(r"^[a-z]+://[^/]*/… \[[0-9a-f]{6}\]$")


def is_masked(location: str) -> bool:
    """Whether `location` is a URL as `display_name` masks it (no address to read)."""
    return _MASKED.match(location) is not None


@dataclass(frozen=True)
class BusyTime:
    """Busy time over a stretch of days: intervals in UTC (sorted, merged, buffers
    included) and the learner's local days that all-day events make blackouts."""

    intervals: tuple[tuple[datetime, datetime], ...] = ()
    days: frozenset[date] = field(default_factory=frozenset)

    @classmethod
    def merged(
        cls, intervals: list[tuple[datetime, datetime]], days: frozenset[date] = frozenset()
    ) -> BusyTime:
        """Busy time of `intervals` in any order: sorted, overlapping or touching ones
        merged."""
        merged: list[tuple[datetime, datetime]] = []
        for start, end in sorted(intervals):
            if merged and start <= merged[-1][1]:
                merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
            else:
                merged.append((start, end))
        return cls(tuple(merged), days)

    def __bool__(self) -> bool:
        return bool(self.intervals or self.days)

    @cached_property
    def ends(self) -> list[datetime]:
        """The intervals' ends, in order (merged intervals end in the order they start)."""
        return [end for _start, end in self.intervals]


class BusyInterval(FrozenModel):
    """A stretch of busy time (buffers included), in the learner's zone."""

    start: AwareDatetime
    end: AwareDatetime


class BusySourceDigest(FrozenModel):
    """A source as read for this plan: its masked name and the SHA-256 of its bytes."""

    source: str
    digest: str


class BusyReport(FrozenModel):
    """What a plan avoided: each source read, the busy time that fell into the study
    windows between the plan's first day and its finish, and the hours it took out."""

    sources: tuple[BusySourceDigest, ...]
    hours: float  # study-window time the busy calendar took out
    intervals: tuple[BusyInterval, ...] = ()
    days: tuple[date, ...] = ()  # all-day events made these days blackouts
