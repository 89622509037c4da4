"""The errors a learner can meet. Each one is public API: its docstring says when it is
raised and what the learner can do; its fields carry the file, line, topic id or cycle so
that callers (the CLI, the API) can show or map them without parsing the message.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from planner.words import plural


class PlannerError(Exception):
    """Base of every error the planner reports to a person. `str(error)` is the message."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __reduce__(self) -> tuple[Any, ...]:
        # Pickled whole, with its fields, so that it crosses the planning process's
        # boundary as itself (the default rebuilds through __init__ from the message,
        # which fails for every subclass that takes fields).
        return _rebuilt, (type(self), self.args), self.__dict__


def _rebuilt(kind: type[PlannerError], args: tuple[Any, ...]) -> PlannerError:
    error = kind.__new__(kind)
    error.args = args
    return error


class InputFileError(PlannerError):
    """A roadmap, prerequisites or profile file is missing, is not valid YAML or does not
    match its schema. Fix the file at `path`, `line` (1-based, when known), `key_path`."""

    def __init__(
        self, path: Path | str, problem: str, *, line: int | None = None, key_path: str = ""
    ) -> None:
        self.path = str(path)
        self.line = line
        self.key_path = key_path
        self.problem = problem
        where = self.path if line is None else f"{self.path}:{line}"
        # "only_goals needs goals" names its key already: not "only_goals: only_goals …".
        named = not key_path or problem.startswith((f"{key_path} ", f"{key_path}:"))
        what = problem if named else f"{key_path}: {problem}"
        super().__init__(f"{where}: {what}")


class RoadmapMarkdownError(InputFileError):
    """A Markdown roadmap given to `planner import` cannot be read as one: it is not UTF-8,
    has no `# Title` or no numbered sections, a topic has no hours, a number is used twice
    or belongs to another section, or a section's hours (or the stated total) disagree
    with its topics. `line` is the Markdown line (1-based) when there is one: fix the
    Markdown there and import it again."""


class UnknownTopicError(PlannerError):
    """A file names a topic or section id that the roadmap does not have. Use one of the
    roadmap's ids (`planner topics` lists and searches them); `suggestion` is the
    closest ones, as " (did you mean 6.3 FastAPI?)", or ""."""

    def __init__(self, topic_id: str, path: Path | str, where: str, suggestion: str = "") -> None:
        self.topic_id = topic_id
        self.path = str(path)
        self.suggestion = suggestion
        hint = suggestion or " (`planner topics` lists the ids)"
        super().__init__(f"{self.path}: {where}: unknown topic or section id {topic_id!r}{hint}")


class CycleError(PlannerError):
    """The prerequisites contain a cycle, so no order can satisfy them. Remove one of the
    edges of `cycle` (the ids in order, the first repeated at the end)."""

    def __init__(self, cycle: list[str], path: Path | str) -> None:
        self.cycle = cycle
        self.path = str(path)
        super().__init__(f"{self.path}: prerequisites form a cycle: {' -> '.join(cycle)}")


class InfeasiblePlanError(PlannerError):
    """The profile's windows cannot hold the plan under its rules (no windows at all, or
    windows too short for `min_minutes`, or not enough of them before the planning
    horizon). The message says what is missing, in hours and dates."""


class PlanValidationError(PlannerError):
    """A plan breaks a hard rule. Raised by the guard that runs after every solve; it means
    a bug in the planner, not in the learner's files. `violations` lists every broken rule."""

    def __init__(self, violations: list[str]) -> None:
        self.violations = violations
        shown = "\n  ".join(violations[:20])
        more = f"\n  … and {len(violations) - 20} more" if len(violations) > 20 else ""
        super().__init__(f"the plan breaks {plural(len(violations), 'rule')}:\n  {shown}{more}")


class BusySourceError(PlannerError):
    """A busy calendar (`busy:` in the profile, or `--busy`) could not be used: it cannot
    be read or fetched, is not an iCalendar file, is too large, or has a rule that cannot
    be expanded. `source` names it (a URL masked: its path may be a secret), `problem`
    says what is wrong. Fix the file or the address, or leave the source out."""

    def __init__(self, source: str, problem: str) -> None:
        self.source = source
        self.problem = problem
        super().__init__(f"busy calendar {source}: {problem}")


class CalendarSyncError(PlannerError):
    """`planner sync` could not read or write the learner's CalDAV calendar: the server
    cannot be reached, refuses the user name or password, or answered something else.
    `problem` says what. Before the re-plan, the plan and progress files are left as they
    were; during the push, the new plan is saved and the next sync finishes the push."""

    def __init__(self, calendar: str, problem: str) -> None:
        self.calendar = calendar
        self.problem = problem
        super().__init__(f"calendar {calendar}: {problem}")
