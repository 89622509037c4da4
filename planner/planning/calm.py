"""What a re-plan may keep of the previous plan exactly as it was: the sessions ahead, up
to the first one that no longer fits (new busy time, a window the week lost, a review)
or a given moment. A re-plan weighs the plans that keep them against planning the rest
afresh (`replan._plan_the_rest`)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Set
from datetime import UTC, datetime
from typing import Any

from planner.models.plan import Plan, StudySession
from planner.models.profile import Profile
from planner.planning.replan_changes import changed_sessions, changed_within
from planner.timeline.windows import StudyWindow, inside_some_window


def kept_ahead(
    previous: Plan,
    studied: Mapping[str, int],
    needed: Mapping[str, int],
    skipped: Set[str],
    at: datetime,
    windows: list[StudyWindow],
    until: datetime | None = None,
) -> list[StudySession]:
    """The previous plan's sessions from `at` that stay as they are: up to the first one
    outside `windows` (the time the plan may use now), the first review (reviews are
    placed anew around what is studied), or the first starting at `until`; and up to the
    first run of a topic that would not end it (`needed`: its minutes in all) though
    another topic follows, so that each topic stays one run. Only when everything
    before `at` went as planned (what was studied is what the previous plan had there),
    what the previous plan has from `at` is what is left (`needed` less `studied`), and
    none of them is of a topic skipped now; otherwise none (`[]`)."""
    before, after = Counter[str](), Counter[str]()
    for session in previous.study_sessions:
        (before if session.start_utc < at else after)[session.topic] += round(session.minutes)
    if any(studied.get(t, 0) != before[t] for t in {*studied, *before}):
        return []
    left = {t: minutes - studied.get(t, 0) for t, minutes in needed.items() if t not in skipped}
    if any(left.get(t, 0) != after[t] for t in {*left, *after} if left.get(t, 0) > 0 or after[t]):
        return []
    starts = [window.start for window in windows]
    kept = []
    for session in sorted(previous.upcoming, key=lambda s: s.start_utc):
        if session.start_utc < at:
            continue
        if (
            session.is_review
            or (until is not None and session.start_utc >= until)
            or not inside_some_window(session, windows, starts)
        ):
            break
        kept.append(session)
    if any(session.topic in skipped for session in kept):
        return []
    return _whole_runs(kept, studied, needed)


def _whole_runs(
    kept: list[StudySession], studied: Mapping[str, int], needed: Mapping[str, int]
) -> list[StudySession]:
    """`kept` up to the first run of a topic whose minutes it does not complete, unless
    that run is the last (the rest of the topic is planned right after it)."""
    total = Counter(studied)
    for index, session in enumerate(kept):
        total[session.topic] += round(session.minutes)
        ends_run = index + 1 == len(kept) or kept[index + 1].topic != session.topic
        last_run = all(later.topic == session.topic for later in kept[index:])
        if total[session.topic] > needed.get(session.topic, 0) or (
            ends_run and not last_run and total[session.topic] != needed.get(session.topic, 0)
        ):
            first = index
            while first > 0 and kept[first - 1].topic == session.topic:
                first -= 1
            return kept[:first]
    return kept


def replan_rank(previous: Plan, plan: Plan, since: datetime, keep_days: int) -> tuple[Any, ...]:
    """A re-plan's objective: each goal reached (in the profile's order), finish, then
    sessions, then the sessions changed in the next `keep_days` days, then all the
    sessions changed (smaller is better)."""
    finish = plan.finish.astimezone(UTC) if plan.finish else since
    return (
        tuple((goal.reached or since).astimezone(UTC) for goal in plan.goals),
        finish,
        len(plan.upcoming_study),
        changed_within(previous, plan, since, keep_days),
        changed_sessions(previous, plan),
    )


def same_rules(previous: Plan, profile: Profile) -> bool:
    """Whether the previous plan's sessions were made under the rules `profile` has now:
    session lengths, order and reviews (else none of them is kept as it was)."""
    before = previous.profile
    rules = ("session", "order", "max_shift", "review")
    return before is not None and all(getattr(before, r) == getattr(profile, r) for r in rules)
