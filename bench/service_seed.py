"""A service database with many plans, for the load bench: a few real plans (solved and
written as the service writes them), stored again and again under fresh ids and
secrets, until the table holds as many plans as asked.

Every row is a plan the service can serve and re-plan: real profile, plan JSON and
calendar. Only the variety is bounded (as many distinct calendars as profiles), so
seeding 100,000 plans takes a minute or two instead of 100,000 solves.
"""

from __future__ import annotations

import gzip
import secrets
from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlalchemy import insert

from api.database import make_engine, migrate
from api.repository import new_plan_id, token_hash
from api.settings import Settings
from api.solving import calendar_of, inputs_for
from api.tables import PlanRecord
from bench.instances import Instance
from planner.planning.pipeline import make_plan

_BATCH = 2_000


@dataclass(frozen=True)
class SeededPlan:
    plan_id: str
    owner_token: str
    feed_token: str
    calendar_etag: str


@dataclass(frozen=True)
class _Variant:
    profile_json: str
    plan_json: str
    calendar_gzip: bytes
    calendar_etag: str


def seed(
    settings: Settings, instances: list[Instance], plans: int, today: date
) -> list[SeededPlan]:
    """Store `plans` plans (cycling through the instances' profiles) in the settings'
    database, migrated first; every plan's id, secrets and calendar ETag."""
    variants = [_variant(instance, today) for instance in instances]
    engine = make_engine(settings)
    try:
        migrate(engine)
        seeded: list[SeededPlan] = []
        now = datetime.now(UTC).replace(microsecond=0)
        for start in range(0, plans, _BATCH):
            rows = []
            for number in range(start, min(start + _BATCH, plans)):
                variant = variants[number % len(variants)]
                plan = SeededPlan(new_plan_id(), secrets.token_urlsafe(32),
                                  secrets.token_urlsafe(32), variant.calendar_etag)  # fmt: skip
                seeded.append(plan)
                rows.append(_row(plan, variant, now))
            with engine.begin() as connection:
                connection.execute(insert(PlanRecord), rows)
        return seeded
    finally:
        engine.dispose()


def _variant(instance: Instance, today: date) -> _Variant:
    profile = instance.inputs.profile
    result = make_plan(inputs_for("python-backend", profile), today=today)
    calendar, etag = calendar_of(result.plan)
    return _Variant(
        profile_json=profile.model_dump_json(by_alias=True),
        plan_json=result.plan.model_dump_json(),
        calendar_gzip=gzip.compress(calendar, mtime=0),
        calendar_etag=etag,
    )


def _row(plan: SeededPlan, variant: _Variant, now: datetime) -> dict[str, object]:
    return {
        "id": plan.plan_id,
        "owner_token_hash": token_hash(plan.owner_token),
        "feed_token": plan.feed_token,
        "feed_token_hash": token_hash(plan.feed_token),
        "roadmap_id": "python-backend",
        "profile_json": variant.profile_json,
        "progress_json": None,
        "plan_json": variant.plan_json,
        "undo_plan_json": None,
        "calendar_gzip": variant.calendar_gzip,
        "calendar_etag": variant.calendar_etag,
        "calendar_modified_at": now,
        "version": 1,
        "created_at": now,
        "updated_at": now,
    }
