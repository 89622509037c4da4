"""The prerequisite DAG: ids, sections, cycles, redundant edges, order, chains."""

from __future__ import annotations

import pytest

from planner.errors import CycleError, PlannerError, UnknownTopicError
from planner.inputs.graph import (
    build_graph,
    longest_chain,
    redundant_edge_warnings,
    study_order,
    without_topics,
)
from planner.models.roadmap import Edge, Prerequisites, Roadmap, Section, Topic


def make_roadmap() -> Roadmap:
    def topic(topic_id: str, hours: float) -> Topic:
        return Topic(id=topic_id, title=f"Topic {topic_id}", hours=hours)

    return Roadmap(
        id="tiny",
        title="Tiny",
        sections=(
            Section(id="1", title="A", hours=3, topics=(topic("1.1", 1), topic("1.2", 2))),
            Section(id="2", title="B", hours=7, topics=(topic("2.1", 3), topic("2.2", 4))),
        ),
    )


def edges(*pairs: tuple[str, str]) -> Prerequisites:
    return Prerequisites(
        roadmap="tiny", edges=tuple(Edge(before=b, after=a, why="because") for b, a in pairs)
    )


def test_section_ids_expand_to_all_their_topics() -> None:
    graph = build_graph(make_roadmap(), edges(("1", "2.1")), "p.yaml")
    assert sorted(graph.edges) == [("1.1", "2.1"), ("1.2", "2.1")]


def test_unknown_id_names_the_id_the_file_and_the_edge() -> None:
    with pytest.raises(UnknownTopicError) as caught:
        build_graph(make_roadmap(), edges(("1.1", "9.9")), "p.yaml")
    assert caught.value.topic_id == "9.9"
    assert str(caught.value) == (
        "p.yaml: edges[0].after: unknown topic or section id '9.9' (`planner topics` lists the ids)"
    )


def test_cycle_is_named() -> None:
    with pytest.raises(CycleError) as caught:
        build_graph(make_roadmap(), edges(("1.2", "2.1"), ("2.1", "1.2")), "p.yaml")
    assert caught.value.cycle in (["1.2", "2.1", "1.2"], ["2.1", "1.2", "2.1"])
    assert "prerequisites form a cycle: " in str(caught.value)
    assert " -> ".join(caught.value.cycle) in str(caught.value)


def test_prerequisites_for_another_roadmap_are_refused() -> None:
    other = Prerequisites(roadmap="other", edges=())
    with pytest.raises(PlannerError, match="for roadmap 'other', not 'tiny'"):
        build_graph(make_roadmap(), other, "p.yaml")


def test_redundant_edge_is_a_warning() -> None:
    graph = build_graph(
        make_roadmap(), edges(("1.1", "1.2"), ("1.2", "2.1"), ("1.1", "2.1")), "p.yaml"
    )
    assert redundant_edge_warnings(graph, "p.yaml") == [
        "p.yaml: edges[2] 1.1 -> 2.1 is implied by other edges"
    ]


def test_roadmap_order_breaks_ties() -> None:
    roadmap = make_roadmap()
    graph = build_graph(roadmap, edges(("2.2", "1.2")), "p.yaml")
    assert study_order(graph, roadmap) == ["1.1", "2.1", "2.2", "1.2"]


def test_longest_chain_counts_hours() -> None:
    roadmap = make_roadmap()
    graph = build_graph(roadmap, edges(("1.1", "2.1"), ("1.2", "2.2")), "p.yaml")
    hours = {topic.id: topic.hours for topic in roadmap.topics}
    assert longest_chain(graph, hours, study_order(graph, roadmap)) == ["1.2", "2.2"]


def test_removed_topic_keeps_the_order_it_imposed() -> None:
    graph = build_graph(make_roadmap(), edges(("1.1", "1.2"), ("1.2", "2.1")), "p.yaml")
    contracted = without_topics(graph, ["1.2"])
    assert "1.2" not in contracted
    assert contracted.has_edge("1.1", "2.1")
