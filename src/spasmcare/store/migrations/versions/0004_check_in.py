"""The daily check-in: a pain entry can say whether the back was worse this
morning after yesterday's activity, which the care plan uses to hold, step up
or step back.

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("pain_entries", sa.Column("worse_next_morning", sa.Boolean()))


def downgrade() -> None:
    with op.batch_alter_table("pain_entries") as batch:  # SQLite copies the table
        batch.drop_column("worse_next_morning")
