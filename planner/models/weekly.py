"""A weekly window as a learner writes it ("19:00-21:00", "23:00-01:00" past midnight),
read from and written back as that text."""

from __future__ import annotations

import re
from datetime import time
from typing import Annotated

from pydantic import BeforeValidator, PlainSerializer, WithJsonSchema

from planner.models.fields import FrozenModel

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
