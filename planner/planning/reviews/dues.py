"""What reviews a plan owes: which topics are reviewed, and when each review is due.

A review is due `after_days` days after the day its topic's last session ends, and on
time on that day or up to `slack_days` later. Days are the learner's local calendar
days: a session that ends at midnight ends on the day before.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from planner.models.reviews import ReviewRules


@dataclass(frozen=True)
class ReviewDue:
    """One review to place: the `number`-th of `topic`, due on `due`, on time until
    `latest` (inclusive)."""

    topic: str
    number: int
    due: date
    latest: date
    uid: str


def reviewed_topics(minutes: Mapping[str, int], rules: ReviewRules | None) -> frozenset[str]:
    """The topics that get reviews: those planned with at least `min_topic_hours`."""
    if rules is None:
        return frozenset()
    return frozenset(
        topic for topic, length in minutes.items() if length >= rules.min_topic_hours * 60
    )


def day_of(moment: datetime, zone: ZoneInfo) -> date:
    """The local day `moment` falls on."""
    return moment.astimezone(zone).date()


def day_ended(end: datetime, zone: ZoneInfo) -> date:
    """The local day a session that ends at `end` was on (ending at 00:00 is the day
    before)."""
    return day_of(end - timedelta(microseconds=1), zone)


def due_days(finished: date, rules: ReviewRules) -> list[date]:
    """Each review's due day for a topic finished on `finished`, in order."""
    return [finished + timedelta(days=days) for days in rules.after_days]


def on_time_until(due: date, rules: ReviewRules) -> date:
    return due + timedelta(days=rules.slack_days)
