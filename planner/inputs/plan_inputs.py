"""What a plan is made from: the roadmap, its prerequisites and the learner's profile."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

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

    def with_start(self, start: date) -> PlanInputs:
        """The same inputs, planned from `start` instead of the profile's first day."""
        return replace(self, profile=self.profile.model_copy(update={"start": start}))

    def with_profile(self, profile: Profile) -> PlanInputs:
        return replace(self, profile=profile)
