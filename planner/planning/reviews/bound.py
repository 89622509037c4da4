"""How late reviews make the topics finish at the very least: review minutes are study
time too, and the reviews due before the finish must fit before it.

For a candidate finish t, count the reviews that any plan must place before t: those
whose last on-time day is before t's day. Their number is smallest when topics end as
late as they can: the topics after a topic need at least their own time, so the j-th
last topic ends no later than t less the j shortest topics' time, and in the best case
the reviewed topics are the last ones. No plan finishes before the first t at which the
windows hold every topic's time and those reviews.
"""

from __future__ import annotations

import bisect
import itertools
from collections.abc import Sequence
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from planner.models.reviews import ReviewRules
from planner.planning.reviews.dues import ReviewDue, day_ended, due_days, on_time_until
from planner.timeline.windows import StudyWindow


def review_finish_bound(
    windows: Sequence[StudyWindow],
    slot_minutes: int,
    durations: Sequence[int],
    reviewed_count: int,
    review: ReviewRules,
    pending: Sequence[ReviewDue],
    zone: ZoneInfo,
    not_before: datetime,
) -> datetime | None:
    """The earliest moment the topics (`durations` in slots, `reviewed_count` of them
    reviewed) can all be done with their reviews and the `pending` ones, in `windows`;
    never before `not_before` (the bound without reviews). None if the windows end
    first."""
    slot = timedelta(minutes=slot_minutes)
    slot_ends = [
        window.start + slot * (k + 1)
        for window in windows
        for k in range(window.minutes // slot_minutes)
    ]
    slot_days = [day_ended(end, zone) for end in slot_ends]
    shortest_first = list(itertools.accumulate(sorted(durations), initial=0))
    topic_minutes = shortest_first[-1] * slot_minutes
    window_minutes = list(itertools.accumulate((w.minutes for w in windows), initial=0))
    window_starts = [window.start for window in windows]
    for index in range(bisect.bisect_left(slot_ends, not_before), len(slot_ends)):
        finish, finish_day = slot_ends[index], slot_days[index]
        forced = sum(due.latest < finish_day for due in pending)
        for rank in range(min(reviewed_count, len(durations))):
            position = index - shortest_first[rank]  # the latest slot this topic can end in
            if position < 0:
                break
            forced += sum(
                on_time_until(due, review) < finish_day
                for due in due_days(slot_days[position], review)
            )
        before = bisect.bisect_left(window_starts, finish)
        capacity = window_minutes[before] - max(
            (windows[before - 1].end - finish).total_seconds() / 60 if before else 0, 0
        )
        if capacity >= topic_minutes + forced * review.minutes:
            return finish
    return None
