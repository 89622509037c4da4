"""The what-if answer as a chart a learner would rather look at than read (SVG)."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from planner.errors import PlannerError
from planner.output.files import write_all_or_nothing
from planner.planning.whatif import WhatIfRow

CHART_SUFFIXES = (".svg", ".png")


def write_chart(rows: list[WhatIfRow], path: Path, title: str) -> None:
    """Finish date (and each goal's date) against the hours a week the scaled windows
    really give, as SVG or PNG by the file's suffix, written whole or not at all. Same
    rows, same bytes: no timestamps or random ids in the file.

    Raises:
        PlannerError: the suffix is not .svg or .png, or the file cannot be written.
    """
    if path.suffix.lower() not in CHART_SUFFIXES:
        raise PlannerError(f"{path}: the chart is written as .svg or .png")
    rows = [row for row in rows if row.finish is not None]
    import matplotlib

    matplotlib.use("Agg")  # no screen needed
    import matplotlib.pyplot as plt

    plt.rcParams["svg.hashsalt"] = "roadmap-planner"
    figure, axes = plt.subplots(figsize=(7, 4), dpi=100)
    budgets = [row.scaled_hours_per_week for row in rows]
    finishes: list[Any] = [row.finish for row in rows]  # matplotlib plots dates as dates
    axes.plot(budgets, finishes, marker="o", linewidth=2, label="everything")
    for goal in rows[0].goals if rows else {}:
        reached: list[Any] = [row.goals[goal] for row in rows]
        axes.plot(budgets, reached, marker="s", label=f"goal {goal}")
    for budget, finish in zip(budgets, finishes, strict=True):
        if finish is not None:
            axes.annotate(f"{finish:%Y-%m-%d}", (budget, finish), textcoords="offset points",
                          xytext=(4, 6), fontsize=8)  # fmt: skip
    axes.set_xlabel("hours a week (scaled windows)")
    axes.set_ylabel("done by")
    axes.set_title(title)
    axes.grid(True, alpha=0.3)
    axes.legend()
    figure.tight_layout()
    suffix = path.suffix.lower()
    metadata = {"Date": None} if suffix == ".svg" else None
    rendered = io.BytesIO()
    try:
        figure.savefig(rendered, format=suffix.removeprefix("."), metadata=metadata)
    finally:
        plt.close(figure)
    write_all_or_nothing({path: rendered.getvalue()})
