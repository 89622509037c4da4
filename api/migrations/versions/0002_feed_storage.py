"""Store the calendar gzip-compressed, remember when its bytes last changed (the feed's
Last-Modified), keep the plan a re-plan from a future day replaced (to undo it), and put
the feed's columns first in the row.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-01
"""

from __future__ import annotations

import gzip

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

_BATCH = 500  # rows copied per round trip: bounded memory on a large table


def upgrade() -> None:
    # A new table, in a new column order: what every feed request reads first, the large
    # JSON last. SQLite reads a row's columns in order, through the overflow pages of
    # every large value before the one asked for (a feed's validators after a 40 KB plan
    # cost a dozen page reads).
    op.create_table(
        "plans_new",
        sa.Column("id", sa.String(length=32), primary_key=True),
        sa.Column("feed_token_hash", sa.String(length=64), nullable=False),
        sa.Column("feed_token", sa.String(length=64), nullable=False),
        sa.Column("calendar_etag", sa.String(length=80), nullable=False),
        sa.Column("calendar_modified_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("owner_token_hash", sa.String(length=64), nullable=False),
        sa.Column("roadmap_id", sa.String(length=100), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("calendar_gzip", sa.LargeBinary(), nullable=False),
        sa.Column("profile_json", sa.Text(), nullable=False),
        sa.Column("progress_json", sa.Text(), nullable=True),
        sa.Column("plan_json", sa.Text(), nullable=False),
        sa.Column("undo_plan_json", sa.Text(), nullable=True),
    )
    _copy_compressing_calendars()
    op.drop_index("ix_plans_feed_token_hash", table_name="plans")
    op.drop_table("plans")
    op.rename_table("plans_new", "plans")
    if op.get_bind().dialect.name == "postgresql":
        op.execute("ALTER TABLE plans RENAME CONSTRAINT plans_new_pkey TO plans_pkey")
    op.create_index("ix_plans_feed_token_hash", "plans", ["feed_token_hash"], unique=True)


def _copy_compressing_calendars() -> None:
    """Every row into plans_new, a batch at a time: the calendar gzip-compressed (mtime
    0: the same calendar always gives the same bytes), its Last-Modified from the row's
    last write."""
    connection = op.get_bind()
    kept = ("id", "feed_token_hash", "feed_token", "calendar_etag", "owner_token_hash",
            "roadmap_id", "version", "created_at", "updated_at", "profile_json",
            "progress_json", "plan_json")  # fmt: skip
    old = sa.table("plans", *(sa.column(name) for name in (*kept, "calendar")))
    new = sa.table("plans_new", *(sa.column(name) for name in (*kept, *_NEW)))
    after = ""
    while True:
        rows = (
            connection.execute(
                sa.select(old).where(old.c.id > after).order_by(old.c.id).limit(_BATCH)
            )
            .mappings()
            .all()
        )
        if not rows:
            return
        connection.execute(
            new.insert(),
            [
                {**{name: row[name] for name in kept},
                 "calendar_gzip": gzip.compress(row["calendar"], mtime=0),
                 "calendar_modified_at": row["updated_at"], "undo_plan_json": None}
                for row in rows
            ],
        )  # fmt: skip
        after = rows[-1]["id"]


_NEW = ("calendar_gzip", "calendar_modified_at", "undo_plan_json")


def downgrade() -> None:
    with op.batch_alter_table("plans") as batch:
        batch.add_column(sa.Column("calendar", sa.LargeBinary(), nullable=True))
    _decompress_calendars()
    with op.batch_alter_table("plans") as batch:
        batch.alter_column("calendar", existing_type=sa.LargeBinary(), nullable=False)
        batch.drop_column("undo_plan_json")
        batch.drop_column("calendar_modified_at")
        batch.drop_column("calendar_gzip")


def _decompress_calendars() -> None:
    connection = op.get_bind()
    plans = sa.table("plans", sa.column("id"), sa.column("calendar"), sa.column("calendar_gzip"))
    after = ""
    while True:
        rows = connection.execute(
            sa.select(plans.c.id, plans.c.calendar_gzip)
            .where(plans.c.id > after)
            .order_by(plans.c.id)
            .limit(_BATCH)
        ).all()
        if not rows:
            return
        connection.execute(
            plans.update().where(plans.c.id == sa.bindparam("row_id")),
            [{"row_id": row_id, "calendar": gzip.decompress(body)} for row_id, body in rows],
        )
        after = rows[-1][0]
