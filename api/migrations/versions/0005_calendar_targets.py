"""Create the calendar_targets table: a plan's own CalDAV calendar, its password
encrypted, what the last push left there and how the last exchange went.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-08
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "calendar_targets",
        sa.Column(
            "plan_id",
            sa.String(length=32),
            sa.ForeignKey("plans.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("caldav", sa.Text(), nullable=False),
        sa.Column("username", sa.String(length=256), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("bearer", sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.Column("secret_sealed", sa.LargeBinary(), nullable=False),
        sa.Column("calendar_url", sa.Text(), nullable=False),
        sa.Column("state_json", sa.Text(), nullable=False),
        sa.Column("synced_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("failing_since", sa.DateTime(timezone=True), nullable=True),
        sa.Column("failures", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("next_sync_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("lease_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_calendar_targets_next_sync_at", "calendar_targets", ["next_sync_at"])
    op.create_index("ix_calendar_targets_failing_since", "calendar_targets", ["failing_since"])


def downgrade() -> None:
    op.drop_index("ix_calendar_targets_failing_since", table_name="calendar_targets")
    op.drop_index("ix_calendar_targets_next_sync_at", table_name="calendar_targets")
    op.drop_table("calendar_targets")
