"""The countries (and their subdivisions) whose public holidays the start form offers."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache


@dataclass(frozen=True)
class HolidayCountry:
    code: str
    name: str
    subdivisions: tuple[str, ...]


@cache
def holiday_countries() -> tuple[HolidayCountry, ...]:
    """Every country the `holidays` library knows, by name, with its subdivision codes."""
    import holidays
    from holidays.registry import COUNTRIES

    supported = holidays.list_supported_countries()
    found = {}
    for class_name, code, *_aliases in COUNTRIES.values():
        if code in supported:
            name = re.sub(r"(?<=[a-z])(?=[A-Z])", " ", class_name)
            found[code] = HolidayCountry(code, name, tuple(supported[code]))
    return tuple(sorted(found.values(), key=lambda country: country.name))
