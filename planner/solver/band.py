"""The best plan among the study orders close to a base order: an exact dynamic programme.

The orders in which no topic is more than `band` places from its place in a base order
form a small world: after p topics are placed, every topic more than `band` places
before p in the base order is placed, none more than `band` after it is, so the placed
set differs from the base order's first p topics only inside a window of 2 * band
places (C(2 * band, band) possibilities: 20 for a band of 3; Balas and Simonetti used
the same neighbourhood for sequencing). A state is that set plus the idle time so far
(the time a topic may wait for a start that keeps the minimum session length); where
each topic starts is chosen too, among every allowed start that keeps the idle time
within the stretch's slack.

The value of a partial plan is (sessions, shared windows, scraps, inversions of the
reference order) so far; every part is a sum over the topics placed, so the best
partial plan per state is all that needs keeping (Bellman). Two more prunings keep it
fast and exact: a state that waited longer than another with the same topics placed and
is no better so far is dropped (the earlier cursor can do all the later one can), and so
is a later start of a topic that is no better than an earlier one. The programme returns
the best plan of the band in the score's own order: least idle time (the finish), then
that value. It is exact unless a layer holds more than `most_states` states; then it
keeps the most promising ones (a beam), which only very wide bands need.

The band can cover the whole plan or a `Stretch` of it between two fixed topics. Used
three ways: the `roadmap` plan (band 0 around the reference order: only the starts are
chosen), the `balanced` plan (the learner's `max_shift` around it), and to polish a
`free` plan (bands around its own order: a reordering that buys nothing is undone).
A re-plan's same-day phase (`same_day.py`) uses it with `value_first`: every finish
within the slack is as good, the value decides and the idle time only breaks ties.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

from planner.solver.order import topic_pairs
from planner.solver.problem import SchedulingProblem

Key = tuple[int, int]  # placed base positions (a bitmask), idle slots so far


@dataclass(frozen=True)
class Stretch:
    """Topics to re-sequence, in their base order, and the time they may use: from
    `first_start` (where the topic before them ends) and, within `slack` idle slots, to
    the end of the plan (`next_start` None: the finish counts) or to `next_start`, the
    start of the fixed topic after them (then only the value counts, that topic's shared
    window included)."""

    order: list[int]
    slack: int
    first_start: int = 0
    next_start: int | None = None


class _Entry(NamedTuple):
    """The best partial plan of one state, and how it got there."""

    value: int  # sessions, shared windows, scraps, inversions so far, as one number
    placed_ranks: int  # bitmask of the reference ranks of the placed topics
    placed_slots: int  # their total duration: the cursor is first_start + this + idle
    parent: Key | None
    topic: int  # the topic placed last, and where
    start: int


class _Weights:
    """A partial plan's value (sessions, shared windows, scraps, inversions) is kept as
    one integer, with a weight per part larger than everything below it can add up to:
    sums and comparisons are then single integer operations, in the order of tuples."""

    def __init__(self, count: int) -> None:
        self.scrap = topic_pairs(count) + 1
        self.shared = (count + 1) * self.scrap
        self.session = (count + 1) * self.shared


def best_in_band(
    problem: SchedulingProblem,
    stretch: Stretch,
    band: int,
    *,
    most_sessions: int | None = None,
    most_states: int = 4096,
    value_first: bool = False,
) -> list[int] | None:
    """The best starts for the stretch's topics in an order that keeps each within
    `band` places of `stretch.order` (which must respect the prerequisites), as a list
    indexed like the problem's topics (0 for the topics outside the stretch); None if
    there is none.

    Args:
        most_sessions: if given, only plans with at most this many sessions count (the
            balanced plan may not have more sessions than the roadmap plan).
        most_states: states kept per layer; beyond it the programme is a beam.
        value_first: at the end of the plan, the least value wins and idle time (the
            finish) only breaks ties: any finish within the slack is as good (a
            re-plan's finish day, `same_day.py`).
    """
    order, count = stretch.order, len(stretch.order)
    weights = _Weights(len(problem.topic_ids))
    rank = {topic: index for index, topic in enumerate(problem.reference_order)}
    position = {topic: index for index, topic in enumerate(order)}
    # Prerequisites outside the stretch are finished before it starts.
    needs = {
        topic: sum(1 << position[p] for p in problem.predecessors[topic] if p in position)
        for topic in order
    }
    ranks_here = sum(1 << rank[topic] for topic in order)
    durations, tables = problem.durations, problem.start_tables
    block = problem.block_of_slot
    axis = problem.axis
    block_ends = [o + n for o, n in zip(axis.block_offsets, axis.block_slots, strict=True)]
    layers: list[dict[Key, _Entry]] = [{(0, 0): _Entry(0, 0, 0, None, -1, -1)}]
    for placing in range(count):
        following: dict[Key, _Entry] = {}
        for key, entry in layers[-1].items():
            placed, idle = key
            placed_slots = stretch.first_start + entry.placed_slots
            cursor = placed_slots + idle
            # Where the window the last topic ended in ends: a start before it shares it.
            shared_end = block_ends[block[cursor - 1]] if cursor > 0 else 0
            for at in _candidates(placed, placing, band, count):
                topic = order[at]
                if needs[topic] & ~placed:
                    continue
                # Topics of the stretch still to place that the reference order puts
                # first: each is an inversion.
                below = ((1 << rank[topic]) - 1) & ranks_here
                value_before = entry.value + (below & ~entry.placed_ranks).bit_count()
                table = tables[topic]
                sessions, scraps = table.sessions, table.scraps
                next_allowed, next_cheaper = table.next_allowed, table.next_cheaper
                child_placed = placed | 1 << at
                child_ranks = entry.placed_ranks | 1 << rank[topic]
                child_slots = entry.placed_slots + durations[topic]
                # (Conditional expressions: min() and max() cost more in this loop.)
                last_start = placed_slots + stretch.slack
                if last_start >= len(next_allowed):
                    last_start = len(next_allowed) - 1
                # Only starts better than every earlier one are worth trying (an earlier
                # one's state dominates the rest): first in the window the last topic
                # ended in (they share it), then in the windows after it.
                best_so_far, first = None, cursor
                for shares, end in ((True, shared_end), (False, last_start + 1)):
                    start = next_allowed[first] if first <= last_start else -1
                    end = end if end <= last_start else last_start + 1
                    while 0 <= start < end:
                        value = value_before + sessions[start] * weights.session
                        if scraps[start]:
                            value += weights.scrap
                        if shares:
                            value += weights.shared
                        if best_so_far is None or value < best_so_far:
                            best_so_far = value
                            child = (child_placed, start - placed_slots)
                            known = following.get(child)
                            if known is None or value < known.value:
                                following[child] = _Entry(
                                    value, child_ranks, child_slots, key, topic, start
                                )
                        start = next_cheaper[start]
                    first = shared_end if shared_end > cursor else cursor
        following = _undominated(following)
        if len(following) > most_states:
            following = _most_promising(following, stretch, weights, problem, most_states)
        if not following:
            return None
        layers.append(following)
    return _best_path(problem, stretch, weights, layers, most_sessions, value_first)


def _candidates(placed: int, placing: int, band: int, count: int) -> list[int]:
    """Base positions that may take plan position `placing`: the one whose last chance
    it is, if it is still unplaced; otherwise every unplaced one within the band."""
    last_chance = placing - band
    if last_chance >= 0 and not placed >> last_chance & 1:
        return [last_chance]
    first, last = max(last_chance, 0), min(placing + band, count - 1)
    return [at for at in range(first, last + 1) if not placed >> at & 1]


def _undominated(states: dict[Key, _Entry]) -> dict[Key, _Entry]:
    """The states no other state with the same topics placed beats: one that waited
    less and is no worse so far. (Starting earlier loses nothing: every start open to
    the later cursor is open to the earlier one, and shares a window only if the later
    one's would.)"""
    kept: dict[Key, _Entry] = {}
    best_placed, best_value = -1, 0
    for key in sorted(states):
        placed, value = key[0], states[key].value
        if placed != best_placed or value < best_value:
            kept[key] = states[key]
            best_placed, best_value = placed, value
    return kept


def _most_promising(
    states: dict[Key, _Entry],
    stretch: Stretch,
    weights: _Weights,
    problem: SchedulingProblem,
    kept: int,
) -> dict[Key, _Entry]:
    """The `kept` states that look best: least idle, fewest sessions beyond the fewest
    that could cover the same time, then the rest of the value (ties: insertion order)."""

    def promise(item: tuple[Key, _Entry]) -> tuple[int, int]:
        (_placed, idle), entry = item
        cursor = stretch.first_start + entry.placed_slots + idle
        return (idle, entry.value - problem.fewest_sessions[cursor] * weights.session)

    return dict(sorted(states.items(), key=promise)[:kept])


def _best_path(
    problem: SchedulingProblem,
    stretch: Stretch,
    weights: _Weights,
    layers: list[dict[Key, _Entry]],
    most_sessions: int | None,
    value_first: bool = False,
) -> list[int] | None:
    """The starts of the best complete plan of the stretch: least idle then least value
    at the end of the plan (least value then least idle if `value_first`); least value
    (the next topic's shared window included, least idle breaking ties) before a fixed
    topic."""
    block = problem.block_of_slot
    finals = []
    for final, entry in layers[-1].items():
        value, idle = entry.value, final[1]
        if most_sessions is not None and value >= (most_sessions + 1) * weights.session:
            continue
        if stretch.next_start is None:
            finals.append((value, idle, final) if value_first else (idle, value, final))
            continue
        end = stretch.first_start + entry.placed_slots + idle
        shares = end > 0 and block[end - 1] == block[stretch.next_start]
        finals.append((value + shares * weights.shared, idle, final))
    if not finals:
        return None
    key: Key | None = min(finals)[2]
    starts = [0] * len(problem.topic_ids)
    for layer in reversed(layers[1:]):
        assert key is not None
        entry = layer[key]
        starts[entry.topic] = entry.start
        key = entry.parent
    return starts
