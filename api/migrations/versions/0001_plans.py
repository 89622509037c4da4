"""Create the plans table.

Revision ID: 0001
Revises:
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "plans",
        sa.Column("id", sa.String(length=32), primary_key=True),
        sa.Column("owner_token_hash", sa.String(length=64), nullable=False),
        sa.Column("feed_token", sa.String(length=64), nullable=False),
        sa.Column("feed_token_hash", sa.String(length=64), nullable=False),
        sa.Column("roadmap_id", sa.String(length=100), nullable=False),
        sa.Column("profile_json", sa.Text(), nullable=False),
        sa.Column("progress_json", sa.Text(), nullable=True),
        sa.Column("plan_json", sa.Text(), nullable=False),
        sa.Column("calendar", sa.LargeBinary(), nullable=False),
        sa.Column("calendar_etag", sa.String(length=80), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_plans_feed_token_hash", "plans", ["feed_token_hash"], unique=True)


def downgrade() -> None:
    op.drop_index("ix_plans_feed_token_hash", table_name="plans")
    op.drop_table("plans")
