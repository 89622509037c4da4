"""The learner's clock (planner/timeline/clock.py): days, their first moments, weeks and
`--now`, in zones where the UTC date is another day for hours of every day."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from planner.errors import PlannerError
from planner.timeline.clock import (
    day_of,
    has_begun,
    moment_of,
    now_in,
    parse_now,
    start_of_day,
    until_of,
    week_of,
)

LOS_ANGELES, TOKYO, CHATHAM = (
    ZoneInfo(name) for name in ("America/Los_Angeles", "Asia/Tokyo", "Pacific/Chatham")
)


@pytest.mark.parametrize(
    ("instant", "zone", "day"),
    [
        (datetime(2027, 3, 10, 5, 0, tzinfo=UTC), LOS_ANGELES, date(2027, 3, 9)),  # 21:00 PST
        (datetime(2027, 3, 9, 23, 0, tzinfo=UTC), TOKYO, date(2027, 3, 10)),  # 08:00 JST
        (datetime(2027, 3, 9, 10, 14, tzinfo=UTC), CHATHAM, date(2027, 3, 9)),  # 23:59 +13:45
        (datetime(2027, 3, 9, 10, 15, tzinfo=UTC), CHATHAM, date(2027, 3, 10)),  # 00:00
    ],
)
def test_a_day_is_the_learners_calendar_date(instant: datetime, zone: ZoneInfo, day: date) -> None:
    assert day_of(instant, zone) == day


@pytest.mark.parametrize(
    ("day", "zone", "first_moment_utc"),
    [
        (date(2027, 3, 9), LOS_ANGELES, datetime(2027, 3, 9, 8, tzinfo=UTC)),  # PST
        (date(2027, 3, 15), LOS_ANGELES, datetime(2027, 3, 15, 7, tzinfo=UTC)),  # PDT
        (date(2027, 3, 10), TOKYO, datetime(2027, 3, 9, 15, tzinfo=UTC)),
        (date(2027, 3, 10), CHATHAM, datetime(2027, 3, 9, 10, 15, tzinfo=UTC)),
        # Havana springs forward at midnight: the day begins at 01:00, the first moment
        # that exists (05:00 UTC), not at an instant of the day before.
        (date(2027, 3, 14), ZoneInfo("America/Havana"), datetime(2027, 3, 14, 5, tzinfo=UTC)),
    ],
)
def test_a_day_begins_at_the_learners_midnight(
    day: date, zone: ZoneInfo, first_moment_utc: datetime
) -> None:
    assert start_of_day(day, zone) == first_moment_utc
    assert day_of(start_of_day(day, zone), zone) == day
    assert day_of(start_of_day(day, zone) - timedelta(seconds=1), zone) == day - timedelta(days=1)


@pytest.mark.parametrize(
    ("day", "monday", "sunday"),
    [
        (date(2027, 3, 8), date(2027, 3, 8), date(2027, 3, 14)),  # a Monday
        (date(2027, 3, 14), date(2027, 3, 8), date(2027, 3, 14)),  # a Sunday
        (date(2027, 3, 11), date(2027, 3, 8), date(2027, 3, 14)),
        (date(2027, 1, 1), date(2026, 12, 28), date(2027, 1, 3)),  # across the year
    ],
)
def test_a_week_runs_monday_to_sunday(day: date, monday: date, sunday: date) -> None:
    assert week_of(day) == (monday, sunday)


@pytest.mark.parametrize(
    ("text", "zone", "expected"),
    [
        ("2027-03-09T22:00", LOS_ANGELES, datetime(2027, 3, 10, 6, tzinfo=UTC)),
        ("2027-03-09 22:00", LOS_ANGELES, datetime(2027, 3, 10, 6, tzinfo=UTC)),
        ("2027-03-10T08:00", TOKYO, datetime(2027, 3, 9, 23, tzinfo=UTC)),
        ("2027-03-09T00:00", CHATHAM, datetime(2027, 3, 8, 10, 15, tzinfo=UTC)),
        # 02:30 does not exist on Los Angeles' spring-forward day: the instant it jumps.
        ("2027-03-14T02:30", LOS_ANGELES, datetime(2027, 3, 14, 10, tzinfo=UTC)),
    ],
)
def test_now_is_the_learners_local_time(text: str, zone: ZoneInfo, expected: datetime) -> None:
    now = parse_now(text, zone)
    assert now == expected
    assert isinstance(now, datetime) and now.tzinfo == zone  # read back in the learner's zone


@pytest.mark.parametrize(
    "text", ["1970-01-01", "1970-01-01T00:00", "2199-12-31", "2199-12-31T23:59"]
)
def test_the_first_and_last_planning_days_are_a_now(text: str) -> None:
    assert parse_now(text, TOKYO)


def test_a_day_alone_is_a_day_its_time_not_known() -> None:
    day = parse_now(" 2027-03-10 ", TOKYO)
    assert day == date(2027, 3, 10) and not isinstance(day, datetime)
    # As a moment: its first; as a bound on what has happened: any time of it.
    assert moment_of(day, TOKYO) == datetime(2027, 3, 9, 15, tzinfo=UTC)
    assert moment_of(day, TOKYO).tzinfo == TOKYO
    assert has_begun(datetime(2027, 3, 10, 14, 59, tzinfo=UTC), day, TOKYO)  # 23:59 JST
    assert not has_begun(datetime(2027, 3, 10, 15, tzinfo=UTC), day, TOKYO)  # the 11th


def test_with_a_time_what_has_begun_is_what_is_not_after_it() -> None:
    now = parse_now("2027-03-09T22:00", LOS_ANGELES)
    assert isinstance(now, datetime) and moment_of(now, TOKYO).tzinfo == TOKYO
    assert has_begun(datetime(2027, 3, 10, 6, tzinfo=UTC), now, LOS_ANGELES)  # 22:00 exactly
    assert not has_begun(datetime(2027, 3, 10, 6, 1, tzinfo=UTC), now, LOS_ANGELES)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("tomorrow", "--now: 'tomorrow' is not a local time: write YYYY-MM-DD or YYYY-MM-DDTHH:MM"),
        ("2027-02-30", "--now: '2027-02-30' is not a local time"),
        ("2027-03-09T24:00", "--now: '2027-03-09T24:00' is not a local time"),
        ("2027-03-09T9:00", "--now: '2027-03-09T9:00' is not a local time"),
        ("2027-03-09T09:00:30", "is not a local time"),
        ("1969-12-31", "--now: 1969-12-31 is outside 1970-01-01..2199-12-31"),
        ("2200-01-01T00:00", "--now: 2200-01-01 is outside 1970-01-01..2199-12-31"),
    ],
)
def test_a_now_that_is_not_a_local_time_is_refused(text: str, message: str) -> None:
    with pytest.raises(PlannerError) as refused:
        parse_now(text, TOKYO)
    assert message in str(refused.value)


def test_the_clock_is_read_in_the_learners_zone() -> None:
    before = datetime.now(UTC)
    now = now_in(CHATHAM)
    assert now.tzinfo == CHATHAM
    assert before <= now <= datetime.now(UTC)


def test_a_day_alone_has_happened_by_the_learners_next_midnight() -> None:
    """Tokyo's 11 March ends at 15:00 UTC on the 10th, not at UTC's midnight."""
    assert until_of(date(2027, 3, 10), TOKYO) == datetime(2027, 3, 10, 15, tzinfo=UTC)
    assert until_of(date(2027, 3, 10), TOKYO).tzinfo == TOKYO
    moment = datetime(2027, 3, 10, 6, tzinfo=UTC)
    assert until_of(moment, LOS_ANGELES) == moment and until_of(moment, LOS_ANGELES).tzinfo == (
        LOS_ANGELES
    )
