"""`planner topics` (find ids, titles, hours and prerequisites) and `planner check`
(validate a roadmap and its prerequisites)."""

from __future__ import annotations

from contextlib import ExitStack
from typing import TYPE_CHECKING, Annotated

import typer
from rich.markup import escape

from planner.cli.common import PrerequisitesOption, RoadmapOption, fail, or_bundled, stdout
from planner.cli.startup import lasting_imports
from planner.errors import PlannerError
from planner.inputs.loading import load_prerequisites, load_roadmap
from planner.models.roadmap import Roadmap

if TYPE_CHECKING:
    import networkx as nx


def _load(
    roadmap: RoadmapOption, prerequisites: PrerequisitesOption
) -> tuple[Roadmap, int, nx.DiGraph, list[str]]:
    """The roadmap, its number of edges in the file, the graph and its warnings."""
    with lasting_imports():
        from planner.inputs.graph import build_graph, redundant_edge_warnings

    with ExitStack() as stack:
        roadmap_path = or_bundled(roadmap, "roadmap.yaml", stack)
        prerequisites_path = or_bundled(prerequisites, "prerequisites.yaml", stack)
        loaded_roadmap = load_roadmap(roadmap_path)
        loaded_prerequisites = load_prerequisites(prerequisites_path)
        graph = build_graph(loaded_roadmap, loaded_prerequisites, prerequisites_path)
        warnings = redundant_edge_warnings(graph, prerequisites_path)
    return loaded_roadmap, len(loaded_prerequisites.edges), graph, warnings


def _needs(roadmap: Roadmap, graph: nx.DiGraph) -> dict[str, list[str]]:
    order = [topic.id for topic in roadmap.topics]
    return {topic: sorted(graph.predecessors(topic), key=order.index) for topic in graph}


def topics(
    search: Annotated[
        str | None,
        typer.Argument(metavar="SEARCH", hidden=True),
    ] = None,
    section: Annotated[
        str | None,
        typer.Option("--section", metavar="ID", help="Only this section's topics, e.g. 4."),
    ] = None,
    roadmap: RoadmapOption = None,
    prerequisites: PrerequisitesOption = None,
) -> None:
    """Find topics: ids, titles, hours and what each needs first.

    SEARCH: words of a title or an item, or an id (typos are forgiven). Use the ids
    in your profile (hours, skip, goals, pace) and with `planner done`.

    \b
    Examples:
      planner topics
      planner topics fastapi
      planner topics --section 4
    """
    with lasting_imports():
        from planner.inputs.ids import expand_id
        from planner.inputs.lookup import search as search_topics
        from planner.output.roadmap_report import topic_table

    try:
        loaded, _edges, graph, _warnings = _load(roadmap, prerequisites)
        shown = [topic.id for topic in loaded.topics]
        if section is not None:
            in_section = set(expand_id(loaded, section, "--section", "--section"))
            shown = [topic for topic in shown if topic in in_section]
        if search is not None:
            found = set(search_topics(loaded, search))
            shown = [topic for topic in shown if topic in found]
    except PlannerError as error:
        raise fail(error) from None
    if not shown:
        stdout.print(f"No topic matches {escape(search or '')!r}.", highlight=False)
        raise typer.Exit(code=1)
    stdout.print(topic_table(loaded, _needs(loaded, graph), set(shown)))


def check(roadmap: RoadmapOption = None, prerequisites: PrerequisitesOption = None) -> None:
    """Validate a roadmap and its prerequisites.

    Checks ids, hours, cycles and redundant edges, and prints every topic.

    \b
    Examples:
      planner check
      planner check --roadmap my-roadmap.yaml --prerequisites my-prerequisites.yaml
    """
    with lasting_imports():
        from planner.inputs.graph import longest_chain, study_order
        from planner.output.roadmap_report import DataCheck, check_summary

    try:
        loaded, file_edges, graph, warnings = _load(roadmap, prerequisites)
    except PlannerError as error:
        raise fail(error) from None
    hours = {topic.id: topic.hours for topic in loaded.topics}
    summary = DataCheck(
        roadmap=loaded,
        file_edges=file_edges,
        topic_edges=graph.number_of_edges(),
        longest_chain=longest_chain(graph, hours, study_order(graph, loaded)),
        warnings=warnings,
        needs=_needs(loaded, graph),
    )
    stdout.print(check_summary(summary))
