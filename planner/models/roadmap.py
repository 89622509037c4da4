"""The roadmap (sections of topics with hours) and its prerequisite edges."""

from __future__ import annotations

import math
from functools import cached_property

from pydantic import Field, model_validator

from planner.models.fields import FrozenModel, Hours, Identifier


class Link(FrozenModel):
    title: str
    url: str


class Topic(FrozenModel):
    id: Identifier
    title: str = Field(min_length=1)
    hours: Hours
    items: tuple[str, ...] = ()
    links: tuple[Link, ...] = ()
    note: str | None = None


class Section(FrozenModel):
    id: Identifier
    title: str = Field(min_length=1)
    hours: Hours
    topics: tuple[Topic, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _hours_add_up(self) -> Section:
        # Catches transcription slips: the section total is stated separately in sources.
        topic_hours = sum(topic.hours for topic in self.topics)
        if not math.isclose(topic_hours, self.hours, abs_tol=1e-9):
            raise ValueError(
                f"section {self.id} states {self.hours:g} h but its topics add up to "
                f"{topic_hours:g} h"
            )
        return self


class Roadmap(FrozenModel):
    id: Identifier
    title: str = Field(min_length=1)
    sections: tuple[Section, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _ids_are_unique(self) -> Roadmap:
        seen: set[str] = set()
        for section in self.sections:
            for item_id in (section.id, *(topic.id for topic in section.topics)):
                if item_id in seen:
                    raise ValueError(f"id {item_id!r} is used twice")
                seen.add(item_id)
        return self

    @cached_property
    def topics(self) -> tuple[Topic, ...]:
        """All topics in the roadmap's own order."""
        return tuple(topic for section in self.sections for topic in section.topics)

    @cached_property
    def topic_by_id(self) -> dict[str, Topic]:
        return {topic.id: topic for topic in self.topics}

    @cached_property
    def section_of(self) -> dict[str, Section]:
        """Topic id -> the section that holds it."""
        return {topic.id: section for section in self.sections for topic in section.topics}

    @property
    def total_hours(self) -> float:
        return sum(topic.hours for topic in self.topics)


class Edge(FrozenModel):
    before: Identifier
    after: Identifier
    why: str = Field(min_length=1)


class Prerequisites(FrozenModel):
    roadmap: Identifier
    edges: tuple[Edge, ...] = ()
