"""The solver's parts on hand-made axes: start tables, bounds, list schedule, beam, CP-SAT."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from planner.models.profile import SessionRules
from planner.solver.beam import beam_schedule
from planner.solver.bounds import capacity_bound, finish_bound, sessions_lower_bound
from planner.solver.list_schedule import list_schedule
from planner.solver.order import OrderRule
from planner.solver.problem import SchedulingProblem
from planner.solver.search import solve
from planner.timeline.axis import TimeAxis


def axis_of(*block_slots: int) -> TimeAxis:
    """Blocks of the given sizes (30-min slots), one a day."""
    start = datetime(2027, 1, 4, 18, tzinfo=UTC)
    offsets, offset = [], 0
    for size in block_slots:
        offsets.append(offset)
        offset += size
    return TimeAxis(
        slot=timedelta(minutes=30),
        block_starts=tuple(start + timedelta(days=day) for day in range(len(block_slots))),
        block_slots=block_slots,
        block_offsets=tuple(offsets),
    )


def problem_of(
    durations: list[int], blocks: list[int], predecessors: dict[int, tuple[int, ...]] | None = None,
    min_slots: int = 2, max_slots: int = 6,
) -> SchedulingProblem:  # fmt: skip
    predecessors = predecessors or {}
    return SchedulingProblem(
        topic_ids=tuple(f"t{index}" for index in range(len(durations))),
        durations=tuple(durations),
        predecessors=tuple(predecessors.get(index, ()) for index in range(len(durations))),
        reference_order=tuple(range(len(durations))),
        axis=axis_of(*blocks),
        rules=SessionRules(min_minutes=30 * min_slots, max_minutes=30 * max_slots, slot_minutes=30),
    )


def test_start_table_counts_sessions_and_forbids_short_first_sessions() -> None:
    problem = problem_of([5], [4, 4, 4])
    table = problem.start_tables[0]
    # Start 3 leaves a 1-slot first session (< 2): forbidden. Start 4 is a block edge.
    assert table.allowed == [True, True, True, False, True, True, True, False]
    assert table.sessions == [2] * 8
    # Starting at 0 leaves 1 slot for the last session: a scrap (allowed, unwelcome).
    assert table.scraps[:3] == [True, False, False]
    assert table.earliest_start(3) == 4


def test_next_cheaper_start_skips_starts_that_are_no_better() -> None:
    """The band search follows `next_cheaper` from a start: the first allowed start after
    it with fewer sessions, or as many without a scrap; the others are never worth it."""
    table = problem_of([5], [4, 4, 4]).start_tables[0]
    assert table.scraps == [True, False, False, False, True, False, False, False]
    # 0 and 4 end in a scrap, 1 and 5 (2 sessions each) do not; 3 and 7 are not allowed.
    assert table.next_cheaper == [1, -1, -1, -1, 5, -1, -1, -1]
    table = problem_of([6], [2, 6, 6], min_slots=1, max_slots=3).start_tables[0]
    # 3 sessions from 0 and 1 (2 + 4 or 1 + 5 slots), 2 from 2 (one window), and so on.
    assert table.sessions[:4] == [3, 3, 2, 3]
    assert table.next_cheaper[:2] == [2, 2]


def test_a_long_window_holds_several_sessions_of_one_topic() -> None:
    # One 8-slot window, sessions of at most 3 slots: 8 slots make 3 sessions.
    table = problem_of([8], [8], max_slots=3).start_tables[0]
    assert table.sessions == [3]
    # A topic going on after its first window must split that share into sessions of
    # at least the minimum: 5 slots with sessions of 3 to 4 cannot be split (2 x 3 > 5).
    table = problem_of([7], [5, 4], min_slots=3, max_slots=4).start_tables[0]
    assert table.allowed == [False, True, True]  # 5 slots no, 4 or 3 slots yes


def test_finish_bound_counts_the_idle_time_the_window_lengths_force() -> None:
    # Blocks of 3 slots, topics of 2, sessions of 2 at least: in any order the slot the
    # first topic leaves in its block cannot start the second, so it stays idle.
    problem = problem_of([2, 2], [3, 3, 3])
    assert problem.least_idle == 1
    assert finish_bound(problem) == 5 > capacity_bound(problem) == 4
    outcome = solve(problem)
    assert outcome.finish == outcome.finish_lower_bound == 5
    assert outcome.status == "OPTIMAL"


def test_finish_bound_is_the_capacity_bound_when_the_topics_fit_the_blocks() -> None:
    # 3 | 1 + 2: no slot need stay idle (a 1-slot topic is its own last session).
    problem = problem_of([3, 1, 2], [3, 3, 3])
    assert problem.least_idle == 0
    assert finish_bound(problem) == capacity_bound(problem) == 6


def test_day_end_is_the_last_position_finishing_on_the_same_local_day() -> None:
    # A window 23:00-01:00 in Tokyo, then 19:00-21:00 the evening after next: a finish at
    # 23:30 may not move past midnight; one at 00:00 (the next day) may move to 01:00.
    start = datetime(2027, 1, 4, 14, tzinfo=UTC)  # 23:00 in Tokyo
    axis = TimeAxis(
        slot=timedelta(minutes=30),
        block_starts=(start, start + timedelta(hours=44)),
        block_slots=(4, 4),
        block_offsets=(0, 4),
    )
    tokyo = ZoneInfo("Asia/Tokyo")
    assert [axis.day_end(finish, tokyo) for finish in (1, 2, 3, 4, 5)] == [1, 4, 4, 4, 8]


def test_a_first_plan_undoes_a_swap_that_only_buys_minutes_and_a_replan_does_not() -> None:
    # Blocks of 3 slots on three days, sessions of exactly 3: b (3 slots) before a (2)
    # ends the second day a slot sooner than a, b, which leaves the slot after a idle.
    problem = problem_of([2, 3], [3, 3, 3], min_slots=3, max_slots=3)
    zone = ZoneInfo("Pacific/Chatham")

    def day_end(finish: int) -> int:
        return problem.axis.day_end(finish, zone)

    free = OrderRule("free")
    assert solve(problem, free, day_end=day_end).starts == [0, 3]
    # A re-plan (it passes its replays, here none that fits) keeps the search's plan:
    # its ties go to the previous plan, not to the reference order.
    assert solve(problem, free, preferred=[None], day_end=day_end).starts == [3, 0]
    assert solve(problem, free).starts == [3, 0]


def test_capacity_bound_is_the_total_of_the_topics() -> None:
    assert capacity_bound(problem_of([3, 5], [4, 4, 4])) == 8


def test_session_bound_counts_blocks_and_misfits() -> None:
    # Blocks of 4 slots; topics of 2, 2, 4, 4: the two 2s pair up, no misfit change.
    assert sessions_lower_bound(problem_of([2, 2, 4, 4], [4, 4, 4]), 12) == 4
    # Topics of 2, 3, 3, 4 on blocks of 4: 3+3 misfit (odd residues); 12 slots, 3
    # blocks, and at least one change inside a block beyond the pairs.
    assert sessions_lower_bound(problem_of([2, 3, 3, 4], [4, 4, 4]), 12) >= 4


def test_list_schedule_respects_prerequisites_and_min_sessions() -> None:
    problem = problem_of([2, 3, 2], [4, 4, 4], predecessors={0: (2,)})
    starts = list_schedule(problem)
    assert starts is not None
    assert starts[0] >= starts[2] + 2  # topic 0 needs topic 2
    for topic, start in enumerate(starts):
        assert problem.start_tables[topic].allowed[start]


def test_list_schedule_reports_an_axis_too_short() -> None:
    assert list_schedule(problem_of([4, 4], [4])) is None


def test_beam_reaches_the_session_bound_where_the_list_schedule_does_not() -> None:
    # Order t0..t3 in roadmap order makes changes inside blocks; 3+1 and 1+3 fit them.
    problem = problem_of([3, 3, 1, 1], [4, 4], min_slots=1)
    reference = list_schedule(problem)
    assert reference is not None
    beam = beam_schedule(problem, reference, width=8)
    assert beam is not None
    sessions = sum(t.sessions[s] for t, s in zip(problem.start_tables, beam, strict=True))
    assert sessions == sessions_lower_bound(problem, 8) == 4


def test_solve_never_does_worse_than_the_list_schedule_and_reports_bounds() -> None:
    problem = problem_of([3, 5, 2, 4, 2], [4, 4, 6, 4, 4], predecessors={3: (1,)})
    outcome = solve(problem)
    assert outcome.finish >= outcome.finish_lower_bound == 16
    assert outcome.sessions >= outcome.sessions_lower_bound
    assert outcome.sessions <= outcome.list_schedule_sessions
    assert outcome.starts[3] >= outcome.starts[1] + 5
    assert solve(problem).starts == outcome.starts  # deterministic
