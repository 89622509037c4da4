"""A learner's own roadmap in a new plan: Markdown (as `planner import` reads it) or YAML
(as `planner plan --roadmap` reads it), with its prerequisites (YAML, or none), read
with the CLI's messages and the service's limits. The plan keeps it (`Plan.made_from`),
so its re-plans, feed and what-ifs use it; its id may not be a bundled roadmap's."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, model_validator

from planner.errors import PlannerError
from planner.inputs.graph import build_graph
from planner.inputs.loading import model_from_yaml
from planner.models.roadmap import Prerequisites, Roadmap

ROADMAP_NAME, PREREQUISITES_NAME = "own_roadmap", "own_roadmap.prerequisites"


class OwnRoadmap(BaseModel):
    """A roadmap of the learner's: `markdown` or `yaml` (one of them), and
    `prerequisites` (YAML; leave it out for none)."""

    # The schema says "one of them" too, as the validator below does.
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "oneOf": [
                {"required": [form], "properties": {form: {"type": "string"}}}
                for form in ("markdown", "yaml")
            ]
        },
    )

    markdown: str | None = Field(default=None, description="As `planner import` reads it.")
    yaml: str | None = Field(default=None, description="As data/roadmap.yaml is written.")
    prerequisites: str | None = Field(
        default=None, description="As data/prerequisites.yaml is written; none: no edges."
    )

    @model_validator(mode="after")
    def _one_form(self) -> OwnRoadmap:
        if (self.markdown is None) == (self.yaml is None):
            raise ValueError("give the roadmap as markdown or as yaml (one of them)")
        return self


def read_own_roadmap(
    own: OwnRoadmap, bundled: set[str], max_topics: int
) -> tuple[Roadmap, Prerequisites]:
    """The roadmap and its prerequisites, checked as `planner check` checks them.

    Raises:
        PlannerError: the text is not a roadmap (the line and the key), the
            prerequisites name unknown ids or form a cycle, it has more than
            `max_topics` topics, or its id is one of the `bundled` roadmaps'.
    """
    if own.markdown is not None:
        from planner.inputs.markdown_roadmap import parse_markdown_roadmap

        roadmap = parse_markdown_roadmap(own.markdown, ROADMAP_NAME)
    else:
        roadmap = model_from_yaml(own.yaml or "", ROADMAP_NAME, Roadmap)
    if len(roadmap.topics) > max_topics:
        raise PlannerError(
            f"{ROADMAP_NAME}: {len(roadmap.topics)} topics; this service plans at most {max_topics}"
        )
    if roadmap.id in bundled:
        raise PlannerError(
            f"{ROADMAP_NAME}: id {roadmap.id!r} is the bundled roadmap's: give yours "
            "another id (`id:` in YAML; the title in Markdown)"
        )
    if own.prerequisites is None:
        prerequisites = Prerequisites(roadmap=roadmap.id, edges=())
    else:
        prerequisites = model_from_yaml(own.prerequisites, PREREQUISITES_NAME, Prerequisites)
    build_graph(roadmap, prerequisites, PREREQUISITES_NAME)  # unknown ids, cycles
    return roadmap, prerequisites
