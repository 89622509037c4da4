"""What a learner reports between plans (`progress.yaml`)."""

from __future__ import annotations

from pydantic import model_validator

from planner.models.fields import DateRange, FrozenModel, Hours, Identifier, PlanningDay


class Progress(FrozenModel):
    """What a learner reports (`progress.yaml`). Either explicit (`done`, `hours`), or
    only `missed` ranges: then every planned session before `as_of` outside them counts
    as done, and those inside as not done."""

    as_of: PlanningDay | None = None
    done: tuple[Identifier, ...] = ()
    hours: dict[Identifier, Hours] = {}  # noqa: RUF012 (pydantic copies defaults)
    skipped: tuple[Identifier, ...] = ()
    missed: tuple[DateRange, ...] = ()

    @model_validator(mode="after")
    def _one_way_of_saying_it(self) -> Progress:
        if self.missed and (self.done or self.hours):
            raise ValueError(
                "say what happened either with done/hours or with missed ranges, not both "
                "(with done/hours, only what you list counts as done)"
            )
        both = sorted(set(self.done) & set(self.hours))
        if both:
            raise ValueError(f"{both[0]} is in both done and hours: which is it?")
        return self

    @property
    def is_explicit(self) -> bool:
        return bool(self.done or self.hours)
