"""Topics and their reviews placed together, in one pass forward in time.

Given a study order, each topic goes at its first allowed start after the one before
it, on the time the reviews booked so far leave; when it ends, its reviews are booked
into windows after that moment. A review is due at least a day after its topic ends, so
it only ever lands in windows that no topic has reached yet: every topic is placed on
the windows exactly as they end up, and the result is a valid plan in one pass.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import date, datetime
from zoneinfo import ZoneInfo

from planner.planning.review_book import Draft, ReviewBook
from planner.planning.review_dues import ReviewDue, day_of
from planner.solver.problem import SchedulingProblem
from planner.solver.start_tables import AxisArrays, StartTable
from planner.timeline.axis import TimeAxis, build_axis
from planner.timeline.windows import StudyWindow

# The reviews a topic gets when it ends at a moment: (topic index, end) -> its reviews.
DuesOf = Callable[[int, datetime], list[ReviewDue]]


def weave(
    problem: SchedulingProblem,
    order: Sequence[int],
    windows: Sequence[StudyWindow],
    review_minutes: int,
    zone: ZoneInfo,
    dues_of: DuesOf,
    pending: Sequence[ReviewDue] = (),
    not_before: datetime | None = None,
) -> Draft | None:
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
    for placed, topic in enumerate(order, start=1):
        if not _book_owed(problem, book, owed, topic, cursor):
            return None
        start = _placed(problem, book, topic, cursor, last=placed == len(order))
        if start is None:
            return None
        start_times[topic], cursor = start
        owed = sorted([*owed, *dues_of(topic, cursor)], key=_urgency)
    if any(book.place(due, cursor) is None for due in owed):
        return None
    axis = build_axis(book.topic_windows(), problem.rules)
    return Draft(
        problem=replace(problem, axis=axis),
        starts=[axis.position_at(moment) for moment in start_times],
        reviews=book.reviews,
        windows=windows,
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
        axis = build_axis(book.topic_windows(), problem.rules)
        start = _earliest_start(problem, axis, topic, axis.position_at(earliest))
        if start is None:
            return None
        end = start + problem.durations[topic]
        block = axis.block_of(end - 1)
        inside = end < axis.block_offsets[block] + axis.block_slots[block]
        placed = axis.slot_start(start), axis.slot_end(end - 1)
        if last or not inside or block not in axis.one_topic_blocks:
            return placed
        window = book.window_at(axis.block_starts[block])
        if not book.release(window):
            book.fill_tail(window, placed[1])
            return placed


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
        axis = build_axis(book.topic_windows(), problem.rules)
        start = _earliest_start(problem, axis, topic, axis.position_at(cursor))
        if start is None:
            return False
        end = start + problem.durations[topic]
        ends_on = day_of(axis.slot_end(end - 1), book.zone)
        due_now = [due for due in owed if due.due <= ends_on]
        if not due_now:
            return True
        block = axis.block_of(end - 1)
        inside = end < axis.block_offsets[block] + axis.block_slots[block]
        changes = {book.window_at(axis.block_starts[block])} if inside else set()
        for due in due_now:
            if book.place(due, cursor, changes) is None:
                return False
            owed.remove(due)
    return True


def _earliest_start(
    problem: SchedulingProblem, axis: TimeAxis, topic: int, not_before: int
) -> int | None:
    """The topic's first allowed start on `axis` at or after `not_before`."""
    table = StartTable.build(
        AxisArrays.of(axis, problem.max_slots),
        problem.durations[topic],
        problem.min_slots,
        problem.max_slots,
    )
    return table.earliest_start(not_before)
