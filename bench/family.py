"""A family of generated learner profiles (fixed seed): the bench's inputs beyond the five
hand-picked profiles the solver was tuned on.

Each profile draws (from one seeded generator): 1-6 study days, one or two windows a day
of 45 min to 4 h at varied start times (some past midnight), 15- or 30-minute slots,
session rules from a list that includes min = max and maxima below the longest window,
a time zone with DST, with a 30- or 45-minute offset, or both, and 0-3 blackout ranges.
"""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta

from pydantic import ValidationError

from planner.models.fields import WEEKDAYS
from planner.models.profile import Profile

SEED = 10
COUNT = 48
ZONES = [
    "Europe/Berlin", "America/New_York", "Australia/Sydney", "America/Santiago",
    "Australia/Lord_Howe",  # DST of 30 minutes
    "Asia/Kathmandu",  # +05:45, no DST
    "Asia/Kolkata",  # +05:30, no DST
    "America/St_Johns",  # -03:30 with DST
    "Pacific/Chatham",  # +12:45 with DST
]  # fmt: skip
START_TIMES = ["06:00", "07:30", "09:00", "12:15", "17:45", "18:00", "19:00", "20:30",
               "21:00", "22:00", "23:00", "23:30", "00:30", "01:00"]  # fmt: skip
SESSION_RULES = [  # (min, max) minutes
    (60, 180), (45, 120), (30, 90), (90, 90), (60, 60), (60, 120), (45, 45),
    (30, 240), (120, 120), (75, 150), (60, 90),
]  # fmt: skip


def generate_profiles(count: int = COUNT, seed: int = SEED) -> list[tuple[str, Profile]]:
    """`count` valid profiles with at least 90 minutes of usable time a week, named
    by index, zone and study days. Draws that make an invalid profile are drawn again."""
    rng = random.Random(seed)
    profiles: list[tuple[str, Profile]] = []
    while len(profiles) < count:
        try:
            profile = _draw(rng)
        except ValidationError:
            continue
        if _usable_minutes_a_week(profile) < 90:
            continue
        zone = profile.timezone.split("/")[-1].lower()
        profiles.append((f"g{len(profiles) + 1:02d}-{zone}-{len(profile.weekly)}d", profile))
    return profiles


def _draw(rng: random.Random) -> Profile:
    days = sorted(rng.sample(range(7), rng.randint(1, 6)))
    weekly: dict[str, list[str]] = {}
    for day in days:
        starts = sorted(rng.sample(START_TIMES, 2 if rng.random() < 0.25 else 1))
        weekly[WEEKDAYS[day]] = [_window(start, rng.randrange(45, 241, 15)) for start in starts]
    start = date(2027, 1, 4) + timedelta(days=rng.randrange(365))
    blackouts = []
    for _ in range(rng.randint(0, 3)):
        first = start + timedelta(days=rng.randrange(400))
        blackouts.append({"from": first, "to": first + timedelta(days=rng.randrange(14))})
    low, high = rng.choice(SESSION_RULES)
    return Profile.model_validate(
        {
            "timezone": rng.choice(ZONES),
            "start": start,
            "weekly": weekly,
            "blackouts": blackouts,
            "session": {
                "min_minutes": low,
                "max_minutes": high,
                "slot_minutes": rng.choice([15, 30]),
            },
        }
    )


def _window(start: str, minutes: int) -> str:
    begin = datetime.strptime(start, "%H:%M")
    return f"{start}-{begin + timedelta(minutes=minutes):%H:%M}"


def _usable_minutes_a_week(profile: Profile) -> int:
    rules = profile.session
    return sum(
        rules.usable_slots(_minutes(window) // rules.slot_minutes) * rules.slot_minutes
        for windows in profile.weekly.values()
        for window in windows
    )


def _minutes(window: object) -> int:
    text = str(window)
    first, last = (datetime.strptime(part, "%H:%M") for part in text.split("-"))
    return int((last - first).total_seconds() // 60) % (24 * 60) or 24 * 60
