"""What a learner reports between plans (`progress.yaml`)."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from planner.models.fields import DateRange, FrozenModel, Hours, Identifier, PlanningDay


class Progress(FrozenModel):
    """What a learner reports (`progress.yaml`, written by hand or by `planner done` and
    `planner missed`).

    Planned sessions before `as_of` that the report does not mention: with `missed`
    ranges (since the plan was made), the learner studied in all of them outside those
    ranges — resuming where they stopped, in the plan's topic sequence, or as planned
    with `missed_mode: as_planned`; otherwise, if anything is reported done (`done`,
    `hours`, `sessions`), only that counts; if nothing is, the plan was followed.
    """

    as_of: PlanningDay | None = None
    done: tuple[Identifier, ...] = ()  # topics or sections finished
    hours: dict[Identifier, Hours] = {}  # noqa: RUF012 (pydantic copies defaults)
    skipped: tuple[Identifier, ...] = ()
    missed: tuple[DateRange, ...] = ()
    # UIDs of planned sessions (study or review) done as planned (`planner done --session`,
    # `--today`).
    sessions: tuple[str, ...] = Field(
        default=(), examples=[["python-backend-4.1-2@roadmap-planner"]]
    )
    missed_mode: Literal["resume", "as_planned"] = "resume"

    @model_validator(mode="after")
    def _one_way_of_saying_it(self) -> Progress:
        if self.missed and self.hours:
            raise ValueError(
                "hours (a topic's total so far) cannot be combined with missed days, which "
                "let the planner work the totals out: use one or the other"
            )
        both = sorted(set(self.done) & set(self.hours))
        if both:
            raise ValueError(f"{both[0]} is in both done and hours: which is it?")
        return self

    @property
    def reports_studying(self) -> bool:
        """Whether anything is reported done (then unreported sessions were not, unless
        missed days are reported too)."""
        return bool(self.done or self.hours or self.sessions)
