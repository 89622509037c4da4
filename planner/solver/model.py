"""The CP-SAT model: one interval per topic on the time axis.

Hard rules are `add_*_constraints`; soft goals are `*_penalty` expressions. Variables are
created once, with readable names, in `PlanVariables`. A model covers some of the topics
(all of them, or a window of the current plan that is re-sequenced while the rest stays):
each topic's start is limited to a range of positions, and within it to the positions
where its sessions keep the minimum length.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from ortools.sat.python import cp_model
else:  # the same module, imported without pandas (see cp_sat.py)
    from planner.solver.cp_sat import cp_model

from planner.solver.problem import SchedulingProblem

StartRange = tuple[int, int]  # first and last allowed start position, inclusive


@dataclass(frozen=True)
class PlanVariables:
    topics: list[int]  # the topics in this model (indices into the problem)
    ranges: list[StartRange]
    starts: list[cp_model.IntVar]  # axis slot where each topic starts
    intervals: list[cp_model.IntervalVar]
    sessions: list[cp_model.IntVar]  # sessions each topic makes, from where it starts
    scraps: list[cp_model.IntVar]  # 1 if its last session is a scrap
    finish: cp_model.IntVar  # axis position where the last topic ends

    @classmethod
    def create(
        cls,
        model: cp_model.CpModel,
        problem: SchedulingProblem,
        topics: list[int],
        ranges: list[StartRange],
        latest_finish: int,
    ) -> PlanVariables:
        starts, intervals, sessions, scraps = [], [], [], []
        for topic, (first, last) in zip(topics, ranges, strict=True):
            topic_id = problem.topic_ids[topic]
            table = problem.start_tables[topic]
            allowed = (np.flatnonzero(table.allowed[first : last + 1]) + first).tolist()
            start = model.new_int_var_from_domain(
                cp_model.Domain.from_values(allowed), f"start[{topic_id}]"
            )
            starts.append(start)
            intervals.append(
                model.new_fixed_size_interval_var(
                    start, problem.durations[topic], f"study[{topic_id}]"
                )
            )
            most = int(table.sessions[first : last + 1].max())
            sessions.append(model.new_int_var(1, most, f"sessions[{topic_id}]"))
            scraps.append(model.new_bool_var(f"scrap[{topic_id}]"))
        finish = model.new_int_var(0, latest_finish, "finish")
        return cls(topics, ranges, starts, intervals, sessions, scraps, finish)


def add_one_topic_at_a_time_constraints(model: cp_model.CpModel, variables: PlanVariables) -> None:
    """A learner studies one topic at a time."""
    model.add_no_overlap(variables.intervals)


def add_prerequisite_constraints(
    model: cp_model.CpModel, problem: SchedulingProblem, variables: PlanVariables
) -> None:
    """No topic starts before all its prerequisites are finished (prerequisites outside
    the model are fixed before its window, so only those inside need a constraint)."""
    position = {topic: index for index, topic in enumerate(variables.topics)}
    for topic in variables.topics:
        for predecessor in problem.predecessors[topic]:
            if predecessor in position:
                model.add(
                    variables.starts[position[topic]]
                    >= variables.intervals[position[predecessor]].end_expr()
                )


def add_finish_constraints(
    model: cp_model.CpModel, problem: SchedulingProblem, variables: PlanVariables
) -> None:
    """The model's topics are finished when the last of them is."""
    for start, topic in zip(variables.starts, variables.topics, strict=True):
        model.add(variables.finish >= start + problem.durations[topic])


def add_session_count_constraints(
    model: cp_model.CpModel, problem: SchedulingProblem, variables: PlanVariables
) -> None:
    """Link each topic's start to the sessions and scrap it makes (precomputed tables)."""
    for index, topic in enumerate(variables.topics):
        table = problem.start_tables[topic]
        first, last = variables.ranges[index]
        offset = variables.starts[index] - first
        model.add_element(
            offset, table.sessions[first : last + 1].tolist(), variables.sessions[index]
        )
        model.add_element(
            offset, table.scraps[first : last + 1].astype(int).tolist(), variables.scraps[index]
        )


def sessions_penalty(problem: SchedulingProblem, variables: PlanVariables) -> cp_model.LinearExpr:
    """Fewest sessions (each topic change inside a block costs one), then fewest scraps."""
    weight = len(problem.topic_ids) + 1
    return weight * cp_model.LinearExpr.sum(variables.sessions) + cp_model.LinearExpr.sum(
        variables.scraps
    )


def build_model(
    problem: SchedulingProblem, topics: list[int], ranges: list[StartRange], latest_finish: int
) -> tuple[cp_model.CpModel, PlanVariables]:
    """Every hard rule among `topics`, starts limited to `ranges`, all ended by
    `latest_finish`; no objective yet."""
    model = cp_model.CpModel()
    variables = PlanVariables.create(model, problem, topics, ranges, latest_finish)
    add_one_topic_at_a_time_constraints(model, variables)
    add_prerequisite_constraints(model, problem, variables)
    add_finish_constraints(model, problem, variables)
    add_session_count_constraints(model, problem, variables)
    return model, variables
