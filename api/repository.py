"""Every read and write of the database: the one place that touches SQL.

Writes are conditional on the version the caller read (optimistic concurrency): two
writers that raced cannot both win, and the loser learns it (`StaleVersionError`)
instead of silently overwriting the other's change.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import delete, text, update
from sqlalchemy.orm import defer
from sqlmodel import Session, select

from api.tables import BusySourceRecord, PlanRecord


class StaleVersionError(Exception):
    """The plan changed since the caller read it (another request wrote first)."""


@dataclass(frozen=True)
class NewSecrets:
    owner_token: str
    feed_token: str


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def now() -> datetime:
    """The time rows are stamped with (whole seconds, UTC)."""
    return _now()


def _now() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


def new_plan_id() -> str:
    """A fresh plan id: the key of the plan's row and the identity in its event UIDs."""
    return secrets.token_hex(8)


def create_plan(
    session: Session,
    *,
    plan_id: str,
    roadmap_id: str,
    profile_json: str,
    plan_json: str,
    calendar: bytes,
    calendar_etag: str,
    busy_sources: list[BusySourceRecord] = [],  # noqa: B006 (never mutated)
) -> tuple[PlanRecord, NewSecrets]:
    """Store a new plan with fresh secrets, and its busy calendars (in one transaction);
    the owner token is returned once, here."""
    new = NewSecrets(owner_token=secrets.token_urlsafe(32), feed_token=secrets.token_urlsafe(32))
    now = _now()
    record = PlanRecord(
        id=plan_id,
        owner_token_hash=token_hash(new.owner_token),
        feed_token=new.feed_token,
        feed_token_hash=token_hash(new.feed_token),
        roadmap_id=roadmap_id,
        profile_json=profile_json,
        plan_json=plan_json,
        calendar=calendar,
        calendar_etag=calendar_etag,
        created_at=now,
        updated_at=now,
    )
    session.add(record)
    session.flush()  # the plan's row first: the busy calendars refer to it
    session.add_all(busy_sources)
    session.commit()
    session.refresh(record)
    return record, new


def find_owned_plan(session: Session, *, plan_id: str, owner_token: str) -> PlanRecord | None:
    """The plan if `owner_token` is its owner's, else None — the same answer whether the
    plan does not exist or the token is wrong, with a constant-time comparison."""
    record = session.get(PlanRecord, plan_id)
    expected = record.owner_token_hash if record is not None else token_hash("no such plan")
    matches = hmac.compare_digest(expected, token_hash(owner_token))
    return record if record is not None and matches else None


def find_plan_by_feed_token(session: Session, *, feed_token: str) -> PlanRecord | None:
    # The calendar itself loads only when it is read: a 304 never needs it.
    statement = (
        select(PlanRecord)
        .where(PlanRecord.feed_token_hash == token_hash(feed_token))
        .options(defer(PlanRecord.calendar))  # type: ignore[arg-type]
    )
    record = session.exec(statement).first()
    if record is None or not hmac.compare_digest(record.feed_token, feed_token):
        return None
    return record


def update_plan(
    session: Session, *, record: PlanRecord, expected_version: int, **changes: Any
) -> PlanRecord:
    """Apply `changes` if the plan is still at `expected_version`; bump the version.

    Raises:
        StaleVersionError: another write came first.
    """
    # Strictly later, by a second at least: Last-Modified has whole seconds, and a
    # change within the second of the last read must not look unmodified.
    updated_at = max(_now(), _aware(record.updated_at) + timedelta(seconds=1))
    values = {**changes, "version": expected_version + 1, "updated_at": updated_at}
    statement = (
        update(PlanRecord)
        .where(PlanRecord.id == record.id)  # type: ignore[arg-type]
        .where(PlanRecord.version == expected_version)  # type: ignore[arg-type]
        .values(**values)
    )
    result = session.exec(statement)
    if result.rowcount != 1:
        session.rollback()
        raise StaleVersionError(record.id)
    session.commit()
    session.refresh(record)
    return record


def rotate_feed_token(session: Session, *, record: PlanRecord, expected_version: int) -> PlanRecord:
    """A new feed token; the old feed URL stops working at once."""
    feed_token = secrets.token_urlsafe(32)
    return update_plan(
        session,
        record=record,
        expected_version=expected_version,
        feed_token=feed_token,
        feed_token_hash=token_hash(feed_token),
    )


def delete_plan(session: Session, *, record: PlanRecord, expected_version: int) -> None:
    """Delete the plan if it is still at `expected_version`.

    Raises:
        StaleVersionError: another write came first.
    """
    statement = (
        delete(PlanRecord)
        .where(PlanRecord.id == record.id)  # type: ignore[arg-type]
        .where(PlanRecord.version == expected_version)  # type: ignore[arg-type]
    )
    session.exec(delete(BusySourceRecord).where(BusySourceRecord.plan_id == record.id))  # type: ignore[arg-type]
    if session.exec(statement).rowcount != 1:
        session.rollback()
        raise StaleVersionError(record.id)
    session.commit()


def busy_sources_of(session: Session, *, plan_id: str) -> list[BusySourceRecord]:
    """The plan's busy calendars, in the profile's order."""
    statement = (
        select(BusySourceRecord)
        .where(BusySourceRecord.plan_id == plan_id)
        .order_by(BusySourceRecord.position)  # type: ignore[arg-type]
    )
    return list(session.exec(statement))


def save_busy_sources(session: Session, *, sources: list[BusySourceRecord]) -> None:
    """Store what the last fetch of these busy calendars found."""
    for source in sources:
        session.merge(source)
    session.commit()


def plans_with_busy_due(session: Session, *, now: datetime) -> list[str]:
    """The plans with a busy calendar due to be fetched again, oldest due first."""
    statement = (
        select(BusySourceRecord.plan_id)
        .where(BusySourceRecord.next_check_at <= now)
        .order_by(BusySourceRecord.next_check_at)  # type: ignore[arg-type]
    )
    return list(dict.fromkeys(session.exec(statement)))


def ping(session: Session) -> None:
    """A round trip to the database (the health check)."""
    session.exec(text("SELECT 1"))  # type: ignore[call-overload]


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
