"""A re-plan's view of the learner's pace: the pace learned from every topic finished so
far (`pace.finished_topics`, with the evidence the previous plan kept), and the re-planned
plan's forecast at that pace, the topics begun and not done drawn first."""

from __future__ import annotations

from collections.abc import Sequence

from planner.inputs.plan_inputs import PlanInputs
from planner.models.plan import Plan, StudySession
from planner.planning.forecast import forecast_of
from planner.planning.pace import LearnedPace, finished_topics, learn_pace
from planner.planning.session_reports import ProgressReading


def forecast_after_replan(
    plan: Plan, inputs: PlanInputs, reading: ProgressReading, original: Plan
) -> Plan:
    """`plan` with its forecast at the pace learned so far; the topics begun and not
    done (studied, with time left, or hours so far) drawn first."""
    ahead = {session.topic for session in plan.upcoming_study}
    history = [session for session in plan.study_sessions if session.done]
    learned = learned_so_far(inputs, reading, original, history, ahead)
    # Begun and not done: the hours so far the record gives, else the history's.
    studied: dict[str, float] = {}
    for session in history:
        studied[session.topic] = studied.get(session.topic, 0.0) + session.minutes / 60
    studied |= reading.progress.hours
    said = {*reading.done_topics, *reading.skipped_topics}
    begun = {topic: h for topic, h in studied.items() if topic not in said and h > 0}
    begun = {t: h for t, h in begun.items() if t in ahead or t in reading.progress.hours}
    return plan.model_copy(update={"forecast": forecast_of(plan, inputs, learned, begun=begun)})


def learned_so_far(
    inputs: PlanInputs,
    reading: ProgressReading,
    original: Plan,
    history: Sequence[StudySession],
    ahead: set[str],
) -> LearnedPace:
    """The pace learned from every topic finished so far (pace.finished_topics): of
    the `history`, with the topics still `ahead` unfinished."""
    progress = reading.progress
    reported = {
        *reading.done_topics,
        *progress.hours,
        *(extra.topic for extra in progress.extra),
        *(session.topic for session in reading.plan.sessions if reading.record(session)),
    }
    finished = finished_topics(
        history,
        ahead,
        inputs.roadmap,
        inputs.profile,
        reported=reported,
        done=reading.done_topics,
        skipped=reading.skipped_topics,
        hours_given=progress.hours,
        earlier=original.forecast.finished if original.forecast else (),
    )
    return learn_pace(finished, inputs.roadmap)
