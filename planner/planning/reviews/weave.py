"""Topics and their reviews placed together, in one pass forward in time.

Given a study order, each topic goes at its first allowed start after the one before
it, on the time the reviews booked so far leave. A topic's reviews are owed from its
end, and booked just in time: before the topic that would take the windows of their due
days is placed, knowing where that topic will end. A review is due at least a day after
its topic ends, so it only ever lands in windows that no topic has reached yet: every
topic is placed on the windows exactly as they end up, and the result is a valid plan
in one pass.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from zoneinfo import ZoneInfo

from planner.planning.reviews.book import BookedReview, ReviewBook
from planner.planning.reviews.dues import ReviewDue, day_of
from planner.solver.problem import SchedulingProblem
from planner.solver.start_tables import AxisBlocks, StartTable
from planner.timeline.axis import build_axis
from planner.timeline.windows import StudyWindow

# The reviews a topic gets when it ends at a moment: (topic index, end) -> its reviews.
DuesOf = Callable[[int, datetime], list[ReviewDue]]


@dataclass(frozen=True)
class Woven:
    """The topics at `starts` on the axis of `problem` (the time the reviews leave),
    and the reviews."""

    problem: SchedulingProblem
    starts: list[int]
    reviews: list[BookedReview]

    @property
    def finish(self) -> int:
        """Axis position after the last topic's last slot."""
        return max(
            (s + d for s, d in zip(self.starts, self.problem.durations, strict=True)), default=0
        )

    @property
    def late(self) -> int:
        return sum(review.late for review in self.reviews)


def weave(
    problem: SchedulingProblem,
    order: Sequence[int],
    windows: Sequence[StudyWindow],
    review_minutes: int,
    zone: ZoneInfo,
    dues_of: DuesOf,
    pending: Sequence[ReviewDue] = (),
    not_before: datetime | None = None,
) -> Woven | None:
    """The topics of `problem` in `order` (prerequisites first), each at its first
    allowed start after the previous one, with their reviews booked just in time:
    before the topic that would take the windows of their due days is placed.

    Args:
        windows: the study windows, in time order, from the plan's first day.
        pending: reviews already owed (a re-plan's), booked first.
        not_before: nothing starts before this moment (default: the first window).

    Returns None when `windows` end before every topic and review has a place (the
    caller asks again with more windows)."""
    book = ReviewBook(windows, problem.rules, review_minutes, zone)
    cursor = not_before or (windows[0].start if windows else None)
    if cursor is None:
        return None
    owed = sorted(pending, key=_urgency)
    start_times: list[datetime] = [cursor] * len(problem.topic_ids)
    alone_from = cursor  # the previous topic's start, or the one before it's end
    for placed, topic in enumerate(order, start=1):
        if placed > 1 and not _fill_idle_end(problem, book, topic, cursor, alone_from):
            return None
        if not _book_owed(problem, book, owed, topic, cursor):
            return None
        start = _placed(problem, book, topic, cursor, last=placed == len(order))
        if start is None:
            return None
        alone_from = cursor
        start_times[topic], cursor = start
        owed = sorted([*owed, *dues_of(topic, cursor)], key=_urgency)
    if any(book.place(due, cursor) is None for due in owed):
        return None
    axis = build_axis(book.topic_windows(), problem.rules)
    return Woven(
        # A new axis: the list schedule made on the old one does not carry over.
        problem=replace(problem, axis=axis, list_schedule_starts=None),
        starts=[axis.position_at(moment) for moment in start_times],
        reviews=book.reviews,
    )


def _placed(
    problem: SchedulingProblem, book: ReviewBook, topic: int, earliest: datetime, *, last: bool
) -> tuple[datetime, datetime] | None:
    """Where `topic` goes on the time the reviews booked so far leave: its first
    allowed start from `earliest`, as (start, end). If it would end inside a window
    with reviews, which would then stay idle after it (no topic change there), those
    reviews move to later windows when they can, and the topic is placed again; when
    they cannot, reviews booked later move into the idle end of that window."""
    while True:
        found = _tentative(problem, book, topic, earliest)
        if found is None:
            return None
        placed, ends_inside = found
        if last or ends_inside is None or not book.booked[ends_inside]:
            return placed
        if not book.release(ends_inside):
            book.fill_tail(ends_inside, placed[1])
            return placed


def _fill_idle_end(
    problem: SchedulingProblem,
    book: ReviewBook,
    topic: int,
    cursor: datetime,
    alone_from: datetime,
) -> bool:
    """If the previous topic ends at `cursor` inside a window it holds alone (no topic
    before it there: it ended by `alone_from`) and `topic` cannot start in the rest
    (too short for a session), that rest would stay idle: reviews booked later move
    into it, on time, and give their study time back. False if the windows run out."""
    window = book.window_at(cursor)
    if window < 0 or book.booked[window] or alone_from > book.windows[window].start:
        return True  # a window with reviews has its own rule (`_placed`)
    found = _tentative(problem, book, topic, cursor)
    if found is None:
        return False
    (start, _), _ = found
    if start >= book.windows[window].end:
        book.fill_tail(window, cursor)
    return True


def _tentative(
    problem: SchedulingProblem, book: ReviewBook, topic: int, earliest: datetime
) -> tuple[tuple[datetime, datetime], int | None] | None:
    """(start, end) of `topic` at its first allowed start from `earliest` on the time
    the reviews booked so far leave, and the window it ends inside (None: it ends with
    its window). None if the windows run out."""
    # Only the windows from `earliest` on: the topic cannot start before.
    axis = build_axis(book.topic_windows(max(book.window_at(earliest), 0)), problem.rules)
    table = StartTable.build(
        AxisBlocks.of(axis, problem.max_slots),
        problem.durations[topic],
        problem.min_slots,
        problem.max_slots,
    )
    start = table.earliest_start(axis.position_at(earliest))
    if start is None:
        return None
    end = start + problem.durations[topic]
    block = axis.block_of(end - 1)
    inside = end < axis.block_offsets[block] + axis.block_slots[block]
    window = book.window_at(axis.block_starts[block]) if inside else None
    return (axis.slot_start(start), axis.slot_end(end - 1)), window


def _urgency(due: ReviewDue) -> tuple[date, date, str]:
    return (due.latest, due.due, due.uid)


def _book_owed(
    problem: SchedulingProblem,
    book: ReviewBook,
    owed: list[ReviewDue],
    topic: int,
    cursor: datetime,
) -> bool:
    """Book, from `owed`, the reviews due by the day `topic` would end (the windows of
    their days are about to be taken), knowing where it ends: not in that window if it
    ends inside it (the rest would stay idle). Each booking may move the topic's end
    on, so until none is due by it. The rest wait: booked later, they know more. False
    if the windows run out."""
    while owed:
        found = _tentative(problem, book, topic, cursor)
        if found is None:
            return False
        (_, end), ends_inside = found
        due_now = [due for due in owed if due.due <= day_of(end, book.zone)]
        if not due_now:
            return True
        changes = set() if ends_inside is None else {ends_inside}
        for due in due_now:
            if book.place(due, cursor, changes) is None:
                return False
            owed.remove(due)
    return True
