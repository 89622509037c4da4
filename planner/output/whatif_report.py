"""What `planner whatif` prints: the budgets table (asked and reached side by side,
failed budgets and why), and the least weekly hours that reach a goal by a date."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text

from planner.models.roadmap import Roadmap
from planner.output.forecast_report import day_words
from planner.output.report import item_name
from planner.planning.least_hours import LeastHours
from planner.planning.whatif import WhatIfRow
from planner.words import when


def whatif_table(rows: list[WhatIfRow], roadmap: Roadmap) -> Table:
    """One row per weekly budget: asked, reached (what the scaled windows hold), the
    finish and each goal's date; a budget without a plan says so."""
    table = Table(title="What if I studied … hours a week?", title_justify="left")
    table.add_column("h/week asked", justify="right")
    table.add_column("h/week reached", justify="right")
    table.add_column("Done by")
    goals = list(rows[0].goals) if rows else []
    for goal in goals:
        table.add_column(Text(f"Goal {item_name(roadmap, goal)}"))
    for row in rows:
        dates = [row.finish, *(row.goals[goal] for goal in goals)]
        cells: list[str | Text] = [when(d) if d is not None else "—" for d in dates]
        if row.problem:
            cells[0] = Text("no plan (see below)", style="yellow")
        reached = f"{row.scaled_hours_per_week:g}" + (" *" if row.note else "")
        table.add_row(f"{row.hours_per_week:g}", reached, *cells)
    return table


def forecast_by_budget(rows: list[WhatIfRow], pace: str) -> list[str]:
    """Under the table: the finish at the learner's `pace` (its words) for each budget,
    most likely and 9 in 10."""
    likely = [
        f"  {row.hours_per_week:g} h a week: most likely {day_words(row.finish_p50)}, "
        f"9 in 10 by {day_words(row.finish_p90)}"
        for row in rows
        if row.finish_p50 is not None and row.finish_p90 is not None
    ]
    return [f"{pace}. How sure is the date?", *likely] if likely else []


def failed_budgets(rows: list[WhatIfRow]) -> list[str]:
    """A line for each budget whose reached hours differ from those asked (why), and
    for each that gives no plan (why)."""
    notes = [
        f"* {row.hours_per_week:g} h asked, {row.scaled_hours_per_week:g} h reached: {row.note}"
        for row in rows
        if row.note
    ]
    return notes + [
        f"No plan at {row.hours_per_week:g} h a week: {row.problem}" for row in rows if row.problem
    ]


def least_hours_answer(answer: LeastHours, roadmap: Roadmap) -> str:
    """ "To reach 6.3 FastAPI by 2027-06-30 you need 9.5 h a week (you have 8 h): …"."""
    what = f"reach {item_name(roadmap, answer.goal)}" if answer.goal else "finish everything"
    if answer.hours_per_week is None or answer.reached is None:
        return f"To {what} by {answer.by}: {answer.problem}"
    now = answer.current_hours_per_week
    verdict = (
        f"your windows hold {now:g} h: enough"
        if answer.hours_per_week <= now
        else f"{answer.hours_per_week - now:g} h more than your windows hold now, {now:g} h"
    )
    return (
        f"To {what} by {answer.by} you need at least {answer.hours_per_week:g} h a week "
        f"({verdict}); then it is reached {when(answer.reached)}. Each budget was checked "
        "by planning your week scaled to it."
    )
