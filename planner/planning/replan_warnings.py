"""What a re-plan warns about: inputs that are allowed but often a mistake, what the
record left unsaid, and goals and deadlines that no longer hold. The learner still gets
a plan; these say what to look at."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from planner.inputs.plan_inputs import PlanInputs
from planner.models.plan import Plan
from planner.models.progress import Progress
from planner.planning.pipeline import days_past_deadline
from planner.planning.session_reports import ProgressReading
from planner.words import plural


def followed_unsaid(reading: ProgressReading, at: datetime) -> list[str]:
    """A record that reports sessions one by one but not what became of some: those
    count as studied as planned, which the learner should know. (A record of topics
    and missed days only says "otherwise I followed the plan".)"""
    unsaid = reading.unreported_before(at)
    if not unsaid or not reading.progress.sessions:
        return []
    named = ", ".join(
        f"{session.start.astimezone(reading.zone):%a %Y-%m-%d} {session.topic}"
        for session in unsaid[:3]
    )
    more = ", …" if len(unsaid) > 3 else ""
    return [
        f"{plural(len(unsaid), 'session')} before the re-plan not reported ({named}{more}): "
        "counted as studied as planned; report them missed, or done for fewer minutes, to "
        "correct it"
    ]


def late_goals(plan: Plan, zone: ZoneInfo) -> list[str]:
    """A re-plan reports a deadline or a goal date it now misses: the learner still
    needs a plan."""
    warnings = []
    if (late := days_past_deadline(plan)) > 0:
        warnings.append(f"the deadline {plan.deadline} no longer holds: {plural(late, 'day')} late")
    for goal in plan.goals:
        if (late := goal.days_late(zone)) > 0:
            warnings.append(
                f"goal {goal.goal} by {goal.by} no longer holds: {plural(late, 'day')} late"
            )
    return warnings


def surprises(
    previous: Plan, inputs: PlanInputs, progress: Progress, as_of: date, today: date
) -> list[str]:
    """Warnings about inputs that are allowed but often a mistake."""
    warnings = []
    # Hours no calendar could hold: more than every hour since the plan began (a typo,
    # 600 for 6, would otherwise set a learned pace of 50x the estimates).
    elapsed = max(0, (as_of - previous.start).days + 1) * 24
    for topic, hours in sorted(progress.hours.items()):
        if hours > elapsed:
            warnings.append(
                f"hours: {topic} took {hours:g} h by {as_of}, more than the {elapsed} hours "
                f"since the plan began on {previous.start}: a typo?"
            )
    if as_of > today:
        warnings.append(f"as_of {as_of} is after today ({today}): sessions before it count as past")
    if previous.timezone != inputs.profile.timezone:
        warnings.append(
            f"the previous plan was made for {previous.timezone}; this re-plan uses "
            f"{inputs.profile.timezone} from {inputs.profile_path} (give --profile to choose)"
        )
    return warnings
