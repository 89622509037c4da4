"""Store the calendar gzip-compressed, remember when its bytes last changed (the feed's
Last-Modified), keep the plan a re-plan from a future day replaced (to undo it), and, on
SQLite, put the feed's columns first in the row.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01
"""

from __future__ import annotations

import gzip
from collections.abc import Callable

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

_BATCH = 500  # rows converted per round trip: bounded memory on a large table


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        _rebuild_feed_first()
        return
    # PostgreSQL keeps large values out of the row (TOAST): the order of columns does
    # not matter there, the table is altered in place.
    op.add_column("plans", sa.Column("calendar_gzip", sa.LargeBinary(), nullable=True))
    op.add_column(
        "plans", sa.Column("calendar_modified_at", sa.DateTime(timezone=True), nullable=True)
    )
    op.add_column("plans", sa.Column("undo_plan_json", sa.Text(), nullable=True))
    _convert("calendar", "calendar_gzip", _compress)
    op.execute("UPDATE plans SET calendar_modified_at = updated_at")
    op.alter_column("plans", "calendar_gzip", nullable=False)
    op.alter_column("plans", "calendar_modified_at", nullable=False)
    op.drop_column("plans", "calendar")


def _rebuild_feed_first() -> None:
    """A new table in a new column order: what every feed request reads first, the large
    JSON last. SQLite reads a row's columns in order, through the overflow pages of every
    large value before the one asked for (a feed's validators after a 40 KB plan cost a
    dozen page reads). Foreign keys are off while this runs (`api.database.migrate`):
    the busy calendars that refer to plans stay, and refer to the new table."""
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
    kept = ("id", "feed_token_hash", "feed_token", "calendar_etag", "owner_token_hash",
            "roadmap_id", "version", "created_at", "updated_at", "profile_json",
            "progress_json", "plan_json")  # fmt: skip
    columns = ", ".join(kept)
    op.execute(
        f"INSERT INTO plans_new ({columns}, calendar_gzip, calendar_modified_at) "
        f"SELECT {columns}, calendar, updated_at FROM plans"
    )
    _convert("calendar_gzip", "calendar_gzip", _compress, table="plans_new")
    op.drop_index("ix_plans_feed_token_hash", table_name="plans")
    op.drop_table("plans")
    op.rename_table("plans_new", "plans")
    op.create_index("ix_plans_feed_token_hash", "plans", ["feed_token_hash"], unique=True)


def downgrade() -> None:
    with op.batch_alter_table("plans") as batch:
        batch.add_column(sa.Column("calendar", sa.LargeBinary(), nullable=True))
    _convert("calendar_gzip", "calendar", gzip.decompress)
    with op.batch_alter_table("plans") as batch:
        batch.alter_column("calendar", existing_type=sa.LargeBinary(), nullable=False)
        batch.drop_column("undo_plan_json")
        batch.drop_column("calendar_modified_at")
        batch.drop_column("calendar_gzip")


def _compress(calendar: bytes) -> bytes:
    # mtime=0: the same calendar always compresses to the same bytes.
    return gzip.compress(calendar, mtime=0)


def _convert(
    source: str, target: str, change: Callable[[bytes], bytes], *, table: str = "plans"
) -> None:
    """target = change(source) on every row of `table`, a batch at a time."""
    connection = op.get_bind()
    names = dict.fromkeys(("id", source, target))  # source and target may be one column
    rows_of = sa.table(table, *(sa.column(name) for name in names))
    after = ""
    while True:
        rows = connection.execute(
            sa.select(rows_of.c.id, rows_of.c[source])
            .where(rows_of.c.id > after)
            .order_by(rows_of.c.id)
            .limit(_BATCH)
        ).all()
        if not rows:
            return
        connection.execute(
            rows_of.update().where(rows_of.c.id == sa.bindparam("row_id")),
            [{"row_id": row_id, target: change(bytes(value))} for row_id, value in rows],
        )
        after = rows[-1][0]
