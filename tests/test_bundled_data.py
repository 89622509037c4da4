"""The bundled data: the roadmap as the source states it, a real prerequisite DAG, and an
example profile — loaded the way an installed package finds them."""

from __future__ import annotations

import re

import networkx as nx
import pytest

from planner.inputs.graph import build_graph, redundant_edges
from planner.inputs.loading import bundled_file, load_prerequisites, load_profile, load_roadmap
from planner.models.roadmap import Prerequisites, Roadmap


@pytest.fixture(scope="module")
def roadmap() -> Roadmap:
    with bundled_file("roadmap.yaml") as path:
        return load_roadmap(path)


@pytest.fixture(scope="module")
def prerequisites() -> Prerequisites:
    with bundled_file("prerequisites.yaml") as path:
        return load_prerequisites(path)


def test_roadmap_has_the_sources_sections_topics_and_hours(roadmap: Roadmap) -> None:
    assert len(roadmap.sections) == 16
    assert len(roadmap.topics) == 52
    assert roadmap.total_hours == 234
    assert [section.id for section in roadmap.sections] == [str(n) for n in range(1, 17)]
    assert roadmap.topics[0].id == "1.1" and roadmap.topics[-1].id == "16.4"
    for section in roadmap.sections:
        assert all(re.fullmatch(rf"{section.id}\.\d+", topic.id) for topic in section.topics)


def test_django_has_no_estimate_and_says_why(roadmap: Roadmap) -> None:
    django = roadmap.topic_by_id["5.1"]
    assert django.hours == 0
    assert django.note and "hours" in django.note


def test_items_and_links_are_transcribed(roadmap: Roadmap) -> None:
    tooling = roadmap.topic_by_id["1.2"]
    assert "Dependency management with Poetry" in tooling.items
    assert tooling.links[0].url.endswith("/Tools/poetry.md")
    # A title with links keeps its text and gives its links (10.2 in the source).
    n_plus_one = roadmap.topic_by_id["10.2"]
    assert n_plus_one.title == "N+1 Problem & Query Optimization"
    assert [link.title for link in n_plus_one.links] == ["N+1 Problem", "Query Optimization"]


def test_prerequisites_are_a_reduced_dag_with_reasons(
    roadmap: Roadmap, prerequisites: Prerequisites
) -> None:
    graph = build_graph(roadmap, prerequisites, "prerequisites.yaml")
    assert 50 <= len(prerequisites.edges) <= 70
    assert nx.is_directed_acyclic_graph(graph)
    assert redundant_edges(graph) == []
    assert all(len(edge.why) > 20 for edge in prerequisites.edges)


def test_prerequisites_are_more_than_section_order(
    roadmap: Roadmap, prerequisites: Prerequisites
) -> None:
    edges = {(edge.before, edge.after) for edge in prerequisites.edges}
    # The examples a teacher would give, including one against the section order.
    assert ("5.2", "6.2") in edges  # Django ORM before DRF
    assert ("6.3", "5.3") in edges  # FastAPI before SQLModel
    assert ("8.1", "9.2") in edges  # testing before CI
    assert ("4.2", "10.1") in edges  # SQL before the advanced database topics
    section_of = {topic.id: section.id for section in roadmap.sections for topic in section.topics}
    assert any(int(section_of[after]) - int(section_of[before]) > 1 for before, after in edges), (
        "some prerequisites should skip sections"
    )


def test_example_profile_is_a_believable_learner() -> None:
    with bundled_file("profiles/example.yaml") as path:
        profile = load_profile(path)
    weekly_hours = sum(
        (window.end.hour * 60 + window.end.minute - window.start.hour * 60 - window.start.minute)
        / 60
        for windows in profile.weekly.values()
        for window in windows
    )
    assert weekly_hours == 8
    assert profile.blackouts and profile.start is not None
