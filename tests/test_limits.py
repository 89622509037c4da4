"""Odd but legal inputs get a fast, clear answer and bounded memory: a week of more
windows than the planner takes (the same message on the command line and from the
service), hours no week can hold, thousands of blackout ranges, and more ready topics
than the beam tries at once. What is answered, not how fast (bench/RESULTS.md times it)."""

from __future__ import annotations

import itertools
import random
from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from planner.cli.app import app
from planner.errors import InfeasiblePlanError
from planner.models.blackouts import DaysOff
from planner.models.fields import DateRange
from planner.solver.beam import ALL_READY, beam_schedule
from planner.solver.list_schedule import list_schedule
from planner.solver.score import finish_of
from tests.test_solver_rules import plan, profile, rules
from tests.test_solver_units import problem_of


def test_too_many_windows_a_week_is_a_clear_error_naming_the_file_and_key(
    tmp_path: Path,
) -> None:
    windows = [f"{hour:02d}:{minute:02d}-{hour:02d}:{minute + 10:02d}"
               for hour in range(24) for minute in (0, 20, 40)]  # fmt: skip
    week = "\n".join(f"  {day}: {windows[:15]}" for day in ("mon", "tue", "wed", "thu"))
    week += f"\n  fri: {windows[:41]}"
    path = tmp_path / "busy-week.yaml"
    path.write_text(f"timezone: Europe/Berlin\nweekly:\n{week}\n")
    result = CliRunner().invoke(app, ["plan", "--profile", str(path), "--ics", "x.ics"])
    assert result.exit_code == 1
    assert f"{path}:3: weekly: 101 windows a week; at most 100: merge windows that follow" in (
        result.stderr.replace("\n", " ")
    )
    assert "Traceback" not in result.output


def test_hours_no_week_can_hold_are_refused_before_any_table_is_built() -> None:
    # One 1-hour window a week holds at most 2 h even with a clock change in it: 30 years
    # of it is ~3,100 h, less than the 4 x 1,000 h asked.
    hours = {topic: 1000.0 for topic in "abcd"}
    with pytest.raises(InfeasiblePlanError) as raised:
        plan(hours, None, profile({"mon": ["19:00-20:00"]}, session=rules()))
    assert str(raised.value) == (
        "me.yaml: 4000 h do not fit: the weekly windows hold at most 2 h a week, not enough "
        "in the 30 years after 2027-01-04"
    )


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 400), st.integers(0, 30)), max_size=60))
def test_days_off_answer_as_the_ranges_do(spans: list[tuple[int, int]]) -> None:
    """Merged and bisected, thousands of ranges cost a look-up each, not a scan: the
    same days as asking every range."""
    first = date(2027, 1, 1)
    ranges = [
        DateRange(first=first + timedelta(days=start), last=first + timedelta(days=start + n))
        for start, n in spans
    ]
    days_off = DaysOff(ranges)
    for offset in range(0, 440):
        day = first + timedelta(days=offset)
        assert (day in days_off) == any(day in blackout for blackout in ranges), day


def test_the_beam_tries_a_bounded_frontier_and_still_places_every_topic() -> None:
    """More ready topics than `ALL_READY` (no prerequisites): each partial plan tries a
    few of each length, and the plan still holds every topic, one after another."""
    lengths = random.Random(7).choices([2, 3, 4], k=ALL_READY + 40)
    problem = problem_of(lengths, [6] * 60)
    reference = list_schedule(problem)
    assert reference is not None
    found = beam_schedule(problem, reference, width=4)
    assert found is not None
    spans = sorted((start, start + length) for start, length in zip(found, lengths, strict=True))
    assert all(end <= start for (_, end), (start, _) in itertools.pairwise(spans))
    assert all(problem.start_tables[t].allowed[s] for t, s in enumerate(found))
    assert finish_of(problem, found) <= problem.horizon
