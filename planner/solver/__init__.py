"""CP-SAT study-plan solver: `solve(problem)` -> start positions on the time axis."""

from planner.solver.optimize import SolveOutcome, SolverSettings, solve
from planner.solver.problem import SchedulingProblem

__all__ = ["SchedulingProblem", "SolveOutcome", "SolverSettings", "solve"]
