"""Words for people: counts with the noun that goes with them."""

from __future__ import annotations


def plural(count: float, noun: str, plural_noun: str | None = None) -> str:
    """The count and its noun: "1 day", "2 days", "0 sessions", "1.5 hours"."""
    return f"{count:g} {noun if count == 1 else plural_noun or noun + 's'}"
