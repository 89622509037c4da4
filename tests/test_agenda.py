"""A plan day by day (planner/planning/agenda.py): a learner's day's sessions, a window
past midnight included, short names and session numbers."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from planner.errors import PlannerError
from planner.inputs.loading import load_prerequisites, load_roadmap
from planner.inputs.plan_inputs import PlanInputs
from planner.models.plan import Plan
from planner.models.profile import Profile
from planner.planning.agenda import find_session, session_number, sessions_of_day, short_id
from planner.planning.pipeline import make_plan

FIXTURES = Path(__file__).parent / "fixtures"


def tiny_plan(weekly: dict[str, list[str]], timezone: str = "Pacific/Chatham") -> Plan:
    profile = Profile.model_validate(
        {"timezone": timezone, "start": "2027-03-09", "weekly": weekly,
         "session": {"min_minutes": 60, "max_minutes": 120, "slot_minutes": 30}}
    )  # fmt: skip
    roadmap = load_roadmap(FIXTURES / "tiny-roadmap.yaml")
    inputs = PlanInputs(roadmap, load_prerequisites(FIXTURES / "tiny-prerequisites.yaml"), profile)
    return make_plan(inputs, today=date(2027, 3, 9)).plan


def test_a_days_sessions_include_one_running_past_midnight_into_it() -> None:
    plan = tiny_plan({"tue": ["23:00-01:00"], "wed": ["22:00-00:00"]})
    tuesday, wednesday = plan.sessions[0], plan.sessions[1]
    assert sessions_of_day(plan, date(2027, 3, 9)) == [tuesday]
    assert sessions_of_day(plan, date(2027, 3, 10)) == [tuesday, wednesday]
    assert sessions_of_day(plan, date(2027, 3, 10), starting=True) == [wednesday]
    # Ending at midnight, Wednesday's session is none of Thursday's.
    assert sessions_of_day(plan, date(2027, 3, 11)) == []


def test_a_days_sessions_come_in_time_order() -> None:
    plan = tiny_plan({"tue": ["07:00-09:00", "18:00-20:00"]})
    shuffled = plan.model_copy(update={"sessions": tuple(reversed(plan.sessions))})
    day = sessions_of_day(shuffled, date(2027, 3, 9))
    assert [s.start for s in day] == sorted(s.start for s in day) and len(day) == 2


def test_sessions_have_short_names_and_numbers_of_their_topic() -> None:
    plan = tiny_plan({"tue": ["07:00-09:00"], "thu": ["07:00-09:00"]})
    second = plan.sessions[2]  # 1.2's second session
    assert short_id(plan, second) == "1.2-2"
    assert session_number(plan, second) == (2, 2)
    assert session_number(plan, plan.sessions[0]) == (1, 1)
    assert find_session(plan, "1.2-2") == find_session(plan, second.uid) == second
    old = plan.model_copy(update={"plan_id": None})  # a plan made before plans had an id
    assert short_id(old, second) == f"1.2-2.{plan.plan_id}"
    with pytest.raises(PlannerError, match=r"--session: the plan has no session '1\.3-1'"):
        find_session(plan, "1.3-1")
