"""Words for people: counts with the noun that goes with them, and moments."""

from __future__ import annotations

from datetime import datetime


def plural(count: float, noun: str, plural_noun: str | None = None) -> str:
    """The count and its noun: "1 day", "2 days", "0 sessions", "1.5 hours"."""
    return f"{count:g} {noun if count == 1 else plural_noun or noun + 's'}"


def when(moment: datetime) -> str:
    """A moment as the summaries write it: "Mon 2027-01-04 19:00"."""
    return f"{moment:%a %Y-%m-%d %H:%M}"
