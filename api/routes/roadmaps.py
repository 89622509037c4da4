"""/roadmaps: the catalogue of roadmaps the service plans, and one roadmap whole — its
sections, topics and prerequisite edges — for the web page's topic tree and graph.
These are public (the bundled files are), and cacheable; `POST /roadmaps/preview` reads a
learner's own roadmap before planning it."""

from __future__ import annotations

from functools import lru_cache
from typing import Annotated

import networkx as nx
from fastapi import APIRouter, HTTPException, Path, Response
from pydantic import BaseModel, Field

from api.deps import SettingsDep
from api.own_roadmap import OwnRoadmap, read_own_roadmap
from api.schemas import Problem
from api.solving import bundled_roadmaps
from planner.inputs.graph import build_graph
from planner.models.roadmap import Edge, Prerequisites, Roadmap, Section

router = APIRouter(prefix="/roadmaps", tags=["roadmaps"])
CACHE = "public, max-age=3600"


class RoadmapSummary(BaseModel):
    id: str
    title: str
    hours: float = Field(description="The roadmap's total estimate.")
    sections: int
    topics: int


class RoadmapPublic(BaseModel):
    """A roadmap with its prerequisites between topics: section-wide edges expanded to
    their topics and redundant ones left out (the transitive reduction), each with the
    reason of the edge it comes from."""

    id: str
    title: str
    hours: float
    sections: tuple[Section, ...]
    edges: list[Edge]


def summary_of(roadmap: Roadmap) -> RoadmapSummary:
    return RoadmapSummary(
        id=roadmap.id,
        title=roadmap.title,
        hours=roadmap.total_hours,
        sections=len(roadmap.sections),
        topics=len(roadmap.topics),
    )


@router.get("", response_model=list[RoadmapSummary])
def list_roadmaps(response: Response) -> list[RoadmapSummary]:
    """The roadmaps this service can plan."""
    response.headers["Cache-Control"] = CACHE
    return [summary_of(roadmap) for roadmap, _ in bundled_roadmaps().values()]


@router.post("/preview", response_model=RoadmapPublic)
def preview_roadmap(own: OwnRoadmap, settings: SettingsDep) -> RoadmapPublic:
    """A learner's own roadmap read as `POST /plans` would read it (`own_roadmap`): its
    sections, topics and edges, or the refusal with its line. Nothing is planned or
    kept."""
    bundled = set(bundled_roadmaps())
    return public_roadmap(*read_own_roadmap(own, bundled, settings.max_own_topics))


@router.get("/{roadmap_id}", response_model=RoadmapPublic, responses={404: {"model": Problem}})
def read_roadmap(
    roadmap_id: Annotated[str, Path(max_length=100)], response: Response
) -> RoadmapPublic:
    """One roadmap: sections, topics (hours, items, links) and prerequisite edges."""
    if roadmap_id not in bundled_roadmaps():
        raise HTTPException(status_code=404, detail="no such roadmap")
    response.headers["Cache-Control"] = CACHE
    return roadmap_public(roadmap_id)


@lru_cache
def roadmap_public(roadmap_id: str) -> RoadmapPublic:
    return public_roadmap(*bundled_roadmaps()[roadmap_id])


def public_roadmap(roadmap: Roadmap, prerequisites: Prerequisites) -> RoadmapPublic:
    """A roadmap whole, its edges expanded to topics and reduced (see RoadmapPublic)."""
    graph = build_graph(roadmap, prerequisites, "prerequisites.yaml")
    reduction = nx.transitive_reduction(graph)
    edges = [
        Edge(before=before, after=after, why=graph.edges[before, after]["why"])
        for before, after in sorted(reduction.edges, key=lambda edge: graph.edges[edge]["source"])
    ]
    return RoadmapPublic(
        id=roadmap.id,
        title=roadmap.title,
        hours=roadmap.total_hours,
        sections=roadmap.sections,
        edges=edges,
    )
