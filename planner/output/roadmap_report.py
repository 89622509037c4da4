"""What `planner topics` and `planner check` print: the topics with their hours and
prerequisites, and what the check found; and how a re-plan says the roadmap changed."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from rich.console import Group
from rich.table import Table
from rich.text import Text

from planner.models.plan import Plan
from planner.models.roadmap import Roadmap
from planner.words import plural

if TYPE_CHECKING:
    from planner.planning.roadmap_upgrade import RoadmapUpgrade


@dataclass(frozen=True)
class DataCheck:
    """What `planner check` found in a roadmap and its prerequisites."""

    roadmap: Roadmap
    file_edges: int
    topic_edges: int
    longest_chain: list[str]
    warnings: list[str]
    needs: dict[str, list[str]]  # topic -> its direct prerequisites


def topic_table(
    roadmap: Roadmap, needs: dict[str, list[str]], shown: set[str] | None = None
) -> Table:
    """Sections and their topics (those in `shown`, default all): id, title, hours and
    the topics each needs first."""
    table = Table(title="Topics", title_justify="left")
    for column in ("Topic", "Title", "Hours", "Needs"):
        table.add_column(column, justify="right" if column == "Hours" else "left")
    for section in roadmap.sections:
        topics = [t for t in section.topics if shown is None or t.id in shown]
        if not topics:
            continue
        # Text, not markup strings: a title may contain "[" (the roadmap is user data).
        bold = "bold"
        table.add_row(Text(section.id, bold), Text(section.title, bold), f"{section.hours:g}")
        for topic in topics:
            table.add_row(
                Text(topic.id),
                Text(topic.title),
                f"{topic.hours:g}",
                Text(", ".join(needs.get(topic.id, []))),
            )
    return table


def check_summary(check: DataCheck) -> Group:
    roadmap = check.roadmap
    hours = {topic.id: topic.hours for topic in roadmap.topics}
    chain_hours = sum(hours[topic] for topic in check.longest_chain)
    milestones = [topic.id for topic in roadmap.topics if topic.hours == 0]
    lines: list[Text | Table] = [
        topic_table(roadmap, check.needs),
        Text.assemble((roadmap.title, "bold"), f" ({roadmap.id})"),
        Text(
            f"{len(roadmap.sections)} sections, {len(roadmap.topics)} topics, "
            f"{roadmap.total_hours:g} h"
        ),
        Text(
            f"{check.file_edges} prerequisite edges ({check.topic_edges} between topics "
            "after expanding section ids), no cycle"
        ),
        Text(f"Longest prerequisite chain: {' -> '.join(check.longest_chain)} ({chain_hours:g} h)"),
    ]
    if milestones:
        lines.append(
            Text(
                f"Topics with 0 h (milestones; set hours in a profile to study them): "
                f"{', '.join(milestones)}"
            )
        )
    for warning in check.warnings:
        lines.append(Text(f"Warning: {warning}", style="yellow"))
    return Group(*lines)


def upgrade_line(upgrade: RoadmapUpgrade, plan: Plan) -> str:
    """ "Roadmap changed: 2.1 8 → 10 h (+2 h planned), 2.6 new (3 h), 16.4 removed (its
    sessions dropped)", from the upgrade and the plan it gave."""
    ahead = {session.topic for session in plan.upcoming_study}
    parts = []
    for topic, before, after in upgrade.changed:
        planned = f"{after - before:+g} h planned" if topic in ahead else "finished"
        parts.append(f"{topic} {before:g} → {after:g} h ({planned})")
    parts += [f"{topic} new ({hours:g} h)" for topic, hours in upgrade.added]
    parts += [
        f"{topic} removed ({plural(dropped, 'session')} ahead dropped, its history kept)"
        for topic, dropped in upgrade.removed
    ]
    parts += [f"{old} is now {new}" for old, new in upgrade.renamed]
    parts += [
        f"{old} and {new} look alike: --rename {old}={new} if one topic"
        for old, new in upgrade.alike
    ]
    if upgrade.prerequisites_changed:
        parts.append("prerequisites changed")
    return "Roadmap changed: " + (", ".join(parts) or "wording only, no hours or ids")
