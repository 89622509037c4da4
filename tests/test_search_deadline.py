"""A search past its stop (`search_until`, what the service's planning processes set
before their deadline) keeps the best plan it has, valid and FEASIBLE with the usual gap
figures, rather than being killed at the deadline with nothing (issue 27)."""

from __future__ import annotations

import time
from datetime import date
from functools import partial
from typing import Any

import pytest

from api.planning_process import SEARCH_SHARE, SolveLimits, run_limited
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
    assert 0 < left <= SEARCH_SHARE * 60
