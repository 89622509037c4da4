"""Finding topics without knowing their ids: suggestions and `planner topics`."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from planner.cli.app import app
from planner.inputs.lookup import closest_ids, did_you_mean, search
from planner.inputs.plan_inputs import PlanInputs


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("FastAPI", ["6.3"]),
        ("fastapi", ["6.3"]),
        ("Djnago", ["5.1"]),
        ("databases", ["4"]),
        ("6.30", ["6.3"]),
        ("git", ["3.1", "3.3"]),
        ("zzzz", []),
    ],
)
def test_closest_ids_by_title_or_id(inputs: PlanInputs, text: str, expected: list[str]) -> None:
    assert closest_ids(inputs.roadmap, text) == expected


def test_did_you_mean_names_id_and_title(inputs: PlanInputs) -> None:
    assert did_you_mean(inputs.roadmap, "FastAPI") == " (did you mean 6.3 FastAPI?)"
    assert did_you_mean(inputs.roadmap, "zzzz") == ""


def test_search_finds_titles_items_and_sections(inputs: PlanInputs) -> None:
    assert search(inputs.roadmap, "fastapi") == ["5.3", "6.3", "7.2"]  # 7.2: an item
    assert search(inputs.roadmap, "Serializers") == ["6.2"]  # an item of 6.2
    assert search(inputs.roadmap, "4") == ["4.1", "4.2", "4.3"]  # a section's topics
    assert search(inputs.roadmap, "Djnago")[0] == "5.1"  # a typo: the closest


def test_topics_command_lists_ids_hours_and_prerequisites() -> None:
    """Regression: only `planner check` listed the topics."""
    runner = CliRunner()
    result = runner.invoke(app, ["topics", "fastapi"], env={"COLUMNS": "120"})
    assert result.exit_code == 0, result.output
    assert "6.3" in result.stdout and "FastAPI" in result.stdout and "5.3" in result.stdout
    assert "1.1" not in result.stdout
    section = runner.invoke(app, ["topics", "--section", "4"], env={"COLUMNS": "120"})
    assert (
        "4.2" in section.stdout and "PostgreSQL" in section.stdout and "5.1" not in section.stdout
    )
    unknown = runner.invoke(app, ["topics", "--section", "Databses"])
    assert unknown.exit_code == 1 and "did you mean 4 Databases?" in unknown.stderr
