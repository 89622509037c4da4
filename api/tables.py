"""Database tables (SQLModel). Only api.repository reads and writes them."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel


class PlanRecord(SQLModel, table=True):
    """One learner's plan: what it was made from, the plan, the calendar served to
    subscribers (gzip-compressed: served as it is to the clients that ask for gzip,
    nearly all, and a tenth of the size), and the two secrets. The owner token is kept
    only as a hash (it is shown once); the feed token is kept so the owner can see the
    feed URL again."""

    __tablename__ = "plans"

    id: str = Field(primary_key=True, max_length=32)
    owner_token_hash: str = Field(max_length=64)
    feed_token: str = Field(max_length=64)
    feed_token_hash: str = Field(max_length=64, unique=True, index=True)
    roadmap_id: str = Field(max_length=100)
    # The learner's name for the plan ("" when unnamed), shown in every browser that opens it.
    name: str = Field(default="", max_length=100)
    profile_json: str
    progress_json: str | None = None
    plan_json: str
    # The plan before a re-plan from a day after today: what that re-plan counted as
    # done has not happened yet, so a re-plan from an earlier day starts from this one.
    undo_plan_json: str | None = None
    calendar_gzip: bytes
    calendar_etag: str = Field(max_length=80)
    calendar_modified_at: datetime  # when the calendar's bytes last changed
    version: int = 1
    created_at: datetime
    updated_at: datetime


class BusySourceRecord(SQLModel, table=True):
    """One busy calendar of a plan (profile.busy, by position): its URL (a secret: never
    shown, logged or answered), the last good copy and its validators, and how the last
    fetch went. The service refreshes it when `next_check_at` has passed."""

    __tablename__ = "busy_sources"

    plan_id: str = Field(
        foreign_key="plans.id", ondelete="CASCADE", primary_key=True, max_length=32
    )
    position: int = Field(primary_key=True)
    url: str
    body: bytes
    digest: str = Field(max_length=80)
    etag: str | None = Field(default=None, max_length=200)
    last_modified: str | None = Field(default=None, max_length=100)
    checked_at: datetime
    changed_at: datetime
    next_check_at: datetime = Field(index=True)
    error: str | None = None


class CalendarTargetRecord(SQLModel, table=True):
    """A plan's own CalDAV calendar (PUT /plans/{id}/calendar), which every re-plan is
    pushed to and the learner's moves are read back from: the account (its password or
    token only encrypted, see api.credentials), the calendar found or made in it, what
    the last push left there (`state_json`, a calendar_sync SyncState), and how the
    last exchange went. `lease_until`: a push or pull under way (one at a time, on every
    host); `next_sync_at`: when the schedule reads it back next."""

    __tablename__ = "calendar_targets"

    plan_id: str = Field(
        foreign_key="plans.id", ondelete="CASCADE", primary_key=True, max_length=32
    )
    caldav: str
    username: str = Field(max_length=256)
    name: str = Field(max_length=200)
    bearer: bool = False  # an OAuth access token (sent as a bearer token), not a password
    secret_sealed: bytes
    calendar_url: str
    state_json: str
    synced_at: datetime | None = None
    error: str | None = None
    failing_since: datetime | None = Field(default=None, index=True)
    failures: int = 0
    next_sync_at: datetime = Field(index=True)
    lease_until: datetime | None = None
    created_at: datetime
