"""A small directed graph for the prerequisites, on the standard library (`graphlib`).

networkx did this job, but importing it loads some 280 modules (a quarter of a second
and 20 MB of every `planner plan`) for the handful of operations a prerequisite graph
needs: predecessors and successors, a cycle, ancestors and descendants, the edges other
paths imply, and a topological order with a tie-break. Nodes keep the order they were
added in (the roadmap's), so every answer is deterministic.
"""

from __future__ import annotations

import graphlib
import heapq
from collections.abc import Callable, Hashable, Iterable, Iterator
from typing import Any


class Dag:
    """Nodes (topic ids) and edges u -> v (v needs u finished), each edge with its data."""

    def __init__(self) -> None:
        self._successors: dict[str, dict[str, dict[str, Any]]] = {}
        self._predecessors: dict[str, dict[str, None]] = {}

    def add_node(self, node: str) -> None:
        if node not in self._successors:
            self._successors[node] = {}
            self._predecessors[node] = {}

    def add_nodes_from(self, nodes: Iterable[str]) -> None:
        for node in nodes:
            self.add_node(node)

    def add_edge(self, before: str, after: str, **data: Any) -> None:
        self.add_node(before)
        self.add_node(after)
        self._successors[before].setdefault(after, {}).update(data)
        self._predecessors[after][before] = None

    def add_edges_from(self, edges: Iterable[tuple[str, str]]) -> None:
        for before, after in edges:
            self.add_edge(before, after)

    def remove_node(self, node: str) -> None:
        for after in self._successors.pop(node):
            del self._predecessors[after][node]
        for before in self._predecessors.pop(node):
            del self._successors[before][node]

    def copy(self) -> Dag:
        return self.subgraph(self._successors)

    def subgraph(self, nodes: Iterable[str]) -> Dag:
        """The graph of `nodes` (in this graph's order) and the edges between them."""
        kept = set(nodes)
        graph = Dag()
        graph.add_nodes_from(node for node in self._successors if node in kept)
        for before, afters in self._successors.items():
            for after, data in afters.items():
                if before in kept and after in kept:
                    graph.add_edge(before, after, **data)
        return graph

    def __iter__(self) -> Iterator[str]:
        return iter(self._successors)

    def __contains__(self, node: object) -> bool:
        return node in self._successors

    def __len__(self) -> int:
        return len(self._successors)

    @property
    def nodes(self) -> list[str]:
        return list(self._successors)

    @property
    def edges(self) -> list[tuple[str, str]]:
        return [(before, after) for before, afters in self._successors.items() for after in afters]

    def edge_data(self, before: str, after: str) -> dict[str, Any]:
        return self._successors[before][after]

    def has_edge(self, before: str, after: str) -> bool:
        return after in self._successors.get(before, {})

    def number_of_edges(self) -> int:
        return sum(len(afters) for afters in self._successors.values())

    def predecessors(self, node: str) -> list[str]:
        return list(self._predecessors[node])

    def successors(self, node: str) -> list[str]:
        return list(self._successors[node])


def find_cycle(graph: Dag) -> list[str] | None:
    """The nodes of one cycle, in edge order, or None when the graph has none."""
    sorter = graphlib.TopologicalSorter({node: graph.predecessors(node) for node in graph})
    try:
        sorter.prepare()
    except graphlib.CycleError as error:
        # graphlib lists each node before the one that needs it, the first again at the end.
        return list(error.args[1][:-1])
    return None


def descendants(graph: Dag, node: str) -> set[str]:
    """Every node reachable from `node` (the topics that need it, directly or not)."""
    return _reachable(graph.successors, node)


def ancestors(graph: Dag, node: str) -> set[str]:
    """Every node `node` is reachable from (its prerequisites, directly or not)."""
    return _reachable(graph.predecessors, node)


def _reachable(neighbours: Callable[[str], list[str]], node: str) -> set[str]:
    seen: set[str] = set()
    stack = [node]
    while stack:
        for neighbour in neighbours(stack.pop()):
            if neighbour not in seen:
                seen.add(neighbour)
                stack.append(neighbour)
    return seen


def implied_edges(graph: Dag) -> list[tuple[str, str]]:
    """Edges u -> v that another path from u to v already implies (the edges the
    transitive reduction drops), in the graph's edge order."""
    implied = []
    for before in graph:
        if len(graph.successors(before)) < 2:  # another path needs another first step
            continue
        via_others: set[str] = set()
        for after in graph.successors(before):
            via_others |= descendants(graph, after)
        implied += [(before, after) for after in graph.successors(before) if after in via_others]
    return implied


def topological_order(graph: Dag, key: Callable[[str], Hashable]) -> list[str]:
    """Every node after its predecessors; among the nodes ready at each step, the one
    with the smallest `key` first. The graph must have no cycle."""
    waiting = {node: len(graph.predecessors(node)) for node in graph}
    ready = [(key(node), index, node) for index, node in enumerate(graph) if not waiting[node]]
    heapq.heapify(ready)
    position = {node: index for index, node in enumerate(graph)}
    order = []
    while ready:
        _key, _index, node = heapq.heappop(ready)
        order.append(node)
        for after in graph.successors(node):
            waiting[after] -= 1
            if not waiting[after]:
                heapq.heappush(ready, (key(after), position[after], after))
    return order
