"""Weekly wall-clock windows -> concrete windows, across DST in several zones.

19:00 stays 19:00 local; a window loses the part that falls into a skipped hour and
gains a repeated hour it spans; durations are real (UTC) minutes.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from planner.models.fields import DateRange
from planner.models.profile import Profile, SessionRules
from planner.models.weekly import WeeklyWindow
from planner.timeline.axis import build_axis
from planner.timeline.windows import StudyWindow, study_windows


def profile(zone: str, day: str, window: str, **extra: object) -> Profile:
    return Profile.model_validate({"timezone": zone, "weekly": {day: [window]}, **extra})


def windows_on(p: Profile, day: date) -> list[StudyWindow]:
    return study_windows(p, day, day)


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)


@pytest.mark.parametrize(
    ("zone", "day", "window", "expected_minutes"),
    [
        # Europe/Berlin springs forward 02:00 -> 03:00 on 2027-03-28, falls back on 10-31.
        ("Europe/Berlin", date(2027, 3, 28), "01:30-03:30", 60),
        ("Europe/Berlin", date(2027, 10, 31), "01:30-03:30", 180),
        ("Europe/Berlin", date(2027, 3, 28), "02:30-04:00", 60),
        # Australia/Lord_Howe shifts by 30 minutes: 02:00 -> 02:30 on 2027-10-03,
        # and 02:00 -> 01:30 on 2027-04-04.
        ("Australia/Lord_Howe", date(2027, 10, 3), "01:30-03:30", 90),
        ("Australia/Lord_Howe", date(2027, 4, 4), "01:30-03:30", 150),
        # America/New_York, past-midnight windows starting the evening before a change.
        ("America/New_York", date(2027, 3, 13), "23:00-03:00", 180),
        ("America/New_York", date(2027, 11, 6), "23:00-01:30", 150),  # ends at the first 01:30
        ("America/New_York", date(2027, 11, 6), "23:00-02:30", 270),  # spans the repeat
    ],
)
def test_dst_window_has_its_real_length(
    zone: str, day: date, window: str, expected_minutes: int
) -> None:
    weekday = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")[day.weekday()]
    (concrete,) = windows_on(profile(zone, weekday, window), day)
    assert concrete.minutes == expected_minutes


def test_dst_window_loses_skipped_hour_at_the_transition_instant() -> None:
    (concrete,) = windows_on(profile("Europe/Berlin", "sun", "02:30-04:00"), date(2027, 3, 28))
    assert concrete.start == utc(2027, 3, 28, 1, 0)  # 03:00 CEST, the first existing minute
    assert concrete.end == utc(2027, 3, 28, 2, 0)


def test_window_inside_the_skipped_hour_is_dropped() -> None:
    assert windows_on(profile("Europe/Berlin", "sun", "02:15-02:45"), date(2027, 3, 28)) == []


def test_wall_clock_time_stays_across_dst() -> None:
    p = profile("Europe/Berlin", "mon", "19:00-21:00")
    before, after = study_windows(p, date(2027, 3, 22), date(2027, 3, 29))
    assert before.start == utc(2027, 3, 22, 18, 0)
    assert after.start == utc(2027, 3, 29, 17, 0)
    assert before.start.astimezone(p.zone).hour == after.start.astimezone(p.zone).hour == 19


def test_blackout_days_are_empty_and_cut_past_midnight_windows() -> None:
    p = profile(
        "Europe/Berlin",
        "fri",
        "22:00-02:00",
        weekly={"fri": ["22:00-02:00"], "sat": ["09:00-10:00"]},
        blackouts=[{"from": "2027-01-09", "to": "2027-01-09"}],
    )
    windows = study_windows(p, date(2027, 1, 8), date(2027, 1, 16))
    assert [(w.day, w.minutes) for w in windows] == [
        (date(2027, 1, 8), 120),  # cut at the blackout's midnight
        (date(2027, 1, 15), 240),
        (date(2027, 1, 16), 60),
    ]


def test_blackout_range_is_inclusive() -> None:
    blackout = DateRange.model_validate({"from": "2027-04-01", "to": "2027-04-05"})
    assert date(2027, 4, 1) in blackout and date(2027, 4, 5) in blackout
    assert date(2027, 4, 6) not in blackout


def test_past_midnight_window_parses() -> None:
    window = WeeklyWindow.parse("23:00-01:00")
    assert window.crosses_midnight


def window(start: datetime, minutes: int) -> StudyWindow:
    return StudyWindow(start=start, end=start + timedelta(minutes=minutes), day=start.date())


def test_axis_keeps_whole_windows_and_drops_partial_slots() -> None:
    rules = SessionRules(min_minutes=60, max_minutes=180, slot_minutes=30)
    axis = build_axis([window(utc(2027, 1, 4, 8), 240), window(utc(2027, 1, 5, 8), 100)], rules)
    assert axis.block_slots == (8, 3)  # 4 h; 100 min -> 3 whole slots
    assert axis.block_offsets == (0, 8)
    assert axis.slot_start(5) == utc(2027, 1, 4, 10, 30)
    assert axis.slot_end(10) == utc(2027, 1, 5, 9, 30)
    assert axis.pieces(2, 10) == [(2, 8), (8, 10)]


def test_axis_leaves_out_what_cannot_hold_a_minimum_session() -> None:
    rules = SessionRules(min_minutes=90, max_minutes=120, slot_minutes=30)
    windows = [window(utc(2027, 1, 4, 8), 150), window(utc(2027, 1, 5, 8), 60)]
    # 150 min cannot be two sessions of 90+ min, so one of 120; 60 min holds none.
    assert build_axis(windows, rules).block_slots == (4,)


@pytest.mark.parametrize(
    ("slots", "topic_ends", "expected"),
    [(8, False, [4, 4]), (7, True, [4, 3]), (5, True, [4, 1]), (3, True, [3]), (2, True, [2])],
)
def test_a_topics_share_of_a_window_splits_into_even_sessions(
    slots: int, topic_ends: bool, expected: list[int]
) -> None:
    rules = SessionRules(min_minutes=90, max_minutes=120, slot_minutes=30)
    assert rules.split(slots, topic_ends=topic_ends) == expected
