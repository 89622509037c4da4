"""The profile's `review` key: spaced reviews of what was studied."""

from __future__ import annotations

import itertools
from typing import Annotated

from pydantic import BeforeValidator, Field, field_validator

from planner.models.fields import FrozenModel


class ReviewRules(FrozenModel):
    """Spaced review: every planned topic of at least `min_topic_hours` is reviewed once
    `after_days` days after its last session ends (for each entry), for `minutes`, on
    the due day or up to `slack_days` later."""

    after_days: tuple[Annotated[int, Field(ge=1, le=3650, strict=True)], ...] = Field(
        default=(1, 7, 30),
        description="One review per entry, due this many days after the topic ends.",
    )
    minutes: int = Field(
        default=20, ge=5, le=24 * 60, strict=True, description="How long a review is."
    )
    min_topic_hours: Annotated[float, Field(ge=0, le=10_000, strict=True)] = Field(
        default=2, description="Topics shorter than this get no reviews."
    )
    slack_days: int = Field(
        default=3,
        ge=0,
        le=365,
        strict=True,
        description="A review may come this many days after it is due.",
    )

    @field_validator("after_days")
    @classmethod
    def _increasing(cls, after_days: tuple[int, ...]) -> tuple[int, ...]:
        if not after_days:
            raise ValueError("after_days needs at least one entry, e.g. [1, 7, 30]")
        if any(later <= earlier for earlier, later in itertools.pairwise(after_days)):
            raise ValueError(f"after_days must increase: {list(after_days)}")
        return after_days


def _review_switch(value: object) -> object:
    # `review: true` means the defaults; `review: false` the same as leaving it out.
    if value is True:
        return {}
    return None if value is False else value


# The profile's `review` key: rules, `true` (the defaults) or `false`/absent (None).
ReviewSwitch = Annotated[
    ReviewRules | None,
    BeforeValidator(_review_switch, json_schema_input_type=ReviewRules | bool | None),
]
