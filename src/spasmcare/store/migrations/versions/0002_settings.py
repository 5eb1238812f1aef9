"""Per-person settings: waking hours for the plan, and units.

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "settings",
        sa.Column("person_id", sa.String(32),
                  sa.ForeignKey("people.id", ondelete="CASCADE",
                                name="fk_settings_person_id_people"), nullable=False),
        sa.Column("wake", sa.String(5), nullable=False),
        sa.Column("sleep", sa.String(5), nullable=False),
        sa.Column("units", sa.String(10), nullable=False),
        sa.PrimaryKeyConstraint("person_id", name="pk_settings"),
    )


def downgrade() -> None:
    op.drop_table("settings")
