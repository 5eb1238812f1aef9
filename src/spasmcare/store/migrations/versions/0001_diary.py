"""The diary: people, episodes, pain entries, treatment sessions, medicines, habits.

Revision ID: 0001
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from spasmcare.store.tables import UTCDateTime

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def _id() -> sa.Column[str]:
    return sa.Column("id", sa.String(32), primary_key=True)


def _person(table: str) -> sa.Column[str]:
    return sa.Column("person_id", sa.String(32),
                     sa.ForeignKey("people.id", ondelete="CASCADE",
                                   name=f"fk_{table}_person_id_people"),
                     nullable=False)


def _episode(table: str) -> sa.Column[str]:
    return sa.Column("episode_id", sa.String(32),
                     sa.ForeignKey("episodes.id", ondelete="SET NULL",
                                   name=f"fk_{table}_episode_id_episodes"),
                     nullable=True)


def upgrade() -> None:
    op.create_table("people", _id(), sa.Column("created_at", UTCDateTime(), nullable=False),
                    sa.PrimaryKeyConstraint("id", name="pk_people"))
    op.create_table(
        "episodes", _id(), _person("episodes"),
        sa.Column("onset", UTCDateTime(), nullable=False),
        sa.Column("region", sa.String(10)),
        sa.Column("side", sa.String(10)),
        sa.Column("triggers", sa.JSON(), nullable=False),
        sa.Column("trigger_note", sa.Text()),
        sa.Column("triage_urgency", sa.String(10)),
        sa.Column("triage_answers", sa.JSON(), nullable=False),
        sa.Column("ended_at", UTCDateTime()),
        sa.Column("note", sa.Text()),
        sa.PrimaryKeyConstraint("id", name="pk_episodes"),
    )
    op.create_table(
        "pain_entries", _id(), _person("pain_entries"), _episode("pain_entries"),
        sa.Column("at", UTCDateTime(), nullable=False),
        sa.Column("pain", sa.Integer(), nullable=False),
        sa.Column("impact", sa.String(10), nullable=False),
        sa.Column("severity", sa.String(10), nullable=False),
        sa.Column("stiffness", sa.Integer()),
        sa.Column("mobility", sa.String(15)),
        sa.Column("note", sa.Text()),
        sa.CheckConstraint("pain BETWEEN 0 AND 10", name="ck_pain_entries_pain_range"),
        sa.CheckConstraint("stiffness IS NULL OR stiffness BETWEEN 0 AND 10",
                           name="ck_pain_entries_stiffness_range"),
        sa.PrimaryKeyConstraint("id", name="pk_pain_entries"),
    )
    op.create_table(
        "treatment_sessions", _id(), _person("treatment_sessions"),
        _episode("treatment_sessions"),
        sa.Column("started_at", UTCDateTime(), nullable=False),
        sa.Column("kind", sa.String(10), nullable=False),
        sa.Column("minutes", sa.Float(), nullable=False),
        sa.Column("pain_before", sa.Integer()),
        sa.Column("pain_after", sa.Integer()),
        sa.Column("completed", sa.Boolean(), nullable=False),
        sa.Column("note", sa.Text()),
        sa.CheckConstraint("minutes > 0", name="ck_treatment_sessions_minutes_positive"),
        sa.CheckConstraint("pain_before IS NULL OR pain_before BETWEEN 0 AND 10",
                           name="ck_treatment_sessions_before_range"),
        sa.CheckConstraint("pain_after IS NULL OR pain_after BETWEEN 0 AND 10",
                           name="ck_treatment_sessions_after_range"),
        sa.PrimaryKeyConstraint("id", name="pk_treatment_sessions"),
    )
    op.create_table(
        "medicines", _id(), _person("medicines"), _episode("medicines"),
        sa.Column("at", UTCDateTime(), nullable=False),
        sa.Column("name", sa.String(120), nullable=False),
        sa.Column("note", sa.Text()),
        sa.PrimaryKeyConstraint("id", name="pk_medicines"),
    )
    op.create_table(
        "habit_logs", _id(), _person("habit_logs"),
        sa.Column("at", UTCDateTime(), nullable=False),
        sa.Column("kind", sa.String(10), nullable=False),
        sa.Column("amount", sa.Float(), nullable=False),
        sa.CheckConstraint("amount >= 0", name="ck_habit_logs_amount_nonnegative"),
        sa.PrimaryKeyConstraint("id", name="pk_habit_logs"),
    )
    for table in ("episodes", "pain_entries", "treatment_sessions", "medicines", "habit_logs"):
        op.create_index(f"ix_{table}_person_id", table, ["person_id"])
    for table in ("pain_entries", "treatment_sessions", "medicines"):
        op.create_index(f"ix_{table}_episode_id", table, ["episode_id"])
    op.create_index("ix_episodes_person_onset", "episodes", ["person_id", "onset"])
    op.create_index("ix_pain_entries_person_at", "pain_entries", ["person_id", "at"])
    op.create_index("ix_treatment_sessions_person_started", "treatment_sessions",
                    ["person_id", "started_at"])


def downgrade() -> None:
    for table in ("habit_logs", "medicines", "treatment_sessions", "pain_entries", "episodes",
                  "people"):
        op.drop_table(table)
