"""What a re-plan may keep of the previous plan exactly as it was: the sessions ahead, up
to the first one that no longer fits (new busy time, a window the week lost, a review)
or a given moment. A re-plan weighs the plans that keep them against planning the rest
afresh (`replan._plan_the_rest`)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Set
from datetime import datetime

from planner.models.plan import Plan, StudySession
from planner.timeline.windows import StudyWindow, inside_some_window


def kept_ahead(
    previous: Plan,
    studied: Mapping[str, int],
    skipped: Set[str],
    at: datetime,
    windows: list[StudyWindow],
    until: datetime | None = None,
) -> list[StudySession]:
    """The previous plan's sessions from `at` that stay as they are: up to the first one
    outside `windows` (the time the plan may use now), the first review (reviews are
    placed anew around what is studied), or the first starting at `until`. Only when
    everything before `at` went as planned (what was studied is what the previous plan
    had there) and none of them is of a topic skipped now; otherwise none (`[]`)."""
    planned_before = Counter[str]()
    for session in previous.study_sessions:
        if session.start_utc < at:
            planned_before[session.topic] += round(session.minutes)
    if any(studied.get(t, 0) != planned_before[t] for t in {*studied, *planned_before}):
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
    return [] if any(session.topic in skipped for session in kept) else kept
