"""The review book on three evening windows (19-21 UTC, 30-minute slots, 20-minute
reviews): where reviews go, and what study time each window keeps."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from planner.models.profile import SessionRules
from planner.planning.reviews.book import ReviewBook
from planner.planning.reviews.dues import ReviewDue
from planner.timeline.windows import StudyWindow

MONDAY = date(2027, 1, 4)
ZONE = ZoneInfo("UTC")


def evening(day: int) -> tuple[datetime, datetime]:
    start = datetime.combine(MONDAY + timedelta(days=day), datetime.min.time(), UTC)
    return start + timedelta(hours=19), start + timedelta(hours=21)


def book_of_three_evenings() -> ReviewBook:
    windows = [StudyWindow(*evening(day), day=MONDAY + timedelta(days=day)) for day in range(3)]
    return ReviewBook(windows, SessionRules(), 20, ZONE)


def due(name: str, first_day: int, last_day: int) -> ReviewDue:
    return ReviewDue(
        name, 1, MONDAY + timedelta(days=first_day), MONDAY + timedelta(days=last_day), name
    )


def test_a_lone_review_joins_others_where_it_takes_no_more_study_time() -> None:
    """Three 20-minute reviews fill two 30-minute slots. A review alone on Monday takes
    a slot there; beside Tuesday's one it takes as many and leaves Monday whole, so it
    moves while it is on time, and Tuesday's third review takes no slot more."""
    book = book_of_three_evenings()
    start = evening(0)[0]
    book.place(due("a", 0, 2), start)  # alone: on Monday, the earliest of equals
    assert [len(reviews) for reviews in book.booked] == [1, 0, 0]
    book.place(due("b", 1, 1), start)
    assert [len(reviews) for reviews in book.booked] == [0, 2, 0]
    book.place(due("c", 1, 2), start)
    assert [len(reviews) for reviews in book.booked] == [0, 3, 0]
    tuesday = evening(1)[0]
    assert [(r.due.topic, r.start) for r in book.reviews] == [
        ("b", tuesday),
        ("a", tuesday + timedelta(minutes=20)),
        ("c", tuesday + timedelta(minutes=40)),
    ]
    monday, tuesday_topics = book.topic_windows()[:2]
    assert (monday.start, monday.one_topic) == (evening(0)[0], False)
    assert (tuesday_topics.start, tuesday_topics.one_topic) == (
        tuesday + timedelta(hours=1),
        True,
    )


def test_a_review_stays_where_moving_it_would_make_it_late_or_cost_as_much() -> None:
    book = book_of_three_evenings()
    start = evening(0)[0]
    book.place(due("a", 0, 0), start)  # on time on Monday only
    book.place(due("b", 1, 1), start)
    book.place(due("c", 1, 1), start)
    assert [len(reviews) for reviews in book.booked] == [1, 2, 0]
    book.place(due("d", 2, 2), start)  # on Wednesday only, where no other is on time
    assert [len(reviews) for reviews in book.booked] == [1, 2, 1]
