"""The re-plan's objective (`calm.replan_rank`): goals and finish compared by the learner's
day, then sessions, then calm; and a plan followed to the letter kept whole even where a
fresh solve finds a finish earlier the same day."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from pydantic import TypeAdapter

from planner.inputs.plan_inputs import PlanInputs
from planner.models.plan import Plan
from planner.models.profile import Profile
from planner.models.progress import Progress
from planner.planning.calm import replan_rank
from planner.planning.pipeline import make_plan
from planner.planning.replan import replan
from planner.planning.replan_changes import KeepingCost
from planner.solver.settings import SolverSettings
from tests.test_replan import TINY, TINY_EDGES

LOS_ANGELES_WEEK = {"timezone": "America/Los_Angeles", "start": "2027-03-15",
                    "weekly": {"mon": ["14:00-18:00"], "thu": ["14:00-18:00"]}}  # fmt: skip


def _plan(profile: dict[str, Any]) -> Plan:
    inputs = PlanInputs(TINY, TINY_EDGES, Profile.model_validate(profile))
    return make_plan(inputs, today=date(2027, 3, 15)).plan


def _finishing(plan: Plan, shift: timedelta, extra_session: bool = False) -> Plan:
    """`plan` with its last session `shift` later (and one session more, split off it)."""
    *before, last = plan.sessions
    moved = last.model_copy(update={"start": last.start + shift, "end": last.end + shift})
    sessions = [*before, moved]
    if extra_session:
        half = moved.start + (moved.end - moved.start) / 2
        sessions = [*before, moved.model_copy(update={"end": half}),
                    moved.model_copy(update={"uid": f"x-{moved.uid}", "start": half})]  # fmt: skip
    return plan.model_copy(update={"sessions": tuple(sessions), "finish": sessions[-1].end})


def test_finishing_earlier_the_same_evening_is_not_worth_a_session() -> None:
    """Los Angeles (UTC-7 in March): finishing at 16:30 with a session more ranks below
    finishing at 17:30 on the same local day, though 17:30 is already tomorrow in UTC."""
    plan = _plan(LOS_ANGELES_WEEK)
    assert plan.finish is not None and plan.finish.strftime("%d %H:%M") == "25 15:30"
    kept = _finishing(plan, timedelta(hours=2))
    earlier_with_more = _finishing(plan, timedelta(hours=1), extra_session=True)
    assert kept.finish is not None and earlier_with_more.finish is not None
    assert (
        kept.finish.astimezone(UTC).day == 26 and earlier_with_more.finish.astimezone(UTC).day == 25
    )
    since = plan.sessions[0].start_utc
    assert replan_rank(plan, kept, since, 14) < replan_rank(plan, earlier_with_more, since, 14)


def test_a_finish_on_an_earlier_day_wins_over_fewer_sessions() -> None:
    plan = _plan(LOS_ANGELES_WEEK)
    days_earlier = _finishing(plan, timedelta(days=-3), extra_session=True)
    since = plan.sessions[0].start_utc
    assert replan_rank(plan, days_earlier, since, 14) < replan_rank(plan, plan, since, 14)


def test_a_session_less_is_worth_more_than_keeping_every_session() -> None:
    """Calm comes after sessions: every session moved an hour beats keeping them all at
    the cost of one session more (on the same finish day)."""
    plan = _plan(LOS_ANGELES_WEEK)
    shift = timedelta(minutes=30)
    all_moved = plan.model_copy(
        update={
            "sessions": tuple(
                s.model_copy(update={"start": s.start + shift, "end": s.end + shift})
                for s in plan.sessions
            ),
            "finish": plan.sessions[-1].end + shift,
        }
    )
    one_more = _finishing(plan, timedelta(0), extra_session=True)
    since = plan.sessions[0].start_utc
    assert replan_rank(plan, all_moved, since, 14) < replan_rank(plan, one_more, since, 14)


def test_a_plan_followed_to_the_letter_is_kept_whole(inputs: PlanInputs) -> None:
    """A generated Berlin learner (bench.family g31) whose first plan finishes at 13:45 on
    16 July with 194 sessions: two weeks later, nothing reported, a fresh solve finds
    13:15 the same day with two sessions more. The re-plan keeps every session (it moved
    32 before), and quotes bounds no greater than what it keeps."""
    profile = Profile.model_validate(
        {
            "timezone": "Europe/Berlin",
            "start": "2027-03-18",
            "session": {"max_minutes": 90},
            "weekly": {
                "tue": ["09:00-10:00"],
                "wed": ["20:30-00:30"],
                "thu": ["07:30-10:15"],
                "fri": ["12:15-14:15"],
                "sat": ["07:30-10:15"],
                "sun": ["20:30-00:00"],
            },
            "blackouts": [
                {"first": "2027-04-22", "last": "2027-05-01"},
                {"first": "2027-04-04", "last": "2027-04-07"},
            ],
        }
    )
    learner = inputs.with_profile(profile)
    alone = SolverSettings(compare_orders=False)
    first = make_plan(learner, today=date(2027, 3, 18), settings=alone).plan
    result = replan(learner, first, Progress(), now=date(2027, 4, 1))
    changes = result.changes
    assert (changes.moved, changes.added, changes.dropped) == (0, 0, 0)
    assert result.plan.finish == first.finish
    report = result.plan.solver
    assert report.sessions == len(result.plan.upcoming_study) == changes.kept
    assert report.sessions_lower_bound <= report.sessions
    assert result.plan.lower_bound_finish is not None


def test_what_keeping_costs_is_written_as_an_rfc_3339_duration() -> None:
    """Pydantic writes a year as "P1Y…", which JSON Schema's `format: duration` refuses (a
    re-plan from a day years before the plan hit it); days, hours and minutes only."""
    cost = KeepingCost(
        sessions=0,
        days=9873,
        finish_later=timedelta(days=9873, hours=16, minutes=30),
        kept=3,
        until=datetime(2027, 3, 25, tzinfo=UTC),
    )
    written = json.loads(TypeAdapter(KeepingCost).dump_json(cost))
    assert written["finish_later"] == "P9873DT16H30M"
    assert TypeAdapter(KeepingCost).dump_python(cost)["finish_later"] == cost.finish_later


HOUR_TO_TWO = {"min_minutes": 60, "max_minutes": 120, "slot_minutes": 30}
TWO_SATURDAY_WINDOWS = {"timezone": "America/Los_Angeles", "start": "2027-03-15",
                        "weekly": {"sat": ["06:00-07:30", "18:00-20:30"]},
                        "session": HOUR_TO_TWO}  # fmt: skip
CHATHAM_WEEKENDS = {"timezone": "Pacific/Chatham", "start": "2027-03-15",
                    "weekly": {"sat": ["09:00-10:30", "18:00-20:30"],
                               "sun": ["07:00-08:30", "21:00-23:30"]},
                    "session": HOUR_TO_TWO}  # fmt: skip


@pytest.mark.parametrize(
    ("profile", "finish"),
    [
        # The earliest finish is 07:30 on 17 April with 11 sessions; 18:30 that day, 10.
        # (07:30 is 14:30 UTC: a day read in UTC would end at 17:00, before 18:30.)
        (TWO_SATURDAY_WINDOWS, "2027-04-17T18:30:00-07:00"),
        # 4 April, the day Chatham leaves summer time (+13:45 -> +12:45): 08:30 with 11
        # sessions, or 21:30 with 10.
        (CHATHAM_WEEKENDS, "2027-04-04T21:30:00+12:45"),
    ],
)
def test_a_replan_finishes_later_the_same_day_for_a_session_less(
    profile: dict[str, Any], finish: str
) -> None:
    """Week 1 missed: each plan a re-plan weighs uses the fewest sessions its finish day
    allows, not the fewest at its earliest minute (`solver/same_day.py`)."""
    inputs = PlanInputs(TINY, TINY_EDGES, Profile.model_validate(profile))
    first = make_plan(inputs, today=date(2027, 3, 15)).plan
    missed = Progress.model_validate({"missed": [{"from": "2027-03-15", "to": "2027-03-21"}]})
    result = replan(inputs, first, missed, now=date(2027, 3, 22))  # validated as it is made
    assert result.plan.finish == datetime.fromisoformat(finish)
    assert len(result.plan.upcoming_study) == result.plan.solver.sessions == 10
    assert result.plan.solver.sessions_lower_bound == 10


@pytest.mark.parametrize("profile", [TWO_SATURDAY_WINDOWS, CHATHAM_WEEKENDS])
def test_a_followed_plan_stays_though_the_day_allows_a_session_less(
    profile: dict[str, Any],
) -> None:
    """The first plan finishes at its earliest minute with 11 sessions; the same day
    allows 10 (above). Re-planned after a week with nothing reported (followed), it
    changes nothing: only an earlier finish day would be worth a new plan."""
    inputs = PlanInputs(TINY, TINY_EDGES, Profile.model_validate(profile))
    first = make_plan(inputs, today=date(2027, 3, 15)).plan
    result = replan(inputs, first, Progress(), now=date(2027, 3, 16))
    changes = result.changes
    assert (changes.moved, changes.added, changes.dropped) == (0, 0, 0)
    assert result.plan.finish == first.finish
    assert len(result.plan.upcoming_study) == len(first.upcoming_study) == 11
