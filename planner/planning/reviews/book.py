"""Where reviews go: each review takes the start of a study window on its due day or
within the slack after it, and the window's topic time starts after the reviews.

A review goes where it costs the topics least: not where a topic is about to change
(the rest of that window would stay idle), then where it takes the least study time a
topic could use (none in a window too short for a study session, or at the end of one
that does not split into sessions), then into a window that already holds reviews
(reviews back to back fill whole slots, and fewer windows are closed to a topic
change), then the earliest. Each booking may move reviews booked before it, among the
windows no topic has reached, where that gives study time back or empties a window.
When no window within the slack has room (a sparse week, a blackout), the review goes
to the first window after that has room, and is late.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence, Set
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from planner.arithmetic import ceil_div
from planner.models.profile import SessionRules
from planner.planning.reviews.dues import ReviewDue, day_of
from planner.timeline.windows import StudyWindow


@dataclass(frozen=True)
class BookedReview:
    due: ReviewDue
    start: datetime  # UTC
    end: datetime
    late: bool


class ReviewBook:
    """Reviews booked into `windows` (in time order), `minutes` each, back to back from
    a window's start; the topic time of a window with reviews starts at the next whole
    slot after them, and no topic change may happen in it."""

    def __init__(
        self,
        windows: Sequence[StudyWindow],
        rules: SessionRules,
        minutes: int,
        zone: ZoneInfo,
    ) -> None:
        self.windows = windows
        self.rules = rules
        self.length = timedelta(minutes=minutes)
        self.zone = zone
        self.booked: list[list[BookedReview]] = [[] for _ in windows]
        self.tails: list[BookedReview] = []  # reviews after a window's topic (fill_tail)
        self._starts = [window.start for window in windows]

    def place(
        self, due: ReviewDue, not_before: datetime, changes: Set[int] = frozenset()
    ) -> BookedReview | None:
        """Book `due` into a window that starts at or after `not_before` (time no topic
        has used yet), avoiding the windows `changes` (where a topic is expected to end
        and the next to start). None when the windows end before any has room."""
        first = bisect.bisect_left(self._starts, not_before)
        on_time: tuple[int, int, int, int] | None = None  # (change, cost, not clustered, window)
        for index in range(first, len(self.windows)):
            start = self._next_start(index)
            if day_of(self.windows[index].start, self.zone) > due.latest:
                break
            if start is None or not due.due <= day_of(start, self.zone) <= due.latest:
                continue
            clustered = 0 if self.booked[index] else 1
            rank = (index in changes, self._cost(index), clustered, index)
            on_time = min(on_time or rank, rank)
        if on_time is not None:
            booked = self._book(due, on_time[-1], late=False)
            self._consolidate(first, changes)
            return booked
        for index in range(first, len(self.windows)):
            start = self._next_start(index)
            if start is not None and day_of(start, self.zone) > due.latest:
                return self._book(due, index, late=True)
        return None

    def _consolidate(self, first: int, changes: Set[int]) -> None:
        """Move reviews between the windows from `first` on (no topic has reached them)
        while a move gives study time back, or leaves a window without reviews at no
        cost: a lone 20-minute review joins another in 30-minute slots, and the third
        that comes costs no slot. Each move takes a slot less in all, or as many in a
        window fewer (into one that has reviews already), so this ends."""
        while True:
            holding = [i for i in range(first, len(self.windows)) if self.booked[i]]
            move = next(
                (
                    (source, target, review)
                    for source in holding
                    for target in holding
                    if target != source
                    and target not in changes
                    and self._gains(source, target)
                    and (review := self._movable(source, target)) is not None
                ),
                None,
            )
            if move is None:
                return
            source, target, review = move
            self.booked[source].pop()
            self._book(review.due, target, late=False)

    def _gains(self, source: int, target: int) -> bool:
        """Whether one review moving from window `source` to `target` takes fewer slots
        in all, or as many and empties `source` (a window fewer closed to a topic
        change, and a cluster the next review joins for free)."""
        cost, freed = self._cost(target), self._freed(source)
        return cost < freed or (cost == freed and len(self.booked[source]) == 1)

    def _movable(self, source: int, target: int) -> BookedReview | None:
        """The last review of window `source` (the others keep their times), if it is
        on time in window `target`."""
        start = self._next_start(target)
        last = self.booked[source][-1]
        if start is None or last.late:
            return None
        return last if last.due.due <= day_of(start, self.zone) <= last.due.latest else None

    def release(self, index: int) -> bool:
        """Move the reviews of window `index` to later windows where they are still on
        time, and keep no time for reviews in it (so two topics may share it). False,
        and nothing changes, if one of them cannot move."""
        moving = self.booked[index]
        if any(review.late for review in moving):
            return False
        booked = [list(reviews) for reviews in self.booked]
        self.booked[index] = []
        for review in moving:
            moved = self.place(review.due, self.windows[index].end)
            if moved is None or moved.late:
                self.booked = booked
                return False
        return True

    def fill_tail(self, index: int, after: datetime) -> None:
        """Reviews booked in later windows move into the end of window `index`, from
        `after` (where its one topic ends; the rest would stay idle), while they fit
        and are on time there: the ones whose leaving frees the most study time first."""
        cursor = after
        while cursor + self.length <= self.windows[index].end:
            day = day_of(cursor, self.zone)
            movable = [
                (-self._freed(later), len(self.booked[later]), later)
                for later in range(index + 1, len(self.windows))
                if self.booked[later]
                and self.booked[later][-1].due.due <= day <= self.booked[later][-1].due.latest
                and not self.booked[later][-1].late
            ]
            if not movable:
                return
            moved = self.booked[min(movable)[2]].pop().due
            self.tails.append(BookedReview(moved, cursor, cursor + self.length, late=False))
            cursor += self.length

    def window_at(self, moment: datetime) -> int:
        """The window `moment` falls in (the last one starting at or before it)."""
        return bisect.bisect_right(self._starts, moment) - 1

    def topic_windows(self, first: int = 0) -> list[StudyWindow]:
        """The windows from the `first` on as the topics see them: the time after each
        window's reviews, marked one-topic where reviews are."""
        slot = timedelta(minutes=self.rules.slot_minutes)
        shaped = []
        for window, booked in zip(self.windows[first:], self.booked[first:], strict=True):
            if not booked:
                shaped.append(window)
                continue
            start = window.start + self._reserved_slots(len(booked)) * slot
            if start < window.end:
                shaped.append(replace(window, start=start, one_topic=True))
        return shaped

    @property
    def reviews(self) -> list[BookedReview]:
        booked = [review for reviews in self.booked for review in reviews]
        return sorted([*booked, *self.tails], key=lambda review: review.start)

    def _next_start(self, index: int) -> datetime | None:
        """Where one more review would start in window `index`, if it fits."""
        window = self.windows[index]
        start = window.start + len(self.booked[index]) * self.length
        return start if start + self.length <= window.end else None

    def _reserved_slots(self, reviews: int) -> int:
        minutes = reviews * self.length.total_seconds() / 60
        return ceil_div(int(minutes), self.rules.slot_minutes)

    def _topic_slots(self, index: int, reviews: int) -> int:
        whole = self.windows[index].minutes // self.rules.slot_minutes
        return self.rules.usable_slots(max(whole - self._reserved_slots(reviews), 0))

    def _cost(self, index: int) -> int:
        """Slots of study time that one more review in window `index` takes."""
        reviews = len(self.booked[index])
        return self._topic_slots(index, reviews) - self._topic_slots(index, reviews + 1)

    def _freed(self, index: int) -> int:
        """Slots of study time window `index` gets back if its last review leaves."""
        reviews = len(self.booked[index])
        return self._topic_slots(index, reviews - 1) - self._topic_slots(index, reviews)

    def _book(self, due: ReviewDue, index: int, *, late: bool) -> BookedReview:
        start = self._next_start(index)
        assert start is not None
        booked = BookedReview(due, start, start + self.length, late)
        self.booked[index].append(booked)
        return booked
