"""What a re-plan warns about: inputs that are allowed but often a mistake, what the
record left unsaid, and goals and deadlines that no longer hold. The learner still gets
a plan; these say what to look at."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from planner.inputs.plan_inputs import PlanInputs
from planner.models.plan import Plan
from planner.models.profile import Profile
from planner.models.progress import Progress
from planner.planning.pipeline import days_past_deadline
from planner.planning.session_reports import ProgressReading
from planner.timeline.clock import day_of
from planner.timeline.windows import study_windows
from planner.words import plural


def followed_unsaid(reading: ProgressReading, at: datetime, profile: Profile) -> list[str]:
    """Sessions before the re-plan that the record says nothing of count as studied as
    planned, which the learner should know where it may be a mistake: beside records of
    sessions one by one, and where the study the record then adds up to is more than the
    weekly windows held (topics reported done ahead of the plan, on top of every session
    before them). A record of topics and missed days alone otherwise says "I followed
    the plan"."""
    unsaid = reading.unreported_before(at)
    if not unsaid:
        return []
    named = ", ".join(
        f"{session.start.astimezone(reading.zone):%a %Y-%m-%d} {session.topic}"
        for session in unsaid[:3]
    )
    more = ", …" if len(unsaid) > 3 else ""
    counted = f"{plural(len(unsaid), 'session')} before the re-plan not reported ({named}{more})"
    if reading.progress.sessions:
        return [
            f"{counted}: counted as studied as planned; report them missed, or done for "
            "fewer minutes, to correct it"
        ]
    said, held = _study_said(reading, at), _window_minutes(reading, at, profile)
    if said <= held:
        return []
    return [
        f"{counted}: counted as studied as planned; with the topics reported that adds up to "
        f"{said / 60:g} h of study, more than the {held / 60:g} h your windows held since "
        f"{_first_day(reading.plan):%a %Y-%m-%d}: report those you did not study missed"
    ]


def _study_said(reading: ProgressReading, at: datetime) -> float:
    """Minutes of the plan's study before `at` as the record reads (reviews and study
    outside the plan aside): a topic done, its hours (as given, else as planned); a
    topic's hours so far; the other sessions before `at` as reported or as planned."""
    hours = reading.progress.hours
    minutes = sum(hours.values()) * 60
    for session in reading.plan.sessions:
        if session.is_review or session.topic in hours:
            continue
        if session.topic in reading.done_topics:
            minutes += session.minutes
        elif session.start_utc < at and reading.report(session) in (None, "done", "partly"):
            end = reading.reported_end(session) if not session.done else session.end_utc
            minutes += (end - session.start_utc).total_seconds() / 60
    return minutes


def _first_day(plan: Plan) -> date:
    return min([plan.start, *(session.start.date() for session in plan.sessions)])


def _window_minutes(reading: ProgressReading, at: datetime, profile: Profile) -> float:
    """Minutes the profile's weekly windows held from the plan's first day until `at`."""
    windows = study_windows(profile, _first_day(reading.plan), day_of(at, reading.zone))
    return sum(
        (min(window.end, at) - window.start).total_seconds() / 60
        for window in windows
        if window.start < at
    )


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
