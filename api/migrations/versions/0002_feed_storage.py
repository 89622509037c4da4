"""Store the calendar gzip-compressed, remember when its bytes last changed (the feed's
Last-Modified), and keep the plan a re-plan from a future day replaced (to undo it).

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-01
"""

from __future__ import annotations

import gzip
from collections.abc import Callable

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

_BATCH = 500  # rows converted per round trip: bounded memory on a large table


def upgrade() -> None:
    with op.batch_alter_table("plans") as batch:
        batch.add_column(sa.Column("calendar_gzip", sa.LargeBinary(), nullable=True))
        batch.add_column(
            sa.Column("calendar_modified_at", sa.DateTime(timezone=True), nullable=True)
        )
        batch.add_column(sa.Column("undo_plan_json", sa.Text(), nullable=True))
    _convert("calendar", "calendar_gzip", _compress)
    op.execute("UPDATE plans SET calendar_modified_at = updated_at")
    with op.batch_alter_table("plans") as batch:
        batch.alter_column("calendar_gzip", existing_type=sa.LargeBinary(), nullable=False)
        batch.alter_column(
            "calendar_modified_at", existing_type=sa.DateTime(timezone=True), nullable=False
        )
        batch.drop_column("calendar")


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


def _convert(source: str, target: str, change: Callable[[bytes], bytes]) -> None:
    """target = change(source) on every row, a batch at a time."""
    connection = op.get_bind()
    plans = sa.table("plans", sa.column("id"), sa.column(source), sa.column(target))
    after = ""
    while True:
        rows = connection.execute(
            sa.select(plans.c.id, plans.c[source])
            .where(plans.c.id > after)
            .order_by(plans.c.id)
            .limit(_BATCH)
        ).all()
        if not rows:
            return
        connection.execute(
            plans.update().where(plans.c.id == sa.bindparam("row_id")),
            [{"row_id": row_id, target: change(value)} for row_id, value in rows],
        )
        after = rows[-1][0]
