"""Summaries kept as the diary is written, so that insights cost the same for a
month's diary as for ten years'.

- ``diary_counts``: per person, how many records of each kind, sessions
  logged of each kind, how many of those eased the pain by each amount, and
  medicines taken by name (casefolded).
- ``medicines.name_key``: the casefolded name, indexed, to find the name as
  first written; and (person, at) indexes for medicines and habits.
- ``episodes.generation`` and ``adherence_cache``: an episode's plan adherence
  once its two weeks are over, valid while the episode's generation matches.

The counts of an existing diary are taken here, from its rows.

Revision ID: 0005
Revises: 0004
"""

from __future__ import annotations

from collections import Counter

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

KINDS = {"episodes": "episodes", "pain_entries": "pain_entries",
         "treatment_sessions": "sessions", "medicines": "medicines", "habit_logs": "habits"}


def upgrade() -> None:
    op.create_table(
        "diary_counts",
        sa.Column("person_id", sa.String(32),
                  sa.ForeignKey("people.id", ondelete="CASCADE",
                                name="fk_diary_counts_person_id_people"), nullable=False),
        sa.Column("counter", sa.String(20), nullable=False),
        sa.Column("key", sa.String(480), nullable=False),
        sa.Column("n", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("person_id", "counter", "key", name="pk_diary_counts"),
    )
    op.add_column("episodes", sa.Column("generation", sa.Integer(), nullable=False,
                                        server_default="0"))
    op.create_table(
        "adherence_cache",
        sa.Column("episode_id", sa.String(32),
                  sa.ForeignKey("episodes.id", ondelete="CASCADE",
                                name="fk_adherence_cache_episode_id_episodes"), nullable=False),
        sa.Column("basis", sa.String(64), nullable=False),
        sa.Column("person_id", sa.String(32),
                  sa.ForeignKey("people.id", ondelete="CASCADE",
                                name="fk_adherence_cache_person_id_people"), nullable=False),
        sa.Column("generation", sa.Integer(), nullable=False),
        sa.Column("days_planned", sa.Integer(), nullable=False),
        sa.Column("days_followed", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("episode_id", "basis", name="pk_adherence_cache"),
    )
    op.create_index("ix_adherence_cache_person_id", "adherence_cache", ["person_id"])
    op.add_column("medicines", sa.Column("name_key", sa.String(480)))
    conn = op.get_bind()
    rows = conn.execute(sa.text("SELECT id, name FROM medicines")).all()
    if rows:
        conn.execute(sa.text("UPDATE medicines SET name_key = :key WHERE id = :id"),
                     [{"id": rid, "key": name.casefold()} for rid, name in rows])
    with op.batch_alter_table("medicines") as batch:  # SQLite copies the table
        batch.alter_column("name_key", existing_type=sa.String(480), nullable=False)
    op.create_index("ix_medicines_person_at", "medicines", ["person_id", "at"])
    op.create_index("ix_medicines_person_name_key", "medicines",
                    ["person_id", "name_key", "at"])
    op.create_index("ix_habit_logs_person_at", "habit_logs", ["person_id", "at"])
    _count(conn)


def _count(conn: sa.Connection) -> None:
    """The counts of the diaries already here, as ``spasmcare.store.summaries`` keeps them."""
    counts: Counter[tuple[str, str, str]] = Counter()
    for table, field in KINDS.items():
        for person, n in conn.execute(sa.text(
                f"SELECT person_id, count(*) FROM {table} GROUP BY person_id")):
            counts[person, "records", field] += n
    for person, kind, before, after in conn.execute(sa.text(
            "SELECT person_id, kind, pain_before, pain_after FROM treatment_sessions")):
        counts[person, "logged", kind] += 1
        if before is not None and after is not None:
            counts[person, "relief", f"{kind}:{before - after}"] += 1
    for person, key in conn.execute(sa.text("SELECT person_id, name_key FROM medicines")):
        counts[person, "medicine", key] += 1
    if counts:
        conn.execute(sa.text("INSERT INTO diary_counts (person_id, counter, key, n) "
                             "VALUES (:p, :c, :k, :n)"),
                     [{"p": p, "c": c, "k": k, "n": n} for (p, c, k), n in counts.items()])


def downgrade() -> None:
    op.drop_index("ix_habit_logs_person_at", "habit_logs")
    op.drop_index("ix_medicines_person_name_key", "medicines")
    op.drop_index("ix_medicines_person_at", "medicines")
    # Plain DROP COLUMN (SQLite 3.35 and later): copying ``episodes`` would
    # cascade to every record that points at it.
    op.drop_column("medicines", "name_key")
    op.drop_index("ix_adherence_cache_person_id", "adherence_cache")
    op.drop_table("adherence_cache")
    op.drop_column("episodes", "generation")
    op.drop_table("diary_counts")
