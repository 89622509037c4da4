"""The forecast: when the learner will finish (and reach each goal) at their own pace,
as P50 and P90 of a Monte Carlo over what they have shown (planning/pace.py).

Each draw takes a pace for the learner (the learned pace, uncertain by what the evidence
leaves open) and, for every topic still ahead, that pace times the topic's own noise
(the learner's spread of ratios; a section with its own pace starts from it). The plan's
sessions still to come, in the plan's order, take that many times their minutes
(reviews as planned), one after another in the same windows the plan uses
(horizon.planning_windows and build_axis: blackouts, busy time, caps, whole slots,
sessions of at least `min_minutes`). A topic planned with a `pace` factor is taken back
to its estimate first, so the draws apply the learned pace alone. The draws are seeded:
the same plan gives the same forecast, byte for byte.
"""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta

import numpy as np
import numpy.typing as npt

from planner.inputs.plan_inputs import PlanInputs
from planner.models.forecast import FanPoint, Forecast, GoalForecast
from planner.models.plan import Plan, StudySession
from planner.planning.horizon import MAX_PLAN_DAYS, planning_windows
from planner.planning.pace import LearnedPace
from planner.timeline.axis import build_axis
from planner.timeline.clock import day_of
from planner.timeline.windows import minutes_by_window_day

DRAWS = 1000
SEED = 29
FAN = (10, 25, 50, 75, 90)  # the percentiles of the fan chart


def forecast_of(
    plan: Plan, inputs: PlanInputs, learned: LearnedPace, *, draws: int = DRAWS, seed: int = SEED
) -> Forecast:
    """The forecast of `plan` at the `learned` pace (see the module's rule)."""
    zone = inputs.profile.zone
    upcoming = sorted(plan.upcoming, key=lambda s: s.start_utc)
    study = [i for i, s in enumerate(upcoming) if not s.is_review]
    finish: npt.NDArray[np.int64] | None = None
    goal_ends: dict[str, npt.NDArray[np.int64] | None] = {}
    if study:
        ends = _drawn_ends(plan, inputs, learned, upcoming, draws, seed)
        finish = ends[:, study[-1]]
        for goal in plan.goals:
            topics = _topics_of(inputs, goal.goal)
            own = [i for i in study if upcoming[i].topic in topics]
            goal_ends[goal.goal] = ends[:, own[-1]] if own else None

    def at(values: npt.NDArray[np.int64] | None, p: int, done: datetime | None) -> datetime | None:
        if values is None:  # nothing of it ahead: reached as the plan says
            return done
        moment = np.percentile(values, p, method="inverted_cdf")
        return datetime.fromtimestamp(int(moment), UTC).astimezone(zone)

    reached = {goal.goal: goal.reached for goal in plan.goals}
    return Forecast(
        pace=round(learned.pace, 3),
        topics=len(learned.finished),
        spread=round(learned.spread, 3),
        sections=tuple(s.model_copy(update={"pace": round(s.pace, 3)}) for s in learned.sections),
        finish_p50=at(finish, 50, plan.finish),
        finish_p90=at(finish, 90, plan.finish),
        goals=tuple(
            GoalForecast(
                goal=goal,
                p50=at(values, 50, reached[goal]),
                p90=at(values, 90, reached[goal]),
            )
            for goal, values in goal_ends.items()
        ),
        fan=tuple(
            FanPoint(p=p, finish=moment)
            for p in FAN
            if finish is not None and (moment := at(finish, p, None)) is not None
        ),
        draws=draws,
        finished=learned.finished,
    )


def _drawn_ends(
    plan: Plan,
    inputs: PlanInputs,
    learned: LearnedPace,
    upcoming: list[StudySession],
    draws: int,
    seed: int,
) -> npt.NDArray[np.int64]:
    """ends[d, i]: when session i of `upcoming` ends in draw d (epoch seconds): the
    sessions' drawn minutes one after another on the plan's axis."""
    profile, roadmap = inputs.profile, inputs.roadmap
    section_of = {t.id: s.id for s in roadmap.sections for t in s.topics}
    topics = list(dict.fromkeys(s.topic for s in upcoming if not s.is_review))
    # Each topic's log ratio: the draw's pace, the section's own offset, the topic's noise,
    # less the factor the plan already applied.
    offsets = np.array(
        [
            math.log(learned.pace_of_section(section_of.get(t, "")) / learned.pace)
            - math.log(profile.pace_for(t, section_of.get(t, "")))
            for t in topics
        ]
    )
    rng = np.random.default_rng(seed)
    pace = math.log(learned.pace) + learned.uncertainty * rng.standard_normal((draws, 1))
    noise = learned.spread * rng.standard_normal((draws, len(topics)))
    ratios = np.exp(pace + offsets + noise)
    index = {topic: position for position, topic in enumerate(topics)}
    minutes = np.array([s.minutes for s in upcoming])
    columns = np.array([index.get(s.topic, 0) for s in upcoming])
    review = np.array([s.is_review for s in upcoming])
    scaled = np.where(review, minutes, minutes * ratios[:, columns])
    slot = profile.session.slot_minutes
    slots = np.ceil(np.cumsum(scaled, axis=1) / slot - 1e-9).astype(np.int64)
    slot_ends = _slot_ends(plan, inputs, upcoming[0], int(slots.max()))
    return slot_ends[np.clip(slots, 1, len(slot_ends)) - 1]


def _slot_ends(
    plan: Plan, inputs: PlanInputs, first: StudySession, needed: int
) -> npt.NDArray[np.int64]:
    """The end of each slot (epoch seconds) of the plan's windows from `first` on, at
    least `needed` of them (fewer only at the planning horizon)."""
    profile = inputs.profile
    zone = profile.zone
    history = [s for s in plan.sessions if s.done]
    studied = minutes_by_window_day(history, profile)
    first_day = day_of(first.start_utc, zone)
    span = (plan.finish.astimezone(UTC) - first.start_utc).days if plan.finish else 0
    days = max(56, 2 * span + 28)
    while True:
        days = min(days, MAX_PLAN_DAYS)
        last_day = first_day + timedelta(days=days - 1)
        windows = planning_windows(
            inputs, first_day, last_day, studied, first.start_utc, plan.start
        )
        axis = build_axis(windows, profile.session)
        if axis.total_slots >= needed or days == MAX_PLAN_DAYS:
            break
        days *= 2
    slot_seconds = int(axis.slot.total_seconds())
    starts = np.array([int(start.timestamp()) for start in axis.block_starts], dtype=np.int64)
    sizes = np.array(axis.block_slots, dtype=np.int64)
    within = np.arange(axis.total_slots) - np.repeat(np.array(axis.block_offsets), sizes)
    ends: npt.NDArray[np.int64] = np.repeat(starts, sizes) + (within + 1) * slot_seconds
    return ends


def _topics_of(inputs: PlanInputs, item: str) -> set[str]:
    """A goal's own topics: the topic, or a section's."""
    for section in inputs.roadmap.sections:
        if section.id == item:
            return {topic.id for topic in section.topics}
    return {item}
