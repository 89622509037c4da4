"""Goals, deadlines, weekly caps, pace and what-if on the bundled roadmap."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from planner.cli.app import app
from planner.errors import PlannerError, UnknownTopicError
from planner.inputs.graph import build_graph
from planner.inputs.loading import bundled_file
from planner.inputs.plan_inputs import PlanInputs
from planner.models.plan import Plan
from planner.models.profile import Profile
from planner.planning.deadline import DeadlineMissedError, require_deadline
from planner.planning.goals import resolve_goals
from planner.planning.pipeline import make_plan, misses_deadline
from planner.planning.scaling import (
    least_hours_per_week,
    most_hours_per_week,
    scaled_profile,
    weekly_minutes,
)
from tests.scopes import shared

TODAY = date(2027, 1, 1)


def plan_to_deadline(inputs: PlanInputs) -> Plan:
    """The plan, or the deadline explanation raised (what the CLI and the API do)."""
    return require_deadline(inputs, make_plan(inputs, today=TODAY), today=TODAY).plan


@pytest.fixture(scope=shared)
def without_goals(inputs: PlanInputs) -> Plan:
    return make_plan(inputs, today=TODAY).plan


def with_profile(inputs: PlanInputs, **changes: Any) -> PlanInputs:
    fields = inputs.profile.model_dump(by_alias=True)
    fields.update(changes)
    return inputs.with_profile(Profile.model_validate(fields))


def times(plan: Plan) -> list[tuple[str, Any, Any]]:
    return [(s.topic, s.start, s.end) for s in plan.sessions]


def last_end(plan: Plan, topics: set[str]) -> Any:
    return max(s.end_utc for s in plan.sessions if s.topic in topics)


def test_goals_are_reached_no_later_than_without_them(
    inputs: PlanInputs, without_goals: Plan
) -> None:
    plan = make_plan(with_profile(inputs, goals=["6.3", "7"]), today=TODAY).plan
    assert last_end(plan, {"6.3"}) <= last_end(without_goals, {"6.3"})
    assert last_end(plan, {"7.1", "7.2", "7.3"}) <= last_end(without_goals, {"7.1", "7.2", "7.3"})
    first, second = plan.goals
    assert (first.goal, second.goal) == ("6.3", "7")
    assert first.reached is not None and second.reached is not None
    assert first.earliest is not None and first.earliest <= first.reached < second.reached
    # Everything 6.3 needs comes before anything it does not need.
    graph = build_graph(inputs.roadmap, inputs.prerequisites, "p")
    (goal,) = resolve_goals(inputs.roadmap, graph, ["6.3"], "p")
    needed_end = last_end(plan, set(goal.closure))
    assert all(s.start_utc >= needed_end for s in plan.sessions if s.topic not in goal.closure
               and s.topic not in {"7.1", "7.2", "7.3"} and s.topic not in resolve_goals(
                   inputs.roadmap, graph, ["7"], "p")[0].closure)  # fmt: skip


def test_only_goals_plans_just_what_the_goals_need(inputs: PlanInputs) -> None:
    plan = make_plan(with_profile(inputs, goals=["6.3"], only_goals=True), today=TODAY).plan
    graph = build_graph(inputs.roadmap, inputs.prerequisites, "p")
    (goal,) = resolve_goals(inputs.roadmap, graph, ["6.3"], "p")
    assert {s.topic for s in plan.sessions} == set(goal.closure)


def test_an_unknown_goal_names_the_id(inputs: PlanInputs) -> None:
    with pytest.raises(UnknownTopicError, match=r"goals\[1\]: unknown topic or section id '99'"):
        make_plan(with_profile(inputs, goals=["6.3", "99"]), today=TODAY)


def test_a_deadline_on_the_finish_day_is_met_and_the_day_before_is_not(
    inputs: PlanInputs, without_goals: Plan
) -> None:
    """The deadline is the end of its day: a plan finishing that day meets it (and
    require_deadline hands it back as it is); a day earlier and it does not."""
    assert without_goals.finish is not None
    finish_day = without_goals.finish.date()
    plan = plan_to_deadline(with_profile(inputs, deadline=finish_day))
    assert (plan.deadline, plan.finish) == (finish_day, without_goals.finish)
    assert times(plan) == times(without_goals)  # the deadline changed nothing
    day_before = make_plan(with_profile(inputs, deadline=finish_day - timedelta(days=1)),
                           today=TODAY).plan  # fmt: skip
    assert misses_deadline(day_before)


def test_a_deadline_that_does_not_fit_says_what_is_missing_and_the_fixes_work(
    inputs: PlanInputs,
) -> None:
    late = with_profile(inputs, deadline=date(2027, 6, 30))
    with pytest.raises(DeadlineMissedError) as raised:
        plan_to_deadline(late)
    shortfall = raised.value.shortfall
    assert shortfall.needed_hours == 240
    assert shortfall.available_hours < shortfall.needed_hours
    message = str(raised.value)
    assert message.startswith("the deadline 2027-06-30 cannot be met: 240 h needed, ")
    assert f"{shortfall.available_hours:g} h available before it" in message
    # Each fix, applied, plans within the deadline.
    assert shortfall.add_hours_per_week is not None
    week = weekly_minutes(late.profile) / 60 + shortfall.add_hours_per_week
    more = scaled_profile(late.profile, week).model_copy(update={"deadline": date(2027, 6, 30)})
    assert plan_to_deadline(late.with_profile(more)).finish is not None
    moved = with_profile(inputs, deadline=shortfall.earliest_finish.date())
    assert plan_to_deadline(moved).deadline == shortfall.earliest_finish.date()
    assert shortfall.drop_sections
    dropped = with_profile(late, skip=list(shortfall.drop_sections))
    assert plan_to_deadline(dropped).finish is not None


def test_caps_hold_per_day_and_per_week(inputs: PlanInputs) -> None:
    capped = with_profile(inputs, max_hours_per_day=3, max_hours_per_week=7)
    plan = make_plan(capped, today=TODAY).plan
    by_day: dict[date, float] = defaultdict(float)
    by_week: dict[date, float] = defaultdict(float)
    for session in plan.sessions:
        day = session.start.date()
        by_day[day] += session.minutes / 60
        by_week[day - timedelta(days=day.weekday())] += session.minutes / 60
    assert max(by_day.values()) <= 3 and max(by_week.values()) <= 7
    assert max(by_day.values()) == 3  # the Saturday window (4 h) is cut to the cap


def test_pace_scales_estimates_and_overrides_win(inputs: PlanInputs) -> None:
    plan = make_plan(with_profile(inputs, pace=1.5, hours={"5.1": 6}), today=TODAY).plan
    assert plan.planned_hours == 234 * 1.5 + 6
    assert sum(s.minutes for s in plan.sessions if s.topic == "5.1") == 6 * 60


def test_scaling_keeps_days_and_start_times(inputs: PlanInputs) -> None:
    doubled = scaled_profile(inputs.profile, 16)
    assert {day: [str(w) for w in ws] for day, ws in doubled.weekly.items()} == {
        "mon": ["19:00-23:00"],
        "wed": ["19:00-23:00"],
        "sat": ["09:00-17:00"],
    }


def test_deadline_error_on_the_command_line(tmp_path: Path) -> None:
    profile = tmp_path / "profile.yaml"
    with bundled_file("profiles/example.yaml") as example:
        profile.write_text(example.read_text() + "deadline: 2027-06-30\n")
    result = CliRunner().invoke(app, ["plan", "--profile", str(profile), "--ics",
                                      str(tmp_path / "x.ics")])  # fmt: skip
    assert result.exit_code == 1
    assert "the deadline 2027-06-30 cannot be met: 240 h needed" in result.stderr
    assert "move the deadline to" in result.stderr
    assert not (tmp_path / "x.ics").exists()


def test_a_replan_keeps_goals_first_and_says_when_the_deadline_stops_holding(
    inputs: PlanInputs,
) -> None:
    from planner.models.progress import Progress
    from planner.planning.replan import replan

    goal_inputs = with_profile(inputs, goals=["6.3"])
    plan = make_plan(goal_inputs, today=TODAY).plan
    assert plan.finish is not None
    tight = with_profile(inputs, goals=["6.3"], deadline=plan.finish.date())
    missed = Progress.model_validate(
        {"as_of": "2027-02-01", "missed": [{"from": "2027-01-18", "to": "2027-01-31"}]}
    )
    result = replan(tight, plan, missed, now=date(2027, 2, 1))
    assert f"the deadline {plan.finish.date()} no longer holds: 14 days late" in result.warnings
    (goal,) = result.plan.goals
    assert goal.goal == "6.3" and goal.reached is not None
    later = [s for s in result.plan.upcoming if s.start_utc > goal.reached]
    assert all(s.topic not in {"6.3"} for s in later)


def test_scaling_leaves_windows_without_room_as_they_are(inputs: PlanInputs) -> None:
    narrow = with_profile(
        inputs,
        weekly={"mon": ["19:00-19:30", "19:30-21:00"], "sat": ["09:00-13:00"]},
        session={"min_minutes": 45, "max_minutes": 180, "slot_minutes": 45},
    )
    scaled = scaled_profile(narrow.profile, 12)
    assert str(scaled.weekly["mon"][0]) == "19:00-19:30"


def windows_of(profile: Profile) -> dict[str, list[str]]:
    return {day: [str(window) for window in windows] for day, windows in profile.weekly.items()}


def scaled_week(weekly: dict[str, list[str]], min_minutes: int, hours: float) -> Profile:
    """A week of these windows (sessions of `min_minutes` or more in 30-minute slots)
    scaled to `hours` a week."""
    session = {"min_minutes": min_minutes, "max_minutes": 180, "slot_minutes": 30}
    profile = {"timezone": "Europe/Berlin", "weekly": weekly, "session": session}
    return scaled_profile(Profile.model_validate(profile), hours)


def test_scaling_shares_the_budget_by_length_and_a_too_short_window_takes_none() -> None:
    """13 h over a 15-minute and a 45-minute window (1 to 3): 3.5 h and 9.5 h; the
    45-minute window on Friday at 18:00, too short for a session of an hour before the
    next window, stays as it is and takes no share. 13 h over 90 and 30 minutes (3 to
    1, 9.75 h and 3.25 h) in whole half hours: 10 h and 3 h (a tie goes to the earlier
    window); the 15-minute window again takes none. 4 h over 15 minutes, 2 h and 3 h:
    the first grows to one session (an hour), which Tuesday gives up (of its share of
    1.52 h, the least below it; Wednesday's is 2.29 h)."""
    week = {"tue": ["08:00-08:15"], "fri": ["18:00-18:45", "18:45-19:30"]}
    assert windows_of(scaled_week(week, 60, 13)) == {
        "tue": ["08:00-11:30"],
        "fri": ["18:00-18:45", "18:45-04:15"],
    }
    week = {"wed": ["11:00-11:15", "11:30-13:00"], "fri": ["07:00-07:30"]}
    assert windows_of(scaled_week(week, 60, 13)) == {
        "wed": ["11:00-11:15", "11:30-21:30"],
        "fri": ["07:00-10:00"],
    }
    week = {"mon": ["08:00-08:15"], "tue": ["19:00-21:00"], "wed": ["19:00-22:00"]}
    assert windows_of(scaled_week(week, 60, 4)) == {
        "mon": ["08:00-09:00"],
        "tue": ["19:00-20:00"],
        "wed": ["19:00-21:00"],
    }


def test_a_window_that_fits_one_session_exactly_counts_toward_the_budget() -> None:
    """19:00-19:30 holds one session of 30 minutes before the next window: it stays,
    and counts, so 3 hours a week are exactly 3 hours."""
    scaled = scaled_week({"mon": ["19:00-19:30", "19:30-21:00"]}, 30, 3)
    assert windows_of(scaled) == {"mon": ["19:00-19:30", "19:30-22:00"]}
    assert weekly_minutes(scaled) == 180


def test_scaling_drops_the_caps_and_the_deadline_and_has_its_limits() -> None:
    """The budget is the question: the caps and the deadline are left out. The fewest
    hours: one session of `min_minutes` per window (30 minutes here); the most: 12 h a
    window; a profile without windows cannot be scaled (said in words)."""
    base: dict[str, Any] = {"timezone": "Europe/Berlin", "weekly": {"mon": ["19:00-20:00"]}}
    capped = Profile.model_validate(
        {**base, "max_hours_per_day": 1.0, "max_hours_per_week": 1.0, "deadline": "2027-06-30"}
    )
    scaled = scaled_profile(capped, 5)
    assert (scaled.max_hours_per_day, scaled.max_hours_per_week, scaled.deadline) == (None,) * 3
    assert windows_of(scaled) == {"mon": ["19:00-00:00"]}
    short = Profile.model_validate({**base, "session": {"min_minutes": 30, "max_minutes": 60}})
    assert (least_hours_per_week(short), most_hours_per_week(short)) == (0.5, 12)
    tens = Profile.model_validate({**base, "session": {"min_minutes": 30, "slot_minutes": 10}})
    assert most_hours_per_week(tens) == 12  # 72 slots, not one more
    with pytest.raises(PlannerError) as raised:
        scaled_profile(Profile.model_validate({**base, "weekly": {"mon": []}}), 5)
    assert str(raised.value) == "the profile has no weekly windows to scale"


def test_the_suggested_extra_hours_are_the_hours_checked(inputs: PlanInputs) -> None:
    late = with_profile(inputs, deadline=date(2027, 8, 1))
    with pytest.raises(DeadlineMissedError) as raised:
        plan_to_deadline(late)
    extra = raised.value.shortfall.add_hours_per_week
    assert extra is not None
    base = weekly_minutes(late.profile) / 60
    week = scaled_profile(late.profile, base + extra)
    assert weekly_minutes(week) / 60 == base + extra
    plan = plan_to_deadline(late.with_profile(week))
    assert plan.finish is not None and plan.finish.date() <= date(2027, 8, 1)


def test_caps_only_count_time_that_can_hold_a_session(inputs: PlanInputs) -> None:
    profile = with_profile(
        inputs, weekly={"sat": ["09:00-09:40", "10:00-13:00"]}, blackouts=[],
        max_hours_per_day=3,
    )  # fmt: skip
    plan = make_plan(profile, today=TODAY).plan
    first_saturday = [s for s in plan.sessions if s.start.date() == date(2027, 1, 9)]
    assert sum(s.minutes for s in first_saturday) == 180


def test_a_capped_replan_mid_week_counts_the_weeks_history(inputs: PlanInputs) -> None:
    from planner.models.progress import Progress
    from planner.planning.replan import replan

    capped = with_profile(inputs, max_hours_per_week=6)
    plan = make_plan(capped, today=TODAY).plan
    thursday = date(2027, 1, 7)  # Monday's 2 h are history, then Wednesday's
    result = replan(capped, plan, Progress(as_of=thursday), now=thursday)
    week = [
        s for s in result.plan.sessions if date(2027, 1, 4) <= s.start.date() <= date(2027, 1, 10)
    ]
    assert sum(s.minutes for s in week) <= 6 * 60


def test_a_replan_keeps_only_goals(inputs: PlanInputs) -> None:
    from planner.models.progress import Progress
    from planner.planning.replan import replan

    only = with_profile(inputs, goals=["6.3"], only_goals=True)
    plan = make_plan(only, today=TODAY).plan
    result = replan(only, plan, Progress(as_of=date(2027, 1, 4)), now=date(2027, 1, 4))
    assert {s.topic for s in result.plan.sessions} == {s.topic for s in plan.sessions}
    assert result.changes.added == 0


def test_as_of_may_not_go_back_before_the_previous_replan(inputs: PlanInputs) -> None:
    from planner.errors import PlannerError
    from planner.models.progress import Progress
    from planner.planning.replan import replan

    plan = make_plan(inputs, today=TODAY).plan
    later = replan(inputs, plan, Progress(as_of=date(2027, 1, 25)), now=date(2027, 1, 25)).plan
    with pytest.raises(PlannerError, match="as_of 2027-01-11 is before 2027-01-25"):
        replan(inputs, later, Progress(as_of=date(2027, 1, 11)), now=date(2027, 1, 11))


@pytest.mark.parametrize(
    ("chart", "message"),
    [("w.txt", "the chart is written as .svg or .png"), ("a-file/w.svg", "cannot write")],
)
def test_whatif_chart_errors_are_clear(tmp_path: Path, chart: str, message: str) -> None:
    (tmp_path / "a-file").write_text("a file where the chart's folder would be")
    result = CliRunner().invoke(
        app, ["whatif", "--hours-per-week", "8", "--chart", str(tmp_path / chart)]
    )
    assert result.exit_code == 1
    assert message in result.stderr and "Traceback" not in result.output


def test_a_deadline_missed_by_one_day_of_the_learners_is_said() -> None:
    """A plan ending Saturday 00:30 in Los Angeles (Saturday 08:30 UTC) with Friday as its
    deadline is one day late there: the warning says so, and nothing on time is said."""
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from planner.models.plan import Plan
    from planner.planning.replan_warnings import late_goals

    zone = ZoneInfo("America/Los_Angeles")
    finish = datetime(2027, 3, 6, 0, 30, tzinfo=zone)
    plan = Plan.model_validate(
        {"roadmap": "r", "timezone": "America/Los_Angeles", "start": "2027-03-01",
         "finish": finish, "lower_bound_finish": finish, "planned_hours": 0,
         "deadline": "2027-03-05", "sessions": [],
         "solver": {"status": "OPTIMAL", "finish_proven_optimal": True, "sessions": 0,
                    "sessions_lower_bound": 0, "list_schedule_sessions": 0}}
    )  # fmt: skip
    assert late_goals(plan, zone) == ["the deadline 2027-03-05 no longer holds: 1 day late"]
    on_time = plan.model_copy(update={"deadline": date(2027, 3, 6)})
    assert late_goals(on_time, zone) == []
