"""Each plan's events have UIDs of their own (RFC 5545: globally unique), and a plan keeps
them through its re-plans, so two plans in one calendar never overwrite each other and a
subscribed calendar moves events instead of duplicating them."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Any

import icalendar
import pytest
from typer.testing import CliRunner

from planner.cli.app import app
from planner.inputs.plan_inputs import PlanInputs
from planner.models.plan import Plan
from planner.models.progress import Progress
from planner.output.ics import plan_to_calendar
from planner.planning.pipeline import make_plan
from planner.planning.replan import replan
from tests.scopes import shared

TODAY = date(2027, 1, 1)
MISSED_TWO_WEEKS = Progress.model_validate(
    {"as_of": "2027-02-01", "missed": [{"from": "2027-01-18", "to": "2027-01-31"}]}
)


@pytest.fixture(scope=shared)
def first(inputs: PlanInputs) -> Plan:
    return make_plan(inputs, today=TODAY).plan


def calendar_uids(plan: Plan, inputs: PlanInputs) -> set[str]:
    calendar = icalendar.Calendar.from_ical(plan_to_calendar(plan, inputs.roadmap).to_ical())
    return {str(event["UID"]) for event in calendar.walk("VEVENT")}


def test_uids_carry_the_plan_id(first: Plan) -> None:
    assert first.plan_id is not None and re.fullmatch(r"[a-z2-7]{10}", first.plan_id)
    uids = [session.uid for session in first.sessions if session.topic == "2.1"]
    assert uids == [
        f"python-backend-2.1-{n}.{first.plan_id}@roadmap-planner" for n in range(1, len(uids) + 1)
    ]


def test_plans_of_different_profiles_share_no_uid(inputs: PlanInputs, first: Plan) -> None:
    other_week = inputs.profile.model_copy(update={"weekly": {**inputs.profile.weekly}})
    other_week = other_week.model_copy(update={"start": date(2027, 1, 11)})
    second = make_plan(inputs.with_profile(other_week), today=TODAY).plan
    goals_only = inputs.profile.model_copy(update={"goals": ("6.3",), "only_goals": True})
    third = make_plan(inputs.with_profile(goals_only), today=TODAY).plan
    ids = {first.plan_id, second.plan_id, third.plan_id}
    assert len(ids) == 3
    assert calendar_uids(first, inputs).isdisjoint(calendar_uids(second, inputs))
    assert calendar_uids(first, inputs).isdisjoint(calendar_uids(third, inputs))


def test_the_same_inputs_give_the_same_plan_id(inputs: PlanInputs, first: Plan) -> None:
    again = make_plan(inputs, today=TODAY).plan
    assert again.plan_id == first.plan_id and again.sessions == first.sessions


def test_a_replan_keeps_the_plan_id_and_every_uid_it_kept(inputs: PlanInputs, first: Plan) -> None:
    result = replan(inputs, first, MISSED_TWO_WEEKS, now=date(2027, 2, 1))
    assert result.plan.plan_id == first.plan_id
    before = {session.uid for session in first.sessions}
    after = {session.uid for session in result.plan.sessions}
    # The same sessions, moved: no UID lost, none new (missed sessions move, keeping theirs).
    assert after == before
    assert result.changes.added == 0


def test_an_old_plan_without_id_keeps_its_old_uids_through_a_replan(
    inputs: PlanInputs, first: Plan
) -> None:
    """Plans written before plans had an id have UIDs without one; re-planning them must
    not give their subscribers a second copy of every event."""
    old_sessions = tuple(
        session.model_copy(update={"uid": session.uid.replace(f".{first.plan_id}@", "@")})
        for session in first.sessions
    )
    old = Plan.model_validate_json(
        first.model_copy(update={"plan_id": None, "sessions": old_sessions}).to_json()
    )
    assert "plan_id" not in old.to_json()
    result = replan(inputs, old, MISSED_TWO_WEEKS, now=date(2027, 2, 1))
    assert result.plan.plan_id is None
    assert {s.uid for s in result.plan.sessions} == {s.uid for s in old_sessions}
    assert all(re.fullmatch(r"python-backend-[\d.]+-\d+@roadmap-planner", s.uid)
               for s in result.plan.sessions)  # fmt: skip


def test_plan_id_reuses_an_identity_on_purpose(tmp_path: Path, first: Plan) -> None:
    json_path = tmp_path / "plan.json"
    result = CliRunner().invoke(
        app,
        ["plan", "--start", "2027-01-11", "--plan-id", str(first.plan_id),
         "--json", str(json_path), "--ics", str(tmp_path / "plan.ics")],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    replacing = Plan.model_validate_json(json_path.read_text())
    assert replacing.plan_id == first.plan_id
    assert replacing.sessions[0].uid == first.sessions[0].uid


@pytest.mark.parametrize("bad", ["has space", "a/b", "x" * 41, "ü"])
def test_a_bad_plan_id_is_refused_and_nothing_is_written(tmp_path: Path, bad: str) -> None:
    result = CliRunner().invoke(
        app, ["plan", "--plan-id", bad, "--ics", str(tmp_path / "plan.ics")]
    )
    assert result.exit_code == 1
    assert "--plan-id" in result.stderr and "letters, digits" in result.stderr
    assert not (tmp_path / "plan.ics").exists()


def test_the_service_gives_each_plan_its_own_uids(
    api_client: Any, example_profile: dict[str, Any]
) -> None:
    feeds = []
    for _ in range(2):
        created = api_client.post(
            "/plans", json={"roadmap": "python-backend", "profile": example_profile}
        ).json()
        assert created["plan"]["plan_id"] == created["id"]
        feed = api_client.get("/" + created["feed"]["url"].split("/", 3)[3])
        calendar = icalendar.Calendar.from_ical(feed.content)
        feeds.append({str(event["UID"]) for event in calendar.walk("VEVENT")})
    assert feeds[0] and feeds[1] and feeds[0].isdisjoint(feeds[1])
