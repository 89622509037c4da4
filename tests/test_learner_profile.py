"""What a learner writes in a profile beyond the week: section hours, pace per section,
goals with dates, public holidays; and the errors when it is written wrong."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest

from planner.errors import InputFileError, PlannerError, UnknownTopicError
from planner.inputs.loading import load_profile
from planner.inputs.plan_inputs import PlanInputs
from planner.models.plan import Plan
from planner.models.profile import Profile
from planner.planning.deadline import require_deadline
from planner.planning.goal_dates import GoalDateMissedError
from planner.planning.pipeline import make_plan

FIXTURES = Path(__file__).parent / "fixtures"
TODAY = date(2027, 1, 1)


def with_profile(inputs: PlanInputs, **changes: Any) -> PlanInputs:
    fields = inputs.profile.model_dump(by_alias=True)
    fields.update(changes)
    return inputs.with_profile(Profile.model_validate(fields))


def minutes_of(plan: Plan, *topics: str) -> dict[str, float]:
    return {t: sum(s.minutes for s in plan.sessions if s.topic == t) for t in topics}


def test_hours_for_a_section_are_spread_over_its_topics_by_their_estimates(
    inputs: PlanInputs,
) -> None:
    """Regression: `hours: {"4": 30}` answered "unknown topic or section id '4'"."""
    plan = make_plan(with_profile(inputs, hours={"4": 30, "5.1": 6}), today=TODAY).plan
    databases = minutes_of(plan, "4.1", "4.2", "4.3")
    assert sum(databases.values()) == 30 * 60  # exactly the section's total
    # 4.1, 4.2, 4.3 are 6, 10, 4 h in the roadmap: x 1.5, in whole 30-min slots.
    assert databases == {"4.1": 9 * 60, "4.2": 15 * 60, "4.3": 6 * 60}


def test_a_topics_own_hours_win_inside_a_section_total(inputs: PlanInputs) -> None:
    plan = make_plan(with_profile(inputs, hours={"4": 30, "4.1": 12}), today=TODAY).plan
    databases = minutes_of(plan, "4.1", "4.2", "4.3")
    assert databases["4.1"] == 12 * 60 and sum(databases.values()) == 30 * 60


def test_a_section_total_below_its_topics_own_hours_is_refused(inputs: PlanInputs) -> None:
    with pytest.raises(PlannerError, match=r"hours\.4: the topics of section 4 given hours"):
        make_plan(with_profile(inputs, hours={"4": 5, "4.2": 8}), today=TODAY)


def test_pace_per_section_and_topic_next_to_the_rest(inputs: PlanInputs) -> None:
    plan = make_plan(
        with_profile(inputs, pace={"all": 1.5, "4": 2, "4.3": 1}, hours={}), today=TODAY
    ).plan
    assert minutes_of(plan, "1.1", "4.1", "4.3") == {
        "1.1": 4 * 1.5 * 60, "4.1": 6 * 2 * 60, "4.3": 4 * 60,
    }  # fmt: skip


def test_an_unknown_id_in_pace_suggests_the_closest(inputs: PlanInputs) -> None:
    with pytest.raises(UnknownTopicError, match=r"pace\.Databses: .*\(did you mean 4 Databases"):
        make_plan(with_profile(inputs, pace={"Databses": 1.5}), today=TODAY)


def test_goals_take_plain_ids_and_ids_with_dates(inputs: PlanInputs) -> None:
    goals = ["7", {"topic": "6.3", "by": "2027-12-31"}]
    plan = require_deadline(
        with_profile(inputs, goals=goals), make_plan(with_profile(inputs, goals=goals),
        today=TODAY), today=TODAY,
    ).plan  # fmt: skip
    assert [(g.goal, g.by) for g in plan.goals] == [("7", None), ("6.3", date(2027, 12, 31))]
    recorded = plan.profile
    assert recorded is not None
    assert recorded.model_dump(mode="json")["goals"] == [
        "7", {"topic": "6.3", "by": "2027-12-31"},
    ]  # fmt: skip


def test_a_goal_date_that_cannot_be_met_is_explained_and_the_fix_works(
    inputs: PlanInputs,
) -> None:
    late = with_profile(inputs, goals=[{"topic": "6.3", "by": "2027-02-15"}])
    with pytest.raises(GoalDateMissedError) as raised:
        require_deadline(late, make_plan(late, today=TODAY), today=TODAY)
    shortfall = raised.value.shortfall
    message = str(raised.value)
    assert message.startswith("goal 6.3 FastAPI by 2027-02-15 cannot be met: it needs ")
    assert f"{shortfall.available_hours:g} h are available before then" in message
    assert f"move its date to {shortfall.reached.date()}" in message
    assert shortfall.add_hours_per_week is not None
    assert f"add {shortfall.add_hours_per_week:g} h a week" in message
    # The checked fix: the week scaled by that much reaches the goal by its date.
    from planner.planning.scaling import scaled_profile, weekly_minutes

    week = weekly_minutes(late.profile) / 60 + shortfall.add_hours_per_week
    more = late.with_profile(scaled_profile(late.profile, week))
    plan = require_deadline(more, make_plan(more, today=TODAY), today=TODAY).plan
    (goal,) = plan.goals
    assert goal.reached is not None and goal.reached.date() <= date(2027, 2, 15)


def test_public_holidays_are_days_off_and_listed_in_the_summary(tmp_path: Path) -> None:
    """The São Paulo learner of issue 11: Brazilian and São Paulo holidays off."""
    from typer.testing import CliRunner

    from planner.cli.app import app

    profile = load_profile(FIXTURES / "sao-paulo-profile.yaml")
    holidays = next(b for b in profile.blackouts if not hasattr(b, "first"))
    assert date(2027, 7, 9) in holidays  # São Paulo's Constitutionalist Revolution
    assert date(2027, 4, 21) in holidays and date(2027, 4, 22) not in holidays
    result = CliRunner().invoke(
        app,
        ["plan", "--profile", str(FIXTURES / "sao-paulo-profile.yaml"),
         "--ics", str(tmp_path / "plan.ics")],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "Public holidays off (BR-SP): Fri 2027-03-26 Good Friday" in result.stdout
    assert "Not planned, 0 h in the roadmap: 5.1 Django" in result.stdout
    assert "Goal 6.3 FastAPI: reached" in result.stdout


def test_no_session_falls_on_a_public_holiday(inputs: PlanInputs) -> None:
    berlin = with_profile(inputs, blackouts=[{"holidays": "DE", "subdivision": "BE"}])
    plan = make_plan(berlin, today=TODAY).plan
    days = {s.start.date() for s in plan.sessions}
    assert date(2027, 3, 29) not in days  # Easter Monday, a Monday window
    assert date(2027, 3, 8) not in days  # Berlin's Women's Day, a Monday
    assert date(2027, 3, 15) in days  # an ordinary Monday


@pytest.mark.parametrize(
    ("blackouts", "message"),
    [
        ("[{holidays: XX}]", r":3: blackouts\[0\]: 'XX' is not a country the holidays library"),
        ("[{holidays: BR, subdivision: ZZ}]", r":3: blackouts\[0\]: BR has no subdivision 'ZZ'"),
        ("[{from: 2027-04-01}]", r":3: blackouts\[0\]\.to: this key is required"),
        ("[{from: 2027-04-31, to: 2027-05-02}]",
         r":3: blackouts\[0\]\.from: '2027-04-31' is not a date: write dates as YYYY-MM-DD"),
    ],
)  # fmt: skip
def test_blackout_errors_name_the_key_and_line(
    tmp_path: Path, blackouts: str, message: str
) -> None:
    path = tmp_path / "me.yaml"
    path.write_text(f"timezone: UTC\nweekly: {{mon: '19:00-21:00'}}\nblackouts: {blackouts}\n")
    with pytest.raises(InputFileError, match=message):
        load_profile(path)


def test_pace_errors_name_the_key_without_union_noise(tmp_path: Path) -> None:
    path = tmp_path / "me.yaml"
    path.write_text("timezone: UTC\nweekly: {mon: '19:00-21:00'}\npace: {'4': 0}\n")
    with pytest.raises(InputFileError, match=r":3: pace\.4: Input should be greater than or"):
        load_profile(path)


def test_a_replan_warns_when_a_goals_date_stops_holding(inputs: PlanInputs) -> None:
    from planner.models.progress import Progress
    from planner.planning.replan import replan

    dated = with_profile(inputs, goals=[{"topic": "6.3", "by": "2027-02-27"}])
    plan = require_deadline(dated, make_plan(dated, today=TODAY), today=TODAY).plan
    missed = Progress.model_validate(
        {"as_of": "2027-02-01", "missed": [{"from": "2027-01-18", "to": "2027-01-31"}]}
    )
    result = replan(dated, plan, missed, now=date(2027, 2, 1))
    assert any(w.startswith("goal 6.3 by 2027-02-27 no longer holds: ") for w in result.warnings)


def test_the_plan_keeps_a_busy_calendars_secret_address_masked(
    inputs: PlanInputs, tmp_path: Path
) -> None:
    """The plan records its profile, but never a busy calendar's URL (its path is the
    secret); a re-plan from such a plan asks for the profile."""
    from typer.testing import CliRunner

    from planner.cli.app import app

    secret = "https://calendar.example.org/ical/me/private-5ecret7oken/basic.ics"
    busy = with_profile(inputs, busy=[{"ics": secret}])
    plan = make_plan(busy, today=TODAY).plan
    assert "5ecret7oken" not in plan.to_json()
    assert plan.profile is not None and plan.profile.busy[0].ics.startswith(
        "https://calendar.example.org/… ["
    )
    (tmp_path / "plan.json").write_text(plan.to_json())
    result = CliRunner().invoke(
        app, ["replan", "--previous", str(tmp_path / "plan.json"), "--progress",
              str(tmp_path / "progress.yaml"), "--ics", str(tmp_path / "plan.ics")],
    )  # fmt: skip
    assert result.exit_code == 1
    assert "masked (they are secrets): give your profile with --profile" in result.stderr


def test_holiday_categories_beyond_public_are_days_off_too() -> None:
    """`categories: [public, unofficial]` makes US Halloween (Sunday 31 October 2027) a
    day off; without them it is a study day (issue 27: categories ignored went
    unnoticed)."""
    from planner.models.profile import Profile

    def halloween_is_off(categories: list[str] | None) -> bool:
        holidays: dict[str, object] = {"holidays": "US"}
        if categories:
            holidays["categories"] = categories
        profile = Profile.model_validate(
            {"timezone": "America/New_York", "weekly": {"sun": ["09:00-11:00"]},
             "blackouts": [holidays]}
        )  # fmt: skip
        return profile.is_blackout(date(2027, 10, 31))

    assert halloween_is_off(["public", "unofficial"])
    assert not halloween_is_off(None)
