"""The prerequisite graph (`planner.inputs.dag`) answers as networkx does, on random
graphs: the order with its tie-break, the implied edges, ancestors and descendants, and
a cycle that really is one."""

from __future__ import annotations

import networkx as nx
from hypothesis import given, settings
from hypothesis import strategies as st

from planner.inputs.dag import (
    Dag,
    ancestors,
    descendants,
    find_cycle,
    implied_edges,
    topological_order,
)


@st.composite
def graphs(draw: st.DrawFn, acyclic: bool = True) -> tuple[Dag, nx.DiGraph]:
    count = draw(st.integers(1, 12))
    nodes = [f"t{index}" for index in draw(st.permutations(range(count)))]
    pairs = st.tuples(st.integers(0, count - 1), st.integers(0, count - 1))
    edges = [
        (nodes[a], nodes[b])
        for a, b in draw(st.lists(pairs, max_size=30))
        if (a < b if acyclic else a != b)
    ]
    ours, reference = Dag(), nx.DiGraph()
    ours.add_nodes_from(nodes)
    reference.add_nodes_from(nodes)
    for before, after in edges:
        ours.add_edge(before, after, why="x")
        reference.add_edge(before, after)
    return ours, reference


@settings(max_examples=200, deadline=None)
@given(graphs(), st.randoms(use_true_random=False))
def test_the_dag_answers_as_networkx(pair: tuple[Dag, nx.DiGraph], random: object) -> None:
    ours, reference = pair
    rank = {node: index for index, node in enumerate(sorted(ours, reverse=True))}
    assert topological_order(ours, rank.__getitem__) == list(
        nx.lexicographical_topological_sort(reference, key=rank.__getitem__)
    )
    reduction = nx.transitive_reduction(reference)
    assert set(implied_edges(ours)) == {e for e in reference.edges if not reduction.has_edge(*e)}
    for node in ours:
        assert descendants(ours, node) == nx.descendants(reference, node)
        assert ancestors(ours, node) == nx.ancestors(reference, node)
    assert find_cycle(ours) is None
    copy = ours.copy()
    copy.remove_node(next(iter(ours)))
    assert len(copy) == len(ours) - 1 and next(iter(ours)) in ours


@settings(max_examples=200, deadline=None)
@given(graphs(acyclic=False))
def test_a_cycle_is_found_exactly_when_there_is_one(pair: tuple[Dag, nx.DiGraph]) -> None:
    ours, reference = pair
    cycle = find_cycle(ours)
    assert (cycle is None) == nx.is_directed_acyclic_graph(reference)
    if cycle is not None:
        steps = zip(cycle, [*cycle[1:], cycle[0]], strict=True)
        assert all(ours.has_edge(before, after) for before, after in steps)
