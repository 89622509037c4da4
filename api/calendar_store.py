"""The reads and writes of the plans' own CalDAV calendars (table calendar_targets): as
api.repository, whose part it is (kept apart for its size). A push or pull claims a
target with one conditional UPDATE (a lease), so one process or host exchanges with a
calendar at a time; what an exchange leaves is written to its own columns only."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Engine, delete, exc, func, update
from sqlmodel import Session, select

from api.tables import CalendarTargetRecord, PlanRecord


@dataclass(frozen=True)
class PlanToPush:
    """A plan as it is stored now, read for a push (the caller's record left as it is)."""

    id: str
    version: int
    plan_json: str
    profile_json: str


def plan_to_push(session: Session, *, plan_id: str) -> PlanToPush | None:
    """The plan as it is now (None: deleted), read in a transaction ended at once."""
    plan = PlanRecord
    statement = select(plan.version, plan.plan_json, plan.profile_json).where(plan.id == plan_id)
    row = session.exec(statement).first()
    session.commit()  # no transaction held while the calendar's server answers
    return None if row is None else PlanToPush(plan_id, *row)


def calendar_target_of(session: Session, *, plan_id: str) -> CalendarTargetRecord | None:
    return session.get(CalendarTargetRecord, plan_id)


def save_calendar_target(session: Session, *, target: CalendarTargetRecord) -> None:
    """Store a new target (or a new account for the plan's), whole."""
    session.merge(target)
    session.commit()


def held_calendar_target(session: Session, *, plan_id: str) -> CalendarTargetRecord | None:
    """The target a caller claimed, detached: what the exchange changes on it is written
    by `record_calendar_exchange` alone (never flushed whole by another commit)."""
    target = session.get(CalendarTargetRecord, plan_id, populate_existing=True)
    if target is not None:
        session.expunge(target)
    session.commit()  # no transaction held while the calendar's server answers
    return target


def record_calendar_exchange(session: Session, *, target: CalendarTargetRecord) -> bool:
    """Store what an exchange left and let the target go: only its own columns, so an
    account changed meanwhile stays, a target deleted meanwhile stays deleted, and a
    re-plan's mark (`mark_calendar_target_due`) stays; and only while `target.lease_until`
    is still the lease: a holder whose lease another host took over writes nothing.

    Returns:
        False: nothing was written (the lease was taken over, or the target deleted).
    """
    fields = ("state_json", "calendar_url", "synced_at", "error", "failing_since", "failures")
    values = {name: getattr(target, name) for name in fields}
    record = CalendarTargetRecord
    statement = (
        update(record)
        .where(record.plan_id == target.plan_id)  # type: ignore[arg-type]
        .where(record.lease_until == target.lease_until)  # type: ignore[arg-type]
    )
    written = session.exec(statement.values(**values, lease_until=None)).rowcount > 0
    session.commit()
    return written


def delete_calendar_target(session: Session, *, plan_id: str) -> bool:
    statement = delete(CalendarTargetRecord).where(CalendarTargetRecord.plan_id == plan_id)  # type: ignore[arg-type]
    deleted = session.exec(statement).rowcount > 0
    session.commit()
    return deleted


def claim_calendar_target(
    session: Session,
    *,
    plan_id: str,
    now: datetime,
    until: datetime,
    due: bool = False,
    next_sync_at: datetime | None = None,
) -> bool:
    """Take the plan's calendar target for one push or pull, until `until`, unless
    another one holds it (on any host: one conditional UPDATE, as claim_busy_refresh);
    `due`: only if its scheduled sync is due, and then move that on to `next_sync_at`
    (in the claim: a re-plan may mark it due again while this sync holds it)."""
    target = CalendarTargetRecord
    free = (target.lease_until == None) | (target.lease_until <= now)  # type: ignore[operator]  # noqa: E711
    statement = update(target).where(target.plan_id == plan_id).where(free)  # type: ignore[arg-type]
    values: dict[str, datetime] = {"lease_until": until}
    if due:
        statement = statement.where(target.next_sync_at <= now)  # type: ignore[arg-type]
        values["next_sync_at"] = next_sync_at or now
    taken = session.exec(statement.values(**values)).rowcount > 0
    session.commit()
    return taken


def mark_calendar_target_due(session: Session, *, plan_id: str, now: datetime) -> None:
    """Have the schedule sync the target at its next look (its holder may push an older
    plan; the holder's release leaves this mark)."""
    target = CalendarTargetRecord
    statement = update(target).where(target.plan_id == plan_id).values(next_sync_at=now)  # type: ignore[arg-type]
    session.exec(statement)
    session.commit()


def calendar_targets_due(session: Session, *, now: datetime) -> list[str]:
    """The plans whose calendar is due to be read back, oldest due first."""
    target = CalendarTargetRecord
    statement = select(target.plan_id).where(target.next_sync_at <= now)
    return list(session.exec(statement.order_by(target.next_sync_at)))  # type: ignore[arg-type]


def calendar_targets_failing(engine: Engine, *, since: datetime) -> int | None:
    """How many calendar targets have failed since `since` or earlier (None: the
    database does not answer; the storage check says why)."""
    target = CalendarTargetRecord
    statement = select(func.count()).where(target.failing_since <= since)  # type: ignore[operator]
    try:
        with Session(engine) as session:
            return int(session.exec(statement).one())
    except exc.DBAPIError:
        return None
