"""A plan's name, given by the learner: kept with the plan, so a browser that opens it from
its private link shows it too. Plans made before it are unnamed ("").

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-08
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Added last: on SQLite the feed's columns stay first in the row (see 0003).
    op.add_column(
        "plans",
        sa.Column("name", sa.String(length=100), nullable=False, server_default=""),
    )


def downgrade() -> None:
    with op.batch_alter_table("plans") as batch:
        batch.drop_column("name")
