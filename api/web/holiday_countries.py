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
    # "CA=California": each subdivision with its name where the library has one.
    subdivision_names: tuple[str, ...] = ()


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
            codes = tuple(supported[code])
            found[code] = HolidayCountry(code, name, codes, _named(getattr(holidays, code), codes))
    return tuple(sorted(found.values(), key=lambda country: country.name))


def _named(country: object, codes: tuple[str, ...]) -> tuple[str, ...]:
    """ "BE=Berlin" for each code: its first alias that is a name, else the code alone."""
    aliases: dict[str, str] = getattr(country, "subdivisions_aliases", None) or {}
    names: dict[str, str] = {}
    for alias, code in aliases.items():
        if code not in names and alias != code and len(alias) > 3:
            names[code] = alias
    return tuple(f"{code}={names.get(code, code)}" for code in codes)
