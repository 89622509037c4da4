"""The profile's `goals`: topics or sections to reach first, each maybe with the day by
which it must be reached."""

from __future__ import annotations

from typing import Annotated

from pydantic import BeforeValidator, PlainSerializer, WithJsonSchema

from planner.models.fields import FrozenModel, Identifier, PlanningDay


def _goal_from_id(value: object) -> object:
    return {"topic": value} if isinstance(value, str) else value


class ProfileGoal(FrozenModel):
    """A goal as the profile states it: a topic or section to reach first, and maybe the
    day by which it must be reached (`{topic: "6.3", by: 2027-06-30}`; a plain "6.3"
    has no date)."""

    topic: Identifier
    by: PlanningDay | None = None

    def __str__(self) -> str:
        return self.topic if self.by is None else f"{self.topic} by {self.by}"


def _goal_as_written(goal: ProfileGoal | str) -> str | dict[str, str]:
    # A str: a goal put in by `model_copy(update=...)`, which does not validate.
    if isinstance(goal, str) or goal.by is None:
        return str(goal)
    return {"topic": goal.topic, "by": str(goal.by)}


# Read as "6.3" or {topic: "6.3", by: 2027-06-30}; written back the same way.
GoalItem = Annotated[
    ProfileGoal,
    BeforeValidator(_goal_from_id),
    PlainSerializer(lambda goal: _goal_as_written(goal)),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "string", "examples": ["6.3"]},
                {
                    "type": "object",
                    "properties": {
                        "topic": {"type": "string", "minLength": 1, "pattern": r"^\S+$"},
                        "by": {"anyOf": [{"type": "string", "format": "date"}, {"type": "null"}]},
                    },
                    "required": ["topic"],
                    "additionalProperties": False,
                },
            ]
        }
    ),
]
