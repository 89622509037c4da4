"""What a learner's own pace says about their dates: the topics finished so far (actual
hours against the estimate), the pace learned from them, and the forecast finish and
goals at P50 and P90 (planning/pace.py learns the pace, planning/forecast.py draws)."""

from __future__ import annotations

from pydantic import AwareDatetime, Field

from planner.models.fields import FrozenModel


class FinishedTopic(FrozenModel):
    """A topic finished: the hours its estimate said (the roadmap's, or the profile's
    override, before any `pace`) and the `hours` it really took."""

    topic: str
    estimate_hours: float = Field(gt=0)
    hours: float = Field(gt=0)

    @property
    def ratio(self) -> float:
        return self.hours / self.estimate_hours


class SectionPace(FrozenModel):
    """A section's own pace, once `topics` of its topics are finished (at least
    pace.MIN_SECTION_TOPICS)."""

    section: str
    pace: float
    topics: int


class GoalForecast(FrozenModel):
    goal: str
    p50: AwareDatetime | None
    p90: AwareDatetime | None


class FanPoint(FrozenModel):
    """The finish at percentile `p` of the draws (the web's fan chart)."""

    p: int
    finish: AwareDatetime


class Forecast(FrozenModel):
    """The learned `pace` (x the estimates, from `topics` finished topics, `spread` the
    standard deviation of their log ratios as used) and the finish and goals at P50 and
    P90 over `draws` Monte Carlo draws (seeded: the same plan gives the same bytes)."""

    pace: float
    topics: int
    spread: float
    sections: tuple[SectionPace, ...] = ()
    finish_p50: AwareDatetime | None
    finish_p90: AwareDatetime | None
    goals: tuple[GoalForecast, ...]
    fan: tuple[FanPoint, ...] = ()
    draws: int
    finished: tuple[FinishedTopic, ...] = ()  # the evidence, kept for the next re-plan
