"""Property tests: make_plan on small random roadmaps, prerequisites and profiles.

Each generated case is checked against the solver-independent validation (re-run here)
and against properties computed in UTC by this file: exact minutes, no overlap,
prerequisites, session lengths, blackouts, the plan's start, its lower bounds, and the
list schedule it must never be worse than. The study windows themselves are expanded
a second time (tests/window_oracle.py), with zoneinfo and nothing of `planner.timeline`
(an independent oracle for the DST rules: the validator shares the planner's window
code, so a bug there would pass it). Runs are reproducible: derandomized, no example
database.

Generated profiles include DST nights (spring forward and fall back), past-midnight
windows, blackouts and session rules under which some windows are too short to use.
"""

from __future__ import annotations

import functools
import itertools
import math
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import networkx as nx
from hypothesis import HealthCheck, event, given, reject, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from planner.errors import InfeasiblePlanError, PlannerError
from planner.inputs.graph import build_graph
from planner.inputs.plan_inputs import PlanInputs
from planner.models.fields import WEEKDAYS
from planner.models.order import ORDER_MODES
from planner.models.plan import Plan, StudySession
from planner.models.profile import Profile
from planner.models.roadmap import Edge, Prerequisites, Roadmap, Section, Topic
from planner.planning.horizon import build_problem
from planner.planning.pipeline import make_plan
from planner.planning.requirements import PlanRequirements, plan_requirements
from planner.planning.validation import validate_plan
from planner.solver.list_schedule import list_schedule
from planner.solver.score import finish_of
from tests.window_oracle import assert_inside_oracle_windows, instant_of, oracle_windows

ZONES = ["Europe/Berlin", "America/New_York", "Australia/Lord_Howe", "Asia/Kolkata"]
WINDOWS = [
    "19:00-21:00",
    "18:00-19:30",
    "09:00-13:00",
    "07:00-08:00",
    "12:00-12:45",
    "20:00-20:20",  # shorter than most slots
    "01:30-03:30",  # DST hours: Berlin, New York, Lord Howe change inside or next to these
    "00:30-02:30",
    "01:00-03:00",
    "02:00-04:00",
    "23:00-01:00",  # past midnight
    "22:30-02:30",
]
HOURS = [*(half / 2 for half in range(1, 13)), 0.0]  # 0.5 .. 6, and 0 (a milestone)
SLOT_MINUTES = [15, 30, 45, 60]
MAX_MINUTES = [30, 60, 90, 120, 180, 240]
MIN_MINUTES = [0, 15, 30, 45, 60, 90, 120]

PROPERTY_SETTINGS = settings(
    max_examples=25,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)


@dataclass(frozen=True)
class Case:
    inputs: PlanInputs
    today: date


@functools.cache
def clock_change_days(zone_name: str) -> tuple[frozenset[date], frozenset[date]]:
    """Days (2026-2035) whose early hours are skipped (spring forward) and days whose
    early hours repeat (fall back)."""
    zone = ZoneInfo(zone_name)
    forward, back = set(), set()
    day = date(2026, 1, 1)
    while day < date(2036, 1, 1):
        noon, noon_before = (
            datetime.combine(moment, time(12), tzinfo=zone).utcoffset() or timedelta()
            for moment in (day, day - timedelta(days=1))
        )
        if noon > noon_before:
            forward.add(day)
        elif noon < noon_before:
            back.add(day)
        day += timedelta(days=1)
    return frozenset(forward), frozenset(back)


def fall_back_days(zone_name: str) -> frozenset[date]:
    return clock_change_days(zone_name)[1]


def window_minutes(text: str) -> int:
    """Wall-clock length of a weekly window (on a day without a DST change)."""
    first, last = (datetime.strptime(part, "%H:%M") for part in text.split("-"))
    return int((last - first).total_seconds() // 60) % (24 * 60) or 24 * 60


@st.composite
def planning_cases(draw: st.DrawFn) -> Case:
    count = draw(st.integers(1, 8))
    topic_ids = [f"t{index}" for index in range(count)]
    hours = draw(st.lists(st.sampled_from(HOURS), min_size=count, max_size=count))
    pairs = list(itertools.combinations(topic_ids, 2))  # lower -> higher index: acyclic
    chosen = draw(st.lists(st.sampled_from(pairs), unique=True, max_size=6)) if pairs else []
    split = draw(st.integers(0, count - 1))
    topics = [
        Topic(id=topic_id, title=f"Topic {topic_id}", hours=topic_hours)
        for topic_id, topic_hours in zip(topic_ids, hours, strict=True)
    ]
    groups = [group for group in (topics[:split], topics[split:]) if group]
    roadmap = Roadmap(
        id="r",
        title="Random roadmap",
        sections=tuple(
            Section(
                id=f"s{index}",
                title=f"S{index}",
                hours=sum(t.hours for t in group),
                topics=tuple(group),
            )
            for index, group in enumerate(groups, 1)
        ),
    )
    prerequisites = Prerequisites(
        roadmap="r", edges=tuple(Edge(before=b, after=a, why="w") for b, a in sorted(chosen))
    )

    zone = draw(st.sampled_from(ZONES))
    days = draw(st.lists(st.sampled_from(WEEKDAYS), min_size=1, max_size=4, unique=True))
    weekly = {day: [draw(st.sampled_from(WINDOWS))] for day in days}
    slot = draw(st.sampled_from(SLOT_MINUTES))
    max_minutes = draw(st.sampled_from([m for m in MAX_MINUTES if m >= slot]))
    min_choices = [m for m in MIN_MINUTES if m <= max_minutes]
    min_minutes = draw(st.sampled_from(min_choices))

    changes_2027 = sorted(
        day for days in clock_change_days(zone) for day in days if day.year == 2027
    )
    near_a_change = st.builds(
        lambda day, days_before: day - timedelta(days=days_before),
        st.sampled_from(changes_2027 or [date(2027, 3, 28)]),
        st.integers(1, 6),
    )
    start = draw(st.one_of(near_a_change, st.dates(date(2027, 1, 1), date(2027, 12, 31))))
    blackouts = [
        {"from": start + timedelta(days=offset), "to": start + timedelta(days=offset + length)}
        for offset, length in draw(
            st.lists(st.tuples(st.integers(0, 120), st.integers(0, 13)), max_size=2)
        )
    ]
    skip = draw(st.lists(st.sampled_from(topic_ids), unique=True, max_size=1))
    overrides = draw(
        st.dictionaries(st.sampled_from(topic_ids), st.sampled_from(HOURS), max_size=1)
    )
    try:
        profile = Profile.model_validate(
            {
                "timezone": zone,
                "start": start,
                "weekly": weekly,
                "blackouts": blackouts,
                "session": {
                    "min_minutes": min_minutes,
                    "max_minutes": max_minutes,
                    "slot_minutes": slot,
                },
                "hours": overrides,
                "skip": skip,
                "order": draw(st.sampled_from(ORDER_MODES)),
                "max_shift": draw(st.integers(0, 3)),
            }
        )
    except ValidationError:  # e.g. a past-midnight window overlapping the next day's
        reject()
    return Case(PlanInputs(roadmap, prerequisites, profile), today=start)


# --- an independent oracle for windows and DST ---------------------------------------------


def oracle_earliest_finish(profile: Profile, start_day: date, needed_minutes: int) -> datetime:
    """When the usable time of the oracle's windows first covers `needed_minutes`: a
    window's usable time is the most whole slots that split into sessions of
    min_minutes..max_minutes (the rest cannot hold a session)."""
    rules = profile.session
    slot, longest = rules.slot_minutes, rules.max_minutes // rules.slot_minutes
    shortest = max(math.ceil(rules.min_minutes / slot), 1)
    needed = needed_minutes // slot
    day = start_day
    while True:
        for start, end in oracle_windows(profile, day, day + timedelta(days=27)):
            slots = int((end - start).total_seconds() // 60) // slot
            usable = next(
                (u for u in range(slots, 0, -1) if u >= math.ceil(u / longest) * shortest), 0
            )
            if usable >= needed:
                return start + timedelta(minutes=needed * slot)
            needed -= usable
        day += timedelta(days=28)


def test_the_oracle_reads_dst_nights_as_the_guide_says() -> None:
    berlin = ZoneInfo("Europe/Berlin")
    # Spring forward 2027-03-28: 02:00-03:00 does not exist; 01:30-03:30 is 1 h long.
    start = instant_of(datetime(2027, 3, 28, 1, 30), berlin)
    end = instant_of(datetime(2027, 3, 28, 3, 30), berlin)
    assert end - start == timedelta(hours=1)
    assert instant_of(datetime(2027, 3, 28, 2, 30), berlin) == datetime(2027, 3, 28, 1, tzinfo=UTC)
    # Fall back 2027-10-31: 02:00-03:00 happens twice; 01:30-03:30 is 3 h long, and
    # "01:00-02:00" ends where "02:00-03:00" begins.
    start = instant_of(datetime(2027, 10, 31, 1, 30), berlin)
    end = instant_of(datetime(2027, 10, 31, 3, 30), berlin)
    assert end - start == timedelta(hours=3)
    assert instant_of(datetime(2027, 10, 31, 2, 0), berlin) == datetime(2027, 10, 31, 0, tzinfo=UTC)


def requirements_of(inputs: PlanInputs) -> PlanRequirements:
    graph = build_graph(inputs.roadmap, inputs.prerequisites, inputs.prerequisites_path)
    return plan_requirements(inputs, graph)


def utc(moment: datetime) -> datetime:
    return moment.astimezone(UTC)


def sessions_by_topic(plan: Plan) -> dict[str, list[StudySession]]:
    """Each topic's sessions in real-time order."""
    grouped: dict[str, list[StudySession]] = defaultdict(list)
    for session in sorted(plan.sessions, key=lambda s: utc(s.start)):
        grouped[session.topic].append(session)
    return grouped


def list_schedule_finish(inputs: PlanInputs, requirements: PlanRequirements, day: date) -> datetime:
    """Where the list schedule (first ready topic first) ends (private helpers, on purpose)."""
    problem = build_problem(inputs, requirements, day)
    starts = list_schedule(problem)
    assert starts is not None
    return utc(problem.axis.slot_end(finish_of(problem, starts) - 1))


def only_short_windows(profile: Profile) -> bool:
    """No window holds a whole slot, or none holds min_minutes in whole slots."""
    rules = profile.session
    usable = [
        window_minutes(str(window)) // rules.slot_minutes * rules.slot_minutes
        for windows in profile.weekly.values()
        for window in windows
    ]
    return all(minutes < max(rules.min_minutes, 1) for minutes in usable)


def expected_minutes(inputs: PlanInputs) -> dict[str, int]:
    """Each topic's minutes, worked out here: overrides, skips, 0 h left out, whole slots."""
    profile = inputs.profile
    slot = profile.session.slot_minutes
    skipped = {
        topic.id
        for section in inputs.roadmap.sections
        for topic in section.topics
        if topic.id in profile.skip or section.id in profile.skip
    }
    minutes = {}
    for topic in inputs.roadmap.topics:
        hours = profile.hours.get(topic.id, topic.hours)
        if hours and topic.id not in skipped:
            minutes[topic.id] = math.ceil(hours * 60 / slot) * slot
    return minutes


def assert_plan_obeys_the_rules(case: Case, plan: Plan) -> None:
    inputs, profile = case.inputs, case.inputs.profile
    rules = profile.session
    requirements = requirements_of(inputs)

    assert validate_plan(plan, profile, requirements) == []

    grouped = sessions_by_topic(plan)
    planned = {topic: sum(s.minutes for s in sessions) for topic, sessions in grouped.items()}
    assert planned == requirements.minutes == expected_minutes(inputs)
    assert sum(s.minutes for s in plan.sessions) == sum(requirements.minutes.values())
    assert not set(grouped) & set(profile.skip)
    assert len({s.uid for s in plan.sessions}) == len(plan.sessions)

    ordered = sorted(plan.sessions, key=lambda s: utc(s.start))
    for earlier, later in itertools.pairwise(ordered):
        assert utc(earlier.end) <= utc(later.start), (earlier, later)
    # Every path of the full graph, through skipped and 0-hour topics too.
    graph = build_graph(inputs.roadmap, inputs.prerequisites, inputs.prerequisites_path)
    for before in grouped:
        for after in nx.descendants(graph, before) & set(grouped):
            assert utc(grouped[before][-1].end) <= utc(grouped[after][0].start), (before, after)
    for sessions in grouped.values():
        for position, session in enumerate(sessions):
            assert session.minutes % rules.slot_minutes == 0
            assert 0 < session.minutes <= rules.max_minutes
            if position < len(sessions) - 1:
                assert session.minutes >= rules.min_minutes
    for session in plan.sessions:
        for moment in (session.start, session.end - timedelta(microseconds=1)):
            day = moment.astimezone(profile.zone).date()
            assert day >= plan.start
            assert not profile.is_blackout(day)

    if not requirements.minutes:
        assert plan.sessions == () and plan.finish is None
        return
    assert_inside_oracle_windows(plan.sessions, profile, plan.start)
    assert plan.finish is not None and plan.lower_bound_finish is not None
    needed = sum(requirements.minutes.values())
    assert utc(plan.lower_bound_finish) == oracle_earliest_finish(profile, plan.start, needed)
    assert utc(plan.finish) == max(utc(s.end) for s in plan.sessions)
    assert utc(plan.finish) >= utc(plan.lower_bound_finish)
    assert len(plan.sessions) == plan.solver.sessions >= plan.solver.sessions_lower_bound
    assert_order_mode_contract(plan, profile)
    if profile.order == "free":
        # Never worse than the list schedule, in the objectives' order: the finish
        # first, then the sessions (an earlier finish may take more sessions).
        list_finish = list_schedule_finish(inputs, requirements, plan.start)
        assert utc(plan.finish) <= list_finish
        if utc(plan.finish) == list_finish:
            assert plan.solver.sessions <= plan.solver.list_schedule_sessions


def assert_order_mode_contract(plan: Plan, profile: Profile) -> None:
    """The plan reports its order mode, and the other modes' plans (solved alongside,
    unless the plan is at both bounds) are never better where they should not be:
    roadmap <= balanced <= free in the objectives' order, and balanced no later and with
    no more sessions than roadmap."""
    assert plan.order is not None and plan.order.mode == profile.order
    topics = len({session.topic for session in plan.sessions})
    assert plan.order.pairs == topics * (topics - 1) // 2
    if profile.order == "roadmap":
        assert plan.order.inversions == plan.order.largest_shift == 0
    if profile.order == "balanced":
        assert plan.order.largest_shift <= profile.max_shift
    modes = {alternative.mode: alternative for alternative in plan.order.alternatives}
    # A mode is left unsolved only when it cannot do better: the plan is at both bounds.
    unbeatable_by = set(plan.order.unbeatable_by)
    assert not unbeatable_by or plan.solver.status == "OPTIMAL"
    assert sorted([*modes, *unbeatable_by]) == sorted(set(ORDER_MODES) - {profile.order})
    assert plan.finish is not None
    finishes = {mode: utc(plan.finish) for mode in ORDER_MODES}
    sessions = dict.fromkeys(ORDER_MODES, plan.solver.sessions)
    for mode, alternative in modes.items():
        assert alternative.finish is not None
        finishes[mode], sessions[mode] = utc(alternative.finish), alternative.sessions
    assert "roadmap" not in modes or modes["roadmap"].inversions == 0
    assert finishes["balanced"] <= finishes["roadmap"]
    assert sessions["balanced"] <= sessions["roadmap"]
    assert (finishes["free"], sessions["free"]) <= (finishes["balanced"], sessions["balanced"])


@PROPERTY_SETTINGS
@given(planning_cases())
def test_plan_obeys_every_rule_or_is_infeasible_for_lack_of_windows(case: Case) -> None:
    try:
        result = make_plan(case.inputs, today=case.today)
    except InfeasiblePlanError:
        event("infeasible")
        assert only_short_windows(case.inputs.profile)
        return
    offsets = {session.start.utcoffset() for session in result.plan.sessions}
    event(
        {0: "plan without sessions", 1: "plan in one UTC offset"}.get(
            len(offsets), "plan across DST"
        )
    )
    assert_plan_obeys_the_rules(case, result.plan)


@PROPERTY_SETTINGS
@given(planning_cases())
def test_same_inputs_give_the_same_plan(case: Case) -> None:
    # A run may fail (only short windows); both runs must then fail the same way.
    outcomes = []
    for _run in range(2):
        try:
            outcomes.append(make_plan(case.inputs, today=case.today).plan.model_dump_json())
        except PlannerError as error:
            outcomes.append(f"{type(error).__name__}: {error}")
    assert outcomes[0] == outcomes[1]


DST_ZONES = ["Europe/Berlin", "America/New_York", "Australia/Lord_Howe"]
DST_WINDOWS = ["01:30-03:30", "00:30-02:30", "01:00-03:00", "02:00-04:00", "22:30-02:30"]


@st.composite
def dst_night_cases(draw: st.DrawFn) -> Case:
    """A window on the weekday of a clock change, starting shortly before it, and enough
    hours to study through that night: where a naive wall-clock length would be wrong."""
    zone = draw(st.sampled_from(DST_ZONES))
    change = draw(st.sampled_from(sorted(d for ds in clock_change_days(zone) for d in ds
                                         if d.year == 2027)))  # fmt: skip
    window = draw(st.sampled_from(DST_WINDOWS))
    # A past-midnight window crosses into the change day from the day before.
    day = change - timedelta(days=1) if window.startswith("22") else change
    slot = draw(st.sampled_from([15, 30, 60]))
    hours = draw(st.sampled_from([2.0, 3.5, 5.0, 8.0]))
    topic = Topic(id="t", title="Topic", hours=hours)
    roadmap = Roadmap(id="r", title="R", sections=(Section(id="s", title="S", hours=hours,
                                                          topics=(topic,)),))  # fmt: skip
    profile = Profile.model_validate(
        {
            "timezone": zone,
            "start": day - timedelta(days=draw(st.integers(0, 6))),
            "weekly": {WEEKDAYS[day.weekday()]: [window]},
            "session": {"min_minutes": 0, "max_minutes": 240, "slot_minutes": slot},
        }
    )
    return Case(PlanInputs(roadmap, Prerequisites(roadmap="r"), profile), today=day)


@PROPERTY_SETTINGS
@given(dst_night_cases())
def test_study_through_dst_nights_is_measured_in_real_time(case: Case) -> None:
    plan = make_plan(case.inputs, today=case.today).plan
    assert_plan_obeys_the_rules(case, plan)


def test_fall_back_days_are_found() -> None:
    assert date(2027, 10, 31) in fall_back_days("Europe/Berlin")
    assert date(2027, 11, 7) in fall_back_days("America/New_York")
    assert date(2027, 4, 4) in fall_back_days("Australia/Lord_Howe")
    assert fall_back_days("Asia/Kolkata") == frozenset()
