"""What the CLI prints: a plan summary a learner reads in a few seconds, and the data check."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from rich.console import Group
from rich.table import Table
from rich.text import Text

from planner.models.plan import Plan
from planner.models.roadmap import Roadmap

if TYPE_CHECKING:
    from planner.planning.replan import PlanChanges
    from planner.planning.whatif import WhatIfRow


def _when(moment: datetime) -> str:
    return f"{moment:%a %Y-%m-%d %H:%M}"


def plan_summary(plan: Plan, roadmap: Roadmap, seconds: float) -> Group:
    """Per-section start and end, the finish against its lower bound, the solver's status."""
    lines: list[Text | Table] = []
    if not plan.sessions:
        lines.append(Text("Nothing to plan: every topic is skipped or has 0 hours."))
        return Group(*lines)
    assert plan.finish is not None and plan.lower_bound_finish is not None
    weeks = max((plan.finish.date() - plan.start).days / 7, 1 / 7)
    lines.append(
        Text.assemble(
            (f"{roadmap.title}", "bold"),
            f": {plan.planned_hours:g} h in {len(plan.sessions)} sessions, {plan.timezone}",
        )
    )
    lines.append(
        Text(
            f"From {plan.start:%a %Y-%m-%d} to {_when(plan.finish)}: "
            f"{weeks:.1f} weeks, {plan.planned_hours / weeks:.1f} h a week"
        )
    )
    reached = "reached" if plan.finish == plan.lower_bound_finish else "not reachable here"
    lines.append(
        Text(
            "Earliest possible finish (capacity bound): "
            f"{_when(plan.lower_bound_finish)} ({reached})"
        )
    )
    solver = plan.solver
    gap = solver.sessions / solver.sessions_lower_bound - 1 if solver.sessions_lower_bound else 0
    lines.append(
        Text(
            f"Solver: {solver.status} in {seconds:.2f} s — {solver.sessions} sessions, lower "
            f"bound {solver.sessions_lower_bound} (gap {gap:.1%}); "
            f"a list schedule needs {solver.list_schedule_sessions}"
        )
    )
    lines += _goal_and_deadline_lines(plan)
    lines.append(_section_table(plan, roadmap))
    for rounded in plan.rounded:
        lines.append(
            Text(
                f"Note: {rounded.topic} has {rounded.hours:g} h, planned as "
                f"{rounded.planned_hours:g} h (whole slots)",
                style="yellow",
            )
        )
    return Group(*lines)


def _goal_and_deadline_lines(plan: Plan) -> list[Text]:
    lines = []
    for goal in plan.goals:
        if goal.reached is None:
            continue
        soonest = (
            "the earliest possible"
            if goal.reached == goal.earliest
            else (f"earliest possible {_when(goal.earliest)}" if goal.earliest else "")
        )
        lines.append(Text(f"Goal {goal.goal}: reached {_when(goal.reached)} ({soonest})"))
    if plan.deadline is not None and plan.finish is not None:
        spare = (plan.deadline - plan.finish.date()).days
        lines.append(Text(f"Deadline {plan.deadline}: met, {spare} days to spare"))
    return lines


def _section_table(plan: Plan, roadmap: Roadmap) -> Table:
    table = Table(title="Sections", title_justify="left")
    for column in ("Section", "Hours", "Sessions", "Start", "End"):
        table.add_column(column, justify="right" if column in {"Hours", "Sessions"} else "left")
    for section in roadmap.sections:
        ids = {topic.id for topic in section.topics}
        sessions = [session for session in plan.sessions if session.topic in ids]
        if not sessions:
            table.add_row(Text(f"{section.id} {section.title}"), "0", "0", "—", "—")
            continue
        hours = sum(session.minutes for session in sessions) / 60
        table.add_row(
            Text(f"{section.id} {section.title}"),
            f"{hours:g}",
            str(len(sessions)),
            _when(min(sessions, key=lambda s: s.start_utc).start),
            _when(max(sessions, key=lambda s: s.end_utc).end),
        )
    return table


@dataclass(frozen=True)
class DataCheck:
    """What `planner check` found in a roadmap and its prerequisites."""

    roadmap: Roadmap
    file_edges: int
    topic_edges: int
    longest_chain: list[str]
    warnings: list[str]
    needs: dict[str, list[str]]  # topic -> its direct prerequisites


def _topic_table(check: DataCheck) -> Table:
    table = Table(title="Topics", title_justify="left")
    for column in ("Topic", "Title", "Hours", "Needs"):
        table.add_column(column, justify="right" if column == "Hours" else "left")
    for section in check.roadmap.sections:
        # Text, not markup strings: a title may contain "[" (the roadmap is user data).
        bold = "bold"
        table.add_row(Text(section.id, bold), Text(section.title, bold), f"{section.hours:g}")
        for topic in section.topics:
            needs = ", ".join(check.needs[topic.id])
            table.add_row(Text(topic.id), Text(topic.title), f"{topic.hours:g}", Text(needs))
    return table


def check_summary(check: DataCheck) -> Group:
    roadmap = check.roadmap
    hours = {topic.id: topic.hours for topic in roadmap.topics}
    chain_hours = sum(hours[topic] for topic in check.longest_chain)
    milestones = [topic.id for topic in roadmap.topics if topic.hours == 0]
    lines: list[Text | Table] = [
        _topic_table(check),
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


def changes_summary(plan: Plan, changes: PlanChanges, seconds: float) -> Group:
    """What a re-plan changed, readable in five seconds."""
    lines: list[Text | Table] = [
        Text(f"Re-planned as of {plan.planned_from:%a %Y-%m-%d} in {seconds:.2f} s.")
    ]
    if changes.finish_after is None or not plan.upcoming:
        lines.append(Text("Everything is done: nothing left to plan.", style="bold green"))
    else:
        before = _when(changes.finish_before) if changes.finish_before else "—"
        shift = changes.days_later
        moved = "" if shift is None else f" ({shift:+d} days)" if shift else " (same day)"
        lines.append(
            Text.assemble("Finish: ", before, " → ", (_when(changes.finish_after), "bold"), moved)
        )
    lines.append(
        Text(
            f"Sessions: {changes.kept} kept, {changes.moved} moved, {changes.added} added, "
            f"{changes.dropped} dropped; {changes.done} done so far"
        )
    )
    lines.append(Text(f"Hours: {changes.hours_done:g} h done, {changes.hours_left:g} h left"))
    if plan.deadline is not None and changes.finish_after is not None:
        spare = (plan.deadline - changes.finish_after.date()).days
        holds = f"holds, {spare} days to spare" if spare >= 0 else f"missed by {-spare} days"
        lines.append(Text(f"Deadline {plan.deadline}: {holds}"))
    return Group(*lines)


def whatif_table(rows: list[WhatIfRow]) -> Table:
    """One row per weekly budget: the finish, each goal's date, the weeks it takes."""
    table = Table(title="What if I studied … hours a week?", title_justify="left")
    table.add_column("h/week asked", justify="right")
    table.add_column("h/week scaled", justify="right")
    table.add_column("Done by")
    goals = list(rows[0].goals) if rows else []
    for goal in goals:
        table.add_column(Text(f"Goal {goal}"))
    for row in rows:
        dates = [row.finish, *(row.goals[goal] for goal in goals)]
        cells: list[str | Text] = [_when(d) if d is not None else "—" for d in dates]
        if row.problem:
            cells[0] = Text(f"no plan: {row.problem}", style="yellow")
        table.add_row(f"{row.hours_per_week:g}", f"{row.scaled_hours_per_week:g}", *cells)
    return table
