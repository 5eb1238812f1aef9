"""A pain entry's impact on daily activities may be unanswered: the check-in
does not ask it, and the diary's form starts with no answer chosen, so
"none" is no longer written for a question nobody answered. Existing rows
keep what they hold.

Revision ID: 0006
Revises: 0005
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("pain_entries") as batch:  # SQLite copies the table
        batch.alter_column("impact", existing_type=sa.String(10), nullable=True)


def downgrade() -> None:
    op.execute("UPDATE pain_entries SET impact = 'none' WHERE impact IS NULL")
    with op.batch_alter_table("pain_entries") as batch:
        batch.alter_column("impact", existing_type=sa.String(10), nullable=False)
