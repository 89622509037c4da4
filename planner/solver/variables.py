"""The CP-SAT variables, created once with readable names (`start[2.3]`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

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
            allowed = [start for start in range(first, last + 1) if table.allowed[start]]
            start = model.new_int_var_from_domain(
                cp_model.Domain.from_values(allowed), f"start[{topic_id}]"
            )
            starts.append(start)
            intervals.append(
                model.new_fixed_size_interval_var(
                    start, problem.durations[topic], f"study[{topic_id}]"
                )
            )
            most = max(table.sessions[first : last + 1])
            sessions.append(model.new_int_var(1, most, f"sessions[{topic_id}]"))
            scraps.append(model.new_bool_var(f"scrap[{topic_id}]"))
        finish = model.new_int_var(0, latest_finish, "finish")
        return cls(topics, ranges, starts, intervals, sessions, scraps, finish)
