"""The forecast (planning/forecast.py): the draws use the plan's own windows and rules,
apply the learned pace alone, and give the same bytes for the same plan."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from typer.testing import CliRunner

from planner.cli.app import app
from planner.inputs.plan_inputs import PlanInputs
from planner.models.forecast import FinishedTopic
from planner.models.plan import Plan
from planner.models.profile import Profile
from planner.models.progress import Progress
from planner.planning.forecast import forecast_of
from planner.planning.pace import LearnedPace, learn_pace
from planner.planning.pipeline import make_plan
from planner.planning.replan import replan
from planner.planning.whatif import what_if
from tests.test_pace import NO_EDGES, SMALL

runner = CliRunner()
# A learner who is exactly as fast as the estimates say (no doubt, no noise).
CERTAIN = LearnedPace(pace=1.0, uncertainty=1e-12, spread=1e-12)

WEEKS = {
    "America/Los_Angeles": {"mon": ["19:00-21:00"], "sat": ["09:00-13:00"]},
    "Asia/Tokyo": {"tue": ["06:00-08:00"], "sun": ["22:00-01:00"]},  # past midnight
    "Pacific/Chatham": {"wed": ["19:45-21:45"], "sat": ["08:00-12:00"]},
}


def profile(zone: str, **more: object) -> Profile:
    return Profile.model_validate(
        {"timezone": zone, "start": "2027-03-01", "weekly": WEEKS[zone],
         "blackouts": [{"from": "2027-03-13", "to": "2027-03-21"}],
         "session": {"min_minutes": 60, "max_minutes": 120, "slot_minutes": 30}, **more}
    )  # fmt: skip


@pytest.mark.parametrize("zone", WEEKS)
def test_at_the_estimates_the_forecast_is_the_plans_earliest_finish(zone: str) -> None:
    """With no doubt and pace 1.0 the draws fill exactly the windows the plan can use
    (blackouts, a 3 h daily cap, past-midnight windows): the earliest finish."""
    inputs = PlanInputs(SMALL, NO_EDGES, profile(zone, max_hours_per_day=3))
    plan = make_plan(inputs, today=date(2027, 3, 1)).plan
    forecast = forecast_of(plan, inputs, CERTAIN, draws=20)
    assert forecast.finish_p50 == forecast.finish_p90 == plan.lower_bound_finish
    assert forecast.finish_p50 is not None and forecast.finish_p50.tzinfo == plan.finish.tzinfo


def test_a_pace_the_plan_already_applies_is_not_applied_twice() -> None:
    """Planned with `pace: 1.5`, a learner learned at 1.5x finishes when the plan says."""
    inputs = PlanInputs(SMALL, NO_EDGES, profile("Asia/Tokyo", pace=1.5))
    plan = make_plan(inputs, today=date(2027, 3, 1)).plan
    certain = LearnedPace(pace=1.5, uncertainty=1e-12, spread=1e-12)
    forecast = forecast_of(plan, inputs, certain, draws=20)
    assert forecast.finish_p50 == plan.lower_bound_finish


def test_slower_learners_finish_later_and_p90_is_after_p50() -> None:
    inputs = PlanInputs(SMALL, NO_EDGES, profile("Pacific/Chatham"))
    plan = make_plan(inputs, today=date(2027, 3, 1)).plan
    assert plan.finish is not None
    at_one = forecast_of(plan, inputs, LearnedPace(pace=1.0, uncertainty=0.1, spread=0.2))
    at_two = forecast_of(plan, inputs, LearnedPace(pace=2.0, uncertainty=0.1, spread=0.2))
    for forecast in (at_one, at_two):
        assert forecast.finish_p50 is not None and forecast.finish_p90 is not None
        assert forecast.finish_p50 < forecast.finish_p90
    assert at_two.finish_p50 is not None and at_one.finish_p50 is not None
    assert at_two.finish_p50 > plan.finish
    assert at_two.finish_p50 > at_one.finish_p50
    assert [point.p for point in at_two.fan] == [10, 25, 50, 75, 90]


def test_the_same_plan_gives_the_same_forecast_bytes() -> None:
    inputs = PlanInputs(SMALL, NO_EDGES, profile("America/Los_Angeles"))
    plan = make_plan(inputs, today=date(2027, 3, 1)).plan
    learned = LearnedPace(pace=1.3, uncertainty=0.2, spread=0.3)
    once, twice = forecast_of(plan, inputs, learned), forecast_of(plan, inputs, learned)
    assert once.model_dump_json() == twice.model_dump_json()
    other = forecast_of(plan, inputs, learned, seed=30)
    assert other.model_dump_json() != once.model_dump_json()


def test_each_goal_has_its_p50_and_p90() -> None:
    """A goal (section 2) is reached before the finish; one already reached keeps the
    plan's answer."""
    inputs = PlanInputs(SMALL, NO_EDGES, profile("Asia/Tokyo", goals=["2"]))
    plan = make_plan(inputs, today=date(2027, 3, 1)).plan
    forecast = forecast_of(plan, inputs, CERTAIN, draws=20)
    (goal,) = forecast.goals
    (report,) = plan.goals
    assert (goal.goal, goal.p50, goal.p90) == ("2", report.reached, report.reached)
    assert plan.finish is not None and report.reached is not None
    assert report.reached < plan.finish
    slower = forecast_of(plan, inputs, LearnedPace(pace=2.0, uncertainty=0.1, spread=0.1))
    assert slower.goals[0].p50 is not None and slower.goals[0].p50 > report.reached


def test_a_replan_forecasts_from_the_learners_own_pace() -> None:
    """Chatham: 1.1 and 1.2 done in twice their estimates: the re-plan's forecast is
    later than its finish at the estimates. s^2 = (3 * 0.09) / 4, k = s^2 / TAU^2 = 0.138:
    exp(2 ln 2 / 2.138) = 1.91."""
    inputs = PlanInputs(SMALL, NO_EDGES, profile("Pacific/Chatham"))
    first = make_plan(inputs, today=date(2027, 3, 1)).plan
    last_12 = max(s.end for s in first.sessions if s.topic in ("1.1", "1.2"))
    record = Progress.model_validate({"done": ["1.1", "1.2"], "hours": {"1.1": 4, "1.2": 8}})
    plan = replan(inputs, first, record, now=last_12.date()).plan
    forecast = plan.forecast
    assert forecast is not None and plan.finish is not None
    assert (forecast.topics, round(forecast.pace, 2)) == (2, 1.91)
    assert forecast.finish_p50 is not None and forecast.finish_p50 > plan.finish


LOS_ANGELES = """\
timezone: America/Los_Angeles
start: 2027-01-04
weekly:
  mon: ["19:00-21:00"]
  wed: ["19:00-21:00"]
  sat: ["09:00-13:00"]
hours: {"5.1": 6}
"""
# 1.1 (4 h), 1.2 (6 h), 2.1 and 2.2 (8 h each), each done in 1.5x its estimate.
SLOWER = """\
done: ["1.1", "1.2", "2.1", "2.2"]
hours: {"1.1": 6, "1.2": 9, "2.1": 12, "2.2": 12}
"""


def test_replan_through_the_cli_forecasts_a_slower_learner_later(tmp_path: Path) -> None:
    """The issue's check: a Los Angeles learner who took 1.5x on four topics learns a
    pace near 1.5, and both P50 and P90 come after the finish at the estimates, in the
    JSON and in the summary (days in Los Angeles)."""
    (tmp_path / "me.yaml").write_text(LOS_ANGELES)
    (tmp_path / "progress.yaml").write_text(SLOWER)
    files = ["--ics", str(tmp_path / "plan.ics"), "--json", str(tmp_path / "plan.json")]
    planned = runner.invoke(app, ["plan", "--profile", str(tmp_path / "me.yaml"), *files])
    assert planned.exit_code == 0, planned.output
    result = runner.invoke(
        app,
        ["replan", "--previous", str(tmp_path / "plan.json"),
         "--progress", str(tmp_path / "progress.yaml"), "--now", "2027-02-15", *files],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    plan = Plan.model_validate_json((tmp_path / "plan.json").read_text())
    forecast = plan.forecast
    assert forecast is not None and plan.finish is not None
    assert forecast.topics == 4 and 1.4 < forecast.pace < 1.6
    assert forecast.finish_p50 is not None and forecast.finish_p90 is not None
    assert plan.finish < forecast.finish_p50 < forecast.finish_p90
    la = ZoneInfo("America/Los_Angeles")
    assert forecast.finish_p50.utcoffset() == forecast.finish_p50.astimezone(la).utcoffset()
    raw = json.loads((tmp_path / "plan.json").read_text())["forecast"]
    assert {"pace", "finish_p50", "finish_p90", "goals"} <= raw.keys()
    p50, p90 = forecast.finish_p50.astimezone(la), forecast.finish_p90.astimezone(la)
    said = " ".join(result.stdout.split())
    assert (
        "Your pace so far: 1.5\N{MULTIPLICATION SIGN} the estimates (4 topics). "
        f"Finish most likely "
        f"{p50:%a} {p50.day} {p50:%b %Y}, 9 in 10 by {p90:%a} {p90.day} {p90:%b %Y}"
    ) in said
    whatif = runner.invoke(
        app,
        ["whatif", "--profile", str(tmp_path / "me.yaml"), "--plan", str(tmp_path / "plan.json"),
         "--hours-per-week", "8", "--chart", str(tmp_path / "w.svg")],
    )  # fmt: skip
    assert whatif.exit_code == 0, whatif.output
    said = " ".join(whatif.stdout.split())
    assert "Your pace so far: 1.5\N{MULTIPLICATION SIGN} the estimates (4 topics). How sure" in said
    assert "8 h a week: most likely " in said
    # The plan alone is enough: its own learner's week, not the bundled example's (an
    # outside tester got the Berlin example's finish beside their own pace).
    alone = runner.invoke(
        app,
        ["whatif", "--plan", str(tmp_path / "plan.json"), "--hours-per-week", "8",
         "--chart", str(tmp_path / "w.svg")],
    )  # fmt: skip
    assert alone.exit_code == 0, alone.output
    assert alone.stdout == whatif.stdout


def test_what_if_forecasts_each_budget_at_the_learners_pace() -> None:
    inputs = PlanInputs(SMALL, NO_EDGES, profile("Asia/Tokyo"))
    twice = [FinishedTopic(topic="1.1", estimate_hours=2, hours=4)] * 3
    (estimates,) = what_if(inputs, [6], today=date(2027, 3, 1))
    (slower,) = what_if(inputs, [6], today=date(2027, 3, 1), finished=twice)
    assert estimates.finish == slower.finish  # the plan itself stays at the estimates
    for row in (estimates, slower):
        assert row.finish_p50 is not None and row.finish_p90 is not None
        assert row.finish_p50 < row.finish_p90
    assert estimates.finish_p50 is not None and slower.finish_p50 is not None
    assert slower.finish_p50 > estimates.finish_p50


def test_a_whatif_plan_that_is_not_there_is_named(tmp_path: Path) -> None:
    missing = tmp_path / "nope.json"
    result = runner.invoke(app, ["whatif", "--plan", str(missing), "--hours-per-week", "8"])
    assert result.exit_code == 1
    assert f"{missing}: no plan here" in " ".join(result.output.split())


def test_pace_learned_plans_the_rest_at_the_learners_pace() -> None:
    """`pace: learned`: the first plan is at the estimates (nothing learned yet); after
    1.1 and 1.2 took twice their estimates the re-plan plans the rest at 1.91x, finishes
    later than the default (the estimates), and its forecast is the default's (the
    learned pace applied once, not twice)."""
    record = Progress.model_validate({"done": ["1.1", "1.2"], "hours": {"1.1": 4, "1.2": 8}})
    plans = {}
    for pace in (1.0, "learned"):
        inputs = PlanInputs(SMALL, NO_EDGES, profile("America/Los_Angeles", pace=pace))
        first = make_plan(inputs, today=date(2027, 3, 1)).plan
        day = max(s.end for s in first.sessions if s.topic == "1.2").date()
        plans[pace] = (first, replan(inputs, first, record, now=day).plan)
    (estimates, by_default), (also_estimates, learned) = plans[1.0], plans["learned"]
    assert also_estimates.planned_hours == estimates.planned_hours == 26
    assert by_default.planned_hours == 20  # the rest, at the estimates
    # 2.1, 2.2 (4 h) and 3.1, 3.2 (6 h) at 1.91x, each up to whole slots: 8 and 11.5 h.
    assert learned.planned_hours == 2 * 8 + 2 * 11.5
    assert learned.finish is not None and by_default.finish is not None
    assert learned.finish > by_default.finish
    assert learned.forecast is not None and by_default.forecast is not None
    assert learned.forecast.finish_p50 is not None and by_default.forecast.finish_p50 is not None
    gap = abs(learned.forecast.finish_p50 - by_default.forecast.finish_p50)
    assert gap.days <= 7


def test_the_rest_of_a_topic_begun_past_its_time_is_forecast_first() -> None:
    """A learner at exactly 2x reported 3 h so far of 1.1 (2 h estimate): the plan has
    no time left for it, the forecast still has its last hour; none when the hours so
    far already cover the drawn total (4 h)."""
    inputs = PlanInputs(SMALL, NO_EDGES, profile("Pacific/Chatham"))
    plan = make_plan(inputs, today=date(2027, 3, 1)).plan
    rest = plan.model_copy(update={"sessions": tuple(s for s in plan.sessions if s.topic != "1.1")})
    twice = LearnedPace(pace=2.0, uncertainty=1e-12, spread=1e-12)
    alone = forecast_of(rest, inputs, twice, draws=20)
    with_rest = forecast_of(rest, inputs, twice, begun={"1.1": 3}, draws=20)
    covered = forecast_of(rest, inputs, twice, begun={"1.1": 5}, draws=20)
    assert alone.finish_p50 is not None and with_rest.finish_p50 is not None
    assert with_rest.finish_p50 > alone.finish_p50
    assert covered.finish_p50 == alone.finish_p50


def test_a_replan_forecasts_the_rest_of_a_topic_begun_past_its_time() -> None:
    """LA: 1.1's 2 h so far (its estimate), not done: the plan has no time left for it,
    and the re-plan's forecast is the one that draws the rest of 1.1 (not the one
    without it)."""
    inputs = PlanInputs(SMALL, NO_EDGES, profile("America/Los_Angeles"))
    first = make_plan(inputs, today=date(2027, 3, 1)).plan
    begun = Progress.model_validate({"hours": {"1.1": 2}})
    plan = replan(inputs, first, begun, now=date(2027, 3, 2)).plan
    assert "1.1" not in {s.topic for s in plan.upcoming}
    nothing = learn_pace((), SMALL)  # nothing finished
    assert plan.forecast == forecast_of(plan, inputs, nothing, begun={"1.1": 2})
    assert plan.forecast != forecast_of(plan, inputs, nothing)
