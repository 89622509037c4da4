"""The hard rules of a plan, as code: a check that knows nothing about the solver.

It runs after every solve (a guard against planner bugs) and is the oracle of the
property-based tests. Each rule is one function that returns what breaks it. The rules
of study sessions are here; those of reviews in `reviews.validation`.
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from collections.abc import Callable
from datetime import timedelta

from planner.models.plan import Plan, StudySession
from planner.models.profile import Profile
from planner.planning.busy import recorded_busy, sessions_hit
from planner.planning.requirements import PlanRequirements
from planner.planning.reviews.validation import REVIEW_RULES
from planner.timeline.windows import (
    StudyTally,
    inside_some_window,
    minutes_by_window_day,
    study_windows,
)

Rule = Callable[[Plan, Profile, PlanRequirements], list[str]]


def validate_plan(plan: Plan, profile: Profile, requirements: PlanRequirements) -> list[str]:
    """Every violation of a hard rule, as a sentence; an empty list means a valid plan.

    The rules apply to what is still to do, planned from `plan.planned_from`; history a
    re-plan keeps (sessions marked done) is the record of what happened. (Unique UIDs
    are a property of every Plan: the model refuses duplicates.)"""
    # A session pinned where the learner put it is exempt from the rules that place
    # sessions (planning/pins.py); it may still overlap nothing.
    placed = tuple(session for session in plan.upcoming if not session.pinned)
    upcoming = plan.model_copy(update={"sessions": placed, "start": plan.planned_from})
    ahead = plan.model_copy(update={"sessions": plan.upcoming})
    rules: list[Rule] = [
        hours_are_complete,
        sessions_respect_length_rules,
        sessions_are_inside_windows,
        prerequisites_come_first,
        sessions_avoid_busy_time,
        order_is_kept,
        topics_are_studied_in_one_run,
    ]
    violations = [found for rule in rules for found in rule(upcoming, profile, requirements)]
    violations += sessions_do_not_overlap(ahead, profile, requirements)
    # Caps count what was studied too: a week's history and its new sessions together;
    # reviews are due from their topic's end, which may be history.
    placed_all = tuple(session for session in plan.sessions if not session.pinned)
    violations += caps_are_kept(
        plan.model_copy(update={"sessions": placed_all}), profile, requirements
    )
    return violations + [
        found for rule in REVIEW_RULES for found in rule(plan, profile, requirements)
    ]


def _by_topic(plan: Plan) -> dict[str, list[StudySession]]:
    """Each topic's study sessions (not its reviews), in time order."""
    sessions: dict[str, list[StudySession]] = defaultdict(list)
    for session in sorted(plan.study_sessions, key=lambda s: s.start_utc):
        sessions[session.topic].append(session)
    return sessions


def hours_are_complete(plan: Plan, profile: Profile, requirements: PlanRequirements) -> list[str]:
    """Every planned topic gets exactly its minutes; nothing else is planned."""
    violations = []
    planned = _by_topic(plan)
    for topic in planned:
        if topic not in requirements.minutes:
            violations.append(f"{topic}: has sessions but is not to be planned")
    for topic, minutes in requirements.minutes.items():
        got = sum(session.minutes for session in planned.get(topic, []))
        if got != minutes:
            violations.append(f"{topic}: planned {got:g} min, needs {minutes} min")
    return violations


def sessions_respect_length_rules(
    plan: Plan, profile: Profile, requirements: PlanRequirements
) -> list[str]:
    """Whole slots; none longer than max_minutes; none shorter than min_minutes except a
    topic's last session (what remains of it)."""
    rules = profile.session
    violations = []
    for topic, sessions in _by_topic(plan).items():
        for position, session in enumerate(sessions):
            minutes = session.minutes
            where = f"{topic} session {session.start.isoformat()}"
            if minutes <= 0 or minutes % rules.slot_minutes:
                violations.append(f"{where}: {minutes:g} min is not whole slots")
            if minutes > rules.max_minutes:
                violations.append(f"{where}: {minutes:g} min > max_minutes {rules.max_minutes}")
            is_last = position == len(sessions) - 1
            if minutes < rules.min_minutes and not is_last:
                violations.append(f"{where}: {minutes:g} min < min_minutes {rules.min_minutes}")
    return violations


def sessions_are_inside_windows(
    plan: Plan, profile: Profile, requirements: PlanRequirements
) -> list[str]:
    """Each session lies inside one of the profile's windows, on or after the plan's
    start, and touches no blackout day."""
    if not plan.sessions:
        return []
    zone = profile.zone
    last_day = max(session.end.astimezone(zone).date() for session in plan.sessions)
    # The windows as the week gives them: how much of them a day or a week may use is
    # `caps_are_kept`'s to check (busy time can move the capped part later in a window).
    uncapped = profile.model_copy(update={"max_hours_per_day": None, "max_hours_per_week": None})
    # From the day before: its window past midnight holds the start day's first hours
    # (a re-plan from midnight keeps a session there).
    windows = study_windows(uncapped, plan.start - timedelta(days=1), last_day)
    window_starts = [window.start for window in windows]
    violations = []
    for session in plan.sessions:
        where = f"{session.topic} session {session.start.isoformat()}"
        if not inside_some_window(session, windows, window_starts):
            violations.append(f"{where}: not inside a study window")
        local_days = {
            session.start.astimezone(zone).date(),
            (session.end_utc - timedelta(microseconds=1)).astimezone(zone).date(),
        }
        for day in sorted(local_days):
            if profile.is_blackout(day):
                violations.append(f"{where}: on blackout day {day}")
            if day < plan.start:
                violations.append(f"{where}: before the plan's start {plan.start}")
    return violations


def topics_are_studied_in_one_run(
    plan: Plan, profile: Profile, requirements: PlanRequirements
) -> list[str]:
    """A topic's sessions follow each other, with no other topic's between them (reviews
    aside): a topic is studied until it is done."""
    study = sorted(plan.study_sessions, key=lambda session: session.start_utc)
    seen: set[str] = set()
    violations = []
    for before, after in itertools.pairwise(study):
        if after.topic != before.topic:
            seen.add(before.topic)
            if after.topic in seen:
                violations.append(
                    f"{after.topic} session {after.start.isoformat()}: after {before.topic}, "
                    f"though {after.topic} was studied before it"
                )
    return violations


def sessions_do_not_overlap(
    plan: Plan, profile: Profile, requirements: PlanRequirements
) -> list[str]:
    """One learner: no two sessions at the same time."""
    ordered = sorted(plan.sessions, key=lambda session: session.start_utc)
    return [
        f"{later.topic} session {later.start.isoformat()} overlaps {earlier.topic}"
        for earlier, later in itertools.pairwise(ordered)
        if later.start_utc < earlier.end_utc
    ]


def prerequisites_come_first(
    plan: Plan, profile: Profile, requirements: PlanRequirements
) -> list[str]:
    """No topic starts before every prerequisite has finished."""
    planned = _by_topic(plan)
    violations = []
    for topic, prerequisites in requirements.prerequisites.items():
        if topic not in planned:
            continue
        first_start = planned[topic][0].start_utc
        for prerequisite in prerequisites:
            if prerequisite in planned and planned[prerequisite][-1].end_utc > first_start:
                violations.append(f"{topic} starts before its prerequisite {prerequisite} ends")
    return violations


def sessions_avoid_busy_time(
    plan: Plan, profile: Profile, requirements: PlanRequirements
) -> list[str]:
    """No session overlaps the busy time the plan records (buffers included), nor
    touches a day an all-day busy event made a blackout."""
    busy = recorded_busy(plan)
    if busy is None:
        return []
    return [
        f"{session.topic} session {session.start.isoformat()}: during busy time"
        for session in sessions_hit(plan.sessions, busy, profile.zone)
    ]


def order_is_kept(plan: Plan, profile: Profile, requirements: PlanRequirements) -> list[str]:
    """The topics, in the order of their first sessions, keep the reference order
    (`requirements.order`) as the profile's `order` asks: exactly (`roadmap`), or each
    within `max_shift` places of its place in it (`balanced`); `free` asks nothing."""
    limit = {"roadmap": 0, "balanced": profile.max_shift, "free": None}[profile.order]
    if limit is None:
        return []
    planned = _by_topic(plan)
    sequence = sorted(planned, key=lambda topic: planned[topic][0].start_utc)
    place = {topic: index for index, topic in enumerate(sequence)}
    reference = [topic for topic in requirements.order if topic in place]
    violations = []
    for index, topic in enumerate(reference):
        shift = abs(place[topic] - index)
        if shift > limit:
            places = "place" if shift == 1 else "places"
            violations.append(
                f"{topic}: at place {place[topic] + 1} of the plan, {shift} {places} from "
                f"place {index + 1} in the roadmap order; order {profile.order} allows {limit}"
            )
    return violations


def caps_are_kept(plan: Plan, profile: Profile, requirements: PlanRequirements) -> list[str]:
    """No more study than the profile's hours a day and a week (Monday to Sunday),
    counting each session on the day its window belongs to."""
    if not plan.sessions or (profile.max_hours_per_day, profile.max_hours_per_week) == (None, None):
        return []
    studied = StudyTally(minutes_by_window_day(plan.sessions, profile))
    by_day = {day: minutes / 60 for day, minutes in studied.by_day.items()}
    by_week = {week: minutes / 60 for week, minutes in studied.by_week.items()}
    violations = []
    if profile.max_hours_per_day is not None:
        violations += [f"{day}: {hours:g} h > max_hours_per_day {profile.max_hours_per_day:g}"
                       for day, hours in sorted(by_day.items())
                       if hours > profile.max_hours_per_day + 1e-9]  # fmt: skip
    if profile.max_hours_per_week is not None:
        violations += [f"week of {week}: {hours:g} h > max_hours_per_week "
                       f"{profile.max_hours_per_week:g}"
                       for week, hours in sorted(by_week.items())
                       if hours > profile.max_hours_per_week + 1e-9]  # fmt: skip
    return violations
