"""The audit trail: every edit and deletion of a diary record, with the record
before and after, so that a correction can be undone and the clinician's
report can say which records were edited.

Revision ID: 0007
Revises: 0006
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from spasmcare.store.tables import UTCDateTime

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "record_changes",
        sa.Column("id", sa.String(32), nullable=False),
        sa.Column("person_id", sa.String(32), sa.ForeignKey("people.id", ondelete="CASCADE",
                                name="fk_record_changes_person_id_people"), nullable=False),
        sa.Column("made_at", UTCDateTime(), nullable=False),
        sa.Column("action", sa.String(10), nullable=False),
        sa.Column("kind", sa.String(10), nullable=False),
        sa.Column("record_id", sa.String(32), nullable=False),
        sa.Column("before", sa.JSON()),
        sa.Column("after", sa.JSON()),
        sa.Column("detached", sa.JSON(), nullable=False),
        sa.Column("undoes", sa.String(32)),
        sa.PrimaryKeyConstraint("id", name="pk_record_changes"),
    )
    op.create_index("ix_record_changes_person_id", "record_changes", ["person_id"])
    op.create_index("ix_record_changes_person_made", "record_changes", ["person_id", "made_at"])
    op.create_index("ix_record_changes_record_id", "record_changes", ["record_id"])
    op.create_index("ix_record_changes_undoes", "record_changes", ["undoes"])


def downgrade() -> None:
    op.drop_table("record_changes")
