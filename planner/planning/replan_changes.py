"""What a re-plan changed, counted by UID against the previous plan, and the iCalendar
SEQUENCE and LAST-MODIFIED that make a subscribed calendar move an event instead of
adding a second one."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from planner.models.fields import Duration
from planner.models.plan import Plan, StudySession
from planner.timeline.clock import day_of, start_of_day

ZERO = timedelta(0)


@dataclass(frozen=True)
class PlanChanges:
    """What a re-plan changed, in the learner's terms."""

    finish_before: datetime | None
    finish_after: datetime | None
    kept: int  # upcoming sessions at the same time as before
    moved: int  # same session (UID), new time
    added: int  # new sessions
    dropped: int  # sessions of the previous plan that are gone (missed, or not needed)
    done: int  # sessions kept as history
    hours_done: float
    hours_left: float
    busy_changed: tuple[str, ...] = ()  # busy calendars whose bytes changed (or are new)
    busy_hit: int = 0  # sessions of the previous plan that busy time now takes
    changed_soon: int = 0  # sessions changed in the next `soon_days` days
    soon_days: int = 14
    # Where keeping the sessions before new busy time would have cost sessions or days.
    keeping_cost: KeepingCost | None = None

    @property
    def days_later(self) -> int | None:
        if self.finish_before is None or self.finish_after is None:
            return None
        return (self.finish_after.date() - self.finish_before.date()).days


@dataclass(frozen=True)
class KeepingCost:
    """What a calmer plan (the previous plan's sessions kept as they were) would have
    cost against the plan taken: more sessions (negative: fewer), a later finish (the
    learner's days, and the time: 0 when not later), goals reached later."""

    sessions: int
    days: int
    finish_later: Duration
    kept: int  # the previous plan's sessions the calmer plan kept as they were
    until: datetime  # the end of the last of them
    goals_later: tuple[tuple[str, int], ...] = ()  # goals reached later: (goal, days)

    @property
    def costs(self) -> bool:
        """Whether keeping costs anything (the calmer plan may lose on calm alone)."""
        return self.sessions > 0 or self.finish_later > ZERO or bool(self.goals_later)

    @classmethod
    def of(cls, calm: Plan, kept: list[StudySession], taken: Plan, zone: ZoneInfo) -> KeepingCost:
        def day(moment: datetime | None) -> int:
            return moment.astimezone(zone).toordinal() if moment else 0

        reached = {goal.goal: goal.reached for goal in taken.goals}
        return cls(
            sessions=len(calm.upcoming_study) - len(taken.upcoming_study),
            days=day(calm.finish) - day(taken.finish),
            finish_later=max(calm.finish.astimezone(UTC) - taken.finish.astimezone(UTC), ZERO)
            if calm.finish and taken.finish
            else ZERO,
            kept=len(kept),
            until=max(session.end for session in kept),
            goals_later=tuple(
                (goal.goal, later)
                for goal in calm.goals
                if (later := day(goal.reached) - day(reached.get(goal.goal))) > 0
            ),
        )


def changed_within(previous: Plan, plan: Plan, since: datetime, days: int) -> int:
    """Sessions changed in the learner's `days` days from `since` (its day first): those
    there before or now whose time changed, or that are new or gone."""
    zone = ZoneInfo(plan.timezone)
    until = start_of_day(day_of(since, zone) + timedelta(days=days), zone)
    before, after = _still_ahead(previous, plan), _timings(plan)

    def soon(timing: tuple[datetime, datetime] | None) -> bool:
        return timing is not None and since <= timing[0] < until

    return sum(
        1
        for uid in before.keys() | after.keys()
        if (soon(before.get(uid)) or soon(after.get(uid))) and before.get(uid) != after.get(uid)
    )


def changed_sessions(previous: Plan, plan: Plan) -> int:
    """Sessions moved, added or dropped, against the previous plan's upcoming ones."""
    before, after = _still_ahead(previous, plan), _timings(plan)
    return sum(1 for uid in before.keys() | after.keys() if before.get(uid) != after.get(uid))


def _timings(plan: Plan) -> dict[str, tuple[datetime, datetime]]:
    return {session.uid: (session.start_utc, session.end_utc) for session in plan.upcoming}


def _still_ahead(previous: Plan, plan: Plan) -> dict[str, tuple[datetime, datetime]]:
    """The previous plan's upcoming sessions that `plan` does not hold as history."""
    history = {session.uid for session in plan.sessions if session.done}
    return {uid: timing for uid, timing in _timings(previous).items() if uid not in history}


def with_sequences(
    upcoming: list[StudySession], previous: Plan, stamp: datetime
) -> list[StudySession]:
    """SEQUENCE and LAST-MODIFIED: kept for a session at the same time as before, raised
    (and stamped) for one that moved."""
    before = {session.uid: session for session in previous.sessions}
    updated = []
    for session in upcoming:
        old = before.get(session.uid)
        if old is None:
            updated.append(session)
        elif (old.start_utc, old.end_utc, old.done) == (session.start_utc, session.end_utc, False):
            same = {"sequence": old.sequence, "modified": old.modified}
            updated.append(session.model_copy(update=same))
        else:
            moved = {"sequence": old.sequence + 1, "modified": stamp}
            updated.append(session.model_copy(update=moved))
    return updated


def count_changes(previous: Plan, plan: Plan, hours_done: float) -> PlanChanges:
    """Kept / moved / added / dropped, counted by UID against the previous plan."""
    before = {session.uid: session for session in previous.upcoming}
    now = {session.uid for session in plan.sessions}
    kept = moved = added = 0
    for session in plan.upcoming:
        old = before.get(session.uid)
        if old is None:
            added += 1
        elif (old.start_utc, old.end_utc) == (session.start_utc, session.end_utc):
            kept += 1
        else:
            moved += 1
    history = [session for session in plan.sessions if session.done]
    return PlanChanges(
        finish_before=previous.finish,
        finish_after=plan.finish,
        kept=kept,
        moved=moved,
        added=added,
        dropped=sum(1 for uid in before if uid not in now),
        done=len(history),
        hours_done=hours_done,
        hours_left=plan.planned_hours,
    )
