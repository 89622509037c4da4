"""The hard rules of a plan's reviews, as code (see `validation` for the study rules).

They read the whole plan, history included (a review is due from its topic's last
session, studied or planned), and judge the reviews still to do: each after its
topic's end, due when its topic's end says (or, missed before the plan's first day,
from that day), on time or reported late, as long as the profile says, in a window
that holds at most one topic besides reviews; and per reviewed topic one review of
each number. Inside windows and no overlap are the general rules, which cover reviews.

The local days and due days are computed here, not with the planner's `reviews.dues`:
a planner bug in that arithmetic (a topic ending at 24:00 counted on the next day, its
reviews due a day late) would otherwise be a bug the validator shares and cannot see.
"""

from __future__ import annotations

import bisect
from collections import defaultdict
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from planner.models.plan import Plan, StudySession
from planner.models.profile import Profile
from planner.planning.busy import recorded_busy
from planner.planning.requirements import PlanRequirements
from planner.timeline.windows import study_windows


def _local_day(moment: datetime, zone: ZoneInfo) -> date:
    """The learner's calendar day at `moment`."""
    return moment.astimezone(zone).date()


def _day_finished(end: datetime, zone: ZoneInfo) -> date:
    """The learner's day a session ending at `end` belongs to: one that ends as its
    end's local day begins (24:00; or 01:00 where the clocks skip midnight) is the
    evening of the day before."""
    day = end.astimezone(zone).date()
    day_begins = datetime.combine(day, time(0, 0), tzinfo=zone).astimezone(UTC)
    return day - timedelta(days=1) if end.astimezone(UTC) <= day_begins else day


def _days_after(day: date, days: int) -> date:
    return date.fromordinal(day.toordinal() + days)


def _topic_ends(plan: Plan) -> dict[str, StudySession]:
    """Each studied topic's last study session (done or planned)."""
    last: dict[str, StudySession] = {}
    for session in plan.study_sessions:
        if session.topic not in last or session.end_utc > last[session.topic].end_utc:
            last[session.topic] = session
    return last


def _upcoming_reviews(plan: Plan) -> list[StudySession]:
    return [session for session in plan.upcoming if session.is_review]


def reviews_follow_their_topic(
    plan: Plan, profile: Profile, requirements: PlanRequirements
) -> list[str]:
    """A review starts after its topic's last study session ends."""
    ends = _topic_ends(plan)
    violations = []
    for review in _upcoming_reviews(plan):
        where = f"review {review.review} of {review.topic} {review.start.isoformat()}"
        if review.topic not in ends:
            violations.append(f"{where}: the plan does not study {review.topic}")
        elif review.start_utc < ends[review.topic].end_utc:
            violations.append(f"{where}: before {review.topic} ends")
    return violations


def reviews_are_due_or_late(
    plan: Plan, profile: Profile, requirements: PlanRequirements
) -> list[str]:
    """A review is due `after_days` days after the day its topic ends (one missed
    before the plan's first day: from that day), and is on that day or within the
    slack after it, or else reported late (and later, never earlier)."""
    rules = profile.review
    if rules is None:
        return []
    zone = profile.zone
    ends = _topic_ends(plan)
    violations = []
    for review in _upcoming_reviews(plan):
        if review.topic not in ends or review.due is None or review.review is None:
            continue  # reviews_follow_their_topic / the model say so
        where = f"review {review.review} of {review.topic} {review.start.isoformat()}"
        if review.review > len(rules.after_days):
            continue  # review_counts_match says so
        finished = _day_finished(ends[review.topic].end, zone)
        natural = _days_after(finished, rules.after_days[review.review - 1])
        expected = _expected_due(natural, plan.planned_from, rules.slack_days)
        if review.due != expected:
            violations.append(f"{where}: due {review.due}, but its topic's end makes it {expected}")
            continue
        day, latest = _local_day(review.start, zone), _days_after(review.due, rules.slack_days)
        if day < review.due:
            violations.append(f"{where}: on {day}, before its due day {review.due}")
        elif day > latest and not review.late:
            violations.append(f"{where}: on {day}, after {latest}, and not reported late")
        elif day <= latest and review.late:
            violations.append(f"{where}: reported late but on time (due {review.due})")
    return violations


def _expected_due(natural: date, planned_from: date, slack_days: int) -> date:
    """A review whose on-time days ended before the plan's first day was missed: it is
    planned again, due from that day."""
    missed = natural.toordinal() + slack_days < planned_from.toordinal()
    return planned_from if missed else natural


def reviews_keep_their_length(
    plan: Plan, profile: Profile, requirements: PlanRequirements
) -> list[str]:
    """A review lasts the profile's review minutes."""
    rules = profile.review
    return [
        f"review {review.review} of {review.topic} {review.start.isoformat()}: "
        f"{review.minutes:g} min, not {rules.minutes}"
        for review in _upcoming_reviews(plan)
        if rules is not None and review.minutes != rules.minutes
    ]


def review_counts_match(plan: Plan, profile: Profile, requirements: PlanRequirements) -> list[str]:
    """Every reviewed topic the plan studies has one review of each number (done or
    planned); no other topic has reviews still to do. Done reviews are history: a
    profile that asks for fewer since (or none) leaves them as they were."""
    rules = profile.review
    expected = len(rules.after_days) if rules is not None else 0
    numbers: dict[str, list[int]] = defaultdict(list)
    done: dict[str, list[int]] = defaultdict(list)
    for session in plan.sessions:
        if session.is_review and session.review is not None:
            numbers[session.topic].append(session.review)
            if session.done:
                done[session.topic].append(session.review)
    violations = []
    for topic in sorted(set(_topic_ends(plan)) | set(numbers)):
        wanted = list(range(1, expected + 1)) if topic in requirements.reviewed else []
        held = sorted(set(wanted) | set(done[topic]))
        if sorted(numbers[topic]) != held:
            got = ", ".join(map(str, sorted(numbers[topic]))) or "none"
            violations.append(f"{topic}: reviews {got}, needs {len(wanted)} (1 to {len(wanted)})")
    return violations


def reviewed_windows_hold_one_topic(
    plan: Plan, profile: Profile, requirements: PlanRequirements
) -> list[str]:
    """A window with a review holds study sessions of at most one topic."""
    reviews = _upcoming_reviews(plan)
    if not reviews:
        return []
    zone = profile.zone
    last_day = max(session.end.astimezone(zone).date() for session in plan.sessions)
    windows = study_windows(profile, plan.planned_from, last_day, busy=recorded_busy(plan))
    starts = [window.start for window in windows]
    topics: dict[int, set[str]] = defaultdict(set)
    for session in plan.upcoming:
        if not session.is_review:
            topics[bisect.bisect_right(starts, session.start_utc) - 1].add(session.topic)
    violations = []
    for review in reviews:
        window = bisect.bisect_right(starts, review.start_utc) - 1
        if len(topics[window]) > 1:
            studied = ", ".join(sorted(topics[window]))
            violations.append(
                f"review {review.review} of {review.topic} {review.start.isoformat()}: its "
                f"window holds more than one topic ({studied})"
            )
    return violations


REVIEW_RULES = [
    reviews_follow_their_topic,
    reviews_are_due_or_late,
    reviews_keep_their_length,
    review_counts_match,
    reviewed_windows_hold_one_topic,
]
