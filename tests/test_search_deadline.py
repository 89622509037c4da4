"""A search past its stop (`search_until`, what the service's planning processes set
before their deadline) keeps the best plan it has, valid and FEASIBLE with the usual gap
figures, rather than being killed at the deadline with nothing (issue 27)."""

from __future__ import annotations

import time
from datetime import date, datetime
from functools import partial
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from api.planning_process import SolveLimits, run_limited
from api.solving import plan_within
from planner.models.profile import Profile
from planner.planning.pipeline import make_plan
from planner.solver.settings import search_until, seconds_left

ZONES = ["America/Los_Angeles", "Asia/Tokyo", "Pacific/Chatham"]


@pytest.mark.parametrize("zone", ZONES)
@pytest.mark.parametrize("order", ["balanced", "free"])
def test_a_search_past_its_stop_keeps_the_plan_it_has(inputs: Any, zone: str, order: str) -> None:
    learner = inputs.with_profile(
        inputs.profile.model_copy(update={"timezone": zone, "order": order})
    )
    full = make_plan(learner, today=date(2027, 1, 4)).plan
    with search_until(0.0):  # long past: no step that improves the plan runs
        stopped = make_plan(learner, today=date(2027, 1, 4)).plan  # validated, as always
    assert (full.solver.status, full.solver.sessions) == ("OPTIMAL", 120)
    assert stopped.solver.status == "FEASIBLE"
    assert (stopped.solver.sessions, stopped.solver.sessions_lower_bound) == (124, 120)
    assert stopped.finish == full.finish  # the roadmap order packed is at the finish bound
    assert stopped.sessions[0].start.tzinfo is not None
    assert str(stopped.sessions[0].start.tzinfo) == zone


def test_the_search_is_unbounded_outside_a_planning_process() -> None:
    assert seconds_left(5.0) == 5.0


def test_a_planning_process_stops_its_search_before_its_deadline() -> None:
    """The search ran until the process was killed at the deadline: a slow solve
    answered 503 with nothing, never its best plan so far."""
    limits = SolveLimits(60, 512, 2000, time.monotonic() + 60)
    left = run_limited(partial(seconds_left, 10**9), limits)
    assert 0 < left <= limits.search_share * 60


@pytest.mark.parametrize("zone", ZONES)
def test_a_service_plan_whose_search_ran_out_of_time_is_its_best_so_far(
    example_profile: dict[str, Any], zone: str
) -> None:
    """The whole way a request takes (the planning process, the guard, the calendar),
    with a search that has no time at all and a deadline far away: the plan found first,
    FEASIBLE, where the search in full finds the 120 sessions of the bound."""
    profile = Profile.model_validate({**example_profile, "timezone": zone, "order": "free"})
    limits = SolveLimits(60, 1024, 2000, time.monotonic() + 60, search_share=0.0)
    now = datetime(2027, 1, 4, 8, tzinfo=ZoneInfo(zone))
    solved = plan_within(profile, "python-backend", now, limits, plan_id="stopped")
    assert solved.plan.solver.status == "FEASIBLE"
    assert (solved.plan.solver.sessions, solved.plan.solver.sessions_lower_bound) == (124, 120)
    assert solved.calendar_gzip  # written, as for any plan
