"""The learner's own week, scaled to another weekly budget.

Each window keeps its day and start time and grows or shrinks in proportion to its
length, in whole slots, so the plan keeps the learner's rhythm: never shorter than one
session of `min_minutes` (a shorter window could hold nothing), never longer than
MAX_WINDOW_HOURS and never into the next window. The parts are chosen so that they add
up to the budget exactly whenever those limits allow. The profile's own caps and
deadline are left out: the question is what the budget buys.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from planner.errors import PlannerError
from planner.models.fields import WEEKDAYS
from planner.models.profile import Profile
from planner.models.weekly import MAX_WINDOW_HOURS, MINUTES_A_DAY, WeeklyWindow

MINUTES_A_WEEK = 7 * MINUTES_A_DAY
UNLIMITED_HOURS = 7 * 24.0


def weekly_minutes(profile: Profile) -> int:
    """Minutes a week the profile's windows can hold sessions in: whole slots that split
    into sessions of `min_minutes` or more (DST, blackouts and caps aside)."""
    rules = profile.session
    return sum(
        rules.usable_slots(window.minutes // rules.slot_minutes) * rules.slot_minutes
        for windows in profile.weekly.values()
        for window in windows
    )


@dataclass(frozen=True)
class _Window:
    day: str
    start: int  # minutes from Monday 00:00
    window: WeeklyWindow
    least: int  # slots
    most: int  # slots


def scaled_profile(profile: Profile, hours_per_week: float) -> Profile:
    """`profile` with its windows scaled to `hours_per_week` (see the module); the
    budget the result really has is `weekly_minutes(result) / 60`.

    Raises:
        PlannerError: the profile has no windows to scale.
    """
    windows = _scalable(profile)
    if not windows:
        raise PlannerError("the profile has no weekly windows to scale")
    slot = profile.session.slot_minutes
    target = math.floor(hours_per_week * 60 / slot + 0.5)
    lengths = _shares(target, windows)
    weekly: dict[str, list[str]] = {}
    for window, slots in zip(windows, lengths, strict=True):
        text = _window_text(window.start, slots * slot) if window.most else str(window.window)
        weekly.setdefault(window.day, []).append(text)
    fields: dict[str, Any] = profile.model_dump(by_alias=True)
    fields.update(weekly=weekly, max_hours_per_day=None, max_hours_per_week=None, deadline=None)
    try:
        return Profile.model_validate(fields)
    except ValidationError as error:
        raise PlannerError(f"cannot scale the weekly windows: {error.errors()[0]['msg']}") from None


def most_hours_per_week(profile: Profile) -> float:
    """The largest budget the windows scale to (each as long as it may be)."""
    return weekly_minutes(scaled_profile(profile, UNLIMITED_HOURS)) / 60


def least_hours_per_week(profile: Profile) -> float:
    """The smallest budget the windows scale to (each one session of `min_minutes`)."""
    return weekly_minutes(scaled_profile(profile, 0)) / 60


def _scalable(profile: Profile) -> list[_Window]:
    """The windows in week order with the fewest and most slots each may have (0 and
    0: no room for a session before the next window, so it stays as it is)."""
    rules = profile.session
    slot = rules.slot_minutes
    starts = sorted(
        (WEEKDAYS.index(day) * MINUTES_A_DAY + w.start.hour * 60 + w.start.minute, day, w)
        for day, windows in profile.weekly.items()
        for w in windows
    )
    scalable = []
    for index, (start, day, window) in enumerate(starts):
        next_start = starts[(index + 1) % len(starts)][0]
        room = (next_start - start) % MINUTES_A_WEEK or MINUTES_A_WEEK
        most = min(room, MAX_WINDOW_HOURS * 60) // slot
        least = max(rules.min_slots, 1)
        if most < least:
            most = least = 0
        scalable.append(_Window(day, start, window, least, most))
    return scalable


def _shares(target: int, windows: list[_Window]) -> list[int]:
    """Slots per window in proportion to today's lengths, within each window's limits,
    adding up to `target` when the limits allow (largest remainders first)."""
    weights = [window.window.minutes if window.most else 0 for window in windows]
    total = sum(weights) or 1
    ideal = [target * weight / total for weight in weights]
    shares = [
        min(max(math.floor(exact), w.least), w.most)
        for exact, w in zip(ideal, windows, strict=True)
    ]

    def gap(i: int) -> tuple[float, int]:  # how far a window is below its ideal share
        return (shares[i] - ideal[i], i)

    while sum(shares) < target:
        growing = [i for i in range(len(windows)) if shares[i] < windows[i].most]
        if not growing:
            break
        shares[min(growing, key=gap)] += 1
    while sum(shares) > target:
        shrinking = [i for i in range(len(windows)) if shares[i] > windows[i].least]
        if not shrinking:
            break
        shares[max(shrinking, key=gap)] -= 1
    return shares


def _window_text(start: int, length: int) -> str:
    first, last = start % MINUTES_A_DAY, (start + length) % MINUTES_A_DAY
    return f"{first // 60:02d}:{first % 60:02d}-{last // 60:02d}:{last % 60:02d}"
