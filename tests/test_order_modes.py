"""The profile's `order` and `max_shift` on the bundled roadmap: the keys, what a plan says
about its order, re-plans, goals, the service, and the regression that started it all
(a free plan that scrambled the roadmap for half an hour)."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import networkx as nx
import pytest
from typer.testing import CliRunner

from planner.cli.app import app
from planner.errors import InputFileError
from planner.inputs.graph import build_graph
from planner.inputs.loading import load_profile
from planner.inputs.plan_inputs import PlanInputs
from planner.models.plan import Plan
from planner.models.profile import Profile
from planner.models.progress import Progress
from planner.models.roadmap import Prerequisites, Roadmap, Section, Topic
from planner.planning.pipeline import make_plan
from planner.planning.replan import replan
from planner.planning.requirements import plan_requirements

MONDAY = date(2027, 1, 4)


def with_profile(inputs: PlanInputs, **fields: Any) -> PlanInputs:
    return inputs.with_profile(inputs.profile.model_copy(update=fields))


def sequence(plan: Plan) -> list[str]:
    order: list[str] = []
    for session in sorted(plan.upcoming, key=lambda s: s.start_utc):
        if session.topic not in order:
            order.append(session.topic)
    return order


def reference(inputs: PlanInputs) -> list[str]:
    graph = build_graph(inputs.roadmap, inputs.prerequisites, inputs.prerequisites_path)
    return list(plan_requirements(inputs, graph).order)


# --- the profile keys -------------------------------------------------------------------


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "profile.yaml"
    path.write_text(
        "timezone: Europe/Berlin\nweekly:\n  mon: ['19:00-21:00']\n" + text, encoding="utf-8"
    )
    return path


def test_order_defaults_to_balanced_within_three_places(tmp_path: Path) -> None:
    profile = load_profile(write(tmp_path, ""))
    assert (profile.order, profile.max_shift) == ("balanced", 3)


def test_an_unknown_order_names_the_allowed_values(tmp_path: Path) -> None:
    with pytest.raises(InputFileError) as raised:
        load_profile(write(tmp_path, "order: strict\n"))
    message = str(raised.value)
    assert "profile.yaml:4: order:" in message
    assert "'roadmap', 'balanced' or 'free'" in message


@pytest.mark.parametrize("value", ["-1", "2.5", "true", "51"])
def test_max_shift_is_a_whole_number_of_places(tmp_path: Path, value: str) -> None:
    with pytest.raises(InputFileError, match="max_shift"):
        load_profile(write(tmp_path, f"max_shift: {value}\n"))


# --- what a plan says -------------------------------------------------------------------


@pytest.fixture(scope="module")
def balanced(inputs: PlanInputs) -> Plan:
    return make_plan(inputs, today=MONDAY).plan


def test_balanced_plan_reports_its_order_and_the_other_modes(
    inputs: PlanInputs, balanced: Plan
) -> None:
    order = balanced.order
    assert order is not None and order.mode == "balanced" and order.max_shift == 3
    assert order.pairs == 52 * 51 // 2
    assert 0 < order.inversions <= 0.05 * order.pairs and order.largest_shift <= 3
    (roadmap,) = order.alternatives
    assert roadmap.mode == "roadmap" and (roadmap.inversions, roadmap.largest_shift) == (0, 0)
    assert balanced.finish is not None and roadmap.finish is not None
    assert balanced.finish <= roadmap.finish and balanced.solver.sessions <= roadmap.sessions
    # At both bounds, so the free order is not solved: it could not do better, and the
    # plan says so. The free plan itself shows that the claim holds.
    assert balanced.solver.status == "OPTIMAL" and order.unbeatable_by == ("free",)
    free = make_plan(with_profile(inputs, order="free"), today=MONDAY).plan
    assert (free.finish, free.solver.sessions) == (balanced.finish, balanced.solver.sessions)


def test_alternatives_are_the_plans_the_other_modes_give(inputs: PlanInputs) -> None:
    """A plan short of the bounds (the roadmap order costs sessions here) solves the other
    modes to report them; the figures are those modes' own plans, not estimates."""
    plan = make_plan(with_profile(inputs, order="roadmap"), today=MONDAY).plan
    assert plan.order is not None and plan.solver.status == "FEASIBLE"
    assert plan.order.unbeatable_by == ()
    modes = {alternative.mode: alternative for alternative in plan.order.alternatives}
    assert sorted(modes) == ["balanced", "free"]
    assert modes["free"].sessions <= modes["balanced"].sessions < plan.solver.sessions
    for mode, alternative in modes.items():
        other = make_plan(with_profile(inputs, order=mode), today=MONDAY).plan
        assert other.order is not None
        assert (other.solver.sessions, other.finish, other.order.inversions) == (
            alternative.sessions,
            alternative.finish,
            alternative.inversions,
        )


def test_roadmap_plan_follows_the_reference_order_exactly(inputs: PlanInputs) -> None:
    plan = make_plan(with_profile(inputs, order="roadmap"), today=MONDAY).plan
    assert sequence(plan) == reference(inputs)
    assert plan.order is not None and plan.order.inversions == 0


def test_max_shift_bounds_every_topic(inputs: PlanInputs) -> None:
    for max_shift in (1, 5):
        shifted = with_profile(inputs, max_shift=max_shift)
        plan = make_plan(shifted, today=MONDAY).plan
        place = {topic: index for index, topic in enumerate(sequence(plan))}
        shifts = [abs(place[topic] - index) for index, topic in enumerate(reference(inputs))]
        assert plan.order is not None and max(shifts) == plan.order.largest_shift <= max_shift


def test_summary_says_what_the_order_costs(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["plan", "--ics", str(tmp_path / "plan.ics")])
    assert result.exit_code == 0, result.output
    text = " ".join(result.output.split())
    assert (
        "Order: balanced (each topic at most 3 places from the roadmap's order): "
        "24 of 1,326 topic pairs swapped, largest shift 3" in text
    )
    assert "roadmap order: 124 sessions (+4), same finish, 0 pairs swapped" in text
    assert (
        "free order: no sooner finish or fewer sessions possible (this plan is at both "
        "bounds)" in text
    )


# --- re-plans and goals -----------------------------------------------------------------


def test_replan_keeps_the_roadmap_order(inputs: PlanInputs) -> None:
    strict = with_profile(inputs, order="roadmap")
    first = make_plan(strict, today=MONDAY).plan
    missed = Progress.model_validate(
        {
            "as_of": date(2027, 2, 1),
            "missed": [{"from": date(2027, 1, 18), "to": date(2027, 1, 31)}],
        }
    )
    result = replan(strict, first, missed, now=date(2027, 2, 1))
    assert result.plan.order is not None and result.plan.order.mode == "roadmap"
    assert result.plan.order.inversions == 0
    assert sequence(result.plan) == [t for t in sequence(first) if t in sequence(result.plan)]
    assert result.warnings == []


def test_replan_in_another_mode_says_so(inputs: PlanInputs, balanced: Plan) -> None:
    free = with_profile(inputs, order="free")
    result = replan(free, balanced, Progress(), now=MONDAY)
    assert result.plan.order is not None and result.plan.order.mode == "free"
    assert "order: balanced → free" in result.profile_changes


def test_goals_come_first_in_every_mode(inputs: PlanInputs) -> None:
    graph = build_graph(inputs.roadmap, inputs.prerequisites, inputs.prerequisites_path)
    needed = {"6.3", *nx.ancestors(graph, "6.3")}
    for mode in ("roadmap", "balanced", "free"):
        goal = with_profile(inputs, goals=("6.3",), order=mode)
        plan = make_plan(goal, today=MONDAY).plan
        studied = sequence(plan)
        assert set(studied[: len(needed)]) == needed
        assert plan.goals[0].reached is not None
    # The reference order is goal-first: the roadmap plan follows it.
    goal = with_profile(inputs, goals=("6.3",), order="roadmap")
    assert sequence(make_plan(goal, today=MONDAY).plan) == reference(goal)
    first_outside = next(topic for topic in reference(inputs) if topic not in needed)
    assert reference(inputs).index(first_outside) < reference(inputs).index("6.3")
    assert reference(goal).index("6.3") < reference(goal).index(first_outside)


# --- the regression ---------------------------------------------------------------------


def test_free_order_keeps_no_swap_that_only_buys_minutes(inputs: PlanInputs) -> None:
    """One 90-min window twice a week with 90-min sessions (the issue's first profile):
    the free plan once studied 10.1 before 2.1 Python Basics, with 553 of 1,275 topic
    pairs swapped, to finish 30 minutes of window time earlier than the roadmap's order;
    then with a handful of swaps, still for those 30 minutes of the last evening. The
    finish a learner sees is the day: now it keeps the roadmap's order."""
    uniform = inputs.with_profile(
        Profile.model_validate(
            {
                "timezone": "Europe/Berlin",
                "start": MONDAY,
                "weekly": {"mon": ["19:00-20:30"], "thu": ["19:00-20:30"]},
                "session": {"min_minutes": 90, "max_minutes": 90, "slot_minutes": 30},
                "order": "free",
            }
        )
    )
    plan = make_plan(uniform, today=MONDAY).plan
    order = plan.order
    assert order is not None and order.pairs == 1275
    modes = {alternative.mode: alternative for alternative in order.alternatives}
    assert plan.finish is not None and modes["roadmap"].finish is not None
    assert plan.finish == modes["roadmap"].finish
    assert plan.solver.sessions == modes["roadmap"].sessions
    assert order.inversions == 0
    assert sequence(plan) == reference(uniform)


@pytest.mark.parametrize("zone", ["America/Los_Angeles", "Asia/Tokyo", "Pacific/Chatham"])
def test_a_swap_that_only_ends_the_last_day_sooner_is_undone(zone: str) -> None:
    """Sessions of exactly one window: after a (1 h) the window's last 30 minutes cannot
    start b (1.5 h), so b before a ends the second Saturday at 10:00 instead of 10:30.
    Same day, same sessions, no scrap saved: a comes first, in every mode."""
    roadmap = Roadmap(
        id="r",
        title="R",
        sections=(
            Section(
                id="1",
                title="S",
                hours=2.5,
                topics=(Topic(id="1.1", title="a", hours=1), Topic(id="1.2", title="b", hours=1.5)),
            ),
        ),
    )
    learner = Profile.model_validate(
        {
            "timezone": zone,
            "start": MONDAY,
            "weekly": {"sat": ["09:00-10:30"]},
            "session": {"min_minutes": 90, "max_minutes": 90, "slot_minutes": 30},
        }
    )
    tiny = PlanInputs(roadmap, Prerequisites(roadmap="r", edges=()), learner, "p.yaml", "me.yaml")
    for mode in ("free", "balanced"):
        plan = make_plan(with_profile(tiny, order=mode), today=MONDAY).plan
        assert sequence(plan) == ["1.1", "1.2"]
        assert plan.order is not None and plan.order.inversions == 0
        assert plan.finish == datetime(2027, 1, 16, 10, 30, tzinfo=ZoneInfo(zone))
        assert len(plan.sessions) == 2


@pytest.mark.parametrize(
    ("zone", "start", "weekly", "sessions"),
    [
        # Each found by bench.sparse: its re-plan on day one had a session fewer.
        ("Asia/Kathmandu", "2027-04-13", {"tue": ["09:00-11:15"], "sat": ["09:00-10:30"]}, 157),
        ("Asia/Tokyo", "2027-07-26", {"sat": ["20:00-22:15"], "sun": ["07:00-09:30"]}, 160),
    ],
)
def test_the_free_polish_within_five_places_saves_a_session_on_sparse_weeks(
    inputs: PlanInputs, zone: str, start: str, weekly: dict[str, list[str]], sessions: int
) -> None:
    """Two windows a week, sessions of 60-120 minutes: polished within 3 and 4 places the
    free plan had one session more (158, 161); within 5 too it has 157 (our bound:
    OPTIMAL in Kathmandu) and 160, at the same finish."""
    learner = Profile.model_validate(
        {"timezone": zone, "start": start, "weekly": weekly, "order": "free",
         "session": {"min_minutes": 60, "max_minutes": 120, "slot_minutes": 30}}
    )  # fmt: skip
    plan = make_plan(inputs.with_profile(learner), today=date.fromisoformat(start)).plan
    assert plan.solver.sessions == len(plan.sessions) == sessions
    assert plan.solver.status == ("OPTIMAL" if zone == "Asia/Kathmandu" else "FEASIBLE")


# --- the service ------------------------------------------------------------------------


def test_the_api_takes_order_and_max_shift_and_keeps_them_on_replan(
    api_client: Any, example_profile: dict[str, Any]
) -> None:
    profile = {**example_profile, "order": "roadmap"}
    created = api_client.post("/plans", json={"profile": profile})
    assert created.status_code == 201, created.text
    body = created.json()
    assert body["plan"]["order"]["mode"] == "roadmap"
    assert body["plan"]["order"]["inversions"] == 0
    headers = {"Authorization": f"Bearer {body['owner_token']}"}
    missed = {"as_of": "2027-02-01", "missed": [{"from": "2027-01-18", "to": "2027-01-31"}]}
    assert api_client.post(f"/plans/{body['id']}/progress", headers=headers, json=missed).is_success
    replanned = api_client.post(f"/plans/{body['id']}/replan", headers=headers)
    assert replanned.status_code == 200, replanned.text
    read = api_client.get(f"/plans/{body['id']}", headers=headers).json()
    assert read["plan"]["order"]["mode"] == "roadmap" and read["plan"]["order"]["inversions"] == 0


def test_the_api_names_the_allowed_orders(api_client: Any, example_profile: dict[str, Any]) -> None:
    response = api_client.post(
        "/plans", json={"profile": {**example_profile, "order": "strict", "max_shift": 2}}
    )
    assert response.status_code == 422
    assert "'roadmap', 'balanced' or 'free'" in response.text
