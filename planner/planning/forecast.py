"""The forecast: when the learner will finish (and reach each goal) at their own pace,
as P50 and P90 of a Monte Carlo over what they have shown (planning/pace.py).

Each draw takes a pace for the learner (the learned pace, uncertain by what the
evidence leaves open: with no evidence normal, the prior's spread; with evidence
Student's t with 3 + n - 1 degrees of freedom, since the learner's spread is estimated
too) and, for every topic still ahead, that pace times the topic's own noise (the
learner's spread of ratios; a section with its own pace starts from it). The plan's
sessions still to come, in the plan's order, take that many times their minutes
(reviews as planned), one after another in the same windows the plan uses
(horizon.planning_windows and build_axis: blackouts, busy time, caps, whole slots,
sessions of at least `min_minutes`). A topic planned with a `pace` factor is taken back
to its estimate first, so the draws apply the learned pace alone. A topic begun and not
done is drawn whole (its estimate x the ratio) less the hours studied so far, first:
scaling only the minutes the plan has left of it would miss the rest for a slow
learner, and forget a topic begun past its estimate (nothing left in the plan). The
draws are seeded (Python's own generator: plan and the daily commands load no numpy):
the same plan gives the same forecast, byte for byte.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from random import Random

from planner.inputs.plan_inputs import PlanInputs
from planner.models.forecast import FanPoint, Forecast, GoalForecast
from planner.models.plan import Plan, StudySession
from planner.planning.horizon import MAX_PLAN_DAYS, planning_windows
from planner.planning.pace import NU0, LearnedPace, estimate_hours
from planner.timeline.axis import build_axis
from planner.timeline.clock import day_of
from planner.timeline.windows import minutes_by_window_day

DRAWS = 1000
SEED = 29
FAN = (10, 25, 50, 75, 90)  # the percentiles of the fan chart


def forecast_of(
    plan: Plan,
    inputs: PlanInputs,
    learned: LearnedPace,
    *,
    begun: Mapping[str, float] | None = None,
    draws: int = DRAWS,
    seed: int = SEED,
) -> Forecast:
    """The forecast of `plan` at the `learned` pace (see the module's rule). `begun`:
    the hours so far of topics not done that the plan has no time left for (the
    learner reported more hours than the estimate): each draw studies the rest of
    them, if its ratio leaves any, first."""
    zone = inputs.profile.zone
    upcoming = sorted(plan.upcoming, key=lambda s: s.start_utc)
    study = [i for i, s in enumerate(upcoming) if not s.is_review]
    # The moments the forecast speaks of: the finish (the last topic's last session)
    # and each goal not reached yet (its topics' last session).
    checkpoints: dict[str, int] = {}
    if study:
        checkpoints[FINISH] = study[-1]
        for goal in plan.goals:
            topics = _topics_of(inputs, goal.goal)
            own = [i for i in study if upcoming[i].topic in topics]
            if own:
                checkpoints[goal.goal] = own[-1]
    ends = _drawn_ends(plan, inputs, learned, upcoming, checkpoints, begun or {}, draws, seed)

    def at(name: str, p: int, planned: datetime | None) -> datetime | None:
        if name not in ends:  # nothing of it ahead: as the plan says
            return planned
        values = ends[name]
        # The draw at percentile p (numpy's "inverted_cdf"): a moment some draw gives.
        moment = values[max(math.ceil(p / 100 * len(values)) - 1, 0)]
        return datetime.fromtimestamp(moment, UTC).astimezone(zone)

    reached = {goal.goal: goal.reached for goal in plan.goals}
    return Forecast(
        pace=round(learned.pace, 3),
        topics=len(learned.finished),
        spread=round(learned.spread, 3),
        sections=tuple(s.model_copy(update={"pace": round(s.pace, 3)}) for s in learned.sections),
        finish_p50=at(FINISH, 50, plan.finish),
        finish_p90=at(FINISH, 90, plan.finish),
        goals=tuple(
            GoalForecast(goal=goal, p50=at(goal, 50, when), p90=at(goal, 90, when))
            for goal, when in reached.items()
        ),
        fan=tuple(
            FanPoint(p=p, finish=moment)
            for p in FAN
            if FINISH in ends and (moment := at(FINISH, p, None)) is not None
        ),
        draws=draws,
        finished=learned.finished,
    )


FINISH = ""  # the checkpoint of the finish (goal ids are never empty)


def _drawn_ends(
    plan: Plan,
    inputs: PlanInputs,
    learned: LearnedPace,
    upcoming: list[StudySession],
    checkpoints: dict[str, int],
    begun: Mapping[str, float],
    draws: int,
    seed: int,
) -> dict[str, list[int]]:
    """For each checkpoint (a name and the index of its session in `upcoming`), when
    that session ends in each draw (epoch seconds, sorted): the sessions' drawn minutes
    one after another on the plan's axis."""
    if not checkpoints:
        return {}
    profile, roadmap = inputs.profile, inputs.roadmap
    section_of = {t.id: s.id for s in roadmap.sections for t in s.topics}
    # A topic begun (studied, not done) is drawn whole, less what was studied: its
    # estimate x the draw's ratio, less its hours so far (the plan's minutes left of
    # it, its estimate less those hours, would scale what is left and miss the rest).
    begun_topics = list(begun)
    studied = dict.fromkeys(s.topic for s in upcoming if not s.is_review)
    topics = [topic for topic in studied if topic not in begun]
    # Each topic's log ratio: the draw's pace, the section's own offset, the topic's
    # noise, less the factor the plan already applied (a begun topic: from its estimate).
    offsets = [
        math.log(learned.pace_of_section(section_of.get(t, "")) / learned.pace)
        - (0.0 if t in begun else math.log(inputs.pace_for(t, section_of.get(t, ""))))
        for t in [*topics, *begun_topics]
    ]
    rests = [
        (len(topics) + i, 60 * estimate_hours(roadmap, profile, t), 60 * begun[t])
        for i, t in enumerate(begun_topics)
    ]
    # Up to each checkpoint: the minutes of each topic not begun, and the reviews' (not
    # drawn). The begun topics come first (a re-plan goes on with them first).
    index = {topic: position for position, topic in enumerate(topics)}
    sums: dict[str, tuple[list[tuple[int, float]], float]] = {}
    for name, last in checkpoints.items():
        minutes = [0.0] * len(topics)
        fixed = 0.0
        for session in upcoming[: last + 1]:
            if session.is_review:
                fixed += session.minutes
            elif session.topic not in begun:
                minutes[index[session.topic]] += session.minutes
        sums[name] = ([(t, m) for t, m in enumerate(minutes) if m], fixed)
    random = Random(seed)
    freedom = NU0 + max(len(learned.finished) - 1, 0)  # of the learner's spread
    slot = profile.session.slot_minutes
    drawn: dict[str, list[float]] = {name: [] for name in checkpoints}
    for _ in range(draws):
        doubt = random.gauss()
        if learned.finished:  # the spread is estimated, not known: Student's t
            doubt /= math.sqrt(random.gammavariate(freedom / 2, 2) / freedom)
        pace = math.log(learned.pace) + learned.uncertainty * doubt
        ratios = [math.exp(pace + o + learned.spread * random.gauss()) for o in offsets]
        first = sum(max(estimate * ratios[t] - so_far, 0.0) for t, estimate, so_far in rests)
        for name, (by_topic, reviews) in sums.items():
            drawn[name].append(first + reviews + sum(m * ratios[t] for t, m in by_topic))
    needed = math.ceil(max(max(values) for values in drawn.values()) / slot - 1e-9)
    ends_of_slots = slot_ends(plan, inputs, upcoming[0], needed)
    last = len(ends_of_slots) - 1
    return {
        name: sorted(
            ends_of_slots[min(max(math.ceil(v / slot - 1e-9), 1) - 1, last)] for v in values
        )
        for name, values in drawn.items()
    }


def slot_ends(plan: Plan, inputs: PlanInputs, first: StudySession, needed: int) -> list[int]:
    """The end of each slot (epoch seconds) of the plan's windows from the start of
    the session `first` on, at least `needed` of them (fewer only at the planning
    horizon): where the draws (and bench.forecast's simulated learners) place hours."""
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
    return [
        int(start.timestamp()) + (k + 1) * slot_seconds
        for start, size in zip(axis.block_starts, axis.block_slots, strict=True)
        for k in range(size)
    ]


def _topics_of(inputs: PlanInputs, item: str) -> set[str]:
    """A goal's own topics: the topic, or a section's."""
    for section in inputs.roadmap.sections:
        if section.id == item:
            return {topic.id for topic in section.topics}
    return {item}
