"""Wall-clock time and UTC: the DST arithmetic the windows and the calendar share.

Durations are always taken from UTC, because arithmetic on aware datetimes of one zone
ignores DST; a local time can be read two ways (a repeated hour) or not exist (a skipped
hour), and each caller says which reading it wants.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from zoneinfo import ZoneInfo


def utc_readings(local: datetime, zone: ZoneInfo) -> tuple[datetime, datetime]:
    """The UTC instants of a naive local time read with fold=0 and with fold=1: equal
    unless the time is in a repeated (fall-back) or skipped (spring-forward) hour."""
    first = local.replace(tzinfo=zone, fold=0).astimezone(UTC)
    second = local.replace(tzinfo=zone, fold=1).astimezone(UTC)
    return first, second


def is_ambiguous(local: datetime, zone: ZoneInfo) -> bool:
    """True when the naive local time names no single instant in `zone`."""
    first, second = utc_readings(local, zone)
    return first != second


def local_to_utc(local: datetime, zone: ZoneInfo) -> datetime:
    """The UTC instant of a naive local wall-clock time.

    A repeated (fall-back) time resolves to its first occurrence, so a window gains the
    repeated hour only when it spans all of it ("01:30-03:30"), and "01:00-02:00" ends
    where "02:00-03:00" begins. A skipped (spring-forward) time resolves to the
    transition instant, so a window loses just the skipped part.
    """
    first, second = utc_readings(local, zone)
    if first == second or first.astimezone(zone).replace(tzinfo=None) == local:
        return min(first, second)
    after = max(first, second)
    target = after.astimezone(zone).utcoffset()
    return first_second_where(
        min(first, second), after, lambda moment: moment.astimezone(zone).utcoffset() == target
    )


def first_second_where(
    low: datetime, high: datetime, has_changed: Callable[[datetime], bool]
) -> datetime:
    """The first whole second in (low, high] at which `has_changed` holds, by bisection.

    `has_changed` must be false at `low`, true at `high`, and stay true once it is (a
    zone's offset or observance after a change). `low` and `high` are UTC instants.
    """
    low_s, high_s = int(low.timestamp()), int(high.timestamp())
    while high_s - low_s > 1:
        middle = (low_s + high_s) // 2
        if has_changed(datetime.fromtimestamp(middle, UTC)):
            high_s = middle
        else:
            low_s = middle
    return datetime.fromtimestamp(high_s, UTC)
