"""`holidays:` in a profile: public holidays as days off work (study as on a weekend day,
or in windows of their own) or as blackouts (issue 28: a learner who works on weekdays
gains time on a holiday, and `blackouts: [{holidays: KR}]` only took it away)."""

from __future__ import annotations

from datetime import date, time
from pathlib import Path
from typing import Any

import pytest

from planner.errors import InputFileError
from planner.inputs.loading import load_profile
from planner.inputs.plan_inputs import PlanInputs
from planner.models.plan import Plan
from planner.models.profile import Profile
from planner.planning.pipeline import make_plan
from planner.planning.requirements import PlanRequirements
from planner.planning.validation import sessions_are_inside_windows
from tests.window_oracle import assert_inside_oracle_windows

TODAY = date(2027, 1, 1)
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri")
# A learner who works on weekdays: an hour each evening, long weekend days.
WORKING_WEEK = {day: ["20:00-21:00"] for day in WEEKDAYS} | {
    "sat": ["09:00-13:00"],
    "sun": ["14:00-18:00"],
}
# Seoul from 19 April 2027: Mon 3 May (Labour Day's alternative), Wed 5 May (Children's
# Day), Thu 13 May (Buddha's Birthday). Los Angeles from 17 May: Mon 31 May (Memorial
# Day), Fri 18 June (Juneteenth observed). Chatham from 15 March: Fri 26 March (Good
# Friday), Mon 29 March (Easter Monday).
LEARNERS = [
    ("Asia/Seoul", "2027-04-19", {"country": "KR"}, date(2027, 5, 5)),
    ("America/Los_Angeles", "2027-05-17", {"country": "US", "subdivision": "CA"},
     date(2027, 5, 31)),
    ("Pacific/Chatham", "2027-03-15", {"country": "NZ", "subdivision": "CIT"}, date(2027, 3, 29)),
]  # fmt: skip


def learner(zone: str, start: str, holidays: dict[str, Any] | None, **more: Any) -> Profile:
    fields: dict[str, Any] = {"timezone": zone, "start": start, "weekly": WORKING_WEEK}
    fields |= {"goals": ["6.3"], "only_goals": True} | more
    if holidays is not None:
        fields["holidays"] = holidays
    return Profile.model_validate(fields)


def plan_for(inputs: PlanInputs, profile: Profile) -> Plan:
    return make_plan(inputs.with_profile(profile), today=TODAY).plan


def local_starts(plan: Plan, day: date) -> list[time]:
    zone = plan.sessions[0].start.tzinfo
    starts = (s.start.astimezone(zone) for s in plan.sessions)
    return sorted(start.time() for start in starts if start.date() == day)


@pytest.mark.parametrize(("zone", "start", "holidays", "holiday"), LEARNERS)
def test_a_holiday_as_a_day_off_moves_the_finish_earlier(
    inputs: PlanInputs, zone: str, start: str, holidays: dict[str, Any], holiday: date
) -> None:
    """Day off: the finish moves earlier than with no holidays, blackout: later."""
    plain = plan_for(inputs, learner(zone, start, None))
    day_off = plan_for(inputs, learner(zone, start, holidays))
    blackout = plan_for(inputs, learner(zone, start, holidays | {"as": "blackout"}))
    assert plain.finish is not None and day_off.finish is not None
    assert blackout.finish is not None
    assert day_off.finish < plain.finish < blackout.finish
    # The holiday is studied as a Saturday (09:00-13:00), not as its weekday (20:00).
    assert local_starts(day_off, holiday)[0] == time(9, 0)
    assert local_starts(plain, holiday) == [time(20, 0)]
    assert local_starts(blackout, holiday) == []


def test_the_validator_accepts_sessions_on_a_day_off_and_refuses_them_on_a_blackout(
    inputs: PlanInputs,
) -> None:
    """make_plan validated the plan; its window rule, read against other profiles."""
    day_off = learner("Asia/Seoul", "2027-04-19", {"country": "KR"})
    plan = plan_for(inputs, day_off)
    requirements = PlanRequirements(minutes={}, prerequisites={})  # not read by this rule
    assert sessions_are_inside_windows(plan, day_off, requirements) == []
    assert_inside_oracle_windows(plan.sessions, day_off, plan.start)
    blackout = learner("Asia/Seoul", "2027-04-19", {"country": "KR", "as": "blackout"})
    violations = sessions_are_inside_windows(plan, blackout, requirements)
    assert any("on blackout day 2027-05-05" in v for v in violations), violations
    plain = learner("Asia/Seoul", "2027-04-19", None)
    violations = sessions_are_inside_windows(plan, plain, requirements)
    assert any("2027-05-05T09:00:00+09:00: not inside a study window" in v for v in violations)


def test_a_day_off_with_windows_of_its_own(inputs: PlanInputs) -> None:
    own = {"country": "KR", "windows": ["13:00-15:00"]}
    plan = plan_for(inputs, learner("Asia/Seoul", "2027-04-19", own))
    assert local_starts(plan, date(2027, 5, 5)) == [time(13, 0)]


def test_a_holiday_on_a_weekend_keeps_its_own_windows(inputs: PlanInputs) -> None:
    """Sun 6 June 2027 is Korea's Memorial Day: a Sunday, studied 14:00-18:00 as any."""
    profile = learner("Asia/Seoul", "2027-04-19", {"country": "KR"})
    assert profile.windows_on(date(2027, 6, 6)) == profile.windows_on(date(2027, 6, 13))
    assert profile.windows_on(date(2027, 5, 5)) == profile.windows_on(date(2027, 5, 8))


def test_a_day_off_starts_after_the_night_before_ends() -> None:
    """Tue 4 May runs to 01:00 on Children's Day; the day off's 00:00 window starts then,
    and the day off's own past-midnight window ends at midnight."""
    weekly = {"tue": ["23:00-01:00"], "sat": ["00:00-02:00", "23:00-01:00"]}
    profile = Profile.model_validate({"timezone": "Asia/Seoul", "weekly": weekly, "holidays": "KR"})
    windows = [str(w) for w in profile.windows_on(date(2027, 5, 5))]
    assert windows == ["01:00-02:00", "23:00-00:00"]


@pytest.mark.parametrize(
    ("holidays", "message"),
    [
        ("XX", r":3: holidays: 'XX' is not a country the holidays library"),
        ("{country: KR, subdivision: ZZ}", r":3: holidays: KR has no subdivision 'ZZ'"),
        ("{country: KR, as: weekend}", r":3: holidays\.as: .*'day_off' or 'blackout'"),
        ("{country: KR, as: blackout, like: sun}", r":3: holidays: 'like' and 'windows' say"),
        ("{country: KR, like: sun, windows: ['10:00-12:00']}", r":3: holidays: give either"),
        ("{country: KR, windows: ['23:00-01:00']}", r"holidays: 23:00-01:00 runs past midnight"),
        ("KR", r":3: holidays: a day off is studied as on sat, which has no windows"),
        ("{country: KR, like: sun}", r":3: holidays: a day off is studied as on sun"),
        ("\n  country: KR\n  like: sun", r":4: holidays: a day off is studied as on sun"),
        ("[KR, US]", r":3: holidays: give a country code like KR, or \{country: KR, \.\.\.\}; one"),
    ],
)  # fmt: skip
def test_holiday_errors_name_the_key_and_line(tmp_path: Path, holidays: str, message: str) -> None:
    path = tmp_path / "me.yaml"
    path.write_text(f"timezone: UTC\nweekly: {{mon: '19:00-21:00'}}\nholidays: {holidays}\n")
    with pytest.raises(InputFileError, match=message):
        load_profile(path)


def test_the_summary_lists_the_holidays_studied_as_days_off(
    inputs: PlanInputs, tmp_path: Path
) -> None:
    from typer.testing import CliRunner

    from planner.cli.app import app

    path = tmp_path / "seoul.yaml"
    path.write_text(
        "timezone: Asia/Seoul\nstart: 2027-04-19\nweekly: {mon: '20:00-21:00', "
        "wed: '20:00-21:00', sat: '09:00-13:00'}\ngoals: ['6.3']\nonly_goals: true\n"
        "holidays: {country: KR}\n"
    )
    result = CliRunner().invoke(
        app, ["plan", "--profile", str(path), "--ics", str(tmp_path / "plan.ics")]
    )
    assert result.exit_code == 0, result.output
    assert "Public holidays as days off (KR): Mon 2027-05-03" in result.stdout


@pytest.mark.parametrize(
    "holidays",
    [{"country": "KR", "windows": ["10:00-12:00"]}, {"country": "KR", "as": "blackout"},
     {"country": "KR", "like": "sun"}],
)  # fmt: skip
def test_a_profile_with_holidays_reads_back_as_written(holidays: dict[str, Any]) -> None:
    """Written back with every default (a stored plan, what-if's scaled weeks), a
    profile reads the same: no rule may read defaults as keys the learner gave."""
    from planner.planning.scaling import scaled_profile

    profile = learner("Asia/Seoul", "2027-04-19", holidays)
    assert Profile.model_validate_json(profile.model_dump_json(by_alias=True)) == profile
    assert scaled_profile(profile, 8).holidays == profile.holidays
