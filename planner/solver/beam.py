"""A beam search over study orders: the solver's starting plan.

CP-SAT proves and polishes; what makes it fast is a good first plan. Sessions depend on
where topic changes fall relative to block edges, so a plan is good when topics add up to
whole blocks. The beam keeps the `width` best partial orders, scored in the plan's own
priority: idle time first (it delays the finish), then topic changes inside a block,
then scraps, then distance from the reference plan.
"""

from __future__ import annotations

from dataclasses import dataclass

from planner.solver.problem import SchedulingProblem


@dataclass(frozen=True)
class _Partial:
    score: tuple[int, int, int, int]  # idle slots, changes inside blocks, scraps, moved
    placed: int  # bitmask of placed topics
    cursor: int  # axis position where the next topic may start
    starts: tuple[tuple[int, int], ...]  # (topic, start)


def beam_schedule(
    problem: SchedulingProblem, reference_starts: list[int], width: int = 48
) -> list[int] | None:
    """The best complete plan the beam finds, or None if every path ran off the axis."""
    count = len(problem.topic_ids)
    required = [sum(1 << p for p in predecessors) for predecessors in problem.predecessors]
    block_edges_before = _blocks_started_before(problem)
    beam = [_Partial((0, 0, 0, 0), 0, 0, ())]
    for _depth in range(count):
        children: dict[tuple[int, int], _Partial] = {}
        for partial in beam:
            for topic in range(count):
                if partial.placed >> topic & 1 or required[topic] & ~partial.placed:
                    continue
                child = _extend(problem, partial, topic, reference_starts, block_edges_before)
                if child is None:
                    continue
                key = (child.placed, child.cursor)
                if key not in children or child.score < children[key].score:
                    children[key] = child
        if not children:
            return None
        beam = sorted(children.values(), key=lambda p: (p.score, p.starts))[:width]
    starts = [0] * count
    for topic, start in beam[0].starts:
        starts[topic] = start
    return starts


def _extend(
    problem: SchedulingProblem,
    partial: _Partial,
    topic: int,
    reference_starts: list[int],
    block_edges_before: list[int],
) -> _Partial | None:
    table = problem.start_tables[topic]
    start = table.earliest_start(partial.cursor)
    if start is None:
        return None
    idle, changes_inside, scraps, moved = partial.score
    end = start + problem.durations[topic]
    # Sessions beyond the blocks the plan spans are topic changes inside a block.
    new_blocks = block_edges_before[end] - block_edges_before[partial.cursor]
    changes_inside += int(table.sessions[start]) - max(new_blocks, 0)
    return _Partial(
        score=(
            idle + start - partial.cursor,
            changes_inside,
            scraps + int(table.scraps[start]),
            moved + abs(start - reference_starts[topic]),
        ),
        placed=partial.placed | 1 << topic,
        cursor=end,
        starts=(*partial.starts, (topic, start)),
    )


def _blocks_started_before(problem: SchedulingProblem) -> list[int]:
    """result[k] = the number of blocks that start before axis position k."""
    counts = [0] * (problem.horizon + 1)
    offsets = problem.axis.block_offsets
    block = 0
    for position in range(problem.horizon + 1):
        while block < len(offsets) and offsets[block] < position:
            block += 1
        counts[position] = block
    return counts
