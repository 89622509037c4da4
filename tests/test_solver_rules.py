"""make_plan on tiny roadmaps: each hard rule where it binds, each infeasible input, and
the objectives (earliest finish, fewest sessions, roadmap order).

Assertions are about the plan itself (times, lengths, order), not only that the built-in
validation passed. Dates: 2027-01-04 is a Monday. Berlin's DST nights in 2027 are
2027-03-28 (02:00 -> 03:00) and 2027-10-31 (03:00 -> 02:00).
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from planner.errors import (
    CycleError,
    InfeasiblePlanError,
    PlannerError,
    UnknownTopicError,
)
from planner.inputs.graph import build_graph
from planner.inputs.plan_inputs import PlanInputs
from planner.models.fields import WEEKDAYS
from planner.models.plan import Plan, RoundedTopic, StudySession
from planner.models.profile import Profile
from planner.models.roadmap import Edge, Prerequisites, Roadmap, Section, Topic
from planner.planning.horizon import build_problem
from planner.planning.pipeline import make_plan
from planner.planning.requirements import plan_requirements
from planner.solver.list_schedule import list_schedule

BERLIN = ZoneInfo("Europe/Berlin")
MONDAY = date(2027, 1, 4)
EVENINGS = {"mon": ["19:00-21:00"], "wed": ["19:00-21:00"], "sat": ["09:00-13:00"]}


# --- builders -------------------------------------------------------------------------


def roadmap(*sections: dict[str, float]) -> Roadmap:
    """Sections s1, s2, … of `{topic id: hours}`, in the order given."""
    return Roadmap(
        id="r",
        title="Tiny roadmap",
        sections=tuple(
            Section(
                id=f"s{index}",
                title=f"Section {index}",
                hours=sum(hours.values()),
                topics=tuple(
                    Topic(id=topic_id, title=f"Topic {topic_id}", hours=topic_hours)
                    for topic_id, topic_hours in hours.items()
                ),
            )
            for index, hours in enumerate(sections, 1)
        ),
    )


def edges(*pairs: tuple[str, str]) -> Prerequisites:
    return Prerequisites(
        roadmap="r",
        edges=tuple(Edge(before=before, after=after, why="because") for before, after in pairs),
    )


def profile(weekly: dict[str, list[str]], **fields: Any) -> Profile:
    fields.setdefault("timezone", "Europe/Berlin")
    fields.setdefault("start", MONDAY)
    return Profile.model_validate({"weekly": weekly, **fields})


def rules(min_minutes: int = 60, max_minutes: int = 180, slot_minutes: int = 30) -> dict[str, int]:
    return {"min_minutes": min_minutes, "max_minutes": max_minutes, "slot_minutes": slot_minutes}


def inputs(
    hours: Roadmap | dict[str, float], prerequisites: Prerequisites | None, learner: Profile
) -> PlanInputs:
    return PlanInputs(
        roadmap=hours if isinstance(hours, Roadmap) else roadmap(hours),
        prerequisites=prerequisites or edges(),
        profile=learner,
        prerequisites_path="prereqs.yaml",
        profile_path="me.yaml",
    )


def plan(
    hours: Roadmap | dict[str, float],
    prerequisites: Prerequisites | None,
    learner: Profile,
    today: date = MONDAY,
) -> Plan:
    return make_plan(inputs(hours, prerequisites, learner), today=today).plan


def local(day: date, hour: int, minute: int = 0, zone: ZoneInfo = BERLIN) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=zone)


def by_topic(result: Plan) -> dict[str, list[StudySession]]:
    """Each topic's sessions in real-time order."""
    sessions: dict[str, list[StudySession]] = defaultdict(list)
    for session in sorted(result.sessions, key=lambda s: s.start.astimezone(UTC)):
        sessions[session.topic].append(session)
    return sessions


def spans(sessions: list[StudySession]) -> list[tuple[datetime, datetime]]:
    return [(session.start, session.end) for session in sessions]


def first_start(sessions: list[StudySession]) -> datetime:
    return min(session.start.astimezone(UTC) for session in sessions)


def last_end(sessions: list[StudySession]) -> datetime:
    return max(session.end.astimezone(UTC) for session in sessions)


def overlapping_pairs(result: Plan) -> list[tuple[StudySession, StudySession]]:
    """Pairs of sessions that share real time (compared in UTC)."""
    return [
        (first, second)
        for first, second in itertools.combinations(result.sessions, 2)
        if first.start.astimezone(UTC) < second.end.astimezone(UTC)
        and second.start.astimezone(UTC) < first.end.astimezone(UTC)
    ]


def inside_weekly_window(session: StudySession, learner: Profile) -> bool:
    """Inside one of the learner's weekly windows by the wall clock (days without DST)."""
    start = session.start.astimezone(learner.zone).replace(tzinfo=None)
    end = session.end.astimezone(learner.zone).replace(tzinfo=None)
    for day in (start.date(), start.date() - timedelta(days=1)):
        for window in learner.weekly.get(WEEKDAYS[day.weekday()], ()):
            window_end_day = day + timedelta(days=1) if window.crosses_midnight else day
            window_start = datetime.combine(day, window.start)
            window_end = datetime.combine(window_end_day, window.end)
            if window_start <= start and end <= window_end:
                return True
    return False


def list_schedule_finish(plan_inputs: PlanInputs, start: date) -> datetime:
    """When the list schedule (solver/list_schedule.py) finishes: make_plan cuts its time
    axis right there, so the axis end is that finish (private helper, on purpose)."""
    graph = build_graph(plan_inputs.roadmap, plan_inputs.prerequisites, "prereqs.yaml")
    problem = build_problem(plan_inputs, plan_requirements(plan_inputs, graph), start)
    return problem.axis.slot_end(problem.horizon - 1)


# --- every topic gets exactly its hours, in whole slots -------------------------------


def test_every_topic_gets_exactly_its_hours() -> None:
    hours = {"a": 2, "b": 1.5, "c": 3, "d": 0.5}
    result = plan(hours, None, profile(EVENINGS, session=rules()))
    planned = by_topic(result)
    assert {topic: sum(s.minutes for s in sessions) for topic, sessions in planned.items()} == {
        "a": 120,
        "b": 90,
        "c": 180,
        "d": 30,
    }
    assert result.planned_hours == 7
    assert result.rounded == ()


def test_hours_are_rounded_up_to_whole_slots_and_listed() -> None:
    result = plan({"a": 1.25, "b": 1}, None, profile(EVENINGS, session=rules()))
    assert sum(s.minutes for s in by_topic(result)["a"]) == 90
    assert sum(s.minutes for s in by_topic(result)["b"]) == 60
    assert result.rounded == (RoundedTopic(topic="a", hours=1.25, planned_hours=1.5),)
    assert result.planned_hours == 2.5


def test_sessions_are_whole_slots_of_45_minutes() -> None:
    # 19:00-21:00 holds two 45-min slots (90 min); 1 h is rounded up to 90 min.
    learner = profile(EVENINGS, session=rules(min_minutes=45, max_minutes=90, slot_minutes=45))
    result = plan({"a": 1.5, "b": 1}, None, learner)
    assert all(session.minutes % 45 == 0 for session in result.sessions)
    assert all(session.minutes <= 90 for session in result.sessions)
    assert result.rounded == (RoundedTopic(topic="b", hours=1, planned_hours=1.5),)
    assert {topic: sum(s.minutes for s in ss) for topic, ss in by_topic(result).items()} == {
        "a": 90,
        "b": 90,
    }


def test_profile_hours_override_the_roadmap() -> None:
    learner = profile(EVENINGS, session=rules(), hours={"a": 2, "b": 0})
    result = plan({"a": 0, "b": 3, "c": 1}, None, learner)
    planned = by_topic(result)
    assert sum(s.minutes for s in planned["a"]) == 120
    assert "b" not in planned
    assert sum(s.minutes for s in planned["c"]) == 60


# --- sessions only inside windows, never on blackout days, never before the start ------


def test_sessions_lie_inside_the_weekly_windows() -> None:
    weekly = {"mon": ["19:00-21:00"], "thu": ["22:00-00:30"], "sat": ["09:00-13:00"]}
    learner = profile(weekly, session=rules(max_minutes=120))
    result = plan({"a": 3, "b": 2.5, "c": 4, "d": 1}, None, learner)
    assert result.sessions
    outside = [s for s in result.sessions if not inside_weekly_window(s, learner)]
    assert outside == []


def test_no_session_falls_in_a_blackout_week() -> None:
    blackout = {"from": date(2027, 1, 11), "to": date(2027, 1, 17)}
    learner = profile(EVENINGS, session=rules(), blackouts=[blackout])
    result = plan({"a": 6, "b": 6, "c": 4}, None, learner)
    days = {
        moment.astimezone(BERLIN).date()
        for session in result.sessions
        for moment in (session.start, session.end - timedelta(microseconds=1))
    }
    assert not {day for day in days if date(2027, 1, 11) <= day <= date(2027, 1, 17)}
    assert max(days) > date(2027, 1, 17)  # the plan did need the weeks after it


def test_past_midnight_window_is_cut_at_a_blackout_midnight() -> None:
    # Saturday 22:00-01:00; Sunday 2027-01-10 is off, so 2027-01-09 ends at midnight.
    learner = profile(
        {"sat": ["22:00-01:00"]},
        session=rules(),
        blackouts=[{"from": date(2027, 1, 10), "to": date(2027, 1, 10)}],
    )
    result = plan({"a": 5}, None, learner)
    assert spans(list(result.sessions)) == [
        (local(date(2027, 1, 9), 22), local(date(2027, 1, 10), 0)),
        (local(date(2027, 1, 16), 22), local(date(2027, 1, 17), 1)),
    ]


def test_no_session_before_the_plans_start() -> None:
    # Starting on Wednesday: Tuesday's 23:00-01:00 window (which runs into Wednesday) and
    # Monday's window are before the start.
    weekly = {"mon": ["19:00-21:00"], "tue": ["23:00-01:00"], "wed": ["19:00-21:00"]}
    learner = profile(weekly, session=rules(), start=date(2027, 1, 6))
    result = plan({"a": 2, "b": 2}, None, learner)
    assert result.start == date(2027, 1, 6)
    assert min(s.start for s in result.sessions) == local(date(2027, 1, 6), 19)


def test_plan_starts_today_when_the_profile_gives_no_start() -> None:
    learner = profile(EVENINGS, session=rules(), start=None)
    result = plan({"a": 2}, None, learner, today=date(2027, 1, 5))
    assert result.start == date(2027, 1, 5)
    assert spans(list(result.sessions)) == [
        (local(date(2027, 1, 6), 19), local(date(2027, 1, 6), 21))
    ]


# --- no two sessions overlap -----------------------------------------------------------


def test_sessions_never_overlap() -> None:
    learner = profile({"sat": ["08:00-20:00"]}, session=rules(max_minutes=120))
    result = plan({"a": 1, "b": 2.5, "c": 0.5, "d": 3, "e": 1.5, "f": 2}, None, learner)
    assert overlapping_pairs(result) == []
    assert len(result.sessions) >= 6


# --- prerequisites first ---------------------------------------------------------------


def test_prerequisite_finishes_before_its_successor_even_against_roadmap_order() -> None:
    # b comes first in the roadmap but needs a.
    result = plan({"b": 2, "a": 3}, edges(("a", "b")), profile(EVENINGS, session=rules()))
    planned = by_topic(result)
    assert first_start(planned["b"]) >= last_end(planned["a"])


def test_a_chain_of_prerequisites_is_studied_in_chain_order() -> None:
    chain = edges(("c", "b"), ("b", "a"))
    result = plan({"a": 1, "b": 2.5, "c": 1.5}, chain, profile(EVENINGS, session=rules()))
    planned = by_topic(result)
    assert first_start(planned["b"]) >= last_end(planned["c"])
    assert first_start(planned["a"]) >= last_end(planned["b"])


def test_skipped_topic_has_no_sessions_and_its_prerequisite_chain_still_holds() -> None:
    # a -> b -> c, b skipped: c (first in the roadmap) still waits for a.
    learner = profile(EVENINGS, session=rules(), skip=["b"])
    result = plan({"c": 1, "b": 2, "a": 2}, edges(("a", "b"), ("b", "c")), learner)
    planned = by_topic(result)
    assert "b" not in planned
    assert first_start(planned["c"]) >= last_end(planned["a"])


def test_zero_hour_topic_gates_its_successors() -> None:
    # a -> z (0 h, a milestone) -> c: c waits for a.
    result = plan(
        {"c": 1, "z": 0, "a": 2}, edges(("a", "z"), ("z", "c")), profile(EVENINGS, session=rules())
    )
    planned = by_topic(result)
    assert "z" not in planned
    assert first_start(planned["c"]) >= last_end(planned["a"])


def test_skipping_a_section_skips_all_its_topics() -> None:
    hours = roadmap({"a": 1, "b": 2}, {"c": 1.5})
    result = plan(hours, None, profile(EVENINGS, session=rules(), skip=["s1"]))
    assert {session.topic for session in result.sessions} == {"c"}


def test_everything_skipped_gives_an_empty_plan() -> None:
    result = plan({"a": 1, "b": 2}, None, profile(EVENINGS, session=rules(), skip=["a", "b"]))
    assert result.sessions == ()
    assert result.finish is None


# --- session length: min_minutes and max_minutes ---------------------------------------


TWO_HOUR_EVENINGS = {"mon": ["19:00-21:00"], "wed": ["19:00-21:00"], "sat": ["19:00-21:00"]}


def test_no_session_but_a_topics_last_is_shorter_than_min_minutes() -> None:
    learner = profile(TWO_HOUR_EVENINGS, session=rules(min_minutes=90))
    result = plan({"a": 2.5, "b": 1.5, "c": 3, "d": 2}, None, learner)
    for sessions in by_topic(result).values():
        assert all(session.minutes >= 90 for session in sessions[:-1])


def test_min_minutes_moves_a_topic_to_the_next_window() -> None:
    # a takes Monday 19:00-20:00; b (after a) could start at 20:00 only with a 60-min
    # first session, so with min_minutes 90 it waits for Wednesday.
    strict = plan(
        {"a": 1, "b": 2}, edges(("a", "b")), profile(TWO_HOUR_EVENINGS, session=rules(90))
    )
    assert spans(by_topic(strict)["b"]) == [
        (local(date(2027, 1, 6), 19), local(date(2027, 1, 6), 21))
    ]
    loose = plan({"a": 1, "b": 2}, edges(("a", "b")), profile(TWO_HOUR_EVENINGS, session=rules(60)))
    assert spans(by_topic(loose)["b"]) == [
        (local(MONDAY, 20), local(MONDAY, 21)),
        (local(date(2027, 1, 6), 19), local(date(2027, 1, 6), 20)),
    ]


def test_max_minutes_splits_a_three_hour_window_into_three_sessions() -> None:
    learner = profile({"sat": ["09:00-12:00"]}, session=rules(min_minutes=60, max_minutes=60))
    result = plan({"a": 3}, None, learner)
    saturday = date(2027, 1, 9)
    assert spans(list(result.sessions)) == [
        (local(saturday, 9), local(saturday, 10)),
        (local(saturday, 10), local(saturday, 11)),
        (local(saturday, 11), local(saturday, 12)),
    ]
    assert all(session.minutes <= 60 for session in result.sessions)


def test_max_minutes_holds_with_several_topics_in_a_long_window() -> None:
    learner = profile({"sat": ["09:00-12:00"]}, session=rules(min_minutes=30, max_minutes=60))
    result = plan({"a": 2, "b": 1}, None, learner)
    assert all(session.minutes <= 60 for session in result.sessions)
    assert len(result.sessions) == 3
    assert max(s.end for s in result.sessions) == local(date(2027, 1, 9), 12)


# --- daylight saving time --------------------------------------------------------------


def test_windows_keep_their_wall_clock_time_across_dst() -> None:
    learner = profile(EVENINGS, session=rules(), start=date(2027, 3, 15))
    result = plan({"a": 8, "b": 8, "c": 8}, None, learner)
    offsets = {session.start.utcoffset() for session in result.sessions}
    assert offsets == {timedelta(hours=1), timedelta(hours=2)}  # the plan crosses DST
    outside = [s for s in result.sessions if not inside_weekly_window(s, learner)]
    assert outside == []
    assert {s.start.astimezone(BERLIN).time() for s in result.sessions} <= {
        time(19),
        time(20),
        time(9),
        time(11),
    }


SPRING_FORWARD = [
    ("Europe/Berlin", date(2027, 3, 28), "01:30-03:30", 60),
    ("America/New_York", date(2027, 3, 14), "01:30-03:30", 60),
    ("Australia/Lord_Howe", date(2027, 10, 3), "01:00-03:00", 90),
]
FALL_BACK = [
    ("Europe/Berlin", date(2027, 10, 31), "01:30-03:30", 180),
    ("America/New_York", date(2027, 11, 7), "00:30-02:30", 180),
    ("Australia/Lord_Howe", date(2027, 4, 4), "01:00-03:00", 150),
]


@pytest.mark.parametrize(("zone", "night", "window", "real_minutes"), SPRING_FORWARD + FALL_BACK)
def test_dst_night_window_has_its_real_length(
    zone: str, night: date, window: str, real_minutes: int
) -> None:
    # A window loses a skipped hour and gains a repeated one; the one session that fills it
    # starts and ends at the window's wall-clock times and lasts its real minutes.
    learner = profile({"sun": [window]}, timezone=zone, start=night, session=rules(30, 180, 30))
    result = plan({"a": real_minutes / 60}, None, learner)
    (only,) = result.sessions
    tz = ZoneInfo(zone)
    first, last = window.split("-")
    assert only.start.astimezone(tz).strftime("%Y-%m-%d %H:%M") == f"{night} {first}"
    assert only.end.astimezone(tz).strftime("%Y-%m-%d %H:%M") == f"{night} {last}"
    assert only.minutes == real_minutes


def test_window_swallowed_by_the_skipped_hour_is_not_used() -> None:
    learner = profile({"sun": ["02:00-02:30"]}, start=date(2027, 3, 28), session=rules(30, 60, 30))
    result = plan({"a": 0.5}, None, learner)
    assert spans(list(result.sessions)) == [
        (local(date(2027, 4, 4), 2), local(date(2027, 4, 4), 2, 30))
    ]


# --- bad input and impossible requests -------------------------------------------------


def test_no_study_time_is_infeasible() -> None:
    with pytest.raises(InfeasiblePlanError) as raised:
        plan({"a": 1}, None, profile({}, session=rules()))
    assert str(raised.value) == (
        "me.yaml: the profile has no study time: `weekly` gives no window outside blackouts"
    )


def test_window_shorter_than_one_slot_gives_no_study_time() -> None:
    with pytest.raises(InfeasiblePlanError) as raised:
        plan({"a": 1}, None, profile({"mon": ["19:00-19:20"]}, session=rules()))
    assert str(raised.value) == (
        "me.yaml: every study window is shorter than session.min_minutes (60 min; the "
        "longest is 20 min): lower min_minutes or add longer windows"
    )


def test_windows_shorter_than_min_minutes_are_infeasible_for_a_longer_topic() -> None:
    learner = profile({"mon": ["19:00-20:00"], "thu": ["19:00-19:30"]}, session=rules(90))
    with pytest.raises(InfeasiblePlanError) as raised:
        plan({"a": 1, "b": 2}, None, learner)
    assert str(raised.value) == (
        "me.yaml: every study window is shorter than session.min_minutes (90 min; the "
        "longest is 60 min): lower min_minutes or add longer windows"
    )


def test_windows_shorter_than_min_minutes_are_not_used() -> None:
    # Even for topics that would fit: a window that cannot hold a minimum session is
    # left out of the plan (documented), so that long topics can run on across it.
    learner = profile({"mon": ["19:00-20:00"]}, session=rules(90))
    with pytest.raises(InfeasiblePlanError, match="every study window is shorter"):
        plan({"a": 1, "b": 0.5}, None, learner)


@pytest.mark.parametrize(
    ("fields", "where"),
    [({"hours": {"zz": 2}}, "hours.zz"), ({"skip": ["a", "zz"]}, "skip[1]")],
)
def test_unknown_topic_in_the_profile_names_the_id_and_the_file(
    fields: dict[str, Any], where: str
) -> None:
    with pytest.raises(UnknownTopicError) as raised:
        plan({"a": 1}, None, profile(EVENINGS, session=rules(), **fields))
    assert (raised.value.topic_id, raised.value.path) == ("zz", "me.yaml")
    assert str(raised.value) == (
        f"me.yaml: {where}: unknown topic or section id 'zz' (`planner topics` lists the ids)"
    )


def test_unknown_topic_in_the_prerequisites_names_the_id_and_the_file() -> None:
    with pytest.raises(UnknownTopicError) as raised:
        plan({"a": 1}, edges(("a", "nope")), profile(EVENINGS, session=rules()))
    assert str(raised.value).startswith(
        "prereqs.yaml: edges[0].after: unknown topic or section id 'nope'"
    )


@pytest.mark.parametrize(
    ("pairs", "shown"),
    [
        ((("a", "b"), ("b", "a")), "a -> b -> a"),
        ((("a", "b"), ("b", "c"), ("c", "a")), "a -> b -> c -> a"),
    ],
)
def test_cycle_is_named(pairs: tuple[tuple[str, str], ...], shown: str) -> None:
    with pytest.raises(CycleError) as raised:
        plan({"a": 1, "b": 1, "c": 1}, edges(*pairs), profile(EVENINGS, session=rules()))
    assert str(raised.value) == f"prereqs.yaml: prerequisites form a cycle: {shown}"
    assert raised.value.cycle == shown.split(" -> ")


def test_prerequisites_of_another_roadmap_are_refused() -> None:
    other = Prerequisites(roadmap="other", edges=())
    with pytest.raises(PlannerError, match="these prerequisites are for roadmap 'other'"):
        plan({"a": 1}, other, profile(EVENINGS, session=rules()))


# --- objectives: earliest finish, fewest sessions, roadmap order -----------------------


def test_finish_equals_the_lower_bound_when_the_windows_allow_it() -> None:
    result = plan({"a": 2, "b": 4, "c": 2}, None, profile(EVENINGS, session=rules()))
    assert result.finish == result.lower_bound_finish == local(date(2027, 1, 9), 13)
    assert result.solver.finish_proven_optimal


def test_finish_stays_after_the_lower_bound_when_prerequisites_force_idle_time() -> None:
    # b needs a and a 120-min first session: Monday 20:00-21:00 stays empty.
    learner = profile(TWO_HOUR_EVENINGS, session=rules(min_minutes=120))
    result = plan({"a": 1, "b": 2}, edges(("a", "b")), learner)
    assert result.lower_bound_finish == local(date(2027, 1, 6), 20)
    assert result.finish == local(date(2027, 1, 6), 21)


@pytest.mark.parametrize("zone", ["America/Los_Angeles", "Asia/Tokyo", "Pacific/Chatham"])
def test_a_finish_the_window_lengths_force_is_proven_the_earliest(zone: str) -> None:
    # One 90-min window a week, two 1-hour topics: the 30 min the first leaves cannot
    # start the second (60 min at least), so no order finishes before the second
    # Saturday's 09:00, 30 min after the hours alone would fit; the plan says so.
    learner = profile({"sat": ["08:00-09:30"]}, timezone=zone, session=rules(60, 180))
    result = plan({"a": 1, "b": 1}, None, learner)
    assert result.lower_bound_finish == local(date(2027, 1, 16), 8, 30, ZoneInfo(zone))
    assert result.finish == local(date(2027, 1, 16), 9, 0, ZoneInfo(zone))
    assert result.solver.finish_proven_optimal
    assert result.solver.status == "OPTIMAL"


def test_finish_beats_the_list_schedule_when_it_can() -> None:
    # In free order; within 3 places of the roadmap's order it finishes 30 min later.
    pairs = edges(("a", "f"), ("b", "c"), ("c", "d"), ("c", "f"))
    weekly = {"sun": ["19:00-21:00"], "wed": ["07:00-08:30"]}
    learner = profile(weekly, session=rules(60, 120), order="free")
    plan_inputs = inputs({"a": 3, "b": 2.5, "c": 2, "d": 3, "e": 4, "f": 2.5}, pairs, learner)
    result = make_plan(plan_inputs, today=MONDAY).plan
    assert result.finish is not None
    assert result.finish < list_schedule_finish(plan_inputs, MONDAY)
    assert result.finish == result.lower_bound_finish
    balanced = make_plan(
        plan_inputs.with_profile(profile(weekly, session=rules(60, 120))), today=MONDAY
    ).plan
    assert balanced.finish == result.finish + timedelta(minutes=30)


@pytest.mark.parametrize(
    ("zone", "weekly", "session_rules", "start"),
    [
        # Spring forward inside the window: one of them loses an hour.
        ("America/Los_Angeles", {"sun": ["01:00-03:30"]}, rules(60, 90), date(2027, 3, 8)),
        # min = max = the window: blocks that hold one topic each.
        ("Asia/Tokyo", {"sat": ["09:00-10:30"]}, rules(90, 90), MONDAY),
        ("Pacific/Chatham", {"mon": ["23:00-01:00"], "thu": ["19:00-20:30"]}, rules(60, 120, 15),
         MONDAY),
    ],
)  # fmt: skip
def test_the_problem_carries_the_list_schedule_the_solver_would_make(
    zone: str, weekly: dict[str, list[str]], session_rules: dict[str, int], start: date
) -> None:
    # horizon.py makes the list schedule to size the axis and passes it on as the
    # solver's fallback: it must be the one the solver would make on the cut axis.
    learner = profile(weekly, timezone=zone, session=session_rules, start=start)
    plan_inputs = inputs({"a": 2, "b": 1.5, "c": 3, "d": 1}, edges(("a", "c")), learner)
    graph = build_graph(plan_inputs.roadmap, plan_inputs.prerequisites, "prereqs.yaml")
    problem = build_problem(plan_inputs, plan_requirements(plan_inputs, graph), start)
    assert problem.list_schedule_starts is not None
    assert list(problem.list_schedule_starts) == list_schedule(problem)


def test_fewest_sessions_beats_the_list_schedule() -> None:
    # Three 90-min windows; 0.5 h + 1.5 h + 1 h in roadmap order would take 4 sessions
    # (the list schedule); b first, then a and c sharing one window, takes 3.
    weekly = {"mon": ["19:00-20:30"], "wed": ["19:00-20:30"], "fri": ["19:00-20:30"]}
    plan_inputs = inputs({"a": 0.5, "b": 1.5, "c": 1}, None, profile(weekly, session=rules(60, 90)))
    result = make_plan(plan_inputs, today=MONDAY).plan
    assert result.solver.list_schedule_sessions == 4
    assert len(result.sessions) == result.solver.sessions == 3
    assert result.finish == result.lower_bound_finish
    assert result.finish == list_schedule_finish(plan_inputs, MONDAY)


def test_roadmap_order_breaks_ties() -> None:
    result = plan({"b": 2, "a": 2, "c": 2}, None, profile(TWO_HOUR_EVENINGS, session=rules()))
    assert [session.topic for session in result.sessions] == ["b", "a", "c"]


# --- known bugs (see the report): each test states the behaviour the spec asks for -----


@pytest.mark.parametrize(
    ("weekly", "start"),
    [
        ({"sun": ["01:00-02:00", "02:00-03:00"]}, date(2027, 10, 31)),
        ({"sat": ["23:00-02:00"], "sun": ["02:00-04:00"]}, date(2027, 10, 30)),
    ],
)
def test_touching_windows_on_a_fall_back_night_do_not_overlap(
    weekly: dict[str, list[str]], start: date
) -> None:
    learner = profile(weekly, start=start, session=rules(60, 180, 60))
    result = plan({"a": 3, "b": 2}, None, learner)
    assert overlapping_pairs(result) == []


def test_sessions_inside_the_repeated_hour_are_planned() -> None:
    learner = profile(
        {"sun": ["02:00-03:00"]}, start=date(2027, 10, 31), session=rules(30, 120, 30)
    )
    result = plan({"a": 0.5, "b": 0.5, "c": 0.5}, None, learner)
    assert [session.minutes for session in result.sessions] == [30, 30, 30]
    assert overlapping_pairs(result) == []


@pytest.mark.parametrize(
    ("window", "session_rules", "hours", "expected_minutes"),
    [
        # 120 min, sessions of exactly 90: split 60 + 60; one 90-min session fits.
        ("19:00-21:00", rules(90, 90, 30), 1.5, [90]),
        # 150 min, sessions 90-120: split 90 + 60; two 120-min sessions fit.
        ("19:00-21:30", rules(90, 120, 30), 4, [120, 120]),
    ],
)
def test_window_split_keeps_room_for_a_minimum_session(
    window: str, session_rules: dict[str, int], hours: float, expected_minutes: list[int]
) -> None:
    result = plan({"a": hours}, None, profile({"mon": [window]}, session=session_rules))
    assert [session.minutes for session in result.sessions] == expected_minutes


def test_short_weekday_window_does_not_block_a_long_topic() -> None:
    # Saturday 3 h twice is a valid plan for 6 h; Monday's 1 h window is too short to use.
    learner = profile({"mon": ["19:00-20:00"], "sat": ["09:00-12:00"]}, session=rules(90))
    result = plan({"a": 6}, None, learner)
    assert spans(list(result.sessions)) == [
        (local(date(2027, 1, 9), 9), local(date(2027, 1, 9), 12)),
        (local(date(2027, 1, 16), 9), local(date(2027, 1, 16), 12)),
    ]


@pytest.mark.xfail(
    strict=True,
    reason="LIMITATION: each topic is one contiguous run of axis slots, so topics never "
    "interleave; here interleaving finishes 3 days earlier, at lower_bound_finish",
)
def test_interleaving_topics_reaches_the_lower_bound() -> None:
    # Valid and earliest: a Mon 60 | b Wed 60 | a Fri 30 (its last) + b Fri 30 (its last).
    weekly = {"mon": ["19:00-20:00"], "wed": ["19:00-20:00"], "fri": ["19:00-20:00"]}
    result = plan({"a": 1.5, "b": 1.5}, None, profile(weekly, session=rules(60, 60)))
    assert result.finish == result.lower_bound_finish == local(date(2027, 1, 8), 20)
