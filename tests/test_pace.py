"""The pace learned from finished topics (planning/pace.py): the stated rule, its
shrinking towards the estimates while evidence is thin, and what counts as evidence."""

from __future__ import annotations

import math
from datetime import date, timedelta
from pathlib import Path

import pytest

from planner.errors import InputFileError
from planner.inputs.loading import load_profile
from planner.inputs.plan_inputs import PlanInputs
from planner.models.forecast import FinishedTopic
from planner.models.profile import Profile
from planner.models.progress import Progress
from planner.models.roadmap import Prerequisites, Roadmap, Section, Topic
from planner.planning.pace import MIN_SECTION_TOPICS, TAU, finished_topics, learn_pace
from planner.planning.pipeline import make_plan
from planner.planning.replan import replan

SMALL = Roadmap(
    id="small",
    title="Small",
    sections=(
        Section(id="1", title="A", hours=6, topics=(
            Topic(id="1.1", title="a", hours=2), Topic(id="1.2", title="b", hours=4))),
        Section(id="2", title="B", hours=8, topics=(
            Topic(id="2.1", title="c", hours=4), Topic(id="2.2", title="d", hours=4))),
        Section(id="3", title="C", hours=12, topics=(
            Topic(id="3.1", title="e", hours=6), Topic(id="3.2", title="f", hours=6))),
    ),
)  # fmt: skip
NO_EDGES = Prerequisites(roadmap="small", edges=())


def took(ratio: float, *topics: str) -> list[FinishedTopic]:
    hours = {topic.id: topic.hours for topic in SMALL.topics}
    return [FinishedTopic(topic=t, estimate_hours=hours[t], hours=hours[t] * ratio) for t in topics]


def test_no_evidence_is_the_estimates_with_the_prior_spread() -> None:
    learned = learn_pace([], SMALL)
    assert (learned.pace, learned.uncertainty, learned.sections) == (1.0, TAU, ())


def test_four_topics_at_one_and_a_half_are_near_it_and_a_little_shrunk() -> None:
    learned = learn_pace(took(1.5, "1.1", "1.2", "2.1", "2.2"), SMALL)
    assert 1.45 < learned.pace < 1.5
    assert f"{learned.pace:.1f}" == "1.5"


def test_one_topic_moves_the_pace_only_part_of_the_way() -> None:
    """One topic at 2x: the estimates still count as k = s^2 / TAU^2 topics, with
    s^2 = NU0 * S0^2 / NU0 = 0.09, k = 0.09 / 0.49: exp(ln 2 / 1.184) = 1.80."""
    k = 0.09 / 0.49
    learned = learn_pace(took(2.0, "1.1"), SMALL)
    assert learned.pace == pytest.approx(math.exp(math.log(2) / (1 + k)), rel=1e-9)
    assert learned.uncertainty == pytest.approx(0.3 / math.sqrt(1 + k), rel=1e-9)


def test_faster_and_slower_cancel_out_in_log_space() -> None:
    learned = learn_pace([*took(2.0, "1.1", "2.1"), *took(0.5, "1.2", "2.2")], SMALL)
    assert learned.pace == pytest.approx(1.0)
    assert learned.spread > 0.5  # the learner's own spread, wider than the prior's 0.3


def test_a_section_gets_its_own_pace_once_it_has_enough_topics() -> None:
    assert MIN_SECTION_TOPICS == 2
    learned = learn_pace([*took(2.0, "1.1", "1.2"), *took(1.0, "2.1")], SMALL)
    assert [s.section for s in learned.sections] == ["1"]  # section 2 has one topic
    (one,) = learned.sections
    assert learned.pace < one.pace < 2.0  # shrunk towards the overall pace
    assert learned.pace_of_section("2") == learned.pace


def test_what_counts_as_a_finished_topic() -> None:
    """Through a re-plan: 1.1 done with the hours given (3 h: 1.5x), 1.2's sessions
    reported one by one, 2.1 followed without a word (not evidence), 3.2 done with no
    study at all (known already: no evidence), the rest ahead."""
    profile = Profile.model_validate(
        {"timezone": "Pacific/Chatham", "start": "2027-03-01",
         "weekly": {"mon": ["19:00-21:00"], "sat": ["09:00-13:00"]},
         "session": {"min_minutes": 60, "max_minutes": 120, "slot_minutes": 30}}
    )  # fmt: skip
    inputs = PlanInputs(SMALL, NO_EDGES, profile)
    first = make_plan(inputs, today=date(2027, 3, 1)).plan
    order = [s.topic for s in first.sessions]
    assert order[:4] == ["1.1", "1.2", "1.2", "2.1"] and order[-1] == "3.2"
    of_12 = [s.uid for s in first.sessions if s.topic == "1.2"]
    last_21 = max(s.end for s in first.sessions if s.topic == "2.1")
    record = Progress.model_validate(
        {"done": ["1.1", "3.2"], "hours": {"1.1": 3}, "sessions": of_12}
    )
    day_after = last_21.date() + timedelta(days=1)  # 2.1 is history: followed
    plan = replan(inputs, first, record, now=day_after).plan
    assert plan.forecast is not None
    finished = {t.topic: t.hours for t in plan.forecast.finished}
    assert finished == {"1.1": 3.0, "1.2": 4.0}


def test_what_an_earlier_plan_learned_is_kept_by_the_next_replan() -> None:
    """The record of the next re-plan says 1.1 is done but no longer gives its hours:
    the plan's own evidence keeps them (not the 2 h its planned session took)."""
    profile = Profile.model_validate(
        {"timezone": "America/Los_Angeles", "start": "2027-03-01",
         "weekly": {"sat": ["09:00-13:00"]}}
    )  # fmt: skip
    inputs = PlanInputs(SMALL, NO_EDGES, profile)
    first = make_plan(inputs, today=date(2027, 3, 1)).plan
    (of_11,) = [s for s in first.sessions if s.topic == "1.1"]
    record = Progress.model_validate({"done": ["1.1"], "hours": {"1.1": 4}})
    second = replan(inputs, first, record, now=of_11.end.date()).plan
    again = Progress.model_validate({"done": ["1.1"]})
    third = replan(inputs, second, again, now=of_11.end.date()).plan
    assert second.forecast is not None and third.forecast is not None
    assert third.forecast.finished == second.forecast.finished == tuple(took(2.0, "1.1"))
    history = [s for s in third.sessions if s.done]
    assert finished_topics(history, set(), SMALL, profile) == ()  # unreported: no evidence


def test_hours_so_far_of_a_topic_not_done_are_no_evidence() -> None:
    """4 h so far of 1.1 (estimate 2 h), not done: begun, however long it took; the
    same hours with 1.1 done: finished at 2x."""
    profile = Profile.model_validate(
        {"timezone": "Asia/Tokyo", "start": "2027-03-01", "weekly": {"sat": ["09:00-13:00"]}}
    )
    plan = make_plan(PlanInputs(SMALL, NO_EDGES, profile), today=date(2027, 3, 1)).plan
    (of_11,) = [s.model_copy(update={"done": True}) for s in plan.sessions if s.topic == "1.1"]
    history = [of_11, of_11.model_copy(update={"uid": "again"})]  # 2 x 2 h
    begun = finished_topics(history, set(), SMALL, profile, reported={"1.1"}, hours_given={})
    assert begun == tuple(took(2.0, "1.1"))  # reported by its sessions: finished
    so_far = finished_topics(
        history, set(), SMALL, profile, reported={"1.1"}, hours_given={"1.1": 4}
    )
    assert so_far == ()
    done = finished_topics(
        history, set(), SMALL, profile, reported={"1.1"}, done={"1.1"}, hours_given={"1.1": 4}
    )
    assert done == tuple(took(2.0, "1.1"))


def test_a_pace_that_is_neither_a_factor_nor_learned_is_named_with_its_line(
    tmp_path: Path,
) -> None:
    path = tmp_path / "me.yaml"
    path.write_text("timezone: Asia/Tokyo\nweekly: {mon: '19:00-21:00'}\npace: fast\n")
    with pytest.raises(InputFileError) as refused:
        load_profile(path)
    assert str(refused.value) == (
        f"{path}:3: pace: 'fast' is no pace: write a factor (1.25), a factor per id "
        '({"4": 1.5, all: 1.25}), or learned (your own pace, from your progress)'
    )
    path.write_text("timezone: Asia/Tokyo\nweekly: {mon: '19:00-21:00'}\npace: learned\n")
    assert load_profile(path).pace == "learned"


def test_hours_done_do_not_change_when_the_pace_is_learned() -> None:
    """Found by an outside try-out: "Hours: N done" was in the plan's units, so the same
    history read 61 h with `pace: learned` and 48 h without. 1.1 took 4 h (estimate 2),
    1.2 (4 h) is done ahead with no hours given: the roadmap's 2 + 4 h are done, either
    way (a learned pace of 1.5 made it 3 + 6)."""
    week = {
        "timezone": "Pacific/Chatham",
        "start": "2027-03-01",
        "weekly": {"sat": ["09:00-13:00"]},
    }
    record = Progress.model_validate({"done": ["1.1", "1.2"], "hours": {"1.1": 4}})
    done = {}
    for pace in (1.0, "learned"):
        inputs = PlanInputs(SMALL, NO_EDGES, Profile.model_validate({**week, "pace": pace}))
        first = make_plan(inputs, today=date(2027, 3, 1)).plan
        after = first.sessions[0].end.date() + timedelta(days=1)
        done[pace] = replan(inputs, first, record, now=after).changes.hours_done
    assert done == {1.0: 6.0, "learned": 6.0}
