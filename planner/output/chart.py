"""The what-if answer as a chart a learner would rather look at than read: when
everything (and each goal) is done at each weekly budget, every point labelled with
its date, the deadline and the goals' dates drawn across, budgets without a plan named.
1300 x 750 px (PNG) or 1248 x 720 px (SVG at 96 px an inch)."""

from __future__ import annotations

import io
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

from planner.errors import PlannerError
from planner.inputs.plan_inputs import PlanInputs
from planner.output.files import write_all_or_nothing
from planner.output.whatif_report import item_name
from planner.planning.whatif import WhatIfRow

CHART_SUFFIXES = (".svg", ".png")
SIZE_INCHES, DPI = (13, 7.5), 100


def write_chart(rows: list[WhatIfRow], paths: list[Path], inputs: PlanInputs) -> None:
    """The chart of `rows` in each of `paths` (SVG or PNG by the suffix), all written or
    none. Same rows, same bytes: no timestamps or random ids in the files.

    Raises:
        PlannerError: a suffix is not .svg or .png, or a file cannot be written.
    """
    for path in paths:
        if path.suffix.lower() not in CHART_SUFFIXES:
            raise PlannerError(f"{path}: the chart is written as .svg or .png")
    import matplotlib

    matplotlib.use("Agg")  # no screen needed
    import matplotlib.pyplot as plt

    plt.rcParams["svg.hashsalt"] = "roadmap-planner"
    plt.rcParams["svg.fonttype"] = "none"  # text stays text: searchable, and smaller
    figure, axes = plt.subplots(figsize=SIZE_INCHES, dpi=DPI)
    try:
        _draw(axes, rows, inputs)
        figure.tight_layout()
        rendered = {path: _render(figure, path.suffix.lower()) for path in paths}
    finally:
        plt.close(figure)
    write_all_or_nothing(rendered)


def _draw(axes: Any, rows: list[WhatIfRow], inputs: PlanInputs) -> None:
    planned = [row for row in rows if row.finish is not None]
    budgets = [row.scaled_hours_per_week for row in planned]
    lines = {"everything": [row.finish for row in planned]}
    for goal in rows[0].goals if rows else {}:
        lines[item_name(inputs.roadmap, goal)] = [row.goals[goal] for row in planned]
    for index, (name, dates) in enumerate(lines.items()):
        shown = [(b, d) for b, d in zip(budgets, dates, strict=True) if d is not None]
        if not shown:
            continue
        axes.plot(*zip(*shown, strict=True), marker="os^vD"[index % 5], linewidth=2, label=name)
        for budget, moment in shown:  # every point says its date
            axes.annotate(f"{moment:%Y-%m-%d}", (budget, moment), textcoords="offset points",
                          xytext=(6, 6 - 14 * (index % 2)), fontsize=9)  # fmt: skip
    _date_lines(axes, inputs)
    failed = [f"{row.hours_per_week:g} h: {row.problem}" for row in rows if row.problem]
    if failed:
        axes.text(0.01, 0.01, "No plan at " + "; ".join(failed)[:300], transform=axes.transAxes,
                  fontsize=9, color="firebrick", va="bottom", wrap=True)  # fmt: skip
    axes.set_xlabel("hours a week (your windows scaled; the hours they really hold)")
    axes.set_ylabel("done by")
    axes.set_title(f"{inputs.roadmap.title}: when am I done?")
    axes.grid(True, alpha=0.3)
    axes.legend(loc="upper right")


def _date_lines(axes: Any, inputs: PlanInputs) -> None:
    """The deadline and each goal's date, across the chart."""
    profile = inputs.profile
    dated: list[tuple[str, date]] = [
        (f"{item_name(inputs.roadmap, goal.topic)} by {goal.by}", goal.by)
        for goal in profile.goals
        if not isinstance(goal, str) and goal.by is not None
    ]
    if profile.deadline is not None:
        dated.append((f"deadline {profile.deadline}", profile.deadline))
    for label, day in dated:
        moment: Any = datetime.combine(day, time(23, 59), tzinfo=profile.zone)
        axes.axhline(moment, linestyle="--", color="grey", linewidth=1)
        axes.annotate(
            label,
            (0.005, moment),
            xycoords=("axes fraction", "data"),
            xytext=(0, 3),
            textcoords="offset points",
            fontsize=9,
            color="dimgrey",
        )


def _render(figure: Any, suffix: str) -> bytes:
    rendered = io.BytesIO()
    metadata = {"Date": None} if suffix == ".svg" else None
    figure.savefig(rendered, format=suffix.removeprefix("."), metadata=metadata)
    return rendered.getvalue()
