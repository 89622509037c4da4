"""Every read and write of the database: the one place that touches SQL (with
api.calendar_store, the same for the plans' own CalDAV calendars).

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
from functools import lru_cache
from typing import Any

from sqlalchemy import Connection, Engine, Executable, bindparam, delete, exc, text, update
from sqlmodel import Session, select

from api.storage import storage_problem, write_problem
from api.tables import BusySourceRecord, CalendarTargetRecord, PlanRecord


class StaleVersionError(Exception):
    """The plan changed since the caller read it (another request wrote first)."""


@dataclass(frozen=True)
class NewSecrets:
    owner_token: str
    feed_token: str


@dataclass(frozen=True)
class StoredFeed:
    """What a feed request needs before its body: the plan and the calendar's validators."""

    plan_id: str
    etag: str
    modified_at: datetime


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
    calendar_gzip: bytes,
    calendar_etag: str,
    name: str = "",
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
        name=name,
        profile_json=profile_json,
        plan_json=plan_json,
        calendar_gzip=calendar_gzip,
        calendar_etag=calendar_etag,
        calendar_modified_at=now,
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


def end_transaction(session: Session) -> None:
    """End the session's transaction, so its connection goes back to the pool, before a
    long wait (a solve): an open transaction would hold a connection for seconds, and
    pin an old snapshot (SQLite could not checkpoint its WAL; PostgreSQL could not
    vacuum). The later write is conditional on the version read anyway."""
    session.commit()


def find_feed(connection: Connection, *, feed_token: str) -> StoredFeed | None:
    """The feed's validators, looked up by the token's hash (indexed). This runs on every
    poll of every subscribed calendar: Core on a connection, no ORM session, and a
    statement built once (building one costs more than running it)."""
    row = connection.execute(_feed_lookup(), {"token_hash": token_hash(feed_token)}).first()
    if row is None or not hmac.compare_digest(row.feed_token, feed_token):
        return None
    return StoredFeed(row.id, row.calendar_etag, as_utc(row.calendar_modified_at))


def find_feed_calendar(connection: Connection, *, plan_id: str, etag: str) -> bytes | None:
    """The gzip-compressed calendar if the plan's calendar is still at `etag` (None if a
    write came between the lookup and this read)."""
    row = connection.execute(_feed_calendar(), {"plan_id": plan_id, "etag": etag}).first()
    return None if row is None else bytes(row.calendar_gzip)


@lru_cache
def _feed_lookup() -> Executable:
    columns = (PlanRecord.id, PlanRecord.feed_token, PlanRecord.calendar_etag)
    return select(*columns, PlanRecord.calendar_modified_at).where(
        PlanRecord.feed_token_hash == bindparam("token_hash")
    )


@lru_cache
def _feed_calendar() -> Executable:
    return select(PlanRecord.calendar_gzip).where(
        PlanRecord.id == bindparam("plan_id"), PlanRecord.calendar_etag == bindparam("etag")
    )


def update_plan(
    session: Session,
    *,
    record: PlanRecord,
    expected_version: int,
    busy_sources: list[BusySourceRecord] | None = None,
    **changes: Any,
) -> PlanRecord:
    """Apply `changes` if the plan is still at `expected_version`; bump the version. A
    calendar that comes out byte for byte the same keeps its Last-Modified. With
    `busy_sources`, the plan's busy calendars become these (in the same transaction).

    Raises:
        StaleVersionError: another write came first.
    """
    # Strictly later, by a second at least: Last-Modified has whole seconds, and a
    # change within the second of the last read must not look unmodified.
    updated_at = max(_now(), as_utc(record.updated_at) + timedelta(seconds=1))
    values = {**changes, "version": expected_version + 1, "updated_at": updated_at}
    if changes.get("calendar_etag", record.calendar_etag) != record.calendar_etag:
        values["calendar_modified_at"] = updated_at
    else:
        values.pop("calendar_gzip", None)
        values.pop("calendar_etag", None)
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
    if busy_sources is not None:
        for old in busy_sources_of(session, plan_id=record.id):
            session.delete(old)
        session.flush()  # gone before their positions are taken again
        session.add_all(busy_sources)
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
    session.exec(delete(CalendarTargetRecord).where(CalendarTargetRecord.plan_id == record.id))  # type: ignore[arg-type]
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
    """Store what the last fetch of these busy calendars found, for each calendar still at
    its place: one the owner removed or moved meanwhile (Change my week) is left as the
    owner made it."""
    for source in sources:  # written below only where the calendar still is, not by key
        if source in session:
            session.expunge(source)
    for source in sources:
        statement = (
            update(BusySourceRecord)
            .where(BusySourceRecord.plan_id == source.plan_id)  # type: ignore[arg-type]
            .where(BusySourceRecord.position == source.position)  # type: ignore[arg-type]
            .where(BusySourceRecord.url == source.url)  # type: ignore[arg-type]
            .values(
                body=source.body,
                digest=source.digest,
                etag=source.etag,
                last_modified=source.last_modified,
                checked_at=source.checked_at,
                changed_at=source.changed_at,
                next_check_at=source.next_check_at,
                error=source.error,
            )
        )
        session.exec(statement)
    session.commit()


def claim_busy_refresh(
    session: Session, *, plan_id: str, now: datetime, next_check_at: datetime
) -> bool:
    """Take the plan's due busy calendars for one refresh: move their next check to
    `next_check_at` if they are still due at `now`. One conditional UPDATE, so of two
    processes (or hosts) on one database only one gets True (PostgreSQL re-reads the
    rows the winner changed; SQLite writes one at a time): the other leaves the plan.

    Returns:
        Whether this caller took them (False: another refresh did, or none is due).
    """
    statement = (
        update(BusySourceRecord)
        .where(BusySourceRecord.plan_id == plan_id)  # type: ignore[arg-type]
        .where(BusySourceRecord.next_check_at <= now)  # type: ignore[arg-type]
        .values(next_check_at=next_check_at)
    )
    taken = session.exec(statement).rowcount > 0
    session.commit()
    return taken


def plans_with_busy_due(session: Session, *, now: datetime) -> list[str]:
    """The plans with a busy calendar due to be fetched again, oldest due first."""
    statement = (
        select(BusySourceRecord.plan_id)
        .where(BusySourceRecord.next_check_at <= now)
        .order_by(BusySourceRecord.next_check_at)  # type: ignore[arg-type]
    )
    return list(dict.fromkeys(session.exec(statement)))


def storage_problem_now(engine: Engine, min_free_mb: int) -> str | None:
    """Why a write would fail now (None: it would not): the health check. A database
    that cannot be reached at all is a problem too."""
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
            return write_problem(connection, min_free_mb)
    except exc.DBAPIError as error:
        problem = storage_problem(error)
        return problem.detail if problem else f"{type(error).__name__}"


def as_utc(moment: datetime) -> datetime:
    """A stored time in UTC: SQLite gives it back naive (it was written in UTC),
    PostgreSQL aware in the connection's zone."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
