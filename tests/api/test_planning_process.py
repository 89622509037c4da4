"""What crosses the planning process's boundary: typed values, never text to parse. A
planner refusal arrives as the planner's own error with its fields; a planner bug (a plan
that breaks a rule, an exception) arrives as a `Failed` value and the service answers
500 with an error id that is also in its log, never a 422 that blames the learner."""

from __future__ import annotations

import json
import os
import pickle
import signal
import time
from datetime import date, datetime
from functools import partial
from pathlib import Path
from typing import Any

import httpx
import pytest

from api.busy import BusyFieldError
from api.calendar_target import CalendarFieldError
from api.planning_process import (
    PlanningFailedError,
    SolveCrashedError,
    SolveLimits,
    run_limited,
)
from api.settings import Settings
from planner import errors
from planner.inputs.loading import load_profile
from planner.planning.deadline import DeadlineMissedError, Shortfall
from planner.planning.goal_dates import GoalDateMissedError, GoalShortfall
from planner.planning.pipeline import ensure_valid
from tests.serving import serving
from tests.test_validation import PROFILE, VALID, needs


def limits() -> SolveLimits:
    return SolveLimits(60, 512, 2000, time.monotonic() + 60)


SAMPLES: list[errors.PlannerError] = [
    errors.PlannerError("profile: no study time"),
    errors.InputFileError("profile.yaml", "not a number", line=4, key_path="session.min_minutes"),
    errors.RoadmapMarkdownError("roadmap.md", "no title", line=1),
    errors.UnknownTopicError("9.9", "profile.yaml", "goals", " (did you mean 6.3 FastAPI?)"),
    errors.CycleError(["1.1", "1.2", "1.1"], "prerequisites.yaml"),
    errors.InfeasiblePlanError("the profile has no study time"),
    errors.PlanValidationError(["session 3 of 1.1 starts before 1.0 ends"]),
    errors.BusySourceError("https://calendar.example (a1b2)", "not found (HTTP 404)"),
    BusyFieldError(errors.BusySourceError("https://calendar.example/… [a1b2c3]", "gone"), 2),
    errors.CalendarSyncError("https://caldav.example/… [a1b2]", "the password was refused"),
    CalendarFieldError('"Study plan" at https://caldav.example/… [a1b2]', "refused", "password"),
    DeadlineMissedError(
        date(2027, 3, 1),
        Shortfall(
            needed_hours=240,
            available_hours=100,
            earliest_finish=datetime.fromisoformat("2027-09-30T21:00:00+02:00"),
            add_hours_per_week=6.5,
            drop_sections=("16",),
            drop_hours=12,
        ),
    ),
    GoalDateMissedError(
        GoalShortfall(
            goal="6.3",
            title="FastAPI",
            by=date(2027, 3, 1),
            needed_hours=40,
            available_hours=20,
            reached=datetime.fromisoformat("2027-04-01T21:00:00+02:00"),
            add_hours_per_week=3.0,
        )
    ),
]


def every_subclass(kind: type[errors.PlannerError]) -> set[type[errors.PlannerError]]:
    return {kind}.union(*(every_subclass(sub) for sub in kind.__subclasses__()))


def test_every_planner_error_pickles_whole_with_its_fields() -> None:
    """Planner errors crossed the process as text (their __init__ takes fields, so the
    default pickle could not rebuild them): the parent parsed messages back."""
    assert {type(error) for error in SAMPLES} >= every_subclass(errors.PlannerError)
    for error in SAMPLES:
        copy = pickle.loads(pickle.dumps(error))
        assert type(copy) is type(error)
        assert str(copy) == str(error)
        assert vars(copy) == vars(error)


def test_a_refusal_arrives_as_the_planners_own_error(tmp_path: Path) -> None:
    profile = tmp_path / "profile.yaml"
    profile.write_text(
        'timezone: Asia/Tokyo\nweekly: {mon: ["19:00-21:00"]}\nsession:\n  min_minutes: lots\n'
    )
    with pytest.raises(errors.InputFileError) as refused:
        run_limited(partial(load_profile, profile), limits())
    assert (refused.value.path, refused.value.line) == (str(profile), 4)
    assert refused.value.key_path == "session.min_minutes"


def test_a_plan_that_breaks_a_rule_is_a_failure_with_its_violations() -> None:
    broken = needs(a=120, b=150, c=60)  # c is needed; VALID has no session of it
    with pytest.raises(PlanningFailedError) as failed:
        run_limited(partial(ensure_valid, VALID, PROFILE, broken), limits())
    failure = failed.value.failure
    assert failure.error_type == "PlanValidationError"
    assert len(failure.violations) == 1 and "c" in failure.violations[0]
    assert "ensure_valid" in failure.traceback


def test_an_unexpected_exception_is_a_failure_not_a_refusal() -> None:
    with pytest.raises(PlanningFailedError) as failed:
        run_limited(partial(int, "twelve"), limits())
    assert failed.value.failure.error_type == "ValueError"
    assert failed.value.failure.message == "invalid literal for int() with base 10: 'twelve'"


def test_a_planning_process_that_dies_is_reported_as_such() -> None:
    # OR-Tools aborts the process when an allocation fails (no MemoryError to catch).
    with pytest.raises(SolveCrashedError) as crashed:
        run_limited(os.abort, limits())
    assert str(crashed.value) == f"the planning process died (exit code -{signal.SIGABRT})"


def test_a_planner_bug_answers_500_with_the_error_id_of_its_log_entry(tmp_path: Path) -> None:
    """PlanValidationError answered 422, as if the learner's input were wrong; then a 500
    that no log entry could be matched with. Through a real uvicorn: the route below runs
    the guard on a plan that breaks a rule in a real planning process."""
    broken = needs(a=120, b=150, c=60)

    def guarded() -> None:
        run_limited(partial(ensure_valid, VALID, PROFILE, broken), limits())

    def aborted() -> None:
        run_limited(os.abort, limits())

    def buggy() -> None:
        raise RuntimeError("a bug in the service itself")

    with serving(Settings(data_dir=tmp_path / "data")) as server:
        for route in (guarded, aborted, buggy):
            server.app.add_api_route(f"/{route.__name__}", route)
        response = httpx.get(server.base_url + "/guarded", timeout=60)
        died = httpx.get(server.base_url + "/aborted", timeout=60)
        bug = httpx.get(server.base_url + "/buggy", timeout=60)
        entries = [json.loads(record.getMessage()) for record in server.log_records]
    assert response.status_code == 500
    answer: dict[str, Any] = response.json()
    assert answer["detail"] == (
        "the planner failed on this request: a bug on our side, not in what you sent; "
        f"nothing was stored (error id {answer['error_id']}, logged)"
    )
    (logged,) = [entry for entry in entries if entry.get("error_id") == answer["error_id"]]
    assert logged["event"] == "planning_failed"
    assert logged["error"] == "PlanValidationError"
    assert len(logged["violations"]) == 1
    # The other 500s carry the id of their log entry too.
    for answer, event in ((died, "solve_crashed"), (bug, "error")):
        assert answer.status_code == 500
        error_id = answer.json()["error_id"]
        assert f"(error id {error_id}" in answer.json()["detail"]
        assert [entry["event"] for entry in entries if entry.get("error_id") == error_id] == [event]
