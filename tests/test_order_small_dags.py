""" "Never worse than roadmap order" on every small prerequisite graph, none left to chance.

Every edge set among three and four topics in roadmap order (every DAG is one of them,
its topics numbered in a topological order), topics of 1 and 1.5 hours mixed, on two
tiny weeks: windows of 30 minutes and 2 hours in turn (where an earlier finish can cost
sessions: a sample of such problems once missed a balanced plan with more sessions than
the roadmap plan), and one 90-minute window a day. Each
problem is solved in roadmap order and in the default mode (`balanced`, 3 places) and
in `free`, with the solver's default effort and with its bounded paths forced: the band
search turned into a beam of one state per layer (`band_states`) and the beam search's
frontier cut to one ready topic (`beam_all_ready`, `beam_per_length`, the path taken
when more topics are ready than it tries). The learner's day is in Los Angeles, Tokyo
or Chatham, so the pass that undoes inversions buying nothing on the finish day runs
too. The contracts: `balanced` finishes no later and has no more sessions than the
roadmap plan; `free` is no worse than `balanced` (finish, then sessions).
"""

from __future__ import annotations

import functools
import itertools
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from planner.models.profile import SessionRules
from planner.solver.order import OrderRule
from planner.solver.problem import SchedulingProblem
from planner.solver.score import finish_of, sessions_of
from planner.solver.search import solve
from planner.solver.settings import SolverSettings
from planner.timeline.axis import TimeAxis

ZONES = [ZoneInfo("America/Los_Angeles"), ZoneInfo("Asia/Tokyo"), ZoneInfo("Pacific/Chatham")]
WEEKS = ([1, 4] * 10, [3] * 16)  # 30-minute slots, one window a day from 18:00 UTC
DEFAULT = SolverSettings(compare_orders=False)
BOUNDED = SolverSettings(compare_orders=False, band_states=1, beam_all_ready=1, beam_per_length=1)


def axis_of(block_slots: list[int]) -> TimeAxis:
    start = datetime(2027, 1, 4, 18, tzinfo=UTC)
    return TimeAxis(
        slot=timedelta(minutes=30),
        block_starts=tuple(start + timedelta(days=day) for day in range(len(block_slots))),
        block_slots=tuple(block_slots),
        block_offsets=tuple(itertools.accumulate([0, *block_slots[:-1]])),
    )


def every_small_problem() -> Iterator[SchedulingProblem]:
    """3 topics: 8 edge sets x 8 length mixes; 4 topics: 64 edge sets x 4 mixes; each
    on both weeks (sessions of 60-90 minutes): 640 problems."""
    mixes = {3: list(itertools.product([2, 3], repeat=3)), 4: [(2, 3, 3, 2), (3, 2, 2, 3),
             (3, 3, 2, 2), (2, 2, 2, 3)]}  # fmt: skip
    for count, durations_list in mixes.items():
        pairs = list(itertools.combinations(range(count), 2))
        for chosen in itertools.product([False, True], repeat=len(pairs)):
            before: list[list[int]] = [[] for _ in range(count)]
            for (first, then), edge in zip(pairs, chosen, strict=True):
                if edge:
                    before[then].append(first)
            for durations, week in itertools.product(durations_list, WEEKS):
                yield SchedulingProblem(
                    topic_ids=tuple(f"t{topic}" for topic in range(count)),
                    durations=durations,
                    predecessors=tuple(tuple(needs) for needs in before),
                    reference_order=tuple(range(count)),
                    axis=axis_of(week),
                    rules=SessionRules(min_minutes=60, max_minutes=90, slot_minutes=30),
                )


def test_no_mode_is_worse_than_roadmap_order_on_any_small_dag() -> None:
    problems = list(every_small_problem())
    assert len(problems) == 640
    for number, problem in enumerate(problems):
        day_end = functools.partial(problem.axis.day_end, zone=ZONES[number % len(ZONES)])
        roadmap = solve(problem, OrderRule("roadmap"), DEFAULT, day_end=day_end).starts
        for effort in (DEFAULT, BOUNDED):
            balanced = solve(problem, OrderRule(), effort, day_end=day_end).starts
            free = solve(problem, OrderRule("free"), effort, day_end=day_end).starts
            assert_keeps_the_rules(problem, balanced)
            assert_keeps_the_rules(problem, free)
            assert finish_of(problem, balanced) <= finish_of(problem, roadmap), problem
            assert sessions_of(problem, balanced) <= sessions_of(problem, roadmap), problem
            assert (finish_of(problem, free), sessions_of(problem, free)) <= (
                finish_of(problem, balanced),
                sessions_of(problem, balanced),
            ), problem


def assert_keeps_the_rules(problem: SchedulingProblem, starts: list[int]) -> None:
    """Allowed starts, one topic at a time, prerequisites finished first."""
    ends = [start + length for start, length in zip(starts, problem.durations, strict=True)]
    for topic, start in enumerate(starts):
        assert problem.start_tables[topic].allowed[start], (problem, starts)
        assert all(ends[before] <= start for before in problem.predecessors[topic]), problem
    spans = sorted(zip(starts, ends, strict=True))
    assert all(end <= start for (_, end), (start, _) in itertools.pairwise(spans)), problem
