"""What this service accepts beyond what the planner itself checks: limits that keep one
request's cost bounded. Each is a setting; each refusal names it (422)."""

from __future__ import annotations

from datetime import date, timedelta

from api.busy_change import unmasked_busy
from api.settings import Settings
from planner.errors import PlannerError
from planner.models.fields import too_many_windows
from planner.models.profile import Profile
from planner.models.progress import Progress


def check_profile(profile: Profile, settings: Settings) -> None:
    """Refuse a profile with more windows or blackouts than the service plans, and one
    with a `calendar:` (the command line's: a password in the service's environment
    is no learner's to name)."""
    if profile.calendar is not None:
        raise PlannerError(
            "profile.calendar: the service writes your plan into your own calendar once "
            "you give it the account: PUT /plans/{id}/calendar (the web app's \"Your own "
            "calendar\"); the profile's calendar key is for `planner sync`"
        )
    if (problem := too_many_windows(profile.weekly, settings.max_windows_per_week)) is not None:
        raise PlannerError(f"profile.weekly: {problem}")
    if len(profile.blackouts) > settings.max_blackouts:
        raise PlannerError(
            f"profile.blackouts: {len(profile.blackouts)} ranges; at most {settings.max_blackouts}"
        )


def changed_profile(changed: Profile, stored: Profile, settings: Settings) -> Profile:
    """The profile a re-plan changes to: its busy calendars kept (sent back under their
    masked names, as the learner sees them), removed, added (by their full address) or
    with other options.

    Raises:
        PlannerError: over the service's limits, or a busy calendar the plan has not.
    """
    check_profile(changed, settings)
    return unmasked_busy(changed, stored, settings)


def check_progress(progress: Progress, settings: Settings, today: date) -> None:
    """Refuse more missed ranges or extra study than the service keeps, and an as_of far
    in the future."""
    if len(progress.missed) > settings.max_missed_ranges:
        raise PlannerError(
            f"progress.missed: {len(progress.missed)} ranges (after merging those that touch); "
            f"this service keeps at most {settings.max_missed_ranges}: replace the progress "
            "(PUT) with fewer, longer ranges"
        )
    if len(progress.extra) > settings.max_extra_study:
        raise PlannerError(
            f"progress.extra: {len(progress.extra)} records of study outside the plan; this "
            f"service keeps at most {settings.max_extra_study}: replace the progress (PUT) "
            "with fewer, longer ones"
        )
    if progress.as_of is not None:
        check_as_of(progress.as_of, settings, today, "progress.as_of")


def check_as_of(as_of: date, settings: Settings, today: date, field: str) -> None:
    """Progress as of a day far ahead cannot be known yet: it is a typo (and would mark
    every session until then as done)."""
    latest = today + timedelta(days=settings.max_days_ahead)
    if as_of > latest:
        raise PlannerError(
            f"{field}: {as_of} is more than {settings.max_days_ahead} days after today "
            f"({today}); progress can only be reported up to {latest}"
        )
