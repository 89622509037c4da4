"""The CP-SAT model: one interval per topic on the time axis.

Hard rules are `add_*_constraints`; soft goals are `*_penalty` expressions. Variables are
created once, with readable names, in `PlanVariables`. A model covers some of the topics
(all of them, or a window of the current plan that is re-sequenced while the rest stays):
each topic's start is limited to a range of positions, and within it to the positions
where its sessions keep the minimum length.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ortools.sat.python import cp_model
else:  # the same module, imported without pandas (see cp_sat.py)
    from planner.solver.cp_sat import cp_model

from planner.solver.problem import SchedulingProblem
from planner.solver.variables import PlanVariables, StartRange


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
        model.add_element(offset, table.sessions[first : last + 1], variables.sessions[index])
        scraps = [int(scrap) for scrap in table.scraps[first : last + 1]]
        model.add_element(offset, scraps, variables.scraps[index])


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
