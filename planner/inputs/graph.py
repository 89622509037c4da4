"""The prerequisite DAG (networkx): unknown ids, cycles, redundant edges, the study order
and the longest chain. Nodes are topic ids; an edge u -> v means v needs u finished.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import networkx as nx

from planner.errors import CycleError, PlannerError
from planner.inputs.ids import expand_id
from planner.models.roadmap import Prerequisites, Roadmap


def build_graph(roadmap: Roadmap, prerequisites: Prerequisites, path: Path | str) -> nx.DiGraph:
    """Every topic of `roadmap` as a node, every prerequisite as an edge (section ids
    expanded to all their topics). Edges carry `why` and `source` (the file's edge index).

    Raises:
        PlannerError: the prerequisites are for another roadmap.
        UnknownTopicError: an edge names an id the roadmap does not have.
        CycleError: the edges form a cycle.
    """
    if prerequisites.roadmap != roadmap.id:
        raise PlannerError(
            f"{path}: these prerequisites are for roadmap {prerequisites.roadmap!r}, "
            f"not {roadmap.id!r}"
        )
    graph = nx.DiGraph()
    graph.add_nodes_from(topic.id for topic in roadmap.topics)
    for index, edge in enumerate(prerequisites.edges):
        befores = expand_id(roadmap, edge.before, path, f"edges[{index}].before")
        afters = expand_id(roadmap, edge.after, path, f"edges[{index}].after")
        for before in befores:
            for after in afters:
                graph.add_edge(before, after, why=edge.why, source=index)
    _reject_cycles(graph, path)
    return graph


def _reject_cycles(graph: nx.DiGraph, path: Path | str) -> None:
    try:
        cycle_edges = nx.find_cycle(graph)
    except nx.NetworkXNoCycle:
        return
    cycle = [str(before) for before, _after in cycle_edges]
    raise CycleError([*cycle, cycle[0]], path)


def redundant_edges(graph: nx.DiGraph) -> list[tuple[str, str]]:
    """Edges implied by other paths (not in the transitive reduction), sorted by source."""
    reduction = nx.transitive_reduction(graph)
    extra = [edge for edge in graph.edges if not reduction.has_edge(*edge)]
    return sorted(extra, key=lambda edge: (graph.edges[edge]["source"], edge))


def redundant_edge_warnings(graph: nx.DiGraph, path: Path | str) -> list[str]:
    """One warning per edge that other edges already imply (harmless, but noise)."""
    return [
        f"{path}: edges[{graph.edges[before, after]['source']}] {before} -> {after} "
        "is implied by other edges"
        for before, after in redundant_edges(graph)
    ]


def study_order(
    graph: nx.DiGraph, roadmap: Roadmap, preferred: dict[str, int] | None = None
) -> list[str]:
    """A topological order in which the `preferred` rank (default: the roadmap's own
    order) breaks every tie: as close to that order as the prerequisites allow."""
    rank = preferred or {topic.id: index for index, topic in enumerate(roadmap.topics)}
    return list(nx.lexicographical_topological_sort(graph, key=rank.__getitem__))


def longest_chain(graph: nx.DiGraph, hours: dict[str, float], order: list[str]) -> list[str]:
    """The prerequisite chain with the most hours (ties: the first in `order`)."""
    position = {topic: index for index, topic in enumerate(order)}
    best_hours: dict[str, float] = {}
    best_predecessor: dict[str, str | None] = {}
    for topic in order:
        predecessor = max(
            graph.predecessors(topic), key=lambda p: (best_hours[p], -position[p]), default=None
        )
        best_predecessor[topic] = predecessor
        best_hours[topic] = hours[topic] + (best_hours[predecessor] if predecessor else 0.0)
    if not order:
        return []
    last: str | None = max(order, key=lambda topic: (best_hours[topic], -position[topic]))
    chain: list[str] = []
    while last is not None:
        chain.append(last)
        last = best_predecessor[last]
    return chain[::-1]


def without_topics(graph: nx.DiGraph, removed: Iterable[str]) -> nx.DiGraph:
    """`graph` without `removed` topics, keeping the order they imposed: each removed
    topic's predecessors become predecessors of its successors. Used for topics that take
    no time (0-hour milestones, skipped topics), so the gate they formed still holds.
    """
    contracted = graph.copy()
    for topic in removed:
        for predecessor in contracted.predecessors(topic):
            for successor in contracted.successors(topic):
                contracted.add_edge(predecessor, successor)
        contracted.remove_node(topic)
    return contracted
