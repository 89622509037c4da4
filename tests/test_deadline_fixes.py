"""The numbers a learner acts on when a deadline cannot be met: the README's example,
word for word, and each suggested fix the smallest that works (one step less fails)."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from typer.testing import CliRunner

from planner.cli.app import app
from planner.inputs.plan_inputs import PlanInputs
from planner.planning.deadline import DeadlineMissedError, Shortfall, require_deadline
from planner.planning.pipeline import make_plan, misses_deadline
from planner.planning.scaling import scaled_profile, weekly_minutes
from tests.scopes import shared

TODAY = date(2027, 1, 1)
DEADLINE = date(2027, 6, 30)
# The README's example (section "Goals, deadlines and honest answers").
README_ERROR = (
    "error: the deadline 2027-06-30 cannot be met: 240 h needed, 196 h available before it: "
    "add 2 h a week (your windows scaled), or move the deadline to 2027-08-07, or drop 50 h "
    "(e.g. skip sections 13-16)"
)


@pytest.fixture(scope=shared)
def late(inputs: PlanInputs) -> PlanInputs:
    return inputs.with_profile(inputs.profile.model_copy(update={"deadline": DEADLINE}))


@pytest.fixture(scope=shared)
def missed(late: PlanInputs) -> DeadlineMissedError:
    with pytest.raises(DeadlineMissedError) as raised:
        require_deadline(late, make_plan(late, today=TODAY), today=TODAY)
    return raised.value


def meets(inputs: PlanInputs, **profile: object) -> bool:
    changed = inputs.with_profile(inputs.profile.model_copy(update=profile))
    return not misses_deadline(make_plan(changed, today=TODAY).plan)


def test_the_readme_example_is_what_the_command_says(tmp_path: Path) -> None:
    profile = Path(__file__).resolve().parent.parent / "data" / "profiles" / "example.yaml"
    late_profile = tmp_path / "late.yaml"
    late_profile.write_text(profile.read_text() + f"deadline: {DEADLINE}\n")
    calendar = tmp_path / "plan.ics"
    result = CliRunner().invoke(
        app, ["plan", "--profile", str(late_profile), "--ics", str(calendar)]
    )
    assert result.exit_code == 1
    assert " ".join(result.stderr.split()) == README_ERROR
    assert not calendar.exists()
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text()
    assert " ".join(README_ERROR.split()) in " ".join(readme.split())


def test_the_shortfall_holds_every_number_the_message_gives(
    missed: DeadlineMissedError,
) -> None:
    """All of it in the first test that uses the fixture: mutation testing credits a
    shared fixture's calls to that test alone."""
    assert missed.deadline == DEADLINE
    assert missed.shortfall == Shortfall(
        needed_hours=240,
        available_hours=196,
        earliest_finish=datetime(2027, 8, 7, 13, tzinfo=ZoneInfo("Europe/Berlin")),
        add_hours_per_week=2,
        drop_sections=("13", "14", "15", "16"),
        drop_hours=50,
    )
    assert f"error: {missed}" == README_ERROR


def test_add_is_the_fewest_hours_a_week_that_work(
    late: PlanInputs, missed: DeadlineMissedError
) -> None:
    extra = missed.shortfall.add_hours_per_week
    assert extra == 2
    base = weekly_minutes(late.profile) / 60
    enough = scaled_profile(late.profile, base + extra)
    assert weekly_minutes(enough) / 60 == base + extra
    assert meets(late, weekly=enough.weekly)
    # The next smaller week the windows can be scaled to (whole slots) is too little.
    asked = base + extra
    less = enough
    while weekly_minutes(less) / 60 >= base + extra:
        asked -= 0.25
        less = scaled_profile(late.profile, asked)
    assert weekly_minutes(less) / 60 == base + extra - 0.5
    assert not meets(late, weekly=less.weekly)


def test_move_is_the_earliest_deadline_that_works(
    late: PlanInputs, missed: DeadlineMissedError
) -> None:
    moved = missed.shortfall.earliest_finish.date()
    assert moved == date(2027, 8, 7)
    assert meets(late, deadline=moved)
    assert not meets(late, deadline=moved - timedelta(days=1))


def test_drop_is_the_fewest_sections_from_the_end_that_work(
    late: PlanInputs, missed: DeadlineMissedError
) -> None:
    assert missed.shortfall.drop_sections == ("13", "14", "15", "16")
    assert missed.shortfall.drop_hours == 50
    assert meets(late, skip=("13", "14", "15", "16"))
    assert not meets(late, skip=("14", "15", "16"))
