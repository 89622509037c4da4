"""What a re-plan may keep of the previous plan exactly as it was: the sessions ahead, up
to the first one that no longer fits (new busy time, a window the week lost, a review)
or a given moment; what is left to plan after them (`kept_candidates`); and how a re-plan
ranks the plans it weighs (`replan_rank`) against planning the rest afresh
(`replan._plan_the_rest`)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Set
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import networkx as nx

from planner.arithmetic import ceil_div
from planner.inputs.plan_inputs import PlanInputs
from planner.models.plan import Plan, RoundedTopic, StudySession
from planner.models.profile import Profile
from planner.planning.goals import Goal
from planner.planning.history import in_progress
from planner.planning.horizon import planning_windows
from planner.planning.replan_changes import changed_sessions, changed_within
from planner.planning.requirements import PlanRequirements, requirements_for
from planner.planning.session_reports import ProgressReading
from planner.timeline.clock import day_of
from planner.timeline.windows import StudyWindow, inside_some_window, minutes_by_window_day


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
    """A re-plan's objective: the day each goal is reached (in the profile's order), the
    day it finishes, then whether it changes anything, then sessions, then the sessions
    changed in the next `keep_days` days, then all the sessions changed (smaller is
    better).

    Days, not minutes, in the learner's zone: finishing half an hour earlier on the same
    evening is worth neither a session more nor a week that moves (the finish a learner
    sees is a date); each candidate's solve uses the fewest sessions its finish day
    allows (`solver/same_day.py`). A plan that changes nothing (the learner followed it)
    stays as it is unless another finishes on an earlier day: sessions a re-plan could
    save on the same day were the first plan's to find, and a learner who did what the
    plan said is not handed a new plan for it."""
    zone = ZoneInfo(plan.timezone)
    changed = changed_sessions(previous, plan)
    return (
        tuple(day_of(goal.reached or since, zone) for goal in plan.goals),
        day_of(plan.finish or since, zone),
        changed > 0,
        len(plan.upcoming_study),
        changed_within(previous, plan, since, keep_days),
        changed,
    )


def same_rules(previous: Plan, profile: Profile) -> bool:
    """Whether the previous plan's sessions were made under the rules `profile` has now:
    session lengths, order and reviews (else none of them is kept as it was)."""
    before = previous.profile
    rules = ("session", "order", "max_shift", "review")
    return before is not None and all(getattr(before, r) == getattr(profile, r) for r in rules)


@dataclass(frozen=True)
class Left:
    """What a re-plan starts from: the history, the minutes studied per topic, what is
    still to plan, and what the record implies that deserves a warning."""

    history: list[StudySession]
    studied: Counter[str]
    requirements: PlanRequirements
    full_minutes: dict[str, int]
    rounded: tuple[RoundedTopic, ...]
    goals: tuple[Goal, ...]
    warnings: list[str]
    pinned: list[StudySession] = field(default_factory=list)  # where the learner put them


def kept_candidates(
    inputs: PlanInputs,
    reading: ProgressReading,
    graph: nx.DiGraph,
    left: Left,
    not_before: datetime,
    untils: tuple[datetime | None, ...],
) -> list[tuple[list[StudySession], PlanRequirements, datetime]]:
    """For each of `untils` (None: no end) that keeps any: the previous plan's sessions
    from `not_before` that may stay as they are, before it; what is left to plan after
    them; and the moment from which. The windows they must fit are read once."""
    skipped = set(reading.skipped_topics)
    zone = reading.zone
    ahead = [s for s in reading.plan.upcoming if s.start_utc >= not_before]
    if not ahead or not same_rules(reading.plan, inputs.profile):
        return []
    last_day = max(s.end_utc for s in ahead).astimezone(zone).date()
    windows = planning_windows(
        inputs,
        day_of(not_before, zone),
        last_day,
        minutes_by_window_day(left.history, inputs.profile),
        not_before,
        reading.plan.start,
    )
    found = []
    for until in untils:
        kept = kept_ahead(
            reading.plan, left.studied, left.full_minutes, skipped, not_before, windows, until
        )
        to_plan = _plan_after_kept(inputs, graph, left, skipped, kept) if kept else None
        if to_plan is not None:
            found.append((kept, to_plan, max(session.end_utc for session in kept)))
    return found


def _plan_after_kept(
    inputs: PlanInputs,
    graph: nx.DiGraph,
    left: Left,
    skipped: set[str],
    kept: list[StudySession],
) -> PlanRequirements | None:
    """What is left to plan after the `kept` sessions; None when a goal would cut the
    run of the topic they end in (then keeping is not a plan to offer)."""
    planned = left.studied.copy()
    for session in kept:
        planned[session.topic] += round(session.minutes)
    slot = inputs.profile.session.slot_minutes
    minutes = minutes_left(left.full_minutes, planned, skipped, slot)
    begun = in_progress(planned, minutes, [*left.history, *kept])
    to_plan = requirements_for(inputs.roadmap, graph, minutes, left.rounded, left.goals, begun)
    last = kept[-1].topic
    if last in minutes and to_plan.order[0] != last:  # a goal comes first
        return None
    return to_plan


def minutes_left(
    full_minutes: dict[str, int], studied: Counter[str], skipped: set[str], slot: int
) -> dict[str, int]:
    """Minutes still to plan per topic, in whole slots."""
    return {
        topic: ceil_div(minutes - studied[topic], slot) * slot
        for topic, minutes in full_minutes.items()
        if topic not in skipped and minutes > studied[topic]
    }
