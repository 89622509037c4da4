"""Database tables (SQLModel). Only api.repository reads and writes them."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel


class PlanRecord(SQLModel, table=True):
    """One learner's plan: what it was made from, the plan, the calendar served to
    subscribers, and the two secrets. The owner token is kept only as a hash (it is
    shown once); the feed token is kept so the owner can see the feed URL again."""

    __tablename__ = "plans"

    id: str = Field(primary_key=True, max_length=32)
    owner_token_hash: str = Field(max_length=64)
    feed_token: str = Field(max_length=64)
    feed_token_hash: str = Field(max_length=64, unique=True, index=True)
    roadmap_id: str = Field(max_length=100)
    profile_json: str
    progress_json: str | None = None
    plan_json: str
    calendar: bytes
    calendar_etag: str = Field(max_length=80)
    version: int = 1
    created_at: datetime
    updated_at: datetime
