"""OR-Tools CP-SAT, imported without pandas.

`ortools.sat.python.cp_model` imports pandas only to annotate its DataFrame helpers
(`new_int_var_series` and friends), which the planner does not use; pandas is about a
third of a second of every `planner plan` run. Unless pandas is already loaded, a
placeholder module stands in for it during the import and is removed right after, so
code that imports pandas later gets the real one. If that ever fails (a new OR-Tools
that needs more of pandas at import), the import is done the ordinary way.
"""

from __future__ import annotations

import importlib
import sys
import types


def _import_cp_model() -> types.ModuleType:
    name = "ortools.sat.python.cp_model"
    if "pandas" in sys.modules:
        return importlib.import_module(name)
    placeholder = types.ModuleType("pandas")
    placeholder.Index = placeholder.Series = placeholder.DataFrame = type("Unused", (), {})  # type: ignore[attr-defined]
    sys.modules["pandas"] = placeholder
    try:
        return importlib.import_module(name)
    except Exception:
        sys.modules.pop(name, None)
        del sys.modules["pandas"]
        return importlib.import_module(name)
    finally:
        if sys.modules.get("pandas") is placeholder:
            del sys.modules["pandas"]


cp_model = _import_cp_model()
