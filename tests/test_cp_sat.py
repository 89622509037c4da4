"""CP-SAT is imported without pandas, and pandas still works for anyone who needs it."""

from __future__ import annotations

import subprocess
import sys


def test_planner_loads_cp_sat_without_pandas_and_leaves_pandas_usable() -> None:
    script = (
        "import sys\n"
        "from planner.solver.cp_sat import cp_model\n"
        "assert 'pandas' not in sys.modules\n"
        "model = cp_model.CpModel()\n"
        "x = model.new_int_var(0, 9, 'x')\n"
        "model.add(x >= 4)\n"
        "model.minimize(x)\n"
        "solver = cp_model.CpSolver()\n"
        "assert solver.solve(model) == cp_model.OPTIMAL and solver.value(x) == 4\n"
        "import pandas\n"
        "assert pandas.DataFrame({'a': [1]}).shape == (1, 1)\n"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
