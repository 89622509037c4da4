"""What `planner import` writes and prints: the roadmap as YAML in data/roadmap.yaml's
layout under a header that names its source, an empty prerequisites file that says how
to add edges, and a one-screen summary."""

from __future__ import annotations

from typing import Any

import yaml
from rich.console import Group
from rich.table import Table
from rich.text import Text

from planner.models.roadmap import Roadmap, Topic
from planner.words import plural

SHOWN_SECTIONS = 20  # the summary stays on one screen


def roadmap_yaml(roadmap: Roadmap, source: str) -> str:
    """The roadmap as YAML a person edits: a header naming `source`, then id, title and
    the sections, each topic as id, title, hours, note (when there is one), items, links."""
    header = (
        f"# {_one_line(roadmap.title)}, imported from {_one_line(source)} by `planner import`.\n"
        "# Ids, titles, hours, bullet items and links are the source's: edit them here, or in\n"
        "# the Markdown and import it again (--force replaces this file). Section hours are\n"
        "# as the source states them and must equal the sum of their topics "
        f"({roadmap.total_hours:g} h in all).\n"
    )
    document = {
        "id": roadmap.id,
        "title": roadmap.title,
        "sections": [
            {
                "id": section.id,
                "title": section.title,
                "hours": _number(section.hours),
                "topics": [_topic(topic) for topic in section.topics],
            }
            for section in roadmap.sections
        ],
    }
    # As data/roadmap.yaml was written: unsorted keys, text as it is, 100 columns.
    body = yaml.safe_dump(document, sort_keys=False, allow_unicode=True, width=100)
    return header + body


def empty_prerequisites_yaml(roadmap: Roadmap, roadmap_path: str) -> str:
    """A prerequisites file for `roadmap` with no edges yet, and comments on adding them."""
    first, second = ([topic.id for topic in roadmap.topics] + ["1.1", "1.2"])[:2]
    example = f'{{before: "{first}", after: "{second}", why: "..."}}'
    body = yaml.safe_dump({"roadmap": roadmap.id, "edges": []}, sort_keys=False)
    return (
        f"# Prerequisites of {_one_line(roadmap.title)} ({_one_line(roadmap_path)}), written\n"
        "# by `planner import`: none yet. An edge says that `after` may not start until\n"
        '# `before` is finished, and why; a section id ("4") stands for all its topics.\n'
        "# With no edges nothing waits for anything: the plan keeps to the roadmap's order\n"
        "# only as closely as your profile's `order` asks. To add edges, replace `[]` below\n"
        "# with one line each, the reason a teacher would give in `why`:\n"
        "#\n"
        "# edges:\n"
        f"#   - {example}\n"
        "#\n"
        "# `planner check` verifies them: known ids, no cycle, no edge the others imply.\n"
        f"{body}"
    )


def import_summary(roadmap: Roadmap, source: str) -> Group:
    """Sections, topics and hours of what was imported, and the topics that came without
    an estimate (with their notes)."""
    table = Table(box=None, pad_edge=False, show_header=True)
    for column in ("Section", "Title", "Topics", "Hours"):
        table.add_column(column, justify="left" if column in ("Section", "Title") else "right")
    for section in roadmap.sections[:SHOWN_SECTIONS]:
        # Text, not markup strings: a title may contain "[" (the roadmap is user data).
        hours = f"{section.hours:g}"
        table.add_row(Text(section.id), Text(section.title), str(len(section.topics)), hours)
    lines: list[Text | Table] = [
        Text.assemble(
            "Imported ",
            (roadmap.title, "bold"),
            f" ({roadmap.id}) from {source}: {plural(len(roadmap.sections), 'section')}, "
            f"{plural(len(roadmap.topics), 'topic')}, {roadmap.total_hours:g} h",
        ),
        table,
    ]
    if len(roadmap.sections) > SHOWN_SECTIONS:
        more = len(roadmap.sections) - SHOWN_SECTIONS
        lines.append(Text(f"… and {plural(more, 'more section')}"))
    for topic in roadmap.topics:
        if topic.note is not None and topic.hours == 0:
            lines.append(Text(f"{topic.id} {topic.title} is imported with 0 h. {topic.note}"))
    return Group(*lines)


def _topic(topic: Topic) -> dict[str, Any]:
    fields: dict[str, Any] = {"id": topic.id, "title": topic.title, "hours": _number(topic.hours)}
    if topic.note is not None:
        fields["note"] = topic.note
    return fields | {
        "items": list(topic.items),
        "links": [{"title": link.title, "url": link.url} for link in topic.links],
    }


def _number(hours: float) -> int | float:
    """10, not 10.0: as a person writes hours."""
    return int(hours) if float(hours).is_integer() else hours


def _one_line(text: str) -> str:
    """Text for a comment line: a file name with a line break must not end the comment."""
    return " ".join(text.splitlines())
