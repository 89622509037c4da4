"""The layout as a rule: imports run one way, and no import cycle hides anywhere.

The import graph is built with `ast` from every `import` in `planner/` and `api/`,
including imports inside functions and under TYPE_CHECKING: a cycle hidden by a lazy
import (as `planning -> deadline -> planning` once was) is still a cycle.
"""

from __future__ import annotations

import ast
from pathlib import Path

import networkx as nx
import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("planner", "api")

# The engine's layers, lowest first: a module imports only from its own layer or below.
LAYERS = (
    ("planner.arithmetic", "planner.errors", "planner.words"),
    ("planner.models",),
    ("planner.inputs",),
    ("planner.timeline",),
    ("planner.solver",),
    ("planner.planning",),
    ("planner.output",),
    ("planner.calendar_sync",),  # reads and writes the learner's own calendar
    ("planner.cli",),
)
# `planner serve` starts the service from the command learners already have.
PLANNER_MAY_IMPORT_API = {"planner.cli.service"}


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _modules() -> dict[str, Path]:
    return {
        _module_name(path): path
        for package in PACKAGES
        for path in sorted((ROOT / package).rglob("*.py"))
        if "migrations" not in path.parts  # Alembic scripts are loaded by Alembic
    }


def _imports(path: Path, known: dict[str, Path]) -> set[str]:
    """The project modules `path` imports, wherever in the file the import is."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            for alias in node.names:
                submodule = f"{node.module}.{alias.name}"
                found.add(submodule if submodule in known else node.module)
    return {name for name in found if name in known}


@pytest.fixture(scope="module")
def import_graph() -> nx.DiGraph:
    known = _modules()
    graph = nx.DiGraph()
    graph.add_nodes_from(known)
    for name, path in known.items():
        graph.add_edges_from((name, imported) for imported in _imports(path, known))
    return graph


def _layer(module: str) -> int | None:
    for index, prefixes in enumerate(LAYERS):
        if any(module == prefix or module.startswith(prefix + ".") for prefix in prefixes):
            return index
    return None


def test_the_graph_sees_the_whole_project(import_graph: nx.DiGraph) -> None:
    # A broken walk (wrong root, every import missed) would pass every other test here.
    assert import_graph.number_of_nodes() > 50
    assert import_graph.has_edge("planner.planning.deadline", "planner.planning.pipeline")
    assert import_graph.has_edge("planner.cli.service", "api.main")  # a lazy import


def test_no_import_cycle(import_graph: nx.DiGraph) -> None:
    cycles = [" -> ".join([*cycle, cycle[0]]) for cycle in nx.simple_cycles(import_graph)]
    assert cycles == []


def test_the_engine_imports_only_downwards(import_graph: nx.DiGraph) -> None:
    upwards = []
    for importer, imported in import_graph.edges:
        importer_layer, imported_layer = _layer(importer), _layer(imported)
        if importer_layer is None or imported_layer is None:
            continue
        if imported_layer > importer_layer:
            upwards.append(f"{importer} -> {imported}")
    assert upwards == []


def test_the_engine_does_not_reach_into_the_service(import_graph: nx.DiGraph) -> None:
    reaching = sorted(
        f"{importer} -> {imported}"
        for importer, imported in import_graph.edges
        if importer.startswith("planner")
        and imported.startswith("api")
        and importer not in PLANNER_MAY_IMPORT_API
    )
    assert reaching == []


def test_planning_makes_plans_and_the_layers_above_call_it(import_graph: nx.DiGraph) -> None:
    """The deadline explanation, re-planning and what-ifs call the pipeline; the
    pipeline never calls them."""
    below = nx.descendants(import_graph, "planner.planning.pipeline")
    assert {
        "planner.planning.deadline",
        "planner.planning.replan",
        "planner.planning.whatif",
    }.isdisjoint(below)


def test_no_module_is_a_place_everything_goes() -> None:
    long_modules = {
        name: lines
        for name, path in _modules().items()
        if (lines := len(path.read_text().splitlines())) > 350
    }
    assert long_modules == {}
