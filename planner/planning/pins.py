"""What the learner did to their sessions in their own calendar (`Progress.calendar`,
read by `planner sync`), as a re-plan takes it: a moved session is where they put it
(pinned: kept there, also outside the weekly windows, and planned around); a deleted one
is gone, its hours are planned elsewhere and its time stays free. Both are busy time
for the solver (`PlanInputs.held`), so nothing else is planned over them.

A pinned session counts towards its topic's hours and is exempt from the rules that
place sessions (windows, busy time, lengths, one run, order, prerequisites, caps): the
learner chose its time. It must still not overlap another session (validation).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, replace
from datetime import UTC, datetime

import networkx as nx

from planner.errors import PlannerError
from planner.inputs.plan_inputs import PlanInputs
from planner.models.plan import Plan, StudySession
from planner.models.progress import Progress


@dataclass(frozen=True)
class CalendarPins:
    """The previous plan as the learner's calendar left it (moves applied, deleted
    sessions gone and their UIDs retired), and the time their calendar holds."""

    previous: Plan
    held: tuple[tuple[datetime, datetime], ...] = ()


def with_calendar_edits(previous: Plan, progress: Progress) -> CalendarPins:
    """Apply the record's calendar edits to the previous plan's sessions ahead (history
    is what happened, and stays). A moved study session becomes pinned at its new time;
    a moved review is placed anew like any review."""
    if not progress.calendar:
        return CalendarPins(previous)
    sessions, retired, held = [], list(previous.retired_uids), []
    for session in previous.sessions:
        edit = None if session.done else progress.calendar_edit(session.uid)
        if edit is None:
            sessions.append(session)
        elif edit.deleted:
            retired.append(session.uid)
            held.append((edit.start.astimezone(UTC), edit.end.astimezone(UTC)))
        elif not session.is_review:
            zone = session.start.tzinfo
            moved = {"start": edit.start.astimezone(zone), "end": edit.end.astimezone(zone)}
            sessions.append(session.model_copy(update={**moved, "pinned": True}))
            held.append((edit.start.astimezone(UTC), edit.end.astimezone(UTC)))
    _require_apart([s for s in sessions if s.pinned or s.done])
    edited = previous.model_copy(
        update={"sessions": tuple(sessions), "retired_uids": tuple(dict.fromkeys(retired))}
    )
    return CalendarPins(edited, tuple(held))


def _require_apart(fixed: list[StudySession]) -> None:
    """Refuse two sessions the learner put at the same time (or one on studied time):
    no plan can keep both.

    Raises:
        PlannerError: naming both sessions and the time.
    """
    ordered = sorted(fixed, key=lambda s: s.start_utc)
    for earlier, later in itertools.pairwise(ordered):
        if later.start_utc < earlier.end_utc:
            raise PlannerError(
                f"progress: calendar: session {later.uid} ({later.topic}, moved to "
                f"{later.start:%a %Y-%m-%d %H:%M}) overlaps {earlier.uid} ({earlier.topic}, "
                f"{earlier.start:%H:%M}-{earlier.end:%H:%M}): move one of them in your calendar"
            )


def pinned_from(previous: Plan, at: datetime) -> list[StudySession]:
    """The pinned sessions that start at or after `at` (earlier ones are history)."""
    return [s for s in previous.upcoming if s.pinned and s.start_utc >= at]


def pins_before_what_needs_them(plan: Plan, graph: nx.DiGraph) -> list[str]:
    """A warning for each session the learner put after the start of a topic that needs
    its topic: kept there (they chose it), but the order of the roadmap is broken."""
    first_start: dict[str, StudySession] = {}
    for session in sorted(plan.upcoming_study, key=lambda s: s.start_utc):
        first_start.setdefault(session.topic, session)
    warnings = []
    for pinned in (s for s in plan.upcoming_study if s.pinned):
        for after in sorted(nx.descendants(graph, pinned.topic) if pinned.topic in graph else []):
            begun = first_start.get(after)
            if begun is not None and begun.start_utc < pinned.end_utc:
                warnings.append(
                    f"you moved a session of {pinned.topic} to {pinned.start:%a %Y-%m-%d %H:%M}, "
                    f"after {after} (which needs it) begins on {begun.start:%a %Y-%m-%d}: "
                    "kept where you put it"
                )
    return warnings


def without_sessions(plan: Plan, sessions: list[StudySession]) -> Plan:
    uids = {session.uid for session in sessions}
    kept = tuple(session for session in plan.sessions if session.uid not in uids)
    return plan.model_copy(update={"sessions": kept})


def holding(inputs: PlanInputs, pins: CalendarPins) -> PlanInputs:
    """`inputs` with the time the learner's calendar holds as busy time."""
    return replace(inputs, held=pins.held) if pins.held else inputs
