"""The profile's `pace`: one factor on every estimate (`pace: 1.25`), a factor per topic
or section with "all" for the rest (`pace: {"4": 1.5, all: 1.25}`), or `pace: learned`:
the pace learned from the learner's progress (planning/pace.py)."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BeforeValidator, Discriminator, Field, Tag

from planner.models.blackouts import FACTOR_PER_ID, ONE_FACTOR
from planner.models.fields import Identifier

PaceFactor = Annotated[float, Field(ge=0.1, le=10, strict=True)]
ALL_TOPICS = "all"  # the key of the global factor when `pace` is a mapping
LEARNED = "learned"
LEARNED_TAG = "learned pace"  # its member of the union (left out of error locations)


def _only_learned(value: object) -> object:
    if value != LEARNED:
        raise ValueError(
            f'{value!r} is no pace: write a factor (1.25), a factor per id ({{"4": 1.5, '
            "all: 1.25}), or learned (your own pace, from your progress)"
        )
    return value


def _kind(value: object) -> str:
    if isinstance(value, dict):
        return FACTOR_PER_ID
    return LEARNED_TAG if isinstance(value, str) else ONE_FACTOR


Pace = Annotated[
    Annotated[PaceFactor, Tag(ONE_FACTOR)]
    | Annotated[dict[Identifier, PaceFactor], Tag(FACTOR_PER_ID)]
    | Annotated[Literal["learned"], BeforeValidator(_only_learned), Tag(LEARNED_TAG)],
    Discriminator(_kind),
]
