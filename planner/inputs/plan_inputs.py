"""What a plan is made from: the roadmap, its prerequisites, the learner's profile and
the busy calendars it names."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path

from planner.inputs.busy_calendar import BusyCalendar
from planner.models.busy import BusyTime
from planner.models.profile import Profile
from planner.models.roadmap import Prerequisites, Roadmap


@dataclass(frozen=True)
class PlanInputs:
    """What a plan is made from, with the files it came from (for error messages)."""

    roadmap: Roadmap
    prerequisites: Prerequisites
    profile: Profile
    prerequisites_path: Path | str = "prerequisites"
    profile_path: Path | str = "profile"
    busy: BusyCalendar = field(default_factory=BusyCalendar)

    def with_start(self, start: date) -> PlanInputs:
        """The same inputs, planned from `start` instead of the profile's first day."""
        return replace(self, profile=self.profile.model_copy(update={"start": start}))

    def with_profile(self, profile: Profile) -> PlanInputs:
        return replace(self, profile=profile)

    def busy_time(self, first_day: date, last_day: date) -> BusyTime:
        """The busy calendars' time from `first_day` to `last_day` (none without them)."""
        return self.busy.busy_time(self.profile.zone, first_day, last_day)
