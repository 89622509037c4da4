"""What a plan is made from: the roadmap, its prerequisites, the learner's profile and
the busy calendars it names."""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from functools import cached_property
from pathlib import Path

from planner.inputs.busy_calendar import BusyCalendar
from planner.models.busy import BusyTime
from planner.models.pace import ALL_TOPICS, LEARNED
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
    roadmap_path: Path | str = "roadmap"
    # With `pace: learned`: the learned factors, per section id and "all" (a re-plan
    # sets them from the learner's progress, pace.LearnedPace.as_profile_pace).
    learned_pace: Mapping[str, float] | None = None

    def pace_for(self, topic_id: str, section_id: str) -> float:
        """The factor on a topic's estimate: the profile's, or with `pace: learned` the
        learned one (its section's, else "all"; none learned yet: 1.0)."""
        if self.profile.pace != LEARNED:
            return self.profile.pace_for(topic_id, section_id)
        learned = self.learned_pace or {}
        return learned.get(section_id, learned.get(ALL_TOPICS, 1.0))

    # Time the learner's own calendar holds (UTC): the sessions they moved there, and the
    # ones they deleted (that time stays free). Busy time for the planner.
    held: tuple[tuple[datetime, datetime], ...] = ()

    def with_start(self, start: date) -> PlanInputs:
        """The same inputs, planned from `start` instead of the profile's first day."""
        return replace(self, profile=self.profile.model_copy(update={"start": start}))

    def with_profile(self, profile: Profile) -> PlanInputs:
        return replace(self, profile=profile)

    def busy_time(self, first_day: date, last_day: date) -> BusyTime:
        """The busy calendars' time from `first_day` to `last_day` (none without them)."""
        busy = self.busy.busy_time(self.profile.zone, first_day, last_day)
        if not self.held:
            return busy
        return BusyTime.merged([*busy.intervals, *self.held], busy.days)

    @cached_property
    def roadmap_digest(self) -> str:
        """SHA-256 of the roadmap and its prerequisites as the planner read them (not
        of the files' bytes: comments and formatting do not change a plan)."""
        content = self.roadmap.model_dump_json() + "\n" + self.prerequisites.model_dump_json()
        return "sha256:" + hashlib.sha256(content.encode()).hexdigest()

    def derived_plan_id(self, start: date) -> str:
        """A plan identity from what the plan is made of (roadmap, prerequisites,
        profile, first day): the same inputs give the same id, so the same bytes; other
        inputs give another id, so their events never share a UID."""
        # Keys sorted: the same profile written in another key order is the same plan.
        # Keys added since plans had ids are left out while at their defaults (no busy
        # calendars, no reviews, ...): the profile reads as it did before they existed,
        # and keeps its id.
        defaults = Profile.model_fields
        unset = {key for key in ADDED_LATER if getattr(self.profile, key) == defaults[key].default}
        fields = self.profile.model_dump(mode="json", by_alias=True, exclude=unset)
        profile = json.dumps(fields, sort_keys=True)
        content = f"{self.roadmap_digest}\n{profile}\n{start.isoformat()}"
        digest = hashlib.sha256(content.encode()).digest()
        return base64.b32encode(digest).decode().lower()[:PLAN_ID_LENGTH]


# Profile keys added after plan ids were introduced.
ADDED_LATER = ("busy", "review", "replan", "holidays", "calendar")
# 10 base-32 characters: 50 bits, no collision between the plans one calendar will see.
PLAN_ID_LENGTH = 10
