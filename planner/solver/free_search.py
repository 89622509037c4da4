"""The `free` plan: any order the prerequisites allow, searched from the balanced plan.

Three steps, each never worse than its input (in `Score` order):

1. a beam search over study orders (`beam.py`), two passes: the first ranks by the plan's
   priorities, the second keeps to the sessions the first needed and stays close to the
   balanced plan; the balanced plan and the list schedule are candidates too;
2. polish: the exact band search (`band.py`) around the plan's own order, repeated while
   it improves, first within 3 places, then within 4 (and 5, on plans of up to 120
   topics, `SolverSettings.wide_polish_topics`). It keeps the finish, the sessions,
   the shared windows and the scraps (or improves them) and undoes every reordering
   within the band that buys nothing, so the inversions that survive pay for something;
3. CP-SAT over windows of consecutive topics (`windows.py`): each window re-sequenced
   optimally in the time it occupies, which reaches the orders the band does not (a
   topic moving five places inside its window); whatever it finds is polished again.
"""

from __future__ import annotations

from planner.solver.band import Stretch, best_in_band
from planner.solver.beam import beam_schedule
from planner.solver.order import study_sequence
from planner.solver.problem import SchedulingProblem
from planner.solver.score import finish_of, idle_of, score, sessions_of, shared_windows
from planner.solver.settings import SolverSettings, out_of_time
from planner.solver.windows import sweep_windows


def free_search(
    problem: SchedulingProblem,
    seed: list[int],
    list_schedule: list[int] | None,
    settings: SolverSettings,
) -> tuple[list[int], int]:
    """The best plan found in any order, never worse than `seed` or `list_schedule`,
    and the number of CP-SAT sweeps it took."""
    frontier = (settings.beam_all_ready, settings.beam_per_length)
    candidates = [
        seed,
        list_schedule,
        beam_schedule(
            problem, seed, settings.beam_width, all_ready=frontier[0], per_length=frontier[1]
        ),
    ]
    first_pass = candidates[-1]
    if first_pass is not None and idle_of(problem, first_pass) == 0 and not out_of_time():
        # As few sessions and shared windows, in an order closer to the seed's.
        fewest = problem.fewest_sessions[problem.needed_slots]
        candidates.append(
            beam_schedule(
                problem,
                seed,
                settings.beam_width,
                extra_budget=sessions_of(problem, first_pass) - fewest,
                shared_budget=shared_windows(problem, first_pass),
                all_ready=frontier[0],
                per_length=frontier[1],
            )
        )
    best = min((plan for plan in candidates if plan is not None), key=lambda p: score(problem, p))
    best = polish(problem, best, settings)
    checked, sweeps = sweep_windows(problem, best, settings)
    if checked != best:
        best = polish(problem, checked, settings)
    return best, sweeps


def polish(problem: SchedulingProblem, starts: list[int], settings: SolverSettings) -> list[int]:
    """The exact band search around the plan's own order, while it finds a better plan:
    first in the narrow band (cheap, it does most of the work), then in the wider ones.

    A round over the whole plan changes a few places; the next improvements are where
    those changes opened room, so the rounds that follow search only stretches around
    what changed (the topics on either side stay), and a whole round again once those
    find nothing. The polish ends when a whole round finds nothing (then no reordering
    within the band improves the plan) or after `settings.polish_rounds` rounds."""
    for shift in settings.polish_shifts_for(len(problem.topic_ids)):
        for _round in range(settings.polish_rounds):
            if out_of_time():
                return starts
            whole = Stretch(study_sequence(starts), idle_of(problem, starts))
            found = best_in_band(problem, whole, shift, most_states=settings.band_states)
            if found is None or score(problem, found) >= score(problem, starts):
                break
            starts = _follow_changes(problem, starts, found, shift, settings)
    return starts


def _follow_changes(
    problem: SchedulingProblem,
    before: list[int],
    after: list[int],
    shift: int,
    settings: SolverSettings,
) -> list[int]:
    """`after`, improved by band searches over stretches around what changed since
    `before`, for as long as they find something."""
    for _round in range(settings.polish_rounds):
        if out_of_time():
            break
        current, current_score = after, score(problem, after)
        for stretch in _stretches_around_changes(problem, before, after, margin=shift):
            found = best_in_band(problem, stretch, shift, most_states=settings.band_states)
            if found is None or all(found[t] == current[t] for t in stretch.order):
                continue
            merged = list(current)
            for topic in stretch.order:
                merged[topic] = found[topic]
            if score(problem, merged) < current_score:
                current, current_score = merged, score(problem, merged)
        if current == after:
            break
        before, after = after, current
    return after


def _stretches_around_changes(
    problem: SchedulingProblem, before: list[int], after: list[int], margin: int
) -> list[Stretch]:
    """Stretches of `after`'s order covering every topic whose start changed since
    `before`, `margin` places either side, with the topics around them fixed."""
    sequence = study_sequence(after)
    changed = [at for at, topic in enumerate(sequence) if before[topic] != after[topic]]
    ranges: list[list[int]] = []
    for at in changed:
        first, last = max(at - margin, 0), min(at + margin + 1, len(sequence))
        if ranges and first <= ranges[-1][1]:
            ranges[-1][1] = max(ranges[-1][1], last)
        else:
            ranges.append([first, last])
    stretches = []
    durations = problem.durations
    finish = finish_of(problem, after)
    for first, last in ranges:
        topics = sequence[first:last]
        first_start = after[sequence[first - 1]] + durations[sequence[first - 1]] if first else 0
        next_start = after[sequence[last]] if last < len(sequence) else None
        room = (finish if next_start is None else next_start) - first_start
        slack = room - sum(durations[topic] for topic in topics)
        stretches.append(Stretch(topics, slack, first_start, next_start))
    return stretches
